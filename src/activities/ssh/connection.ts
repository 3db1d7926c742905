/**
 * SSH transport on top of `ssh2`: connect with mandatory host key verification, run commands
 * (optionally under sudo), upload files with checksum verification.
 *
 * Bastions (ProxyJump): the first hop is connected to over TCP, every later hop and the target
 * over a `direct-tcpip` channel of the hop before it, each logged in to with its own credentials
 * and its own host key check against its own name and port. So a bastion never sees the
 * target's traffic in clear and cannot stand in for the target: it would need the target's key.
 */
import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Duplex } from 'node:stream';
import { Client, type ClientChannel, type ConnectConfig, type SFTPWrapper, type ServerHostKeyAlgorithm } from 'ssh2';

import { hashFile as hashLocalFile } from '../../node/sha256-file';
import type { SshHop } from '../../shared/types';
import { HOST_RE, SAFE_ABSOLUTE_PATH_RE, USER_RE, assertMatches, shellJoin, shellQuote } from '../../shared/shell';
import { firstBanner } from './banner';
import {
  AuthFailedError,
  CommandFailedError,
  CommandTimeoutError,
  DownloadChecksumError,
  ConnectFailedError,
  ForwardingRefusedError,
  HostKeyMismatchError,
  SshError,
  UnknownHostKeyError,
  UploadChecksumError,
  describeEndpoint,
  describeFailurePoint,
  type SshEndpoint,
} from './errors';
import {
  appendKnownHost,
  checkHostKeyDetailed,
  entryMatchesHost,
  fingerprintSha256,
  keyTypeFromBlob,
  knownKeyTypesForHost,
  normalizeFingerprint,
  parseKnownHosts,
  readKnownHostsFile,
} from './known-hosts';

/**
 * One endpoint as the transport dials it: the schema's endpoint (`SshHop`, inferred from
 * `sshHopSchema` in src/shared/schema-fields.ts) with `address` already resolved into `host`
 * (src/activities/connect.ts). The private key is read at connect time from `privateKeyPath`
 * (never logged); without a key path or `agentSocket`, $SSH_AUTH_SOCK is used; `knownHostsPath`
 * defaults to ~/.ssh/known_hosts and is ignored when `hostKeySha256` is set;
 * `trustOnFirstUse` records a host that is not in known_hosts, never overriding a mismatch or a
 * revocation.
 */
export type SshJumpHost = Omit<SshHop, 'address'>;

/** What the transport adds to the schema's endpoint for a target: its resolved chain and deadlines. */
export interface SshConnectExtras {
  /**
   * ProxyJump chain, first hop first. Each bastion is logged in to with its own credentials and
   * its own host key check; the next hop (and finally the target) is reached through a
   * `direct-tcpip` channel of the previous one, and its key is checked against its own name and
   * port, as OpenSSH does. Nothing is inherited from the target.
   */
  jumpHosts?: SshJumpHost[];
  /** Deadline for the whole chain: every hop's handshake, authentication and forward; default 15000. */
  connectTimeoutMs?: number;
  /**
   * A target without jump hosts: its first bytes (the SSH banner) must arrive within this many ms
   * of the TCP connection, or the attempt ends at once; once they have, the handshake may take
   * the rest of connectTimeoutMs. For polling a host that is coming back: a port that accepts
   * and says nothing (a host still booting behind NAT or a hypervisor's port forward) is given
   * up early, and an sshd that answers slowly is not cut off halfway (each attempt cut off leaves
   * the host a half-started session to clean up).
   */
  bannerTimeoutMs?: number;
}

/** A target as the transport connects to it: the schema's endpoint plus the transport's extras. */
export type SshTarget = SshJumpHost & SshConnectExtras;

/**
 * A TCP connection to `host`:`port` on which the server has sent its first bytes within
 * `timeoutMs` (the first of a few such connections to do so: ./banner.ts); those bytes are put
 * back, so the SSH client reads the banner itself.
 */
async function socketWithBanner(host: string, port: number, timeoutMs: number, ep: SshEndpoint): Promise<Duplex> {
  const outcome = await firstBanner(host, port, timeoutMs);
  switch (outcome.kind) {
    case 'banner':
      outcome.sock.unshift(outcome.chunk);
      return outcome.sock;
    case 'refused': {
      const e = outcome.error;
      if (e === null) throw new ConnectFailedError(ep, 'the server closed the connection before its banner');
      throw new ConnectFailedError(ep, e.message, { cause: e, ...(e.code ? { code: e.code } : {}) });
    }
    case 'silent':
      throw new ConnectFailedError(ep, `no SSH banner within ${timeoutMs} ms of the TCP connection`);
    case 'unreached':
      throw new ConnectFailedError(ep, `no TCP connection within ${timeoutMs} ms`);
  }
}

export interface ExecResult {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  durationMs: number;
}

export interface ExecOptions {
  timeoutMs?: number;
  sudo?: boolean;
  stdin?: string | Buffer;
}

export interface UploadOptions {
  /** Hex SHA-256 the file must have (checked on the local file and on the remote copy). */
  expectedSha256?: string;
  /** File mode of the destination; default 0o644. */
  mode?: number;
  /** Install the file as root (via `sudo install`) when the login user is not root. */
  sudo?: boolean;
}

