"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.HostUpgrade = exports.REPORT_REBOOT_ONCE_ISSUED_PATCH = exports.QUIET_RETURN_PATCH = void 0;
/**
 * Everything a per-host run knows and changes, in one place: what the status query answers, what
 * the message handlers set, and what every step does on its way (timeline notes, phase changes,
 * the search attributes, the reboot reports to a rollout). The steps receive it as `run`.
 */
const workflow_1 = require("@temporalio/workflow");
const search_attributes_1 = require("../search-attributes");
const rollout_definitions_1 = require("../rollout-definitions");
const metrics_1 = require("../metrics");
/** Phases a host back from its reboot enters without telling its rollout (reportReboot). */
const QUIET_RETURN_PHASES = new Set(['verify', 'commit', 'done']);
/** Marks runs that do not signal their rollout on the way from a reboot to verify, commit or done. */
exports.QUIET_RETURN_PATCH = 'no-rebooting-false-signal-before-the-end';
/**
 * Marks runs that tell their rollout "rebooting" once the reboot command was issued (the wait
 * for the host), not as the reboot step begins: a batch prepared ahead starts only then, so its
 * SSH logins and installs do not compete with this batch's reboot commands.
 */
exports.REPORT_REBOOT_ONCE_ISSUED_PATCH = 'report-rebooting-once-the-reboot-is-issued';
class HostUpgrade {
    input;
    host;
    timeline = [];
    phase = 'starting';
    /** Workflow time the current phase began (for the phase-duration metric). */
    phaseStartedAt = Date.now();
    details = 'starting';
    /** The kernel preflight found running: the known-good kernel every failure goes back to. */
    from = null;
    /** The VM rehearsal this run started (rehearseInVm), while and after it runs. */
    rehearsalId = null;
    outcome = null;
    waitingFor = null;
    /** approveBeforeReboot: who approved the reboot. */
    approvedBy = null;
    /** holdForRollout: the rollout said go. */
    releasedBy = null;
    abortRequest = null;
    /** The operator's answer to needs-attention; cleared before each wait. */
    resolution = null;
    rebootCount = 0;
    /** From the trial reboot on, an abort means a rollback rather than undoing the staging. */
    rebootIssued = false;
    /** The boot the trial reboot left (preflight's boot id), once the trial reboot was asked for. */
    bootIdBeforeTrial = null;
    /** The first boot the run saw running the trial kernel: the trial boot, for the evidence. */
    trialBootId = null;
    /**
     * Workflow time (ms) of the last reboot or power cycle the run asked for: the wait for the host
     * counts the time away from here, whichever attempt of the wait finds it back.
     */
    downSinceEpochMs = null;
    /** The workflow id of the rollout that started this run: the only one whose decisions count. */
    rolloutId;
    /** Names this run's trial on the host (the one-shot entry and the revert timer know it). */
    trialToken;
    /**
     * The drivers preflight found (./prepare.ts `takeDrivers`): every request to an activity that
     * uses a bootloader or package manager names them. Empty until preflight: an activity given
     * no kind refuses rather than guess.
     */
    drivers = {};
    /**
     * The bootloader as people are shown it (`grub-debian (EFI)`), from preflight: in the status and
     * in the web UI's current details. Neither is part of the history.
     */
    bootloaderLabel = null;
    searchable;
    /** The upserts also carry KernelRolloutProgressedAt (runs recorded before it replay without). */
    progressAttribute;
    publishedPhase = null;
    reportsReboots;
    reportedRebooting = false;
    constructor(input) {
        this.input = input;
        this.host = input.target.host;
        (0, metrics_1.countUpgradeStarted)();
        // Runs recorded before the search attributes existed replay without the upserts (each upsert
        // is a command in the history). Asked once, first thing, so a run upserts all or nothing.
        this.searchable = (0, workflow_1.patched)(search_attributes_1.SEARCH_ATTRIBUTES_PATCH);
        this.progressAttribute = this.searchable && (0, workflow_1.patched)(search_attributes_1.PROGRESS_ATTRIBUTE_PATCH);
        // A run started by a rollout tells it when the host starts and stops rebooting (two signals),
        // so the rollout's sentence can say "10 hosts rebooting". Runs from before this replay without.
        this.rolloutId = (0, workflow_1.workflowInfo)().parent?.workflowId;
        this.reportsReboots =
            this.rolloutId?.startsWith('kernel-rollout/') === true && (0, workflow_1.patched)(rollout_definitions_1.ROLLOUT_REBOOT_REPORT_PATCH);
        this.trialToken = (0, workflow_1.workflowInfo)()
            .runId.replace(/[^A-Za-z0-9]/g, '')
            .slice(0, 16);
    }
    /** Handlers set the abort between awaits; a method call keeps TypeScript from narrowing it. */
    aborted() {
        return this.abortRequest !== null;
    }
    abortReason() {
        const a = this.abortRequest;
        return a ? `aborted by ${a.by}: ${a.reason}` : '';
    }
    note(message) {
        this.timeline.push({ at: new Date().toISOString(), phase: this.phase, message });
    }
    /** A new phase: in the UI's details, the search attributes, the rollout's count and the timeline. */
    enter(next, words) {
        if (next !== this.phase) {
            (0, metrics_1.recordPhaseSeconds)(this.phase, (Date.now() - this.phaseStartedAt) / 1000);
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
    publishDetails() {
        const loader = this.bootloaderLabel ?? this.drivers.bootloader;
        (0, workflow_1.setCurrentDetails)(`**${this.phase}** — ${this.details}${loader ? `\n\nbootloader: ${loader}` : ''}`);
    }
    finish(result, reason, bootedKernel) {
        (0, metrics_1.countUpgradeEnded)(result);
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
    status() {
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
    publishSearchAttributes() {
        if (!this.searchable || this.publishedPhase === this.phase)
            return;
        const pairs = [{ key: search_attributes_1.KernelRolloutPhase, value: this.phase }];
        if (this.progressAttribute)
            pairs.push({ key: search_attributes_1.KernelRolloutProgressedAt, value: new Date(this.phaseStartedAt) });
        if (this.publishedPhase === null)
            pairs.push({ key: search_attributes_1.KernelRolloutTarget, value: this.input.toRelease });
        if (this.outcome !== null)
            pairs.push({ key: search_attributes_1.KernelRolloutOutcome, value: this.outcome });
        (0, workflow_1.upsertSearchAttributes)(pairs);
        this.publishedPhase = this.phase;
    }
    reportReboot() {
        if (!this.reportsReboots || this.rolloutId === undefined)
            return;
        // The reboot step is not away yet: the rollout hears of it once its command was issued.
        if (this.phase === 'reboot' && (0, workflow_1.patched)(exports.REPORT_REBOOT_ONCE_ISSUED_PATCH))
            return;
        const rebooting = (0, rollout_definitions_1.isRebootPhase)(this.phase);
        if (rebooting === this.reportedRebooting)
            return;
        // Back from a reboot into a step that ends the run within a second (verify, commit) or into
        // its end: the rollout learns it from the run's end, one signal less a host. A phase that
        // waits (stability, needs-attention, rollback) still says so. Runs from before signal each time.
        if (!rebooting && QUIET_RETURN_PHASES.has(this.phase) && (0, workflow_1.patched)(exports.QUIET_RETURN_PATCH))
            return;
        this.reportedRebooting = rebooting;
        // Fire and forget: a rollout that has ended (or was terminated) does not need to hear it.
        (0, workflow_1.getExternalWorkflowHandle)(this.rolloutId)
            .signal(rollout_definitions_1.hostRebootingSignal, { host: this.host, rebooting })
            .catch(() => undefined);
    }
}
exports.HostUpgrade = HostUpgrade;
//# sourceMappingURL=state.js.map