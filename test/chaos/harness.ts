/**
 * The chaos suite's machinery: a Temporal dev server it can SIGKILL and restart on the same
 * SQLite file and port, workers in child processes it can SIGKILL and replace, rollouts over
 * simulated hosts with their faults, a simulated operator who answers `needs-attention`, and the
 * evidence the invariant checker reads (host state from the simulator, decisions from the
 * workflows' histories). Waits are on observable conditions, each with a deadline.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client, WorkflowFailedError } from '@temporalio/client';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { tsToMs } from '@temporalio/common/lib/time';
import { bundleWorkflowCode } from '@temporalio/worker';
import { startDevServer, type DevServer } from '../../src/dev/temporal-server';
import { serverAnswers } from '../helpers/temporal';
import { freePort } from '../../src/node/free-port';
import { startRollout } from '../../src/client/rollout';
import { resolveUpdate, statusQuery, upgradeWorkflowId } from '../../src/workflows/definitions';
import type { RolloutResult } from '../../src/workflows/rollout-definitions';
import type {
  AwaitCommitRequest,
  AwaitCommitResult,
  CommitRequest,
  CommitVerifiedRequest,
  CommitVerifiedResult,
  UpgradeResult,
  VerifyResult,
} from '../../src/shared/types';
import type { Simulator } from '../../sim/simulator';
import { FAULTS, HEALTH_CHECKS, NEW, injectFault, powerConfig, type FaultKind } from './faults';
import {
  menuAsBooted,
  type HostEvidence,
  type Participation,
  type RunEvidence,
  type WorkflowEvidence,
} from './invariants';

// ---- waiting ------------------------------------------------------------------------------------

/** Polls `check` until it holds; fails naming `what` after `timeoutMs`. */
export async function waitUntil(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  everyMs = 25,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let ok = false;
    try {
      ok = await check();
    } catch {
      ok = false;
    }
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

// ---- the Temporal dev server ------------------------------------------------------------------------

/** A dev server on a fixed port and SQLite file, so it can be killed and started again as the same server. */
export class ChaosTemporal {
  kills = 0;
  private constructor(
    private server: DevServer,
    readonly dbFile: string,
    readonly port: number,
    readonly logDir: string,
  ) {}

  /**
   * The SQLite file goes to `dbDir` (tmpfs when there is one: on a loaded 2-core machine a disk
   * file made the server miss its own deadlines; a process kill loses the same on both), the
   * server's log to `logDir`.
   */
  static async start(dbDir: string, logDir: string): Promise<ChaosTemporal> {
    const dbFile = path.join(dbDir, 'temporal.sqlite');
    const port = await freePort();
    const server = await startDevServer({ dbFile, port, headless: true, logPath: path.join(logDir, 'temporal.log') });
    return new ChaosTemporal(server, dbFile, port, logDir);
  }

  get address(): string {
    return this.server.address;
  }

  get pid(): number {
    return this.server.pid;
  }

  /** SIGKILL by pid: no shutdown, whatever SQLite has not written is lost. */
  async kill(): Promise<void> {
    const child = this.server.process;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    process.kill(this.server.pid, 'SIGKILL');
    await exited;
    this.kills += 1;
  }

  /** The same server again: same SQLite file, same port; resolves once it answers. */
  async restart(): Promise<void> {
    this.server = await startDevServer({
      dbFile: this.dbFile,
      port: this.port,
      headless: true,
      logPath: path.join(this.logDir, 'temporal.log'),
    });
  }

  answers(): Promise<boolean> {
    return serverAnswers(this.address);
  }

  stop(): Promise<void> {
    return this.server.stop();
  }
}

// ---- workers ----------------------------------------------------------------------------------------

/** Builds the workflow bundle once and writes it where the worker children read it. */
export async function writeWorkflowBundle(dir: string): Promise<string> {
  const noop = () => undefined;
  const bundle = await bundleWorkflowCode({
    workflowsPath: require.resolve('../../src/workflows'),
    logger: { log: noop, trace: noop, debug: noop, info: noop, warn: noop, error: noop },
  });
  const file = path.join(dir, 'workflow-bundle.js');
  fs.writeFileSync(file, bundle.code);
  return file;
}

/**
 * Keeps one worker process (dist/test/chaos/worker.js) polling a task queue. `killAndReplace`
 * SIGKILLs it and starts another; a worker that dies on its own (e.g. while the server is gone)
 * is replaced too and counted in `crashes`.
 */
export class WorkerSupervisor {
  kills = 0;
  crashes = 0;
  private child: ChildProcess | null = null;
  private stopping = false;
  private replacing: Promise<void> | null = null;

  constructor(
    readonly address: string,
    readonly taskQueue: string,
    private readonly bundlePath: string,
    readonly logPath: string,
  ) {}

  get pid(): number {
    return this.child?.pid ?? -1;
  }

  async start(timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const started = await this.spawnOne();
      if (started) return;
      if (Date.now() > deadline) throw new Error(`worker for ${this.taskQueue} did not start; see ${this.logPath}`);
      // The server may be down (killed on purpose): try again shortly.
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  private spawnOne(): Promise<boolean> {
    const log = fs.openSync(this.logPath, 'a');
    const child = spawn(
      process.execPath,
      [path.join(__dirname, 'worker.js'), this.address, this.taskQueue, this.bundlePath],
      // stdin stays open while the suite lives: the worker exits when it closes (suite killed).
      { stdio: ['pipe', 'pipe', log] },
    );
    fs.closeSync(log);
    return new Promise((resolve) => {
      let ready = false;
      child.stdout?.on('data', (b: Buffer) => {
        if (!ready && b.toString().includes('worker-ready')) {
          ready = true;
          this.child = child;
          resolve(true);
        }
      });
      child.once('exit', () => {
        if (!ready) return resolve(false);
        if (this.child !== child || this.stopping) return;
        // Died on its own: replace it.
        this.child = null;
        this.crashes += 1;
        this.replacing = this.start().catch(() => undefined);
      });
    });
  }

  /** SIGKILL, then a new worker on the same task queue. */
  async killAndReplace(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      this.child = null;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
      this.kills += 1;
    }
    await this.start();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.replacing;
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(t);
  }
}

// ---- rollouts -----------------------------------------------------------------------------------------

export interface ChaosHost {
  name: string;
  fault: FaultKind;
}

export type TemplateKind = 'fast' | 'slow';

/**
 * The rollout template: apt install, panic=1, revert timer 60 s (the schema's minimum), no
 * stability window, heartbeats every 3 s (a killed worker's activity is retried seconds later),
 * the simulator's power driver. `fast`: boot deadline 15 s (a host without network is
 * power-cycled before its revert timer fires). `slow`: 90 s (the revert timer brings it back).
 */
export function rolloutTemplate(sim: Simulator, kind: TemplateKind) {
  return {
    ssh: { port: 22, user: 'root', privateKeyPath: sim.clientKeyPath, knownHostsPath: sim.knownHostsPath },
    toRelease: NEW,
    source: { kind: 'apt', packageName: `linux-image-${NEW}` },
    panicSeconds: 1,
    revertAfterSeconds: 60,
    stabilitySeconds: 0,
    healthChecks: HEALTH_CHECKS,
    power: powerConfig(sim, 'working'),
    timeouts: {
      bootDeadlineSeconds: kind === 'fast' ? 15 : 90,
      powerCycleDeadlineSeconds: 10,
      approvalTimeoutSeconds: 60,
      heartbeatSeconds: 3,
      pollCapSeconds: 0.5,
    },
  };
}

/** How a chaos rollout batches its hosts: one batch (default), or batches of N with the next prepared ahead. */
export interface ChaosBatching {
  batchSize?: number;
  prepareAhead?: boolean;
}

export function rolloutRequest(
  sim: Simulator,
  rolloutId: string,
  hosts: ChaosHost[],
  kind: TemplateKind,
  batching: ChaosBatching = {},
) {
  return {
    rolloutId,
    template: rolloutTemplate(sim, kind),
    hosts: hosts.map((h) => {
      const power = FAULTS[h.fault].power;
      return {
        host: h.name,
        address: '127.0.0.1',
        ssh: { port: sim.host(h.name).port },
        ...(power === 'working' ? {} : { power: powerConfig(sim, power) }),
      };
    }),
    strategy: { canary: 0, batches: [batching.batchSize ?? hosts.length] },
    // Every fault is expected: the rollout must run every host, never halt.
    failureBudget: '100%',
    prepareAhead: batching.prepareAhead ?? false,
  };
}

/**
 * The operator: while `active()`, answers every run of these hosts that waits in
 * needs-attention, by the fault's policy (give up; or reset the host by hand, then mark it fixed).
 */
export class ChaosOperator {
  readonly resets = new Map<string, number>();
  readonly answered = new Map<string, number>();
  private done = false;
  private loop: Promise<void> | null = null;

  constructor(
    private readonly client: Client,
    private readonly sim: Simulator,
    private readonly hosts: ChaosHost[],
  ) {}

  start(): void {
    const watched = this.hosts.filter((h) => FAULTS[h.fault].operator !== undefined);
    if (watched.length === 0) return;
    this.loop = (async () => {
      const resetFor = new Set<string>();
      while (!this.done) {
        for (const h of watched) {
          if (this.done) break;
          const handle = this.client.workflow.getHandle(upgradeWorkflowId(h.name));
          let waiting = false;
          let step = '';
          try {
            const st = await handle.query(statusQuery);
            waiting = st.waitingFor === 'operator' && st.outcome === null;
            step = st.details;
          } catch {
            continue; // not started yet, or no worker/server right now
          }
          if (!waiting) continue;
          const policy = FAULTS[h.fault].operator;
          const episode = `${h.name} ${step}`;
          if (policy === 'reset-by-hand-and-mark-fixed' && !resetFor.has(episode)) {
            resetFor.add(episode);
            this.sim.powerReset(h.name);
            this.resets.set(h.name, (this.resets.get(h.name) ?? 0) + 1);
          }
          try {
            await handle.executeUpdate(resolveUpdate, {
              args: [
                {
                  by: 'chaos-operator',
                  action: policy === 'give-up' ? 'give-up' : 'mark-fixed',
                  comment: policy === 'give-up' ? 'leaving it for the hardware team' : 'power-cycled it by hand',
                },
              ],
            });
            this.answered.set(h.name, (this.answered.get(h.name) ?? 0) + 1);
          } catch {
            // Answered already, or the worker/server is being killed: look again next round.
          }
        }
        await new Promise((r) => setTimeout(r, 300));
      }
    })();
  }

  async stop(): Promise<void> {
    this.done = true;
    await this.loop;
  }
}

/** handle.result() that survives the server being killed and restarted underneath it. */
export async function durableResult<T>(
  what: string,
  result: () => Promise<T>,
  serverUp: () => Promise<boolean>,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await result();
    } catch (err) {
      if (err instanceof WorkflowFailedError || Date.now() > deadline) throw err;
      await waitUntil(`the Temporal server to answer (${what})`, serverUp, Math.max(1000, deadline - Date.now()), 250);
    }
  }
}