export interface UploadResult {
  sha256: string;
  bytes: number;
  /** True when the destination already had the right content and no transfer happened. */
  skipped: boolean;
}

/** Each of stdout and stderr is capped at this many bytes (stdout keeps the head, stderr the tail). */
export const EXEC_OUTPUT_CAP_BYTES = 4 * 1024 * 1024;
const DEFAULT_CONNECT_TIMEOUT_MS = 15_000;
const KEEPALIVE_INTERVAL_MS = 10_000;
const KEEPALIVE_COUNT_MAX = 3;
/** After a timeout: TERM first, then KILL and close the channel after this grace. */
const TIMEOUT_KILL_GRACE_MS = 250;
/** The remote `timeout` fires this long after the client's deadline (the client stays authoritative). */
const REMOTE_TIMEOUT_MARGIN_MS = 1000;
const REMOTE_KILL_AFTER_S = 5;
const UPLOAD_COMMAND_TIMEOUT_MS = 10 * 60_000;
/** A sanity bound on the chain (the workflow input allows fewer). */
const MAX_JUMP_HOSTS = 8;
/** After closing a session, how long the target's logout may take before the bastions are closed anyway. */
const BASTION_CLOSE_GRACE_MS = 2000;
/** RFC 4254 §5.1 reason code: the server does not allow this channel (forwarding disabled). */
const CHANNEL_OPEN_ADMINISTRATIVELY_PROHIBITED = 1;

/** ssh2's host key algorithms, in its preference order, for each key type in known_hosts. */
const HOST_KEY_ALGOS_BY_KEY_TYPE: Record<string, ServerHostKeyAlgorithm[]> = {
  'ssh-ed25519': ['ssh-ed25519'],
  'ecdsa-sha2-nistp256': ['ecdsa-sha2-nistp256'],
  'ecdsa-sha2-nistp384': ['ecdsa-sha2-nistp384'],
  'ecdsa-sha2-nistp521': ['ecdsa-sha2-nistp521'],
  'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
  'ssh-dss': ['ssh-dss'],
};
const HOST_KEY_ALGO_PREFERENCE: ServerHostKeyAlgorithm[] = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
  'ssh-dss',
];

const RETRYABLE_SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNABORTED',
]);

export function defaultKnownHostsPath(): string {
  return path.join(os.homedir(), '.ssh', 'known_hosts');
}

function endpointOf(t: SshJumpHost): SshEndpoint {
  return { host: t.host, port: t.port, user: t.user };
}

function validateLogin(t: SshJumpHost, field: string): void {
  assertMatches(`${field}host`, t.host, HOST_RE, 'host name or address');
  if (!Number.isInteger(t.port) || t.port < 1 || t.port > 65535) {
    throw new Error(`${field}port: ${JSON.stringify(t.port)} is not a valid TCP port`);
  }
  assertMatches(`${field}user`, t.user, USER_RE, 'user name');
  if (t.hostKeySha256 !== undefined && !/^(SHA256:)?[A-Za-z0-9+/]{43}=?$/i.test(t.hostKeySha256.trim())) {
    throw new Error(
      `${field}hostKeySha256: ${JSON.stringify(t.hostKeySha256)} is not an OpenSSH SHA256 fingerprint (SHA256: followed by 43 base64 characters)`,
    );
  }
}

function validateTarget(t: SshTarget): void {
  validateLogin(t, '');
  const hops = t.jumpHosts ?? [];
  if (hops.length > MAX_JUMP_HOSTS)
    throw new Error(`jumpHosts: at most ${MAX_JUMP_HOSTS} bastions, got ${hops.length}`);
  hops.forEach((h, i) => validateLogin(h, `jumpHosts[${i}].`));
}

/** Keeps at most `cap` bytes: the first ones ('head') or the last ones ('tail'). */
class OutputCapture {
  private chunks: Buffer[] = [];
  private size = 0;
  constructor(
    private readonly cap: number,
    private readonly keep: 'head' | 'tail',
  ) {}

  push(data: Buffer): void {
    if (this.keep === 'head') {
      if (this.size >= this.cap) return;
      const room = this.cap - this.size;
      const part = data.length > room ? data.subarray(0, room) : data;
      this.chunks.push(part);
      this.size += part.length;
      return;
    }
    this.chunks.push(data);
    this.size += data.length;
    while (this.size > this.cap && this.chunks.length > 0) {
      const first = this.chunks[0] as Buffer;
      const excess = this.size - this.cap;
      if (first.length <= excess) {
        this.chunks.shift();
        this.size -= first.length;
      } else {
        this.chunks[0] = first.subarray(excess);
        this.size -= excess;
      }
    }
  }

