/** `kernelctl worker`: a worker (workflows + activities) for the task queue. */
import * as path from 'node:path';
import { EXIT, int, type Values } from '../common';
import { REHEARSAL_STATE_DIR_DEFAULT, REHEARSAL_TASK_QUEUE } from '../../shared/rehearsal-types';
import { SAFE_ABSOLUTE_PATH_RE } from '../../shared/shell';
import type { RehearsalConfig } from '../../activities/rehearsal';
import type { WorkerSlots } from '../../worker';
import { InvalidInputError } from '../../shared/schemas';
import type { Command, CommandContext } from './command';

async function workerCommand({ v, clientOpts }: CommandContext): Promise<number> {
  const { runWorker, mallocArenaNotice } = await import('../../worker');
  const rehearsal = await rehearsalConfigFromFlags(v);
  // A rehearsal worker serves the rehearsal queue unless told otherwise.
  const explicitQueue = v['task-queue'] !== undefined || process.env['KERNEL_ROLLOUT_TASK_QUEUE'] !== undefined;
  const opts = rehearsal && !explicitQueue ? { ...clientOpts, taskQueue: REHEARSAL_TASK_QUEUE } : clientOpts;
  const slots = workerSlotsFromFlags(v);
  const metricsAddress = v['metrics-address'] as string | undefined;
  if (metricsAddress !== undefined) {
    const { checkMetricsAddress, installMetricsRuntime } = await import('../../worker/metrics');
    const bad = checkMetricsAddress(metricsAddress);
    if (bad) throw new InvalidInputError(`--metrics-address: ${bad}`);
    installMetricsRuntime(metricsAddress);
  }
  process.stderr.write(
    `worker on ${opts.address}, namespace ${opts.namespace}, task queue ${opts.taskQueue}` +
      `${rehearsal ? `, VM rehearsals from ${rehearsal.imageDir} (state in ${rehearsal.stateDir})` : ''}` +
      `${metricsAddress ? `, Prometheus metrics on http://${metricsAddress}/metrics` : ''}\n`,
  );
  const arenas = mallocArenaNotice(process.env);
  if (arenas) process.stderr.write(arenas);
  await runWorker(opts, {
    ...(rehearsal ? { rehearsal } : {}),
    metrics: metricsAddress !== undefined,
    slots,
  });
  return EXIT.ok;
}

/** `--max-concurrent-activities N`, `--max-concurrent-workflow-tasks N`, `--max-cached-workflows N`: up to 10000 each. */
export function workerSlotsFromFlags(v: Values): WorkerSlots {
  const slots: WorkerSlots = {};
  for (const [flag, key] of [
    ['max-concurrent-activities', 'maxConcurrentActivityTaskExecutions'],
    ['max-concurrent-workflow-tasks', 'maxConcurrentWorkflowTaskExecutions'],
    ['max-cached-workflows', 'maxCachedWorkflows'],
  ] as const) {
    const n = int(`--${flag}`, v[flag] as string | undefined);
    if (n === undefined) continue;
    // The SDK would raise a workflow-task limit or a cache below 2 to 2 (its sticky and normal
    // queues; a cache of 1 cannot hold a run and its child): refused here instead.
    const min = key === 'maxConcurrentActivityTaskExecutions' ? 1 : 2;
    if (n < min || n > 10000) throw new InvalidInputError(`--${flag}: must be from ${min} to 10000`);
    slots[key] = n;
  }
  return slots;
}

/** `--rehearsal-image DIR` and its companions; undefined without it. */
async function rehearsalConfigFromFlags(v: Values): Promise<RehearsalConfig | undefined> {
  const image = v['rehearsal-image'] as string | undefined;
  const companions = ['rehearsal-dir', 'rehearsal-memory', 'rehearsal-cpus', 'rehearsal-boot-timeout'];
  if (image === undefined) {
    const stray = companions.find((f) => v[f] !== undefined);
    if (stray) throw new InvalidInputError(`--${stray}: only with --rehearsal-image DIR`);
    return undefined;
  }
  const dir = path.resolve((v['rehearsal-dir'] as string | undefined) ?? REHEARSAL_STATE_DIR_DEFAULT);
  // <dir>/<rehearsal id, up to 40>/qmp.sock must fit a Unix socket path (107 bytes).
  if (!SAFE_ABSOLUTE_PATH_RE.test(dir) || dir.length > 55) {
    throw new InvalidInputError(
      `--rehearsal-dir: ${JSON.stringify(dir)} must be a plain absolute path of at most 55 characters (it holds a QMP socket)`,
    );
  }
  const bounded = (flag: string, min: number, max: number, dflt: number): number => {
    const n = int(`--${flag}`, v[flag] as string | undefined) ?? dflt;
    if (n < min || n > max) throw new InvalidInputError(`--${flag}: must be from ${min} to ${max}`);
    return n;
  };
  const { loadRehearsalImage } = await import('../../activities/rehearsal');
  try {
    loadRehearsalImage(image);
  } catch (err) {
    throw new InvalidInputError((err as Error).message);
  }
  return {
    imageDir: path.resolve(image),
    stateDir: dir,
    memoryMiB: bounded('rehearsal-memory', 1024, 65536, 1536),
    cpus: bounded('rehearsal-cpus', 1, 64, 1),
    bootTimeoutSeconds: bounded('rehearsal-boot-timeout', 60, 7200, 900),
  };
}

export const worker: Command = {
  options: {
    'metrics-address': { type: 'string' },
    'max-concurrent-activities': { type: 'string' },
    'max-cached-workflows': { type: 'string' },
    'max-concurrent-workflow-tasks': { type: 'string' },
    'rehearsal-image': { type: 'string' },
    'rehearsal-dir': { type: 'string' },
    'rehearsal-memory': { type: 'string' },
    'rehearsal-cpus': { type: 'string' },
    'rehearsal-boot-timeout': { type: 'string' },
  },
  needsHost: () => false,
  run: workerCommand,
};
