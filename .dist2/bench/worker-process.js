"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * The benches' worker: kernel-rollout's own `createWorker` (real SSH activities, the workflow
 * bundle) in its own process, so the parent can read its CPU time and peak RSS (VmHWM) from /proc.
 *   node dist/bench/worker-process.js <temporal address> <task queue> [slots JSON]
 * Says 'ready' over IPC once it polls; answers 'memory' with the peaks of process.memoryUsage()
 * (heap, external, array buffers, RSS; sampled every second); drains and exits on 'stop'.
 */
const worker_1 = require("@temporalio/worker");
const worker_2 = require("../src/worker");
// The SDK logs every worker state change at INFO; a bench's output is its figures.
worker_1.Runtime.install({ logger: new worker_1.DefaultLogger('WARN') });
async function main() {
    const [address, taskQueue, slotsJson] = process.argv.slice(2);
    if (!address || !taskQueue)
        throw new Error('usage: worker-process.js <temporal address> <task queue> [slots JSON]');
    const slots = slotsJson ? JSON.parse(slotsJson) : undefined;
    const { worker, connection } = await (0, worker_2.createWorker)({ address, namespace: 'default', taskQueue }, { slots });
    const peaks = samplePeakMemory();
    process.on('message', (m) => {
        if (m === 'stop')
            worker.shutdown();
        if (m === 'memory')
            process.send?.({ memory: peaks });
    });
    process.on('disconnect', () => worker.shutdown());
    const running = worker.run();
    process.send?.('ready');
    try {
        await running;
    }
    finally {
        await connection.close();
    }
}
/** The highest of each of process.memoryUsage()'s figures, sampled every second (where the RSS goes). */
function samplePeakMemory() {
    const peaks = {};
    const sample = () => {
        for (const [k, v] of Object.entries(process.memoryUsage()))
            peaks[k] = Math.max(peaks[k] ?? 0, v);
    };
    sample();
    setInterval(sample, 1000).unref();
    return peaks;
}
main().then(() => process.exit(0), (err) => {
    process.stderr.write(`bench worker: ${err.stack ?? err.message}\n`);
    process.exit(1);
});
//# sourceMappingURL=worker-process.js.map