  toString(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

function parseSha256sum(stdout: string): string | undefined {
  const m = /^\\?([0-9a-f]{64})\s/m.exec(stdout);
  return m?.[1];
}

/** One login of a connection chain (a bastion or the target), ready to handshake. */
interface PreparedLogin {
  login: SshJumpHost;
  /** What errors about this login name: the target, plus `via` when this is a bastion. */
  ep: SshEndpoint;
  privateKey: Buffer | undefined;
  agent: string | undefined;
  /** For messages: which credentials were offered. */
  credentials: string;
  knownHostsPath: string;
  pinned: string | undefined;
  /** Host key algorithms to negotiate (those known_hosts has for this host), or ssh2's default. */
  serverHostKey: ServerHostKeyAlgorithm[] | undefined;
  knownFingerprints: string[];
  /** Reached through a bastion (for the fix-it hint of an unknown key). */
  behindBastion: boolean;
}

/** Read credentials and known_hosts before anything goes over the network. */
async function prepareLogin(login: SshJumpHost, ep: SshEndpoint, behindBastion: boolean): Promise<PreparedLogin> {
  const knownHostsPath = login.knownHostsPath ?? defaultKnownHostsPath();
  const pinned = login.hostKeySha256 !== undefined ? normalizeFingerprint(login.hostKeySha256) : undefined;

  let privateKey: Buffer | undefined;
  if (login.privateKeyPath !== undefined) {
    try {
      privateKey = await fsp.readFile(login.privateKeyPath);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? 'error';
      throw new AuthFailedError(ep, `cannot read private key file ${login.privateKeyPath} (${code})`);
    }
  }
  const agent =
    login.agentSocket ?? (login.privateKeyPath === undefined ? process.env['SSH_AUTH_SOCK'] : undefined) ?? undefined;
  if (privateKey === undefined && (agent === undefined || agent === '')) {
    throw new AuthFailedError(ep, 'no credentials: give privateKeyPath or agentSocket (or set SSH_AUTH_SOCK)');
  }
  const credentials = [
    privateKey !== undefined ? `private key ${login.privateKeyPath}` : undefined,
    agent !== undefined && agent !== '' ? `ssh-agent at ${agent}` : undefined,
  ]
    .filter((x) => x !== undefined)
    .join(' and ');

  // Like OpenSSH, only negotiate host key types that known_hosts has for this host, so that a
  // server (or an interceptor) cannot sidestep a known key by offering another type.
  let serverHostKey: ServerHostKeyAlgorithm[] | undefined;
  let knownFingerprints: string[] = [];
  if (pinned === undefined) {
    let knownText: string;
    try {
      knownText = await readKnownHostsFile(knownHostsPath);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? String(e);
      throw new Error(`${describeFailurePoint(ep)}: cannot read known_hosts file ${knownHostsPath} (${code})`);
    }
    const knownTypes = knownKeyTypesForHost(knownText, login.host, login.port);
    knownFingerprints = parseKnownHosts(knownText)
      .entries.filter((e) => e.marker === null && entryMatchesHost(e, login.host, login.port))
      .map((e) => `${fingerprintSha256(e.keyBlob)} (${e.keyType})`);
    const algos = new Set(knownTypes.flatMap((t) => HOST_KEY_ALGOS_BY_KEY_TYPE[t] ?? []));
    if (algos.size > 0) serverHostKey = HOST_KEY_ALGO_PREFERENCE.filter((a) => algos.has(a));
  }
  return {
    login,
    ep,
    privateKey,
    agent,
    credentials,
    knownHostsPath,
    pinned,
    serverHostKey,
    knownFingerprints,
    behindBastion,
  };
}

/** Resolves when the presented key is the trusted one for this login's host:port; else the refusal. */
async function verifyHostKey(p: PreparedLogin, keyBlob: Buffer): Promise<void> {
  const { login, ep, pinned, knownHostsPath } = p;
  const presentedFingerprint = fingerprintSha256(keyBlob);
  const presentedKeyType = keyTypeFromBlob(keyBlob);
  if (pinned !== undefined) {
    if (presentedFingerprint !== pinned) {
      throw new HostKeyMismatchError(ep, {
        presentedFingerprint,
        presentedKeyType,
        expectedFingerprints: [pinned],
        source: 'the pinned fingerprint (hostKeySha256)',
      });
    }
    return;
  }
  const check = checkHostKeyDetailed(await readKnownHostsFile(knownHostsPath), login.host, login.port, keyBlob);
  switch (check.result) {
    case 'match':
      return;
    case 'revoked':
      throw new HostKeyMismatchError(ep, {
        presentedFingerprint,
        presentedKeyType,
        expectedFingerprints: [],
        source: `${knownHostsPath} line ${check.matchedLine ?? '?'}`,
        knownHostsPath,
        revoked: true,
      });
    case 'mismatch':
      throw new HostKeyMismatchError(ep, {
        presentedFingerprint,
        presentedKeyType,
        expectedFingerprints: check.expected.map((x) => `${x.fingerprint} (${x.keyType})`),
        source: `known_hosts ${knownHostsPath} (line ${check.expected.map((x) => x.line).join(', ')})`,
        knownHostsPath,
      });
    case 'unknown':
      if (login.trustOnFirstUse === true) {
        await appendKnownHost(knownHostsPath, login.host, login.port, keyBlob);
        return;
      }
      throw new UnknownHostKeyError(ep, {
        presentedFingerprint,
        presentedKeyType,
        knownHostsPath,
        behindBastion: p.behindBastion,
      });
  }
}

/**
 * SSH handshake and authentication of one login, over a fresh TCP connection (`sock` undefined)
 * or over a channel a bastion forwarded. Rejects with HostKeyMismatchError / UnknownHostKeyError
 * before any authentication, AuthFailedError, or ConnectFailedError.
 */
function handshake(p: PreparedLogin, sock: Duplex | undefined, deadline: ChainDeadline): Promise<Client> {
  const { ep, login, serverHostKey } = p;
  const client = new Client();
  return new Promise<Client>((resolve, reject) => {
    let settled = false;
    // The error verifyHostKey produced: ssh2 itself only reports a generic
    // "Host denied (verification failed)" handshake error after we say no.
    let refusal: Error | undefined;

    const fail = (err: Error): void => {
      if (settled) return;
      settled = true;
      client.removeListener('ready', onReady);
      // Keep a listener so late errors from the dying connection are not unhandled.
      client.on('error', () => undefined);
      client.end();
      client.destroy();
      reject(err);
    };
    const onReady = (): void => {
      if (settled) return;
      settled = true;
      client.removeListener('error', onError);
      client.removeListener('close', onClose);
      // Errors after the connection is up surface through the channels (closed streams).
      client.on('error', () => undefined);
      resolve(client);
    };
    const onError = (err: Error & { level?: string; code?: string }): void => {
      if (refusal === undefined && serverHostKey !== undefined && /no matching host key/i.test(err.message)) {
        // We only offered the key types known_hosts has for this host, and the server has none
        // of them: treat like a changed key (OpenSSH refuses this case as well).
        refusal = new HostKeyMismatchError(ep, {
          presentedFingerprint: 'no usable key',
          presentedKeyType: `it offered none of the known types: ${serverHostKey.join(', ')}`,
          expectedFingerprints: p.knownFingerprints,
          source: `known_hosts ${p.knownHostsPath}`,
          knownHostsPath: p.knownHostsPath,
        });
      }
      fail(refusal ?? mapConnectError(ep, err, deadline, p.credentials));
    };
    const onClose = (): void => {
      fail(refusal ?? new ConnectFailedError(ep, 'the server closed the connection before it was ready'));
    };

    client.on('ready', onReady);
    client.on('error', onError);
    client.on('close', onClose);

    const config: ConnectConfig = {
      host: login.host,
      port: login.port,
      username: login.user,
      readyTimeout: deadline.remainingMs(),
      keepaliveInterval: KEEPALIVE_INTERVAL_MS,
      keepaliveCountMax: KEEPALIVE_COUNT_MAX,
      // Without hostHash, ssh2 passes the raw public key blob.
      hostVerifier: (keyBlob: Buffer, verify: (ok: boolean) => void): void => {
        verifyHostKey(p, keyBlob).then(
          () => verify(true),
          (err: unknown) => {
            // Our own classes pass through; anything else (e.g. EACCES appending to known_hosts
            // under trust-on-first-use) still refuses the host, with the endpoint in the message.
            refusal =
              err instanceof SshError
                ? err
                : new Error(`${describeFailurePoint(ep)}: could not verify the host key: ${String(err)}`, {
                    cause: err,
                  });
            verify(false);
          },
        );
      },
    };
    if (sock !== undefined) config.sock = sock;
    if (serverHostKey !== undefined) config.algorithms = { serverHostKey };
    if (p.privateKey !== undefined) config.privateKey = p.privateKey;
    if (p.agent !== undefined && p.agent !== '') config.agent = p.agent;

    try {
      client.connect(config);
      // ssh2 makes its own TCP socket when none is given and never disables Nagle's algorithm,
      // which OpenSSH does for interactive sessions: every request/reply pair then waits for a
      // delayed ACK (~40 ms each way on Linux). Set it before the socket connects (Node applies
      // it on connect). `_sock` is ssh2's own field; the version is pinned in package.json.
      if (sock === undefined)
        (client as unknown as { _sock?: { setNoDelay?: (on: boolean) => void } })._sock?.setNoDelay?.(true);
    } catch (e) {
      // ssh2 throws synchronously e.g. when the private key cannot be parsed (encrypted key).
      const msg = e instanceof Error ? e.message : String(e);
      fail(
        /privateKey|private key/i.test(msg)
          ? new AuthFailedError(ep, `cannot use private key ${login.privateKeyPath ?? ''}: ${msg}`)
          : new ConnectFailedError(ep, msg, { cause: e }),
      );
    }
  });
}

/**
 * Ask a logged-in bastion for a `direct-tcpip` channel to the next hop. `ep` names the bastion
 * (as `via`). The bastion refusing (forwarding not allowed) is a ForwardingRefusedError; the
 * bastion failing to reach the next hop (down, rebooting, unresolvable) a retryable ConnectFailedError.
 */
function forwardTo(
  bastion: Client,
  next: { host: string; port: number },
  ep: SshEndpoint,
  deadline: ChainDeadline,
): Promise<ClientChannel> {
  const destination = describeEndpoint({ host: next.host, port: next.port });
  return new Promise<ClientChannel>((resolve, reject) => {
    let settled = false;
    const finish = (err: Error | undefined, channel?: ClientChannel): void => {
      if (settled) {
        channel?.destroy();
        return;
      }
      settled = true;
      clearTimeout(timer);
      bastion.removeListener('close', onClose);
      if (err !== undefined) reject(err);
      else if (channel !== undefined) resolve(channel);
    };
    const onClose = (): void =>
      finish(new ConnectFailedError(ep, `the bastion closed the connection before it forwarded to ${destination}`));
    const timer = setTimeout(
      () =>
        finish(
          new ConnectFailedError(
            ep,
            `timed out after ${deadline.totalMs} ms waiting for the bastion to open a connection to ${destination}${deadline.note()}`,
            { code: 'ETIMEDOUT' },
          ),
        ),
      deadline.remainingMs(),
    );
    bastion.on('close', onClose);
    try {
      // The originator address is informational (OpenSSH logs it); there is no local socket.
      bastion.forwardOut('127.0.0.1', 0, next.host, next.port, (err, channel) => {
        if (err === undefined) {
          finish(undefined, channel);
          return;
        }
        const reason = (err as Error & { reason?: unknown }).reason;
        const detail = err.message.replace(/^\(SSH\) Channel open failure: /, '');
        if (reason === CHANNEL_OPEN_ADMINISTRATIVELY_PROHIBITED) {
          finish(
            new ForwardingRefusedError(
              ep,
              { destination, reason: `SSH channel open failure: administratively prohibited: ${detail}` },
              { cause: err },
            ),
          );
          return;
        }
        finish(
          new ConnectFailedError(ep, `the bastion could not open a connection to ${destination}: ${detail}`, {
            cause: err,
            code: /refused/i.test(detail) ? 'ECONNREFUSED' : undefined,
          }),
        );
      });
    } catch (e) {
      // ssh2 throws "Not connected" when the bastion's socket is already gone.
      finish(new ConnectFailedError(ep, `could not ask the bastion to forward to ${destination}: ${String(e)}`));
    }
  });
}

/** One deadline for the whole chain, so N hops do not multiply connectTimeoutMs. */
class ChainDeadline {
  private readonly endsAt: number;
  constructor(
    readonly totalMs: number,
    private readonly hops: number,
  ) {
    this.endsAt = Date.now() + totalMs;
  }
  /** At least 1: ssh2 treats a readyTimeout of 0 as "no timeout". */
  remainingMs(): number {
    return Math.max(1, this.endsAt - Date.now());
  }
  /** Appended to timeout messages. */
  note(): string {
    return this.hops > 0 ? ` (one deadline for all ${this.hops + 1} logins of the jump chain)` : '';
  }
}

/**
 * One exec's promise, settled once: by its channel's close (the exit status and output), by an
 * error of the channel, or by its timeout (the channel is then signalled and closed).
 */
class PendingExec {
  private settled = false;
  private timedOut = false;
  private channel: ClientChannel | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly ep: SshEndpoint,
    private readonly command: string,
    private readonly started: number,
    private readonly resolve: (r: ExecResult) => void,
    private readonly reject: (e: Error) => void,
  ) {}

  /** Gives up after `timeoutMs`: rejects with CommandTimeoutError and kills the channel. */
  startTimer(timeoutMs: number): void {
    this.timer = setTimeout(() => {
      this.timedOut = true;
      if (this.channel !== undefined) killChannel(this.channel);
      this.settle(() => this.reject(new CommandTimeoutError(this.ep, this.command, timeoutMs)));
    }, timeoutMs);
  }

  fail(e: Error): void {
    this.stopTimer();
    this.settle(() => this.reject(e));
  }

  /** The channel is open: collect its output and exit status, send stdin, settle on its close. */
  attach(stream: ClientChannel, stdin: string | Buffer | undefined, connectionClosed: () => boolean): void {
    this.channel = stream;
    if (this.timedOut) {
      killChannel(stream);
      return;
    }
    const out = new OutputCapture(EXEC_OUTPUT_CAP_BYTES, 'head');
    const errOut = new OutputCapture(EXEC_OUTPUT_CAP_BYTES, 'tail');
    let exit: { code: number | null; signal: string | null } | undefined;
    stream.on('data', (d: Buffer) => out.push(d));
    stream.stderr.on('data', (d: Buffer) => errOut.push(d));
    stream.on('exit', (c: number | null, sig?: string) => {
      exit = { code: typeof c === 'number' ? c : null, signal: typeof sig === 'string' ? sig : null };
    });
    stream.on('error', (e: Error) => {
      this.fail(new ConnectFailedError(this.ep, `channel error while running command: ${e.message}`, { cause: e }));
    });
    stream.on('close', () => {
      this.stopTimer();
      if (exit === undefined && connectionClosed()) {
        this.settle(() =>
          this.reject(new ConnectFailedError(this.ep, `connection lost while running: ${this.command}`)),
        );
        return;
      }
      const { code, signal } = exit ?? { code: null, signal: null };
      this.settle(() =>
        this.resolve({
          code,
          signal,
          stdout: out.toString(),
          stderr: errOut.toString(),
          durationMs: Date.now() - this.started,
        }),
      );
    });
    if (stdin !== undefined) stream.end(stdin);
    else stream.end();
  }

  private stopTimer(): void {
    if (this.timer) clearTimeout(this.timer);
  }

  private settle(how: () => void): void {
    if (this.settled) return;
    this.settled = true;
    how();
  }
}

/** TERM, then KILL and close after a grace period. */
function killChannel(ch: ClientChannel): void {
  sendSignal(ch, 'TERM');
  setTimeout(() => {
    sendSignal(ch, 'KILL');
    try {
      ch.close();
    } catch {
      /* ignore */
    }
  }, TIMEOUT_KILL_GRACE_MS).unref();
}

export class SshSession {
  readonly target: SshTarget;
  private readonly client: Client;
  /** The bastions' connections, first hop first; closed after the target's. */
  private readonly bastions: Client[];
  private closed = false;

