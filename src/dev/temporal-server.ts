/**
 * The embedded Temporal: `temporal server start-dev` (the Temporal CLI's dev server, SQLite file
 * for persistence, web UI). We start it ourselves and wait until it answers, instead of letting
 * the SDK start it: the SDK gives a server it launches only 5 s, which a busy 2-core machine
 * can miss.
 *
 * The binary is looked up in $KERNEL_ROLLOUT_TEMPORAL_BIN, then the project's git-ignored
 * .tools/bin (filled by `npm run setup`, which builds it with `go install`), then $PATH.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import * as path from 'node:path';
import { Connection } from '@temporalio/client';
import { freePort } from '../node/free-port';
import { searchAttributesForCli, type SearchAttributeCliType } from '../workflows/search-attributes';
import { processAlive as alive } from '../node/process-alive';

export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';

export function projectRoot(): string {
  // dist/src/dev → project root, or src/dev when run from sources.
  let dir = __dirname;
  for (let i = 0; i < 5; i++) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    dir = path.dirname(dir);
  }
  return process.cwd();
}

export function findTemporalBinary(): string {
  const fromEnv = process.env['KERNEL_ROLLOUT_TEMPORAL_BIN'];
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`KERNEL_ROLLOUT_TEMPORAL_BIN=${fromEnv} does not exist`);
    return fromEnv;
  }
  const tools = path.join(projectRoot(), '.tools', 'bin', 'temporal');
  if (existsSync(tools)) return tools;
  for (const dir of (process.env['PATH'] ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, 'temporal');
    if (dir && existsSync(candidate)) return candidate;
  }
  throw new Error(
    [
      'No Temporal CLI found (needed for the embedded dev server). Any one of these works:',
      '  npm run setup        # builds it: go install ' + TEMPORAL_CLI_MODULE + ' into .tools/bin',
      '  set KERNEL_ROLLOUT_TEMPORAL_BIN=/path/to/temporal',
      '  put `temporal` on PATH (on a machine with internet: https://docs.temporal.io/cli)',
      'or point kernelctl at an existing server with TEMPORAL_ADDRESS=host:port.',
    ].join('\n'),
  );
}

export interface DevServer {
  address: string;
  uiUrl: string | null;
  pid: number;
  /** The PID of a leftover server on the same database this start stopped first. */
  stoppedLeftover?: number;
  process: ChildProcess;
  logPath: string;
  stop(): Promise<void>;
}

export interface DevServerOptions {
  /**
   * The SQLite file that keeps the server's state across restarts (kept as SQLITE_FILE_PRAGMAS
   * says). Without one the database is in memory and gone when the server stops: for tests that
   * never restart it, about three times faster here with the rollback journal used before (a
   * 300-host rollout: 61 s against 195 s, the server's CPU 68 s against 145 s, most of the
   * difference in writing the file).
   */
  dbFile?: string;
  port?: number;
  uiPort?: number;
  headless?: boolean;
  logPath?: string;
  /** How long to wait for the server to answer; generous for a busy 2-core machine. */
  readyTimeoutMs?: number;
  /**
   * A file recording the server's PID (`kernelctl dev`: `<state dir>/temporal.pid`). A server it
   * names that still runs on the same database (left by a kernelctl dev that was SIGKILLed before
   * the server could be told to die with it) is stopped before a new one starts.
   */
  pidFile?: string;
  /**
   * Custom search attributes to register, beside kernel-rollout's own (KernelRolloutPhase,
   * KernelRolloutTarget, KernelRolloutOutcome), which are always registered: the workflows
   * upsert them. The CLI registers them only when it creates the SQLite file; on an existing
   * file the worker adds missing ones at startup (src/worker ensureSearchAttributes).
   */
  searchAttributes?: Record<string, SearchAttributeCliType>;
}

/**
 * How the server keeps its SQLite file: a write-ahead log instead of the rollback journal SQLite
 * uses by default, every commit still synced to disk before it is acknowledged (`synchronous=FULL`,
 * stated rather than left to the default). The server writes through one connection, so every
 * commit waits for the one before it; with the rollback journal each one creates, syncs and
 * deletes a journal and syncs the file too, with the log it appends and syncs once. A 100-host
 * rollout in batches of 10 (bench/README.md): the server's CPU 43 → 30–34 s, the rollout 7.1 → 5.1–6.0 %
 * over its floor. journal_mode=WAL is kept in the file, so a file made before is converted the
 * first time it is opened; it then has `-wal` and `-shm` files beside it.
 */
export const SQLITE_FILE_PRAGMAS = ['journal_mode=WAL', 'synchronous=FULL'] as const;

