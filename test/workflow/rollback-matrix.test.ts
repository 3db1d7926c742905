/**
 * upgradeHostKernel on a real Temporal dev server with stubbed activities acting on a model
 * host: every row of the rollback matrix, approve and abort. After each run the model host is
 * checked against rule 1: its saved default is a kernel that booted and verified there.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  FakeHost,
  bootIdFor,
  newHostState,
  createStubActivities,
  type FakeHostState,
  type TrialBehaviour,
} from '../helpers/fake-host';
import { NEW, OLD, stopOwnServer, testInput, withWorker } from '../helpers/temporal';
import { kernelctlOn } from '../helpers/kernelctl';
import { assessFacts } from '../../src/activities/steps/host-facts';
import { dpkg } from '../../src/activities/install/dpkg';
import { upgradeInputFromFlags } from '../../src/cli/kernelctl';
import { parseOrThrow, upgradeHostInputSchema } from '../../src/shared/schemas';
import { abortUpdate, approveUpdate, resolveUpdate, statusQuery } from '../../src/workflows/definitions';
import type { Phase, UpgradeHostInput, UpgradeResult } from '../../src/shared/types';
import { startUpgrade, waitForPhase } from '../helpers/upgrade-run';
import { patchTrail } from '../helpers/patch-markers';
import { PATCH_SETS } from '../../src/workflows/patches';

after(stopOwnServer);

/** An update refused by its validator: the reason is in the failure's cause. */
async function assertRefused(p: Promise<unknown>, re: RegExp): Promise<void> {
  await assert.rejects(p, (err: Error & { cause?: Error }) => {
    assert.match(`${err.message} ${err.cause?.message ?? ''}`, re);
    return true;
  });
}

function assertRuleOne(s: FakeHostState): void {
  assert.ok(s.savedDefault, 'a saved default is set');
  assert.ok(s.verifiedBoots.includes(s.savedDefault), `saved default ${s.savedDefault} booted and verified here`);
  assert.equal(s.nextEntry, null, 'no one-shot left behind');
  assert.equal(s.revertArmed, false, 'revert timer disarmed');
}

async function run(trial: TrialBehaviour, overrides: Partial<UpgradeHostInput> = {}) {
  const host = new FakeHost(newHostState(OLD, trial));
  const { result, history } = await withWorker(createStubActivities(host), async ({ client, taskQueue }) => {
    const handle = await startUpgrade(client, taskQueue, testInput(overrides));
    return { result: await handle.result(), history: await handle.fetchHistory() };
  });
  return { result, state: host.get(), history };
}

