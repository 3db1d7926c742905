/**
 * What every bench shares: the figures they print (with targets, never asserted), the Temporal
 * dev server and the worker (a child process, so its CPU and peak RSS are its own), simulated
 * fleets, rollout requests, CPU accounting from /proc, and the timeline arithmetic that splits an
 * upgrade's wall time into the host's own work and kernel-rollout's overhead.
 *
 * Benches print figures; they never fail on a timing. They exit non-zero only when a run did not
 * do what it should (a host not upgraded), because then its figures mean nothing.
 */
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SQLITE_FILE_PRAGMAS, startDevServer, type DevServer } from '../src/dev/temporal-server';
import type { UpgradeResult } from '../src/shared/types';
import { MALLOC_ARENA_MAX_FOR_WORKERS, type WorkerSlots } from '../src/worker';
import { startSimulator, type HostSpec, type Simulator, type SimulatorOptions } from '../sim/simulator';

export const OLD = '6.1.0-55-cloud-amd64';
export const NEW = '6.1.0-56-cloud-amd64';

// ---- figures -------------------------------------------------------------------------------------

export interface Target {
  op: '<' | '<=' | '>=';
  value: number;
}

export interface Figure {
  bench: string;
  name: string;
  /** null: not measured (say why in `note`). */
  value: number | null;
  unit: string;
  target?: Target;
  note?: string;
}

export function verdict(f: Figure): 'pass' | 'miss' | '' {
  if (!f.target || f.value === null) return '';
  const { op, value } = f.target;
  const ok = op === '<' ? f.value < value : op === '<=' ? f.value <= value : f.value >= value;
  return ok ? 'pass' : 'miss';
}

export function formatValue(f: Figure): string {
  if (f.value === null) return 'not measured';
  const digits = Math.abs(f.value) >= 100 ? 0 : Math.abs(f.value) >= 10 ? 1 : 2;
  return `${f.value.toFixed(digits)}${f.unit ? ` ${f.unit}` : ''}`;
}

function formatTarget(f: Figure): string {
  return f.target ? `${f.target.op} ${f.target.value}${f.unit ? ` ${f.unit}` : ''}` : '';
}

/** A Markdown table (readable as text, pasteable into bench/README.md). */
export function figureTable(figures: Figure[]): string {
  const rows = figures.map((f) => [f.bench, f.name, formatValue(f), formatTarget(f), verdict(f), f.note ?? '']);
  const head = ['bench', 'figure', 'value', 'target', '', 'note'];
  return [head, head.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

/** A figure's name as one word for scripts: `per-host-overhead.vm-testbed-one-upgrade-from-the-deb-vm-1`. */
export function figureSlug(f: Pick<Figure, 'bench' | 'name'>): string {
  const slug = (t: string) =>
    t
      .toLowerCase()
      .replace(/[^a-z0-9%]+/g, '-')
      .replace(/^-+|-+$/g, '');
  return `${slug(f.bench)}.${slug(f.name)}`;
}

/**
 * One line per figure, for scripts: `figure <name> <value> <unit> target <target> met|missed`
 * (`target none reported` without a target; value `not-measured` when it was not).
 */
export function figureLines(figures: Figure[]): string {
  return figures
    .map((f) => {
      const value = f.value === null ? 'not-measured' : String(f.value);
      const unit = f.unit.replace(/\s+/g, '') || '-';
      const v = verdict(f);
      const target = f.target ? `${f.target.op}${f.target.value}${unit === '-' ? '' : unit}` : 'none';
      const outcome = v === 'pass' ? 'met' : v === 'miss' ? 'missed' : f.target ? 'not-measured' : 'reported';
      return `figure ${figureSlug(f)} ${value} ${unit} target ${target} ${outcome}`;
    })
    .join('\n');
}

export function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

// ---- statistics -----------------------------------------------------------------------------------

export function quantile(values: number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i] as number;
}

export const median = (values: number[]): number => quantile(values, 0.5);
export const round = (n: number, digits = 2): number => Math.round(n * 10 ** digits) / 10 ** digits;

// ---- flags -----------------------------------------------------------------------------------------

/** `--name value` flags with numeric defaults; unknown flags are an error naming the known ones. */
export function numericFlags<T extends Record<string, number>>(argv: string[], defaults: T): T {
  const out: Record<string, number> = { ...defaults };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [flag, inline] = arg.split('=', 2) as [string, string | undefined];
    const name = flag.replace(/^--/, '');
    if (!flag.startsWith('--') || !(name in defaults)) {
      throw new Error(
        `unknown flag ${arg}; known: ${Object.keys(defaults)
          .map((k) => `--${k}`)
          .join(' ')}`,
      );
    }
    const raw = inline ?? argv[++i];
    const n = Number(raw);
    if (raw === undefined || !Number.isFinite(n) || n < 0) throw new Error(`--${name}: wants a number, got ${raw}`);
    out[name] = n;
  }
  return out as T;
}