  private constructor(target: SshTarget, client: Client, bastions: Client[]) {
    this.target = target;
    this.client = client;
    this.bastions = bastions;
    client.on('close', () => {
      this.closed = true;
      // The target went away (reboot, network): the bastion logins serve no one any more.
      closeBastions(bastions);
    });
  }

  private get endpoint(): SshEndpoint {
    return endpointOf(this.target);
  }

  /** Whether the connection is still up: neither closed here nor ended by the host. */
  isOpen(): boolean {
    return !this.closed;
  }

  /**
   * Open a connection, through the jump hosts if any. Rejects with HostKeyMismatchError /
   * UnknownHostKeyError when a host key is refused (before any authentication to that host, and
   * before anything is forwarded through a bastion whose key was refused), AuthFailedError,
   * ForwardingRefusedError, or ConnectFailedError; errors at a bastion name it in `via`.
   */
  static async connect(target: SshTarget): Promise<SshSession> {
    validateTarget(target);
    const hops = target.jumpHosts ?? [];
    const targetEp = endpointOf(target);
    const hopEp = (i: number): SshEndpoint => ({
      ...targetEp,
      via: { ...endpointOf(hops[i] as SshJumpHost), hop: i + 1, hops: hops.length },
    });
    // Credentials and known_hosts of every login are read before the first packet is sent.
    const logins: PreparedLogin[] = [];
    for (let i = 0; i < hops.length; i++) logins.push(await prepareLogin(hops[i] as SshJumpHost, hopEp(i), i > 0));
    logins.push(await prepareLogin(target, targetEp, hops.length > 0));

    const deadline = new ChainDeadline(target.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS, hops.length);
    const bastions: Client[] = [];
    try {
      let sock: Duplex | undefined;
      const direct = logins[0] as PreparedLogin;
      if (hops.length === 0 && target.bannerTimeoutMs !== undefined) {
        sock = await socketWithBanner(direct.login.host, direct.login.port, target.bannerTimeoutMs, targetEp);
      }
      for (let i = 0; i < hops.length; i++) {
        const bastion = await handshake(logins[i] as PreparedLogin, sock, deadline);
        bastions.push(bastion);
        const next = i + 1 < hops.length ? (hops[i + 1] as SshJumpHost) : target;
        sock = await forwardTo(bastion, next, hopEp(i), deadline);
      }
      const client = await handshake(logins[hops.length] as PreparedLogin, sock, deadline);
      return new SshSession(target, client, bastions);
    } catch (e) {
      closeBastions(bastions);
      throw e;
    }
  }

