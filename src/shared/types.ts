/**
 * Plain types shared by the workflow, the activities, the client and the CLI. No runtime code
 * and no zod at run time here: the workflow bundle imports this file. The zod schemas in
 * ./schemas.ts are the runtime edge checks and are tied to these types with `satisfies`-style
 * assertions; the SSH target's type is inferred from its schema in ./schema-fields.ts, and the
 * install source's, power configuration's and health check's types from their kinds' schemas in
 * ./options/ (type-only imports, erased from the bundle), so a new kind needs no line here.
 */
import type { z } from 'zod';
import type { InstallSource } from './options/install-source';
import type { sshHopSchema, sshTargetSchema } from './schema-fields';
import type { PowerConfig } from './options/power';
import type { HealthCheck } from './options/health-check';
export type { PowerConfig, HealthCheck };

/**
 * An SSH target as the workflow input carries it (parsed: defaults filled in), and one bastion of
 * its ProxyJump chain: inferred from the one schema, `sshTargetSchema` in ./schema-fields.ts
 * (type-only imports, erased from the workflow bundle).
 */
export type SshTargetInput = z.output<typeof sshTargetSchema>;
export type SshHop = z.output<typeof sshHopSchema>;

/** Where the kernel comes from: one kind per installer driver (an apt package, an uploaded .deb). */
export type { InstallSource };

export interface UpgradeTimeouts {
  /** From the reboot command to SSH answering with a new boot id. */
  bootDeadlineSeconds: number;
  /** After a power reset, how long to wait for the host again. */
  powerCycleDeadlineSeconds: number;
  /** How long an approval may be awaited before the run is aborted. */
  approvalTimeoutSeconds: number;
  /** Activities report liveness at least this often; a dead worker is noticed after this. */
  heartbeatSeconds: number;
  /** Ceiling of the backoff between boot-id polls while the host is away. */
  pollCapSeconds: number;
}

export interface UpgradeHostInput {
  target: SshTargetInput;
  /** Kernel release the host must run afterwards, as `uname -r` prints it. */
  toRelease: string;
  source: InstallSource;
  useKexec: boolean;
  approveBeforeReboot: boolean;
  /** `panic=N` on the trial boot. */
  panicSeconds: number;
  /** Extra kernel arguments for the trial boot only (operators' debugging; tests). */
  trialKernelArgs: string[];
  /** Host-side revert timer: reboot back to the known-good kernel unless confirmed within this. */
  revertAfterSeconds: number;
  /** The new kernel must stay up with the same boot id this long before it is committed. */
  stabilitySeconds: number;
  healthChecks: HealthCheck[];
  power: PowerConfig;
  timeouts: UpgradeTimeouts;
  /** Remove the bad kernel package after a rollback. */
  removeFailedKernel: boolean;
  /**
   * Set by a rollout that prepares its next batch ahead (`prepareAhead`): after staging, wait for
   * the rollout's `rolloutDecision` signal before rebooting (go), or undo the staging (no go).
   * Unanswered for `timeouts.approvalTimeoutSeconds`, the staging is undone. Absent: no hold.
   */
  holdForRollout?: boolean;
  /**
   * Before preflight, the same upgrade on a throwaway VM (rehearseKernel, on the rehearsal task
   * queue); anything but `upgraded` there ends this run `refused`, the host untouched.
   */
  rehearseInVm?: boolean;
}

export type Phase =
  | 'starting'
  | 'preflight'
  | 'install'
  | 'stage'
  | 'awaiting-approval'
  | 'reboot'
  | 'await'
  | 'verify'
  | 'stability'
  | 'commit'
  | 'rollback'
  | 'power-cycle'
  | 'needs-attention'
  | 'done';

/**
 * `refused`: preflight found the host unsafe or unreachable and nothing was changed on it (or the
 * pin, before anything was installed, found the host's bootloader changed since preflight).
 * The other four: docs/design.md, per-host workflow, and the rollback matrix in docs/safety.md.
 */
export type Outcome = 'upgraded' | 'rolled-back' | 'needs-attention' | 'aborted' | 'refused';

export interface TimelineEntry {
  at: string;
  phase: Phase;
  message: string;
}

