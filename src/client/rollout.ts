/**
 * The fleet rollout's typed client, for kernelctl and for other services that steer rollouts
 * (a change-management bot, a deploy pipeline, a pager integration). It needs only a Temporal
 * `Client`; every argument is parsed with the shared zod schemas before it is sent, and the
 * workflow's own validators refuse what does not apply (approve when nothing waits, skip a host
 * already started), so callers get an error instead of a silently ignored signal.
 *
 *   import { Client } from '@temporalio/client';
 *   import { RolloutControl } from 'kernel-rollout/client';
 *   const rollout = RolloutControl.get(client, 'fleet-2026-11');
 *   await rollout.pause({ by: 'change-bot', reason: 'freeze' });
 *   const p = await rollout.progress({ hosts: 'unfinished' });
 */
import type { Client, WorkflowHandle, WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import type { RolloutStrategy } from '../shared/rollout-plan';
import { describeInstallSource } from '../shared/options/install-source';
// Started by name, typed by the workflow function: the client loads no workflow code.
import type { rolloutKernel } from '../workflows/rollout';
import {
  abortRolloutUpdate,
  addHostsUpdate,
  approveRolloutUpdate,
  hostInputFor,
  pauseRolloutUpdate,
  resumeRolloutUpdate,
  rolloutProgressQuery,
  rolloutWorkflowId,
  skipHostUpdate,
  type ProgressOptions,
  type RolloutHost,
  type RolloutInput,
  type RolloutProgress,
  type RolloutResult,
  type RolloutTemplate,
} from '../workflows/rollout-definitions';
import {
  abortArgsSchema,
  addHostsArgsSchema,
  approveArgsSchema,
  parseOrThrow,
  pauseArgsSchema,
  resumeArgsSchema,
  rolloutIdSchema,
  rolloutRequestSchema,
  skipHostArgsSchema,
  upgradeHostInputSchema,
  InvalidInputError,
} from '../shared/schemas';

export type {
  ProgressOptions,
  RolloutHost,
  RolloutInput,
  RolloutProgress,
  RolloutResult,
  RolloutTemplate,
} from '../workflows/rollout-definitions';

/**
 * Parses a rollout request: the whole request with zod, then every host's complete input (the
 * template plus its entry) with the per-host schema, so a bad host is named before anything
 * starts. Returns the input the workflow gets, with each host's overrides trimmed to what
 * differs from the template (a 10,000-host rollout stays far below Temporal's payload limit).
 */
export function parseRolloutRequest(raw: unknown): RolloutInput {
  const req = parseOrThrow(rolloutRequestSchema, raw);
  const template: RolloutTemplate = req.template;
  const problems: string[] = [];
  for (const [i, h] of req.hosts.entries()) {
    const res = upgradeHostInputSchema.safeParse(hostInputFor(template, h as RolloutHost));
    if (!res.success) {
      for (const issue of res.error.issues) {
        problems.push(`hosts[${i}] (${h.host}).${issue.path.join('.')}: ${issue.message}`);
      }
      if (problems.length >= 20) break;
    }
  }
  if (problems.length > 0) throw new InvalidInputError(problems.join('\n'));
  const hosts = req.hosts.map((h) => compactHost(template, h as RolloutHost));
  const input: RolloutInput = {
    rolloutId: req.rolloutId,
    template,
    hosts,
    strategy: req.strategy as RolloutStrategy, // checkStrategy ran in the schema
    failureBudget: req.failureBudget,
    approveAfterCanary: req.approveAfterCanary,
    pauseBetweenBatchesSeconds: req.pauseBetweenBatchesSeconds,
  };
  if (req.window !== undefined) input.window = req.window;
  if (req.maxHistoryEvents !== undefined) input.maxHistoryEvents = req.maxHistoryEvents;
  if (req.prepareAhead) input.prepareAhead = true;
  return input;
}

/** Drops overrides equal to the template's value. */
export function compactHost(template: RolloutTemplate, h: RolloutHost): RolloutHost {
  const out: RolloutHost = { host: h.host };
  if (h.address !== undefined && h.address !== h.host) out.address = h.address;
  if (h.ssh) {
    const ssh: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(h.ssh)) {
      const base = (template.ssh as unknown as Record<string, unknown>)[k];
      if (v !== undefined && JSON.stringify(v) !== JSON.stringify(base)) ssh[k] = v;
    }
    if (Object.keys(ssh).length > 0) out.ssh = ssh as RolloutHost['ssh'];
  }
  if (h.power && JSON.stringify(h.power) !== JSON.stringify(template.power)) out.power = h.power;
  return out;
}

