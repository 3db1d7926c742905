/**
 * The trial's return with no stability window (src/workflows/upgrade-host/return-commit.ts): the
 * wait, the verification and the commit in one activity, on a real Temporal dev server with the
 * model host's activities (the product's own composition of them, test/helpers/fake-host.ts). An
 * abort while that activity runs: rolled back while it waits, rolled back when it comes between
 * the host's return and the commit (the server's word, not the SDK's throttled heartbeat), and
 * refused as too late once the commit's write has begun. Rule 1 is checked after each.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkflowUpdateStage, type WorkflowHandle } from '@temporalio/client';
import { FakeHost, newHostState, createStubActivities, type FakeHostState } from '../helpers/fake-host';
import { NEW, OLD, stopOwnServer, testInput, withWorker } from '../helpers/temporal';
import { abortUpdate } from '../../src/workflows/definitions';
import type { UpgradeResult } from '../../src/shared/types';
import { startUpgrade, waitForPhase } from '../helpers/upgrade-run';
import { patchTrail } from '../helpers/patch-markers';
import { PATCH_SETS } from '../../src/workflows/patches';

after(stopOwnServer);

function assertRuleOne(s: FakeHostState): void {
  assert.ok(s.savedDefault, 'a saved default is set');
  assert.ok(s.verifiedBoots.includes(s.savedDefault), `saved default ${s.savedDefault} booted and verified here`);
  assert.equal(s.nextEntry, null, 'no one-shot left behind');
  assert.equal(s.revertArmed, false, 'revert timer disarmed');
}

/** Rolled back: nothing committed, the host on the known-good kernel, rule 1. */
function assertBackOnKnownGoodUncommitted(s: FakeHostState): void {
  assert.equal(s.calls['commitKernel'] ?? 0, 0);
  assert.equal(s.running, OLD);
  assertRuleOne(s);
}

/** The activity types the run scheduled, in order. */
async function activitiesOf(handle: WorkflowHandle): Promise<string[]> {
  const history = await handle.fetchHistory();
  return (history.events ?? [])
    .map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name)
    .filter((n): n is string => typeof n === 'string');
}

/** Resolves once the run's history holds a cancellation request of an activity. */
async function cancellationRequested(handle: WorkflowHandle): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const history = await handle.fetchHistory();
    if ((history.events ?? []).some((e) => e.activityTaskCancelRequestedEventAttributes)) return;
    if (Date.now() > deadline) assert.fail('no ActivityTaskCancelRequested in 30 s');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Resolves once the model host's `call` ran `n` times. */