export interface UpgradeResult {
  host: string;
  outcome: Outcome;
  from: string;
  to: string;
  bootedKernel: string | null;
  reason: string;
  rebootCount: number;
  timeline: TimelineEntry[];
}

export interface UpgradeStatus {
  host: string;
  phase: Phase;
  details: string;
  from: string | null;
  to: string;
  /** `rollout`: staged and held until the rollout that started it lets it reboot (prepareAhead). */
  waitingFor: 'approval' | 'operator' | 'rollout' | null;
  outcome: Outcome | null;
  /** The VM rehearsal this upgrade started (`--rehearse-in-vm`): workflow kernel-rehearsal/<id>. */
  rehearsalId?: string;
  timeline: TimelineEntry[];
  /** The bootloader driver preflight found (e.g. `grub-debian`); absent before preflight. */
  bootloader?: string;
  /** The same as people are shown it (`grub-debian (EFI)`), when preflight named its variant. */
  bootloaderLabel?: string;
}

// ---- activities' data --------------------------------------------------------------------

/** The bootloader preflight found, as its driver reports it. */
export interface BootloaderFacts {
  /** The driver that manages the host's boot entries (e.g. `grub-debian`), or null when none does. */
  kind: string | null;
  /** Lines for people (e.g. GRUB_DEFAULT, saved_entry, next_entry). */
  summary: string[];
  /** The driver's own facts (JSON); its file documents them. */
  details: Readonly<Record<string, unknown>>;
  /**
   * The bootloader as people are shown it: the kind, with the driver's variant where it has one
   * (`grub-debian (EFI)`). Absent in facts recorded before, and when no driver manages the host.
   */
  label?: string;
}

export interface HostFacts {
  host: string;
  distroId: string;
  distroVersion: string;
  /** os-release's ID_LIKE words (absent in facts recorded before). */
  distroLike?: string[];
  runningKernel: string;
  bootId: string;
  kernelCmdline: string;
  installedKernels: string[];
  bootFreeBytes: number;
  dpkgLocked: boolean;
  kexecAvailable: boolean;
  systemd: boolean;
  /**
   * The package manager preflight used (the install source's, e.g. `dpkg`), and whose distribution
   * check the host passed. Absent in facts recorded before: those runs used dpkg.
   */
  packageManager?: string;
  /** `dpkg --print-architecture` (amd64); absent in facts recorded before it was read. */
  architecture?: string;
  /** Absent in facts recorded before drivers existed (they had `grub`): those hosts were GRUB on Debian. */
  bootloader: BootloaderFacts;
  /** Whether the host booted through UEFI (/sys/firmware/efi); absent in facts recorded before. */
  uefi?: boolean;
  /**
   * The pstore backend the kernel registered (/sys/module/pstore/parameters/backend: `efi_pstore`,
   * `erst`, …), null when none is: a panic then leaves no record. Absent in facts recorded before.
   */
  pstoreBackend?: string | null;
  /** Problems that make the upgrade unsafe; preflight refuses when non-empty. */
  refusals: string[];
  /** Worth knowing, not blocking (a held dpkg lock: install waits for it). */
  warnings: string[];
  /** Things stage will fix (e.g. GRUB_DEFAULT=0 → saved). */
  fixes: string[];
}

export interface PreflightRequest {
  target: SshTargetInput;
  toRelease: string;
  source: InstallSource;
  useKexec: boolean;
}

/**
 * Requests of steps that change the boot configuration name the bootloader driver preflight found
 * (HostFacts.bootloader.kind); the activity refuses a request without one (InvalidInputError
 * naming the field) and, when the host no longer shows it, refuses with BootloaderChangedError.
 * Optional in the type only because requests recorded before carried none: the workflow now
 * always sets it (`grub-debian` for runs recorded before, which is what drove them).
 */
interface BootloaderChoice {
  bootloader?: string;
}

/**
 * Requests of steps that use the package manager name the one preflight used
 * (HostFacts.packageManager); refused without one. Optional in the type for the same reason.
 */
interface PackageManagerChoice {
  packageManager?: string;
}

export interface StageRequest extends BootloaderChoice {
  target: SshTargetInput;
  knownGoodRelease: string;
  toRelease: string;
  panicSeconds: number;
  trialKernelArgs: string[];
  revertAfterSeconds: number;
  /** Token written on the trial command line so the revert timer fires on that boot only. */
  trialToken: string;
  useKexec: boolean;
}

