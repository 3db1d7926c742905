/**
 * releaseHeldRuns: a rollout's go (or no go) to the batch it prepared ahead, sent to every held
 * run at once. Signalled from the rollout's own history, the runs got the word one after another
 * (each signal two updates of the rollout's state, about 50 ms apart on the dev server), so a
 * batch's reboots spread over up to a second and the batch ended that much later. Here each
 * signal is one request of the worker's client, all in parallel.
 *
 * Idempotent: a run that already has its decision ignores a second one (it notes it in its
 * timeline), so a retry re-sends to every run. A run that ended before the word (its preflight
 * refused the host, or its hold expired) cannot be told anything: it is reported, and the
 * rollout reads its result. Any other failure fails the attempt.
 */
import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { parseOrThrow, releaseHeldRunsRequestSchema } from '../../shared/schemas';
import type { ReleaseHeldRunsRequest, ReleaseHeldRunsResult } from '../../shared/types';
import { rolloutDecisionSignal } from '../../workflows/definitions';

export async function releaseHeldRuns(req: ReleaseHeldRunsRequest): Promise<ReleaseHeldRunsResult> {
  const { decision, runs } = parseOrThrow(releaseHeldRunsRequestSchema, req);
  const { client } = Context.current();
  const sent = await Promise.allSettled(
    runs.map((r) => client.workflow.getHandle(r.workflowId, r.runId).signal(rolloutDecisionSignal, decision)),
  );
  const ended: string[] = [];
  const failed: string[] = [];
  sent.forEach((s, i) => {
    if (s.status === 'fulfilled') return;
    const run = runs[i] as (typeof runs)[number];
    if (s.reason instanceof WorkflowNotFoundError) ended.push(run.workflowId);
    else failed.push(`${run.workflowId}: ${(s.reason as Error).message}`);
  });
  if (failed.length > 0) {
    throw ApplicationFailure.retryable(
      `${failed.length} of ${runs.length} held run(s) did not get the rollout's ${decision.go ? 'go' : 'no go'}: ${failed.join('; ')}`,
      'SignalFailedError',
    );
  }
  return { signalled: runs.length - ended.length, ended };
}
