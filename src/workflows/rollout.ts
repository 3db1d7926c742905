/**
 * rolloutKernel: a fleet rollout (docs/design.md, fleet workflow). Each host is upgraded by its own
 * `upgradeHostKernel` run, started here as a child with the workflow id kernel-upgrade/<host>,
 * so a host is never in two rollouts at once: a host whose run is already going is reported
 * `busy` and left alone.
 *
 * Order of things: canary batch, optional approval, then the batches (rollout-plan.ts), each
 * started only inside the maintenance window and while not paused; hosts of a batch run
 * concurrently, at most maxUnavailable at once. Any outcome but `upgraded` is a failure; once
 * failures exceed the budget no new host starts and the rollout halts after the hosts in flight
 * finish. `abort` stops starting hosts the same way. In-flight hosts are never cancelled — a
 * cancelled reboot could strand a host; their own workflow finishes or rolls back safely — and
 * they are started with ABANDON policies so even terminating the rollout leaves them running.
 *
 * History stays bounded: between batches (never with a child running) the run continues as new
 * when the history is long, carrying the outcomes and operator state (RolloutCarry); the next
 * run's input lists only the hosts not yet started.
 */
import {
  ApplicationFailure,
  ChildWorkflowCancellationType,
  type ChildWorkflowHandle,
  ChildWorkflowFailure,
  ParentClosePolicy,
  allHandlersFinished,
  condition,
  continueAsNew,
  patched,
  setCurrentDetails,
  setHandler,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError, type SearchAttributeUpdatePair } from '@temporalio/common';
import type { UpgradeResult } from '../shared/types';
import { batchSizeAt, batchSizes, describeWait, nextWindowStart, parseFailureBudget } from '../shared/rollout-plan';
import { HOLD_EXPIRED_REASON, UPGRADE_WORKFLOW_TYPE, rolloutDecisionSignal, upgradeWorkflowId } from './definitions';
import type { upgradeHostKernel } from './upgrade-host';
import {
  KernelRolloutOutcome,
  KernelRolloutPhase,
  KernelRolloutTarget,
  SEARCH_ATTRIBUTES_PATCH,
} from './search-attributes';
import {
  DEFAULT_MAX_HISTORY_EVENTS,
  HOST_ROLLOUT_OUTCOMES,
  abortRolloutUpdate,
  addHostsUpdate,
  approveRolloutUpdate,
  checkAbortRolloutArgs,
  checkAddHostsArgs,
  checkApproveRolloutArgs,
  checkPauseArgs,
  checkResumeArgs,
  checkRolloutInput,
  checkSkipHostArgs,
  countsAsFailure,
  pauseRolloutUpdate,
  resumeRolloutUpdate,
  rolloutProgressQuery,
  skipHostUpdate,
  hostInputFor,
  hostRebootingSignal,
  type HostRolloutOutcome,
  type HostRolloutPhase,
  type RolloutCarry,
  type RolloutHost,
  type RolloutHostRecord,
  type RolloutInput,
  type RolloutPhase,
  type RolloutProgress,
  type RolloutResult,
  type RolloutWaitingFor,
} from './rollout-definitions';

