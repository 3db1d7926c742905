/**
 * rolloutKernel on the real dev server with a fleet of model hosts (test/helpers/fleet.ts): each
 * host's upgradeHostKernel is a real child workflow, its activities stubbed on its own model
 * host; the call log tells which hosts were touched and in which order.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { OLD, stopOwnServer } from '../helpers/temporal';
import {
  Fleet,
  assertRefused,
  assertUpgraded,
  heldInAwait,
  hold,
  hostInput,
  progressUntil,
  release,
  rolloutHost,
  rolloutInput,
  startRollout,
  template,
  until,
  withFleet,
  type Harness,
} from '../helpers/fleet';
import type { temporal } from '@temporalio/proto';
import { planBatches } from '../../src/shared/rollout-plan';
import { PATCH_SETS } from '../../src/workflows/patches';
import { patchTrail } from '../helpers/patch-markers';
import { decisionsSent } from '../helpers/rollout-history';
import { upgradeHostKernel } from '../../src/workflows';
import {
  abortRolloutUpdate,
  addHostsUpdate,
  approveRolloutUpdate,
  pauseRolloutUpdate,
  resumeRolloutUpdate,
  rolloutProgressQuery,
  skipHostUpdate,
} from '../../src/workflows/rollout-definitions';
import {
  abortUpdate,
  approveUpdate,
  rolloutDecisionSignal,
  statusQuery,
  upgradeWorkflowId,
} from '../../src/workflows/definitions';

after(stopOwnServer);

// ---- tests ----------------------------------------------------------------------------------

/**
 * Batch i's first call (of `activity`, or any) comes after batch i-1's last call: with
 * 'rebootHost', only the preparation of a batch may overlap the one before (prepareAhead).
 */
function assertBatchesInOrder(fleet: Fleet, plan: string[][], activity?: string): void {
  for (let i = 1; i < plan.length; i++) {
    const previous = new Set(plan[i - 1]);
    const current = new Set(plan[i]);
    const lastOfPrevious = Math.max(...fleet.calls.filter((c) => previous.has(c.host)).map((c) => c.seq));
    const firstOfThis = Math.min(
      ...fleet.calls.filter((c) => current.has(c.host) && (!activity || c.activity === activity)).map((c) => c.seq),
    );
    assert.ok(
      lastOfPrevious < firstOfThis,
      `batch ${i + 1} ${activity ? `ran ${activity}` : 'started'} only after batch ${i} finished`,
    );
  }
}

/** Waits until every one of `hosts` has staged its trial and its run waits for the rollout's go. */
async function stagedAndHeld(h: Harness, fleet: Fleet, hosts: string[]): Promise<void> {
  await until('the next batch staged and held', async () => {
    if (!hosts.every((n) => (fleet.host(n).get().calls['stageTrialBoot'] ?? 0) === 1)) return false;
    for (const n of hosts) {
      const st = await h.client.workflow.getHandle(upgradeWorkflowId(n)).query(statusQuery);
      if (st.waitingFor !== 'rollout') return false;
    }
    return true;
  });
}

/**
 * The rollout's KernelRolloutProgressedAt upserts on its hosts' ends (that attribute alone; a phase
 * change upserts it with the phase): none within a minute of the one before.
 */
function assertProgressUpsertsOnceAMinute(history: temporal.api.history.v1.IHistory): void {
  let last: number | undefined;
  let upserts = 0;
  for (const e of history.events ?? []) {
    const keys = Object.keys(e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {});
    if (!keys.includes('KernelRolloutProgressedAt')) continue;
    upserts += 1;
    const at = Number(String(e.eventTime?.seconds ?? 0));
    if (keys.length === 1 && last !== undefined) {
      assert.ok(
        at - last >= 59,
        `a host's end upserted KernelRolloutProgressedAt ${at - last} s after the last upsert`,
      );
    }
    last = at;
  }
  assert.ok(upserts >= 2, `the rollout's start and end upsert KernelRolloutProgressedAt (${upserts} upserts)`);
}

/** A workflow bug fails workflow tasks, which Temporal retries forever: a test must not wait forever. */
const limit = { timeout: 90_000 };