describe('rollback matrix', () => {
  test('healthy trial: upgraded, saved default moves to the new kernel, one reboot', async () => {
    const { result, state, history } = await run('ok');
    assert.equal(result.outcome, 'upgraded', result.reason);
    assert.equal(result.bootedKernel, NEW);
    // Every change this run takes is asked through one marker (src/workflows/patches.ts).
    assert.deepEqual(patchTrail(history), { markers: [PATCH_SETS[0]?.marker], changeVersionUpserts: 1 });
    assert.equal(state.running, NEW);
    assert.equal(state.savedDefault, NEW);
    assert.equal(state.reboots, 1);
    assert.equal(result.rebootCount, 1);
    assert.equal(state.calls['commitKernel'], 1);
    assert.deepEqual(state.trialBootRefs, [], 'nothing to clear, no evidence read');
    assertRuleOne(state);
    const phases = result.timeline.map((t) => t.phase);
    for (const p of ['preflight', 'install', 'reboot', 'await', 'verify', 'stability', 'commit', 'done'] as Phase[]) {
      assert.ok(phases.includes(p), `timeline has ${p}`);
    }
    // Pin, install and stage are one activity (one phase, install) in runs started now.
    assert.ok(!phases.includes('stage'), 'no separate stage phase');
    assert.deepEqual(
      [state.calls['pinKnownGood'], state.calls['installKernel'], state.calls['stageTrialBoot']],
      [1, 1, 1],
    );
    assert.ok(
      result.timeline.every((t) => !Number.isNaN(Date.parse(t.at))),
      'timestamps',
    );
  });

  test('one --health-cmd: the status names the default system-running check beside it', async () => {
    const flags = await upgradeInputFromFlags('web-01', { to: NEW, 'health-cmd': ['curl -fs localhost'] });
    const { healthChecks } = parseOrThrow(upgradeHostInputSchema, flags);
    const { result } = await run('ok', { healthChecks });
    assert.equal(result.outcome, 'upgraded', result.reason);
    const verify = result.timeline.filter((t) => t.phase === 'verify').map((t) => t.message);
    assert.equal(verify.length, 1, verify.join('\n'));
    assert.match(
      verify[0] ?? '',
      /: checking uname -r, boot id and 2 health checks: system-running, command `curl -fs localhost`$/,
    );
  });

  test('trial panics: back on the old kernel, rolled-back, default unchanged', async () => {
    const { result, state } = await run('panic');
    assert.equal(result.outcome, 'rolled-back', result.reason);
    assert.equal(result.bootedKernel, OLD);
    assert.equal(state.running, OLD);
    assert.equal(state.savedDefault, OLD);
    assert.equal(state.calls['commitKernel'] ?? 0, 0);
    // The model host's trial boot is boot 1 (it panicked), boot 2 the fallback: undoTrial is told
    // the boots around the trial, not "the previous boot".
    assert.deepEqual(state.trialBootRefs, [
      { kind: 'between', bootIdBefore: bootIdFor(0), fallbackBootId: bootIdFor(2) },
    ]);
    assertRuleOne(state);
  });

  test('new kernel boots but health fails: rollback reboot into the old kernel', async () => {
    const { result, state } = await run('unhealthy');
    assert.equal(result.outcome, 'rolled-back', result.reason);
    assert.match(result.reason, /verification failed/);
    assert.equal(state.running, OLD);
    assert.equal(state.savedDefault, OLD);
    assert.equal(state.reboots, 2, 'trial reboot + rollback reboot');
    // Cleared while still on the trial boot (boot 1), which the run saw running the new kernel.
    assert.deepEqual(state.trialBootRefs, [{ kind: 'seen', trialBootId: bootIdFor(1) }]);
    assertRuleOne(state);
  });

  test('never back, command power driver: power cycle boots the saved default, rolled-back', async () => {
    const { result, state } = await run('hang');
    assert.equal(result.outcome, 'rolled-back', result.reason);
    assert.equal(state.powerCycles, 1);
    assert.equal(state.running, OLD);
    assert.deepEqual(state.trialBootRefs, [
      { kind: 'between', bootIdBefore: bootIdFor(0), fallbackBootId: bootIdFor(2) },
    ]);
    assertRuleOne(state);
  });

  test('never back, driver none: needs-attention waits for the operator; mark-fixed after a hand reset', async () => {
    const host = new FakeHost(newHostState(OLD, 'hang'));
    const result = await withWorker(createStubActivities(host), async ({ client, taskQueue }) => {
      const input = testInput({ power: { driver: 'none' } });
      const handle = await startUpgrade(client, taskQueue, input);
      await waitForPhase(handle, 'needs-attention');
      const status = await handle.query(statusQuery);
      assert.equal(status.waitingFor, 'operator');
      assert.match(status.details, /kernelctl resolve/);
      // kernelctl status says so in its exit code (4, needs-attention), not 0.
      const shown = await kernelctlOn(taskQueue, ['status', input.target.host]);
      assert.equal(
        shown.code,
        4,
        `kernelctl status exits 4 while waiting in needs-attention:\n${shown.stdout}${shown.stderr}`,
      );
      assert.match(shown.stdout, /needs-attention/);
      // Someone in the machine room resets it: GRUB boots the saved default.
      host.update((s) => {
        host.bootThroughGrub(s);
        s.up = true;
      });
      await handle.executeUpdate(resolveUpdate, { args: [{ by: 'oncall', action: 'mark-fixed' }] });
      return handle.result();
    });
    assert.equal(result.outcome, 'rolled-back', result.reason);
    assert.equal(host.get().running, OLD);
    assertRuleOne(host.get());
  });

  test('never back even after power cycles: retry, then give-up ends needs-attention', async () => {
    const host = new FakeHost(newHostState(OLD, 'hang-forever'));
    const result = await withWorker(createStubActivities(host), async ({ client, taskQueue }) => {
      const handle = await startUpgrade(client, taskQueue, testInput());
      await waitForPhase(handle, 'needs-attention');
      await handle.executeUpdate(resolveUpdate, { args: [{ by: 'oncall', action: 'retry' }] });
      // approve is refused when nothing waits for it
      await assertRefused(
        handle.executeUpdate(approveUpdate, { args: [{ by: 'oncall' }] }),
        /nothing waits for approval/,
      );
      await waitForPhase(handle, 'needs-attention');
      await handle.executeUpdate(resolveUpdate, { args: [{ by: 'oncall', action: 'give-up' }] });
      return handle.result();
    });
    assert.equal(result.outcome, 'needs-attention');
    assert.equal(host.get().powerCycles, 2, 'one power cycle, then one more on retry');
    assert.equal(host.get().savedDefault, OLD, 'saved default never moved');
  });
});