async function calledTimes(host: FakeHost, call: string, n = 1): Promise<void> {
  const deadline = Date.now() + 30_000;
  while ((host.get().calls[call] ?? 0) < n) {
    if (Date.now() > deadline) assert.fail(`${call} not called ${n} time(s) in 30 s`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const noWindow = { stabilitySeconds: 0 };

describe('no stability window: the wait, the verification and the commit in one activity', () => {
  test('healthy: upgraded through awaitReturnAndCommit, one marker, rule 1', async () => {
    const host = new FakeHost(newHostState(OLD, 'ok'));
    const { result, activities, history } = await withWorker(
      createStubActivities(host),
      async ({ client, taskQueue }) => {
        const handle = await startUpgrade(client, taskQueue, testInput(noWindow));
        const r = await handle.result();
        return { result: r, activities: await activitiesOf(handle), history: await handle.fetchHistory() };
      },
    );
    assert.equal(result.outcome, 'upgraded', result.reason);
    assert.deepEqual(activities, ['preflight', 'prepareTrialBoot', 'rebootHost', 'awaitReturnAndCommit']);
    assert.deepEqual(patchTrail(history), { markers: [PATCH_SETS[0]?.marker], changeVersionUpserts: 1 });
    const s = host.get();
    assert.equal(s.savedDefault, NEW);
    assert.equal(s.calls['commitKernel'], 1);
    assertRuleOne(s);
    assert.ok(result.timeline.some((t) => /verified; saved default := /.test(t.message)));
  });

  test('unhealthy: the verification fails inside the activity, nothing committed, rolled back', async () => {
    const host = new FakeHost(newHostState(OLD, 'unhealthy'));
    const result = await withWorker(createStubActivities(host), async ({ client, taskQueue }) =>
      (await startUpgrade(client, taskQueue, testInput(noWindow))).result(),
    );
    assert.equal(result.outcome, 'rolled-back', result.reason);
    assert.match(result.reason, /verification failed/);
    assertBackOnKnownGoodUncommitted(host.get());
  });

  test('panics: back on the known-good kernel, judged by the workflow, rolled back', async () => {
    const host = new FakeHost(newHostState(OLD, 'panic'));
    const result = await withWorker(createStubActivities(host), async ({ client, taskQueue }) =>
      (await startUpgrade(client, taskQueue, testInput(noWindow))).result(),
    );
    assert.equal(result.outcome, 'rolled-back', result.reason);
    const s = host.get();
    assert.equal(s.calls['verifyKernel'] ?? 0, 0, 'a host back on another kernel is not verified');
    assert.equal(s.savedDefault, OLD);
    assertRuleOne(s);
  });

  test('abort while the host is away: the activity is cancelled, the host rolled back', async () => {
    const host = new FakeHost(newHostState(OLD, 'ok'));
    host.update((s) => {
      s.holdAwait = true;
    });
    const { result, reply, activities } = await withWorker(
      createStubActivities(host),
      async ({ client, taskQueue }) => {
        const handle = await startUpgrade(client, taskQueue, testInput(noWindow));
        await waitForPhase(handle, 'await');
        await calledTimes(host, 'awaitHostReturn');
        const answer = await handle.executeUpdate(abortUpdate, { args: [{ by: 'carol', reason: 'pager storm' }] });
        host.update((s) => {
          s.holdAwait = false;
        });
        const r: UpgradeResult = await handle.result();
        return { result: r, reply: answer, activities: await activitiesOf(handle) };
      },
    );
    assert.match(reply, /aborting after the reboot — rolling back/);
    assert.equal(result.outcome, 'rolled-back', result.reason);
    assert.match(result.reason, /pager storm/);
    // The cancelled wait, then the wait of the run before this change, then the rollback.
    assert.deepEqual(activities.slice(3, 5), ['awaitReturnAndCommit', 'awaitHostReturn']);
    assertBackOnKnownGoodUncommitted(host.get());
    assert.equal(host.get().reboots, 2);
  });

  test('abort between the return and the commit: the server says so before the write, rolled back', async () => {
    const host = new FakeHost(newHostState(OLD, 'ok'));
    host.update((s) => {
      s.holdVerify = true;
    });
    // A heartbeat timeout of a minute: the SDK sends the activity's heartbeats 48 s apart, so
    // only the activity's own question before the write can learn of the cancellation in time.
    const input = testInput({ ...noWindow, timeouts: { ...testInput().timeouts, heartbeatSeconds: 60 } });
    const { result, reply } = await withWorker(createStubActivities(host), async ({ client, taskQueue }) => {
      const handle = await startUpgrade(client, taskQueue, input);
      await calledTimes(host, 'verifyKernel');
      const update = await handle.startUpdate(abortUpdate, {
        args: [{ by: 'dave', reason: 'wrong kernel' }],
        waitForStage: WorkflowUpdateStage.ACCEPTED,
      });
      await cancellationRequested(handle);
      host.update((s) => {
        s.holdVerify = false;
      });
      const answer = await update.result();
      return { result: await handle.result(), reply: answer };
    });
    assert.match(reply, /aborting after the reboot — rolling back/);
    assert.equal(result.outcome, 'rolled-back', result.reason);
    assert.match(result.reason, /wrong kernel/);
    assert.ok(
      result.timeline.some((t) =>
        /stopped before the commit \(.*the server said so.*\): nothing committed/.test(t.message),
      ),
      result.timeline.map((t) => t.message).join('\n'),
    );
    assertBackOnKnownGoodUncommitted(host.get());
  });

  test('abort once the commit is being written: refused as too late, the host keeps the new kernel', async () => {
    const host = new FakeHost(newHostState(OLD, 'ok'));
    host.update((s) => {
      s.holdCommit = true;
    });
    const { result, refusal } = await withWorker(createStubActivities(host), async ({ client, taskQueue }) => {
      const handle = await startUpgrade(client, taskQueue, testInput(noWindow));
      await calledTimes(host, 'commitKernel');
      const update = await handle.startUpdate(abortUpdate, {
        args: [{ by: 'erin', reason: 'second thoughts' }],
        waitForStage: WorkflowUpdateStage.ACCEPTED,
      });
      await cancellationRequested(handle);
      host.update((s) => {
        s.holdCommit = false;
      });
      const refused = await update.result().then(
        (ok) => assert.fail(`the abort was answered ${ok}`),
        (err: Error & { cause?: Error }) => `${err.message} ${err.cause?.message ?? ''}`,
      );
      return { result: await handle.result(), refusal: refused };
    });
    assert.match(refusal, /too late to abort: .* was committed before the abort reached it/);
    assert.equal(result.outcome, 'upgraded', result.reason);
    assert.ok(result.timeline.some((t) => /the abort by erin came after the commit/.test(t.message)));
    const s = host.get();
    assert.equal(s.savedDefault, NEW);
    assertRuleOne(s);
  });
});
