"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.sshTargetSchema = exports.sshHopSchema = exports.fingerprintSchema = exports.hostSchema = exports.sha256Schema = exports.packageNameSchema = exports.safePathSchema = void 0;
/**
 * zod schemas of single fields, shared by ./schemas.ts and the driver modules (installers, power
 * drivers, health checks). Not in ./schemas.ts because that file builds its unions from the driver
 * registries: a driver importing it back would see it half-initialised. The SSH target is here
 * too: the artifact installer names the host it fetches from with it.
 */
const zod_1 = require("zod");
const shell_1 = require("./shell");
exports.safePathSchema = zod_1.z
    .string()
    .regex(shell_1.SAFE_ABSOLUTE_PATH_RE, 'must be an absolute path of letters, digits and ._+@/- (no ..)');
exports.packageNameSchema = zod_1.z.string().regex(shell_1.PACKAGE_NAME_RE, 'must be a Debian package name');
exports.sha256Schema = zod_1.z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits');
exports.hostSchema = zod_1.z.string().regex(shell_1.HOST_RE, 'must be a host name or IP address');
exports.fingerprintSchema = zod_1.z
    .string()
    .regex(/^SHA256:[A-Za-z0-9+/]{43}=?$/, 'must be an OpenSSH fingerprint like SHA256:AbC… (ssh-keygen -lf)');
/**
 * The one SSH target shape. A target is an endpoint (these fields) plus its ProxyJump chain; each
 * bastion of the chain is an endpoint of its own, its host key verified like the target's. The
 * TypeScript types are inferred from these schemas (src/shared/types.ts: `SshTargetInput`,
 * `SshHop`), and the transport's shape is derived from them (src/activities/ssh/connection.ts).
 */
exports.sshHopSchema = zod_1.z
    .object({
    host: exports.hostSchema.describe('Host name; the workflow id is kernel-upgrade/<host>'),
    address: exports.hostSchema.optional().describe('Address to connect to, when it differs from host'),
    port: zod_1.z.number().int().min(1).max(65535).default(22).describe('SSH port'),
    user: zod_1.z
        .string()
        .regex(shell_1.USER_RE, 'must be a Unix user name')
        .default('root')
        .describe('SSH user; non-root users need passwordless sudo'),
    privateKeyPath: exports.safePathSchema.optional().describe('Private key file on the worker (a path, never the key)'),
    agentSocket: exports.safePathSchema.optional().describe('ssh-agent socket on the worker'),
    knownHostsPath: exports.safePathSchema.optional().describe('known_hosts file on the worker (default ~/.ssh/known_hosts)'),
    hostKeySha256: exports.fingerprintSchema.optional().describe('Pinned host key fingerprint instead of known_hosts'),
    trustOnFirstUse: zod_1.z
        .boolean()
        .default(false)
        .describe('Record an unknown host key on first use (a changed key is always refused)'),
})
    .strict();
exports.sshTargetSchema = exports.sshHopSchema
    .extend({
    jumpHosts: zod_1.z
        .array(exports.sshHopSchema)
        .max(4)
        .optional()
        .describe('ProxyJump chain (bastions, first hop first), each with the same fields as the target'),
})
    .strict();
//# sourceMappingURL=schema-fields.js.map