/**
 * The fleet rollout's contract (DESIGN §6), defined once: its input, carried state, result, the
 * `progress` query and the `pause`/`resume`/`abort`/`approve`/`addHosts`/`skipHost` updates. The
 * workflow registers handlers for these; kernelctl and other services import the same
 * definitions. The argument checks here are plain TypeScript (zod stays out of the workflow
 * bundle); the client may check the same shapes with zod before sending.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Outcome, UpgradeHostInput } from '../shared/types';
import type { RolloutStrategy } from '../shared/rollout-plan';
import { checkFailureBudget, checkStrategy, checkWindow } from '../shared/rollout-plan';
import { HOST_RE, KERNEL_RELEASE_RE } from '../shared/shell';
import { checkActor, checkText } from './definitions';

export const ROLLOUT_WORKFLOW_TYPE = 'rolloutKernel';

export function rolloutWorkflowId(rolloutId: string): string {
  return `kernel-rollout/${rolloutId}`;
}

export const DEFAULT_MAX_HISTORY_EVENTS = 2000;

export interface RolloutInput {
  /** Names the rollout; its workflow id is kernel-rollout/<rolloutId>. */
  rolloutId: string;
  /** One complete per-host input each, in rollout order. */
  hosts: UpgradeHostInput[];
  strategy: RolloutStrategy;
  /** Hosts that may fail before the rollout halts: '2' or '10%' (of all hosts, rounded down). */
  failureBudget: string;
  /** After the canary batch, wait for an `approve` update. */
  approveAfterCanary: boolean;
  /** Pause after each batch before the next starts. */
  pauseBetweenBatchesSeconds: number;
  /** A batch starts only inside this window, e.g. 'Mon-Fri 02:00-05:00 Europe/Berlin'. */
  window?: string;
  /** continueAsNew once the history is longer than this (between batches). Default 2000. */
  maxHistoryEvents?: number;
}

/**
 * What a host ended as, in the rollout: the per-host outcomes, and
 *  - `busy`: another run of kernel-upgrade/<host> was in progress; the host was not touched;
 *  - `unreachable`: preflight could not reach the host; nothing was changed;
 *  - `failed`: the host's workflow failed, timed out or was terminated (see its history);
 *  - `skipped`: an operator skipped it before it started;
 *  - `not-started`: the rollout halted or was aborted before its turn.
 */
export type HostRolloutOutcome = Outcome | 'busy' | 'unreachable' | 'failed' | 'skipped' | 'not-started';

export const HOST_ROLLOUT_OUTCOMES: readonly HostRolloutOutcome[] = [
  'upgraded',
  'rolled-back',
  'needs-attention',
  'aborted',
  'refused',
  'busy',
  'unreachable',
  'failed',
  'skipped',
  'not-started',
];

/** Outcomes that use up the failure budget: anything but upgraded, skipped and not-started. */
export function countsAsFailure(outcome: HostRolloutOutcome): boolean {
  return outcome !== 'upgraded' && outcome !== 'skipped' && outcome !== 'not-started';
}

/** `upgrading`: its kernel-upgrade/<host> run is in flight; query that run for its own phase. */
export type HostRolloutPhase = 'pending' | 'upgrading' | 'done';

export interface RolloutHostRecord {
  host: string;
  outcome: HostRolloutOutcome;
  /** Why, for anything but upgraded (shortened). */
  reason?: string;
  /** 1-based batch the host ran in. */
  batch?: number;
}

/** State carried over continueAsNew; the next run's input lists only the hosts not yet started. */
export interface RolloutCarry {
  /** Hosts with an outcome, in rollout order. */
  finished: RolloutHostRecord[];
  /**
   * Where each host of the next run's input goes in the rollout order (0-based over finished and
   * pending hosts together), so reports keep the order the hosts were given in.
   */
  pendingPositions: number[];
  /** Batches started so far (the next batch's 0-based index). */
  batchesStarted: number;
  approvedBy: string | null;
  paused: { by: string; reason?: string } | null;
  abort: { by: string; reason: string } | null;
  /** The pause between batches is still owed for the batch that just finished. */
  pauseOwed: boolean;
  /** Runs so far: 1 + how many times the rollout continued as new. */
  runs: number;
  startedAt: string;
}

export type RolloutPhase =
  | 'running'
  | 'waiting-for-approval'
  | 'waiting-for-window'
  | 'between-batches'
  | 'paused'
  | 'halted'
  | 'aborted'
  | 'completed';

