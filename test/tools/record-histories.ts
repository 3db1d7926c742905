/**
 * Records workflow histories for the replay test (test/workflow/replay.test.ts): runs
 * upgradeHostKernel through several rollback-matrix paths, and a rolloutKernel of model hosts, on
 * the dev server with stubbed activities and writes each history to test/fixtures/histories/<name>.<date>.json. Histories
 * recorded before stay: each recording adds the current code's paths beside them, and the replay
 * test replays them all, so a change without patched() fails against every generation.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { temporal } from '@temporalio/proto';
import { Fleet, rolloutInput, startRollout, withFleet } from '../helpers/fleet';
import { FakeHost, newHostState, createStubActivities, type TrialBehaviour } from '../helpers/fake-host';
import { OLD, testInput, withWorker, stopOwnServer } from '../helpers/temporal';
import { upgradeHostKernel } from '../../src/workflows';
import { approveUpdate, statusQuery, upgradeWorkflowId } from '../../src/workflows/definitions';
import type { UpgradeHostInput } from '../../src/shared/types';
import type { RolloutInput } from '../../src/workflows/rollout-definitions';

const out = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'histories');

async function record(name: string, trial: TrialBehaviour, overrides: Partial<UpgradeHostInput> = {}): Promise<void> {
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

/** Records every path, or those named on the command line. */
async function main(): Promise<void> {
  mkdirSync(out, { recursive: true });
  const only = process.argv.slice(2);
  const paths: Record<string, (name: string) => Promise<void>> = {
    upgraded: (n) => record(n, 'ok'),
    'upgraded-no-stability-window': (n) => record(n, 'ok', { stabilitySeconds: 0 }),
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
