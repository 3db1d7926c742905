/**
 * Test harness: a real OpenSSH sshd on 127.0.0.1 (or another loopback address, e.g. 127.0.0.2
 * for a host behind a bastion) with its own host key and client key pair, plus an ssh-agent
 * helper. Every process started here is tracked by PID and killed by PID.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../src/node/free-port';

const execFileP = promisify(execFile);

export const SSHD_BIN = '/usr/sbin/sshd';
export const SETUP_HINT = 'run `bash scripts/setup-test-host.sh` as root to prepare this machine';

export interface KeyPair {
  privateKeyPath: string;
  publicKeyPath: string;
  /** `ssh-ed25519 AAAA... comment` */
  publicKey: string;
  /** Raw public key blob (base64-decoded second field). */
  keyBlob: Buffer;
}

export interface SshAgent {
  socket: string;
  pid: number;
  stop(): Promise<void>;
}

export interface SshdHandle {
  /** The loopback address sshd listens on. */
  address: string;
  port: number;
  /** `ssh-ed25519 AAAA...` of the server's host key. */
  hostPublicKey: string;
  hostKeyBlob: Buffer;
  /** `SHA256:...` as `ssh-keygen -lf` prints it. */
  hostFingerprint: string;
  hostPublicKeyPath: string;
  /** Client private key authorized for every user of this sshd. */
  clientKeyPath: string;
  clientPublicKeyPath: string;
  /** A known_hosts file with the correct `[address]:port` line. */
  knownHostsPath: string;
  /** Temp directory of this instance (removed by stop()). */
  dir: string;
  pid: number;
  /** sshd's stderr so far (for diagnosing failures). */
  logs(): string;
  /** Start an ssh-agent holding the client key; killed by stop(). */
  startAgent(): Promise<SshAgent>;
  stop(): Promise<void>;
}

export interface StartSshdOptions {
  /** Restrict logins to these users (AllowUsers). Default: anyone with the client key. */
  users?: string[];
  /** Listen on this port (e.g. to restart "the same host" with a different key). Default: a free port. */
  port?: number;
  /** Deadline for sshd to accept connections and send its banner. Default 10 s. */
  readyTimeoutMs?: number;
  /** Loopback address to listen on (Linux routes all of 127.0.0.0/8 to lo). Default 127.0.0.1. */
  listenAddress?: string;
  /** sshd's AllowTcpForwarding (`false` makes a bastion refuse direct-tcpip). Default: sshd's (yes). */
  allowTcpForwarding?: boolean;
  /** DEBUG1 also logs each forwarded connection (`server_request_direct_tcpip: ... target ...`). Default VERBOSE. */
  logLevel?: 'VERBOSE' | 'DEBUG1';
}

export async function generateKeyPair(dir: string, name: string, comment = name): Promise<KeyPair> {
  const privateKeyPath = path.join(dir, name);
  await execFileP('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', privateKeyPath]);
  const publicKeyPath = `${privateKeyPath}.pub`;
  const publicKey = (await fsp.readFile(publicKeyPath, 'utf8')).trim();
  const b64 = publicKey.split(/\s+/)[1];
  if (b64 === undefined) throw new Error(`unexpected public key format in ${publicKeyPath}`);
  return { privateKeyPath, publicKeyPath, publicKey, keyBlob: Buffer.from(b64, 'base64') };
}

/** `ssh-keygen -lf` → `SHA256:...` */
export async function sshKeygenFingerprint(publicKeyPath: string): Promise<string> {
  const { stdout } = await execFileP('ssh-keygen', ['-l', '-E', 'sha256', '-f', publicKeyPath]);
  const fp = stdout.split(/\s+/)[1];
  if (fp === undefined || !fp.startsWith('SHA256:')) throw new Error(`unexpected ssh-keygen -l output: ${stdout}`);
  return fp;
}

/** One attempt: does the port accept a TCP connection and send an `SSH-2.0-` banner? */
export function probeBanner(address: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ host: address, port });
    let buf = '';
    const done = (ok: boolean): void => {
      clearTimeout(timer);
      sock.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    sock.on('data', (d: Buffer) => {
      buf += d.toString('latin1');
      if (buf.includes('\n')) done(buf.startsWith('SSH-2.0-'));
    });
    sock.on('error', () => done(false));
    sock.on('close', () => done(false));
  });
}