export interface RolloutRun {
  rolloutId: string;
  result: RolloutResult;
  operator: ChaosOperator;
}

/**
 * Gives each host its fault, starts the rollout and returns its result once every host has an
 * outcome; `during` runs beside it (the scenario's process-level chaos).
 */
export async function runRollout(opts: {
  client: Client;
  sim: Simulator;
  taskQueue: string;
  rolloutId: string;
  hosts: ChaosHost[];
  template: TemplateKind;
  serverUp: () => Promise<boolean>;
  inject?: boolean;
  during?: () => Promise<void>;
  timeoutMs?: number;
  batching?: ChaosBatching;
}): Promise<RolloutRun> {
  const { client, sim, hosts } = opts;
  if (opts.inject !== false) for (const h of hosts) injectFault(sim, h.name, FAULTS[h.fault]);
  const operator = new ChaosOperator(client, sim, hosts);
  const { handle } = await startRollout(
    client,
    opts.taskQueue,
    rolloutRequest(sim, opts.rolloutId, hosts, opts.template, opts.batching),
  );
  operator.start();
  const timeoutMs = opts.timeoutMs ?? 300_000;
  let timer: NodeJS.Timeout | undefined;
  // A rollout that does not end is a failure with the hosts' own words, never a hung suite.
  const stuck = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      void describeHosts(client, hosts).then((lines) =>
        reject(new Error(`rollout ${opts.rolloutId} not done after ${timeoutMs} ms:\n${lines.join('\n')}`)),
      );
    }, timeoutMs);
  });
  try {
    const [result] = await Promise.race([
      Promise.all([durableResult(opts.rolloutId, () => handle.result(), opts.serverUp, timeoutMs), opts.during?.()]),
      stuck,
    ]);
    return { rolloutId: opts.rolloutId, result, operator };
  } finally {
    clearTimeout(timer);
    await operator.stop();
  }
}