/** Starts a rollout after checking every host; the workflow id is kernel-rollout/<rolloutId>. */
export async function startRollout(
  client: Client,
  taskQueue: string,
  raw: unknown,
): Promise<{ input: RolloutInput; handle: WorkflowHandleWithFirstExecutionRunId<typeof rolloutKernel> }> {
  const input = parseRolloutRequest(raw);
  const t = input.template;
  const handle = await client.workflow.start<typeof rolloutKernel>('rolloutKernel', {
    taskQueue,
    workflowId: rolloutWorkflowId(input.rolloutId),
    args: [input],
    staticSummary: `Kernel rollout ${input.rolloutId}: ${input.hosts.length} hosts to ${t.toRelease}`,
    staticDetails: [
      `source: ${describeInstallSource(t.source)}; trial: ${t.useKexec ? 'kexec' : 'GRUB one-shot'}, panic=${t.panicSeconds}`,
      `canary ${input.strategy.canary}, then batches of ${input.strategy.batches.join(', ')}` +
        (input.strategy.maxUnavailable ? `, at most ${input.strategy.maxUnavailable} at once` : ''),
      `failure budget ${input.failureBudget}; approval after canary: ${input.approveAfterCanary ? 'yes' : 'no'}` +
        `; next batch prepared ahead: ${input.prepareAhead ? 'yes' : 'no'}`,
      input.window ? `window: ${input.window}` : 'window: any time',
    ]
      .map((line) => `- ${line}`)
      .join('\n'), // a Markdown list: the web UI renders details as Markdown
  });
  return { input, handle };
}

/** A running (or finished) rollout, steered with validated updates. */
export class RolloutControl {
  private constructor(readonly handle: WorkflowHandle<typeof rolloutKernel>) {}

  static get(client: Client, rolloutId: string): RolloutControl {
    const id = parseOrThrow(rolloutIdSchema, rolloutId, 'rolloutId');
    return new RolloutControl(client.workflow.getHandle<typeof rolloutKernel>(rolloutWorkflowId(id)));
  }

  progress(options: ProgressOptions = {}): Promise<RolloutProgress> {
    return this.handle.query(rolloutProgressQuery, options);
  }

  result(): Promise<RolloutResult> {
    return this.handle.result();
  }

  pause(args: { by: string; reason?: string }): Promise<string> {
    return this.handle.executeUpdate(pauseRolloutUpdate, { args: [parseOrThrow(pauseArgsSchema, args)] });
  }

  resume(args: { by: string }): Promise<string> {
    return this.handle.executeUpdate(resumeRolloutUpdate, { args: [parseOrThrow(resumeArgsSchema, args)] });
  }

  /** No new host starts; in-flight hosts finish or roll back by their own rules. */
  abort(args: { by: string; reason: string }): Promise<string> {
    return this.handle.executeUpdate(abortRolloutUpdate, { args: [parseOrThrow(abortArgsSchema, args)] });
  }

  approve(args: { by: string; comment?: string }): Promise<string> {
    return this.handle.executeUpdate(approveRolloutUpdate, { args: [parseOrThrow(approveArgsSchema, args)] });
  }

  /** Added hosts get the rollout's template; a host already in the rollout is refused. */
  addHosts(args: { by: string; hosts: RolloutHost[] }): Promise<string> {
    const parsed = parseOrThrow(addHostsArgsSchema, args) as { by: string; hosts: RolloutHost[] };
    return this.handle.executeUpdate(addHostsUpdate, { args: [parsed] });
  }

  skipHost(args: { by: string; host: string; reason?: string }): Promise<string> {
    return this.handle.executeUpdate(skipHostUpdate, { args: [parseOrThrow(skipHostArgsSchema, args)] });
  }
}
