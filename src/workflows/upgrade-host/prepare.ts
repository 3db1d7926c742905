/**
 * Before the reboot: read the host, pin the known-good kernel, install the new one, stage its
 * trial boot. Nothing here reboots, so an abort up to the reboot only undoes the staging.
 *
 * These steps return the activity's promise without being `async` themselves: the main sequence
 * awaits that very promise, so each continuation runs in the same microtask as when these steps
 * were written inline. That keeps the order of commands and update responses within one workflow
 * task, and with it the replay of runs recorded before, exactly as it was.
 */
import { isPatched } from '../patches';
import type { HostFacts, InstallSource, StageRequest, UpgradeResult } from '../../shared/types';
import { describeFailure, failedPart, failureType } from '../failure';
import { heartbeating, hostChanges, longRunning, readOnly, type ActivityResult } from './activities';
import { step } from './attention';
import type { HostUpgrade } from './state';

/** Marks runs whose requests name the drivers preflight found (runs recorded before name GRUB and dpkg). */
export const DRIVER_KINDS_PATCH = 'driver-kinds-from-preflight';

/** What drove every run recorded before requests named their drivers: the only drivers there were. */
export const LEGACY_DRIVERS = { bootloader: 'grub-debian', packageManager: 'dpkg' } as const;

/**
 * The drivers every later request names: the bootloader and the package manager preflight found.
 * Runs recorded before this (no marker) name GRUB on Debian and dpkg explicitly, which is what
 * drove them; the activities themselves have no default. A preflight result without the fields
 * (written by a worker from before them: one that knew no other driver, and refused a host
 * without GRUB entries) is read the same way. A kind preflight could not name stays absent, and
 * the step that needs it refuses.
 */
export function takeDrivers(run: HostUpgrade, facts: HostFacts): void {
  if (!isPatched(DRIVER_KINDS_PATCH)) {
    run.drivers = { ...LEGACY_DRIVERS };
    return;
  }
  const recorded = facts as Partial<HostFacts>;
  const bootloader = recorded.bootloader ? (recorded.bootloader.kind ?? undefined) : LEGACY_DRIVERS.bootloader;
  const packageManager = recorded.packageManager ?? LEGACY_DRIVERS.packageManager;
  run.drivers = { bootloader, packageManager };
  run.bootloaderLabel = recorded.bootloader?.label ?? null;
  run.publishDetails();
  run.note(`bootloader ${bootloader ?? '(none found)'}, package manager ${packageManager}`);
}

/**
 * The host no longer shows the bootloader preflight found, seen by the pin: nothing is installed
 * yet and the pin changed nothing, so the run stops there, the host on its known-good kernel.
 */
export class BootloaderChangedBeforeInstall extends Error {}

/** Preflight: what the host runs and whether anything stands in the way. Changes nothing. */
export function readHostFacts(run: HostUpgrade): Promise<HostFacts> {
  const { input } = run;
  run.enter('preflight', `reading facts from ${run.host}`);
  return readOnly.preflight.executeWithOptions(heartbeating(run, `preflight ${run.host}`), [
    { target: input.target, toRelease: input.toRelease, source: input.source, useKexec: input.useKexec },
  ]);
}

/** Takes the running kernel as the known-good one and notes what preflight saw. */
export function noteHostFacts(run: HostUpgrade, facts: HostFacts): void {
  run.from = facts.runningKernel;
  run.note(
    `${facts.distroId} ${facts.distroVersion}, running ${facts.runningKernel}, boot id ${facts.bootId.slice(0, 8)}…, /boot free ${Math.round(facts.bootFreeBytes / 1048576)} MiB`,
  );
  for (const w of facts.warnings) run.note(`warning: ${w}`);
}

/** Preflight refused the host, or an abort came meanwhile: the run ends with nothing changed. */
export function endBeforeAnyChange(run: HostUpgrade, facts: HostFacts): UpgradeResult | null {
  if (facts.refusals.length > 0) {
    return run.finish('refused', `${facts.refusals.join('; ')}; nothing was changed`, facts.runningKernel);
  }
  if (run.aborted()) return run.finish('aborted', `${run.abortReason()}; nothing was changed`, run.from);
  return null;
}

/**
 * Makes the running kernel GRUB's saved default before anything is installed, so even an
 * unplanned reboot from here on boots the known-good kernel.
 */
export function pinKnownGood(run: HostUpgrade, knownGood: string): Promise<ActivityResult<'pinKnownGood'>> {
  run.enter('install', `pinning ${knownGood} as the saved default, then installing ${run.input.toRelease}`);
  return step(
    run,
    'pinning the known-good kernel',
    () =>
      hostChanges.pinKnownGood.executeWithOptions(heartbeating(run, `saved default := ${knownGood} (known-good)`), [
        { target: run.input.target, knownGoodRelease: knownGood, bootloader: run.drivers.bootloader },
      ]),
    (pin) => {
      if (pin.fixedGrubDefault) {
        run.note(`${pin.configurationChange ?? 'GRUB_DEFAULT set to saved'} (backup ${pin.backupPath ?? 'kept'})`);
      }
    },
    (err) => {
      // Before the install a changed bootloader needs no operator: stop, nothing installed.
      if (failureType(err) === 'BootloaderChangedError') throw new BootloaderChangedBeforeInstall(describeFailure(err));
    },
  );
}

