"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.startUpgrade = startUpgrade;
exports.waitForPhase = waitForPhase;
/** Starting a host's upgrade on the test dev server and waiting for a phase, for the workflow tests. */
const strict_1 = __importDefault(require("node:assert/strict"));
const workflows_1 = require("../../src/workflows");
const definitions_1 = require("../../src/workflows/definitions");
async function startUpgrade(client, taskQueue, input) {
    return client.workflow.start(workflows_1.upgradeHostKernel, {
        taskQueue,
        workflowId: (0, definitions_1.upgradeWorkflowId)(input.target.host),
        args: [input],
    });
}
/** Polls the status query until the run is in `phase`; fails if it ends first or the time runs out. */
async function waitForPhase(handle, phase, timeoutMs = 60_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const s = await handle.query(definitions_1.statusQuery);
        if (s.phase === phase)
            return;
        if (s.outcome)
            strict_1.default.fail(`workflow ended (${s.outcome}) before reaching ${phase}: ${s.details}`);
        if (Date.now() > deadline)
            strict_1.default.fail(`phase ${phase} not reached; still ${s.phase}: ${s.details}`);
        await new Promise((r) => setTimeout(r, 50));
    }
}
//# sourceMappingURL=upgrade-run.js.map