interface HostEntry {
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

type HostRun = ChildWorkflowHandle<typeof upgradeHostKernel>;

/** The next batch, started ahead with holdForRollout while the current one runs (prepareAhead). */
interface Ahead {
  batch: number;
  hosts: string[];
  /** Each host's held run, or null when it could not be started (already recorded). */
  runs: Map<string, Promise<HostRun | null>>;
}

/** upgradeHostKernel's preflight says this when it could not reach the host at all. */
const UNREACHABLE_REASON_RE = /^preflight could not read /;
const REASON_MAX = 300;

function shorten(text: string): string {
  return text.length > REASON_MAX ? `${text.slice(0, REASON_MAX - 1)}…` : text;
}

export async function rolloutKernel(input: RolloutInput, carried?: RolloutCarry): Promise<RolloutResult> {
  const carriedHosts = new Set((carried?.finished ?? []).map((r) => r.host));
  const badInput = checkRolloutInput(input, carried ? { alreadyIn: (h) => carriedHosts.has(h) } : undefined);
  if (badInput) throw ApplicationFailure.nonRetryable(badInput, 'InvalidInputError');

  const { strategy } = input;
  const maxHistoryEvents = input.maxHistoryEvents ?? DEFAULT_MAX_HISTORY_EVENTS;

  // ---- state -------------------------------------------------------------------------------
  const entries = new Map<string, HostEntry>();
  /** Every host in rollout order, finished or not (carried positions keep it across continueAsNew). */
  const order: string[] = [];
  const counts = Object.fromEntries(HOST_ROLLOUT_OUTCOMES.map((o) => [o, 0])) as Record<HostRolloutOutcome, number>;
  let failures = 0;
  let pendingCount = 0;

  const addEntry = (e: HostEntry): void => {
    entries.set(e.host, e);
    order.push(e.host);
    if (e.phase === 'pending') pendingCount += 1;
  };
  const carriedEntry = (r: RolloutHostRecord): HostEntry => {
    counts[r.outcome] += 1;
    if (countsAsFailure(r.outcome)) failures += 1;
    return { host: r.host, phase: 'done', outcome: r.outcome, reason: r.reason, batch: r.batch };
  };
  for (const e of mergeInRolloutOrder(
    (carried?.finished ?? []).map(carriedEntry),
    input.hosts.map((h): HostEntry => ({ host: h.host, spec: h, phase: 'pending' })),
    carried?.pendingPositions,
  )) {
    addEntry(e);
  }

  let batchesStarted = carried?.batchesStarted ?? 0;
  let approvedBy = carried?.approvedBy ?? null;
  let paused = carried?.paused ?? null;
  let abort = carried?.abort ?? null;
  let pauseOwed = carried?.pauseOwed ?? false;
  const runs = carried?.runs ?? 1;
  const startedAt = carried?.startedAt ?? new Date().toISOString();

  let phase: RolloutPhase = 'running';
  let waitingFor: RolloutWaitingFor = null;
  let windowOpensAt: number | null = null;
  let upgrading = 0;
  let rebooting = 0;
  let ahead: Ahead | null = null;
  // Set inside async steps too: read through a function so TypeScript does not narrow it.
  const aheadNow = (): Ahead | null => ahead;
  let halted = false;
  let ended = false;
  let details = '';

  // Handlers change these between awaits; reading through functions keeps TypeScript from
  // narrowing them to the value they had before the await.
  const isAborted = (): boolean => abort !== null;
  const isPaused = (): boolean => paused !== null;
  const isHalted = (): boolean => halted;

  const budget = (): number => parseFailureBudget(input.failureBudget, order.length);
  const pendingHosts = (): string[] => order.filter((h) => entries.get(h)?.phase === 'pending');
  const totalBatches = (): number => {
    // A batch prepared ahead is not started yet, and its hosts are no longer pending.
    const next = batchesStarted + (ahead !== null ? 1 : 0);
    return next + batchSizes(strategy, order.length, pendingCount, next).length;
  };

  const refreshDetails = (): void => {
    const prepared = ahead ? ahead.hosts.filter((h) => entries.get(h)?.phase === 'upgrading').length : 0;
    const others = upgrading - rebooting - prepared;
    let inFlight =
      rebooting === 0
        ? `${upgrading - prepared} hosts upgrading`
        : `${rebooting} hosts rebooting${others > 0 ? `, ${others} upgrading` : ''}`;
    if (prepared > 0) inFlight += `, ${prepared} of batch ${ahead?.batch ?? '?'} prepared ahead`;
    const parts = [`batch ${batchesStarted}/${totalBatches()}: ${inFlight}`];
    for (const o of HOST_ROLLOUT_OUTCOMES) {
      if (counts[o] > 0 && o !== 'not-started') parts.push(`${counts[o]} ${o.replace('-', ' ')}`);
    }
    const left = Math.max(0, budget() - failures);
    let sentence = `${parts.join(', ')}, budget ${left} left`;
    if (counts['not-started'] > 0) sentence += `, ${counts['not-started']} not started`;
    const prefix: Partial<Record<RolloutPhase, string>> = {
      'waiting-for-approval': 'waiting for approval after the canary — ',
      'waiting-for-window':
        windowOpensAt !== null
          ? `waiting for the window ${input.window ?? ''} (opens in ${describeWait(windowOpensAt - Date.now())}) — `
          : 'waiting for the window — ',
      'between-batches': `pausing ${input.pauseBetweenBatchesSeconds}s between batches — `,
      paused: `paused by ${paused?.by ?? '?'}${paused?.reason ? ` (${paused.reason})` : ''} — `,
      halted: 'HALTED: failure budget exceeded — ',
      aborted: `ABORTED by ${abort?.by ?? '?'}: ${abort?.reason ?? ''} — `,
      completed: 'completed — ',
    };
    details = `${prefix[phase] ?? ''}${sentence}`;
    setCurrentDetails(details);
  };
  // Phase (target first time, outcome at the end) for the web UI's filters; runs started before
  // the attributes existed replay without the upserts.
  const searchable = patched(SEARCH_ATTRIBUTES_PATCH);
  let publishedPhase: RolloutPhase | null = null;
  const publishSearchAttributes = (): void => {
    if (!searchable || publishedPhase === phase) return;
    const pairs: SearchAttributeUpdatePair[] = [{ key: KernelRolloutPhase, value: phase }];
    if (publishedPhase === null) pairs.push({ key: KernelRolloutTarget, value: input.template.toRelease });
    if (ended) pairs.push({ key: KernelRolloutOutcome, value: phase });
    upsertSearchAttributes(pairs);
    publishedPhase = phase;
  };
  const enter = (next: RolloutPhase, waiting: RolloutWaitingFor): void => {
    phase = next;
    waitingFor = waiting;
    refreshDetails();
    publishSearchAttributes();
  };

  const record = (host: string, outcome: HostRolloutOutcome, reason: string | undefined): void => {
    const e = entries.get(host);
    if (!e) return;
    if (e.phase === 'upgrading') upgrading -= 1;
    if (e.phase === 'pending') pendingCount -= 1;
    if (e.rebooting) rebooting -= 1;
    delete e.rebooting;
    e.phase = 'done';
    e.outcome = outcome;
    e.reason = outcome === 'upgraded' || reason === undefined ? undefined : shorten(reason);
    delete e.spec;
    counts[outcome] += 1;
    if (countsAsFailure(outcome)) {
      failures += 1;
      if (failures > budget()) halted = true;
    }
    refreshDetails();
  };

  // ---- handlers ----------------------------------------------------------------------------
  setHandler(rolloutProgressQuery, (options) => {
    const which = options?.hosts ?? 'all';
    const hosts: RolloutProgress['hosts'] = [];
    if (which !== 'none') {
      for (const h of order) {
        const e = entries.get(h) as HostEntry;
        if (which === 'unfinished' && (e.outcome === 'upgraded' || e.outcome === 'skipped')) continue;
        const item: RolloutProgress['hosts'][number] = { host: h, phase: e.phase };
        if (e.outcome !== undefined) item.outcome = e.outcome;
        if (e.reason !== undefined) item.reason = e.reason;
        if (e.batch !== undefined) item.batch = e.batch;
        if (e.rebooting) item.rebooting = true;
        hosts.push(item);
      }
    }
    const b = budget();
    return {
      rolloutId: input.rolloutId,
      phase,
      currentBatch: batchesStarted,
      totalBatches: totalBatches(),
      counts: { ...counts },
      pending: pendingCount,
      upgrading,
      rebooting,
      failures,
      budget: b,
      budgetLeft: Math.max(0, b - failures),
      hosts,
      paused: paused !== null,
      pausedBy: paused?.by ?? null,
      waitingFor,
      windowOpensInMs: windowOpensAt === null ? null : Math.max(0, windowOpensAt - Date.now()),
      approvedBy,
      abortedBy: abort?.by ?? null,
      runs,
      details,
    };
  });

  const refuse = (bad: string | null): void => {
    if (bad) throw new Error(bad);
  };
  const refuseWhenOver = (what: string): void => {
    if (ended) throw new Error(`rollout ${input.rolloutId} has ended (${phase}); nothing to ${what}`);
    if (abort) throw new Error(`rollout ${input.rolloutId} was aborted by ${abort.by}; nothing to ${what}`);
    if (halted) throw new Error(`rollout ${input.rolloutId} halted (failure budget exceeded); nothing to ${what}`);
  };

  setHandler(hostRebootingSignal, (args) => {
    const e = typeof args?.host === 'string' ? entries.get(args.host) : undefined;
    // Only hosts in flight; a late signal from a host already recorded is dropped.
    if (!e || e.phase !== 'upgrading' || typeof args.rebooting !== 'boolean') return;
    if (args.rebooting === (e.rebooting ?? false)) return;
    e.rebooting = args.rebooting;
    rebooting += args.rebooting ? 1 : -1;
    refreshDetails();
  });
  setHandler(
    pauseRolloutUpdate,
    (args) => {
      paused = { by: args.by, ...(args.reason ? { reason: args.reason } : {}) };
      refreshDetails();
      return `rollout ${input.rolloutId} paused: no new host starts; ${upgrading} in flight finish`;
    },
    {
      validator: (args) => {
        refuse(checkPauseArgs(args));
        refuseWhenOver('pause');
        if (paused) throw new Error(`rollout ${input.rolloutId} is already paused by ${paused.by}`);
      },
    },
  );
  setHandler(
    resumeRolloutUpdate,
    (args) => {
      paused = null;
      refreshDetails();
      return `rollout ${input.rolloutId} resumed by ${args.by}`;
    },
    {
      validator: (args) => {
        refuse(checkResumeArgs(args));
        refuseWhenOver('resume');
        if (!paused) throw new Error(`rollout ${input.rolloutId} is not paused`);
      },
    },
  );
  setHandler(
    abortRolloutUpdate,
    (args) => {
      abort = { by: args.by, reason: args.reason };
      refreshDetails();
      return `rollout ${input.rolloutId} aborting: no new host starts; ${upgrading} in flight finish or roll back`;
    },
    {
      validator: (args) => {
        refuse(checkAbortRolloutArgs(args));
        refuseWhenOver('abort');
      },
    },
  );
  setHandler(
    approveRolloutUpdate,
    (args) => {
      approvedBy = args.by;
      return `rollout ${input.rolloutId} approved by ${args.by}: continuing after the canary`;
    },
    {
      validator: (args) => {
        refuse(checkApproveRolloutArgs(args));
        if (waitingFor !== 'approval') {
          throw new Error(`rollout ${input.rolloutId}: nothing waits for approval (phase ${phase})`);
        }
      },
    },
  );
  setHandler(
    addHostsUpdate,
    (args) => {
      for (const h of args.hosts) addEntry({ host: h.host, spec: h, phase: 'pending' });
      refreshDetails();
      return `added ${args.hosts.length} host(s) to rollout ${input.rolloutId}; ${order.length} in total`;
    },
    {
      validator: (args) => {
        refuseWhenOver('add hosts to');
        refuse(checkAddHostsArgs(args, (h) => entries.has(h)));
      },
    },
  );
  setHandler(
    skipHostUpdate,
    (args) => {
      record(args.host, 'skipped', `skipped by ${args.by}${args.reason ? `: ${args.reason}` : ''}`);
      return `${args.host} skipped in rollout ${input.rolloutId}`;
    },
    {
      validator: (args) => {
        refuse(checkSkipHostArgs(args));
        refuseWhenOver('skip');
        const e = entries.get(args.host);
        if (!e) throw new Error(`${args.host} is not in rollout ${input.rolloutId}`);
        if (e.phase !== 'pending') {
          throw new Error(`${args.host}: too late to skip (${e.phase}${e.outcome ? `, ${e.outcome}` : ''})`);
        }
      },
    },
  );

  // ---- one host ------------------------------------------------------------------------------
  /** Starts the host's run (held before its reboot when `hold`); null when it did not start. */
  const startHost = async (host: string, batch: number, hold: boolean): Promise<HostRun | null> => {
    const e = entries.get(host);
    if (!e || e.phase !== 'pending' || !e.spec) return null;
    const hostInput = hostInputFor(input.template, e.spec);
    if (hold) hostInput.holdForRollout = true;
    e.phase = 'upgrading';
    e.batch = batch;
    upgrading += 1;
    pendingCount -= 1;
    refreshDetails();
    try {
      return await startChild<typeof upgradeHostKernel>(UPGRADE_WORKFLOW_TYPE, {
        workflowId: upgradeWorkflowId(host),
        args: [hostInput],
        // Never cancel or terminate a host mid-upgrade because of the rollout: its own workflow
        // knows how to finish or roll back; a cancelled reboot could strand it.
        cancellationType: ChildWorkflowCancellationType.ABANDON,
        parentClosePolicy: ParentClosePolicy.ABANDON,
        staticSummary: `${host} → ${hostInput.toRelease} (rollout ${input.rolloutId}, batch ${batch}${hold ? ', prepared ahead' : ''})`,
      });
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) {
        record(host, 'busy', `another run of ${upgradeWorkflowId(host)} is in progress; this rollout left it alone`);
        return null;
      }
      throw err;
    }
  };

