/**
 * The benches' worker: kernel-rollout's own `createWorker` (real SSH activities, the workflow
 * bundle) in its own process, so the parent can read its CPU time and peak RSS (VmHWM) from /proc.
 *   node dist/bench/worker-process.js <temporal address> <task queue>
 * Says 'ready' over IPC once it polls; drains and exits on 'stop'.
 */
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { createWorker } from '../src/worker';

// The SDK logs every worker state change at INFO; a bench's output is its figures.
Runtime.install({ logger: new DefaultLogger('WARN') });

async function main(): Promise<void> {
  const [address, taskQueue] = process.argv.slice(2);
  if (!address || !taskQueue) throw new Error('usage: worker-process.js <temporal address> <task queue>');
  const { worker, connection } = await createWorker({ address, namespace: 'default', taskQueue });
  process.on('message', (m) => {
    if (m === 'stop') worker.shutdown();
  });
  process.on('disconnect', () => worker.shutdown());
  const running = worker.run();
  process.send?.('ready');
  try {
    await running;
  } finally {
    await connection.close();
  }
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    process.stderr.write(`bench worker: ${err.stack ?? err.message}\n`);
    process.exit(1);
  },
);
