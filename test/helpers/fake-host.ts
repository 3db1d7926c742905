/**
 * A model host for workflow tests (tier 1 of docs/testing.md): the activities are stubbed, the
 * Temporal server is real. The model keeps the boot state that matters to the safety argument —
 * running kernel, boot id, saved default, one-shot, reboots — and plays one trial behaviour.
 * Optionally persisted to a JSON file so a worker in another process (killed and restarted by a
 * test) sees the same host.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { KernelRolloutActivities } from '../../src/activities';
import { combinedSteps, part } from '../../src/activities/steps/combined';
import { createRolloutActivities } from '../../src/activities/rollout';
import { returnCommitStep } from '../../src/activities/steps/return-commit';
import type { CommitVerifiedRequest, HostFacts, TrialBootRef } from '../../src/shared/types';

export type TrialBehaviour =
  /** boots, healthy */
  | 'ok'
  /** panics; panic=N reboots into the saved default */
  | 'panic'
  /** boots but health checks fail */
  | 'unhealthy'
  /** hangs without panicking: only a power cycle brings it back (on the saved default) */
  | 'hang'
  /** hangs, and the power driver cannot bring it back either */
  | 'hang-forever';

export interface FakeHostState {
  running: string;
  bootId: string;
  bootSeq: number;
  savedDefault: string | null;
  nextEntry: string | null;
  installed: string[];
  up: boolean;
  reboots: number;
  powerCycles: number;
  trial: TrialBehaviour;
  staged: boolean;
  revertArmed: boolean;
  grubDefault: string;
  /** Which kernels booted here and passed verification (rule 1's evidence). */
  verifiedBoots: string[];
  calls: Record<string, number>;
  /** Test hook: the host only answers once this is true (await blocks meanwhile). */
  holdAwait: boolean;
  /** Test hook: rebootHost blocks after issuing the reboot until this is false. */
  holdRebootAfterIssue: boolean;
  /** Test hook: verifyKernel blocks before it reads until this is false. */
  holdVerify?: boolean;
  /** Test hook: commitKernel blocks after its checks, before it writes, until this is false. */
  holdCommit?: boolean;
  /** What each undoTrial was told about the trial boot (null: nothing, as runs from before). */
  trialBootRefs: (TrialBootRef | null)[];
  /** The bootloader the host has now (preflight reports it); the steps refuse another, as the real ones. */
  bootloader: string;
  /** The package manager preflight reports. */
  packageManager: string;
  /** The bootloader's label preflight reports (`grub-debian (EFI)`); null: none, as facts from before. */
  bootloaderLabel?: string | null;
  /** Test hook: the host's bootloader becomes `to` just before `activity` runs (once). */
  bootloaderChangesAt: { activity: string; to: string } | null;
  /** The driver kinds every request named, in order: the workflow test checks them. */
  driverRequests: { activity: string; bootloader?: string; packageManager?: string }[];
}

export function newHostState(old: string, trial: TrialBehaviour): FakeHostState {
  return {
    running: old,
    bootId: bootIdFor(0),
    bootSeq: 0,
    savedDefault: null,
    nextEntry: null,
    installed: [old],
    up: true,
    reboots: 0,
    powerCycles: 0,
    trial,
    staged: false,
    revertArmed: false,
    grubDefault: '0',
    verifiedBoots: [old],
    calls: {},
    holdAwait: false,
    holdRebootAfterIssue: false,
    trialBootRefs: [],
    bootloader: 'grub-debian',
    packageManager: 'dpkg',
    bootloaderChangesAt: null,
    driverRequests: [],
  };
}

export function bootIdFor(seq: number): string {
  return `00000000-0000-4000-8000-${seq.toString(16).padStart(12, '0')}`;
}

export class FakeHost {
  constructor(
    private state: FakeHostState,
    private readonly file?: string,
  ) {
    this.save();
  }

  static fromFile(file: string): FakeHost {
    if (!existsSync(file)) throw new Error(`no fake host state at ${file}`);
    return new FakeHost(JSON.parse(readFileSync(file, 'utf8')) as FakeHostState, file);
  }