  /**
   * Waits for the host's run and records its outcome. `held`: the run was prepared ahead;
   * `noGo`: the rollout told it not to reboot.
   */
  const finishHost = async (host: string, run: HostRun, held = false, noGo = false): Promise<void> => {
    let result: UpgradeResult;
    try {
      result = await run.result();
    } catch (err) {
      if (!(err instanceof ChildWorkflowFailure)) throw err;
      record(host, 'failed', `${upgradeWorkflowId(host)} failed: ${err.cause?.message ?? err.message}`);
      return;
    }
    if (held && result.outcome === 'aborted' && (noGo || result.reason.startsWith(HOLD_EXPIRED_REASON))) {
      if (noGo) {
        record(host, 'not-started', `prepared ahead, never rebooted: ${result.reason}`);
      } else {
        // Held past its limit (a long pause or window): it undid its staging; start it again later.
        const e = entries.get(host);
        if (e && e.phase === 'upgrading') {
          e.phase = 'pending';
          delete e.batch;
          if (e.rebooting) rebooting -= 1;
          delete e.rebooting;
          upgrading -= 1;
          pendingCount += 1;
          refreshDetails();
        }
      }
      return;
    }
    const outcome: HostRolloutOutcome =
      result.outcome === 'refused' && UNREACHABLE_REASON_RE.test(result.reason) ? 'unreachable' : result.outcome;
    record(host, outcome, result.reason);
  };

