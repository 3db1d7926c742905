/**
 * The fleet rollout's contract (docs/design.md, fleet workflow), defined once: its input, carried state, result, the
 * `progress` query and the `pause`/`resume`/`abort`/`approve`/`addHosts`/`skipHost` updates. The
 * workflow registers handlers for these; kernelctl and other services import the same
 * definitions. The argument checks here are plain TypeScript (zod stays out of the workflow
 * bundle); the client may check the same shapes with zod before sending.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Outcome, PowerConfig, SshTargetInput, UpgradeHostInput } from '../shared/types';
import type { RolloutStrategy } from '../shared/rollout-plan';
import { checkFailureBudget, checkStrategy, checkWindow } from '../shared/rollout-plan';
import { HOST_RE } from '../shared/shell';
import { checkActor, checkText } from './definitions';
import { describeProblems, powerCredentialProblem, rolloutTemplateProblems } from './input-check';

export const ROLLOUT_WORKFLOW_TYPE = 'rolloutKernel';

export function rolloutWorkflowId(rolloutId: string): string {
  return `kernel-rollout/${rolloutId}`;
}

export const DEFAULT_MAX_HISTORY_EVENTS = 2000;

/** SSH settings shared by the hosts of a rollout (everything of a target but its name and address). */
export type SshSettings = Omit<SshTargetInput, 'host' | 'address'>;

/** Everything of a per-host input but the host: the same for every host of the rollout. */
export interface RolloutTemplate extends Omit<UpgradeHostInput, 'target'> {
  ssh: SshSettings;
}

/**
 * One host of a rollout: its name (the workflow id is kernel-upgrade/<host>), where to reach it,
 * and only what differs from the template. Keeping hosts this small is what lets a 10,000-host
 * rollout fit in one start payload (about 50 bytes a host instead of ~700 for a full input).
 */
export interface RolloutHost {
  host: string;
  address?: string;
  /** Overrides of the template's SSH settings (user, port, key, jump hosts, pinned key…). */
  ssh?: Partial<SshSettings>;
  /** Overrides the template's power driver. */
  power?: PowerConfig;
}

export interface RolloutInput {
  /** Names the rollout; its workflow id is kernel-rollout/<rolloutId>. */
  rolloutId: string;
  /** What every host gets; each host's own input is the template plus its RolloutHost entry. */
  template: RolloutTemplate;
  /** The hosts, in rollout order. */
  hosts: RolloutHost[];
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
  /**
   * While a batch runs, start the next batch's hosts: preflight, install and stage, then hold
   * before the reboot until their batch's turn (gates, pause and window still apply to the
   * reboots). Only reboots are serialised; a halt or abort undoes the held hosts' staging (their
   * new kernel stays installed, the known-good stays the default). Not across the approval after
   * the canary. Absent: false.
   */
  prepareAhead?: boolean;
  /**
   * Before the first batch, the template's upgrade on a throwaway VM (rehearseKernel, on the
   * rehearsal task queue); anything but `upgraded` there halts the rollout with no host started.
   */
  rehearseInVm?: boolean;
}

/** The complete per-host input the host's own workflow gets. */
export function hostInputFor(template: RolloutTemplate, h: RolloutHost): UpgradeHostInput {
  const { ssh, ...rest } = template;
  const target: SshTargetInput = { ...ssh, ...(h.ssh ?? {}), host: h.host };
  if (h.address !== undefined) target.address = h.address;
  return { ...rest, target, power: h.power ?? template.power };
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
  /** Of the upgrading hosts, how many are rebooting right now (reported by their own runs). */
  rebooting: number;
  failures: number;
  /** Failures allowed; the rollout halts when failures exceed it. */
  budget: number;
  budgetLeft: number;
  hosts: {
    host: string;
    phase: HostRolloutPhase;
    outcome?: HostRolloutOutcome;
    reason?: string;
    batch?: number;
    rebooting?: boolean;
  }[];
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
  /** Added hosts get the rollout's template, like the others. */
  hosts: RolloutHost[];
}
export interface SkipHostArgs {
  by: string;
  host: string;
  reason?: string;
}

export const rolloutProgressQuery = defineQuery<RolloutProgress, [ProgressOptions?]>('progress');

/**
 * Sent by a host's own run to the rollout that started it, when the host starts rebooting and
 * when it is past the reboot, so the rollout can say "10 hosts rebooting". Two signals a host
 * keep the rollout's history small; the host's finer phase is in its own run.
 */
export interface HostRebootingArgs {
  host: string;
  rebooting: boolean;
}
export const hostRebootingSignal = defineSignal<[HostRebootingArgs]>('hostRebooting');
export const ROLLOUT_REBOOT_REPORT_PATCH = 'report-reboot-to-rollout';

/** The per-host phases during which the host is rebooting (or being power-cycled). */
export function isRebootPhase(phase: string): boolean {
  return phase === 'reboot' || phase === 'await' || phase === 'power-cycle';
}
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
 * The template's shape: every missing or wrong field, named (input-check.ts). Which installer,
 * power driver and health check kinds exist is their registries' business (zod, outside this
 * bundle): the client refuses an unknown kind, and each host's read-only preflight parses its
 * input with the registries' schemas before anything on the host is changed.
 */
