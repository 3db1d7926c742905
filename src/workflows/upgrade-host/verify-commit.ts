/**
 * The host runs the new kernel: verify it, stop the revert timer, watch it stay up for the
 * stability window with the same boot id, and only then make it the saved default (commitKernel).
 * Anything else on the way goes back to the known-good kernel (rollBackFromNewKernel) or to an
 * operator.
 *
 * The host's return is judged here too (classifyReturn: by the kernel it came back on), and a host
 * that does not come back is reset through its power driver, then handed to an operator
 * (recoverLostHost). These four call one another in a circle (a rollback reboot can lose the host,
 * whose return is then judged again), so they are one module: the reboot steps (./reboot.ts) and
 * the clearing of the trial state (./rollback.ts) are below it and import none of it.
 *
 * verifyAndCommit keeps every await in its own body, and the steps it awaits return the
 * activity's or timer's own promise (they are not `async`), so each continuation runs in the same
 * microtask as before this was split out: the replay of runs recorded before stays exact.
 */
import { condition } from '@temporalio/workflow';
import { isPatched } from '../patches';
import type {
  AwaitRequest,
  AwaitResult,
  UpgradeHostInput,
  UpgradeResult,
  VerifyRequest,
  VerifyResult,
} from '../../shared/types';
import type { ResolveAction } from '../definitions';
import { heartbeating, hostChanges, power, readOnly, type ActivityResult } from './activities';
import { OperatorGaveUp, endInNeedsAttention, needsAttention, step } from './attention';
import { awaitHostReturn, rebootStep } from './reboot';
import { clearTrialState } from './rollback';
import type { HostUpgrade } from './state';

/** Marks runs that skip the stability timer and re-check when stabilitySeconds is 0. */
const NO_ZERO_STABILITY_WINDOW_PATCH = 'no-zero-stability-window';

export async function verifyAndCommit(run: HostUpgrade, bootId: string, running: string): Promise<UpgradeResult> {
  const { input } = run;
  if (run.aborted()) return rollBackFromNewKernel(run, bootId, run.abortReason());
  if (input.stabilitySeconds === 0 && isPatched(ONE_STEP_COMMIT_PATCH)) {
    const { verdict } = await commitVerifiedTrial(run, bootId, running);
    if (!verdict.ok) {
      return rollBackFromNewKernel(run, verdict.bootId, `verification failed: ${verdict.failures.join('; ')}`);
    }
    return run.finish('upgraded', `${run.host} runs ${input.toRelease}, verified and committed`, input.toRelease);
  }
  const verdict = await verifyTrial(run, bootId, running);
  if (!verdict.ok) {
    return rollBackFromNewKernel(run, verdict.bootId, `verification failed: ${verdict.failures.join('; ')}`);
  }
  await confirmTrial(run, bootId);
  // A stability window of 0 s asks for none: no timer (the server fires even a 0 s timer about
  // a second later) and no second check; commitKernel re-reads uname -r and the boot id itself.
  // Runs recorded before this replay their timer and re-check.
  if (input.stabilitySeconds > 0 || !isPatched(NO_ZERO_STABILITY_WINDOW_PATCH)) {
    const aborted = await watchStabilityWindow(run);
    if (aborted && run.aborted()) return rollBackFromNewKernel(run, bootId, run.abortReason());
    const after = await recheckAfterStabilityWindow(run, bootId);
    if (after.bootId !== bootId) {
      // It rebooted under us: it is on the saved default (known-good) unless something is odd.
      run.note(`boot id changed during the stability window (${bootId.slice(0, 8)}… → ${after.bootId.slice(0, 8)}…)`);
      if (after.runningKernel === run.from) {
        await clearTrialState(run, input.toRelease);
        return run.finish(
          'rolled-back',
          `${input.toRelease} did not stay up for ${input.stabilitySeconds}s; host on ${run.from}`,
          run.from,
        );
      }
      return endInNeedsAttention(
        run,
        `${run.host} rebooted during the stability window and runs ${after.runningKernel}`,
        after.runningKernel,
      );
    }
    if (!after.ok) {
      return rollBackFromNewKernel(
        run,
        bootId,
        `health failed during the stability window: ${after.failures.join('; ')}`,
      );
    }
  }
  if (run.aborted()) return rollBackFromNewKernel(run, bootId, run.abortReason());
  await commitKernel(run, bootId);
  return run.finish('upgraded', `${run.host} runs ${input.toRelease}, verified and committed`, input.toRelease);
}

