"use strict";
/**
 * Errors of the SSH transport. Each class has a stable `name` (an explicit string, so it survives
 * bundling/minification) that Temporal failure conversion can match on, and a `retryable` hint.
 * Every message starts with `user@host:port` (or the host) so a failure in a fleet-wide rollout
 * says which machine it is about. When the failure is at a bastion on the way to that machine
 * (ProxyJump), the bastion follows: `root@web-01:22: via bastion jump@bastion.example:22: ...`,
 * and the error's `via` names it; host-key fields and fix-it hints then describe the bastion.
 */
Object.defineProperty(exports, "__esModule", { value: true });
exports.NON_RETRYABLE_SSH_ERRORS = exports.DownloadChecksumError = exports.UploadChecksumError = exports.CommandFailedError = exports.CommandTimeoutError = exports.ForwardingRefusedError = exports.ConnectFailedError = exports.AuthFailedError = exports.UnknownHostKeyError = exports.HostKeyMismatchError = exports.SshError = void 0;
exports.describeEndpoint = describeEndpoint;
exports.describeHop = describeHop;
exports.describeFailurePoint = describeFailurePoint;
function describeEndpoint(t) {
    const host = t.host.includes(':') ? `[${t.host}]` : t.host;
    return `${t.user !== undefined ? `${t.user}@` : ''}${host}:${t.port}`;
}
/** `bastion jump@bastion.example:22`, or `bastion 2 of 3 jump@...` in a longer chain. */
function describeHop(h) {
    return `bastion ${h.hops > 1 ? `${h.hop} of ${h.hops} ` : ''}${describeEndpoint(h)}`;
}
/** `root@web-01:22`, or `root@web-01:22: via bastion jump@bastion.example:22` for a bastion's failure. */
function describeFailurePoint(ep) {
    return ep.via !== undefined ? `${describeEndpoint(ep)}: via ${describeHop(ep.via)}` : describeEndpoint(ep);
}
/** The machine a host-key or credential problem is about: the failing bastion, else the host. */
function failingHost(endpoint) {
    return endpoint.via ?? endpoint;
}
class SshError extends Error {
    host;
    port;
    user;
    /** The bastion at which the failure happened, when it was not `host` itself. */
    via;
    constructor(endpoint, message, options) {
        super(`${describeFailurePoint(endpoint)}: ${message}`, options?.cause !== undefined ? { cause: options.cause } : undefined);
        this.host = endpoint.host;
        this.port = endpoint.port;
        this.user = endpoint.user;
        this.via = endpoint.via;
    }
}
exports.SshError = SshError;
function knownHostsRemoveHint(endpoint, knownHostsPath) {
    const h = failingHost(endpoint);
    const name = h.port === 22 ? h.host : `[${h.host}]:${h.port}`;
    return `ssh-keygen -R '${name}'${knownHostsPath !== undefined ? ` -f '${knownHostsPath}'` : ''}`;
}
/** The host presented a key other than the one we trust (or a revoked one): possible interception. */
class HostKeyMismatchError extends SshError {
    name = 'HostKeyMismatchError';
    retryable = false;
    presentedFingerprint;
    presentedKeyType;
    expectedFingerprints;
    revoked;
    source;
    constructor(endpoint, info) {
        const what = info.revoked
            ? `the host presented a REVOKED host key ${info.presentedFingerprint} (${info.presentedKeyType}), marked @revoked in ${info.source}`
            : `HOST KEY MISMATCH: the host presented ${info.presentedFingerprint} (${info.presentedKeyType}) but ${info.source} expects ${info.expectedFingerprints.length > 0 ? info.expectedFingerprints.join(' or ') : '(no usable key)'}`;
        super(endpoint, `${what}. Someone may be intercepting the connection (man-in-the-middle), or the host was reinstalled ` +
            `and got a new key. Refusing to connect; trust-on-first-use never overrides this. ` +
            `Verify the host's real fingerprint out of band (on its console: ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub); ` +
            `if the new key is legitimate, remove the old entry (${knownHostsRemoveHint(endpoint, info.knownHostsPath)}) ` +
            `and add the new one, or pin it with --host-key-sha256.`);
        this.presentedFingerprint = info.presentedFingerprint;
        this.presentedKeyType = info.presentedKeyType;
        this.expectedFingerprints = info.expectedFingerprints;
        this.revoked = info.revoked === true;
        this.source = info.source;
    }
}
exports.HostKeyMismatchError = HostKeyMismatchError;
/** The host's key is not in known_hosts and no pin / trust-on-first-use was given. */
class UnknownHostKeyError extends SshError {
    name = 'UnknownHostKeyError';
    retryable = false;
    presentedFingerprint;
    presentedKeyType;
    constructor(endpoint, info) {
        const h = failingHost(endpoint);
        const name = h.port === 22 ? h.host : `[${h.host}]:${h.port}`;
        super(endpoint, `host key ${info.presentedFingerprint} (${info.presentedKeyType}) is not known (no entry for ${name} in ${info.knownHostsPath}). ` +
            `Refusing to connect. To fix, verify the fingerprint out of band and then either add the host to known_hosts ` +
            `(e.g. ${info.behindBastion === true ? `on the bastion in front of it run ssh-keyscan -p ${h.port} ${h.host} and append the output to ${info.knownHostsPath}` : `ssh-keyscan -p ${h.port} ${h.host} >> ${info.knownHostsPath}`}, then compare ssh-keygen -lf), ` +
            `pass --host-key-sha256 ${info.presentedFingerprint} if that is the host's real key, ` +
            `or opt in to trust-on-first-use.`);
        this.presentedFingerprint = info.presentedFingerprint;
        this.presentedKeyType = info.presentedKeyType;
    }
}
exports.UnknownHostKeyError = UnknownHostKeyError;
class AuthFailedError extends SshError {
    name = 'AuthFailedError';
    retryable = false;
    constructor(endpoint, detail, options) {
        super(endpoint, `authentication failed: ${detail}`, options);
    }
}
exports.AuthFailedError = AuthFailedError;
/** Could not reach / keep the SSH transport: refused, timed out, reset, DNS, handshake. Retryable. */
class ConnectFailedError extends SshError {
    name = 'ConnectFailedError';
    retryable = true;
    code;
    constructor(endpoint, detail, options) {
        super(endpoint, `connection failed: ${detail}`, options);
        this.code = options?.code;
    }
}
exports.ConnectFailedError = ConnectFailedError;
/**
 * A bastion refused to forward a TCP connection to the next hop (sshd `AllowTcpForwarding no`,
 * `PermitOpen`, `DisableForwarding`, or a restricted key): a configuration problem, so not
 * retryable. The next hop being down is a ConnectFailedError instead.
 */
