/**
 * prepareAhead: while a batch reboots, the next batch preflights, installs and stages, then holds
 * before its own reboot (holdForRollout) until its turn. Only reboots are serialised; a halt or
 * abort tells the held runs no go, and each undoes its staging (the new kernel stays installed,
 * the known-good kernel stays the default).
 */
import { condition, proxyLocalActivities, workflowInfo } from '@temporalio/workflow';
import { isPatched } from '../patches';
import type { RolloutActivities } from '../../activities/rollout';
import { batchSizeAt } from '../../shared/rollout-plan';
import { decide, finishHost, startHost } from './hosts';
import type { Ahead, HostRun, Rollout } from './state';

/** The held batch hears its decision from one local activity, all runs at once (not one signal each). */
export const RELEASE_AT_ONCE_PATCH = 'release-held-batch-at-once';

/**
 * A local activity: it runs in the worker that runs the rollout's workflow task, no task queue
 * between. If the word cannot be sent in five attempts (about 15 s of retries) or two minutes,
 * the rollout signals each run itself. The attempts bound it: the SDK kept retrying a local
 * activity that failed with a retryable error (a signal the server refused) for 19 minutes past
 * its schedule-to-close timeout, the batch held all that time (test:prod, 2026-12-06).
 */
const { releaseHeldRuns } = proxyLocalActivities<RolloutActivities>({
  startToCloseTimeout: '30 seconds',
  scheduleToCloseTimeout: '2 minutes',
  retry: {
    initialInterval: '1 second',
    maximumInterval: '15 seconds',
    maximumAttempts: 5,
    nonRetryableErrorTypes: ['InvalidInputError'],
  },
});

/**
 * Once this batch's hosts are rebooting (or done), prepares the next batch during their boot.
 * Not sooner, so it does not slow this batch's own steps; not across the approval after the
 * canary, nor when a continueAsNew is due. Not `async`: the batch loop awaits the very promise.
 */
export function prepareNextBatchDuringReboots(r: Rollout, hosts: string[], historyLong: boolean): Promise<void> {
  const { input } = r;
  const approvalNext = input.approveAfterCanary && input.strategy.canary > 0 && r.batchesStarted === 1;
  if (input.prepareAhead !== true || approvalNext || historyLong) return Promise.resolve();
  const batchIndex = r.batchesStarted;
  const away = (h: string): boolean => {
    const e = r.entries.get(h);
    // Rebooting, done, or back to pending (a held run that gave up waiting).
    return e === undefined || e.phase !== 'upgrading' || e.rebooting === true;
  };
  return (async () => {
    await condition(() => hosts.every(away) || r.isAborted() || r.isHalted());
    // Paused: no new host starts, prepared or not; the next batch starts after resume.
    if (r.isAborted() || r.isHalted() || r.isPaused()) return;
    const inThis = new Set(hosts);
    const next = r
      .pendingHosts()
      .filter((h) => !inThis.has(h))
      .slice(0, batchSizeAt(input.strategy, batchIndex, r.order.length));
    if (next.length > 0) r.ahead = prepareBatch(r, next, batchIndex + 1);
    r.refreshDetails();
  })();
}

/** Starts the next batch's runs now, each held after staging until the batch's turn. */
function prepareBatch(r: Rollout, hosts: string[], batch: number): Ahead {
  const runs = new Map<string, Promise<HostRun | null>>();
  for (const h of hosts) runs.set(h, startHost(r, h, batch, true));
  return { batch, hosts, runs };
}

/**
 * Ends the prepared batch's hold: go (its turn: every held run reboots) or no go (the rollout
 * stops: each undoes its staging and is recorded as not started); then records the outcomes.
 */
export async function endHold(r: Rollout, a: Ahead, go: boolean, reason: string): Promise<void> {
  // Rollouts recorded before the patch signalled each held run from their own history.
  if (!isPatched(RELEASE_AT_ONCE_PATCH)) return endHoldOneByOne(r, a, go, reason);
  const runs = await Promise.all(a.hosts.map((h) => a.runs.get(h) ?? Promise.resolve(null)));
  const held = runs.filter((run): run is HostRun => run !== null);
  if (held.length > 0) await tellAtOnce(held, go, reason);
  await Promise.all(
    a.hosts.map(async (host, i) => {
      const run = runs[i];
      if (run) await finishHost(r, host, run, true, !go);
    }),
  );
}

/** Every held run gets the decision in one local activity; if that fails, one signal each. */
async function tellAtOnce(held: HostRun[], go: boolean, reason: string): Promise<void> {
  try {
    await releaseHeldRuns({
      decision: { go, by: workflowInfo().workflowId, reason },
      runs: held.map((run) => ({ workflowId: run.workflowId, runId: run.firstExecutionRunId })),
    });
  } catch {
    // A duplicate decision is ignored by a run that has one; a run that ended ignores it too.
    await Promise.all(held.map((run) => decide(run, go, reason)));
  }
}

async function endHoldOneByOne(r: Rollout, a: Ahead, go: boolean, reason: string): Promise<void> {
  await Promise.all(
    a.hosts.map(async (host) => {
      const run = await a.runs.get(host);
      if (!run) return;
      await decide(run, go, reason);
      await finishHost(r, host, run, true, !go);
    }),
  );
}