// ---- machine ---------------------------------------------------------------------------------------

export function machineDescription(): string {
  const cpu = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? 'unknown CPU';
  const gib = (os.totalmem() / 2 ** 30).toFixed(0);
  const load = os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  return `${os.cpus().length} cores (${cpu}), ${gib} GiB RAM, Linux ${os.release()}, Node ${process.version}, load average ${load}`;
}

// ---- CPU and memory from /proc -----------------------------------------------------------------------

const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** User + system CPU seconds of a process and of the children it has waited for. */
export function processCpuSeconds(pid: number | 'self'): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14-17 of proc(5) (utime, stime, cutime, cstime) are 11-14 after "pid (comm) ".
  return [11, 12, 13, 14].reduce((s, i) => s + Number(f[i] ?? 0), 0) / CLK_TCK;
}

/** CPU seconds of the run's three parts at one moment (Date.now() ms). */
export interface CpuSample {
  at: number;
  worker: number;
  server: number;
  /** This process (the simulator) and its reaped children (the hosts' sandboxed commands). */
  hosts: number;
}

/**
 * Samples the CPU of the worker, the Temporal server and the simulated hosts every `everyMs`
 * (two small /proc reads a sample), so that a stretch of the run (a batch's returns) can be
 * charged to its parts afterwards: `between(from, to)`, linear between samples.
 */
export class CpuSampler {
  private readonly samples: CpuSample[] = [];
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly pids: { worker: number; server: number },
    everyMs = 100,
  ) {
    this.sample();
    this.timer = setInterval(() => this.sample(), everyMs);
    this.timer.unref();
  }

  private sample(): void {
    try {
      this.samples.push({
        at: Date.now(),
        worker: processCpuSeconds(this.pids.worker),
        server: processCpuSeconds(this.pids.server),
        hosts: processCpuSeconds('self'),
      });
    } catch {
      // A process that has ended: the samples so far stand.
    }
  }

  stop(): void {
    clearInterval(this.timer);
    this.sample();
  }

  /** CPU seconds each part used from `from` to `to` (ms since the epoch). */
  between(from: number, to: number): CpuParts {
    return cpuBetween(this.samples, from, to);
  }
}

export type CpuParts = Omit<CpuSample, 'at'>;

/**
 * CPU seconds each part used from `from` to `to` by cumulative `samples` (in time order),
 * linear between two samples; a moment outside the samples counts as the nearest one.
 */
export function cpuBetween(samples: readonly CpuSample[], from: number, to: number): CpuParts {
  const a = cpuAt(samples, from);
  const b = cpuAt(samples, to);
  return { worker: b.worker - a.worker, server: b.server - a.server, hosts: b.hosts - a.hosts };
}

function cpuAt(s: readonly CpuSample[], t: number): CpuParts {
  const first = s[0];
  const last = s[s.length - 1];
  if (!first || !last) return { worker: 0, server: 0, hosts: 0 };
  if (t <= first.at) return first;
  if (t >= last.at) return last;
  const i = s.findIndex((x) => x.at >= t);
  const hi = s[i] as CpuSample;
  const lo = s[i - 1] as CpuSample;
  const f = (t - lo.at) / (hi.at - lo.at);
  const mix = (k: keyof CpuParts) => lo[k] + (hi[k] - lo[k]) * f;
  return { worker: mix('worker'), server: mix('server'), hosts: mix('hosts') };
}

/** VmHWM: the process's peak resident set. */
export function peakRssBytes(pid: number): number {
  const kb = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb ?? 0) * 1024;
}

export const mib = (bytes: number): number => round(bytes / 2 ** 20, 0);

// ---- Temporal and the worker -----------------------------------------------------------------------

export interface Temporal {
  address: string;
  /** The dev server's pid (its CPU is part of kernel-rollout's cost). */
  pid: number;
  stop(): Promise<void>;
}