  /** The command line actually sent: `sudo -n -- sh -c '<command>'` for sudo as a non-root user. */
  wrapCommand(command: string, sudo: boolean | undefined): string {
    if (sudo === true && this.target.user !== 'root') return `sudo -n -- sh -c ${shellQuote(command)}`;
    return command;
  }

  /**
   * Run a command. Resolves with its exit status and output whatever the exit code; rejects with
   * CommandTimeoutError (after signalling and closing the channel) or ConnectFailedError.
   *
   * Timeouts: the client gives up at `timeoutMs` (CommandTimeoutError), sends TERM then KILL over
   * the channel and closes it. That alone does not stop the remote process: OpenSSH refuses
   * `signal` requests for root logins ("requires privilege separation"), a user cannot signal
   * sudo's root processes, and sshd leaves a non-pty session's processes running when the channel
   * closes. So a command with a timeout runs as `timeout -k 5 <timeoutMs+1s> sh -c '<command>'`
   * (coreutils, inside sudo when sudo is used), which kills its whole process group on the host.
   */
  exec(command: string, opts: ExecOptions = {}): Promise<ExecResult> {
    const ep = this.endpoint;
    let full: string;
    try {
      full = this.commandLine(command, opts);
    } catch (e) {
      return Promise.reject(e as Error);
    }
    const started = Date.now();
    return new Promise<ExecResult>((resolve, reject) => {
      if (this.closed) {
        reject(new ConnectFailedError(ep, `the connection is closed; cannot run: ${command}`));
        return;
      }
      const pending = new PendingExec(ep, command, started, resolve, reject);
      if (opts.timeoutMs !== undefined) pending.startTimer(opts.timeoutMs);
      try {
        this.client.exec(full, (err, stream) => {
          if (err) {
            pending.fail(
              new ConnectFailedError(ep, `could not open a session channel: ${err.message}`, { cause: err }),
            );
            return;
          }
          pending.attach(stream, opts.stdin, () => this.closed);
        });
      } catch (e) {
        pending.fail(new ConnectFailedError(ep, `could not start command: ${(e as Error).message}`, { cause: e }));
      }
    });
  }

