/**
 * Everything a per-host run knows and changes, in one place: what the status query answers, what
 * the message handlers set, and what every step does on its way (timeline notes, phase changes,
 * the search attributes, the reboot reports to a rollout). The steps receive it as `run`.
 */
import {
  getExternalWorkflowHandle,
  setCurrentDetails,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { isPatched } from '../patches';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type { Outcome, Phase, TimelineEntry, UpgradeHostInput, UpgradeResult, UpgradeStatus } from '../../shared/types';
import type { ResolveAction } from '../definitions';
import {
  KernelRolloutOutcome,
  KernelRolloutPhase,
  KernelRolloutProgressedAt,
  KernelRolloutTarget,
  PROGRESS_ATTRIBUTE_PATCH,
  SEARCH_ATTRIBUTES_PATCH,
} from '../search-attributes';
import { ROLLOUT_REBOOT_REPORT_PATCH, hostRebootingSignal, isRebootPhase } from '../rollout-definitions';
import { countUpgradeEnded, countUpgradeStarted, recordPhaseSeconds } from '../metrics';

/** Phases a host back from its reboot enters without telling its rollout (reportReboot). */
const QUIET_RETURN_PHASES: ReadonlySet<Phase> = new Set<Phase>(['verify', 'commit', 'done']);
/** Marks runs that do not signal their rollout on the way from a reboot to verify, commit or done. */
export const QUIET_RETURN_PATCH = 'no-rebooting-false-signal-before-the-end';
/**
 * Marks runs that tell their rollout "rebooting" once the reboot command was issued (the wait
 * for the host), not as the reboot step begins: a batch prepared ahead starts only then, so its
 * SSH logins and installs do not compete with this batch's reboot commands.
 */
export const REPORT_REBOOT_ONCE_ISSUED_PATCH = 'report-rebooting-once-the-reboot-is-issued';

export class HostUpgrade {
  readonly input: UpgradeHostInput;
  readonly host: string;
  readonly timeline: TimelineEntry[] = [];
  phase: Phase = 'starting';
  /** Workflow time the current phase began (for the phase-duration metric). */
  private phaseStartedAt = Date.now();
  details = 'starting';
  /** The kernel preflight found running: the known-good kernel every failure goes back to. */
  from: string | null = null;
  /** The VM rehearsal this run started (rehearseInVm), while and after it runs. */
  rehearsalId: string | null = null;
  outcome: Outcome | null = null;
  waitingFor: UpgradeStatus['waitingFor'] = null;
  /** approveBeforeReboot: who approved the reboot. */
  approvedBy: string | null = null;
  /** holdForRollout: the rollout said go. */
  releasedBy: string | null = null;
  abortRequest: { by: string; reason: string } | null = null;
  /** The operator's answer to needs-attention; cleared before each wait. */
  resolution: { action: ResolveAction; by: string } | null = null;
  rebootCount = 0;
  /** From the trial reboot on, an abort means a rollback rather than undoing the staging. */
  rebootIssued = false;
  /**
   * While the wait for the trial boot may commit it in the same activity (awaitReturnAndCommit):
   * 'in-flight'; then whether it committed. An abort in flight is answered once this is settled.
   */
  commitOnReturn: 'in-flight' | 'committed' | 'not-committed' | null = null;
  /** The boot the trial reboot left (preflight's boot id), once the trial reboot was asked for. */
  bootIdBeforeTrial: string | null = null;
  /** The first boot the run saw running the trial kernel: the trial boot, for the evidence. */
  trialBootId: string | null = null;
  /**
   * Workflow time (ms) of the last reboot or power cycle the run asked for: the wait for the host
   * counts the time away from here, whichever attempt of the wait finds it back.
   */
  downSinceEpochMs: number | null = null;
  /** The workflow id of the rollout that started this run: the only one whose decisions count. */
  readonly rolloutId: string | undefined;
  /** Names this run's trial on the host (the one-shot entry and the revert timer know it). */
  readonly trialToken: string;
  /**
   * The drivers preflight found (./prepare.ts `takeDrivers`): every request to an activity that
   * uses a bootloader or package manager names them. Empty until preflight: an activity given
   * no kind refuses rather than guess.
   */
  drivers: { bootloader?: string; packageManager?: string } = {};
  /**
   * The bootloader as people are shown it (`grub-debian (EFI)`), from preflight: in the status and
   * in the web UI's current details. Neither is part of the history.
   */
  bootloaderLabel: string | null = null;

  private readonly searchable: boolean;
  /** The upserts also carry KernelRolloutProgressedAt (runs recorded before it replay without). */
  private readonly progressAttribute: boolean;
  private publishedPhase: Phase | null = null;
  private readonly reportsReboots: boolean;
  private reportedRebooting = false;

  constructor(input: UpgradeHostInput) {
    this.input = input;
    this.host = input.target.host;
    countUpgradeStarted();
    // Runs recorded before the search attributes existed replay without the upserts (each upsert
    // is a command in the history). Asked once, first thing, so a run upserts all or nothing.
    this.searchable = isPatched(SEARCH_ATTRIBUTES_PATCH);
    this.progressAttribute = this.searchable && isPatched(PROGRESS_ATTRIBUTE_PATCH);
    // A run started by a rollout tells it when the host starts and stops rebooting (two signals),
    // so the rollout's sentence can say "10 hosts rebooting". Runs from before this replay without.
    this.rolloutId = workflowInfo().parent?.workflowId;
    this.reportsReboots =
      this.rolloutId?.startsWith('kernel-rollout/') === true && isPatched(ROLLOUT_REBOOT_REPORT_PATCH);
    this.trialToken = workflowInfo()
      .runId.replace(/[^A-Za-z0-9]/g, '')
      .slice(0, 16);
  }

  /** Handlers set the abort between awaits; a method call keeps TypeScript from narrowing it. */
  aborted(): boolean {
    return this.abortRequest !== null;
  }

  abortReason(): string {
    const a = this.abortRequest;
    return a ? `aborted by ${a.by}: ${a.reason}` : '';
  }

  note(message: string): void {
    this.timeline.push({ at: new Date().toISOString(), phase: this.phase, message });
  }

  /** A new phase: in the UI's details, the search attributes, the rollout's count and the timeline. */
  enter(next: Phase, words: string): void {
    if (next !== this.phase) {
      recordPhaseSeconds(this.phase, (Date.now() - this.phaseStartedAt) / 1000);
      this.phaseStartedAt = Date.now();
    }
    this.phase = next;
    this.details = words;
    this.publishDetails();
    this.publishSearchAttributes();
    this.reportReboot();
    this.note(words);
  }

  /** The web UI's current details (Markdown): the phase, its words and, once known, the bootloader. */
  publishDetails(): void {
    const loader = this.bootloaderLabel ?? this.drivers.bootloader;
    setCurrentDetails(`**${this.phase}** — ${this.details}${loader ? `\n\nbootloader: ${loader}` : ''}`);
  }

  finish(result: Outcome, reason: string, bootedKernel: string | null): UpgradeResult {
    countUpgradeEnded(result);
    this.outcome = result;
    this.waitingFor = null;
    this.enter('done', `${result}: ${reason}`);
    return {
      host: this.host,
      outcome: result,
      from: this.from ?? 'unknown',
      to: this.input.toRelease,
      bootedKernel,
      reason,
      rebootCount: this.rebootCount,
      timeline: this.timeline,
    };
  }

  status(): UpgradeStatus {
    return {
      host: this.host,
      phase: this.phase,
      details: this.details,
      from: this.from,
      to: this.input.toRelease,
      waitingFor: this.waitingFor,
      outcome: this.outcome,
      ...(this.rehearsalId ? { rehearsalId: this.rehearsalId } : {}),
      timeline: this.timeline,
      ...(this.drivers.bootloader !== undefined ? { bootloader: this.drivers.bootloader } : {}),
      ...(this.bootloaderLabel !== null ? { bootloaderLabel: this.bootloaderLabel } : {}),
    };
  }

  /**
   * Phase (and target, first time; outcome, at the end) for the web UI's and CLI's filters, with
   * the time the phase began (KernelRolloutProgressedAt: how long a host has been in reboot).
   */
  private publishSearchAttributes(): void {
    if (!this.searchable || this.publishedPhase === this.phase) return;
    const pairs: SearchAttributeUpdatePair[] = [{ key: KernelRolloutPhase, value: this.phase }];
    if (this.progressAttribute) pairs.push({ key: KernelRolloutProgressedAt, value: new Date(this.phaseStartedAt) });
    if (this.publishedPhase === null) pairs.push({ key: KernelRolloutTarget, value: this.input.toRelease });
    if (this.outcome !== null) pairs.push({ key: KernelRolloutOutcome, value: this.outcome });
    upsertSearchAttributes(pairs);
    this.publishedPhase = this.phase;
  }

  private reportReboot(): void {
    if (!this.reportsReboots || this.rolloutId === undefined) return;
    // The reboot step is not away yet: the rollout hears of it once its command was issued.
    if (this.phase === 'reboot' && isPatched(REPORT_REBOOT_ONCE_ISSUED_PATCH)) return;
    const rebooting = isRebootPhase(this.phase);
    if (rebooting === this.reportedRebooting) return;
    // Back from a reboot into a step that ends the run within a second (verify, commit) or into
    // its end: the rollout learns it from the run's end, one signal less a host. A phase that
    // waits (stability, needs-attention, rollback) still says so. Runs from before signal each time.
    if (!rebooting && QUIET_RETURN_PHASES.has(this.phase) && isPatched(QUIET_RETURN_PATCH)) return;
    this.reportedRebooting = rebooting;
    // Fire and forget: a rollout that has ended (or was terminated) does not need to hear it.
    getExternalWorkflowHandle(this.rolloutId)
      .signal(hostRebootingSignal, { host: this.host, rebooting })
      .catch(() => undefined);
  }
}
