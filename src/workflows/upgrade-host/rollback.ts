/**
 * Back to the known-good kernel: clearing the trial state (the one-shot entry and the revert
 * timer), and, before any reboot, undoing the staging. After the reboot, a host running the new
 * kernel is rebooted back (its saved default never moved) by rollBackFromNewKernel in
 * ./verify-commit.ts, and one already back on the known-good kernel only has its trial state
 * cleared.
 */
import { isPatched } from '../patches';
import type { TrialBootRef, UpgradeResult } from '../../shared/types';
import { heartbeating, hostChanges } from './activities';
import { step } from './attention';
import type { HostUpgrade } from './state';

/** Marks runs that tell undoTrial which boot was the trial (its evidence comes from that boot). */
export const TRIAL_BOOT_EVIDENCE_PATCH = 'trial-boot-evidence';

/**
 * Marks runs that give undoTrial the host's power configuration, so that a driver with the
 * host's console (qmp with a serial log) adds its last lines to the evidence.
 */
export const CONSOLE_EVIDENCE_PATCH = 'console-evidence';

/**
 * Which boot was the trial, from what the run saw: one running the trial kernel, else the boots
 * around it (`fallbackBootId`: the boot the host came back in on the known-good kernel).
 * undefined when a reboot happened but neither is known (the activity then says it guesses).
 */
export function trialBootRef(run: HostUpgrade, fallbackBootId?: string): TrialBootRef | undefined {
  if (!run.rebootIssued) return { kind: 'no-reboot' };
  if (run.trialBootId !== null) return { kind: 'seen', trialBootId: run.trialBootId };
  if (run.bootIdBeforeTrial !== null && fallbackBootId !== undefined) {
    return { kind: 'between', bootIdBefore: run.bootIdBeforeTrial, fallbackBootId };
  }
  return undefined;
}

/**
 * Clears the one-shot entry and disarms the revert timer (optionally removing the failed kernel);
 * resolves to the saved default the host now has. `fallbackBootId`: the boot the host came back
 * in on the known-good kernel, when that is how the trial ended.
 */
export async function clearTrialState(
  run: HostUpgrade,
  failedRelease: string,
  fallbackBootId?: string,
): Promise<string | null> {
  const knownGood = run.from ?? '';
  // Runs recorded before read "the previous boot" for evidence; they replay without the marker.
  const trialBoot = isPatched(TRIAL_BOOT_EVIDENCE_PATCH) ? trialBootRef(run, fallbackBootId) : undefined;
  const power = isPatched(CONSOLE_EVIDENCE_PATCH) ? run.input.power : undefined;
  const res = await step(run, 'clearing the trial state', () =>
    hostChanges.undoTrial.executeWithOptions(
      heartbeating(run, `clear one-shot, disarm revert timer; default stays ${knownGood}`),
      [
        {
          target: run.input.target,
          knownGoodRelease: knownGood,
          failedRelease,
          removeFailedKernel: run.input.removeFailedKernel,
          ...(trialBoot !== undefined ? { trialBoot } : {}),
          ...(power !== undefined ? { power } : {}),
          bootloader: run.drivers.bootloader,
          packageManager: run.drivers.packageManager,
        },
      ],
    ),
  );
  if (res.evidence) run.note(`evidence: ${res.evidence}`);
  return res.savedEntry;
}

/** Nothing rebooted yet: clear the staging, and the host keeps running the known-good kernel. */
export async function undoStaging(run: HostUpgrade, reason: string): Promise<UpgradeResult> {
  run.enter('rollback', `${reason}; undoing the staging on ${run.host} (nothing rebooted)`);
  await clearTrialState(run, run.input.toRelease);
  return run.finish('aborted', reason, run.from);
}