  /** The command line exec sends: with a timeout, inside the remote backstop (see exec); wrapped for sudo. */
  private commandLine(command: string, opts: ExecOptions): string {
    if (opts.timeoutMs === undefined) return this.wrapCommand(command, opts.sudo);
    if (!Number.isFinite(opts.timeoutMs) || opts.timeoutMs <= 0) {
      throw new Error(`timeoutMs: ${opts.timeoutMs} must be a positive number`);
    }
    const secs = ((opts.timeoutMs + REMOTE_TIMEOUT_MARGIN_MS) / 1000).toFixed(3);
    return this.wrapCommand(`timeout -k ${REMOTE_KILL_AFTER_S} ${secs} sh -c ${shellQuote(command)}`, opts.sudo);
  }

  /** Run a command and return its stdout; rejects with CommandFailedError on a non-zero exit. */
  async run(command: string, opts: ExecOptions = {}): Promise<string> {
    const r = await this.exec(command, opts);
    if (r.code !== 0) {
      throw new CommandFailedError(this.endpoint, {
        command: this.wrapCommand(command, opts.sudo),
        exitCode: r.code,
        signal: r.signal,
        stderr: r.stderr,
      });
    }
    return r.stdout;
  }

  private openSftp(): Promise<SFTPWrapper> {
    return new Promise((resolve, reject) => {
      this.client.sftp((err, sftp) => {
        if (err) reject(new ConnectFailedError(this.endpoint, `could not start SFTP: ${err.message}`, { cause: err }));
        else resolve(sftp);
      });
    });
  }