export function installKernel(run: HostUpgrade): Promise<ActivityResult<'installKernel'>> {
  const { input } = run;
  return step(
    run,
    'install',
    () =>
      longRunning.installKernel.executeWithOptions(heartbeating(run, installAction(input.source)), [
        {
          target: input.target,
          toRelease: input.toRelease,
          source: input.source,
          packageManager: run.drivers.packageManager,
        },
      ]),
    (installed) =>
      run.note(
        installed.alreadyInstalled
          ? `${installed.packageName} already installed`
          : `installed ${installed.packageName} in ${installed.seconds}s`,
      ),
  );
}

/**
 * Stages the new kernel as a one-shot trial (next_entry, or kexec) with panic=N and a host-side
 * revert timer; the saved default stays on the known-good kernel.
 */
export function stageTrialBoot(run: HostUpgrade, knownGood: string): Promise<ActivityResult<'stageTrialBoot'>> {
  const { input } = run;
  run.enter(
    'stage',
    `${input.useKexec ? 'kexec' : `one-shot ${run.drivers.bootloader ?? 'bootloader'}`} trial of ${input.toRelease} with panic=${input.panicSeconds}; revert timer ${input.revertAfterSeconds}s`,
  );
  return step(run, 'staging', () =>
    hostChanges.stageTrialBoot.executeWithOptions(
      heartbeating(run, `stage one-shot ${input.toRelease}, panic=${input.panicSeconds}, revert timer`),
      [stageRequest(run, knownGood)],
    ),
  );
}

/** What staging the trial needs, alone (stageTrialBoot) or as prepareTrialBoot's last part. */
function stageRequest(run: HostUpgrade, knownGood: string): StageRequest {
  const { input } = run;
  return {
    target: input.target,
    knownGoodRelease: knownGood,
    toRelease: input.toRelease,
    panicSeconds: input.panicSeconds,
    trialKernelArgs: input.trialKernelArgs,
    revertAfterSeconds: input.revertAfterSeconds,
    trialToken: run.trialToken,
    useKexec: input.useKexec,
    bootloader: run.drivers.bootloader,
  };
}

/** Marks runs that pin, install and stage in one activity (prepareTrialBoot); runs recorded before take three. */
export const ONE_STEP_PREPARE_PATCH = 'pin-install-stage-in-one-activity';

/**
 * pinKnownGood, installKernel and stageTrialBoot as one activity (docs/safety.md, "Steps run as
 * one activity"): the same three steps in the same order on the host, one task and one workflow
 * round trip. A bootloader changed under the pin still stops the run before anything is
 * installed; a failure of any part is that step's failure, named by its part.
 */
export function prepareTrial(run: HostUpgrade, knownGood: string): Promise<ActivityResult<'prepareTrialBoot'>> {
  const { input } = run;
  run.enter(
    'install',
    `pinning ${knownGood} as the saved default, installing ${input.toRelease}, then staging its ${input.useKexec ? 'kexec' : `one-shot ${run.drivers.bootloader ?? 'bootloader'}`} trial with panic=${input.panicSeconds}; revert timer ${input.revertAfterSeconds}s`,
  );
  return step(
    run,
    'preparing the trial',
    () =>
      longRunning.prepareTrialBoot.executeWithOptions(
        heartbeating(
          run,
          `saved default := ${knownGood}; ${installAction(input.source)}; stage one-shot ${input.toRelease}, panic=${input.panicSeconds}, revert timer`,
        ),
        [{ ...stageRequest(run, knownGood), source: input.source, packageManager: run.drivers.packageManager }],
      ),
    ({ pin, install }) => {
      if (pin.fixedGrubDefault) {
        run.note(`${pin.configurationChange ?? 'GRUB_DEFAULT set to saved'} (backup ${pin.backupPath ?? 'kept'})`);
      }
      run.note(
        install.alreadyInstalled
          ? `${install.packageName} already installed`
          : `installed ${install.packageName} in ${install.seconds}s`,
      );
      run.note(
        `staged: ${input.useKexec ? 'kexec trial' : 'one-shot trial'} of ${input.toRelease}, known-good ${knownGood} stays the default`,
      );
    },
    (err) => {
      // The pin found the bootloader changed: nothing installed yet, no operator needed.
      if (failureType(err) === 'BootloaderChangedError' && failedPart(err) === 'pin') {
        throw new BootloaderChangedBeforeInstall(describeFailure(err));
      }
    },
  );
}

/**
 * What the install step is doing, for the status while it runs. The two kinds recorded runs know
 * keep their words; any other installer is named by its kind, so a new installer needs no change
 * here (the workflow cannot call the installer's own describe(): its module carries zod).
 */
function installAction(source: InstallSource): string {
  const s = source as { kind: string; packageName?: string; localPath?: string };
  if (s.kind === 'apt' && s.packageName) return `apt-get install ${s.packageName}`;
  if (s.kind === 'deb' && s.localPath) return `upload + dpkg -i ${s.localPath.split('/').pop() ?? ''}`;
  return `install (${s.kind})`;
}
