/** Starting a host's upgrade on the test dev server and waiting for a phase, for the workflow tests. */
import assert from 'node:assert/strict';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { upgradeHostKernel } from '../../src/workflows';
import { statusQuery, upgradeWorkflowId } from '../../src/workflows/definitions';
import type { Phase, UpgradeHostInput } from '../../src/shared/types';

export async function startUpgrade(client: Client, taskQueue: string, input: UpgradeHostInput) {
  return client.workflow.start(upgradeHostKernel, {
    taskQueue,
    workflowId: upgradeWorkflowId(input.target.host),
    args: [input],
  });
}

/** Polls the status query until the run is in `phase`; fails if it ends first or the time runs out. */
export async function waitForPhase(handle: WorkflowHandle, phase: Phase, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = await handle.query(statusQuery);
    if (s.phase === phase) return;
    if (s.outcome) assert.fail(`workflow ended (${s.outcome}) before reaching ${phase}: ${s.details}`);
    if (Date.now() > deadline) assert.fail(`phase ${phase} not reached; still ${s.phase}: ${s.details}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
