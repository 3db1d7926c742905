/**
 * The typed client for kernel-rollout, for kernelctl and for other services: start an upgrade,
 * read its status, approve, abort, resolve. Every input is parsed with the shared zod schemas
 * before anything reaches Temporal, so a bad value is refused with the field's name.
 *
 * This module is the package's entry point `kernel-rollout/client` (package.json `exports`; with
 * the fleet's RolloutControl and the build client re-exported below). It loads the Temporal
 * client, zod and src/shared only: no workflow code, no activity, no ssh2, no worker
 * (test/unit/client-entry.test.ts counts the modules).
 */
import { Client, Connection, WorkflowNotFoundError, type TLSConfig, type WorkflowHandle } from '@temporalio/client';
import { loadClientConnectConfig } from '@temporalio/envconfig';
// Started by name, typed by the workflow functions: the client loads no workflow code.
import type { upgradeHostKernel, planHostKernel } from '../workflows';
import {
  TASK_QUEUE_DEFAULT,
  abortUpdate,
  approveUpdate,
  resolveUpdate,
  statusQuery,
  upgradeWorkflowId,
  type ResolveAction,
} from '../workflows/definitions';
import {
  InvalidInputError,
  abortArgsSchema,
  approveArgsSchema,
  hostSchema,
  parseOrThrow,
  resolveArgsSchema,
  upgradeHostInputSchema,
  preflightInputSchema,
} from '../shared/schemas';
import type { HostFacts, UpgradeResult, UpgradeStatus } from '../shared/types';
import { describeInstallSource } from '../shared/options/install-source';

export interface ClientOptions {
  address: string;
  namespace: string;
  taskQueue: string;
  /**
   * TLS (server CA, server name, client certificate and key), API key and gRPC metadata, as the
   * Temporal profile gives them. Held in memory only: never printed, logged or sent to a workflow.
   */
  transport?: Transport;
}

export interface Transport {
  tls?: TLSConfig | boolean;
  apiKey?: string;
  metadata?: Record<string, string>;
}

/** What kernelctl's flags say about the connection; the rest comes from the Temporal profile. */
export interface ConnectionFlags {
  /** A profile of the Temporal config file (else TEMPORAL_PROFILE, else `default`). */
  profile?: string;
  /** The Temporal config file (else TEMPORAL_CONFIG_FILE, else ~/.config/temporalio/temporal.toml). */
  configFile?: string;
  address?: string;
  namespace?: string;
  taskQueue?: string;
}

/**
 * The connection the way the `temporal` CLI finds it (@temporalio/envconfig): the profile from
 * the TOML config file, then the TEMPORAL_* variables over it (TEMPORAL_ADDRESS,
 * TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS_*, …), then kernelctl's own flags over both.
 * A profile that works for `temporal` works here. Throws InvalidInputError naming the flag (or
 * variable) when the file or a file it names cannot be read.
 */
export function clientOptionsFromEnv(flags: ConnectionFlags = {}, env: NodeJS.ProcessEnv = process.env): ClientOptions {
  let loaded;
  try {
    loaded = loadClientConnectConfig({
      ...(flags.profile !== undefined ? { profile: flags.profile } : {}),
      ...(flags.configFile !== undefined ? { configSource: { path: flags.configFile } } : {}),
      overrideEnvVars: Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined)),
    });
  } catch (err) {
    const where =
      flags.configFile !== undefined
        ? '--config-file'
        : flags.profile !== undefined
          ? '--profile'
          : 'the Temporal profile (TEMPORAL_CONFIG_FILE, TEMPORAL_PROFILE, TEMPORAL_TLS_*)';
    throw new InvalidInputError(`${where}: ${(err as Error).message}`);
  }
  const c = loaded.connectionOptions;
  const transport: Transport = {
    ...(c.tls !== undefined && c.tls !== null ? { tls: c.tls } : {}),
    ...(c.apiKey !== undefined && typeof c.apiKey === 'string' ? { apiKey: c.apiKey } : {}),
    ...(c.metadata !== undefined ? { metadata: c.metadata as Record<string, string> } : {}),
  };
  return {
    address: flags.address ?? c.address ?? '127.0.0.1:7233',
    namespace: flags.namespace ?? loaded.namespace ?? 'default',
    taskQueue: flags.taskQueue ?? env['KERNEL_ROLLOUT_TASK_QUEUE'] ?? TASK_QUEUE_DEFAULT,
    transport,
  };
}

