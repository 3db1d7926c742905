/**
 * The trial's return with no stability window: the wait for the host and its verification and
 * commit in one activity (awaitReturnAndCommit), one workflow round trip where they took two
 * (docs/safety.md, "Steps run as one activity"). What the run does with what it found is
 * ./verify-commit.ts's: the same rollback, the same recovery of a host that is not back, the same
 * judgement of a host back on another kernel.
 *
 * An abort while the activity runs cancels it, and the run waits for its answer
 * (WAIT_CANCELLATION_COMPLETED): either it stopped (the wait ended, or a passed verification found
 * the cancellation before the commit's write), and the host is rolled back, or the commit was made
 * first, and the abort's caller hears that it came too late (./handlers.ts). The run never acts
 * on an abort while the activity might still commit.
 */
import {
  ActivityCancellationType,
  ApplicationFailure,
  CancellationScope,
  condition,
  isCancellation,
} from '@temporalio/workflow';
import { isPatched } from '../patches';
import type { AwaitCommitResult, UpgradeResult } from '../../shared/types';
import { longRunning, nonRetryableErrorTypes } from './activities';
import { step } from './attention';
import type { HostUpgrade } from './state';
import { classifyReturn, recoverLostHost, rollBackFromNewKernel } from './verify-commit';

/** Marks runs that, with no stability window, wait for the trial boot and commit it in one activity. */
export const AWAIT_AND_COMMIT_PATCH = 'await-verify-commit-in-one-activity';

/** Why the trial reboot's return is judged (the reason of a rollback after a fall back). */
export const TRIAL_RETURN_WHY = 'panic=N or the revert timer brought it back';

/**
 * Whether this run waits for its trial boot and commits it in one activity: no stability window
 * (nothing to wait for between the two), no abort yet, and a run started with the change.
 */
export function commitsOnReturn(run: HostUpgrade): boolean {
  return run.input.stabilitySeconds === 0 && !run.aborted() && isPatched(AWAIT_AND_COMMIT_PATCH);
}

/**
 * The trial boot's return, verified and committed in one activity; null when an abort stopped the
 * activity before the host was back (the run then waits for it as before, and rolls it back).
 */
export async function returnAndCommit(run: HostUpgrade, bootId: string): Promise<UpgradeResult | null> {
  const { input, host } = run;
  const r = await awaitReturnAndCommit(run, bootId);
  if (r === null) return null;
  const { back } = r;
  if (!back.back) {
    return recoverLostHost(
      run,
      bootId,
      `not back within ${input.timeouts.bootDeadlineSeconds}s: ${back.lastError}`,
      'the trial kernel did not come back in time',
    );
  }
  if (r.verified === null && r.stoppedBeforeCommit === undefined) return classifyReturn(run, back, TRIAL_RETURN_WHY);
  run.note(`back after ${back.secondsAway}s on ${back.runningKernel} (boot id ${back.bootId.slice(0, 8)}…)`);
  run.trialBootId ??= back.bootId;
  if (r.verified === null) {
    run.note(`stopped before the commit (${r.stoppedBeforeCommit ?? 'cancelled'}): nothing committed`);
    return rollBackFromNewKernel(run, back.bootId, run.abortReason());
  }
  const { verdict, commit } = r.verified;
  if (!verdict.ok) {
    return rollBackFromNewKernel(run, verdict.bootId, `verification failed: ${verdict.failures.join('; ')}`);
  }
  if (commit) run.note(`verified; saved default := ${input.toRelease} (${commit.savedEntry})`);
  if (run.abortRequest)
    run.note(`the abort by ${run.abortRequest.by} came after the commit: ${host} keeps ${input.toRelease}`);
  return run.finish('upgraded', `${host} runs ${input.toRelease}, verified and committed`, input.toRelease);
}

/** The activity, as a step (a failure waits for an operator), cancelled by an abort. */
function awaitReturnAndCommit(run: HostUpgrade, bootId: string): Promise<AwaitCommitResult | null> {
  const { input } = run;
  const deadlineSeconds = input.timeouts.bootDeadlineSeconds;
  run.enter(
    'await',
    `trial reboot: waiting up to ${deadlineSeconds}s for ${run.host} to come back with a new boot id; then checking uname -r, boot id and health, and making ${input.toRelease} the saved default if they pass`,
  );
  return step(run, 'waiting for the host, verification and commit', () => {
    // An abort that came while an operator looked at a failure of this step: no commit now.
    if (run.aborted()) return Promise.resolve(null);
    return untilAborted(run, () =>
      longRunning.awaitReturnAndCommit.executeWithOptions(
        {
          // The wait's deadline, then the verification and commit (a commit's own bound).
          startToCloseTimeout: `${deadlineSeconds + 600}s`,
          heartbeatTimeout: `${input.timeouts.heartbeatSeconds}s`,
          retry: { maximumAttempts: 10, nonRetryableErrorTypes },
          cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
          summary: `wait for ${run.host} (boot id ≠ ${bootId.slice(0, 8)}…), deadline ${deadlineSeconds}s; verify; saved default := ${input.toRelease}`,
        },
        [
          {
            target: input.target,
            previousBootId: bootId,
            deadlineEpochMs: Date.now() + deadlineSeconds * 1000,
            pollCapSeconds: input.timeouts.pollCapSeconds,
            ...(run.downSinceEpochMs !== null ? { downSinceEpochMs: run.downSinceEpochMs } : {}),
            thenVerify: { expectedRelease: input.toRelease, healthChecks: input.healthChecks },
            bootloader: run.drivers.bootloader,
          },
        ],
      ),
    );
  });
}

/**
 * Runs `start` in a scope an abort cancels; null when the abort's cancellation stopped it. Keeps
 * run.commitOnReturn, which the abort's answer waits on.
 */
async function untilAborted(
  run: HostUpgrade,
  start: () => Promise<AwaitCommitResult>,
): Promise<AwaitCommitResult | null> {
  const scope = new CancellationScope();
  let settled = false;
  run.commitOnReturn = 'in-flight';
  void condition(() => settled || run.abortRequest !== null).then(() => {
    if (!settled) scope.cancel();
  });
  try {
    const r = await scope.run(start);
    run.commitOnReturn = r.verified?.commit ? 'committed' : 'not-committed';
    return r;
  } catch (err) {
    run.commitOnReturn = 'not-committed';
    if (run.abortRequest !== null && isCancellation(err)) return null;
    throw err;
  } finally {
    settled = true;
  }
}

/**
 * The answer to an abort that came while the activity ran: once it settled, a rollback, or a
 * refusal when the commit was made first (an update that fails: the caller hears why).
 */
export async function abortAnswerAfterReturn(run: HostUpgrade): Promise<string> {
  await condition(() => run.commitOnReturn !== 'in-flight');
  if (run.commitOnReturn === 'committed') {
    throw ApplicationFailure.nonRetryable(
      `${run.host}: too late to abort: it came back on ${run.input.toRelease}, passed verification and was committed before the abort reached it`,
      'TooLateToAbort',
    );
  }
  return `${run.host}: aborting after the reboot — rolling back to ${run.from ?? 'the known-good kernel'}`;
}
