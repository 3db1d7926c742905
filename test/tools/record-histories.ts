/**
 * Records workflow histories for the replay test (test/workflow/replay.test.ts): runs
 * upgradeHostKernel through several rollback-matrix paths on the dev server with stubbed
 * activities and writes each history to test/fixtures/histories/<name>.<date>.json. Histories
 * recorded before stay: each recording adds the current code's paths beside them, and the replay
 * test replays them all, so a change without patched() fails against every generation.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { temporal } from '@temporalio/proto';
import { FakeHost, newHostState, createStubActivities, type TrialBehaviour } from '../helpers/fake-host';
import { OLD, testInput, withWorker, stopOwnServer } from '../helpers/temporal';
import { upgradeHostKernel } from '../../src/workflows';
import { approveUpdate, statusQuery, upgradeWorkflowId } from '../../src/workflows/definitions';
import type { UpgradeHostInput } from '../../src/shared/types';

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
    const history = await handle.fetchHistory();
    // Plain protobuf JSON (longs and enums as strings, bytes as base64): diffable, and loads
    // back with History.fromObject. (historyToJSON trips over a duplicated protobufjs here.)
    const json = temporal.api.history.v1.History.toObject(temporal.api.history.v1.History.fromObject(history), {
      longs: String,
      enums: String,
      bytes: String,
    });
    const day = new Date().toISOString().slice(0, 10);
    writeFileSync(path.join(out, `${name}.${day}.json`), `${JSON.stringify(json, null, 1)}\n`);
    process.stdout.write(`${name}: ${result.outcome}, ${history.events?.length ?? 0} events\n`);
  });
}

async function main(): Promise<void> {
  mkdirSync(out, { recursive: true });
  await record('upgraded', 'ok');
  await record('upgraded-no-stability-window', 'ok', { stabilitySeconds: 0 });
  await record('upgraded-with-approval', 'ok', { approveBeforeReboot: true });
  await record('rolled-back-panic', 'panic');
  await record('rolled-back-unhealthy', 'unhealthy');
  await record('rolled-back-power-cycle', 'hang');
  await stopOwnServer();
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