/** A fresh dev server (SQLite in a temp dir), headless. */
export async function startTemporal(): Promise<Temporal> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kr-bench-temporal-'));
  const server: DevServer = await startDevServer({ dbFile: path.join(dir, 'db.sqlite'), headless: true });
  return {
    address: server.address,
    pid: server.pid,
    stop: async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs `fn` with the given server, or with a fresh one started (and stopped) for it. */
export async function withTemporal<T>(given: Temporal | undefined, fn: (t: Temporal) => Promise<T>): Promise<T> {
  if (given) return fn(given);
  say(`starting a Temporal dev server (SQLite file: ${SQLITE_FILE_PRAGMAS.join(', ')}) …`);
  const t = await startTemporal();
  try {
    return await fn(t);
  } finally {
    await t.stop();
  }
}

/**
 * kernel-rollout's production worker (`createWorker`: real activities over SSH, the workflow
 * bundle) in a child process: dist/bench/worker-process.js.
 */
export class WorkerProcess {
  private constructor(
    readonly child: ChildProcess,
    readonly taskQueue: string,
    readonly startSeconds: number,
    /** The worker's MALLOC_ARENA_MAX. */
    readonly mallocArenaMax: string,
  ) {}

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** `slots`: the worker's limits (kernelctl worker's flags); the product's defaults without. */
  static async start(address: string, slots?: WorkerSlots): Promise<WorkerProcess> {
    const taskQueue = `bench-${randomBytes(4).toString('hex')}`;
    const t0 = Date.now();
    const args = [address, taskQueue, ...(slots ? [JSON.stringify(slots)] : [])];
    // The environment the product's launchers give a worker (src/worker/index.ts), unless the bench's own sets it.
    const env = { ...process.env, MALLOC_ARENA_MAX: process.env['MALLOC_ARENA_MAX'] ?? MALLOC_ARENA_MAX_FOR_WORKERS };
    const child = fork(path.join(__dirname, 'worker-process.js'), args, { stdio: 'inherit', env });
    await new Promise<void>((resolve, reject) => {
      child.once('message', (m) => (m === 'ready' ? resolve() : reject(new Error(`worker: ${String(m)}`))));
      child.once('exit', (code) => reject(new Error(`worker exited with ${code} before it was ready`)));
    });
    return new WorkerProcess(child, taskQueue, (Date.now() - t0) / 1000, env.MALLOC_ARENA_MAX);
  }

  cpuSeconds(): number {
    return processCpuSeconds(this.pid);
  }

  peakRssBytes(): number {
    return peakRssBytes(this.pid);
  }

  /** The worker's own peaks of process.memoryUsage() (bytes): where its RSS went. */
  async memoryPeaks(): Promise<Record<string, number>> {
    const reply = new Promise<Record<string, number>>((resolve) => {
      const on = (m: unknown) => {
        const memory = (m as { memory?: Record<string, number> } | null)?.memory;
        if (!memory) return;
        this.child.off('message', on);
        resolve(memory);
      };
      this.child.on('message', on);
    });
    this.child.send('memory');
    return reply;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.send('stop');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
  }
}

// ---- simulated fleets -------------------------------------------------------------------------------

/** A fleet whose host names are unique per run (workflow ids are kernel-upgrade/<host>). */
export async function startFleet(
  hosts: number | HostSpec[],
  bootSeconds: number,
  extra: Partial<SimulatorOptions> = {},
) {
  const t0 = Date.now();
  const sim = await startSimulator({
    hosts,
    bootSeconds,
    namePrefix: `b${randomBytes(3).toString('hex')}-`,
    ...extra,
  });
  return { sim, startSeconds: (Date.now() - t0) / 1000 };
}

export interface UpgradeKnobs {
  pollCapSeconds: number;
}

/**
 * The per-host settings the benches use: apt install from the simulator's repository,
 * stabilitySeconds 0 (a stability window is waiting time the operator asked for, not overhead),
 * the default health check (systemctl is-system-running), the default poll cap unless given.
 */
export function rolloutTemplate(sim: Simulator, knobs: UpgradeKnobs) {
  return {
    ssh: { port: 22, user: 'root', privateKeyPath: sim.clientKeyPath, knownHostsPath: sim.knownHostsPath },
    toRelease: NEW,
    source: { kind: 'apt', packageName: `linux-image-${NEW}` },
    stabilitySeconds: 0,
    timeouts: { pollCapSeconds: knobs.pollCapSeconds, bootDeadlineSeconds: 300 },
  };
}

export function upgradeInput(sim: Simulator, name: string, knobs: UpgradeKnobs) {
  const { ssh, ...rest } = rolloutTemplate(sim, knobs);
  return { ...rest, target: { ...ssh, host: name, address: '127.0.0.1', port: sim.host(name).port } };
}

export function rolloutHosts(sim: Simulator, names: string[]) {
  return names.map((name) => ({ host: name, address: '127.0.0.1', ssh: { port: sim.host(name).port } }));
}