describe('operator actions', () => {
  test('approve before reboot: waits, then reboots once approved', async () => {
    const host = new FakeHost(newHostState(OLD, 'ok'));
    const result = await withWorker(createStubActivities(host), async ({ client, taskQueue }) => {
      const handle = await startUpgrade(client, taskQueue, testInput({ approveBeforeReboot: true }));
      await waitForPhase(handle, 'awaiting-approval');
      assert.equal(host.get().reboots, 0, 'no reboot before approval');
      assert.equal((await handle.query(statusQuery)).waitingFor, 'approval');
      await assertRefused(handle.executeUpdate(approveUpdate, { args: [{ by: '' }] }), /by: must be/);
      const reply = await handle.executeUpdate(approveUpdate, { args: [{ by: 'alice', comment: 'window open' }] });
      assert.match(reply, /approved/);
      return handle.result();
    });
    assert.equal(result.outcome, 'upgraded', result.reason);
    assert.ok(result.timeline.some((t) => /approved by alice/.test(t.message)));
    assertRuleOne(host.get());
  });

  test('abort before the reboot: staging undone, nothing rebooted, aborted', async () => {
    const host = new FakeHost(newHostState(OLD, 'ok'));
    const result = await withWorker(createStubActivities(host), async ({ client, taskQueue }) => {
      const handle = await startUpgrade(client, taskQueue, testInput({ approveBeforeReboot: true }));
      await waitForPhase(handle, 'awaiting-approval');
      assert.equal(host.get().nextEntry, NEW, 'one-shot staged');
      await handle.executeUpdate(abortUpdate, { args: [{ by: 'bob', reason: 'change freeze' }] });
      // Refused by the run while it undoes the staging, or, when the fake host let it finish
      // first, by Temporal as the run closes (or has closed): either way it takes no effect, and
      // the result below still gives the first abort's reason.
      await assertRefused(
        handle.executeUpdate(abortUpdate, { args: [{ by: 'bob', reason: 'again' }] }),
        /already requested|too late|aborted by closing workflow|already completed/,
      );
      return handle.result();
    });
    assert.equal(result.outcome, 'aborted', result.reason);
    assert.match(result.reason, /change freeze/);
    const s = host.get();
    assert.equal(s.reboots, 0);
    assert.equal(s.running, OLD);
    assert.deepEqual(s.trialBootRefs, [{ kind: 'no-reboot' }], 'no trial boot: no evidence to read');
    assertRuleOne(s);
  });

  test('approval never comes: staging undone after the approval timeout', async () => {
    const { result, state } = await (async () => {
      const host = new FakeHost(newHostState(OLD, 'ok'));
      const input = testInput({ approveBeforeReboot: true });
      input.timeouts = { ...input.timeouts, approvalTimeoutSeconds: 2 };
      const r = await withWorker(createStubActivities(host), async ({ client, taskQueue }) =>
        (await startUpgrade(client, taskQueue, input)).result(),
      );
      return { result: r, state: host.get() };
    })();
    assert.equal(result.outcome, 'aborted');
    assert.match(result.reason, /no approval/);
    assert.equal(state.reboots, 0);
    assertRuleOne(state);
  });

  test('abort after the reboot: the new kernel is rolled back', async () => {
    const host = new FakeHost(newHostState(OLD, 'ok'));
    const result: UpgradeResult = await withWorker(createStubActivities(host), async ({ client, taskQueue }) => {
      host.update((s) => {
        s.holdAwait = true;
      });
      const handle = await startUpgrade(client, taskQueue, testInput());
      await waitForPhase(handle, 'await');
      const reply = await handle.executeUpdate(abortUpdate, { args: [{ by: 'carol', reason: 'pager storm' }] });
      assert.match(reply, /after the reboot/);
      host.update((s) => {
        s.holdAwait = false;
      });
      return handle.result();
    });
    assert.equal(result.outcome, 'rolled-back', result.reason);
    assert.match(result.reason, /pager storm/);
    const s = host.get();
    assert.equal(s.running, OLD);
    assert.equal(s.reboots, 2);
    assertRuleOne(s);
  });

  test('a repeated upgrade of a host already on the target: verified and committed, said once', async () => {
    const host = new FakeHost(newHostState(OLD, 'ok'));
    const stubs = createStubActivities(host);
    // The stub's facts judged by the real preflight's assessment, so the run sees the warnings
    // a real host on the target kernel would give.
    const activities = {
      ...stubs,
      preflight: async (req: Parameters<typeof stubs.preflight>[0]) => {
        const { refusals: _r, fixes: _f, warnings: _w, ...base } = await stubs.preflight(req);
        return assessFacts(base, req, dpkg);
      },
    };
    const input = testInput();
    const [first, again] = await withWorker(activities, async ({ client, taskQueue }) => {
      const one = await (await startUpgrade(client, taskQueue, input)).result();
      return [one, await (await startUpgrade(client, taskQueue, input)).result()];
    });
    assert.equal(first.outcome, 'upgraded', first.reason);
    assert.equal(again.outcome, 'upgraded', again.reason);
    assert.equal(again.rebootCount, 0, 'no reboot the second time');
    const said = again.timeline.filter((t) => /already run/.test(t.message)).map((t) => t.message);
    assert.equal(said.length, 1, `said once:\n${again.timeline.map((t) => t.message).join('\n')}`);
    assertRuleOne(host.get());
  });

  test('a second run for the same host is refused by Temporal while the first runs', async () => {
    const host = new FakeHost(newHostState(OLD, 'ok'));
    await withWorker(createStubActivities(host), async ({ client, taskQueue }) => {
      const input = testInput({ approveBeforeReboot: true });
      const first = await startUpgrade(client, taskQueue, input);
      await assert.rejects(startUpgrade(client, taskQueue, input), /already started|AlreadyStarted/i);
      await first.executeUpdate(abortUpdate, { args: [{ by: 'test', reason: 'done' }] });
      await first.result();
    });
  });
});