export interface PinRequest extends BootloaderChoice {
  target: SshTargetInput;
  knownGoodRelease: string;
}

export interface PinResult {
  knownGoodEntry: string;
  /** The bootloader's configuration had to change for a saved default to hold (GRUB: GRUB_DEFAULT=saved). */
  fixedGrubDefault: boolean;
  /** What changed, in the bootloader's words (absent in runs recorded before: GRUB_DEFAULT). */
  configurationChange?: string;
  backupPath: string | null;
}

export interface InstallRequest extends PackageManagerChoice {
  target: SshTargetInput;
  toRelease: string;
  source: InstallSource;
}

export interface InstallResult {
  alreadyInstalled: boolean;
  packageName: string;
  seconds: number;
}

/** prepareTrialBoot: the pin's, the install's and the stage's request in one (each field once). */
export interface PrepareTrialRequest extends StageRequest, PackageManagerChoice {
  source: InstallSource;
}

export interface PrepareTrialResult {
  pin: PinResult;
  install: InstallResult;
  stage: StageResult;
}

/** The parts of the combined activities, as a failure of one names it (`details[0].part`). */
export type StagePart = 'pin' | 'install' | 'stage' | 'verify' | 'confirm' | 'commit';

export interface StageResult {
  knownGoodEntry: string;
  /** The one-shot entry, or null for kexec (the trial is loaded by kexec, not by the bootloader). */
  trialEntry: string | null;
}

/** A run the rollout holds before its reboot, exactly: the run it started (a host's run never continues as new). */
export interface HeldRun {
  workflowId: string;
  runId: string;
}

/** The rollout's word to the batch it prepared ahead, for every held run at once (releaseHeldRuns). */
export interface ReleaseHeldRunsRequest {
  /** The rolloutDecision signal's arguments: go (reboot now) or no go; `by` is the rollout's workflow id. */
  decision: { go: boolean; by: string; reason?: string };
  runs: HeldRun[];
}

export interface ReleaseHeldRunsResult {
  /** Runs that got the signal. */
  signalled: number;
  /** Runs that had ended already (their result says why): nothing to tell them. */
  ended: string[];
}

/** `packageManager`: needed for a kexec reboot (it knows where the kernel's image and initramfs are). */
export interface RebootRequest extends PackageManagerChoice {
  target: SshTargetInput;
  expectedBootId: string;
  useKexec: boolean;
  toRelease: string;
  /** For kexec: the full command line of the trial boot. */
  trialToken: string;
  panicSeconds: number;
  trialKernelArgs: string[];
}

export interface RebootResult {
  /**
   * false when the boot id had already changed (an earlier attempt's reboot went through), or a
   * retry found the host unreachable (an earlier attempt may have rebooted it; the await step
   * decides).
   */
  issued: boolean;
  method:
    | 'systemctl-reboot'
    | 'kexec'
    | 'already-rebooted'
    | 'rebooted-by-earlier-attempt'
    | 'already-requested'
    | 'unreachable-after-earlier-attempt';
}

export interface AwaitRequest {
  target: SshTargetInput;
  previousBootId: string;
  /** Absolute deadline, ms since the epoch (computed by the workflow from its own clock). */
  deadlineEpochMs: number;
  pollCapSeconds: number;
  /**
   * When the host was sent down (the workflow's time of the reboot or power cycle it is waiting
   * out), ms since the epoch: secondsAway counts from here, so a retry on a restarted worker does
   * not restart the count. Absent in requests of runs started before: the activity's own start.
   */
  downSinceEpochMs?: number;
  /**
   * Set when a verification and commit of the trial follow the wait (commitVerifiedTrial): the
   * poll that finds a new boot running `expectedRelease` also takes the verification's read, in
   * the same command, for that activity (src/activities/steps/return-read.ts). Absent: the poll
   * reads the boot id and kernel only.
   */
  thenVerify?: { expectedRelease: string; healthChecks: HealthCheck[] };
}

export type AwaitResult =
  { back: true; bootId: string; runningKernel: string; secondsAway: number } | { back: false; lastError: string };

