/**
 * awaitReturnAndCommit: the wait for the trial boot and, when the host came back on the kernel on
 * trial, its verification and commit (commitVerifiedTrial), in one activity task. With no stability
 * window nothing happens between the two but a workflow round trip (the wait's completion, a
 * workflow task, the commit's dispatch); the poll that finds the trial boot already takes the
 * verification's read (./return-read.ts), so the commit follows over the same connection.
 * docs/safety.md ("Steps run as one activity") argues why this keeps the safety argument.
 *
 * What it does is what the two activities did one after the other: awaitHostReturn's wait, then,
 * only for a host back on `thenVerify.expectedRelease`, commitVerifiedTrial's verification and,
 * only when that passed, its guarded commit. A host back on any other kernel, or not back, is the
 * workflow's to judge: nothing is verified or committed.
 *
 * An operator's abort reaches it as a cancellation (the workflow waits for its answer). The wait
 * ends at the SDK's next heartbeat after the cancellation was recorded; a verification that passed
 * asks the server once more, right before the commit's write, whether a cancellation was
 * recorded, and then commits nothing: it completes with `stoppedBeforeCommit` and the workflow
 * rolls the host back. A cancellation recorded after that question finds the commit made; the
 * workflow then tells the operator the abort came too late.
 *
 * Idempotent as its parts are: a retry waits for a boot other than the one before the reboot
 * (found at once), verifies it again and commits it again, guarded on the host by its boot id.
 */
import { Context } from '@temporalio/activity';
import { ActivityCancelledError } from '@temporalio/client';
import { InvalidInputError } from '../../shared/schemas';
import type {
  AwaitCommitRequest,
  AwaitCommitResult,
  AwaitRequest,
  AwaitResult,
  CommitVerifiedRequest,
  CommitVerifiedResult,
} from '../../shared/types';

/** The two activities it is made of (the real ones, or a test's model of them). */
export interface ReturnCommitParts {
  awaitHostReturn(req: AwaitRequest): Promise<AwaitResult>;
  /** `beforeCommit` runs between a passed verification and the commit's write; a throw stops the commit. */
  commitVerifiedTrial(req: CommitVerifiedRequest, beforeCommit: () => Promise<void>): Promise<CommitVerifiedResult>;
}

/** Thrown by the last question before the commit's write: the workflow asked this to stop. */
class StoppedBeforeCommit extends Error {}

export function returnCommitStep(parts: ReturnCommitParts) {
  return {
    async awaitReturnAndCommit(req: AwaitCommitRequest): Promise<AwaitCommitResult> {
      if (req.thenVerify === undefined) {
        throw new InvalidInputError('thenVerify: required (what to verify and commit)');
      }
      // The wait validates its request, thenVerify with it (the poll's command reads for it).
      const back = await parts.awaitHostReturn(req);
      const { expectedRelease, healthChecks } = req.thenVerify;
      if (!back.back || back.runningKernel !== expectedRelease) return { back, verified: null };
      const request: CommitVerifiedRequest = {
        target: req.target,
        expectedRelease,
        expectedBootId: back.bootId,
        healthChecks,
        ...(req.bootloader !== undefined ? { bootloader: req.bootloader } : {}),
      };
      try {
        return { back, verified: await parts.commitVerifiedTrial(request, cancellationRecorded) };
      } catch (err) {
        if (!(err instanceof StoppedBeforeCommit)) throw err;
        return { back, verified: null, stoppedBeforeCommit: err.message };
      }
    },
  };
}

/**
 * Asks the server whether the workflow cancelled this activity (a heartbeat of its own: the SDK's
 * are throttled to a fraction of the heartbeat timeout, so its word could come seconds late).
 * Throws StoppedBeforeCommit when it did. Without the worker's client (a test's mock
 * environment) only what the SDK already delivered counts.
 */
async function cancellationRecorded(): Promise<void> {
  const ctx = Context.current();
  if (ctx.cancellationSignal.aborted) throw new StoppedBeforeCommit('cancelled before the commit');
  let client: Context['client'];
  try {
    client = ctx.client;
  } catch {
    return;
  }
  try {
    await client.activity.heartbeat(ctx.info.taskToken);
  } catch (err) {
    if (err instanceof ActivityCancelledError) {
      throw new StoppedBeforeCommit('cancelled before the commit (the server said so)');
    }
    throw err;
  }
}
