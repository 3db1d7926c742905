/**
 * Errors of the SSH transport. Each class has a stable `name` (an explicit string, so it survives
 * bundling/minification) that Temporal failure conversion can match on, and a `retryable` hint.
 * Every message starts with `user@host:port` (or the host) so a failure in a fleet-wide rollout
 * says which machine it is about. When the failure is at a bastion on the way to that machine
 * (ProxyJump), the bastion follows: `root@web-01:22: via bastion jump@bastion.example:22: ...`,
 * and the error's `via` names it; host-key fields and fix-it hints then describe the bastion.
 */

export interface SshEndpoint {
  host: string;
  port: number;
  user?: string;
  /** Set when the failure happened at this bastion of the jump chain, not at `host` itself. */
  via?: SshHopEndpoint;
}

/** A bastion of the jump chain: which one (1-based, first hop first) of how many. */
export interface SshHopEndpoint {
  host: string;
  port: number;
  user?: string;
  hop: number;
  hops: number;
}

export function describeEndpoint(t: { host: string; port: number; user?: string }): string {
  const host = t.host.includes(':') ? `[${t.host}]` : t.host;
  return `${t.user !== undefined ? `${t.user}@` : ''}${host}:${t.port}`;
}

/** `bastion jump@bastion.example:22`, or `bastion 2 of 3 jump@...` in a longer chain. */
export function describeHop(h: SshHopEndpoint): string {
  return `bastion ${h.hops > 1 ? `${h.hop} of ${h.hops} ` : ''}${describeEndpoint(h)}`;
}

/** `root@web-01:22`, or `root@web-01:22: via bastion jump@bastion.example:22` for a bastion's failure. */
export function describeFailurePoint(ep: SshEndpoint): string {
  return ep.via !== undefined ? `${describeEndpoint(ep)}: via ${describeHop(ep.via)}` : describeEndpoint(ep);
}

/** The machine a host-key or credential problem is about: the failing bastion, else the host. */
function failingHost(endpoint: SshEndpoint): { host: string; port: number } {
  return endpoint.via ?? endpoint;
}

export abstract class SshError extends Error {
  abstract override readonly name: string;
  /** Whether retrying the same operation could succeed without a human changing something. */
  abstract readonly retryable: boolean;
  readonly host: string;
  readonly port: number;
  readonly user: string | undefined;
  /** The bastion at which the failure happened, when it was not `host` itself. */
  readonly via: SshHopEndpoint | undefined;

  protected constructor(endpoint: SshEndpoint, message: string, options?: { cause?: unknown }) {
    super(
      `${describeFailurePoint(endpoint)}: ${message}`,
      options?.cause !== undefined ? { cause: options.cause } : undefined,
    );
    this.host = endpoint.host;
    this.port = endpoint.port;
    this.user = endpoint.user;
    this.via = endpoint.via;
  }
}

function knownHostsRemoveHint(endpoint: SshEndpoint, knownHostsPath: string | undefined): string {
  const h = failingHost(endpoint);
  const name = h.port === 22 ? h.host : `[${h.host}]:${h.port}`;
  return `ssh-keygen -R '${name}'${knownHostsPath !== undefined ? ` -f '${knownHostsPath}'` : ''}`;
}

/** The host presented a key other than the one we trust (or a revoked one): possible interception. */
export class HostKeyMismatchError extends SshError {
  override readonly name = 'HostKeyMismatchError';
  readonly retryable = false;
  readonly presentedFingerprint: string;
  readonly presentedKeyType: string;
  readonly expectedFingerprints: string[];
  readonly revoked: boolean;
  readonly source: string;

  constructor(
    endpoint: SshEndpoint,
    info: {
      presentedFingerprint: string;
      presentedKeyType: string;
      expectedFingerprints: string[];
      /** Where the expectation came from, e.g. "known_hosts /root/.ssh/known_hosts line 3". */
      source: string;
      knownHostsPath?: string;
      revoked?: boolean;
    },
  ) {
    const what = info.revoked
      ? `the host presented a REVOKED host key ${info.presentedFingerprint} (${info.presentedKeyType}), marked @revoked in ${info.source}`
      : `HOST KEY MISMATCH: the host presented ${info.presentedFingerprint} (${info.presentedKeyType}) but ${info.source} expects ${
          info.expectedFingerprints.length > 0 ? info.expectedFingerprints.join(' or ') : '(no usable key)'
        }`;
    super(
      endpoint,
      `${what}. Someone may be intercepting the connection (man-in-the-middle), or the host was reinstalled ` +
        `and got a new key. Refusing to connect; trust-on-first-use never overrides this. ` +
        `Verify the host's real fingerprint out of band (on its console: ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub); ` +
        `if the new key is legitimate, remove the old entry (${knownHostsRemoveHint(endpoint, info.knownHostsPath)}) ` +
        `and add the new one, or pin it with --host-key-sha256.`,
    );
    this.presentedFingerprint = info.presentedFingerprint;
    this.presentedKeyType = info.presentedKeyType;
    this.expectedFingerprints = info.expectedFingerprints;
    this.revoked = info.revoked === true;
    this.source = info.source;
  }
}

/** The host's key is not in known_hosts and no pin / trust-on-first-use was given. */
export class UnknownHostKeyError extends SshError {
  override readonly name = 'UnknownHostKeyError';
  readonly retryable = false;
  readonly presentedFingerprint: string;
  readonly presentedKeyType: string;

