/**
 * The typed client for kernel-rollout, for kernelctl and for other services: start an upgrade,
 * read its status, approve, abort, resolve. Every input is parsed with the shared zod schemas
 * before anything reaches Temporal, so a bad value is refused with the field's name.
 */
import { Client, Connection, WorkflowNotFoundError, type WorkflowHandle } from '@temporalio/client';
import { upgradeHostKernel, planHostKernel } from '../workflows';
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
  abortArgsSchema,
  approveArgsSchema,
  hostSchema,
  parseOrThrow,
  resolveArgsSchema,
  upgradeHostInputSchema,
  preflightInputSchema,
} from '../shared/schemas';
import type { HostFacts, UpgradeResult, UpgradeStatus } from '../shared/types';
import { describeInstallSource } from '../activities/install/installer';

export interface ClientOptions {
  address: string;
  namespace: string;
  taskQueue: string;
}

export function clientOptionsFromEnv(overrides: Partial<ClientOptions> = {}): ClientOptions {
  return {
    address: overrides.address ?? process.env['TEMPORAL_ADDRESS'] ?? '127.0.0.1:7233',
    namespace: overrides.namespace ?? process.env['TEMPORAL_NAMESPACE'] ?? 'default',
    taskQueue: overrides.taskQueue ?? process.env['KERNEL_ROLLOUT_TASK_QUEUE'] ?? TASK_QUEUE_DEFAULT,
  };
}

/** One host's upgrade (`upgradeHostKernel`); fleets are src/client/rollout.ts's RolloutControl. */
export class HostUpgradeClient {
  private constructor(
    readonly client: Client,
    private readonly connection: Connection,
    readonly options: ClientOptions,
  ) {}

  static async connect(options: ClientOptions): Promise<HostUpgradeClient> {
    const connection = await Connection.connect({ address: options.address, connectTimeout: 5000 });
    return new HostUpgradeClient(new Client({ connection, namespace: options.namespace }), connection, options);
  }

  async close(): Promise<void> {
    await this.connection.close();
  }

  /** Validates the input (throws InvalidInputError naming each bad field) and starts the run. */
  async startUpgrade(rawInput: unknown) {
    const input = parseOrThrow(upgradeHostInputSchema, rawInput);
    return this.client.workflow.start(upgradeHostKernel, {
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
    return this.client.workflow.execute(planHostKernel, {
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
