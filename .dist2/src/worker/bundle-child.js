"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * The child of bundle.ts: builds the workflow bundle for the path in argv[2] with the SDK's
 * bundler (its default interceptors, as `Worker.create({ workflowsPath })` would), sends the code
 * to the parent over IPC and exits, taking webpack's memory with it.
 */
const worker_1 = require("@temporalio/worker");
async function main() {
    const workflowsPath = process.argv[2];
    if (!workflowsPath)
        return { error: 'usage: bundle-child.js <workflows path>' };
    // Webpack's progress is INFO; its warnings and errors still reach the worker's stderr.
    const { code } = await (0, worker_1.bundleWorkflowCode)({ workflowsPath, logger: new worker_1.DefaultLogger('WARN') });
    return { code };
}
main().then((reply) => process.send?.(reply, () => process.exit(0)), (err) => process.send?.({ error: err.message }, () => process.exit(1)));
//# sourceMappingURL=bundle-child.js.map