/**
 * Kernel builds through Temporal, for kernelctl and other TypeScript services: start (or join)
 * the buildKernel workflow for a spec, read its progress, its result, cancel it. A build's id is
 * derived from its validated spec, so asking for the same spec again finds the same workflow
 * (while it runs) or starts a run that answers from the build cache.
 */
import { createHash } from 'node:crypto';
import { WorkflowIdConflictPolicy, type Client, type WorkflowHandle } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { buildKernelInputSchema, type BuildKernelInput } from '../shared/build-schemas';
import type { BuildProgress, BuildResult } from '../shared/build-types';
import { parseOrThrow } from '../shared/schemas';
import type { buildKernel } from '../workflows/build-kernel';

export const BUILD_ID_RE = /^[0-9a-f]{16}$/;

export function buildWorkflowId(id: string): string {
  return `kernel-build/${id}`;
}

/**
 * The id of a (validated) spec: the first 16 hex digits of its JSON's sha256. `rebuild` is not
 * part of it: a retry of a failed build has the failed build's id.
 */
export function buildIdOf(input: BuildKernelInput): string {
  const { rebuild: _rebuild, ...spec } = parseOrThrow(buildKernelInputSchema, input);
  return createHash('sha256').update(JSON.stringify(spec)).digest('hex').slice(0, 16);
}

export async function startBuild(
  client: Client,
  taskQueue: string,
  input: BuildKernelInput,
): Promise<{ id: string; handle: WorkflowHandle<typeof buildKernel> }> {
  const spec = parseOrThrow(buildKernelInputSchema, input);
  const id = buildIdOf(spec);
  const handle = await client.workflow.start<typeof buildKernel>('buildKernel', {
    taskQueue,
    workflowId: buildWorkflowId(id),
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    args: [spec],
  });
  return { id, handle };
}

export interface BuildState {
  id: string;
  status: string;
  details?: string;
  progress?: BuildProgress;
}

/** The workflow's status, and the running build's last heartbeat (what the web UI shows too). */
export async function buildState(client: Client, id: string): Promise<BuildState> {
  const d = await client.workflow.getHandle(buildWorkflowId(id)).describe();
  const pending = d.raw.pendingActivities?.find((a) => a.activityType?.name === 'runBuild');
  const payload = pending?.heartbeatDetails?.payloads?.[0];
  const progress = payload ? defaultPayloadConverter.fromPayload<BuildProgress>(payload) : undefined;
  return { id, status: d.status.name, ...(progress ? { progress } : {}) };
}

export async function buildResult(client: Client, id: string): Promise<BuildResult> {
  return client.workflow.getHandle<typeof buildKernel>(buildWorkflowId(id)).result();
}

export function formatProgress(p: BuildProgress): string {
  const t = `${Math.floor(p.elapsedSeconds / 60)}m${String(p.elapsedSeconds % 60).padStart(2, '0')}s`;
  const total = p.total ? ` of about ${p.total}` : '';
  return `${p.phase}: ${p.compiled}${total} objects compiled, ${t}${p.lastLine ? ` — ${p.lastLine.trim()}` : ''}`;
}

export function formatResult(r: BuildResult): string {
  return [
    `${r.release}: ${r.cached ? 'built before (cache hit), nothing compiled' : `built in ${r.buildSeconds} s`} on ${r.buildHost}`,
    `  package ${r.deb.path} (${Math.round(r.deb.bytes / 1048576)} MiB, sha256 ${r.deb.sha256})`,
    `  source ${r.source}; config from ${r.configFrom}; effective config ${r.configPath}; log ${r.logPath}`,
    `  key ${r.key}; make started ${r.launches} time(s)`,
  ].join('\n');
}
