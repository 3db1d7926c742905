"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * The chaos suite's worker, in its own process so the suite can SIGKILL it at any moment:
 * kernel-rollout's real activities (SSH to the simulated hosts, the `command` power driver) and
 * workflows, wired as src/worker/index.ts wires them (search attributes ensured, every activity
 * heartbeating), except that the workflow code comes from a bundle the suite builds once, so a
 * replacement worker polls after about a second instead of re-bundling for every kill.
 *   node dist/test/chaos/worker.js <temporal address> <task queue> <workflow bundle file>
 * Prints `worker-ready` on stdout once it polls. Exits on SIGTERM after draining.
 */
const worker_1 = require("@temporalio/worker");
const activities_1 = require("../../src/activities");
const keep_alive_1 = require("../../src/activities/keep-alive");
const worker_2 = require("../../src/worker");
// Killed workers and a killed server make the SDK warn a lot; the suite reads its own evidence.
worker_1.Runtime.install({ logger: new worker_1.DefaultLogger('ERROR') });
async function main() {
    const [address, taskQueue, bundlePath] = process.argv.slice(2);
    if (!address || !taskQueue || !bundlePath) {
        throw new Error('usage: worker.js <temporal address> <task queue> <workflow bundle file>');
    }
    const connection = await worker_1.NativeConnection.connect({ address });
    await (0, worker_2.ensureSearchAttributes)(connection, 'default', () => undefined);
    const worker = await worker_1.Worker.create({
        connection,
        namespace: 'default',
        taskQueue,
        workflowBundle: { codePath: bundlePath },
        activities: (0, keep_alive_1.keepAlive)((0, activities_1.createActivities)()),
    });
    const running = worker.run();
    // The suite holds our stdin open; when the suite dies (killed, crashed) we go with it.
    process.stdin.on('end', () => process.exit(1));
    process.stdin.resume();
    process.stdout.write('worker-ready\n');
    try {
        await running;
    }
    finally {
        await connection.close();
    }
}
main().then(() => process.exit(0), (err) => {
    process.stderr.write(`chaos worker: ${err.stack ?? err.message}\n`);
    process.exit(1);
});
//# sourceMappingURL=worker.js.map