/**
 * What every kernelctl command shares: exit codes, the global flags, parsing, output, and the
 * connection to Temporal.
 */
import { X509Certificate } from 'node:crypto';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { HostUpgradeClient, clientOptionsFromEnv, describeTransport, type ClientOptions } from '../client';
import { unreachableError } from '../client/tls-diagnosis';
import { permissionDenied } from '../shared/grpc-status';
import { InvalidInputError, clientOptionsSchema, parseOrThrow } from '../shared/schemas';

export const EXIT = {
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
} as const;

export class UsageError extends Error {}

export const GLOBAL_OPTIONS = {
  profile: { type: 'string' },
  'config-file': { type: 'string' },
  address: { type: 'string' },
  namespace: { type: 'string' },
  'task-queue': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

export function int(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new InvalidInputError(`${name}: ${JSON.stringify(v)} is not a whole number`);
  return Number(v);
}

export type Values = Record<string, string | boolean | string[] | undefined>;

export function parse(argv: string[], options: ParseArgsConfig['options']) {
  try {
    return parseArgs({ args: argv, options: { ...GLOBAL_OPTIONS, ...options }, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

export function out(json: boolean, value: unknown, human: string): void {
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${human}\n`);
}

export function whoami(): string {
  return process.env['KERNELCTL_ACTOR'] || process.env['USER'] || 'kernelctl';
}

/** The Temporal connection from the profile, the TEMPORAL_* variables and the flags (checked). */
export function clientOptionsFromFlags(v: Values): ClientOptions {
  const opts = clientOptionsFromEnv({
    profile: v['profile'] as string | undefined,
    configFile: v['config-file'] as string | undefined,
    address: v['address'] as string | undefined,
    namespace: v['namespace'] as string | undefined,
    taskQueue: v['task-queue'] as string | undefined,
  });
  const { address, namespace, taskQueue } = opts;
  parseOrThrow(clientOptionsSchema, { address, namespace, taskQueue });
  return opts;
}

export async function withClient<T>(opts: ClientOptions, fn: (c: HostUpgradeClient) => Promise<T>): Promise<T> {
  let client: HostUpgradeClient;
  try {
    client = await HostUpgradeClient.connect(opts);
  } catch (err) {
    // gRPC says only "Failed to connect before the deadline": one handshake of our own names a
    // certificate problem (untrusted, hostname mismatch, client certificate required…).
    const e = await unreachableError(
      opts.address,
      opts.transport,
      err,
      "(start one with 'kernelctl dev', or set TEMPORAL_ADDRESS; a server that wants TLS, a client certificate " +
        'or an API key gets them from the Temporal profile: --profile, --config-file, TEMPORAL_TLS_*, TEMPORAL_API_KEY)',
    );
    throw e;
  }
  try {
    return await fn(client);
  } catch (err) {
    // The server went away mid-command: the same exit (7) as one never reached, not a raw gRPC error.
    if (connectionLost(err)) {
      const e = new Error(
        `lost Temporal at ${opts.address} (${describeTransport(opts.transport)}): ${(err as Error).message}\n` +
          '(the server stopped or the network failed; nothing was changed by kernelctl: run the command again once it is back)',
      );
      (e as Error & { exitCode: number }).exitCode = EXIT.unreachable;
      throw e;
    }
    if (permissionDenied(err)) {
      const e = new Error(
        `permission denied: the Temporal server at ${opts.address} refused ${callerName(opts)} this call in ` +
          `namespace ${opts.namespace} (${(err as Error).message})\n` +
          "(each client certificate has the rights the server's roles file gives its CN: ask the cluster's " +
          "admin, docs/operations.md, 'Who may do what'; nothing was changed)",
      );
      (e as Error & { exitCode: number }).exitCode = EXIT.denied;
      throw e;
    }
    throw err;
  } finally {
    await client.close().catch(() => undefined);
  }
}

/** Who the server saw: the client certificate's subject CN, or the kind of credential. */
function callerName(opts: ClientOptions): string {
  const tls = opts.transport?.tls;
  const crt = tls && tls !== true ? tls.clientCertPair?.crt : undefined;
  if (crt) {
    try {
      const cn = /(?:^|\n)CN=([^\n]*)/.exec(new X509Certificate(crt).subject)?.[1];
      if (cn) return `the client certificate CN=${cn}`;
    } catch {
      // Not a certificate node can read: fall through to the generic name.
    }
  }
  return opts.transport?.apiKey !== undefined ? 'this API key' : 'this caller';
}

/** gRPC's UNAVAILABLE (14), anywhere in the error's cause chain: the server cannot be reached. */
export function connectionLost(err: unknown): boolean {
  let e: unknown = err;
  for (let depth = 0; depth < 6 && e && typeof e === 'object'; depth++) {
    const x = e as { code?: unknown; message?: unknown; cause?: unknown };
    if (x.code === 14) return true;
    if (typeof x.message === 'string' && /^14 UNAVAILABLE\b/.test(x.message)) return true;
    e = x.cause;
  }
  return false;
}

/** `[user@]host[:port]` as the flag gave it; the host itself is checked by the SSH target schema. */
export function parseHostSpec(flag: string, spec: string): { host: string; user?: string; port?: number } {
  const m = /^(?:([a-z_][a-z0-9_-]{0,31})@)?([^@:\s]+)(?::([0-9]{1,5}))?$/.exec(spec);
  if (!m) throw new InvalidInputError(`${flag}: ${JSON.stringify(spec)} is not [USER@]HOST[:PORT]`);
  return { host: m[2] as string, ...(m[1] ? { user: m[1] } : {}), ...(m[3] ? { port: Number(m[3]) } : {}) };
}