describe('rolloutKernel', () => {
  test('canary first, then the batches in order, each starting after the previous one finished', limit, async () => {
    const fleet = new Fleet();
    const names = fleet.add(8);
    const strategy = { canary: 1, batches: [2, '50%' as const] };
    const input = rolloutInput(names, { strategy, window: 'daily 00:00-24:00 UTC' });
    const { result, progress, history } = await withFleet(fleet, async (h) => {
      const handle = await startRollout(h, input);
      const result = await handle.result();
      return { result, progress: await handle.query(rolloutProgressQuery), history: await handle.fetchHistory() };
    });
    assert.equal(result.outcome, 'completed', result.reason);
    assert.equal(result.counts.upgraded, 8);
    assertProgressUpsertsOnceAMinute(history);
    assert.deepEqual(patchTrail(history), { markers: [PATCH_SETS[0]?.marker], changeVersionUpserts: 1 });
    const plan = planBatches(names, strategy);
    assert.deepEqual(
      plan.map((b) => b.length),
      [1, 2, 4, 1],
    );
    assert.equal(result.batches, plan.length);
    for (const [i, batch] of plan.entries()) {
      for (const name of batch) {
        assertUpgraded(fleet, name);
        assert.equal(result.hosts.find((r) => r.host === name)?.batch, i + 1, `${name} ran in batch ${i + 1}`);
      }
    }
    assertBatchesInOrder(fleet, plan);
    assert.equal(progress.phase, 'completed');
    assert.equal(progress.currentBatch, 4);
    assert.equal(progress.totalBatches, 4);
    assert.match(progress.details, /batch 4\/4: 0 hosts upgrading, 8 upgraded, budget 0 left/);
  });

  test(
    'failures over the budget halt the rollout: in-flight hosts finish, the rest are never touched',
    limit,
    async () => {
      const fleet = new Fleet();
      const canary = fleet.add(1);
      const panics = fleet.add(1, 'panic');
      const unreachable = fleet.add(1);
      const rest = fleet.add(7);
      for (const n of unreachable) fleet.unreachable.add(n);
      const names = [...canary, ...panics, ...unreachable, ...rest];
      const input = rolloutInput(names, { strategy: { canary: 1, batches: [3] }, failureBudget: '1' });
      const result = await withFleet(fleet, async (h) => (await startRollout(h, input)).result());
      assert.equal(result.outcome, 'halted', result.reason);
      assert.match(result.reason, /2 host\(s\) failed, more than the budget of 1/);
      const outcomeOf = (n: string) => result.hosts.find((r) => r.host === n)?.outcome;
      assert.equal(outcomeOf(canary[0] as string), 'upgraded');
      assert.equal(outcomeOf(panics[0] as string), 'rolled-back');
      assert.equal(outcomeOf(unreachable[0] as string), 'unreachable');
      assert.equal(outcomeOf(rest[0] as string), 'upgraded', 'in flight when the budget ran out: finished');
      assert.equal(fleet.host(panics[0] as string).get().savedDefault, OLD);
      for (const n of rest.slice(1)) {
        assert.equal(outcomeOf(n), 'not-started');
        assert.equal(fleet.touched(n), false, `${n} untouched`);
      }
      assert.equal(result.counts['not-started'], 6);
      assert.equal(result.failures, 2);
    },
  );

  test('pause stops new batches after the in-flight hosts finish; resume goes on', limit, async () => {
    const fleet = new Fleet();
    const names = fleet.add(4);
    const canary = names.slice(0, 1);
    hold(fleet, canary);
    const result = await withFleet(fleet, async (h) => {
      const handle = await startRollout(h, rolloutInput(names, { strategy: { canary: 1, batches: [3] } }));
      await heldInAwait(fleet, canary);
      assert.match(
        await handle.executeUpdate(pauseRolloutUpdate, { args: [{ by: 'alice', reason: 'lunch' }] }),
        /paused/,
      );
      await assertRefused(
        handle.executeUpdate(pauseRolloutUpdate, { args: [{ by: 'bob' }] }),
        /already paused by alice/,
      );
      release(fleet, canary);
      const p = await progressUntil(handle, 'paused with the canary done', (p) => p.phase === 'paused');
      assert.equal(p.upgrading, 0);
      assert.equal(p.counts.upgraded, 1);
      assert.equal(p.waitingFor, 'resume');
      assert.equal(p.pausedBy, 'alice');
      assert.match(p.details, /^paused by alice \(lunch\)/);
      for (const n of names.slice(1)) assert.equal(fleet.touched(n), false, `${n} not started while paused`);
      await handle.executeUpdate(resumeRolloutUpdate, { args: [{ by: 'alice' }] });
      await assertRefused(handle.executeUpdate(resumeRolloutUpdate, { args: [{ by: 'alice' }] }), /not paused|ended/);
      return handle.result();
    });
    assert.equal(result.outcome, 'completed', result.reason);
    for (const n of names) assertUpgraded(fleet, n);
  });

  test('abort mid-batch: the in-flight hosts finish, nothing new starts', limit, async () => {
    const fleet = new Fleet();
    const names = fleet.add(6);
    const firstBatch = names.slice(0, 3);
    hold(fleet, firstBatch);
    const result = await withFleet(fleet, async (h) => {
      const handle = await startRollout(h, rolloutInput(names, { strategy: { canary: 0, batches: [3] } }));
      await heldInAwait(fleet, firstBatch);
      // The hosts' own runs told the rollout they are rebooting: it says so in words.
      const p = await progressUntil(handle, 'three hosts reported rebooting', (x) => x.rebooting === 3);
      assert.match(p.details, /^batch 1\/2: 3 hosts rebooting, budget 0 left$/);
      assert.deepEqual(
        p.hosts.filter((x) => x.rebooting).map((x) => x.host),
        firstBatch,
      );
      await assertRefused(handle.executeUpdate(abortRolloutUpdate, { args: [{ by: 'bob', reason: '' }] }), /reason/);
      assert.match(
        await handle.executeUpdate(abortRolloutUpdate, { args: [{ by: 'bob', reason: 'bad kernel' }] }),
        /3 in flight finish or roll back/,
      );
      await assertRefused(
        handle.executeUpdate(abortRolloutUpdate, { args: [{ by: 'bob', reason: 'again' }] }),
        /was aborted by bob/,
      );
      release(fleet, firstBatch);
      return handle.result();
    });
    assert.equal(result.outcome, 'aborted');
    assert.match(result.reason, /aborted by bob: bad kernel/);
    for (const n of firstBatch) assertUpgraded(fleet, n);
    for (const n of names.slice(3)) {
      assert.equal(result.hosts.find((r) => r.host === n)?.outcome, 'not-started');
      assert.equal(fleet.touched(n), false, `${n} untouched`);
    }
  });

  test(
    'approval after the canary: refused while nothing waits, then the gate holds until approved',
    limit,
    async () => {
      const fleet = new Fleet();
      const names = fleet.add(3);
      const canary = names.slice(0, 1);
      hold(fleet, canary);
      const { result, progress } = await withFleet(fleet, async (h) => {
        const handle = await startRollout(h, rolloutInput(names, { approveAfterCanary: true }));
        await heldInAwait(fleet, canary);
        await assertRefused(
          handle.executeUpdate(approveRolloutUpdate, { args: [{ by: 'carol' }] }),
          /nothing waits for approval/,
        );
        release(fleet, canary);
        const p = await progressUntil(handle, 'the approval gate', (p) => p.waitingFor === 'approval');
        assert.equal(p.phase, 'waiting-for-approval');
        assert.equal(p.counts.upgraded, 1);
        for (const n of names.slice(1)) assert.equal(fleet.touched(n), false, `${n} waits for the approval`);
        await assertRefused(handle.executeUpdate(approveRolloutUpdate, { args: [{ by: '' }] }), /by: must be/);
        assert.match(
          await handle.executeUpdate(approveRolloutUpdate, { args: [{ by: 'carol', comment: 'canary looks fine' }] }),
          /approved by carol/,
        );
        const result = await handle.result();
        return { result, progress: await handle.query(rolloutProgressQuery) };
      });
      assert.equal(result.outcome, 'completed', result.reason);
      assert.equal(progress.approvedBy, 'carol');
      for (const n of names) assertUpgraded(fleet, n);
    },
  );

  test('addHosts: validated, and the added hosts are upgraded in later batches', limit, async () => {
    const fleet = new Fleet();
    const names = fleet.add(3);
    const added = fleet.add(2, 'ok', 'added');
    const canary = names.slice(0, 1);
    hold(fleet, canary);
    const result = await withFleet(fleet, async (h) => {
      const handle = await startRollout(h, rolloutInput(names));
      await heldInAwait(fleet, canary);
      await assertRefused(
        handle.executeUpdate(addHostsUpdate, { args: [{ by: 'dave', hosts: [] }] }),
        /at least one host/,
      );
      await assertRefused(
        handle.executeUpdate(addHostsUpdate, { args: [{ by: 'dave', hosts: [rolloutHost(names[1] as string)] }] }),
        /already in this rollout/,
      );
      await assertRefused(
        handle.executeUpdate(addHostsUpdate, {
          args: [{ by: 'dave', hosts: [rolloutHost(added[0] as string), rolloutHost(added[0] as string)] }],
        }),
        /listed twice/,
      );
      const bad = { host: added[0] as string, address: 'x; reboot' };
      await assertRefused(
        handle.executeUpdate(addHostsUpdate, { args: [{ by: 'dave', hosts: [bad] }] }),
        /hosts\[0\]\.address/,
      );
      assert.match(
        await handle.executeUpdate(addHostsUpdate, { args: [{ by: 'dave', hosts: added.map(rolloutHost) }] }),
        /added 2 host\(s\).*5 in total/,
      );
      const p = await handle.query(rolloutProgressQuery);
      assert.equal(p.totalBatches, 3, 'canary + 2 + 2');
      release(fleet, canary);
      return handle.result();
    });
    assert.equal(result.outcome, 'completed', result.reason);
    assert.equal(result.hosts.length, 5);
    for (const n of [...names, ...added]) assertUpgraded(fleet, n);
  });

  test('skipHost: only for a host not started yet; a skipped host is never touched', limit, async () => {
    const fleet = new Fleet();
    const names = fleet.add(4);
    const [canary, , skipped] = names as [string, string, string, string];
    hold(fleet, [canary]);
    const result = await withFleet(fleet, async (h) => {
      const handle = await startRollout(h, rolloutInput(names));
      await heldInAwait(fleet, [canary]);
      await assertRefused(
        handle.executeUpdate(skipHostUpdate, { args: [{ by: 'erin', host: canary }] }),
        /too late to skip \(upgrading\)/,
      );
      await assertRefused(
        handle.executeUpdate(skipHostUpdate, { args: [{ by: 'erin', host: 'elsewhere.example' }] }),
        /not in rollout/,
      );
      await handle.executeUpdate(skipHostUpdate, { args: [{ by: 'erin', host: skipped, reason: 'disk swap' }] });
      await assertRefused(
        handle.executeUpdate(skipHostUpdate, { args: [{ by: 'erin', host: skipped }] }),
        /too late to skip \(done, skipped\)/,
      );
      release(fleet, [canary]);
      return handle.result();
    });
    assert.equal(result.outcome, 'completed', result.reason);
    const record = result.hosts.find((r) => r.host === skipped);
    assert.equal(record?.outcome, 'skipped');
    assert.match(record?.reason ?? '', /skipped by erin: disk swap/);
    assert.equal(fleet.touched(skipped), false);
    assert.equal(result.counts.upgraded, 3);
    assert.equal(result.failures, 0);
  });

  test('a host already upgrading in another rollout is reported busy and left alone', limit, async () => {
    const fleet = new Fleet();
    const [shared, other] = fleet.add(2) as [string, string];
    hold(fleet, [shared]);
    const { first, second } = await withFleet(fleet, async (h) => {
      const first = await startRollout(h, rolloutInput([shared], { strategy: { canary: 0, batches: [1] } }));
      await heldInAwait(fleet, [shared]);
      const callsBefore = fleet.calls.filter((c) => c.host === shared).length;
      const secondInput = rolloutInput([shared, other], { strategy: { canary: 0, batches: [2] }, failureBudget: '1' });
      const second = await (await startRollout(h, secondInput)).result();
      assert.equal(
        fleet.calls.filter((c) => c.host === shared).length,
        callsBefore,
        'the second rollout never touched it',
      );
      const status = await h.client.workflow.getHandle(upgradeWorkflowId(shared)).query(statusQuery);
      assert.equal(status.phase, 'await', "the first rollout's run goes on undisturbed");
      release(fleet, [shared]);
      return { first: await first.result(), second };
    });
    assert.equal(second.outcome, 'completed', second.reason);
    assert.equal(second.hosts.find((r) => r.host === shared)?.outcome, 'busy');
    assert.match(second.hosts.find((r) => r.host === shared)?.reason ?? '', /another run of kernel-upgrade\//);
    assert.equal(second.hosts.find((r) => r.host === other)?.outcome, 'upgraded');
    assert.equal(second.failures, 1, 'busy counts against the budget');
    assert.equal(first.hosts[0]?.outcome, 'upgraded');
    assert.equal(fleet.host(shared).get().reboots, 1, 'rebooted once, by the first rollout');
  });

  test('a busy host blocked by a stand-alone upgrade: the rollout does not touch it', limit, async () => {
    const fleet = new Fleet();
    const [busy] = fleet.add(1) as [string];
    const result = await withFleet(fleet, async (h) => {
      const standalone = await h.client.workflow.start(upgradeHostKernel, {
        taskQueue: h.taskQueue,
        workflowId: upgradeWorkflowId(busy),
        args: [{ ...hostInput(busy), approveBeforeReboot: true }],
      });
      await until('the stand-alone run waits for approval', async () => {
        return (await standalone.query(statusQuery)).phase === 'awaiting-approval';
      });
      const result = await (
        await startRollout(h, rolloutInput([busy], { strategy: { canary: 0, batches: [1] }, failureBudget: '1' }))
      ).result();
      await standalone.executeUpdate(abortUpdate, { args: [{ by: 'test', reason: 'cleanup' }] });
      assert.equal((await standalone.result()).outcome, 'aborted');
      return result;
    });
    assert.equal(result.hosts[0]?.outcome, 'busy');
    assert.equal(fleet.host(busy).get().calls['preflight'], 1, 'only the stand-alone run read it');
  });

  test('outside the maintenance window nothing starts; abort while waiting ends it cleanly', limit, async () => {
    const fleet = new Fleet();
    const names = fleet.add(2);
    const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
    const closedDay = days[(new Date().getUTCDay() + 3) % 7] as string;
    const result = await withFleet(fleet, async (h) => {
      const handle = await startRollout(h, rolloutInput(names, { window: `${closedDay} 00:00-24:00 UTC` }));
      const p = await progressUntil(handle, 'waiting for the window', (p) => p.waitingFor === 'window');
      assert.equal(p.phase, 'waiting-for-window');
      assert.ok((p.windowOpensInMs ?? 0) > 24 * 3600_000, `opens in ${p.windowOpensInMs} ms`);
      assert.match(p.details, /^waiting for the window/);
      await handle.executeUpdate(abortRolloutUpdate, { args: [{ by: 'frank', reason: 'not this week' }] });
      return handle.result();
    });
    assert.equal(result.outcome, 'aborted');
    assert.equal(result.counts['not-started'], 2);
    for (const n of names) assert.equal(fleet.touched(n), false);
  });

  test('bad input fails the rollout at once, naming the field', limit, async () => {
    const fleet = new Fleet();
    const names = fleet.add(1);
    await withFleet(fleet, async (h) => {
      const handle = await startRollout(h, rolloutInput(names, { failureBudget: 'lots' }));
      await assert.rejects(handle.result(), (err: Error & { cause?: Error }) => {
        assert.match(err.cause?.message ?? '', /failureBudget/);
        return true;
      });
    });
  });

  test('approve and abort land while the rollout continues as new', { timeout: 300_000 }, async () => {
    const fleet = new Fleet();
    const names = fleet.add(30);
    const input = rolloutInput(names, {
      strategy: { canary: 1, batches: [1] },
      approveAfterCanary: true,
      maxHistoryEvents: 50,
    });
    const result = await withFleet(fleet, async (h) => {
      const handle = await startRollout(h, input);
      // Approve as soon as the gate waits: refused before that, with the reason.
      let approvals = 0;
      for (;;) {
        try {
          await handle.executeUpdate(approveRolloutUpdate, { args: [{ by: 'gina' }] });
          approvals += 1;
          break;
        } catch (err) {
          const e = err as Error & { cause?: Error };
          assert.match(`${e.message} ${e.cause?.message ?? ''}`, /nothing waits for approval/);
        }
      }
      assert.equal(approvals, 1);
      // Let it cross continueAsNew at least once, then abort right away, whatever the moment.
      await progressUntil(handle, 'a second run', (p) => p.runs >= 2);
      await handle.executeUpdate(abortRolloutUpdate, { args: [{ by: 'gina', reason: 'enough' }] });
      return handle.result();
    });
    assert.equal(result.outcome, 'aborted', result.reason);
    assert.ok(result.runs >= 2, `${result.runs} runs`);
    assert.equal(result.hosts.length, 30);
    const started = result.hosts.filter((r) => r.outcome !== 'not-started');
    const notStarted = result.hosts.filter((r) => r.outcome === 'not-started');
    assert.ok(notStarted.length > 0, 'the abort left hosts not started');
    for (const r of started) {
      assert.equal(r.outcome, 'upgraded', `${r.host} finished its upgrade`);
      assertUpgraded(fleet, r.host);
    }
    for (const r of notStarted) assert.equal(fleet.touched(r.host), false, `${r.host} untouched after the abort`);
    assert.deepEqual(
      result.hosts.map((r) => r.host),
      names,
    );
  });

  test(
    'updates at awkward moments: pause/resume, addHosts and skipHost while the rollout continues as new',
    { timeout: 300_000 },
    async () => {
      const fleet = new Fleet();
      const names = fleet.add(24);
      const extra = fleet.add(6, 'ok', 'added');
      // One host per batch and the smallest history limit: nearly every batch boundary is a
      // continueAsNew, so the updates below keep landing on a run that is about to close.
      const input = rolloutInput(names, {
        strategy: { canary: 1, batches: [1] },
        maxHistoryEvents: 50,
      });
      const accepted = { pauses: 0, resumes: 0, added: [] as string[], skipped: [] as string[] };
      const refusals: string[] = [];
      const tryUpdate = async (fn: () => Promise<string>, onAccept: () => void): Promise<void> => {
        try {
          await fn();
          onAccept();
        } catch (err) {
          const e = err as Error & { cause?: Error };
          const why = `${e.message} ${e.cause?.message ?? ''}`;
          // Refused by a validator (too late, already ended) is fine; anything else is a bug.
          assert.match(why, /too late|has ended|is not paused|already paused|nothing to/, why);
          refusals.push(why.trim());
        }
      };
      const result = await withFleet(fleet, async (h) => {
        const handle = await startRollout(h, input);
        let round = 0;
        let runsSeen = 1;
        for (;;) {
          const desc = await handle.describe();
          if (desc.status.name === 'COMPLETED') break;
          const p = await handle.query(rolloutProgressQuery, { hosts: 'none' }).catch(() => null);
          if (p) runsSeen = Math.max(runsSeen, p.runs);
          const by = `ops-${round}`;
          await tryUpdate(
            () => handle.executeUpdate(pauseRolloutUpdate, { args: [{ by, reason: 'awkward' }] }),
            () => (accepted.pauses += 1),
          );
          await tryUpdate(
            () => handle.executeUpdate(resumeRolloutUpdate, { args: [{ by }] }),
            () => (accepted.resumes += 1),
          );
          if (round < extra.length) {
            const host = extra[round] as string;
            await tryUpdate(
              () => handle.executeUpdate(addHostsUpdate, { args: [{ by, hosts: [rolloutHost(host)] }] }),
              () => accepted.added.push(host),
            );
          }
          if (round % 4 === 1) {
            const victim = names[names.length - 1 - accepted.skipped.length] as string;
            await tryUpdate(
              () => handle.executeUpdate(skipHostUpdate, { args: [{ by, host: victim }] }),
              () => accepted.skipped.push(victim),
            );
          }
          round += 1;
          if (accepted.added.length === extra.length && runsSeen >= 3 && accepted.skipped.length >= 2) break;
        }
        return handle.result();
      });
      process.stdout.write(
        `# awkward updates: ${result.runs} runs, ${accepted.pauses} pauses, ${accepted.added.length} added, ` +
          `${accepted.skipped.length} skipped, ${refusals.length} refused\n`,
      );
      assert.equal(result.outcome, 'completed', result.reason);
      assert.ok(result.runs >= 3, `crossed continueAsNew at least twice (${result.runs} runs)`);
      assert.ok(accepted.pauses > 0 && accepted.pauses === accepted.resumes, 'every accepted pause was resumed');
      assert.equal(accepted.added.length, extra.length, 'every host was added');
      assert.ok(accepted.skipped.length >= 2, 'skips were accepted');
      const all = [...names, ...accepted.added];
      assert.deepEqual(
        result.hosts.map((r) => r.host),
        all,
        'every host once, in order, added ones last',
      );
      for (const n of all) {
        const outcome = result.hosts.find((r) => r.host === n)?.outcome;
        if (accepted.skipped.includes(n)) {
          assert.equal(outcome, 'skipped', n);
          assert.equal(fleet.touched(n), false, `${n} was skipped and never touched`);
        } else {
          assert.equal(outcome, 'upgraded', n);
          assertUpgraded(fleet, n);
          assert.equal(fleet.host(n).get().calls['preflight'], 1, `${n} upgraded exactly once`);
        }
      }
    },
  );

  // ---- prepareAhead -----------------------------------------------------------------------------

  test(
    'prepareAhead: the next batch installs and stages while this one reboots, then reboots on its turn',
    limit,
    async () => {
      const fleet = new Fleet();
      const names = fleet.add(7);
      const strategy = { canary: 1, batches: [3] };
      const plan = planBatches(names, strategy);
      const [canary, second] = [plan[0] as string[], plan[1] as string[]];
      hold(fleet, canary);
      const { result, seen, history } = await withFleet(fleet, async (h) => {
        const handle = await startRollout(h, rolloutInput(names, { strategy, prepareAhead: true }));
        await heldInAwait(fleet, canary);
        // While the canary is away rebooting, batch 2 gets as far as staging and stops there.
        await stagedAndHeld(h, fleet, second);
        const p = await handle.query(rolloutProgressQuery);
        for (const n of second) assert.equal(fleet.host(n).get().calls['rebootHost'] ?? 0, 0, `${n} not rebooted yet`);
        for (const n of plan[2] as string[])
          assert.equal(fleet.touched(n), false, `${n}: two batches ahead, untouched`);
        // An operator's approve is not what it waits for.
        await assertRefused(
          h.client.workflow
            .getHandle(upgradeWorkflowId(second[0] as string))
            .executeUpdate(approveUpdate, { args: [{ by: 'eve' }] }),
          /nothing waits for approval/,
        );
        // Nor does a go from anyone but the rollout that started it.
        const held = h.client.workflow.getHandle(upgradeWorkflowId(second[0] as string));
        await held.signal(rolloutDecisionSignal, { go: true, by: 'mallory' });
        await until('the stray go noted', async () =>
          (await held.query(statusQuery)).timeline.some((e) =>
            /ignored a rolloutDecision from mallory/.test(e.message),
          ),
        );
        assert.equal((await held.query(statusQuery)).waitingFor, 'rollout', 'still held');
        assert.equal(fleet.host(second[0] as string).get().calls['rebootHost'] ?? 0, 0, 'not rebooted by the stray go');
        release(fleet, canary);
        return { result: await handle.result(), seen: p, history: await handle.fetchHistory() };
      });
      assert.match(seen.details, /1 hosts rebooting, 3 of batch 2 prepared ahead/);
      assert.equal(seen.currentBatch, 1);
      assert.equal(seen.totalBatches, 3, 'the prepared batch still counts as a batch to come');
      assert.equal(result.outcome, 'completed', result.reason);
      assert.equal(result.counts.upgraded, 7);
      assert.equal(result.batches, 3);
      for (const [i, batch] of plan.entries()) {
        for (const n of batch) {
          assertUpgraded(fleet, n);
          assert.equal(fleet.host(n).get().calls['rebootHost'], 1, `${n} rebooted once`);
          assert.equal(result.hosts.find((r) => r.host === n)?.batch, i + 1, `${n} ran in batch ${i + 1}`);
        }
      }
      assertBatchesInOrder(fleet, plan, 'rebootHost');
      // Each held batch heard its go from one local activity, not from one signal a host.
      assert.deepEqual(decisionsSent(history), { localActivities: 2, signals: 0 });
    },
  );

  test('prepareAhead: a rollout id of 200 characters still lets its held batch go', limit, async () => {
    const fleet = new Fleet();
    const names = fleet.add(3);
    const strategy = { canary: 1, batches: [2] };
    const input = rolloutInput(names, { strategy, prepareAhead: true });
    input.rolloutId = `${input.rolloutId}-`.padEnd(200, 'x');
    const result = await withFleet(fleet, async (h) => (await startRollout(h, input)).result());
    assert.equal(result.outcome, 'completed', result.reason);
    for (const n of names) {
      assertUpgraded(fleet, n);
      assert.equal(fleet.host(n).get().calls['preflight'], 1, `${n} started once, not again after an expired hold`);
    }
  });

  for (const failure of ['non-retryable', 'retryable'] as const) {
    test(
      `prepareAhead: when releaseHeldRuns fails (${failure}), the rollout signals each held run itself`,
      limit,
      async () => {
        const fleet = new Fleet();
        fleet.releaseFails = failure;
        const names = fleet.add(3);
        const strategy = { canary: 1, batches: [2] };
        const { result, history } = await withFleet(fleet, async (h) => {
          const handle = await startRollout(h, rolloutInput(names, { strategy, prepareAhead: true }));
          return { result: await handle.result(), history: await handle.fetchHistory() };
        });
        assert.equal(result.outcome, 'completed', result.reason);
        for (const n of names) assertUpgraded(fleet, n);
        assert.deepEqual(decisionsSent(history), { localActivities: 1, signals: 2 });
      },
    );
  }

  test(
    "prepareAhead: the next batch starts once this batch's reboot commands were issued, not as they begin",
    limit,
    async () => {
      const fleet = new Fleet();
      const names = fleet.add(4);
      const strategy = { canary: 1, batches: [3] };
      const [canary, second] = [names[0] as string, names.slice(1)];
      fleet.host(canary).update((s) => (s.holdRebootAfterIssue = true));
      const result = await withFleet(fleet, async (h) => {
        const handle = await startRollout(h, rolloutInput(names, { strategy, prepareAhead: true }));
        await until('the canary reboot command running', () => (fleet.host(canary).get().calls['rebootHost'] ?? 0) > 0);
        // The activity runs, so the workflow task that scheduled it is in the history with every
        // command it made: a "rebooting" signal sent as the step began would be there too.
        const run = h.client.workflow.getHandle(upgradeWorkflowId(canary));
        const signalled = async (): Promise<boolean> =>
          (await run.fetchHistory()).events?.some(
            (e) => e.signalExternalWorkflowExecutionInitiatedEventAttributes?.signalName === 'hostRebooting',
          ) === true;
        assert.equal(await signalled(), false, 'no "rebooting" report while the reboot command runs');
        for (const n of second) assert.equal(fleet.touched(n), false, `${n} not prepared yet`);
        fleet.host(canary).update((s) => (s.holdRebootAfterIssue = false));
        await until('the canary reported rebooting', signalled);
        return handle.result();
      });
      assert.equal(result.outcome, 'completed', result.reason);
      for (const n of names) assertUpgraded(fleet, n);
    },
  );

  test('prepareAhead: while the rollout is paused, the next batch is not prepared', limit, async () => {
    const fleet = new Fleet();
    const names = fleet.add(3);
    const [canary, second] = [names.slice(0, 1), names.slice(1)];
    const t = template();
    // Every run waits for an operator's approval after staging: the canary waits there while the
    // rollout is paused, then reboots (the moment the next batch would be prepared).
    const input = rolloutInput(names, {
      template: { ...t, approveBeforeReboot: true },
      strategy: { canary: 1, batches: [2] },
      prepareAhead: true,
    });
    const result = await withFleet(fleet, async (h) => {
      const handle = await startRollout(h, input);
      const approveWhenWaiting = (n: string) =>
        until(`${n} approved`, async () => {
          try {
            await h.client.workflow
              .getHandle(upgradeWorkflowId(n))
              .executeUpdate(approveUpdate, { args: [{ by: 'jo' }] });
            return true;
          } catch {
            return false; // not started yet, or not waiting for approval yet
          }
        });
      await until('the canary waits for approval', async () => {
        const st = await h.client.workflow
          .getHandle(upgradeWorkflowId(canary[0] as string))
          .query(statusQuery)
          .catch(() => null);
        return st?.waitingFor === 'approval';
      });
      await handle.executeUpdate(pauseRolloutUpdate, { args: [{ by: 'jo', reason: 'look first' }] });
      await approveWhenWaiting(canary[0] as string);
      await progressUntil(handle, 'paused with the canary done', (p) => p.phase === 'paused');
      for (const n of second) assert.equal(fleet.touched(n), false, `${n} not prepared while paused`);
      await handle.executeUpdate(resumeRolloutUpdate, { args: [{ by: 'jo' }] });
      for (const n of second) await approveWhenWaiting(n);
      return handle.result();
    });
    assert.equal(result.outcome, 'completed', result.reason);
    for (const n of names) assertUpgraded(fleet, n);
  });

  test("prepareAhead: a halt undoes the held batch's staging; those hosts never reboot", limit, async () => {
    const fleet = new Fleet();
    const canary = fleet.add(1, 'panic');
    const rest = fleet.add(5);
    const names = [...canary, ...rest];
    const [prepared, untouched] = [rest.slice(0, 2), rest.slice(2)];
    const input = rolloutInput(names, { strategy: { canary: 1, batches: [2] }, prepareAhead: true });
    hold(fleet, canary);
    const result = await withFleet(fleet, async (h) => {
      const handle = await startRollout(h, input);
      // The next batch is staged and held before the canary fails: the no-go has staging to undo.
      await heldInAwait(fleet, canary);
      await stagedAndHeld(h, fleet, prepared);
      release(fleet, canary);
      return handle.result();
    });
    assert.equal(result.outcome, 'halted', result.reason);
    const outcomeOf = (n: string) => result.hosts.find((r) => r.host === n);
    assert.equal(outcomeOf(canary[0] as string)?.outcome, 'rolled-back');
    for (const n of prepared) {
      const r = outcomeOf(n);
      assert.equal(r?.outcome, 'not-started', n);
      assert.match(r?.reason ?? '', /prepared ahead, never rebooted: aborted by kernel-rollout\/.*rollout halted/);
      const s = fleet.host(n).get();
      assert.equal(s.calls['rebootHost'] ?? 0, 0, `${n} never rebooted`);
      assert.equal(s.running, OLD);
      assert.equal(s.nextEntry, null, `${n}: no one-shot left`);
      assert.equal(s.savedDefault, OLD, `${n}: the known-good stays the default`);
      assert.equal(s.staged, false, `${n}: staging undone`);
    }
    for (const n of untouched) assert.equal(fleet.touched(n), false, `${n} untouched`);
    assert.equal(result.failures, 1, 'held hosts do not use up the budget');
    assert.equal(result.counts['not-started'], 5);
  });

  test('prepareAhead: an abort while the next batch is held undoes its staging', limit, async () => {
    const fleet = new Fleet();
    const names = fleet.add(5);
    const [canary, second] = [names.slice(0, 1), names.slice(1, 3)];
    hold(fleet, canary);
    const result = await withFleet(fleet, async (h) => {
      const handle = await startRollout(
        h,
        rolloutInput(names, { strategy: { canary: 1, batches: [2] }, prepareAhead: true }),
      );
      await heldInAwait(fleet, canary);
      await until('batch 2 staged', () =>
        second.every((n) => (fleet.host(n).get().calls['stageTrialBoot'] ?? 0) === 1),
      );
      await handle.executeUpdate(abortRolloutUpdate, { args: [{ by: 'hal', reason: 'change freeze' }] });
      release(fleet, canary);
      return handle.result();
    });
    assert.equal(result.outcome, 'aborted', result.reason);
    assertUpgraded(fleet, canary[0] as string);
    for (const n of second) {
      const r = result.hosts.find((x) => x.host === n);
      assert.equal(r?.outcome, 'not-started', n);
      assert.match(r?.reason ?? '', /prepared ahead, never rebooted: .*change freeze/);
      const s = fleet.host(n).get();
      assert.equal(s.calls['rebootHost'] ?? 0, 0, `${n} never rebooted`);
      assert.equal(s.nextEntry, null);
      assert.equal(s.staged, false);
    }
    for (const n of names.slice(3)) assert.equal(fleet.touched(n), false, `${n} untouched`);
  });

  test(
    'prepareAhead: held past approvalTimeoutSeconds (a long pause), the hosts undo and run again later',
    { timeout: 120_000 },
    async () => {
      const fleet = new Fleet();
      const names = fleet.add(4);
      const [canary, second] = [names.slice(0, 1), names.slice(1, 3)];
      const t = template();
      const input = rolloutInput(names, {
        template: { ...t, timeouts: { ...t.timeouts, approvalTimeoutSeconds: 10 } },
        strategy: { canary: 1, batches: [2] },
        prepareAhead: true,
      });
      hold(fleet, canary);
      const result = await withFleet(fleet, async (h) => {
        const handle = await startRollout(h, input);
        await heldInAwait(fleet, canary);
        await stagedAndHeld(h, fleet, second);
        await handle.executeUpdate(pauseRolloutUpdate, { args: [{ by: 'ida', reason: 'long lunch' }] });
        release(fleet, canary);
        // The held runs give up after 10 s: their staging is undone and they end.
        await until(
          'the held runs ended',
          async () => {
            for (const n of second) {
              const d = await h.client.workflow.getHandle(upgradeWorkflowId(n)).describe();
              if (d.status.name !== 'COMPLETED') return false;
            }
            return true;
          },
          60_000,
        );
        for (const n of second) assert.equal(fleet.host(n).get().staged, false, `${n}: staging undone`);
        await handle.executeUpdate(resumeRolloutUpdate, { args: [{ by: 'ida' }] });
        return handle.result();
      });
      assert.equal(result.outcome, 'completed', result.reason);
      for (const n of names) {
        assertUpgraded(fleet, n);
        assert.equal(fleet.host(n).get().calls['rebootHost'], 1, `${n} rebooted once`);
      }
      for (const n of second) assert.equal(fleet.host(n).get().calls['preflight'], 2, `${n} prepared twice`);
      assert.equal(result.failures, 0);
    },
  );

  test('prepareAhead across continueAsNew: every host upgraded exactly once', { timeout: 300_000 }, async () => {
    const fleet = new Fleet();
    const names = fleet.add(16);
    const strategy = { canary: 0, batches: [2] };
    const input = rolloutInput(names, { strategy, prepareAhead: true, maxHistoryEvents: 50 });
    const result = await withFleet(fleet, async (h) => (await startRollout(h, input)).result());
    assert.equal(result.outcome, 'completed', result.reason);
    assert.ok(result.runs >= 2, `crossed continueAsNew (${result.runs} runs)`);
    assert.deepEqual(
      result.hosts.map((r) => r.host),
      names,
    );
    for (const n of names) {
      assertUpgraded(fleet, n);
      const s = fleet.host(n).get();
      assert.equal(s.calls['preflight'], 1, `${n} prepared once`);
      assert.equal(s.calls['rebootHost'], 1, `${n} rebooted once`);
    }
    assertBatchesInOrder(fleet, planBatches(names, strategy), 'rebootHost');
  });
});