/**
 * awaitReturnAndCommit: the wait for the trial boot, then, when the host came back on
 * `thenVerify.expectedRelease`, its verification and commit (commitVerifiedTrial) in the same
 * activity. The bootloader is the commit's.
 */
export interface AwaitCommitRequest extends AwaitRequest, BootloaderChoice {
  thenVerify: { expectedRelease: string; healthChecks: HealthCheck[] };
}

/**
 * The wait's result; `verified` only when the host came back on the expected kernel (then the
 * verification ran, and the commit with it when the verification passed).
 */
export interface AwaitCommitResult {
  back: AwaitResult;
  verified: CommitVerifiedResult | null;
  /** Set when a passed verification found the activity cancelled (an abort): nothing committed. */
  stoppedBeforeCommit?: string;
}

export interface VerifyRequest {
  target: SshTargetInput;
  expectedRelease: string;
  /** The boot the verdict is about: a different boot id is a failure. */
  expectedBootId: string;
  healthChecks: HealthCheck[];
}

export interface VerifyResult {
  ok: boolean;
  runningKernel: string;
  bootId: string;
  failures: string[];
}

export interface ConfirmRequest {
  target: SshTargetInput;
  /** The release on trial (for messages). */
  toRelease: string;
  /** The trial boot: in any other boot there is nothing to confirm. */
  expectedBootId: string;
}

export interface CommitRequest extends BootloaderChoice {
  target: SshTargetInput;
  toRelease: string;
  /** The verified boot: the default moves only while the host is still in it. */
  expectedBootId: string;
}

/** commitVerifiedTrial: the verification's request, and the bootloader the commit uses. */
export interface CommitVerifiedRequest extends VerifyRequest, BootloaderChoice {}

/** The verdict; the commit's result only when the verification passed (then it is done). */
export interface CommitVerifiedResult {
  verdict: VerifyResult;
  commit: CommitResult | null;
}

export interface CommitResult {
  savedEntry: string;
  /**
   * kernel.panic and kernel.panic_on_oops after the commit put the host's own settings back in
   * place of the trial's `panic=N oops=panic` (or why they were left alone). Absent in results
   * recorded before.
   */
  panicSettings?: string;
}

export interface CleanupRequest extends BootloaderChoice, PackageManagerChoice {
  target: SshTargetInput;
  knownGoodRelease: string;
  failedRelease: string;
  removeFailedKernel: boolean;
  /**
   * Which boot was the trial, as far as the run saw it: the evidence comes from that boot only.
   * Absent in requests of runs started before: the boot before the current one is read.
   */
  trialBoot?: TrialBootRef;
  /**
   * The host's power configuration, when its driver may have the console (qmp with a serial log):
   * its last lines go into the evidence of a trial boot that is over. Absent in requests of runs
   * started before.
   */
  power?: PowerConfig;
}

/** The trial boot as the workflow knows it (boot ids as /proc/sys/kernel/random/boot_id has them). */
export type TrialBootRef =
  /** Nothing was rebooted (the staging is undone): there is no trial boot and no evidence. */
  | { kind: 'no-reboot' }
  /** The run saw the host running the trial kernel in this boot. */
  | { kind: 'seen'; trialBootId: string }
  /**
   * The host came back on the known-good kernel in `fallbackBootId`; the trial boot is the one
   * the host's journal lists right after `bootIdBefore` (the boot the trial reboot left), if any.
   */
  | { kind: 'between'; bootIdBefore: string; fallbackBootId: string };

export interface CleanupResult {
  savedEntry: string | null;
  evidence: string;
}

export interface PowerRequest {
  host: string;
  power: PowerConfig;
}

export interface PowerResult {
  performed: boolean;
  message: string;
}

/**
 * The detail a failed reboot carries when an earlier attempt of it ran: that attempt may have
 * rebooted the host before its answer was lost, so the run counts the reboot it cannot rule out.
 */
export interface RebootFailureDetail {
  earlierAttemptRan: true;
}

/** Names of errors that retrying cannot fix. Activities throw ApplicationFailure with these types. */
export const NON_RETRYABLE_ERRORS = [
  'HostKeyMismatchError',
  'UnknownHostKeyError',
  'AuthFailedError',
  'InvalidInputError',
  'UnsafeHostError',
  'UploadChecksumError',
  'ForwardingRefusedError',
  'BootloaderChangedError',
] as const;