/** Hosts that do not run the new kernel from the saved default with exactly one reboot. */
export function notUpgraded(sim: Simulator, names: string[]): string[] {
  const bad: string[] = [];
  for (const name of names) {
    const s = sim.inspect(name);
    const ok =
      s.state === 'up' &&
      s.runningKernel === NEW &&
      (s.savedEntry ?? '').includes(NEW) &&
      s.nextEntry === null &&
      s.grubDefault === 'saved' &&
      s.bootCount === 2 &&
      s.rebootsRequested === 1;
    if (!ok) {
      bad.push(
        `${name}: ${s.state}, running ${s.runningKernel}, saved_entry ${s.savedEntry}, next_entry ${s.nextEntry}, ` +
          `GRUB_DEFAULT=${s.grubDefault}, ${s.bootCount} boots, ${s.rebootsRequested} reboots requested`,
      );
    }
  }
  return bad;
}

/**
 * Records when each host goes down (the simulator's shutdown ends 300 ms after the reboot
 * request): with its boot record's `at` (SSH up), the host's own reboot time.
 */
export function watchDown(sim: Simulator, names: string[], timeoutMs: number): Map<string, number> {
  const at = new Map<string, number>();
  for (const name of names) {
    sim.waitFor(name, ['down'], timeoutMs).then(
      () => at.set(name, Date.now()),
      () => undefined,
    );
  }
  return at;
}

/** The simulator's modelled shutdown (reboot request → down), part of the host's own reboot time. */
export const SIM_SHUTDOWN_SECONDS = 0.3;

// ---- timelines ----------------------------------------------------------------------------------------

export function timelineAt(r: UpgradeResult, match: (e: UpgradeResult['timeline'][number]) => boolean): number {
  const e = r.timeline.find(match);
  return e ? Date.parse(e.at) : NaN;
}

export const phaseAt = (r: UpgradeResult, phase: string): number => timelineAt(r, (e) => e.phase === phase);
export const backAt = (r: UpgradeResult): number => timelineAt(r, (e) => /^back after/.test(e.message));
/** The run's last timeline entry (its result). */
export const endAt = (r: UpgradeResult): number => Date.parse(r.timeline[r.timeline.length - 1]?.at ?? '');

/** The simulated host's last boot record: the moment its SSH answers again (ms). */
export function upAt(sim: Simulator, host: string): number {
  const boots = sim.inspect(host).boots;
  return boots[boots.length - 1]?.at ?? NaN;
}

/**
 * When kernel-rollout found the host back (ms): the first command of its last boot that reads the
 * boot id, from the simulator's log (the poll that found the new boot, logged as the host ran it).
 * With no stability window the same activity goes on to verify and commit, so the workflow hears
 * of the return only after the commit: its "back after" note (backAt) is no longer when the
 * return was found.
 */
export function foundAt(sim: Simulator, host: string): number {
  const up = upAt(sim, host);
  const poll = sim
    .commands(host)
    .find((c) => c.source === 'ssh' && c.at >= up && c.command.includes('/proc/sys/kernel/random/boot_id'));
  return poll?.at ?? NaN;
}

/** Seconds from the simulated host's SSH coming back (its last boot record) to the poll that found it. */
export function detectionSeconds(sim: Simulator, r: UpgradeResult): number {
  return (foundAt(sim, r.host) - upAt(sim, r.host)) / 1000;
}

/** Seconds from the simulated host's SSH coming back to the workflow's "back after" note. */
export function workflowHeardSeconds(sim: Simulator, r: UpgradeResult): number {
  return (backAt(r) - upAt(sim, r.host)) / 1000;
}

/** The install command's duration on the host: from its start to the next command's (simulator log). */
export function hostInstallSeconds(sim: Simulator, name: string): number {
  const cmds = sim.commands(name).filter((c) => c.source === 'ssh');
  const i = cmds.findIndex((c) => /apt-get .*install|dpkg -i/.test(c.command));
  const next = cmds[i + 1];
  if (i < 0 || !next) return NaN;
  return (next.at - (cmds[i] as { at: number }).at) / 1000;
}

/** `node dist/bench/<name>.js [flags]`: run one bench and print its figures as a table. */
export function runStandalone(bench: (argv: string[]) => Promise<Figure[]>): void {
  bench(process.argv.slice(2)).then(
    (figures) => {
      say(`\n${figureTable(figures)}\n\n${figureLines(figures)}`);
      process.exit(0);
    },
    (err: Error) => {
      process.stderr.write(`${err.stack ?? err.message}\n`);
      process.exit(1);
    },
  );
}
