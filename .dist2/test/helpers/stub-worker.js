"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * A worker in its own process, with stub activities acting on a model host persisted in a JSON
 * file: tests kill it with SIGKILL and start another to show the run survives.
 *   node dist/test/helpers/stub-worker.js <temporal-address> <task-queue> <state-file>
 */
const worker_1 = require("@temporalio/worker");
const keep_alive_1 = require("../../src/activities/keep-alive");
const fake_host_1 = require("./fake-host");
// Importing ./temporal also quiets the SDK's runtime logger.
const temporal_1 = require("./temporal");
async function main() {
    const [address, taskQueue, stateFile] = process.argv.slice(2);
    if (!address || !taskQueue || !stateFile)
        throw new Error('usage: stub-worker <address> <task-queue> <state-file>');
    const connection = await worker_1.NativeConnection.connect({ address });
    const worker = await worker_1.Worker.create({
        connection,
        taskQueue,
        workflowsPath: (0, temporal_1.workflowsPath)(),
        activities: (0, keep_alive_1.keepAlive)((0, fake_host_1.createStubActivities)(fake_host_1.FakeHost.fromFile(stateFile))),
    });
    process.stdout.write('worker-ready\n');
    await worker.run();
}
main().catch((err) => {
    process.stderr.write(`${err.stack ?? String(err)}\n`);
    process.exit(1);
});
//# sourceMappingURL=stub-worker.js.map