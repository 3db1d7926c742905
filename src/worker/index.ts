/**
 * The worker: one process that runs the workflows (deterministic, sandboxed) and the activities
 * (SSH to hosts, power drivers). Connection, task queue and activities, nothing else.
 */
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../activities';
import { keepAlive } from '../activities/keep-alive';
import type { ClientOptions } from '../client';

export async function createWorker(options: ClientOptions): Promise<{ worker: Worker; connection: NativeConnection }> {
  const connection = await NativeConnection.connect({ address: options.address });
  const worker = await Worker.create({
    connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    workflowsPath: require.resolve('../workflows'),
    activities: keepAlive(createActivities()),
  });
  return { worker, connection };
}

/** Runs until SIGINT/SIGTERM (the SDK's default shutdown signals), then drains and exits. */
export async function runWorker(options: ClientOptions): Promise<void> {
  const { worker, connection } = await createWorker(options);
  try {
    await worker.run();
  } finally {
    await connection.close();
  }
}