  const runHost = async (host: string, batch: number): Promise<void> => {
    const run = await startHost(host, batch, false);
    if (run) await finishHost(host, run);
  };

  /** Tells a held run to reboot (go) or to undo its staging; a run that already ended ignores it. */
  const decide = async (run: HostRun, go: boolean, reason: string): Promise<void> => {
    try {
      await run.signal(rolloutDecisionSignal, { go, by: workflowInfo().workflowId, reason });
    } catch {
      // The run has ended (e.g. preflight refused the host): its result says what happened.
    }
  };

  /** Starts the next batch's runs now, each held after staging until the batch's turn. */
  const prepareBatch = (hosts: string[], batch: number): Ahead => {
    const runs = new Map<string, Promise<HostRun | null>>();
    for (const h of hosts) runs.set(h, startHost(h, batch, true));
    return { batch, hosts, runs };
  };

  /**
   * Ends the prepared batch's hold: go (its turn: every held run reboots) or no go (the rollout
   * stops: each undoes its staging and is recorded as not started); then records the outcomes.
   */
  const endHold = async (a: Ahead, go: boolean, reason: string): Promise<void> => {
    await Promise.all(
      a.hosts.map(async (host) => {
        const run = await a.runs.get(host);
        if (!run) return;
        await decide(run, go, reason);
        await finishHost(host, run, true, !go);
      }),
    );
  };