/** What the rollout waits for right now. `hosts`: in-flight hosts of the current batch. */
export type RolloutWaitingFor = 'hosts' | 'approval' | 'window' | 'resume' | 'pause-between-batches' | null;

export interface RolloutProgress {
  rolloutId: string;
  phase: RolloutPhase;
  /** 1-based number of the batch running or last run; 0 before the first. */
  currentBatch: number;
  /** Batches run plus the batches the hosts still pending need. */
  totalBatches: number;
  counts: Record<HostRolloutOutcome, number>;
  pending: number;
  upgrading: number;
  failures: number;
  /** Failures allowed; the rollout halts when failures exceed it. */
  budget: number;
  budgetLeft: number;
  hosts: { host: string; phase: HostRolloutPhase; outcome?: HostRolloutOutcome; reason?: string; batch?: number }[];
  paused: boolean;
  pausedBy: string | null;
  waitingFor: RolloutWaitingFor;
  /** Milliseconds until the maintenance window opens, while waiting for it. */
  windowOpensInMs: number | null;
  approvedBy: string | null;
  abortedBy: string | null;
  /** 1 + how many times the rollout continued as new. */
  runs: number;
  details: string;
}

export interface RolloutResult {
  rolloutId: string;
  outcome: 'completed' | 'halted' | 'aborted';
  reason: string;
  counts: Record<HostRolloutOutcome, number>;
  failures: number;
  budget: number;
  batches: number;
  runs: number;
  startedAt: string;
  hosts: RolloutHostRecord[];
}

export interface ProgressOptions {
  /** Which hosts to list: all (default), the ones not upgraded/skipped yet, or none. */
  hosts?: 'all' | 'unfinished' | 'none';
}

export interface PauseArgs {
  by: string;
  reason?: string;
}
export interface ResumeArgs {
  by: string;
}
export interface AbortRolloutArgs {
  by: string;
  reason: string;
}
export interface ApproveRolloutArgs {
  by: string;
  comment?: string;
}
export interface AddHostsArgs {
  by: string;
  hosts: UpgradeHostInput[];
}
export interface SkipHostArgs {
  by: string;
  host: string;
  reason?: string;
}

export const rolloutProgressQuery = defineQuery<RolloutProgress, [ProgressOptions?]>('progress');
/** No new batch (or host) starts until `resume`; in-flight hosts finish. */
export const pauseRolloutUpdate = defineUpdate<string, [PauseArgs]>('pause');
/** Rejected unless the rollout is paused. */
export const resumeRolloutUpdate = defineUpdate<string, [ResumeArgs]>('resume');
/**
 * Stops the rollout: no new host starts, in-flight hosts finish or roll back by their own safety
 * rules (they are not cancelled), the rest end `not-started`.
 */
export const abortRolloutUpdate = defineUpdate<string, [AbortRolloutArgs]>('abort');
/** Lets the rollout go on after the canary batch. Rejected unless that gate waits. */
export const approveRolloutUpdate = defineUpdate<string, [ApproveRolloutArgs]>('approve');
/** Appends hosts to the rollout; rejected for an empty list or a host already in it. */
export const addHostsUpdate = defineUpdate<string, [AddHostsArgs]>('addHosts');
/** Leaves a host out; rejected unless the host is in the rollout and not started yet. */
export const skipHostUpdate = defineUpdate<string, [SkipHostArgs]>('skipHost');

// ---- plain checks (no zod: the workflow bundle imports this) ---------------------------------

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The shape of one per-host input, enough to refuse an obviously wrong one with the field named.
 * The client parses the full zod schema before sending; every activity parses again.
 */
export function checkHostInput(value: unknown, where: string): string | null {
  if (!isObject(value) || !isObject(value['target'])) return `${where}: must be a complete per-host input`;
  const host = value['target']['host'];
  if (typeof host !== 'string' || !HOST_RE.test(host)) return `${where}.target.host: must be a host name or IP address`;
  if (typeof value['toRelease'] !== 'string' || !KERNEL_RELEASE_RE.test(value['toRelease'])) {
    return `${where}.toRelease: must be a kernel release as uname -r prints it`;
  }
  const source = value['source'];
  if (!isObject(source) || (source['kind'] !== 'apt' && source['kind'] !== 'deb')) {
    return `${where}.source: must be {kind: 'apt', …} or {kind: 'deb', …}`;
  }
  for (const field of ['timeouts', 'power'] as const) {
    if (!isObject(value[field])) return `${where}.${field}: missing (pass the input through the client's schema)`;
  }
  if (!Array.isArray(value['healthChecks']) || !Array.isArray(value['trialKernelArgs'])) {
    return `${where}: healthChecks and trialKernelArgs must be lists (pass the input through the client's schema)`;
  }
  return null;
}

