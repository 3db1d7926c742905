/**
 * Records workflow histories for the replay test (test/workflow/replay.test.ts): runs
 * upgradeHostKernel through several rollback-matrix paths, and a rolloutKernel of model hosts, on
 * the dev server with stubbed activities and writes each history to test/fixtures/histories/<name>.<date>.json. Histories
 * recorded before stay: each recording adds the current code's paths beside them, and the replay
 * test replays them all, so a change without patched() fails against every generation.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { WorkflowUpdateStage, type WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { Fleet, rolloutInput, startRollout, withFleet } from '../helpers/fleet';
import { FakeHost, newHostState, createStubActivities, type TrialBehaviour } from '../helpers/fake-host';
import { OLD, testInput, withWorker, stopOwnServer } from '../helpers/temporal';
import { upgradeHostKernel } from '../../src/workflows';
import { abortUpdate, approveUpdate, statusQuery, upgradeWorkflowId } from '../../src/workflows/definitions';
import type { UpgradeHostInput } from '../../src/shared/types';
import type { RolloutInput } from '../../src/workflows/rollout-definitions';

const out = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'histories');

/** What a recording does to the run while it runs (an abort at a chosen moment). */
type During = (handle: WorkflowHandle, host: FakeHost) => Promise<void>;

async function record(
  name: string,
  trial: TrialBehaviour,
  overrides: Partial<UpgradeHostInput> = {},
  during?: During,
): Promise<void> {
  const host = new FakeHost(newHostState(OLD, trial));
  await withWorker(createStubActivities(host), async ({ client, taskQueue }) => {
    const input = testInput(overrides);
    const handle = await client.workflow.start(upgradeHostKernel, {
      taskQueue,
      workflowId: upgradeWorkflowId(input.target.host),
      args: [input],
    });
    if (input.approveBeforeReboot) {
      while ((await handle.query(statusQuery)).waitingFor !== 'approval') await new Promise((r) => setTimeout(r, 50));
      await handle.executeUpdate(approveUpdate, { args: [{ by: 'recorder' }] });
    }
    await during?.(handle, host);
    const result = await handle.result();
    save(name, await handle.fetchHistory(), result.outcome);
  });
}

/**
 * A rollout of six model hosts (canary 1, then 2, then the rest), each host a real child run;
 * with prepareAhead, each batch after the canary staged during the one before and held for its go.
 */
async function recordRollout(name: string, overrides: Partial<RolloutInput> = {}): Promise<void> {
  const fleet = new Fleet();
  const names = fleet.add(6);
  const input = rolloutInput(names, {
    strategy: { canary: 1, batches: [2, '50%'] },
    window: 'daily 00:00-24:00 UTC',
    ...overrides,
  });
  await withFleet(fleet, async (h) => {
    const handle = await startRollout(h, input);
    const result = await handle.result();
    save(name, await handle.fetchHistory(), result.outcome);
  });
}

function save(name: string, history: temporal.api.history.v1.IHistory, outcome: string): void {
  // Plain protobuf JSON (longs and enums as strings, bytes as base64): diffable, and loads
  // back with History.fromObject. (historyToJSON trips over a duplicated protobufjs here.)
  const json = temporal.api.history.v1.History.toObject(temporal.api.history.v1.History.fromObject(history), {
    longs: String,
    enums: String,
    bytes: String,
  });
  const day = new Date().toISOString().slice(0, 10);
  writeFileSync(path.join(out, `${name}.${day}.json`), `${JSON.stringify(json, null, 1)}\n`);
  process.stdout.write(`${name}: ${outcome}, ${history.events?.length ?? 0} events\n`);
}

/** An abort while the wait for the trial boot runs: its activity is cancelled, the host rolled back. */
async function abortWhileAway(handle: WorkflowHandle, host: FakeHost): Promise<void> {
  host.update((s) => {
    s.holdAwait = true;
  });
  await until(
    async () => (await handle.query(statusQuery)).phase === 'await' && (host.get().calls['awaitHostReturn'] ?? 0) > 0,
  );
  await handle.executeUpdate(abortUpdate, { args: [{ by: 'recorder', reason: 'recorded abort' }] });
  host.update((s) => {
    s.holdAwait = false;
  });
}

/** An abort once the commit's write began: refused as too late, the host keeps the new kernel. */
async function abortDuringCommit(handle: WorkflowHandle, host: FakeHost): Promise<void> {
  host.update((s) => {
    s.holdCommit = true;
  });
  await until(async () => (host.get().calls['commitKernel'] ?? 0) > 0);
  const update = await handle.startUpdate(abortUpdate, {
    args: [{ by: 'recorder', reason: 'recorded late abort' }],
    waitForStage: WorkflowUpdateStage.ACCEPTED,
  });
  await until(async () =>
    ((await handle.fetchHistory()).events ?? []).some((e) => e.activityTaskCancelRequestedEventAttributes),
  );
  host.update((s) => {
    s.holdCommit = false;
  });
  await update.result().then(
    () => {
      throw new Error('the late abort was accepted');
    },
    () => undefined,
  );
}

async function until(ok: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error('gave up waiting (30 s)');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Records every path, or those named on the command line. */
async function main(): Promise<void> {
  mkdirSync(out, { recursive: true });
  const only = process.argv.slice(2);
  const paths: Record<string, (name: string) => Promise<void>> = {
    upgraded: (n) => record(n, 'ok'),
    'upgraded-no-stability-window': (n) => record(n, 'ok', { stabilitySeconds: 0 }),
    'aborted-while-away-no-stability-window': (n) => record(n, 'ok', { stabilitySeconds: 0 }, abortWhileAway),
    'abort-too-late-no-stability-window': (n) => record(n, 'ok', { stabilitySeconds: 0 }, abortDuringCommit),
    'upgraded-with-approval': (n) => record(n, 'ok', { approveBeforeReboot: true }),
    'rolled-back-panic': (n) => record(n, 'panic'),
    'rolled-back-unhealthy': (n) => record(n, 'unhealthy'),
    'rolled-back-power-cycle': (n) => record(n, 'hang'),
    'rollout-completed': (n) => recordRollout(n),
    'rollout-prepared-ahead': (n) => recordRollout(n, { prepareAhead: true }),
  };
  const unknown = only.filter((n) => !(n in paths));
  if (unknown.length > 0) throw new Error(`unknown path(s): ${unknown.join(', ')}`);
  for (const [name, run] of Object.entries(paths)) if (only.length === 0 || only.includes(name)) await run(name);
  await stopOwnServer();
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