  get(): FakeHostState {
    if (this.file) this.state = JSON.parse(readFileSync(this.file, 'utf8')) as FakeHostState;
    return this.state;
  }

  update(fn: (s: FakeHostState) => void): FakeHostState {
    const s = this.get();
    fn(s);
    this.save();
    return s;
  }

  private save(): void {
    // Write-then-rename: a reader in the other process never sees a half-written file.
    if (this.file) {
      writeFileSync(`${this.file}.tmp`, JSON.stringify(this.state, null, 2));
      renameSync(`${this.file}.tmp`, this.file);
    }
  }

  /** A reboot as GRUB would do it: one-shot if set (and cleared), else the saved default. */
  bootThroughGrub(s: FakeHostState): void {
    const entry = s.nextEntry ?? s.savedDefault ?? s.installed[s.installed.length - 1] ?? s.running;
    s.nextEntry = null;
    s.bootSeq += 1;
    s.bootId = bootIdFor(s.bootSeq);
    s.reboots += 1;
    const isTrial = s.staged && entry !== s.savedDefault;
    if (isTrial && s.trial === 'panic') {
      // panic=N: the trial kernel reboots itself; the one-shot is spent, so the default boots.
      s.bootSeq += 1;
      s.bootId = bootIdFor(s.bootSeq);
      s.running = s.savedDefault ?? s.running;
      s.up = true;
      return;
    }
    if (isTrial && (s.trial === 'hang' || s.trial === 'hang-forever')) {
      s.running = entry;
      s.up = false;
      return;
    }
    s.running = entry;
    s.up = true;
  }
}

/** Debian's "Advanced options" menu entry id of a release, as the GRUB driver reads it. */
const grubEntryId = (release: string): string => `gnulinux-advanced-x>gnulinux-${release}-advanced-x`;

const tick = (ms: number) => Context.current().sleep(ms);

function count(host: FakeHost, name: string): void {
  host.update((s) => {
    s.calls[name] = (s.calls[name] ?? 0) + 1;
  });
}

/**
 * What the real activities do with the driver kinds a request names: refuse a missing one
 * (InvalidInputError naming the field) and a bootloader the host no longer has
 * (BootloaderChangedError), before changing anything. Every request's kinds are recorded.
 */
function checkDrivers(
  host: FakeHost,
  activity: string,
  req: { bootloader?: string; packageManager?: string },
  uses: { bootloader?: boolean; packageManager?: boolean },
): void {
  host.update((s) => {
    s.driverRequests.push({
      activity,
      ...(req.bootloader !== undefined ? { bootloader: req.bootloader } : {}),
      ...(req.packageManager !== undefined ? { packageManager: req.packageManager } : {}),
    });
    if (s.bootloaderChangesAt?.activity === activity) {
      s.bootloader = s.bootloaderChangesAt.to;
      s.bootloaderChangesAt = null;
    }
  });
  const s = host.get();
  if (uses.bootloader && !req.bootloader) {
    throw ApplicationFailure.nonRetryable('bootloader: missing', 'InvalidInputError');
  }
  if (uses.packageManager && !req.packageManager) {
    throw ApplicationFailure.nonRetryable('packageManager: missing', 'InvalidInputError');
  }
  if (uses.bootloader && req.bootloader !== s.bootloader) {
    throw ApplicationFailure.nonRetryable(
      `preflight found the ${req.bootloader} bootloader, the host now shows ${s.bootloader}`,
      'BootloaderChangedError',
    );
  }
}

/** The bootloader preflight reports for the model host: GRUB's facts as the real driver has them. */
function preflightBootloader(s: FakeHostState): HostFacts['bootloader'] {
  return {
    kind: s.bootloader,
    ...(s.bootloaderLabel ? { label: s.bootloaderLabel } : {}),
    summary: [
      `GRUB_DEFAULT=${s.grubDefault}, saved_entry=${s.savedDefault ?? '(unset)'}, next_entry=${s.nextEntry ?? '(unset)'}`,
    ],
    details: {
      grubDefault: s.grubDefault,
      grubSaveDefault: false,
      grubTimeout: 5,
      savedEntry: s.savedDefault,
      nextEntry: s.nextEntry,
      envNotWritableReason: null,
      entries: s.installed.map((r) => ({ release: r, id: grubEntryId(r), title: r })),
      runningKernelEntry: s.installed.includes(s.running) ? grubEntryId(s.running) : null,
    },
  };
}