/** Every host input valid and no host named twice (also against `alreadyIn`). */
export function checkHostList(hosts: unknown, where: string, alreadyIn: (host: string) => boolean): string | null {
  if (!Array.isArray(hosts) || hosts.length === 0) return `${where}: must list at least one host`;
  const seen = new Set<string>();
  for (const [i, h] of hosts.entries()) {
    const bad = checkHostInput(h, `${where}[${i}]`);
    if (bad) return bad;
    const name = (h as UpgradeHostInput).target.host;
    if (seen.has(name)) return `${where}[${i}]: ${name} is listed twice`;
    if (alreadyIn(name)) return `${where}[${i}]: ${name} is already in this rollout`;
    seen.add(name);
  }
  return null;
}

/**
 * The whole rollout input. A continued run passes the hosts carried from earlier runs
 * (`alreadyIn`); its list of hosts still to start may then be empty.
 */
export function checkRolloutInput(input: unknown, carried?: { alreadyIn: (host: string) => boolean }): string | null {
  if (!isObject(input)) return 'rollout input: must be an object';
  const id = input['rolloutId'];
  if (typeof id !== 'string' || !/^[A-Za-z0-9._:@-]{1,200}$/.test(id)) {
    return 'rolloutId: must be 1-200 letters, digits and ._:@-';
  }
  const hosts = input['hosts'];
  if (!(carried && Array.isArray(hosts) && hosts.length === 0)) {
    const alreadyIn = carried?.alreadyIn ?? (() => false);
    const bad = checkHostList(hosts, 'hosts', alreadyIn);
    if (bad) return bad;
  }
  const bad = checkStrategy(input['strategy']) ?? checkFailureBudget(input['failureBudget']);
  if (bad) return bad;
  if (typeof input['approveAfterCanary'] !== 'boolean') return 'approveAfterCanary: must be true or false';
  const pause = input['pauseBetweenBatchesSeconds'];
  if (typeof pause !== 'number' || !Number.isInteger(pause) || pause < 0 || pause > 7 * 86400) {
    return 'pauseBetweenBatchesSeconds: must be a whole number of seconds, 0 to 604800';
  }
  if (input['window'] !== undefined) {
    const badWindow = checkWindow(input['window']);
    if (badWindow) return badWindow;
  }
  const max = input['maxHistoryEvents'];
  if (max !== undefined && (typeof max !== 'number' || !Number.isInteger(max) || max < 50 || max > 40000)) {
    return 'maxHistoryEvents: must be a whole number from 50 to 40000';
  }
  return null;
}

export function checkPauseArgs(args: unknown): string | null {
  const a = isObject(args) ? args : {};
  return checkActor(a['by']) ?? checkText('reason', a['reason'], false);
}

export function checkResumeArgs(args: unknown): string | null {
  return checkActor(isObject(args) ? args['by'] : undefined);
}

export function checkAbortRolloutArgs(args: unknown): string | null {
  const a = isObject(args) ? args : {};
  return checkActor(a['by']) ?? checkText('reason', a['reason'], true);
}

export function checkApproveRolloutArgs(args: unknown): string | null {
  const a = isObject(args) ? args : {};
  return checkActor(a['by']) ?? checkText('comment', a['comment'], false);
}

export function checkSkipHostArgs(args: unknown): string | null {
  const a = isObject(args) ? args : {};
  const bad = checkActor(a['by']) ?? checkText('reason', a['reason'], false);
  if (bad) return bad;
  if (typeof a['host'] !== 'string' || !HOST_RE.test(a['host'])) return 'host: must be a host name or IP address';
  return null;
}

export function checkAddHostsArgs(args: unknown, alreadyIn: (host: string) => boolean): string | null {
  const a = isObject(args) ? args : {};
  return checkActor(a['by']) ?? checkHostList(a['hosts'], 'hosts', alreadyIn);
}
