/**
 * Everything a rollout knows and changes, in one place: every host's entry in rollout order, the
 * counts and the failure budget, the operator's pause, abort and approval, the batch prepared
 * ahead, and the one sentence the web UI and `kernelctl rollout status` show. What continueAsNew
 * carries over (RolloutCarry) is built from here and read back in the constructor.
 */
import { type ChildWorkflowHandle, setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import { isPatched } from '../patches';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { batchSizes, describeWait, parseFailureBudget } from '../../shared/rollout-plan';
import {
  DEFAULT_MAX_HISTORY_EVENTS,
  HOST_ROLLOUT_OUTCOMES,
  countsAsFailure,
  type HostRolloutOutcome,
  type HostRolloutPhase,
  type RolloutCarry,
  type RolloutHost,
  type RolloutHostRecord,
  type RolloutInput,
  type RolloutPhase,
  type RolloutResult,
  type RolloutWaitingFor,
} from '../rollout-definitions';
import {
  KernelRolloutOutcome,
  KernelRolloutPhase,
  KernelRolloutProgressedAt,
  KernelRolloutTarget,
  PROGRESS_ATTRIBUTE_PATCH,
  PROGRESS_ONCE_A_MINUTE_PATCH,
  PROGRESS_UPSERT_EVERY_MS,
  SEARCH_ATTRIBUTES_PATCH,
} from '../search-attributes';
import type { upgradeHostKernel } from '../upgrade-host';

export interface HostEntry {
  host: string;
  /** Present until the host is started; dropped afterwards to keep memory and carry small. */
  spec?: RolloutHost;
  phase: HostRolloutPhase;
  outcome?: HostRolloutOutcome;
  reason?: string;
  batch?: number;
  /** Its own run reported it rebooting (hostRebootingSignal). */
  rebooting?: boolean;
}

/** A host's own upgradeHostKernel run, started as a child. */
export type HostRun = ChildWorkflowHandle<typeof upgradeHostKernel>;

/** The next batch, started ahead with holdForRollout while the current one runs (prepareAhead). */
export interface Ahead {
  batch: number;
  hosts: string[];
  /** Each host's held run, or null when it could not be started (already recorded). */
  runs: Map<string, Promise<HostRun | null>>;
}

const REASON_MAX = 300;

export class Rollout {
  readonly input: RolloutInput;
  readonly maxHistoryEvents: number;
  readonly entries = new Map<string, HostEntry>();
  /** Every host in rollout order, finished or not (carried positions keep it across continueAsNew). */
  readonly order: string[] = [];
  readonly counts = Object.fromEntries(HOST_ROLLOUT_OUTCOMES.map((o) => [o, 0])) as Record<HostRolloutOutcome, number>;
  failures = 0;
  pendingCount = 0;
  /** Batches started so far, in this run and the ones before it. */
  batchesStarted: number;
  approvedBy: string | null;
  paused: { by: string; reason?: string } | null;
  abort: { by: string; reason: string } | null;
  /** The pause between batches is still owed for the batch that just finished. */
  pauseOwed: boolean;
  readonly runs: number;
  readonly startedAt: string;
  phase: RolloutPhase = 'running';
  waitingFor: RolloutWaitingFor = null;
  windowOpensAt: number | null = null;
  upgrading = 0;
  rebooting = 0;
  ahead: Ahead | null = null;
  halted = false;
  /** rehearseInVm: why the VM rehearsal stopped the rollout before its first host, if it did. */
  rehearsalFailed: string | null = null;
  /** rehearseInVm: the rehearsal is running (the rollout starts no host meanwhile). */
  rehearsing = false;
  ended = false;
  details = '';

  private readonly searchable: boolean;
  /** KernelRolloutProgressedAt is upserted too (runs recorded before it replay without). */
  private readonly progressAttribute: boolean;
  private publishedPhase: RolloutPhase | null = null;
  /** Workflow time last upserted as KernelRolloutProgressedAt. */
  private publishedProgressAt = 0;
  /** The least time between two upserts on hosts' ends: 1 ms (one per workflow task) before the patch. */
  private readonly progressEveryMs: number;

  constructor(input: RolloutInput, carried: RolloutCarry | undefined) {
    this.input = input;
    this.maxHistoryEvents = input.maxHistoryEvents ?? DEFAULT_MAX_HISTORY_EVENTS;
    for (const e of mergeInRolloutOrder(
      (carried?.finished ?? []).map((r) => this.carriedEntry(r)),
      input.hosts.map((h): HostEntry => ({ host: h.host, spec: h, phase: 'pending' })),
      carried?.pendingPositions,
    )) {
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
    this.searchable = isPatched(SEARCH_ATTRIBUTES_PATCH);
    // And when it last made progress: on each phase change and each host's end.
    this.progressAttribute = this.searchable && isPatched(PROGRESS_ATTRIBUTE_PATCH);
    // Host ends upsert it at most once a minute.
    this.progressEveryMs =
      this.progressAttribute && isPatched(PROGRESS_ONCE_A_MINUTE_PATCH) ? PROGRESS_UPSERT_EVERY_MS : 1;
  }

  // Handlers change these between awaits; reading through methods keeps TypeScript from
  // narrowing them to the value they had before the await.
  isAborted(): boolean {
    return this.abort !== null;
  }
  isPaused(): boolean {
    return this.paused !== null;
  }
  isHalted(): boolean {
    return this.halted;
  }
  preparedAhead(): Ahead | null {
    return this.ahead;
  }

  addEntry(e: HostEntry): void {
    this.entries.set(e.host, e);
    this.order.push(e.host);
    if (e.phase === 'pending') this.pendingCount += 1;
  }

  budget(): number {
    return parseFailureBudget(this.input.failureBudget, this.order.length);
  }

  pendingHosts(): string[] {
    return this.order.filter((h) => this.entries.get(h)?.phase === 'pending');
  }

  totalBatches(): number {
    // A batch prepared ahead is not started yet, and its hosts are no longer pending.
    const next = this.batchesStarted + (this.ahead !== null ? 1 : 0);
    return next + batchSizes(this.input.strategy, this.order.length, this.pendingCount, next).length;
  }

  enter(next: RolloutPhase, waiting: RolloutWaitingFor): void {
    this.phase = next;
    this.waitingFor = waiting;
    this.refreshDetails();
    this.publishSearchAttributes();
  }

  /** The host's outcome; a failure beyond the budget halts the rollout. */
  record(host: string, outcome: HostRolloutOutcome, reason: string | undefined): void {
    const e = this.entries.get(host);
    if (!e) return;
    if (e.phase === 'upgrading') this.upgrading -= 1;
    if (e.phase === 'pending') this.pendingCount -= 1;
    if (e.rebooting) this.rebooting -= 1;
    delete e.rebooting;
    e.phase = 'done';
    e.outcome = outcome;
    e.reason = outcome === 'upgraded' || reason === undefined ? undefined : shorten(reason);
    delete e.spec;
    this.counts[outcome] += 1;
    if (countsAsFailure(outcome)) {
      this.failures += 1;
      if (this.failures > this.budget()) this.halted = true;
    }
    this.refreshDetails();
    this.publishProgress();
  }

  /** The host is being started now. */
  markUpgrading(e: HostEntry, batch: number): void {
    e.phase = 'upgrading';
    e.batch = batch;
    this.upgrading += 1;
    this.pendingCount -= 1;
    this.refreshDetails();
  }

  /** A held run gave up waiting and undid its staging: the host is started again later. */
  backToPending(host: string): void {
    const e = this.entries.get(host);
    if (e && e.phase === 'upgrading') {
      e.phase = 'pending';
      delete e.batch;
      if (e.rebooting) this.rebooting -= 1;
      delete e.rebooting;
      this.upgrading -= 1;
      this.pendingCount += 1;
      this.refreshDetails();
    }
  }

  /** What the next run gets after continueAsNew, besides the hosts not started yet. */
  carry(): RolloutCarry {
    return {
      finished: this.order
        .map((h) => this.entries.get(h) as HostEntry)
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
  unstartedHosts(): RolloutHost[] {
    return this.pendingHosts()
      .map((h) => this.entries.get(h)?.spec)
      .filter((h): h is RolloutHost => h !== undefined);
  }

  result(outcome: RolloutResult['outcome'], reason: string, budget: number): RolloutResult {
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
      hosts: this.order.map((h) => toRecord(this.entries.get(h) as HostEntry)),
    };
  }

  refreshDetails(): void {
    const rehearsal = this.rehearsing ? 'rehearsing on a throwaway VM before the first host — ' : '';
    this.details = `${rehearsal}${this.phasePrefix()}${this.progressSentence()}`;
    setCurrentDetails(this.details);
  }

  /** "batch 2/5: 3 hosts rebooting, 1 upgrading, 4 upgraded, budget 1 left". */
  private progressSentence(): string {
    const { counts, ahead } = this;
    const prepared = ahead ? ahead.hosts.filter((h) => this.entries.get(h)?.phase === 'upgrading').length : 0;
    const others = this.upgrading - this.rebooting - prepared;
    let inFlight =
      this.rebooting === 0
        ? `${this.upgrading - prepared} hosts upgrading`
        : `${this.rebooting} hosts rebooting${others > 0 ? `, ${others} upgrading` : ''}`;
    if (prepared > 0) inFlight += `, ${prepared} of batch ${ahead?.batch ?? '?'} prepared ahead`;
    const parts = [`batch ${this.batchesStarted}/${this.totalBatches()}: ${inFlight}`];
    for (const o of HOST_ROLLOUT_OUTCOMES) {
      if (counts[o] > 0 && o !== 'not-started') parts.push(`${counts[o]} ${o.replace('-', ' ')}`);
    }
    const left = Math.max(0, this.budget() - this.failures);
    let sentence = `${parts.join(', ')}, budget ${left} left`;
    if (counts['not-started'] > 0) sentence += `, ${counts['not-started']} not started`;
    return sentence;
  }

  private phasePrefix(): string {
    const { input, paused, abort, windowOpensAt } = this;
    const prefix: Partial<Record<RolloutPhase, string>> = {
      'waiting-for-approval': 'waiting for approval after the canary — ',
      'waiting-for-window':
        windowOpensAt !== null
          ? `waiting for the window ${input.window ?? ''} (opens in ${describeWait(windowOpensAt - Date.now())}) — `
          : 'waiting for the window — ',
      'between-batches': `pausing ${input.pauseBetweenBatchesSeconds}s between batches — `,
      paused: `paused by ${paused?.by ?? '?'}${paused?.reason ? ` (${paused.reason})` : ''} — `,
      halted: this.rehearsalFailed ? 'HALTED: the VM rehearsal failed — ' : 'HALTED: failure budget exceeded — ',
      aborted: `ABORTED by ${abort?.by ?? '?'}: ${abort?.reason ?? ''} — `,
      completed: 'completed — ',
    };
    return prefix[this.phase] ?? '';
  }

  private publishSearchAttributes(): void {
    if (!this.searchable || this.publishedPhase === this.phase) return;
    const pairs: SearchAttributeUpdatePair[] = [{ key: KernelRolloutPhase, value: this.phase }];
    if (this.publishedPhase === null) pairs.push({ key: KernelRolloutTarget, value: this.input.template.toRelease });
    if (this.ended) pairs.push({ key: KernelRolloutOutcome, value: this.phase });
    if (this.progressAttribute) {
      pairs.push({ key: KernelRolloutProgressedAt, value: new Date() });
      this.publishedProgressAt = Date.now();
    }
    upsertSearchAttributes(pairs);
    this.publishedPhase = this.phase;
  }

  /** A host ended: the rollout made progress (at most one upsert every progressEveryMs). */
  private publishProgress(): void {
    if (!this.progressAttribute || Date.now() - this.publishedProgressAt < this.progressEveryMs) return;
    upsertSearchAttributes([{ key: KernelRolloutProgressedAt, value: new Date() }]);
    this.publishedProgressAt = Date.now();
  }

  private carriedEntry(r: RolloutHostRecord): HostEntry {
    this.counts[r.outcome] += 1;
    if (countsAsFailure(r.outcome)) this.failures += 1;
    return { host: r.host, phase: 'done', outcome: r.outcome, reason: r.reason, batch: r.batch };
  }
}

function shorten(text: string): string {
  return text.length > REASON_MAX ? `${text.slice(0, REASON_MAX - 1)}…` : text;
}

function toRecord(e: HostEntry): RolloutHostRecord {
  const r: RolloutHostRecord = { host: e.host, outcome: e.outcome ?? 'not-started' };
  if (e.reason !== undefined) r.reason = e.reason;
  if (e.batch !== undefined) r.batch = e.batch;
  return r;
}

/** Finished and pending hosts back in rollout order; without usable positions, finished first. */
function mergeInRolloutOrder(done: HostEntry[], pending: HostEntry[], positions: number[] | undefined): HostEntry[] {
  const total = done.length + pending.length;
  const usable =
    positions !== undefined &&
    positions.length === pending.length &&
    positions.every((p, i) => Number.isInteger(p) && p >= 0 && p < total && (i === 0 || p > (positions[i - 1] ?? -1)));
  if (!usable) return [...done, ...pending];
  const slots = Array.from({ length: total }, (): HostEntry | undefined => undefined);
  positions.forEach((p, i) => (slots[p] = pending[i]));
  let next = 0;
  return slots.map((slot) => slot ?? (done[next++] as HostEntry));
}
