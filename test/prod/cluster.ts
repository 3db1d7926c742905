/**
 * The production topology's server side, as real processes on loopback, each started by this
 * test and ended by PID:
 *   - PostgreSQL from Debian's packages: a private cluster (initdb into a temporary directory,
 *     password authentication with scram-sha-256, running as the `postgres` user);
 *   - the schemas, by deploy/temporal/setup-schema.sh with Temporal's own SQL tool;
 *   - kernel-rollout's Temporal server (deploy/temporal/server/, Temporal's default authorizer),
 *     with deploy/temporal/config/production.yaml, roles.yaml and its dynamic config (the files
 *     docker-compose.yml mounts), mutual TLS on the frontend;
 *     `kill()` SIGKILLs it and `start()` brings it back on the same database and ports;
 *   - the `default` namespace, by deploy/temporal/create-namespace.sh with the `temporal` CLI;
 *   - the web UI server built from Go, with deploy/ui/config/production.yaml;
 *   - Prometheus from Debian's packages, scraping the workers and evaluating alert rules.
 * The Go binaries come from scripts/build-temporal-server.sh (linked as .tools/prod).
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
 * kernel's ephemeral range (where port 0 lands) is out.
 */
async function lowFreePort(): Promise<number> {
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

/**
 * The Temporal server and the UI server start alike: their binary from .tools/prod, the
 * configuration directory (deploy/…/config) and its `production` environment.
 */
function goServerArgv(binary: 'temporal-server' | 'ui-server', configDir: string): string[] {
  return [path.join(PROD_TOOLS, binary), '--root', '/', '--config', configDir, '--env', 'production', 'start'];
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

/** A private PostgreSQL cluster on 127.0.0.1:<port>, superuser `temporal` with a password. */
export class PostgresCluster {
  readonly user = 'temporal';
  private proc: { child: ChildProcess; exited: Promise<void> } | null = null;
  private constructor(
    readonly dir: string,
    readonly port: number,
    readonly password: string,
  ) {}

  static async start(dir: string, password: string): Promise<PostgresCluster> {
    const port = await freePort();
    const pg = new PostgresCluster(dir, port, password);
    fs.mkdirSync(path.join(dir, 'socket'), { recursive: true });
    const pwfile = path.join(dir, 'pwfile');
    fs.writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
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
        pg.user,
        `--pwfile=${pwfile}`,
        '--auth-local=scram-sha-256',
        '--auth-host=scram-sha-256',
        '--encoding=UTF8',
        '--no-sync',
      ],
      { timeoutMs: 120_000 },
    );
    if (init.code !== 0) throw new Error(`initdb failed: ${init.stderr}`);
    fs.rmSync(pwfile);
    pg.proc = startLogged(
      [
        ...asPostgres,
        postgresBin('postgres'),
        '-D',
        path.join(dir, 'data'),
        '-p',
        String(port),
        '-k',
        path.join(dir, 'socket'),
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
      `PostgreSQL on 127.0.0.1:${port}`,
      async () => (await run([postgresBin('pg_isready'), '-h', '127.0.0.1', '-p', String(port)])).code === 0,
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

/** The TLS files the server's config names (deploy/temporal/config/production.yaml). */
export const SERVER_NAME = 'localhost';

/** The Temporal server's ports and environment for deploy/temporal/config/production.yaml. */
export class TemporalCluster {
  kills = 0;
  private proc: { child: ChildProcess; exited: Promise<void> } | null = null;
  private constructor(
    readonly env: NodeJS.ProcessEnv,
    readonly frontendPort: number,
    readonly metricsAddress: string,
    readonly logPath: string,
    private readonly tls: TLSConfig,
  ) {}

  get address(): string {
    return `127.0.0.1:${this.frontendPort}`;
  }

  get pid(): number {
    return this.proc?.child.pid ?? -1;
  }

  /** Creates the schemas with deploy/temporal/setup-schema.sh, then starts the server. */
  static async create(opts: {
    pg: PostgresCluster;
    tlsDir: string;
    logDir: string;
    /** What a client of the frontend presents (the test's kernelctl certificate). */
    clientTls: TLSConfig;
  }): Promise<TemporalCluster> {
    const ports: Record<string, string> = {};
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
      ports[name] = String(await lowFreePort());
    }
    const metricsAddress = `127.0.0.1:${await freePort()}`;
    const env: NodeJS.ProcessEnv = {
      PATH: process.env['PATH'],
      HOME: process.env['HOME'],
      POSTGRES_SEEDS: '127.0.0.1',
      DB_PORT: String(opts.pg.port),
      POSTGRES_USER: opts.pg.user,
      POSTGRES_PWD: opts.pg.password,
      TEMPORAL_TLS_DIR: opts.tlsDir,
      TEMPORAL_TLS_SERVER_NAME: SERVER_NAME,
      TEMPORAL_METRICS_ADDRESS: metricsAddress,
      TEMPORAL_DYNAMIC_CONFIG: path.join(ROOT, 'deploy', 'temporal', 'dynamicconfig', 'production.yaml'),
      LOG_LEVEL: 'warn',
      ...ports,
    };
    const schema = await run(['sh', path.join(ROOT, 'deploy', 'temporal', 'setup-schema.sh')], {
      env: {
        ...env,
        TEMPORAL_SQL_TOOL: path.join(PROD_TOOLS, 'temporal-sql-tool'),
        TEMPORAL_SCHEMA_DIR: path.join(PROD_TOOLS, 'schema', 'postgresql', 'v12'),
      },
      timeoutMs: 180_000,
    });
    if (schema.code !== 0) throw new Error(`setup-schema.sh failed:\n${schema.stdout}\n${schema.stderr}`);
    const cluster = new TemporalCluster(
      env,
      Number(ports['FRONTEND_GRPC_PORT']),
      metricsAddress,
      path.join(opts.logDir, 'temporal-server.log'),
      opts.clientTls,
    );
    await cluster.start();
    return cluster;
  }

  /** Starts the server (again: same database, same ports) and waits until its frontend answers. */
  async start(): Promise<void> {
    this.proc = startLogged(
      goServerArgv('temporal-server', path.join(ROOT, 'deploy', 'temporal', 'config')),
      this.logPath,
      this.env,
    );
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

/** deploy/temporal/create-namespace.sh with the Temporal CLI and the given TEMPORAL_* environment. */
export async function createNamespace(env: NodeJS.ProcessEnv): Promise<string> {
  const r = await run(['sh', path.join(ROOT, 'deploy', 'temporal', 'create-namespace.sh')], {
    env: { PATH: process.env['PATH'], HOME: process.env['HOME'], TEMPORAL_CLI: findTemporalBinary(), ...env },
    timeoutMs: 180_000,
  });
  if (r.code !== 0) throw new Error(`create-namespace.sh failed:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

// ---- the web UI server -----------------------------------------------------------------------------

export class UiServer {
  private proc: { child: ChildProcess; exited: Promise<void> } | null = null;
  private constructor(readonly port: number) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  static async start(opts: {
    temporalAddress: string;
    tlsDir: string;
    logDir: string;
    /** Another configuration directory than deploy/ui/config (test/prod/authz.test.ts), and its log's name. */
    configDir?: string;
    logName?: string;
  }): Promise<UiServer> {
    const ui = new UiServer(await freePort());
    const logPath = path.join(opts.logDir, opts.logName ?? 'ui-server.log');
    const configDir = opts.configDir ?? path.join(ROOT, 'deploy', 'ui', 'config');
    ui.proc = startLogged(goServerArgv('ui-server', configDir), logPath, {
      PATH: process.env['PATH'],
      HOME: process.env['HOME'],
      TEMPORAL_ADDRESS: opts.temporalAddress,
      TEMPORAL_UI_PORT: String(ui.port),
      TEMPORAL_UI_BIND_IP: '127.0.0.1',
      TEMPORAL_TLS_DIR: opts.tlsDir,
      TEMPORAL_TLS_SERVER_NAME: SERVER_NAME,
    });
    await waitFor(
      `the UI server on ${ui.url}`,
      async () => (await fetch(`${ui.url}/api/v1/settings`)).ok,
      60_000,
    ).catch((err: Error) => {
      throw new Error(`${err.message}\n${tail(logPath)}`);
    });
    return ui;
  }

  stop(): Promise<void> {
    return stopChild(this.proc, 'SIGTERM');
  }
}

// ---- Prometheus --------------------------------------------------------------------------------------

export class Prometheus {
  private proc: { child: ChildProcess; exited: Promise<void> } | null = null;
  private constructor(readonly port: number) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Scrapes the given HOST:PORT targets every second; evaluates `ruleFile`'s rules every second. */
  static async start(dir: string, targets: string[], ruleFile?: string): Promise<Prometheus> {
    if (!fs.existsSync('/usr/bin/prometheus')) {
      throw new Error("/usr/bin/prometheus is missing: the topology test needs Debian's prometheus package");
    }
    const prom = new Prometheus(await freePort());
    const config = path.join(dir, 'prometheus.yml');
    fs.writeFileSync(
      config,
      [
        'global:',
        '  scrape_interval: 1s',
        '  evaluation_interval: 1s',
        ...(ruleFile ? ['rule_files:', `  - ${JSON.stringify(ruleFile)}`] : []),
        'scrape_configs:',
        '  - job_name: kernel-rollout-worker',
        '    static_configs:',
        `      - targets: [${targets.map((t) => JSON.stringify(t)).join(', ')}]`,
        '',
      ].join('\n'),
    );
    const logPath = path.join(dir, 'prometheus.log');
    prom.proc = startLogged(
      [
        '/usr/bin/prometheus',
        `--config.file=${config}`,
        `--storage.tsdb.path=${path.join(dir, 'prometheus-data')}`,
        `--web.listen-address=127.0.0.1:${prom.port}`,
      ],
      logPath,
      process.env,
    );
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
