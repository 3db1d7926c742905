/**
 * zod schemas of single fields, shared by ./schemas.ts and the driver modules (installers, power
 * drivers, health checks). Not in ./schemas.ts because that file builds its unions from the driver
 * registries: a driver importing it back would see it half-initialised. The SSH target is here
 * too: the artifact installer names the host it fetches from with it.
 */
import { z } from 'zod';
import { HOST_RE, PACKAGE_NAME_RE, SAFE_ABSOLUTE_PATH_RE, USER_RE } from './shell';

export const safePathSchema = z
  .string()
  .regex(SAFE_ABSOLUTE_PATH_RE, 'must be an absolute path of letters, digits and ._+@/- (no ..)');
export const packageNameSchema = z.string().regex(PACKAGE_NAME_RE, 'must be a Debian package name');
export const sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits');

export const hostSchema = z.string().regex(HOST_RE, 'must be a host name or IP address');
export const fingerprintSchema = z
  .string()
  .regex(/^SHA256:[A-Za-z0-9+/]{43}=?$/, 'must be an OpenSSH fingerprint like SHA256:AbC… (ssh-keygen -lf)');

/**
 * The one SSH target shape. A target is an endpoint (these fields) plus its ProxyJump chain; each
 * bastion of the chain is an endpoint of its own, its host key verified like the target's. The
 * TypeScript types are inferred from these schemas (src/shared/types.ts: `SshTargetInput`,
 * `SshHop`), and the transport's shape is derived from them (src/activities/ssh/connection.ts).
 */
export const sshHopSchema = z
  .object({
    host: hostSchema.describe('Host name; the workflow id is kernel-upgrade/<host>'),
    address: hostSchema.optional().describe('Address to connect to, when it differs from host'),
    port: z.number().int().min(1).max(65535).default(22).describe('SSH port'),
    user: z
      .string()
      .regex(USER_RE, 'must be a Unix user name')
      .default('root')
      .describe('SSH user; non-root users need passwordless sudo'),
    privateKeyPath: safePathSchema.optional().describe('Private key file on the worker (a path, never the key)'),
    agentSocket: safePathSchema.optional().describe('ssh-agent socket on the worker'),
    knownHostsPath: safePathSchema.optional().describe('known_hosts file on the worker (default ~/.ssh/known_hosts)'),
    hostKeySha256: fingerprintSchema.optional().describe('Pinned host key fingerprint instead of known_hosts'),
    trustOnFirstUse: z
      .boolean()
      .default(false)
      .describe('Record an unknown host key on first use (a changed key is always refused)'),
  })
  .strict();

export const sshTargetSchema = sshHopSchema
  .extend({
    jumpHosts: z
      .array(sshHopSchema)
      .max(4)
      .optional()
      .describe('ProxyJump chain (bastions, first hop first), each with the same fields as the target'),
  })
  .strict();
