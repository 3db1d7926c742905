/**
 * The benches' worker: kernel-rollout's own `createWorker` (real SSH activities, the workflow
 * bundle) in its own process, so the parent can read its CPU time and peak RSS (VmHWM) from /proc.
 *   node dist/bench/worker-process.js <temporal address> <task queue> [slots JSON]
 * Says 'ready' over IPC once it polls; answers 'memory' with the peaks of process.memoryUsage()
 * (heap, external, array buffers, RSS; sampled every second); drains and exits on 'stop'.
 */
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { createWorker, type WorkerSlots } from '../src/worker';

// The SDK logs every worker state change at INFO; a bench's output is its figures.
Runtime.install({ logger: new DefaultLogger('WARN') });

async function main(): Promise<void> {
  const [address, taskQueue, slotsJson] = process.argv.slice(2);
  if (!address || !taskQueue) throw new Error('usage: worker-process.js <temporal address> <task queue> [slots JSON]');
  const slots = slotsJson ? (JSON.parse(slotsJson) as WorkerSlots) : undefined;
  const { worker, connection } = await createWorker({ address, namespace: 'default', taskQueue }, { slots });
  const peaks = samplePeakMemory();
  process.on('message', (m) => {
    if (m === 'stop') worker.shutdown();
    if (m === 'memory') process.send?.({ memory: peaks });
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

/** The highest of each of process.memoryUsage()'s figures, sampled every second (where the RSS goes). */
function samplePeakMemory(): Record<string, number> {
  const peaks: Record<string, number> = {};
  const sample = () => {
    for (const [k, v] of Object.entries(process.memoryUsage())) peaks[k] = Math.max(peaks[k] ?? 0, v);
  };
  sample();
  setInterval(sample, 1000).unref();
  return peaks;
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    process.stderr.write(`bench worker: ${err.stack ?? err.message}\n`);
    process.exit(1);
  },
);