  private async sftpPut(localPath: string, remotePath: string, mode: number): Promise<void> {
    const sftp = await this.openSftp();
    try {
      await new Promise<void>((resolve, reject) => {
        sftp.fastPut(localPath, remotePath, { mode }, (err) => {
          if (err) reject(new Error(`${this.describe()}: SFTP upload to ${remotePath} failed: ${err.message}`));
          else resolve();
        });
      });
    } finally {
      sftp.end();
    }
  }

  /**
   * Fetch a file over SFTP to `localPath` (written to a temporary name beside it, renamed when
   * whole) and check it against `expectedSha256`: a copy that differs is deleted and refused.
   */
  async download(remotePath: string, localPath: string, opts: { expectedSha256: string }): Promise<UploadResult> {
    assertMatches('remotePath', remotePath, SAFE_ABSOLUTE_PATH_RE, 'absolute path');
    const want = opts.expectedSha256.trim().toLowerCase();
    const tmp = `${localPath}.krtmp-${randomBytes(6).toString('hex')}`;
    const sftp = await this.openSftp();
    try {
      await new Promise<void>((resolve, reject) => {
        sftp.fastGet(remotePath, tmp, (err) => {
          if (err) reject(new Error(`${this.describe()}: SFTP download of ${remotePath} failed: ${err.message}`));
          else resolve();
        });
      });
      const got = await hashLocalFile(tmp);
      if (got.sha256 !== want) {
        throw new DownloadChecksumError(this.endpoint, { remotePath, expectedSha256: want, actualSha256: got.sha256 });
      }
      await fsp.rename(tmp, localPath);
      return { sha256: got.sha256, bytes: got.bytes, skipped: false };
    } finally {
      sftp.end();
      await fsp.rm(tmp, { force: true });
    }
  }

  private async remoteSha256(remotePath: string, sudo: boolean): Promise<string> {
    const out = await this.run(shellJoin(['sha256sum', '--', remotePath]), {
      sudo,
      timeoutMs: UPLOAD_COMMAND_TIMEOUT_MS,
    });
    const h = parseSha256sum(out);
    if (h === undefined) throw new Error(`${this.describe()}: cannot parse sha256sum output: ${out.slice(0, 200)}`);
    return h;
  }

  private describe(): string {
    return `${this.target.user}@${this.target.host}:${this.target.port}`;
  }

