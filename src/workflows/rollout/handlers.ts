/**
 * The rollout's messages: the progress query, the hosts' reboot reports, and the operator's pause,
 * resume, abort, approve, addHosts and skipHost updates. Validators refuse what comes too late or
 * changes nothing, so kernelctl can say why; handlers only change the rollout's state, and the
 * batches react at their next wait.
 */
import { setHandler } from '@temporalio/workflow';
import {
  abortRolloutUpdate,
  addHostsUpdate,
  approveRolloutUpdate,
  checkAbortRolloutArgs,
  checkAddHostsArgs,
  checkApproveRolloutArgs,
  checkPauseArgs,
  checkResumeArgs,
  checkSkipHostArgs,
  hostRebootingSignal,
  pauseRolloutUpdate,
  resumeRolloutUpdate,
  rolloutProgressQuery,
  skipHostUpdate,
  type ProgressOptions,
  type RolloutProgress,
} from '../rollout-definitions';
import type { HostEntry, Rollout } from './state';

export function registerHandlers(r: Rollout): void {
  setHandler(rolloutProgressQuery, (options) => progress(r, options));
  setHandler(hostRebootingSignal, (args) => {
    const e = typeof args?.host === 'string' ? r.entries.get(args.host) : undefined;
    // Only hosts in flight; a late signal from a host already recorded is dropped.
    if (!e || e.phase !== 'upgrading' || typeof args.rebooting !== 'boolean') return;
    if (args.rebooting === (e.rebooting ?? false)) return;
    e.rebooting = args.rebooting;
    r.rebooting += args.rebooting ? 1 : -1;
    r.refreshDetails();
  });
  handlePauseAndResume(r);
  handleAbortAndApprove(r);
  handleHostListChanges(r);
}

function progress(r: Rollout, options: ProgressOptions | undefined): RolloutProgress {
  const b = r.budget();
  return {
    rolloutId: r.input.rolloutId,
    phase: r.phase,
    currentBatch: r.batchesStarted,
    totalBatches: r.totalBatches(),
    counts: { ...r.counts },
    pending: r.pendingCount,
    upgrading: r.upgrading,
    rebooting: r.rebooting,
    failures: r.failures,
    budget: b,
    budgetLeft: Math.max(0, b - r.failures),
    hosts: progressHosts(r, options?.hosts ?? 'all'),
    paused: r.paused !== null,
    pausedBy: r.paused?.by ?? null,
    waitingFor: r.waitingFor,
    windowOpensInMs: r.windowOpensAt === null ? null : Math.max(0, r.windowOpensAt - Date.now()),
    approvedBy: r.approvedBy,
    abortedBy: r.abort?.by ?? null,
    runs: r.runs,
    details: r.details,
  };
}

function progressHosts(r: Rollout, which: NonNullable<ProgressOptions['hosts']>): RolloutProgress['hosts'] {
  const hosts: RolloutProgress['hosts'] = [];
  if (which === 'none') return hosts;
  for (const h of r.order) {
    const e = r.entries.get(h) as HostEntry;
    if (which === 'unfinished' && (e.outcome === 'upgraded' || e.outcome === 'skipped')) continue;
    const item: RolloutProgress['hosts'][number] = { host: h, phase: e.phase };
    if (e.outcome !== undefined) item.outcome = e.outcome;
    if (e.reason !== undefined) item.reason = e.reason;
    if (e.batch !== undefined) item.batch = e.batch;
    if (e.rebooting) item.rebooting = true;
    hosts.push(item);
  }
  return hosts;
}

function refuse(bad: string | null): void {
  if (bad) throw new Error(bad);
}

function refuseWhenOver(r: Rollout, what: string): void {
  const id = r.input.rolloutId;
  if (r.ended) throw new Error(`rollout ${id} has ended (${r.phase}); nothing to ${what}`);
  if (r.abort) throw new Error(`rollout ${id} was aborted by ${r.abort.by}; nothing to ${what}`);
  if (r.halted) {
    const why = r.rehearsalFailed ? 'the VM rehearsal failed' : 'failure budget exceeded';
    throw new Error(`rollout ${id} halted (${why}); nothing to ${what}`);
  }
}

function handlePauseAndResume(r: Rollout): void {
  const id = r.input.rolloutId;
  setHandler(
    pauseRolloutUpdate,
    (args) => {
      r.paused = { by: args.by, ...(args.reason ? { reason: args.reason } : {}) };
      r.refreshDetails();
      return `rollout ${id} paused: no new host starts; ${r.upgrading} in flight finish`;
    },
    {
      validator: (args) => {
        refuse(checkPauseArgs(args));
        refuseWhenOver(r, 'pause');
        if (r.paused) throw new Error(`rollout ${id} is already paused by ${r.paused.by}`);
      },
    },
  );
  setHandler(
    resumeRolloutUpdate,
    (args) => {
      r.paused = null;
      r.refreshDetails();
      return `rollout ${id} resumed by ${args.by}`;
    },
    {
      validator: (args) => {
        refuse(checkResumeArgs(args));
        refuseWhenOver(r, 'resume');
        if (!r.paused) throw new Error(`rollout ${id} is not paused`);
      },
    },
  );
}

function handleAbortAndApprove(r: Rollout): void {
  const id = r.input.rolloutId;
  setHandler(
    abortRolloutUpdate,
    (args) => {
      r.abort = { by: args.by, reason: args.reason };
      r.refreshDetails();
      return `rollout ${id} aborting: no new host starts; ${r.upgrading} in flight finish or roll back`;
    },
    {
      validator: (args) => {
        refuse(checkAbortRolloutArgs(args));
        refuseWhenOver(r, 'abort');
      },
    },
  );
  setHandler(
    approveRolloutUpdate,
    (args) => {
      r.approvedBy = args.by;
      return `rollout ${id} approved by ${args.by}: continuing after the canary`;
    },
    {
      validator: (args) => {
        refuse(checkApproveRolloutArgs(args));
        if (r.waitingFor !== 'approval') {
          throw new Error(`rollout ${id}: nothing waits for approval (phase ${r.phase})`);
        }
      },
    },
  );
}

function handleHostListChanges(r: Rollout): void {
  const id = r.input.rolloutId;
  setHandler(
    addHostsUpdate,
    (args) => {
      for (const h of args.hosts) r.addEntry({ host: h.host, spec: h, phase: 'pending' });
      r.refreshDetails();
      return `added ${args.hosts.length} host(s) to rollout ${id}; ${r.order.length} in total`;
    },
    {
      validator: (args) => {
        refuseWhenOver(r, 'add hosts to');
        refuse(checkAddHostsArgs(args, (h) => r.entries.has(h)));
      },
    },
  );
  setHandler(
    skipHostUpdate,
    (args) => {
      r.record(args.host, 'skipped', `skipped by ${args.by}${args.reason ? `: ${args.reason}` : ''}`);
      return `${args.host} skipped in rollout ${id}`;
    },
    {
      validator: (args) => {
        refuse(checkSkipHostArgs(args));
        refuseWhenOver(r, 'skip');
        const e = r.entries.get(args.host);
        if (!e) throw new Error(`${args.host} is not in rollout ${id}`);
        if (e.phase !== 'pending') {
          throw new Error(`${args.host}: too late to skip (${e.phase}${e.outcome ? `, ${e.outcome}` : ''})`);
        }
      },
    },
  );
}