export function checkTemplate(value: unknown): string | null {
  if (!isObject(value)) return 'template: must be the per-host settings shared by every host';
  const problems = rolloutTemplateProblems(value);
  return problems.length ? describeProblems(problems) : null;
}

/** One host entry: a valid name, optional address, overrides as objects. */
export function checkRolloutHost(value: unknown, where: string): string | null {
  if (!isObject(value)) return `${where}: must be {host, address?, ssh?, power?}`;
  if (typeof value['host'] !== 'string' || !HOST_RE.test(value['host'])) {
    return `${where}.host: must be a host name or IP address`;
  }
  if (value['address'] !== undefined && (typeof value['address'] !== 'string' || !HOST_RE.test(value['address']))) {
    return `${where}.address: must be a host name or IP address`;
  }
  for (const field of ['ssh', 'power'] as const) {
    if (value[field] !== undefined && !isObject(value[field])) return `${where}.${field}: must be an object`;
  }
  return null;
}

/** Every host entry valid and no host named twice (also against `alreadyIn`). */
export function checkHostList(hosts: unknown, where: string, alreadyIn: (host: string) => boolean): string | null {
  if (!Array.isArray(hosts) || hosts.length === 0) return `${where}: must list at least one host`;
  const seen = new Set<string>();
  for (const [i, h] of hosts.entries()) {
    const bad = checkRolloutHost(h, `${where}[${i}]`);
    if (bad) return bad;
    const name = (h as RolloutHost).host;
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
  // Every problem, each named by its path (a hand-written input may have several).
  const problems: (string | null)[] = [];
  const id = input['rolloutId'];
  if (typeof id !== 'string' || !/^[A-Za-z0-9._:@-]{1,200}$/.test(id)) {
    problems.push(id === undefined ? 'rolloutId: missing' : 'rolloutId: must be 1-200 letters, digits and ._:@-');
  }
  problems.push(checkTemplate(input['template']));
  const hosts = input['hosts'];
  if (!(carried && Array.isArray(hosts) && hosts.length === 0)) {
    const alreadyIn = carried?.alreadyIn ?? (() => false);
    problems.push(checkHostList(hosts, 'hosts', alreadyIn));
  }
  problems.push(checkStrategy(input['strategy']), checkFailureBudget(input['failureBudget']));
  if (typeof input['approveAfterCanary'] !== 'boolean') problems.push('approveAfterCanary: must be true or false');
  const pause = input['pauseBetweenBatchesSeconds'];
  if (typeof pause !== 'number' || !Number.isInteger(pause) || pause < 0 || pause > 7 * 86400) {
    problems.push('pauseBetweenBatchesSeconds: must be a whole number of seconds, 0 to 604800');
  }
  if (input['window'] !== undefined) problems.push(checkWindow(input['window']));
  if (input['prepareAhead'] !== undefined && typeof input['prepareAhead'] !== 'boolean') {
    problems.push('prepareAhead: must be true or false');
  }
  const template = input['template'];
  problems.push(checkRehearseInVm(input['rehearseInVm'], isObject(template) ? template['source'] : undefined));
  const max = input['maxHistoryEvents'];
  if (max !== undefined && (typeof max !== 'number' || !Number.isInteger(max) || max < 50 || max > 40000)) {
    problems.push('maxHistoryEvents: must be a whole number from 50 to 40000');
  }
  const known = new Set([
    'rolloutId',
    'template',
    'hosts',
    'strategy',
    'failureBudget',
    'approveAfterCanary',
    'pauseBetweenBatchesSeconds',
    'window',
    'prepareAhead',
    'rehearseInVm',
    'maxHistoryEvents',
  ]);
  for (const key of Object.keys(input)) if (!known.has(key)) problems.push(`${key}: unknown field`);
  const found = problems.filter((p): p is string => p !== null);
  return found.length ? describeProblems(found) : null;
}

/** rehearseInVm needs a package the rehearsal worker can fetch itself: one on an artifact host. */
export function checkRehearseInVm(rehearse: unknown, source: unknown): string | null {
  if (rehearse === undefined || rehearse === false) return null;
  if (rehearse !== true) return 'rehearseInVm: must be true or false';
  const kind = isObject(source) ? source['kind'] : undefined;
  return kind === 'artifact'
    ? null
    : `rehearseInVm: needs a package on an artifact host (--build ID, or --deb with --artifact-host), not ${String(kind)}`;
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
  const bad = checkActor(a['by']) ?? checkHostList(a['hosts'], 'hosts', alreadyIn);
  if (bad) return bad;
  // An added host's power command is held to the rule the rollout's own hosts are: no credential
  // in its argv (it would be stored in the update's history event).
  const hosts = a['hosts'];
  if (!Array.isArray(hosts)) return null;
  for (const [i, h] of hosts.entries()) {
    const problem = powerCredentialProblem(isObject(h) ? h['power'] : undefined, `hosts[${i}].power`);
    if (problem) return problem;
  }
  return null;
}
