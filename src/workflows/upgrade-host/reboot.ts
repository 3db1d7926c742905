/**
 * The reboot and the wait for the host's return: reboot into the trial (or any reboot step), and
 * wait for a new boot id. What the run does with the host once it is back, or when it is not, is
 * ./verify-commit.ts's.
 */
import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import { isPatched } from '../patches';
import type { AwaitRequest, AwaitResult, RebootFailureDetail, RebootResult } from '../../shared/types';
import { heartbeating, hostChanges, longRunning, nonRetryableErrorTypes } from './activities';
import { step } from './attention';
import type { HostUpgrade } from './state';

/**
 * Whether this step's reboot happened because of this run: issued now, or by an earlier attempt
 * whose answer was lost (its marker, a boot that changed only on a retry, or a host gone since).
 * Not a host that had rebooted by itself before the step asked.
 */
export function rebootWasOurs(r: RebootResult): boolean {
  return (
    r.issued ||
    r.method === 'already-requested' ||
    r.method === 'rebooted-by-earlier-attempt' ||
    r.method === 'unreachable-after-earlier-attempt'
  );
}

/** Marks runs whose reboot count includes a reboot a failed retry of the step cannot rule out. */
export const REBOOT_COUNT_LOST_ATTEMPT_PATCH = 'reboot-count-owns-lost-attempts';

/** Whether a failed reboot step says an earlier attempt of it ran (and may have rebooted the host). */
export function earlierRebootAttemptRan(err: unknown): boolean {
  const cause = err instanceof ActivityFailure ? err.cause : undefined;
  if (!(cause instanceof ApplicationFailure)) return false;
  const detail = cause.details?.[0] as Partial<RebootFailureDetail> | undefined;
  return detail?.earlierAttemptRan === true;
}

/**
 * Runs a reboot step and counts the reboot it caused in `run.rebootCount`: one issued now, one an
 * earlier attempt's lost answer left behind, or, when a retry failed (say, on a host key the
 * reboot changed), the reboot its earlier attempt may have issued. That one is counted once: a
 * later operator's retry that finds the reboot done, or issues it because it had not happened,
 * is the same reboot.
 */
export function rebootStep(
  run: HostUpgrade,
  what: string,
  activity: () => Promise<RebootResult>,
): Promise<RebootResult> {
  let countedFromFailure = false;
  return step(
    run,
    what,
    activity,
    (reboot) => {
      if (rebootWasOurs(reboot) && !countedFromFailure) run.rebootCount += 1;
      run.note(`${what}: ${reboot.method}`);
    },
    (err) => {
      if (countedFromFailure || !earlierRebootAttemptRan(err)) return;
      if (!isPatched(REBOOT_COUNT_LOST_ATTEMPT_PATCH)) return;
      run.rebootCount += 1;
      countedFromFailure = true;
      run.note(`${what}: an earlier attempt ran and may have rebooted ${run.host}; counted as a reboot`);
    },
  );
}

/**
 * Reboots into the staged trial, guarded by the boot id preflight read (not `async`, like the
 * steps in ./prepare.ts).
 */
export function rebootIntoTrial(run: HostUpgrade, bootId: string): Promise<RebootResult> {
  const { input } = run;
  run.enter('reboot', `${input.useKexec ? 'kexec' : 'rebooting'} ${run.host} into ${input.toRelease} (trial)`);
  run.rebootIssued = true;
  run.bootIdBeforeTrial = bootId;
  return rebootStep(run, 'reboot', () => {
    run.downSinceEpochMs = Date.now();
    return hostChanges.rebootHost.executeWithOptions(
      heartbeating(
        run,
        `${input.useKexec ? 'kexec' : 'reboot'} ${run.host} (guarded by boot id ${bootId.slice(0, 8)}…)`,
      ),
      [
        {
          target: input.target,
          expectedBootId: bootId,
          useKexec: input.useKexec,
          toRelease: input.toRelease,
          trialToken: run.trialToken,
          panicSeconds: input.panicSeconds,
          trialKernelArgs: input.trialKernelArgs,
          // kexec loads the kernel's files where this package manager put them.
          packageManager: run.drivers.packageManager,
        },
      ],
    );
  });
}

/** Marks runs whose wait for the host counts the time away from the reboot, not from the wait. */
export const AWAIT_FROM_REBOOT_PATCH = 'await-counts-from-reboot';

/**
 * Waits for the host to answer with a boot id other than `previousBootId`. `thenVerify`: the
 * verification and commit that follow (commitVerifiedTrial), whose read the poll that finds the
 * trial boot takes in the same command; only the activity's input changes, so runs recorded
 * before replay as they were.
 */
export async function awaitHostReturn(
  run: HostUpgrade,
  previousBootId: string,
  deadlineSeconds: number,
  why: string,
  thenVerify?: AwaitRequest['thenVerify'],
): Promise<AwaitResult> {
  const { input } = run;
  run.enter('await', `${why}: waiting up to ${deadlineSeconds}s for ${run.host} to come back with a new boot id`);
  // "back after N s" counts from the reboot or power cycle (workflow time), so an attempt retried
  // on a restarted worker does not count from its own start. Runs recorded before replay without.
  const downSince = isPatched(AWAIT_FROM_REBOOT_PATCH) ? run.downSinceEpochMs : null;
  return step(run, 'waiting for the host', () =>
    longRunning.awaitHostReturn.executeWithOptions(
      {
        startToCloseTimeout: `${deadlineSeconds + 120}s`,
        heartbeatTimeout: `${input.timeouts.heartbeatSeconds}s`,
        retry: { maximumAttempts: 10, nonRetryableErrorTypes },
        summary: `wait for ${run.host} (boot id ≠ ${previousBootId.slice(0, 8)}…), deadline ${deadlineSeconds}s`,
      },
      [
        {
          target: input.target,
          previousBootId,
          deadlineEpochMs: Date.now() + deadlineSeconds * 1000,
          pollCapSeconds: input.timeouts.pollCapSeconds,
          ...(downSince !== null ? { downSinceEpochMs: downSince } : {}),
          ...(thenVerify !== undefined ? { thenVerify } : {}),
        },
      ],
    ),
  );
}
