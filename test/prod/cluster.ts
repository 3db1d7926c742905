/**
 * The production topology's server side, as real processes on loopback, brought up by the
 * single-machine scripts an operator runs (deploy/single-machine/, docs/operations.md "Without
 * compose"), each long-running one started by this test through its `run-*.sh` (which `exec`s the
 * program, so the PID kept here is the program's) and ended by PID:
 *   - PostgreSQL from Debian's packages: a private cluster for the test (initdb into a temporary
 *     directory, scram-sha-256 on TCP, peer on its socket, running as the `postgres` user), where
 *     database.sh makes the role, its password file and the two databases as on any PostgreSQL;
 *   - the schemas (schema.sh); kernel-rollout's Temporal server (run-server.sh: the binary built
 *     from deploy/temporal/server/, Temporal's default authorizer with roles by client certificate
 *     from deploy/temporal/config/roles.yaml; `kill()` SIGKILLs it and `start()` brings it back on
 *     the same database and ports); the `default` namespace and its search attributes, as admin
 *     (namespace.sh); the web UI server (run-ui.sh), the workers' profiles (worker-profile.sh),
 *     Prometheus (run-prometheus.sh) scraping the workers and evaluating alert rules.
 * What only a test has (the private PostgreSQL, free ports, temporary directories, the binaries in
 * .tools/prod from scripts/build-temporal-server.sh) is handed to the scripts as their settings
 * file (Deployment), not done here in their place.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import type { TLSConfig } from '@temporalio/client';
import { findTemporalBinary, projectRoot } from '../../src/dev/temporal-server';
import { freePort } from '../../src/node/free-port';
import type { ProcessResult } from '../helpers/process';
import { serverAnswers } from '../helpers/temporal';

export const ROOT = projectRoot();
export const PROD_TOOLS = path.join(ROOT, '.tools', 'prod');
/** The alert rules the deployment ships (docs/operations.md, "Alerting"). */
export const RULES = path.join(ROOT, 'deploy', 'prometheus', 'kernel-rollout-rules.yml');

/** Thrown by a check that can never hold: waitFor stops at once. */
export class NeverError extends Error {}