export async function startDevServer(opts: DevServerOptions): Promise<DevServer> {
  const bin = findTemporalBinary();
  const port = opts.port ?? (await freePort());
  const uiPort = opts.headless ? undefined : (opts.uiPort ?? (await freePort()));
  if (opts.dbFile === undefined && opts.logPath === undefined) {
    throw new Error('startDevServer: an in-memory server needs a logPath');
  }
  if (opts.dbFile !== undefined) mkdirSync(path.dirname(opts.dbFile), { recursive: true });
  const logPath = opts.logPath ?? `${opts.dbFile}.log`;
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port)];
  if (opts.dbFile !== undefined) {
    args.push('--db-filename', opts.dbFile);
    for (const pragma of SQLITE_FILE_PRAGMAS) args.push('--sqlite-pragma', pragma);
  }
  args.push('--log-level', 'warn', '--metrics-port', String(await freePort()), '--http-port', String(await freePort()));
  if (uiPort === undefined) args.push('--headless');
  else args.push('--ui-port', String(uiPort), '--ui-ip', '127.0.0.1');
  for (const [name, type] of Object.entries({ ...searchAttributesForCli(), ...opts.searchAttributes }))
    args.push('--search-attribute', `${name}=${type}`);
  const leftover = opts.pidFile !== undefined ? await stopLeftover(opts.pidFile, opts.dbFile) : undefined;
  await assertPortFree(port);
  const log = openSync(logPath, 'a');
  // The server dies with us, even SIGKILLed: setpriv (util-linux) sets its parent-death signal
  // before it becomes the Temporal CLI (same PID, so the pid file and stop() still name it).
  const setpriv = PARENT_DEATH_WRAPPER.find((p) => existsSync(p));
  const child = setpriv
    ? spawn(setpriv, ['--pdeathsig', 'KILL', '--', bin, ...args], { stdio: ['ignore', log, log], detached: false })
    : spawn(bin, args, { stdio: ['ignore', log, log], detached: false });
  if (opts.pidFile !== undefined && child.pid !== undefined)
    writeFileSync(opts.pidFile, `${child.pid}\n${opts.dbFile ?? ''}\n`);
  const address = `127.0.0.1:${port}`;
  let exited: string | null = null;
  child.on('exit', (code, signal) => {
    exited = `exited with ${signal ?? code}`;
  });
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 120_000);
  let lastError = '';
  for (;;) {
    if (exited) throw new Error(`temporal server ${exited} before answering; see ${logPath}`);
    try {
      const conn = await Connection.connect({ address, connectTimeout: 2000 });
      try {
        await conn.workflowService.getSystemInfo({});
        await conn.workflowService.describeNamespace({ namespace: 'default' });
      } finally {
        await conn.close();
      }
      if (exited) throw new Error(`temporal server ${exited}, yet something answers on ${address}; see ${logPath}`);
      break;
    } catch (err) {
      if ((err as Error).message.includes('yet something answers')) throw err;
      lastError = (err as Error).message;
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(
        `temporal server did not answer on ${address} within ${opts.readyTimeoutMs ?? 120_000} ms (${lastError}); see ${logPath}`,
      );
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const removePidFile = () => {
    if (opts.pidFile !== undefined) rmSync(opts.pidFile, { force: true });
  };
  child.once('exit', removePidFile);
  return {
    address,
    uiUrl: uiPort === undefined ? null : `http://127.0.0.1:${uiPort}`,
    pid: child.pid ?? -1,
    process: child,
    logPath,
    ...(leftover !== undefined ? { stoppedLeftover: leftover } : {}),
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve(removePidFile());
        const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(t);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

/** util-linux's setpriv, which sets a parent-death signal and execs the server. */
const PARENT_DEATH_WRAPPER = ['/usr/bin/setpriv', '/bin/setpriv'];

/**
 * Stops the server `pidFile` names if it still runs as `temporal server start-dev` on `dbFile`
 * (checked in /proc, so a recycled PID is never killed); its PID, or undefined when there was none.
 */
export async function stopLeftover(pidFile: string, dbFile: string | undefined): Promise<number | undefined> {
  let pid: number;
  try {
    pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  } catch {
    return undefined;
  }
  let cmdline = '';
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    // Gone already.
  }
  const argv = cmdline.split('\0');
  const ours =
    Number.isInteger(pid) &&
    pid > 1 &&
    argv.includes('start-dev') &&
    (dbFile === undefined || argv[argv.indexOf('--db-filename') + 1] === dbFile);
  if (!ours) {
    rmSync(pidFile, { force: true });
    return undefined;
  }
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 15_000;
  while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (alive(pid)) process.kill(pid, 'SIGKILL');
  while (alive(pid)) await new Promise((r) => setTimeout(r, 50));
  rmSync(pidFile, { force: true });
  return pid;
}

/** Refuses a port something else listens on: the server would exit, and that something answer for it. */
async function assertPortFree(port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new Error(
              `127.0.0.1:${port} is in use by another process (not a Temporal server this state dir started); ` +
                'stop it, or choose another --port',
            )
          : err,
      ),
    );
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
  });
}