class ForwardingRefusedError extends SshError {
    name = 'ForwardingRefusedError';
    retryable = false;
    destination;
    constructor(endpoint, info, options) {
        super(endpoint, `the bastion refused to forward a connection to ${info.destination} (${info.reason}). ` +
            `Allow TCP forwarding for this user on the bastion (sshd_config AllowTcpForwarding yes or local, ` +
            `and PermitOpen if set must include ${info.destination}), or use another bastion.`, options);
        this.destination = info.destination;
    }
}
exports.ForwardingRefusedError = ForwardingRefusedError;
class CommandTimeoutError extends SshError {
    name = 'CommandTimeoutError';
    retryable = true;
    command;
    timeoutMs;
    constructor(endpoint, command, timeoutMs) {
        super(endpoint, `command timed out after ${timeoutMs} ms (channel closed): ${truncate(command, 500)}`);
        this.command = command;
        this.timeoutMs = timeoutMs;
    }
}
exports.CommandTimeoutError = CommandTimeoutError;
class CommandFailedError extends SshError {
    name = 'CommandFailedError';
    retryable = false;
    command;
    exitCode;
    signal;
    stderrTail;
    constructor(endpoint, info) {
        const tail = tailOf(info.stderr, 2000);
        const status = info.exitCode !== null ? `exit code ${info.exitCode}` : `signal ${info.signal ?? 'unknown'}`;
        super(endpoint, `command failed with ${status}: ${truncate(info.command, 500)}${tail.trim() !== '' ? `\nstderr (tail):\n${tail}` : ''}`);
        this.command = info.command;
        this.exitCode = info.exitCode;
        this.signal = info.signal;
        this.stderrTail = tail;
    }
}
exports.CommandFailedError = CommandFailedError;
class UploadChecksumError extends SshError {
    name = 'UploadChecksumError';
    retryable = false;
    remotePath;
    expectedSha256;
    actualSha256;
    constructor(endpoint, info) {
        super(endpoint, `upload to ${info.remotePath} refused: ${info.what}: expected sha256 ${info.expectedSha256}, got ${info.actualSha256}; ` +
            `the destination was not modified`);
        this.remotePath = info.remotePath;
        this.expectedSha256 = info.expectedSha256;
        this.actualSha256 = info.actualSha256;
    }
}
exports.UploadChecksumError = UploadChecksumError;
/** A file fetched from a host does not have the sha256 it should; the copy was deleted. */
class DownloadChecksumError extends SshError {
    name = 'DownloadChecksumError';
    retryable = false;
    constructor(endpoint, info) {
        super(endpoint, `download of ${info.remotePath} refused: expected sha256 ${info.expectedSha256}, got ${info.actualSha256}; ` +
            `the copy was deleted`);
    }
}
exports.DownloadChecksumError = DownloadChecksumError;
/** Names of errors that retrying cannot fix (for Temporal's nonRetryableErrorTypes). */
exports.NON_RETRYABLE_SSH_ERRORS = [
    'HostKeyMismatchError',
    'UnknownHostKeyError',
    'AuthFailedError',
    'ForwardingRefusedError',
    'CommandFailedError',
    'UploadChecksumError',
];
function truncate(s, max) {
    return s.length <= max ? s : `${s.slice(0, max)}…`;
}
function tailOf(s, max) {
    return s.length <= max ? s : `…${s.slice(s.length - max)}`;
}
//# sourceMappingURL=errors.js.map