/** For messages: how the connection is secured, without a byte of its secrets. */
export function describeTransport(t: Transport | undefined): string {
  const parts: string[] = [];
  if (t?.tls === false || t?.tls === undefined) parts.push('plaintext');
  else if (t.tls === true) parts.push('TLS');
  else parts.push(t.tls.clientCertPair ? 'mutual TLS' : 'TLS');
  if (t?.apiKey !== undefined) parts.push('API key');
  return parts.join(' + ');
}

/** One host's upgrade (`upgradeHostKernel`); fleets are src/client/rollout.ts's RolloutControl. */
export class HostUpgradeClient {
  private constructor(
    readonly client: Client,
    private readonly connection: Connection,
    readonly options: ClientOptions,
  ) {}

  static async connect(options: ClientOptions): Promise<HostUpgradeClient> {
    const connection = await Connection.connect({
      address: options.address,
      connectTimeout: 5000,
      ...(options.transport ?? {}),
    });
    return new HostUpgradeClient(new Client({ connection, namespace: options.namespace }), connection, options);
  }

  async close(): Promise<void> {
    await this.connection.close();
  }

  /** Validates the input (throws InvalidInputError naming each bad field) and starts the run. */
  async startUpgrade(rawInput: unknown) {
    const input = parseOrThrow(upgradeHostInputSchema, rawInput);
    return this.client.workflow.start<typeof upgradeHostKernel>('upgradeHostKernel', {
      taskQueue: this.options.taskQueue,
      workflowId: upgradeWorkflowId(input.target.host),
      args: [input],
      staticSummary: `Kernel upgrade of ${input.target.host} to ${input.toRelease}`,
      staticDetails: [
        `source: ${describeInstallSource(input.source)}`,
        `trial: ${input.useKexec ? 'kexec' : 'GRUB one-shot'}, panic=${input.panicSeconds}, revert timer ${input.revertAfterSeconds}s`,
        `approval before reboot: ${input.approveBeforeReboot ? 'yes' : 'no'}; power driver: ${input.power.driver}`,
      ]
        .map((line) => `- ${line}`)
        .join('\n'), // a Markdown list: the web UI renders details as Markdown
    });
  }

  /** Preflight only, run by a worker (it has the SSH credentials): what would happen. */
  async plan(rawInput: unknown): Promise<HostFacts> {
    const input = parseOrThrow(preflightInputSchema, rawInput);
    return this.client.workflow.execute<typeof planHostKernel>('planHostKernel', {
      taskQueue: this.options.taskQueue,
      workflowId: `kernel-plan/${input.target.host}/${Date.now()}`,
      args: [input],
      staticSummary: `Preflight of ${input.target.host} for ${input.toRelease}`,
    });
  }

  handle(host: string): WorkflowHandle<typeof upgradeHostKernel> {
    return this.client.workflow.getHandle<typeof upgradeHostKernel>(
      upgradeWorkflowId(parseOrThrow(hostSchema, host, 'host')),
    );
  }

  async status(host: string): Promise<UpgradeStatus> {
    return this.handle(host).query(statusQuery);
  }

  async result(host: string): Promise<UpgradeResult> {
    return this.handle(host).result();
  }

  async approve(host: string, args: { by: string; comment?: string }): Promise<string> {
    return this.handle(host).executeUpdate(approveUpdate, { args: [parseOrThrow(approveArgsSchema, args)] });
  }

  async abort(host: string, args: { by: string; reason: string }): Promise<string> {
    return this.handle(host).executeUpdate(abortUpdate, { args: [parseOrThrow(abortArgsSchema, args)] });
  }

  async resolve(host: string, args: { by: string; action: ResolveAction; comment?: string }): Promise<string> {
    return this.handle(host).executeUpdate(resolveUpdate, { args: [parseOrThrow(resolveArgsSchema, args)] });
  }
}

export { WorkflowNotFoundError };
export { InvalidInputError } from '../shared/schemas';
export {
  RolloutControl,
  startRollout,
  parseRolloutRequest,
  type ProgressOptions,
  type RolloutHost,
  type RolloutInput,
  type RolloutProgress,
  type RolloutResult,
  type RolloutTemplate,
} from './rollout';
export { buildIdOf, buildResult, buildState, buildWorkflowId, startBuild, type BuildState } from './build';
