/**
 * The reboot and the host's return: reboot into the trial, wait for a new boot id, and decide by
 * the kernel the host came back on. A host that does not come back is reset through its power
 * driver, then handed to an operator.
 *
 * These steps call each other in a circle with ./verify-commit.ts and ./rollback.ts (a rollback
 * reboot can lose the host, whose return is then judged again), so each module imports the others'
 * functions only to call them.
 */
import { ActivityFailure, ApplicationFailure, patched } from '@temporalio/workflow';
import type { AwaitResult, RebootFailureDetail, RebootResult, UpgradeResult } from '../../shared/types';
import type { ResolveAction } from '../definitions';
import { heartbeating, hostChanges, longRunning, nonRetryableErrorTypes, power } from './activities';
import { OperatorGaveUp, endInNeedsAttention, needsAttention, step } from './attention';
import { clearTrialState } from './rollback';
import type { HostUpgrade } from './state';
import { verifyAndCommit } from './verify-commit';

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
      if (!patched(REBOOT_COUNT_LOST_ATTEMPT_PATCH)) return;
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

/** Waits for the host to answer with a boot id other than `previousBootId`. */
export async function awaitHostReturn(
  run: HostUpgrade,
  previousBootId: string,
  deadlineSeconds: number,
  why: string,
): Promise<AwaitResult> {
  const { input } = run;
  run.enter('await', `${why}: waiting up to ${deadlineSeconds}s for ${run.host} to come back with a new boot id`);
  // "back after N s" counts from the reboot or power cycle (workflow time), so an attempt retried
  // on a restarted worker does not count from its own start. Runs recorded before replay without.
  const downSince = patched(AWAIT_FROM_REBOOT_PATCH) ? run.downSinceEpochMs : null;
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
        },
      ],
    ),
  );
}

/** The host did not come back: power driver, wait again, then an operator. */
export async function recoverLostHost(
  run: HostUpgrade,
  bootId: string,
  reason: string,
  why: string,
): Promise<UpgradeResult> {
  const { input } = run;
  let lastReason = reason;
  for (;;) {
    run.enter('power-cycle', `${lastReason}; resetting ${run.host} through the ${input.power.driver} power driver`);
    let cycleStartedAt = Date.now();
    const res = await step(run, 'power cycle', () => {
      cycleStartedAt = Date.now();
      return power.powerCycle.executeWithOptions(heartbeating(run, `power-cycle ${run.host} (${input.power.driver})`), [
        { host: run.host, power: input.power },
      ]);
    });
    run.note(res.message);
    if (res.performed) {
      run.rebootCount += 1;
      run.downSinceEpochMs = cycleStartedAt;
      const back = await awaitHostReturn(
        run,
        bootId,
        input.timeouts.powerCycleDeadlineSeconds,
        'after the power cycle',
      );
      if (back.back) return classifyReturn(run, back, why);
      lastReason = `not back after the power cycle: ${back.lastError}`;
    }
    let action: ResolveAction;
    try {
      action = await needsAttention(
        run,
        res.performed ? lastReason : `${lastReason}; no power action was possible (${res.message})`,
      );
    } catch (err) {
      if (err instanceof OperatorGaveUp) return run.finish('needs-attention', err.message, null);
      throw err;
    }
    if (action === 'mark-fixed') {
      const back = await awaitHostReturn(
        run,
        bootId,
        input.timeouts.bootDeadlineSeconds,
        'operator says the host is fixed',
      );
      if (back.back) return classifyReturn(run, back, why);
      lastReason = `still not back after the operator's fix: ${back.lastError}`;
    }
  }
}

/** The host answered with a new boot id: decide by the kernel it runs. */
export async function classifyReturn(
  run: HostUpgrade,
  back: Extract<AwaitResult, { back: true }>,
  why: string,
): Promise<UpgradeResult> {
  const { input, from } = run;
  run.note(`back after ${back.secondsAway}s on ${back.runningKernel} (boot id ${back.bootId.slice(0, 8)}…)`);
  if (back.runningKernel === from) {
    run.enter('rollback', `${run.host} came back on the known-good kernel ${from}: the trial did not survive`);
    await clearTrialState(run, input.toRelease, back.bootId);
    const reason = run.aborted()
      ? `${run.abortReason()}; host on ${from}`
      : `trial of ${input.toRelease} failed (${why}); the host fell back to ${from}`;
    return run.finish('rolled-back', reason, back.runningKernel);
  }
  if (back.runningKernel !== input.toRelease) {
    return endInNeedsAttention(
      run,
      `${run.host} came back on ${back.runningKernel}, neither ${input.toRelease} nor the known-good ${from}`,
      back.runningKernel,
    );
  }
  run.trialBootId ??= back.bootId;
  return verifyAndCommit(run, back.bootId, back.runningKernel);
}