/** Each host's phase and details, from its run's status query. */
async function describeHosts(client: Client, hosts: ChaosHost[]): Promise<string[]> {
  const lines: string[] = [];
  for (const h of hosts) {
    try {
      const st = await client.workflow.getHandle(upgradeWorkflowId(h.name)).query(statusQuery);
      lines.push(`  ${h.name} [${h.fault}]: ${st.outcome ?? st.phase} — ${st.details}`);
    } catch (err) {
      lines.push(`  ${h.name} [${h.fault}]: no status (${(err as Error).message})`);
    }
  }
  return lines;
}

// ---- evidence --------------------------------------------------------------------------------------------

function decode<T>(payloads: { payloads?: Payload[] | null } | null | undefined): T | undefined {
  const p = payloads?.payloads?.[0];
  return p ? defaultPayloadConverter.fromPayload<T>(p) : undefined;
}

const RUN_STATUS: Record<string, RunEvidence['status']> = {
  RUNNING: 'running',
  COMPLETED: 'completed',
  FAILED: 'failed',
  TERMINATED: 'terminated',
  TIMED_OUT: 'timed-out',
  CANCELLED: 'canceled',
  CONTINUED_AS_NEW: 'continued-as-new',
};

/** Every run of kernel-upgrade/<host>, read from its history: decisions, verifications, commits. */
export async function workflowEvidence(client: Client, host: string): Promise<WorkflowEvidence> {
  const workflowId = upgradeWorkflowId(host);
  const runIds = new Set<string>();
  for await (const wf of client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) runIds.add(wf.runId);
  try {
    const latest = await client.workflow.getHandle(workflowId).describe();
    runIds.add(latest.runId);
  } catch {
    // never started (e.g. busy everywhere it was listed)
  }
  const ev: WorkflowEvidence = { runs: [], rebootDecisions: 0, powerCycleDecisions: 0, verified: [], commits: [] };
  for (const runId of runIds) {
    const handle = client.workflow.getHandle(workflowId, runId);
    const history = await handle.fetchHistory();
    const desc = await handle.describe();
    const scheduled = new Map<string, { type: string; input: unknown }>();
    const run: RunEvidence = {
      runId,
      startedAt: desc.startTime.getTime(),
      closedAt: desc.closeTime ? desc.closeTime.getTime() : null,
      status: RUN_STATUS[desc.status.name] ?? 'running',
    };
    for (const e of history.events ?? []) {
      const id = String(e.eventId);
      const s = e.activityTaskScheduledEventAttributes;
      if (s) {
        const type = s.activityType?.name ?? '';
        scheduled.set(id, { type, input: decode(s.input) });
        if (type === 'rebootHost') ev.rebootDecisions += 1;
        if (type === 'powerCycle') ev.powerCycleDecisions += 1;
      }
      const c = e.activityTaskCompletedEventAttributes;
      if (c) {
        const sched = scheduled.get(String(c.scheduledEventId));
        if (sched?.type === 'verifyKernel') {
          const r = decode<VerifyResult>(c.result);
          if (r?.ok) ev.verified.push({ release: r.runningKernel, bootId: r.bootId });
        }
        if (sched?.type === 'commitKernel') {
          const req = sched.input as CommitRequest;
          ev.commits.push({ release: req.toRelease, bootId: req.expectedBootId });
        }
        // Verify, confirm and commit in one activity: its verdict, and its commit when there is one.
        if (sched?.type === 'commitVerifiedTrial') {
          const r = decode<CommitVerifiedResult>(c.result);
          const req = sched.input as CommitVerifiedRequest;
          if (r?.verdict.ok) ev.verified.push({ release: r.verdict.runningKernel, bootId: r.verdict.bootId });
          if (r?.commit) ev.commits.push({ release: req.expectedRelease, bootId: req.expectedBootId });
        }
        // The wait, the verification and the commit in one activity: the same, from its `verified`.
        if (sched?.type === 'awaitReturnAndCommit') {
          const r = decode<AwaitCommitResult>(c.result);
          const req = sched.input as AwaitCommitRequest;
          const v = r?.verified;
          if (v?.verdict.ok) ev.verified.push({ release: v.verdict.runningKernel, bootId: v.verdict.bootId });
          if (v?.commit && r?.back.back) {
            ev.commits.push({ release: req.thenVerify.expectedRelease, bootId: r.back.bootId });
          }
        }
      }
      const done = e.workflowExecutionCompletedEventAttributes;
      if (done) {
        const r = decode<UpgradeResult>(done.result);
        if (r) run.result = r;
        if (run.closedAt === null) run.closedAt = tsToMs(e.eventTime);
      }
    }
    ev.runs.push(run);
  }
  return ev;
}

export async function hostEvidence(
  client: Client,
  sim: Simulator,
  host: string,
  participations: Participation[],
  operatorResets: number,
): Promise<HostEvidence> {
  const dir = path.join(sim.stateDir, 'hosts', host, 'boot', 'grub');
  return {
    host,
    target: NEW,
    participations,
    inspection: sim.inspect(host),
    grubenv: fs.readFileSync(path.join(dir, 'grubenv'), 'utf8'),
    grubCfg: menuAsBooted(dir),
    commands: sim.commands(host),
    operatorResets,
    workflow: await workflowEvidence(client, host),
  };
}

/** The outcome a rollout reported for a host, or null when it has none. */
export function outcomeIn(result: RolloutResult, host: string): Participation['outcome'] {
  return result.hosts.find((h) => h.host === host)?.outcome ?? null;
}

export function shortId(): string {
  return randomBytes(3).toString('hex');
}