/** Stub activities with the real ones' signatures, acting on the model host. */
export function createStubActivities(host: FakeHost): KernelRolloutActivities {
  const single = { ...stubBeforeReboot(host), ...stubReboot(host), ...stubAfterReboot(host) };
  // prepareTrialBoot is the product's own, made of the model's single steps; commitVerifiedTrial
  // (one session on a real host) is the model's verify, then its commit when that passed.
  return {
    ...single,
    ...combinedSteps(single),
    // The rollout's own activity touches no host: the real one, against the test's Temporal.
    ...createRolloutActivities(),
    commitVerifiedTrial: (req) => commitVerifiedTrial(req),
    // awaitReturnAndCommit is the product's own, made of the model's wait and the one above.
    ...returnCommitStep({ awaitHostReturn: single.awaitHostReturn, commitVerifiedTrial }),
  };

  async function commitVerifiedTrial(req: CommitVerifiedRequest, beforeCommit?: () => Promise<void>) {
    const { target, expectedRelease, expectedBootId, healthChecks, bootloader } = req;
    const verdict = await part('verify', () =>
      single.verifyKernel({ target, expectedRelease, expectedBootId, healthChecks }),
    );
    if (!verdict.ok) return { verdict, commit: null };
    await beforeCommit?.();
    const commit = await part('commit', () =>
      single.commitKernel({ target, toRelease: expectedRelease, expectedBootId, bootloader }),
    );
    return { verdict, commit };
  }
}

/** Before the reboot: the facts preflight reads, the pin, the install, the staged trial. */
function stubBeforeReboot(
  host: FakeHost,
): Pick<KernelRolloutActivities, 'preflight' | 'pinKnownGood' | 'installKernel' | 'stageTrialBoot'> {
  return {
    async preflight(req) {
      count(host, 'preflight');
      const s = host.get();
      const facts: HostFacts = {
        host: req.target.host,
        distroId: 'debian',
        distroVersion: '12',
        runningKernel: s.running,
        bootId: s.bootId,
        kernelCmdline: 'root=/dev/vda1 ro',
        installedKernels: s.installed,
        bootFreeBytes: 400 * 1048576,
        dpkgLocked: false,
        kexecAvailable: true,
        systemd: true,
        packageManager: s.packageManager,
        bootloader: preflightBootloader(s),
        refusals: [],
        warnings: [],
        fixes: [],
      };
      return facts;
    },
    async pinKnownGood(req) {
      count(host, 'pinKnownGood');
      checkDrivers(host, 'pinKnownGood', req, { bootloader: true });
      host.update((s) => {
        s.grubDefault = 'saved';
        s.savedDefault = req.knownGoodRelease;
      });
      return {
        knownGoodEntry: req.knownGoodRelease,
        fixedGrubDefault: true,
        backupPath: '/etc/default/grub.kernel-rollout.bak',
      };
    },
    async installKernel(req) {
      count(host, 'installKernel');
      checkDrivers(host, 'installKernel', req, { packageManager: true });
      const already = host.get().installed.includes(req.toRelease);
      host.update((s) => {
        if (!s.installed.includes(req.toRelease)) s.installed.push(req.toRelease);
      });
      return { alreadyInstalled: already, packageName: `linux-image-${req.toRelease}`, seconds: 0 };
    },
    async stageTrialBoot(req) {
      count(host, 'stageTrialBoot');
      checkDrivers(host, 'stageTrialBoot', req, { bootloader: true });
      host.update((s) => {
        s.savedDefault = req.knownGoodRelease;
        s.nextEntry = req.useKexec ? null : req.toRelease;
        s.staged = true;
        s.revertArmed = true;
      });
      return { knownGoodEntry: req.knownGoodRelease, trialEntry: req.useKexec ? null : 'kernel-rollout-trial' };
    },
  };
}

