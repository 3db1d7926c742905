/**
 * Errors of the SSH transport. Each class has a stable `name` (an explicit string, so it survives
 * bundling/minification) that Temporal failure conversion can match on, and a `retryable` hint.
 * Every message starts with `user@host:port` (or the host) so a failure in a fleet-wide rollout
 * says which machine it is about.
 */

export interface SshEndpoint {
  host: string;
  port: number;
  user?: string;
}

export function describeEndpoint(t: SshEndpoint): string {
  const host = t.host.includes(':') ? `[${t.host}]` : t.host;
  return `${t.user !== undefined ? `${t.user}@` : ''}${host}:${t.port}`;
}

export abstract class SshError extends Error {
  abstract override readonly name: string;
  /** Whether retrying the same operation could succeed without a human changing something. */
  abstract readonly retryable: boolean;
  readonly host: string;
  readonly port: number;
  readonly user: string | undefined;

  protected constructor(endpoint: SshEndpoint, message: string, options?: { cause?: unknown }) {
    super(
      `${describeEndpoint(endpoint)}: ${message}`,
      options?.cause !== undefined ? { cause: options.cause } : undefined,
    );
    this.host = endpoint.host;
    this.port = endpoint.port;
    this.user = endpoint.user;
  }
}

function knownHostsRemoveHint(endpoint: SshEndpoint, knownHostsPath: string | undefined): string {
  const name = endpoint.port === 22 ? endpoint.host : `[${endpoint.host}]:${endpoint.port}`;
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
    info: { presentedFingerprint: string; presentedKeyType: string; knownHostsPath: string },
  ) {
    const name = endpoint.port === 22 ? endpoint.host : `[${endpoint.host}]:${endpoint.port}`;
    super(
      endpoint,
      `host key ${info.presentedFingerprint} (${info.presentedKeyType}) is not known (no entry for ${name} in ${info.knownHostsPath}). ` +
        `Refusing to connect. To fix, verify the fingerprint out of band and then either add the host to known_hosts ` +
        `(e.g. ssh-keyscan -p ${endpoint.port} ${endpoint.host} >> ${info.knownHostsPath}, then compare ssh-keygen -lf), ` +
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

/** Names of errors that retrying cannot fix (for Temporal's nonRetryableErrorTypes). */
export const NON_RETRYABLE_SSH_ERRORS: readonly string[] = [
  'HostKeyMismatchError',
  'UnknownHostKeyError',
  'AuthFailedError',
  'CommandFailedError',
  'UploadChecksumError',
];

function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max)}…`;
}

function tailOf(s: string, max: number): string {
  return s.length <= max ? s : `…${s.slice(s.length - max)}`;
}