/**
 * Marks runs that, with no stability window, verify, confirm and commit in one activity
 * (commitVerifiedTrial); runs recorded before take three.
 */
const ONE_STEP_COMMIT_PATCH = 'verify-confirm-commit-in-one-activity';

/**
 * With no stability window nothing happens between the verification, the confirmation and the
 * commit but workflow round trips: one activity does the three on the host, the last two only
 * when the verification passed (docs/safety.md, "Steps run as one activity"). The run is in the
 * commit phase from its start, so an abort is refused as it is during a commit.
 */
function commitVerifiedTrial(
  run: HostUpgrade,
  bootId: string,
  running: string,
): Promise<ActivityResult<'commitVerifiedTrial'>> {
  const { input } = run;
  run.enter(
    'commit',
    `${run.host} runs ${running}: checking uname -r, boot id${healthWords(input.healthChecks)}; if they pass, making ${input.toRelease} the saved default`,
  );
  return step(
    run,
    'verification and commit',
    () =>
      hostChanges.commitVerifiedTrial.executeWithOptions(
        heartbeating(
          run,
          `verify ${run.host}: uname -r = ${input.toRelease}, ${input.healthChecks.length} health check(s); then saved default := ${input.toRelease}`,
        ),
        [{ ...verifyRequest(run, bootId), bootloader: run.drivers.bootloader }],
      ),
    ({ commit }) => {
      if (commit) run.note(`verified; saved default := ${input.toRelease} (${commit.savedEntry})`);
    },
  );
}

/**
 * What the poll that finds the trial boot reads for commitVerifiedTrial (only when that is the
 * next step: no stability window); with a window, nothing.
 */
export function verificationAfterReturn(run: HostUpgrade): AwaitRequest['thenVerify'] {
  const { input } = run;
  if (input.stabilitySeconds !== 0) return undefined;
  return { expectedRelease: input.toRelease, healthChecks: input.healthChecks };
}

/** uname -r, the boot id and the health checks, right after the host came back. */
function verifyTrial(run: HostUpgrade, bootId: string, running: string): Promise<VerifyResult> {
  const { input } = run;
  run.enter('verify', `${run.host} runs ${running}: checking uname -r, boot id${healthWords(input.healthChecks)}`);
  return step(run, 'verification', () =>
    readOnly.verifyKernel.executeWithOptions(
      heartbeating(
        run,
        `verify ${run.host}: uname -r = ${input.toRelease}, ${input.healthChecks.length} health check(s)`,
      ),
      [verifyRequest(run, bootId)],
    ),
  );
}

/**
 * The health checks as the status shows them: ` and 2 health checks: system-running, command
 * \`curl -fs localhost\``, so the default system-running check kernelctl adds is seen beside
 * the ones given. Only the status text: the activity's summary keeps the words recorded runs have.
 * A kind not named here shows as its kind (the checks' own modules carry zod: not in a workflow).
 */
function healthWords(checks: UpgradeHostInput['healthChecks']): string {
  if (checks.length === 0) return ' (no health checks)';
  const words = checks.map((check) => {
    const c = check as { kind: string; command?: string; unit?: string; url?: string };
    if (c.kind === 'command' && c.command !== undefined) {
      return `command \`${c.command.length > 60 ? `${c.command.slice(0, 59)}…` : c.command}\``;
    }
    if (c.kind === 'systemd-unit' && c.unit !== undefined) return `unit ${c.unit}`;
    if (c.kind === 'http' && c.url !== undefined) return `GET ${c.url}`;
    return c.kind;
  });
  return ` and ${checks.length} health check${checks.length === 1 ? '' : 's'}: ${words.join(', ')}`;
}