/** The reboot, the wait for the host, and the out-of-band reset. */
function stubReboot(host: FakeHost): Pick<KernelRolloutActivities, 'rebootHost' | 'awaitHostReturn' | 'powerCycle'> {
  return {
    async rebootHost(req) {
      count(host, 'rebootHost');
      checkDrivers(host, 'rebootHost', req, { packageManager: req.useKexec });
      const s0 = host.get();
      if (s0.bootId !== req.expectedBootId) return { issued: false, method: 'already-rebooted' };
      host.update((s) => {
        if (req.useKexec) {
          s.nextEntry = req.toRelease;
        }
        host.bootThroughGrub(s);
      });
      while (host.get().holdRebootAfterIssue) await tick(100);
      return { issued: true, method: req.useKexec ? 'kexec' : 'systemctl-reboot' };
    },
    async awaitHostReturn(req) {
      count(host, 'awaitHostReturn');
      // As the real activity: from the reboot the workflow names, else from this attempt.
      const downSince = req.downSinceEpochMs ?? Date.now();
      for (;;) {
        const s = host.get();
        Context.current().heartbeat({ up: s.up });
        if (s.up && !s.holdAwait && s.bootId !== req.previousBootId) {
          return {
            back: true,
            bootId: s.bootId,
            runningKernel: s.running,
            secondsAway: Math.max(0, Math.round((Date.now() - downSince) / 1000)),
          };
        }
        if (Date.now() >= req.deadlineEpochMs)
          return { back: false, lastError: 'connect ECONNREFUSED (model host down)' };
        // As the real activity's pause: a cancellation the SDK delivered ends it.
        await Context.current().sleep(50);
      }
    },
    async powerCycle(req) {
      count(host, 'powerCycle');
      if (req.power.driver === 'none') return { performed: false, message: `${req.host}: driver none` };
      host.update((s) => {
        s.powerCycles += 1;
        s.nextEntry = null;
        host.bootThroughGrub(s);
        s.up = s.trial !== 'hang-forever';
      });
      return { performed: true, message: `${req.host}: reset` };
    },
  };
}

/** After the reboot: verification, then the confirmation and commit, or the undo. */
function stubAfterReboot(
  host: FakeHost,
): Pick<KernelRolloutActivities, 'verifyKernel' | 'confirmTrial' | 'commitKernel' | 'undoTrial'> {
  return {
    async verifyKernel(req) {
      count(host, 'verifyKernel');
      while (host.get().holdVerify) await tick(50);
      const s = host.get();
      const failures: string[] = [];
      if (s.running !== req.expectedRelease) failures.push(`uname -r is ${s.running}`);
      if (s.bootId !== req.expectedBootId) failures.push('boot id changed');
      if (failures.length === 0 && s.trial === 'unhealthy' && s.running !== s.savedDefault) {
        failures.push('system state is degraded (failed: nginx.service)');
      }
      return { ok: failures.length === 0, runningKernel: s.running, bootId: s.bootId, failures };
    },
    async confirmTrial(req) {
      count(host, 'confirmTrial');
      host.update((s) => {
        if (s.bootId === req.expectedBootId) s.revertArmed = false;
      });
      return { confirmed: true };
    },
    async commitKernel(req) {
      count(host, 'commitKernel');
      checkDrivers(host, 'commitKernel', req, { bootloader: true });
      const s = host.get();
      if (s.running !== req.toRelease || s.bootId !== req.expectedBootId) {
        throw ApplicationFailure.nonRetryable(`refusing to commit ${req.toRelease}`, 'UnsafeHostError');
      }
      while (host.get().holdCommit) await tick(50);
      host.update((st) => {
        st.savedDefault = req.toRelease;
        st.verifiedBoots.push(req.toRelease);
        st.staged = false;
        st.nextEntry = null;
        st.revertArmed = false;
      });
      return { savedEntry: req.toRelease };
    },
    async undoTrial(req) {
      count(host, 'undoTrial');
      checkDrivers(host, 'undoTrial', req, { bootloader: true, packageManager: true });
      host.update((s) => {
        s.trialBootRefs.push(req.trialBoot ?? null);
        s.nextEntry = null;
        s.staged = false;
        s.revertArmed = false;
        s.savedDefault = req.knownGoodRelease;
      });
      return { savedEntry: req.knownGoodRelease, evidence: '' };
    },
  };
}
