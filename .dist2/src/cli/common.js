"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.GLOBAL_OPTIONS = exports.UsageError = exports.EXIT = void 0;
exports.int = int;
exports.parse = parse;
exports.out = out;
exports.whoami = whoami;
exports.clientOptionsFromFlags = clientOptionsFromFlags;
exports.withClient = withClient;
exports.connectionLost = connectionLost;
exports.parseHostSpec = parseHostSpec;
/**
 * What every kernelctl command shares: exit codes, the global flags, parsing, output, and the
 * connection to Temporal.
 */
const node_crypto_1 = require("node:crypto");
const node_util_1 = require("node:util");
const client_1 = require("../client");
const tls_diagnosis_1 = require("../client/tls-diagnosis");
const grpc_status_1 = require("../shared/grpc-status");
const schemas_1 = require("../shared/schemas");
exports.EXIT = {
    ok: 0,
    error: 1,
    usage: 2,
    rolledBack: 3,
    needsAttention: 4,
    aborted: 5,
    refused: 6,
    unreachable: 7,
    notFound: 8,
    denied: 10,
};
class UsageError extends Error {
}
exports.UsageError = UsageError;
exports.GLOBAL_OPTIONS = {
    profile: { type: 'string' },
    'config-file': { type: 'string' },
    address: { type: 'string' },
    namespace: { type: 'string' },
    'task-queue': { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
};
function int(name, v) {
    if (v === undefined)
        return undefined;
    if (!/^\d+$/.test(v))
        throw new schemas_1.InvalidInputError(`${name}: ${JSON.stringify(v)} is not a whole number`);
    return Number(v);
}
function parse(argv, options) {
    try {
        return (0, node_util_1.parseArgs)({ args: argv, options: { ...exports.GLOBAL_OPTIONS, ...options }, allowPositionals: true, strict: true });
    }
    catch (err) {
        throw new UsageError(err.message);
    }
}
function out(json, value, human) {
    process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${human}\n`);
}
function whoami() {
    return process.env['KERNELCTL_ACTOR'] || process.env['USER'] || 'kernelctl';
}
/** The Temporal connection from the profile, the TEMPORAL_* variables and the flags (checked). */
function clientOptionsFromFlags(v) {
    const opts = (0, client_1.clientOptionsFromEnv)({
        profile: v['profile'],
        configFile: v['config-file'],
        address: v['address'],
        namespace: v['namespace'],
        taskQueue: v['task-queue'],
    });
    const { address, namespace, taskQueue } = opts;
    (0, schemas_1.parseOrThrow)(schemas_1.clientOptionsSchema, { address, namespace, taskQueue });
    return opts;
}
async function withClient(opts, fn) {
    let client;
    try {
        client = await client_1.HostUpgradeClient.connect(opts);
    }
    catch (err) {
        // gRPC says only "Failed to connect before the deadline": one handshake of our own names a
        // certificate problem (untrusted, hostname mismatch, client certificate required…).
        const e = await (0, tls_diagnosis_1.unreachableError)(opts.address, opts.transport, err, "(start one with 'kernelctl dev', or set TEMPORAL_ADDRESS; a server that wants TLS, a client certificate " +
            'or an API key gets them from the Temporal profile: --profile, --config-file, TEMPORAL_TLS_*, TEMPORAL_API_KEY)');
        throw e;
    }
    try {
        return await fn(client);
    }
    catch (err) {
        // The server went away mid-command: the same exit (7) as one never reached, not a raw gRPC error.
        if (connectionLost(err)) {
            const e = new Error(`lost Temporal at ${opts.address} (${(0, client_1.describeTransport)(opts.transport)}): ${err.message}\n` +
                '(the server stopped or the network failed; nothing was changed by kernelctl: run the command again once it is back)');
            e.exitCode = exports.EXIT.unreachable;
            throw e;
        }
        if ((0, grpc_status_1.permissionDenied)(err)) {
            const e = new Error(`permission denied: the Temporal server at ${opts.address} refused ${callerName(opts)} this call in ` +
                `namespace ${opts.namespace} (${err.message})\n` +
                "(each client certificate has the rights the server's roles file gives its CN: ask the cluster's " +
                "admin, docs/operations.md, 'Who may do what'; nothing was changed)");
            e.exitCode = exports.EXIT.denied;
            throw e;
        }
        throw err;
    }
    finally {
        await client.close().catch(() => undefined);
    }
}
/** Who the server saw: the client certificate's subject CN, or the kind of credential. */
function callerName(opts) {
    const tls = opts.transport?.tls;
    const crt = tls && tls !== true ? tls.clientCertPair?.crt : undefined;
    if (crt) {
        try {
            const cn = /(?:^|\n)CN=([^\n]*)/.exec(new node_crypto_1.X509Certificate(crt).subject)?.[1];
            if (cn)
                return `the client certificate CN=${cn}`;
        }
        catch {
            // Not a certificate node can read: fall through to the generic name.
        }
    }
    return opts.transport?.apiKey !== undefined ? 'this API key' : 'this caller';
}
/** gRPC's UNAVAILABLE (14), anywhere in the error's cause chain: the server cannot be reached. */
function connectionLost(err) {
    let e = err;
    for (let depth = 0; depth < 6 && e && typeof e === 'object'; depth++) {
        const x = e;
        if (x.code === 14)
            return true;
        if (typeof x.message === 'string' && /^14 UNAVAILABLE\b/.test(x.message))
            return true;
        e = x.cause;
    }
    return false;
}
/** `[user@]host[:port]` as the flag gave it; the host itself is checked by the SSH target schema. */
function parseHostSpec(flag, spec) {
    const m = /^(?:([a-z_][a-z0-9_-]{0,31})@)?([^@:\s]+)(?::([0-9]{1,5}))?$/.exec(spec);
    if (!m)
        throw new schemas_1.InvalidInputError(`${flag}: ${JSON.stringify(spec)} is not [USER@]HOST[:PORT]`);
    return { host: m[2], ...(m[1] ? { user: m[1] } : {}), ...(m[3] ? { port: Number(m[3]) } : {}) };
}
//# sourceMappingURL=common.js.map