/** Healthy: the host-side revert timer is no longer needed. */
function confirmTrial(run: HostUpgrade, bootId: string): Promise<ActivityResult<'confirmTrial'>> {
  return step(run, 'confirming the trial', () =>
    hostChanges.confirmTrial.executeWithOptions(heartbeating(run, `stop the revert timer on ${run.host}`), [
      { target: run.input.target, toRelease: run.input.toRelease, expectedBootId: bootId },
    ]),
  );
}

/** Resolves to true when an abort came during the window, false when the window passed. */
function watchStabilityWindow(run: HostUpgrade): Promise<boolean> {
  const seconds = run.input.stabilitySeconds;
  run.enter('stability', `healthy; watching ${run.host} stay up for ${seconds}s`);
  return condition(() => run.abortRequest !== null, `${seconds}s`, { summary: `stability window ${seconds}s` });
}

/** The same checks again: a boot id that changed means the host rebooted during the window. */
function recheckAfterStabilityWindow(run: HostUpgrade, bootId: string): Promise<VerifyResult> {
  return step(run, 'stability check', () =>
    readOnly.verifyKernel.executeWithOptions(heartbeating(run, `re-check ${run.host} after the stability window`), [
      verifyRequest(run, bootId),
    ]),
  );
}

function verifyRequest(run: HostUpgrade, bootId: string): VerifyRequest {
  const { input } = run;
  return {
    target: input.target,
    expectedRelease: input.toRelease,
    expectedBootId: bootId,
    healthChecks: input.healthChecks,
  };
}

/** The one step that moves GRUB's saved default to the new kernel. */
function commitKernel(run: HostUpgrade, bootId: string): Promise<ActivityResult<'commitKernel'>> {
  const { input } = run;
  run.enter('commit', `making ${input.toRelease} the saved default on ${run.host}`);
  return step(run, 'commit', () =>
    hostChanges.commitKernel.executeWithOptions(
      heartbeating(run, `saved default := ${input.toRelease} on ${run.host}`),
      [
        {
          target: input.target,
          toRelease: input.toRelease,
          expectedBootId: bootId,
          bootloader: run.drivers.bootloader,
        },
      ],
    ),
  );
}

/** Host is running the new kernel but must not keep it: back to the known-good kernel. */
export async function rollBackFromNewKernel(run: HostUpgrade, bootId: string, why: string): Promise<UpgradeResult> {
  const { input, host } = run;
  const knownGood = run.from ?? '';
  if (knownGood === input.toRelease) {
    // Found already running the target (an earlier run or a human rebooted it): no
    // known-good kernel is on record to go back to, so a person decides.
    return endInNeedsAttention(run, `${why}; ${host} already ran ${input.toRelease} when this run started`, knownGood);
  }
  run.enter('rollback', `${why}; rebooting ${host} into ${knownGood}`);
  await clearTrialState(run, input.toRelease);
  await rebootStep(run, 'rollback reboot', () => {
    run.downSinceEpochMs = Date.now();
    return hostChanges.rebootHost.executeWithOptions(heartbeating(run, `reboot ${host} back into ${knownGood}`), [
      {
        target: input.target,
        expectedBootId: bootId,
        useKexec: false,
        toRelease: knownGood,
        trialToken: '',
        panicSeconds: input.panicSeconds,
        trialKernelArgs: [],
      },
    ]);
  });
  const back = await awaitHostReturn(run, bootId, input.timeouts.bootDeadlineSeconds, 'rollback reboot');
  if (!back.back) {
    return recoverLostHost(run, bootId, `did not return from the rollback reboot: ${back.lastError}`, why);
  }
  if (back.runningKernel !== knownGood) {
    return endInNeedsAttention(
      run,
      `${host} came back from the rollback on ${back.runningKernel}, expected ${knownGood}`,
      back.runningKernel,
    );
  }
  return run.finish('rolled-back', why, back.runningKernel);
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