  constructor(
    endpoint: SshEndpoint,
    info: { presentedFingerprint: string; presentedKeyType: string; knownHostsPath: string; behindBastion?: boolean },
  ) {
    const h = failingHost(endpoint);
    const name = h.port === 22 ? h.host : `[${h.host}]:${h.port}`;
    super(
      endpoint,
      `host key ${info.presentedFingerprint} (${info.presentedKeyType}) is not known (no entry for ${name} in ${info.knownHostsPath}). ` +
        `Refusing to connect. To fix, verify the fingerprint out of band and then either add the host to known_hosts ` +
        `(e.g. ${info.behindBastion === true ? `on the bastion in front of it run ssh-keyscan -p ${h.port} ${h.host} and append the output to ${info.knownHostsPath}` : `ssh-keyscan -p ${h.port} ${h.host} >> ${info.knownHostsPath}`}, then compare ssh-keygen -lf), ` +
        `pass --host-key-sha256 ${info.presentedFingerprint} if that is the host's real key, ` +
        `or opt in to trust-on-first-use.`,
    );
    this.presentedFingerprint = info.presentedFingerprint;
    this.presentedKeyType = info.presentedKeyType;
  }
}

export class AuthFailedError extends SshError {
  override readonly name = 'AuthFailedError';
  readonly retryable = false;
  constructor(endpoint: SshEndpoint, detail: string, options?: { cause?: unknown }) {
    super(endpoint, `authentication failed: ${detail}`, options);
  }
}

/** Could not reach / keep the SSH transport: refused, timed out, reset, DNS, handshake. Retryable. */
export class ConnectFailedError extends SshError {
  override readonly name = 'ConnectFailedError';
  readonly retryable = true;
  readonly code: string | undefined;
  constructor(endpoint: SshEndpoint, detail: string, options?: { cause?: unknown; code?: string }) {
    super(endpoint, `connection failed: ${detail}`, options);
    this.code = options?.code;
  }
}

/**
 * A bastion refused to forward a TCP connection to the next hop (sshd `AllowTcpForwarding no`,
 * `PermitOpen`, `DisableForwarding`, or a restricted key): a configuration problem, so not
 * retryable. The next hop being down is a ConnectFailedError instead.
 */
export class ForwardingRefusedError extends SshError {
  override readonly name = 'ForwardingRefusedError';
  readonly retryable = false;
  readonly destination: string;
  constructor(endpoint: SshEndpoint, info: { destination: string; reason: string }, options?: { cause?: unknown }) {
    super(
      endpoint,
      `the bastion refused to forward a connection to ${info.destination} (${info.reason}). ` +
        `Allow TCP forwarding for this user on the bastion (sshd_config AllowTcpForwarding yes or local, ` +
        `and PermitOpen if set must include ${info.destination}), or use another bastion.`,
      options,
    );
    this.destination = info.destination;
  }
}

export class CommandTimeoutError extends SshError {
  override readonly name = 'CommandTimeoutError';
  readonly retryable = true;
  readonly command: string;
  readonly timeoutMs: number;
  constructor(endpoint: SshEndpoint, command: string, timeoutMs: number) {
    super(endpoint, `command timed out after ${timeoutMs} ms (channel closed): ${truncate(command, 500)}`);
    this.command = command;
    this.timeoutMs = timeoutMs;
  }
}

export class CommandFailedError extends SshError {
  override readonly name = 'CommandFailedError';
  readonly retryable = false;
  readonly command: string;
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly stderrTail: string;
  constructor(
    endpoint: SshEndpoint,
    info: { command: string; exitCode: number | null; signal: string | null; stderr: string },
  ) {
    const tail = tailOf(info.stderr, 2000);
    const status = info.exitCode !== null ? `exit code ${info.exitCode}` : `signal ${info.signal ?? 'unknown'}`;
    super(
      endpoint,
      `command failed with ${status}: ${truncate(info.command, 500)}${tail.trim() !== '' ? `\nstderr (tail):\n${tail}` : ''}`,
    );
    this.command = info.command;
    this.exitCode = info.exitCode;
    this.signal = info.signal;
    this.stderrTail = tail;
  }
}

export class UploadChecksumError extends SshError {
  override readonly name = 'UploadChecksumError';
  readonly retryable = false;
  readonly remotePath: string;
  readonly expectedSha256: string;
  readonly actualSha256: string;
  constructor(
    endpoint: SshEndpoint,
    info: { remotePath: string; expectedSha256: string; actualSha256: string; what: string },
  ) {
    super(
      endpoint,
      `upload to ${info.remotePath} refused: ${info.what}: expected sha256 ${info.expectedSha256}, got ${info.actualSha256}; ` +
        `the destination was not modified`,
    );
    this.remotePath = info.remotePath;
    this.expectedSha256 = info.expectedSha256;
    this.actualSha256 = info.actualSha256;
  }
}

/** A file fetched from a host does not have the sha256 it should; the copy was deleted. */
export class DownloadChecksumError extends SshError {
  override readonly name = 'DownloadChecksumError';
  readonly retryable = false;
  constructor(endpoint: SshEndpoint, info: { remotePath: string; expectedSha256: string; actualSha256: string }) {
    super(
      endpoint,
      `download of ${info.remotePath} refused: expected sha256 ${info.expectedSha256}, got ${info.actualSha256}; ` +
        `the copy was deleted`,
    );
  }
}

/** Names of errors that retrying cannot fix (for Temporal's nonRetryableErrorTypes). */
export const NON_RETRYABLE_SSH_ERRORS: readonly string[] = [
  'HostKeyMismatchError',
  'UnknownHostKeyError',
  'AuthFailedError',
  'ForwardingRefusedError',
  'CommandFailedError',
  'UploadChecksumError',
];

function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max)}…`;
}

function tailOf(s: string, max: number): string {
  return s.length <= max ? s : `…${s.slice(s.length - max)}`;
}
