/**
 * The batches: what holds the next batch back (the approval after the canary, the pause between
 * batches, an operator's pause, the maintenance window), and running one batch, its hosts
 * concurrently but at most maxUnavailable at once.
 *
 * startNextBatch and waitAtNextGate are not `async`: they return the promise the batch loop awaits
 * (a timer, a condition, the batch), so the loop goes on in the same microtask as when this code
 * was inline — hosts run concurrently, and the order of their commands depends on it.
 */
import { condition } from '@temporalio/workflow';
import { batchSizeAt, describeWait, nextWindowStart } from '../../shared/rollout-plan';
import { runHost } from './hosts';
import { endHold } from './prepare-ahead';
import type { Rollout } from './state';

/**
 * The wait for the first gate that is closed, or null when every gate is open. After any wait the
 * loop looks at everything again (an abort, a pause or a new host may have come meanwhile).
 */
export function waitAtNextGate(r: Rollout): Promise<unknown> | null {
  const { input } = r;
  const gateOpen = !input.approveAfterCanary || input.strategy.canary === 0 || r.batchesStarted !== 1;
  if (!gateOpen && r.approvedBy === null) {
    r.enter('waiting-for-approval', 'approval');
    return condition(() => r.approvedBy !== null || r.isAborted());
  }
  if (r.pauseOwed) {
    r.pauseOwed = false;
    if (input.pauseBetweenBatchesSeconds > 0) {
      r.enter('between-batches', 'pause-between-batches');
      return condition(() => r.isAborted(), `${input.pauseBetweenBatchesSeconds}s`, {
        summary: `pause ${input.pauseBetweenBatchesSeconds}s between batches`,
      });
    }
  }
  if (r.isPaused()) {
    r.enter('paused', 'resume');
    return condition(() => !r.isPaused() || r.isAborted());
  }
  if (input.window) {
    const waitMs = nextWindowStart(input.window, new Date());
    if (waitMs > 0) {
      r.windowOpensAt = Date.now() + waitMs;
      r.enter('waiting-for-window', 'window');
      return condition(() => r.isAborted() || r.isPaused(), waitMs, {
        summary: `wait ${describeWait(waitMs)} for the window ${input.window}`,
      });
    }
  }
  return null;
}

/** Starts the next batch: the batch prepared ahead gets its go, or the next pending hosts start. */
export function startNextBatch(r: Rollout, pending: string[]): { hosts: string[]; running: Promise<void> } {
  const current = r.preparedAhead();
  r.ahead = null;
  const hosts = current
    ? current.hosts
    : pending.slice(0, batchSizeAt(r.input.strategy, r.batchesStarted, r.order.length));
  r.batchesStarted += 1;
  r.enter('running', 'hosts');
  const running = current
    ? endHold(r, current, true, `batch ${current.batch} of rollout ${r.input.rolloutId} goes`)
    : runBatch(r, hosts, r.batchesStarted);
  return { hosts, running };
}

/** Starts the batch's hosts, at most maxUnavailable at once, and waits for all of them. */
async function runBatch(r: Rollout, hosts: string[], batch: number): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < hosts.length && !r.isAborted() && !r.isHalted()) {
      if (r.isPaused()) {
        await condition(() => !r.isPaused() || r.isAborted());
        continue;
      }
      const host = hosts[next++] as string;
      await runHost(r, host, batch);
    }
  };
  const lanes = Math.min(hosts.length, r.input.strategy.maxUnavailable ?? hosts.length);
  await Promise.all(Array.from({ length: lanes }, lane));
}