  /**
   * Upload a file atomically: SFTP to a temporary name (next to the destination, or in /tmp and
   * then `sudo install` when root is needed), verify the remote copy with sha256sum, rename into
   * place. If the destination already has the expected content, nothing is transferred
   * (`skipped: true`; the mode is still corrected).
   */
  async upload(localPath: string, remotePath: string, opts: UploadOptions = {}): Promise<UploadResult> {
    const ep = this.endpoint;
    assertMatches('remotePath', remotePath, SAFE_ABSOLUTE_PATH_RE, 'absolute path');
    if (remotePath.endsWith('/')) throw new Error(`remotePath: ${JSON.stringify(remotePath)} names a directory`);
    const mode = opts.mode ?? 0o644;
    if (!Number.isInteger(mode) || mode < 0 || mode > 0o7777) throw new Error(`mode: ${mode} is not a file mode`);
    const modeStr = mode.toString(8).padStart(4, '0');
    const useSudo = opts.sudo === true && this.target.user !== 'root';

    const local = await hashLocalFile(localPath);
    if (opts.expectedSha256 !== undefined) {
      const want = opts.expectedSha256.trim().toLowerCase();
      if (want !== local.sha256) {
        throw new UploadChecksumError(ep, {
          remotePath,
          expectedSha256: want,
          actualSha256: local.sha256,
          what: `local file ${localPath} does not have the expected hash`,
        });
      }
    }

    // Idempotency: is the destination already what we want?
    const q = shellQuote(remotePath);
    const probe = await this.exec(`if [ -f ${q} ]; then sha256sum -- ${q} && stat -c %a -- ${q}; fi`, {
      sudo: useSudo,
      timeoutMs: UPLOAD_COMMAND_TIMEOUT_MS,
    });
    if (probe.code === 0 && parseSha256sum(probe.stdout) === local.sha256) {
      const currentMode = probe.stdout.trim().split('\n').pop()?.trim();
      if (currentMode === undefined || parseInt(currentMode, 8) !== mode) {
        await this.run(shellJoin(['chmod', modeStr, '--', remotePath]), { sudo: useSudo });
      }
      return { sha256: local.sha256, bytes: local.bytes, skipped: true };
    }

    const dir = path.posix.dirname(remotePath);
    const base = path.posix.basename(remotePath);
    const rand = randomBytes(6).toString('hex');
    const destTmp = path.posix.join(dir, `.${base}.krtmp-${rand}`);
    const checkRemote = (actual: string, where: string): void => {
      if (actual !== local.sha256) {
        throw new UploadChecksumError(ep, {
          remotePath,
          expectedSha256: local.sha256,
          actualSha256: actual,
          what: `the remote copy (${where}) differs from the local file`,
        });
      }
    };

    if (!useSudo) {
      try {
        await this.sftpPut(localPath, destTmp, mode);
        checkRemote(await this.remoteSha256(destTmp, false), destTmp);
        await this.run(
          `${shellJoin(['chmod', modeStr, '--', destTmp])} && ${shellJoin(['mv', '-fT', '--', destTmp, remotePath])}`,
          {
            timeoutMs: UPLOAD_COMMAND_TIMEOUT_MS,
          },
        );
      } catch (e) {
        await this.exec(shellJoin(['rm', '-f', '--', destTmp]), { timeoutMs: 60_000 }).catch(() => undefined);
        throw e;
      }
      return { sha256: local.sha256, bytes: local.bytes, skipped: false };
    }

    const stage = `/tmp/.krtmp-${rand}-${base}`;
    try {
      await this.sftpPut(localPath, stage, 0o600);
      checkRemote(await this.remoteSha256(stage, false), stage);
      await this.run(shellJoin(['install', '-m', modeStr, '--', stage, destTmp]), {
        sudo: true,
        timeoutMs: UPLOAD_COMMAND_TIMEOUT_MS,
      });
      checkRemote(await this.remoteSha256(destTmp, true), destTmp);
      await this.run(shellJoin(['mv', '-fT', '--', destTmp, remotePath]), {
        sudo: true,
        timeoutMs: UPLOAD_COMMAND_TIMEOUT_MS,
      });
    } catch (e) {
      await this.exec(shellJoin(['rm', '-f', '--', destTmp]), { sudo: true, timeoutMs: 60_000 }).catch(() => undefined);
      throw e;
    } finally {
      await this.exec(shellJoin(['rm', '-f', '--', stage]), { timeoutMs: 60_000 }).catch(() => undefined);
    }
    return { sha256: local.sha256, bytes: local.bytes, skipped: false };
  }

  /**
   * Close the target's connection and every bastion's. The bastions are logged out of once the
   * target's connection has closed (so the target's disconnect message gets through them
   * first), or after a short grace at the latest.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.client.end();
    if (this.bastions.length > 0) setTimeout(() => closeBastions(this.bastions), BASTION_CLOSE_GRACE_MS).unref();
  }
}

/** Log out of the bastions, innermost first (each one's connection runs through the one before). */
function closeBastions(bastions: Client[]): void {
  for (const bastion of [...bastions].reverse()) {
    try {
      bastion.end();
    } catch {
      /* already gone */
    }
  }
}

/**
 * Send a `signal` channel request. ssh2's `ClientChannel.signal()` silently does nothing once
 * the channel's writable side has ended, and we always end stdin right after starting a command;
 * so go to the protocol object it would have used (ssh2 1.x internals, pinned in package.json),
 * falling back to the public method.
 */
function sendSignal(ch: ClientChannel, name: 'TERM' | 'KILL'): void {
  const internal = ch as unknown as {
    outgoing?: { id?: number; state?: string };
    _client?: { _protocol?: { signal?: (chan: number, sig: string) => void } };
  };
  try {
    const proto = internal._client?._protocol;
    const id = internal.outgoing?.id;
    if (
      proto &&
      typeof proto.signal === 'function' &&
      typeof id === 'number' &&
      (internal.outgoing?.state === 'open' || internal.outgoing?.state === 'eof')
    ) {
      proto.signal.call(proto, id, name);
      return;
    }
    ch.signal(name);
  } catch {
    /* the channel or connection is already going away */
  }
}

function mapConnectError(
  ep: SshEndpoint,
  err: Error & { level?: string; code?: string },
  deadline: ChainDeadline,
  credentials: string,
): Error {
  if (err.level === 'client-authentication') {
    return new AuthFailedError(ep, `the server accepted none of the offered credentials (${credentials})`, {
      cause: err,
    });
  }
  if (err.level === 'client-timeout') {
    return new ConnectFailedError(
      ep,
      `timed out after ${deadline.totalMs} ms waiting for the SSH handshake${deadline.note()}`,
      {
        cause: err,
        code: 'ETIMEDOUT',
      },
    );
  }
  if (err.code !== undefined && RETRYABLE_SOCKET_CODES.has(err.code)) {
    return new ConnectFailedError(ep, `${err.code}: ${err.message}`, { cause: err, code: err.code });
  }
  return new ConnectFailedError(ep, err.message, { cause: err, code: err.code });
}

/** Connect, run `fn`, and always close the session. */
export async function withSsh<T>(target: SshTarget, fn: (s: SshSession) => Promise<T>): Promise<T> {
  const session = await SshSession.connect(target);
  try {
    return await fn(session);
  } finally {
    session.close();
  }
}