/** Polls until `check` holds; fails naming `what` after the deadline. */
export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number, everyMs = 250) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let ok = false;
    try {
      ok = await check();
    } catch (err) {
      // A check that knows it can never hold (the process it waits for exited) says so at once.
      if (err instanceof NeverError) throw new Error(`${what}: ${err.message}`);
      ok = false;
    }
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Runs argv to its end, output collected; SIGKILLed (by PID) if it has not ended after `timeoutMs`. */
export function run(
  argv: string[],
  opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<ProcessResult> {
  const timeoutMs = opts.timeoutMs ?? 60_000;
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0] as string, argv.slice(1), {
      env: opts.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      stderr += `\n${argv.join(' ')}: killed after ${timeoutMs} ms`;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A child process with its output in a log file; stopped by PID. */
function startLogged(
  argv: string[],
  logPath: string,
  env: NodeJS.ProcessEnv,
  cwd = ROOT,
): { child: ChildProcess; exited: Promise<void> } {
  const log = fs.openSync(logPath, 'a');
  const child = spawn(argv[0] as string, argv.slice(1), { env, cwd, stdio: ['ignore', log, log] });
  fs.closeSync(log);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { child, exited };
}

async function stopChild(p: { child: ChildProcess; exited: Promise<void> } | null, signal: NodeJS.Signals) {
  if (!p || p.child.exitCode !== null || p.child.signalCode !== null) return;
  p.child.kill(signal);
  const t = setTimeout(() => p.child.kill('SIGKILL'), 20_000);
  await p.exited;
  clearTimeout(t);
}

function tail(file: string, lines = 8): string {
  try {
    return fs
      .readFileSync(file, 'utf8')
      .trimEnd()
      .split('\n')
      .slice(-lines)
      .map((l) => (l.length > 400 ? `${l.slice(0, 400)}…` : l))
      .join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * A free port below 32768: Temporal's SQL schema keeps membership ports in a smallint, so the
 * kernel's ephemeral range (where port 0 lands) is out. Also for a port picked long before its
 * server binds it: any outgoing connection may take a port of the ephemeral range meanwhile.
 */
export async function lowFreePort(): Promise<number> {
  for (;;) {
    const port = 20000 + Math.floor(Math.random() * 12000);
    const free = await new Promise<boolean>((resolve) => {
      const srv = net.createServer();
      srv.once('error', () => resolve(false));
      srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
    });
    if (free) return port;
  }
}

// ---- the settings of deploy/single-machine/ --------------------------------------------------------

/** The bring-up scripts (docs/operations.md, "Without compose"). */
export const SINGLE_MACHINE = path.join(ROOT, 'deploy', 'single-machine');

/** The name clients check on the server's certificate (TEMPORAL_TLS_SERVER_NAME). */
export const SERVER_NAME = 'localhost';

/**
 * One deployment's settings file (deploy/single-machine/kernel-rollout.env's format), written
 * with the test's directories and free ports, and the scripts run with it.
 */
export class Deployment {
  private constructor(
    readonly dir: string,
    readonly envFile: string,
    readonly settings: Record<string, string>,
  ) {}

  get tlsDir(): string {
    return this.settings['TEMPORAL_TLS_DIR'] as string;
  }
  get address(): string {
    return this.settings['TEMPORAL_ADDRESS'] as string;
  }
  get passwordFile(): string {
    return this.settings['POSTGRES_PWD_FILE'] as string;
  }

  /** Picks the ports and writes `<dir>/kernel-rollout.env`. */
  static async create(
    dir: string,
    opts: { pgPort: number; pgSocketDir: string; configFile: string; workerMetrics: string[]; rulesFile: string },
  ): Promise<Deployment> {
    const settings: Record<string, string> = {
      KERNEL_ROLLOUT_ETC: dir,
      TEMPORAL_TLS_DIR: path.join(dir, 'tls'),
      TEMPORAL_TLS_SERVER_NAME: SERVER_NAME,
      SERVER_NAMES: `DNS:${SERVER_NAME},DNS:temporal,IP:127.0.0.1`,
      CERT_DAYS: '2',
      POSTGRES_SEEDS: '127.0.0.1',
      DB_PORT: String(opts.pgPort),
      POSTGRES_USER: 'temporal',
      POSTGRES_PWD_FILE: path.join(dir, 'postgres_password'),
      POSTGRES_ADMIN_HOST: opts.pgSocketDir,
      POSTGRES_ADMIN_USER: 'postgres',
      TEMPORAL_PROD_TOOLS: PROD_TOOLS,
      TEMPORAL_CLI: findTemporalBinary(),
      TEMPORAL_METRICS_ADDRESS: `127.0.0.1:${await lowFreePort()}`,
      LOG_LEVEL: 'warn',
      TEMPORAL_UI_PORT: String(await lowFreePort()),
      NODE: process.execPath,
      TEMPORAL_CONFIG_FILE: opts.configFile,
      PROMETHEUS_CONFIG: path.join(dir, 'prometheus.yml'),
      PROMETHEUS_DATA: path.join(dir, 'prometheus-data'),
      PROMETHEUS_LISTEN_ADDRESS: `127.0.0.1:${await lowFreePort()}`,
      PROMETHEUS_TARGETS: opts.workerMetrics.join(' '),
      PROMETHEUS_RULES: opts.rulesFile,
      PROMETHEUS_INTERVAL: '1s',
    };
    // Membership ports below 32768: Temporal's SQL schema keeps them in a smallint.
    for (const name of [
      'FRONTEND_GRPC_PORT',
      'FRONTEND_HTTP_PORT',
      'FRONTEND_MEMBERSHIP_PORT',
      'HISTORY_GRPC_PORT',
      'HISTORY_MEMBERSHIP_PORT',
      'MATCHING_GRPC_PORT',
      'MATCHING_MEMBERSHIP_PORT',
      'WORKER_GRPC_PORT',
      'WORKER_MEMBERSHIP_PORT',
    ]) {
      settings[name] = String(await lowFreePort());
    }
    settings['TEMPORAL_ADDRESS'] = `127.0.0.1:${settings['FRONTEND_GRPC_PORT']}`;
    const envFile = path.join(dir, 'kernel-rollout.env');
    const lines = Object.entries(settings).map(([k, v]) => {
      if (v.includes("'")) throw new Error(`setting ${k} holds a quote: ${v}`);
      return `${k}='${v}'`;
    });
    fs.writeFileSync(envFile, `# written by test/prod/cluster.ts\n${lines.join('\n')}\n`);
    return new Deployment(dir, envFile, settings);
  }

  /** The environment a script runs in: PATH, HOME and where its settings are (plus `extra`). */
  env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    return { PATH: process.env['PATH'], HOME: process.env['HOME'], KERNEL_ROLLOUT_ENV: this.envFile, ...extra };
  }

  /**
   * Runs a one-shot step (`database.sh`, `certs.sh --renew`…); fails with its output unless it
   * exits 0. `over`: settings for this run alone (the environment wins over the settings file).
   */
  async step(
    script: string,
    args: string[] = [],
    opts: { timeoutMs?: number; over?: Record<string, string> } = {},
  ): Promise<string> {
    const r = await run(['sh', path.join(SINGLE_MACHINE, script), ...args], {
      env: this.env(opts.over),
      timeoutMs: opts.timeoutMs ?? 180_000,
    });
    if (r.code !== 0) throw new Error(`${script} ${args.join(' ')} exited ${r.code}:\n${r.stdout}\n${r.stderr}`);
    return r.stdout;
  }

  /** Starts a `run-*.sh`: it execs its program, so the child's PID is the program's. */
  start(
    script: string,
    logPath: string,
    over: Record<string, string> = {},
  ): { child: ChildProcess; exited: Promise<void> } {
    return startLogged(['sh', path.join(SINGLE_MACHINE, script)], logPath, this.env(over));
  }
}

// ---- PostgreSQL ------------------------------------------------------------------------------------

function postgresBin(name: string): string {
  const base = '/usr/lib/postgresql';
  const versions = fs.existsSync(base)
    ? fs
        .readdirSync(base)
        .filter((v) => fs.existsSync(path.join(base, v, 'bin', name)))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (!versions[0]) throw new Error(`PostgreSQL's ${name} is missing: apt-get install postgresql`);
  return path.join(base, versions[0], 'bin', name);
}

/**
 * The test's private PostgreSQL on 127.0.0.1:<port>: superuser `postgres` by peer authentication
 * on its socket directory (as Debian's own cluster), scram-sha-256 over TCP. database.sh makes
 * kernel-rollout's role and databases in it.
 */
export class PostgresCluster {
  private proc: { child: ChildProcess; exited: Promise<void> } | null = null;
  private constructor(
    readonly dir: string,
    readonly port: number,
  ) {}

  get socketDir(): string {
    return path.join(this.dir, 'socket');
  }

  static async start(dir: string): Promise<PostgresCluster> {
    const pg = new PostgresCluster(dir, await freePort());
    fs.mkdirSync(pg.socketDir, { recursive: true });
    spawnSync('chown', ['-R', 'postgres:postgres', dir]);
    // PostgreSQL refuses to run as root: initdb and the server run as Debian's `postgres` user.
    const asPostgres = ['setpriv', '--reuid=postgres', '--regid=postgres', '--init-groups', '--'];
    const init = await run(
      [
        ...asPostgres,
        postgresBin('initdb'),
        '-D',
        path.join(dir, 'data'),
        '-U',
        'postgres',
        '--auth-local=peer',
        '--auth-host=scram-sha-256',
        '--encoding=UTF8',
        '--no-sync',
      ],
      { timeoutMs: 120_000 },
    );
    if (init.code !== 0) throw new Error(`initdb failed: ${init.stderr}`);
    pg.proc = startLogged(
      [
        ...asPostgres,
        postgresBin('postgres'),
        '-D',
        path.join(dir, 'data'),
        '-p',
        String(pg.port),
        '-k',
        pg.socketDir,
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'fsync=off',
        '-c',
        'max_connections=200',
      ],
      path.join(dir, 'postgres.log'),
      process.env,
    );
    await waitFor(
      `PostgreSQL on 127.0.0.1:${pg.port}`,
      async () => (await run([postgresBin('pg_isready'), '-h', '127.0.0.1', '-p', String(pg.port)])).code === 0,
      60_000,
    ).catch((err: Error) => {
      throw new Error(`${err.message}\n${tail(path.join(dir, 'postgres.log'))}`);
    });
    return pg;
  }

  /** A fast shutdown (SIGINT). */
  stop(): Promise<void> {
    return stopChild(this.proc, 'SIGINT');
  }
}

// ---- the Temporal server ---------------------------------------------------------------------------

/** The Temporal server by run-server.sh (deploy/temporal/config/production.yaml). */
export class TemporalCluster {
  kills = 0;
  private proc: { child: ChildProcess; exited: Promise<void> } | null = null;
  private constructor(
    private readonly deployment: Deployment,
    readonly logPath: string,
    private readonly tls: TLSConfig,
  ) {}

  get address(): string {
    return this.deployment.address;
  }

  get frontendPort(): number {
    return Number(this.deployment.settings['FRONTEND_GRPC_PORT']);
  }

  get pid(): number {
    return this.proc?.child.pid ?? -1;
  }

  /** database.sh (role, password file, databases), schema.sh, then run-server.sh. */
  static async create(opts: {
    deployment: Deployment;
    logDir: string;
    /** What a client of the frontend presents (the test's kernelctl certificate). */
    clientTls: TLSConfig;
  }): Promise<TemporalCluster> {
    await opts.deployment.step('database.sh');
    await opts.deployment.step('schema.sh');
    const cluster = new TemporalCluster(opts.deployment, path.join(opts.logDir, 'temporal-server.log'), opts.clientTls);
    await cluster.start();
    return cluster;
  }

  /** Starts the server (again: same database, same ports) and waits until its frontend answers. */
  async start(): Promise<void> {
    this.proc = this.deployment.start('run-server.sh', this.logPath);
    const proc = this.proc;
    const upOrExited = async () => {
      if (proc.child.exitCode !== null || proc.child.signalCode !== null) throw new NeverError('the server exited');
      return this.answers();
    };
    await waitFor(`the Temporal server's frontend on ${this.address}`, upOrExited, 180_000, 500).catch((err: Error) => {
      throw new Error(`${err.message}\n${tail(this.logPath)}`);
    });
  }

  async answers(): Promise<boolean> {
    if (!this.proc || this.proc.child.exitCode !== null || this.proc.child.signalCode !== null) return false;
    return serverAnswers(this.address, this.tls, 3000);
  }

  /** SIGKILL: no shutdown, no goodbye to the other services' membership. */
  async kill(): Promise<void> {
    const p = this.proc;
    if (!p || p.child.exitCode !== null || p.child.signalCode !== null) return;
    p.child.kill('SIGKILL');
    await p.exited;
    this.kills += 1;
  }

  stop(): Promise<void> {
    return stopChild(this.proc, 'SIGTERM');
  }
}

/**
 * namespace.sh: the namespace (TEMPORAL_NAMESPACE, `default` unless `over` says another) and
 * kernel-rollout's search attributes, with the `temporal` CLI and the admin certificate.
 */
export function createNamespace(deployment: Deployment, over: Record<string, string> = {}): Promise<string> {
  return deployment.step('namespace.sh', [], { over });
}

// ---- the web UI server -----------------------------------------------------------------------------

/** The UI server by run-ui.sh; `stop()` and `start()` again on the same port. */
export class UiServer {
  private proc: { child: ChildProcess; exited: Promise<void> } | null = null;
  private constructor(
    private readonly deployment: Deployment,
    private readonly logPath: string,
    private readonly over: Record<string, string>,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.over['TEMPORAL_UI_PORT'] ?? this.deployment.settings['TEMPORAL_UI_PORT']}`;
  }

  /**
   * run-ui.sh with the deployment's settings; `over` replaces some for this server alone (the
   * environment wins over the settings file): another TEMPORAL_UI_CONFIG_DIR or TEMPORAL_UI_PORT.
   */
  static async start(
    deployment: Deployment,
    logDir: string,
    opts: { over?: Record<string, string>; logName?: string } = {},
  ): Promise<UiServer> {
    const ui = new UiServer(deployment, path.join(logDir, opts.logName ?? 'ui-server.log'), opts.over ?? {});
    await ui.start();
    return ui;
  }

  async start(): Promise<void> {
    this.proc = this.deployment.start('run-ui.sh', this.logPath, this.over);
    const proc = this.proc;
    await waitFor(
      `the UI server on ${this.url}`,
      async () => {
        if (proc.child.exitCode !== null) throw new NeverError('the UI server exited');
        return (await fetch(`${this.url}/api/v1/settings`)).ok;
      },
      60_000,
    ).catch((err: Error) => {
      throw new Error(`${err.message}\n${tail(this.logPath)}`);
    });
  }

  stop(): Promise<void> {
    return stopChild(this.proc, 'SIGTERM');
  }
}

// ---- Prometheus --------------------------------------------------------------------------------------

export class Prometheus {
  private proc: { child: ChildProcess; exited: Promise<void> } | null = null;
  private constructor(readonly url: string) {}

  /**
   * run-prometheus.sh: scrapes PROMETHEUS_TARGETS (the workers) and the server, evaluating
   * PROMETHEUS_RULES, every PROMETHEUS_INTERVAL (1 s here).
   */
  static async start(deployment: Deployment): Promise<Prometheus> {
    if (!fs.existsSync('/usr/bin/prometheus')) {
      throw new Error("/usr/bin/prometheus is missing: the topology test needs Debian's prometheus package");
    }
    const prom = new Prometheus(`http://${deployment.settings['PROMETHEUS_LISTEN_ADDRESS']}`);
    const logPath = path.join(deployment.dir, 'prometheus.log');
    prom.proc = deployment.start('run-prometheus.sh', logPath);
    await waitFor(`Prometheus on ${prom.url}`, async () => (await fetch(`${prom.url}/-/ready`)).ok, 60_000).catch(
      (err: Error) => {
        throw new Error(`${err.message}\n${tail(logPath)}`);
      },
    );
    return prom;
  }

  /** An instant PromQL query: each result's labels and value. */
  async query(promql: string): Promise<{ metric: Record<string, string>; value: number }[]> {
    const res = await fetch(`${this.url}/api/v1/query?query=${encodeURIComponent(promql)}`);
    const body = (await res.json()) as {
      status: string;
      error?: string;
      data?: { result: { metric: Record<string, string>; value: [number, string] }[] };
    };
    if (body.status !== 'success') throw new Error(`PromQL ${promql}: ${body.error ?? res.status}`);
    return (body.data?.result ?? []).map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
  }

  /** The alerts Prometheus holds now (pending or firing), with their labels. */
  async alerts(): Promise<{ labels: Record<string, string>; state: string; value: number }[]> {
    const res = await fetch(`${this.url}/api/v1/alerts`);
    const body = (await res.json()) as {
      data: { alerts: { labels: Record<string, string>; state: string; value: string }[] };
    };
    return body.data.alerts.map((a) => ({ labels: a.labels, state: a.state, value: Number(a.value) }));
  }

  /** Targets' health as Prometheus sees them. */
  async targets(): Promise<{ scrapeUrl: string; health: string }[]> {
    const res = await fetch(`${this.url}/api/v1/targets`);
    const body = (await res.json()) as { data: { activeTargets: { scrapeUrl: string; health: string }[] } };
    return body.data.activeTargets;
  }

  stop(): Promise<void> {
    return stopChild(this.proc, 'SIGTERM');
  }
}