export function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

export async function killByPid(child: ChildProcess): Promise<void> {
  const pid = child.pid;
  if (pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  if (!(await waitForExit(child, 5000))) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
    await waitForExit(child, 5000);
  }
}

/** Start an ssh-agent (foreground, by PID) with a socket in `dir`, and add `keyPath` to it. */
export async function startSshAgent(dir: string, keyPath: string): Promise<SshAgent> {
  const socket = path.join(dir, `agent.${process.pid}.${Math.random().toString(36).slice(2, 8)}.sock`);
  const child = spawn('ssh-agent', ['-D', '-a', socket], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const stop = async (): Promise<void> => {
    await killByPid(child);
    await fsp.rm(socket, { force: true });
  };
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`ssh-agent exited early (${child.exitCode}): ${stderr}`);
    try {
      await fsp.stat(socket);
      break;
    } catch {
      /* not yet */
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`ssh-agent did not create ${socket} in time: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  try {
    await execFileP('ssh-add', ['-q', keyPath], { env: { ...process.env, SSH_AUTH_SOCK: socket } });
  } catch (e) {
    await stop();
    throw e;
  }
  if (child.pid === undefined) throw new Error('ssh-agent has no pid');
  return { socket, pid: child.pid, stop };
}

/** Check that the user exists on this machine; throws a message pointing at the setup script. */
export async function requireLocalUser(user: string): Promise<void> {
  try {
    await execFileP('id', ['-u', user]);
  } catch {
    throw new Error(`test user ${JSON.stringify(user)} does not exist on this machine: ${SETUP_HINT}`);
  }
}

export async function startSshd(opts: StartSshdOptions = {}): Promise<SshdHandle> {
  try {
    await fsp.access(SSHD_BIN);
  } catch {
    throw new Error(`${SSHD_BIN} not found: ${SETUP_HINT}`);
  }
  // sshd's privilege separation directory.
  await fsp.mkdir('/run/sshd', { recursive: true, mode: 0o755 });

  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'kr-sshd-'));
  // sshd reads AuthorizedKeysFile as the target user: let non-root users in.
  await fsp.chmod(dir, 0o755);
  try {
    const hostKey = await generateKeyPair(dir, 'ssh_host_ed25519_key', 'kr-test-host');
    const clientKey = await generateKeyPair(dir, 'client_ed25519', 'kr-test-client');
    const authorizedKeysPath = path.join(dir, 'authorized_keys');
    await fsp.writeFile(authorizedKeysPath, clientKey.publicKey + '\n', { mode: 0o644 });
    await fsp.chmod(authorizedKeysPath, 0o644);
    const hostFingerprint = await sshKeygenFingerprint(hostKey.publicKeyPath);

    const attempts = opts.port !== undefined ? 1 : 3;
    let lastErr: Error | undefined;
    for (let attempt = 0; attempt < attempts; attempt++) {
      const port = opts.port ?? (await freePort(opts.listenAddress ?? '127.0.0.1'));
      try {
        return await launch(dir, port, hostKey, clientKey, hostFingerprint, authorizedKeysPath, opts);
      } catch (e) {
        lastErr = e as Error;
      }
    }
    throw lastErr ?? new Error('sshd did not start');
  } catch (e) {
    await fsp.rm(dir, { recursive: true, force: true });
    throw e;
  }
}

async function launch(
  dir: string,
  port: number,
  hostKey: KeyPair,
  clientKey: KeyPair,
  hostFingerprint: string,
  authorizedKeysPath: string,
  opts: StartSshdOptions,
): Promise<SshdHandle> {
  const address = opts.listenAddress ?? '127.0.0.1';
  const configPath = path.join(dir, `sshd_config.${port}`);
  const pidFile = path.join(dir, `sshd.${port}.pid`);
  await fsp.writeFile(configPath, sshdConfig(address, port, hostKey, pidFile, authorizedKeysPath, opts), {
    mode: 0o644,
  });
  const sshd = spawnSshd(configPath);
  const child = sshd.child;
  await awaitBanner(sshd, address, port, opts.readyTimeoutMs ?? 10_000);
  if (child.pid === undefined) throw new Error('sshd has no pid');
  const knownHostsPath = path.join(dir, 'known_hosts');
  await fsp.writeFile(
    knownHostsPath,
    `[${address}]:${port} ${hostKey.publicKey.split(/\s+/).slice(0, 2).join(' ')}\n`,
    {
      mode: 0o600,
    },
  );

  const agents: SshAgent[] = [];
  let stopped = false;
  return {
    address,
    port,
    hostPublicKey: hostKey.publicKey.split(/\s+/).slice(0, 2).join(' '),
    hostKeyBlob: hostKey.keyBlob,
    hostFingerprint,
    hostPublicKeyPath: hostKey.publicKeyPath,
    clientKeyPath: clientKey.privateKeyPath,
    clientPublicKeyPath: clientKey.publicKeyPath,
    knownHostsPath,
    dir,
    pid: child.pid,
    logs: sshd.logs,
    startAgent: async () => {
      const a = await startSshAgent(dir, clientKey.privateKeyPath);
      agents.push(a);
      return a;
    },
    stop: async () => {
      if (stopped) return;
      stopped = true;
      for (const a of agents) await a.stop();
      // Only the listener we started; per-connection children exit when their clients disconnect.
      await killByPid(child);
      await fsp.rm(dir, { recursive: true, force: true });
    },
  };
}

/** The test sshd's configuration: key-only logins on one address and port, as StartSshdOptions say. */
function sshdConfig(
  address: string,
  port: number,
  hostKey: KeyPair,
  pidFile: string,
  authorizedKeysPath: string,
  opts: StartSshdOptions,
): string {
  return [
    `Port ${port}`,
    `ListenAddress ${address}`,
    `HostKey ${hostKey.privateKeyPath}`,
    `PidFile ${pidFile}`,
    `AuthorizedKeysFile ${authorizedKeysPath}`,
    'StrictModes no',
    'UsePAM no',
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'PermitRootLogin prohibit-password',
    'UseDNS no',
    'PrintMotd no',
    `LogLevel ${opts.logLevel ?? 'VERBOSE'}`,
    'MaxStartups 64',
    'MaxSessions 64',
    'Subsystem sftp internal-sftp',
    ...(opts.users !== undefined && opts.users.length > 0 ? [`AllowUsers ${opts.users.join(' ')}`] : []),
    ...(opts.allowTcpForwarding !== undefined ? [`AllowTcpForwarding ${opts.allowTcpForwarding ? 'yes' : 'no'}`] : []),
    '',
  ].join('\n');
}

/** A started sshd: its process, its log (stderr, the last half megabyte or more), its exit. */
interface SpawnedSshd {
  child: ChildProcess;
  logs: () => string;
  exited: Promise<void>;
}

function spawnSshd(configPath: string): SpawnedSshd {
  const child = spawn(SSHD_BIN, ['-D', '-e', '-f', configPath], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (stderr.length > 1_000_000) stderr = stderr.slice(-500_000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.on('error', () => undefined);
  return { child, logs: () => stderr, exited };
}

/** Waits until the sshd answers with its banner; kills it and throws with its log when it does not in time. */
async function awaitBanner(sshd: SpawnedSshd, address: string, port: number, timeoutMs: number): Promise<void> {
  const { child } = sshd;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) break;
    if (await probeBanner(address, port, 1000)) return;
    await Promise.race([new Promise((r) => setTimeout(r, 50)), sshd.exited]);
  }
  await killByPid(child);
  throw new Error(
    `sshd on ${address} port ${port} did not become ready (exit ${child.exitCode ?? child.signalCode}): ${sshd.logs()}`,
  );
}

/** This sshd as kernel-rollout's input names a host: its address, port, client key and known_hosts. */
export function sshdTarget(sshd: SshdHandle, host: string, user = 'root') {
  return {
    host,
    address: sshd.address,
    port: sshd.port,
    user,
    privateKeyPath: sshd.clientKeyPath,
    knownHostsPath: sshd.knownHostsPath,
    trustOnFirstUse: false,
  };
}
