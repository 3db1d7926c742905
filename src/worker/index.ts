/**
 * The worker: one process that runs the workflows (deterministic, sandboxed) and the activities
 * (SSH to hosts, power drivers). Connection, task queue and activities, nothing else — plus, at
 * startup, the custom search attributes the workflows upsert: a namespace that lacks one fails
 * every workflow task that upserts it, so the worker adds the missing ones before it polls.
 * A dev server whose SQLite file predates them then needs no manual `temporal operator
 * search-attribute create`. On the production server adding them is an admin's right the
 * worker's certificate lacks (deploy/temporal/config/roles.yaml): deploy/temporal/create-namespace.sh
 * creates them, and a worker that finds one missing stops, saying so.
 */
import * as os from 'node:os';
import * as v8 from 'node:v8';
import { NativeConnection, Runtime, Worker } from '@temporalio/worker';
// The SDK's own name → proto enum mapping (its tests register search attributes with it); it
// keeps @temporalio/proto, a dev dependency here, out of the worker's imports.
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { createActivities } from '../activities';
import { createBuildActivities } from '../activities/build';
import { keepAlive } from '../activities/keep-alive';
import { createRehearsalActivities, loadRehearsalImage, type RehearsalConfig } from '../activities/rehearsal';
import type { ClientOptions } from '../client';
import { unreachableError } from '../client/tls-diagnosis';
import { permissionDenied } from '../shared/grpc-status';
import { startVisibilityGauges } from './metrics';
import { bundleWorkflowsApart } from './bundle';
import { rehearsalQueueOf } from '../shared/rehearsal-types';
import { KERNEL_ROLLOUT_SEARCH_ATTRIBUTES, searchAttributesForCli } from '../workflows/search-attributes';

/** What ensureSearchAttributes found and did, for logs and tests. */
export interface SearchAttributeRegistration {
  namespace: string;
  present: string[];
  added: string[];
}

/**
 * Lists the namespace's custom search attributes and adds the missing ones. Refuses, naming it,
 * an attribute that exists with another type (the workflows' upserts would fail on it).
 */
export async function ensureSearchAttributes(
  connection: Pick<NativeConnection, 'operatorService'>,
  namespace: string,
  log: (message: string) => void = (m) => Runtime.instance().logger.info(m),
): Promise<SearchAttributeRegistration> {
  let listed;
  try {
    listed = await connection.operatorService.listSearchAttributes({ namespace });
  } catch (err) {
    // Temporal Cloud has no operator service: attributes are created there in its UI or tcld.
    log(
      `search attributes: could not list them in namespace ${namespace} (${(err as Error).message}); ` +
        `make sure ${KERNEL_ROLLOUT_SEARCH_ATTRIBUTES.map((k) => `${k.name} (${k.type})`).join(', ')} exist, ` +
        'or workflow tasks that upsert them fail',
    );
    return { namespace, present: [], added: [] };
  }
  const existing = { ...(listed.customAttributes ?? {}), ...(listed.systemAttributes ?? {}) };
  const present: string[] = [];
  const missing: Record<string, number> = {};
  for (const key of KERNEL_ROLLOUT_SEARCH_ATTRIBUTES) {
    const wanted = encodeSearchAttributeIndexedValueType(key.type) as number;
    const found = existing[key.name];
    if (found === undefined) missing[key.name] = wanted;
    else if (found !== wanted) {
      throw new Error(
        `search attribute ${key.name} exists in namespace ${namespace} with another type (${found}, wanted ${key.type}); ` +
          `kernel-rollout upserts it as ${key.type}: remove it (temporal operator search-attribute remove --name ${key.name}) and restart the worker`,
      );
    } else present.push(key.name);
  }
  const added = Object.keys(missing);
  if (added.length > 0) {
    try {
      await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: missing });
    } catch (err) {
      // A least-privilege worker (a namespace writer) may not add them: an admin creates them once.
      const denied = permissionDenied(err)
        ? "permission denied: this worker's identity may not add search attributes; an admin creates them once " +
          '(deploy/temporal/create-namespace.sh does: deploy/single-machine/namespace.sh, compose), '
        : '';
      throw new Error(
        `search attributes: could not add ${added.join(', ')} to namespace ${namespace} (${(err as Error).message}); ` +
          `${denied}create them (${added
            .map(
              (n) =>
                `temporal operator search-attribute create --namespace ${namespace} --name ${n} --type ${searchAttributesForCli()[n]}`,
            )
            .join('; ')}) and restart the worker`,
      );
    }
    log(`search attributes: added ${added.join(', ')} to namespace ${namespace}`);
  } else {
    log(`search attributes: ${present.join(', ')} already in namespace ${namespace}`);
  }
  return { namespace, present, added };
}

/** What a worker serves beyond the usual: the VM rehearsals (`--rehearsal-image DIR`). */
export interface WorkerExtras {
  rehearsal?: RehearsalConfig;
  /** Keep the visibility gauges (src/worker/metrics.ts) up to date; the runtime exports them. */
  metrics?: boolean;
  /** Task slots and cache (`--max-concurrent-activities`, `--max-concurrent-workflow-tasks`, `--max-cached-workflows`); the SDK's defaults otherwise. */
  slots?: WorkerSlots;
}

