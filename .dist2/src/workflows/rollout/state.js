"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.Rollout = void 0;
/**
 * Everything a rollout knows and changes, in one place: every host's entry in rollout order, the
 * counts and the failure budget, the operator's pause, abort and approval, the batch prepared
 * ahead, and the one sentence the web UI and `kernelctl rollout status` show. What continueAsNew
 * carries over (RolloutCarry) is built from here and read back in the constructor.
 */
const workflow_1 = require("@temporalio/workflow");
const rollout_plan_1 = require("../../shared/rollout-plan");
const rollout_definitions_1 = require("../rollout-definitions");
const search_attributes_1 = require("../search-attributes");
const REASON_MAX = 300;
class Rollout {
    input;
    maxHistoryEvents;
    entries = new Map();
    /** Every host in rollout order, finished or not (carried positions keep it across continueAsNew). */
    order = [];
    counts = Object.fromEntries(rollout_definitions_1.HOST_ROLLOUT_OUTCOMES.map((o) => [o, 0]));
    failures = 0;
    pendingCount = 0;
    /** Batches started so far, in this run and the ones before it. */
    batchesStarted;
    approvedBy;
    paused;
    abort;
    /** The pause between batches is still owed for the batch that just finished. */
    pauseOwed;
    runs;
    startedAt;
    phase = 'running';
    waitingFor = null;
    windowOpensAt = null;
    upgrading = 0;
    rebooting = 0;
    ahead = null;
    halted = false;
    /** rehearseInVm: why the VM rehearsal stopped the rollout before its first host, if it did. */
    rehearsalFailed = null;
    /** rehearseInVm: the rehearsal is running (the rollout starts no host meanwhile). */
    rehearsing = false;
    ended = false;
    details = '';
    searchable;
    /** KernelRolloutProgressedAt is upserted too (runs recorded before it replay without). */
    progressAttribute;
    publishedPhase = null;
    /** Workflow time last upserted as KernelRolloutProgressedAt: one upsert per workflow task. */
    publishedProgressAt = 0;
    constructor(input, carried) {
        this.input = input;
        this.maxHistoryEvents = input.maxHistoryEvents ?? rollout_definitions_1.DEFAULT_MAX_HISTORY_EVENTS;
        for (const e of mergeInRolloutOrder((carried?.finished ?? []).map((r) => this.carriedEntry(r)), input.hosts.map((h) => ({ host: h.host, spec: h, phase: 'pending' })), carried?.pendingPositions)) {
            this.addEntry(e);
        }
        this.batchesStarted = carried?.batchesStarted ?? 0;
        this.approvedBy = carried?.approvedBy ?? null;
        this.paused = carried?.paused ?? null;
        this.abort = carried?.abort ?? null;
        this.pauseOwed = carried?.pauseOwed ?? false;
        this.runs = carried?.runs ?? 1;
        this.startedAt = carried?.startedAt ?? new Date().toISOString();
        // Phase (target first time, outcome at the end) for the web UI's filters; runs started before
        // the attributes existed replay without the upserts.
        this.searchable = (0, workflow_1.patched)(search_attributes_1.SEARCH_ATTRIBUTES_PATCH);
        // And when it last made progress: on each phase change and each host's end.
        this.progressAttribute = this.searchable && (0, workflow_1.patched)(search_attributes_1.PROGRESS_ATTRIBUTE_PATCH);
    }
    // Handlers change these between awaits; reading through methods keeps TypeScript from
    // narrowing them to the value they had before the await.
    isAborted() {
        return this.abort !== null;
    }
    isPaused() {
        return this.paused !== null;
    }
    isHalted() {
        return this.halted;
    }
    preparedAhead() {
        return this.ahead;
    }
    addEntry(e) {
        this.entries.set(e.host, e);
        this.order.push(e.host);
        if (e.phase === 'pending')
            this.pendingCount += 1;
    }
    budget() {
        return (0, rollout_plan_1.parseFailureBudget)(this.input.failureBudget, this.order.length);
    }
    pendingHosts() {
        return this.order.filter((h) => this.entries.get(h)?.phase === 'pending');
    }
    totalBatches() {
        // A batch prepared ahead is not started yet, and its hosts are no longer pending.
        const next = this.batchesStarted + (this.ahead !== null ? 1 : 0);
        return next + (0, rollout_plan_1.batchSizes)(this.input.strategy, this.order.length, this.pendingCount, next).length;
    }
    enter(next, waiting) {
        this.phase = next;
        this.waitingFor = waiting;
        this.refreshDetails();
        this.publishSearchAttributes();
    }
    /** The host's outcome; a failure beyond the budget halts the rollout. */
    record(host, outcome, reason) {
        const e = this.entries.get(host);
        if (!e)
            return;
        if (e.phase === 'upgrading')
            this.upgrading -= 1;
        if (e.phase === 'pending')
            this.pendingCount -= 1;
        if (e.rebooting)
            this.rebooting -= 1;
        delete e.rebooting;
        e.phase = 'done';
        e.outcome = outcome;
        e.reason = outcome === 'upgraded' || reason === undefined ? undefined : shorten(reason);
        delete e.spec;
        this.counts[outcome] += 1;
        if ((0, rollout_definitions_1.countsAsFailure)(outcome)) {
            this.failures += 1;
            if (this.failures > this.budget())
                this.halted = true;
        }
        this.refreshDetails();
        this.publishProgress();
    }
    /** The host is being started now. */
    markUpgrading(e, batch) {
        e.phase = 'upgrading';
        e.batch = batch;
        this.upgrading += 1;
        this.pendingCount -= 1;
        this.refreshDetails();
    }
    /** A held run gave up waiting and undid its staging: the host is started again later. */
    backToPending(host) {
        const e = this.entries.get(host);
        if (e && e.phase === 'upgrading') {
            e.phase = 'pending';
            delete e.batch;
            if (e.rebooting)
                this.rebooting -= 1;
            delete e.rebooting;
            this.upgrading -= 1;
            this.pendingCount += 1;
            this.refreshDetails();
        }
    }
    /** What the next run gets after continueAsNew, besides the hosts not started yet. */
    carry() {
        return {
            finished: this.order
                .map((h) => this.entries.get(h))
                .filter((e) => e.phase === 'done')
                .map(toRecord),
            pendingPositions: this.order.flatMap((h, i) => (this.entries.get(h)?.phase === 'pending' ? [i] : [])),
            batchesStarted: this.batchesStarted,
            approvedBy: this.approvedBy,
            paused: this.paused,
            abort: this.abort,
            pauseOwed: this.pauseOwed,
            runs: this.runs + 1,
            startedAt: this.startedAt,
        };
    }
    /** The hosts not started yet, as the next run's input lists them. */
    unstartedHosts() {
        return this.pendingHosts()
            .map((h) => this.entries.get(h)?.spec)
            .filter((h) => h !== undefined);
    }
    result(outcome, reason, budget) {
        return {
            rolloutId: this.input.rolloutId,
            outcome,
            reason,
            counts: { ...this.counts },
            failures: this.failures,
            budget,
            batches: this.batchesStarted,
            runs: this.runs,
            startedAt: this.startedAt,
            hosts: this.order.map((h) => toRecord(this.entries.get(h))),
        };
    }
    refreshDetails() {
        const rehearsal = this.rehearsing ? 'rehearsing on a throwaway VM before the first host — ' : '';
        this.details = `${rehearsal}${this.phasePrefix()}${this.progressSentence()}`;
        (0, workflow_1.setCurrentDetails)(this.details);
    }
    /** "batch 2/5: 3 hosts rebooting, 1 upgrading, 4 upgraded, budget 1 left". */
    progressSentence() {
        const { counts, ahead } = this;
        const prepared = ahead ? ahead.hosts.filter((h) => this.entries.get(h)?.phase === 'upgrading').length : 0;
        const others = this.upgrading - this.rebooting - prepared;
        let inFlight = this.rebooting === 0
            ? `${this.upgrading - prepared} hosts upgrading`
            : `${this.rebooting} hosts rebooting${others > 0 ? `, ${others} upgrading` : ''}`;
        if (prepared > 0)
            inFlight += `, ${prepared} of batch ${ahead?.batch ?? '?'} prepared ahead`;
        const parts = [`batch ${this.batchesStarted}/${this.totalBatches()}: ${inFlight}`];
        for (const o of rollout_definitions_1.HOST_ROLLOUT_OUTCOMES) {
            if (counts[o] > 0 && o !== 'not-started')
                parts.push(`${counts[o]} ${o.replace('-', ' ')}`);
        }
        const left = Math.max(0, this.budget() - this.failures);
        let sentence = `${parts.join(', ')}, budget ${left} left`;
        if (counts['not-started'] > 0)
            sentence += `, ${counts['not-started']} not started`;
        return sentence;
    }
    phasePrefix() {
        const { input, paused, abort, windowOpensAt } = this;
        const prefix = {
            'waiting-for-approval': 'waiting for approval after the canary — ',
            'waiting-for-window': windowOpensAt !== null
                ? `waiting for the window ${input.window ?? ''} (opens in ${(0, rollout_plan_1.describeWait)(windowOpensAt - Date.now())}) — `
                : 'waiting for the window — ',
            'between-batches': `pausing ${input.pauseBetweenBatchesSeconds}s between batches — `,
            paused: `paused by ${paused?.by ?? '?'}${paused?.reason ? ` (${paused.reason})` : ''} — `,
            halted: this.rehearsalFailed ? 'HALTED: the VM rehearsal failed — ' : 'HALTED: failure budget exceeded — ',
            aborted: `ABORTED by ${abort?.by ?? '?'}: ${abort?.reason ?? ''} — `,
            completed: 'completed — ',
        };
        return prefix[this.phase] ?? '';
    }
    publishSearchAttributes() {
        if (!this.searchable || this.publishedPhase === this.phase)
            return;
        const pairs = [{ key: search_attributes_1.KernelRolloutPhase, value: this.phase }];
        if (this.publishedPhase === null)
            pairs.push({ key: search_attributes_1.KernelRolloutTarget, value: this.input.template.toRelease });
        if (this.ended)
            pairs.push({ key: search_attributes_1.KernelRolloutOutcome, value: this.phase });
        if (this.progressAttribute) {
            pairs.push({ key: search_attributes_1.KernelRolloutProgressedAt, value: new Date() });
            this.publishedProgressAt = Date.now();
        }
        (0, workflow_1.upsertSearchAttributes)(pairs);
        this.publishedPhase = this.phase;
    }
    /** A host ended: the rollout made progress (at most one upsert per workflow task). */
    publishProgress() {
        if (!this.progressAttribute || this.publishedProgressAt === Date.now())
            return;
        (0, workflow_1.upsertSearchAttributes)([{ key: search_attributes_1.KernelRolloutProgressedAt, value: new Date() }]);
        this.publishedProgressAt = Date.now();
    }
    carriedEntry(r) {
        this.counts[r.outcome] += 1;
        if ((0, rollout_definitions_1.countsAsFailure)(r.outcome))
            this.failures += 1;
        return { host: r.host, phase: 'done', outcome: r.outcome, reason: r.reason, batch: r.batch };
    }
}
exports.Rollout = Rollout;
function shorten(text) {
    return text.length > REASON_MAX ? `${text.slice(0, REASON_MAX - 1)}…` : text;
}
function toRecord(e) {
    const r = { host: e.host, outcome: e.outcome ?? 'not-started' };
    if (e.reason !== undefined)
        r.reason = e.reason;
    if (e.batch !== undefined)
        r.batch = e.batch;
    return r;
}
/** Finished and pending hosts back in rollout order; without usable positions, finished first. */
function mergeInRolloutOrder(done, pending, positions) {
    const total = done.length + pending.length;
    const usable = positions !== undefined &&
        positions.length === pending.length &&
        positions.every((p, i) => Number.isInteger(p) && p >= 0 && p < total && (i === 0 || p > (positions[i - 1] ?? -1)));
    if (!usable)
        return [...done, ...pending];
    const slots = Array.from({ length: total }, () => undefined);
    positions.forEach((p, i) => (slots[p] = pending[i]));
    let next = 0;
    return slots.map((slot) => slot ?? done[next++]);
}
//# sourceMappingURL=state.js.map