  /** Starts the batch's hosts, at most maxUnavailable at once, and waits for all of them. */
  const runBatch = async (hosts: string[], batch: number): Promise<void> => {
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < hosts.length && !isAborted() && !isHalted()) {
        if (isPaused()) {
          await condition(() => !isPaused() || isAborted());
          continue;
        }
        const host = hosts[next++] as string;
        await runHost(host, batch);
      }
    };
    const lanes = Math.min(hosts.length, strategy.maxUnavailable ?? hosts.length);
    await Promise.all(Array.from({ length: lanes }, lane));
  };

  const carry = (): RolloutCarry => ({
    finished: order
      .map((h) => entries.get(h) as HostEntry)
      .filter((e) => e.phase === 'done')
      .map(toRecord),
    pendingPositions: order.flatMap((h, i) => (entries.get(h)?.phase === 'pending' ? [i] : [])),
    batchesStarted,
    approvedBy,
    paused,
    abort,
    pauseOwed,
    runs: runs + 1,
    startedAt,
  });

  // ---- the batches -------------------------------------------------------------------------
  refreshDetails();
  for (;;) {
    if (isAborted() || isHalted()) break;
    const pending = pendingHosts();
    if (pending.length === 0 && aheadNow() === null) break;

    // Between batches nothing is in flight (a prepared batch is run first): the one safe place
    // to continue as new.
    const info = workflowInfo();
    const historyLong = info.historyLength > maxHistoryEvents || info.continueAsNewSuggested;
    if (historyLong && aheadNow() === null) {
      await condition(allHandlersFinished);
      const left = pendingHosts()
        .map((h) => entries.get(h)?.spec)
        .filter((h): h is RolloutHost => h !== undefined);
      return continueAsNew<typeof rolloutKernel>({ ...input, hosts: left }, carry());
    }

    const gateOpen = !input.approveAfterCanary || strategy.canary === 0 || batchesStarted !== 1;
    if (!gateOpen && approvedBy === null) {
      enter('waiting-for-approval', 'approval');
      await condition(() => approvedBy !== null || isAborted());
      continue;
    }
    if (pauseOwed) {
      pauseOwed = false;
      if (input.pauseBetweenBatchesSeconds > 0) {
        enter('between-batches', 'pause-between-batches');
        await condition(isAborted, `${input.pauseBetweenBatchesSeconds}s`, {
          summary: `pause ${input.pauseBetweenBatchesSeconds}s between batches`,
        });
        continue;
      }
    }
    if (isPaused()) {
      enter('paused', 'resume');
      await condition(() => !isPaused() || isAborted());
      continue;
    }
    if (input.window) {
      const waitMs = nextWindowStart(input.window, new Date());
      if (waitMs > 0) {
        windowOpensAt = Date.now() + waitMs;
        enter('waiting-for-window', 'window');
        await condition(() => isAborted() || isPaused(), waitMs, {
          summary: `wait ${describeWait(waitMs)} for the window ${input.window}`,
        });
        windowOpensAt = null;
        continue;
      }
    }

    const current = aheadNow();
    ahead = null;
    const hosts = current ? current.hosts : pending.slice(0, batchSizeAt(strategy, batchesStarted, order.length));
    batchesStarted += 1;
    enter('running', 'hosts');
    const running = current
      ? endHold(current, true, `batch ${current.batch} of rollout ${input.rolloutId} goes`)
      : runBatch(hosts, batchesStarted);
    // prepareAhead: once this batch's hosts are rebooting (or done), the next batch preflights,
    // installs and stages during their boot, then waits for its turn. Not sooner, so it does not
    // slow this batch's own steps; not across the approval after the canary, nor when a
    // continueAsNew is due.
    const approvalNext = input.approveAfterCanary && strategy.canary > 0 && batchesStarted === 1;
    let preparing: Promise<void> = Promise.resolve();
    if (input.prepareAhead === true && !approvalNext && !historyLong) {
      const batchIndex = batchesStarted;
      const away = (h: string): boolean => {
        const e = entries.get(h);
        // Rebooting, done, or back to pending (a held run that gave up waiting).
        return e === undefined || e.phase !== 'upgrading' || e.rebooting === true;
      };
      preparing = (async () => {
        await condition(() => hosts.every(away) || isAborted() || isHalted());
        // Paused: no new host starts, prepared or not; the next batch starts after resume.
        if (isAborted() || isHalted() || isPaused()) return;
        const inThis = new Set(hosts);
        const next = pendingHosts()
          .filter((h) => !inThis.has(h))
          .slice(0, batchSizeAt(strategy, batchIndex, order.length));
        if (next.length > 0) ahead = prepareBatch(next, batchIndex + 1);
        refreshDetails();
      })();
    }
    await running;
    await preparing;
    pauseOwed = true;
  }
  const left = aheadNow();
  if (left !== null) {
    const a: Ahead = left;
    await endHold(
      a,
      false,
      abort ? `rollout aborted by ${abort.by}: ${abort.reason}` : 'rollout halted: failure budget exceeded',
    );
    ahead = null;
  }

  // ---- the end -------------------------------------------------------------------------------
  for (const h of pendingHosts()) {
    record(h, 'not-started', abort ? `rollout aborted by ${abort.by}: ${abort.reason}` : 'rollout halted');
  }
  const outcome: RolloutResult['outcome'] = abort ? 'aborted' : halted ? 'halted' : 'completed';
  const b = budget();
  const reason =
    outcome === 'aborted'
      ? `aborted by ${abort?.by}: ${abort?.reason}`
      : outcome === 'halted'
        ? `${failures} host(s) failed, more than the budget of ${b} (${input.failureBudget}); no new host started`
        : `${counts.upgraded} of ${order.length} host(s) upgraded, ${failures} failed (budget ${b})`;
  ended = true;
  enter(outcome, null);
  await condition(allHandlersFinished);
  return {
    rolloutId: input.rolloutId,
    outcome,
    reason,
    counts: { ...counts },
    failures,
    budget: b,
    batches: batchesStarted,
    runs,
    startedAt,
    hosts: order.map((h) => toRecord(entries.get(h) as HostEntry)),
  };
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