/** How much one worker runs at once. Each host in flight holds at most one activity slot. */
export interface WorkerSlots {
  maxConcurrentActivityTaskExecutions?: number;
  maxConcurrentWorkflowTaskExecutions?: number;
  /** Runs kept in memory between their tasks (`--max-cached-workflows`); the SDK sizes it from the heap limit otherwise. */
  maxCachedWorkflows?: number;
}

/**
 * glibc's malloc arenas for a worker: its threads (the SDK's Rust core, the workflow thread,
 * libuv's pool) would otherwise each take an arena of their own, up to 8 a core, and keep what
 * they freed. Two keep the resident set near what is in use (bench/README.md: about 80 MiB
 * less at 100 hosts). glibc reads it at process start only, so the launchers set it: the
 * Dockerfile, deploy/single-machine/run-worker.sh, the benches' worker.
 */
export const MALLOC_ARENA_MAX_FOR_WORKERS = '2';

/** A line for the worker's stderr when its launcher left glibc's arenas unbounded; undefined when set. */
export function mallocArenaNotice(env: NodeJS.ProcessEnv): string | undefined {
  if (env['MALLOC_ARENA_MAX'] !== undefined) return undefined;
  return (
    `worker: MALLOC_ARENA_MAX is not set: glibc may keep up to 8 malloc arenas a core and the resident ` +
    `memory grows with them; start the worker with MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX_FOR_WORKERS} ` +
    `(as the Dockerfile and deploy/single-machine/run-worker.sh do)\n`
  );
}

/**
 * V8's garbage collection tuned for a worker's resident memory: the old generation may grow to
 * 1.2 times what the last full collection kept (V8 lets it grow up to 4 times on a machine with
 * memory to spare: at 1,000 hosts in flight the main heap held ~60 MiB alive in ~160 MiB), and the
 * workflow thread's young generation is at most 2 × 4 MiB (32 MiB by default). Measured at 1,000
 * hosts in batches of 100 with 20 s boots (bench/README.md): peak RSS 484 → 337 MiB, the worker's
 * CPU ~10 % more.
 */
export const WORKER_V8_FLAGS = ['--heap-growing-percent=20', '--max-semi-space-size=4'] as const;

/**
 * Sets WORKER_V8_FLAGS, before the workflow thread starts (its heap is made with them; the main
 * thread's growing factor applies from the next collection on). A flag the process was started
 * with (`node --heap-growing-percent=50 …`) is the operator's choice and stays. Returns the flags set.
 */
export function tuneHeapForWorkers(execArgv: readonly string[] = process.execArgv): string[] {
  const given = (flag: string) => execArgv.some((a) => a.split('=')[0] === flag.split('=')[0]);
  const set = WORKER_V8_FLAGS.filter((flag) => !given(flag));
  for (const flag of set) v8.setFlagsFromString(flag);
  return set;
}

export interface CreatedWorker {
  worker: Worker;
  /**
   * A rehearsal worker's second worker, on its machine's own queue (rehearsalQueueOf): everything
   * about a VM after its start runs where the VM is.
   */
  vmWorker?: Worker;
  connection: NativeConnection;
}

/** The worker's connection; one that fails names its cause as kernelctl's commands do (exit 7). */
async function connectWorker(options: ClientOptions): Promise<NativeConnection> {
  try {
    return await NativeConnection.connect({ address: options.address, ...(options.transport ?? {}) });
  } catch (err) {
    throw await unreachableError(
      options.address,
      options.transport,
      err,
      '(a server that wants TLS, a client certificate or an API key gets them from the Temporal profile: ' +
        '--profile, --config-file, TEMPORAL_TLS_*, TEMPORAL_API_KEY)',
    );
  }
}

export async function createWorker(options: ClientOptions, extras: WorkerExtras = {}): Promise<CreatedWorker> {
  // The image is checked before anything connects: a worker with an unusable image never polls.
  if (extras.rehearsal) loadRehearsalImage(extras.rehearsal.imageDir);
  const connection = await connectWorker(options);
  try {
    await ensureSearchAttributes(connection, options.namespace);
  } catch (err) {
    await connection.close();
    throw err;
  }
  const vmQueue = extras.rehearsal ? rehearsalQueueOf(os.hostname()) : undefined;
  const activities = keepAlive({
    ...createActivities(),
    ...createBuildActivities(),
    ...(extras.rehearsal && vmQueue ? createRehearsalActivities(extras.rehearsal, vmQueue) : {}),
  });
  // One bundle, built apart (bundle.ts), for both task queues.
  const workflowBundle = { code: await bundleWorkflowsApart(require.resolve('../workflows')) };
  tuneHeapForWorkers();
  const create = (taskQueue: string) =>
    Worker.create({
      connection,
      namespace: options.namespace,
      taskQueue,
      workflowBundle,
      activities,
      ...extras.slots,
    });
  const worker = await create(options.taskQueue);
  return { worker, connection, ...(vmQueue ? { vmWorker: await create(vmQueue) } : {}) };
}

/** Runs until SIGINT/SIGTERM (the SDK's default shutdown signals), then drains and exits. */
export async function runWorker(options: ClientOptions, extras: WorkerExtras = {}): Promise<void> {
  const { worker, vmWorker, connection } = await createWorker(options, extras);
  const stopGauges = extras.metrics ? await startVisibilityGauges(options) : undefined;
  try {
    await Promise.all([worker.run(), vmWorker?.run()]);
  } finally {
    await stopGauges?.();
    await connection.close();
  }
}
