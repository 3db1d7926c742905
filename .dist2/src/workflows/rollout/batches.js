"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.waitAtNextGate = waitAtNextGate;
exports.startNextBatch = startNextBatch;
/**
 * The batches: what holds the next batch back (the approval after the canary, the pause between
 * batches, an operator's pause, the maintenance window), and running one batch, its hosts
 * concurrently but at most maxUnavailable at once.
 *
 * startNextBatch and waitAtNextGate are not `async`: they return the promise the batch loop awaits
 * (a timer, a condition, the batch), so the loop goes on in the same microtask as when this code
 * was inline — hosts run concurrently, and the order of their commands depends on it.
 */
const workflow_1 = require("@temporalio/workflow");
const rollout_plan_1 = require("../../shared/rollout-plan");
const hosts_1 = require("./hosts");
const prepare_ahead_1 = require("./prepare-ahead");
/**
 * The wait for the first gate that is closed, or null when every gate is open. After any wait the
 * loop looks at everything again (an abort, a pause or a new host may have come meanwhile).
 */
function waitAtNextGate(r) {
    const { input } = r;
    const gateOpen = !input.approveAfterCanary || input.strategy.canary === 0 || r.batchesStarted !== 1;
    if (!gateOpen && r.approvedBy === null) {
        r.enter('waiting-for-approval', 'approval');
        return (0, workflow_1.condition)(() => r.approvedBy !== null || r.isAborted());
    }
    if (r.pauseOwed) {
        r.pauseOwed = false;
        if (input.pauseBetweenBatchesSeconds > 0) {
            r.enter('between-batches', 'pause-between-batches');
            return (0, workflow_1.condition)(() => r.isAborted(), `${input.pauseBetweenBatchesSeconds}s`, {
                summary: `pause ${input.pauseBetweenBatchesSeconds}s between batches`,
            });
        }
    }
    if (r.isPaused()) {
        r.enter('paused', 'resume');
        return (0, workflow_1.condition)(() => !r.isPaused() || r.isAborted());
    }
    if (input.window) {
        const waitMs = (0, rollout_plan_1.nextWindowStart)(input.window, new Date());
        if (waitMs > 0) {
            r.windowOpensAt = Date.now() + waitMs;
            r.enter('waiting-for-window', 'window');
            return (0, workflow_1.condition)(() => r.isAborted() || r.isPaused(), waitMs, {
                summary: `wait ${(0, rollout_plan_1.describeWait)(waitMs)} for the window ${input.window}`,
            });
        }
    }
    return null;
}
/** Starts the next batch: the batch prepared ahead gets its go, or the next pending hosts start. */
function startNextBatch(r, pending) {
    const current = r.preparedAhead();
    r.ahead = null;
    const hosts = current
        ? current.hosts
        : pending.slice(0, (0, rollout_plan_1.batchSizeAt)(r.input.strategy, r.batchesStarted, r.order.length));
    r.batchesStarted += 1;
    r.enter('running', 'hosts');
    const running = current
        ? (0, prepare_ahead_1.endHold)(r, current, true, `batch ${current.batch} of rollout ${r.input.rolloutId} goes`)
        : runBatch(r, hosts, r.batchesStarted);
    return { hosts, running };
}
/** Starts the batch's hosts, at most maxUnavailable at once, and waits for all of them. */
async function runBatch(r, hosts, batch) {
    let next = 0;
    const lane = async () => {
        while (next < hosts.length && !r.isAborted() && !r.isHalted()) {
            if (r.isPaused()) {
                await (0, workflow_1.condition)(() => !r.isPaused() || r.isAborted());
                continue;
            }
            const host = hosts[next++];
            await (0, hosts_1.runHost)(r, host, batch);
        }
    };
    const lanes = Math.min(hosts.length, r.input.strategy.maxUnavailable ?? hosts.length);
    await Promise.all(Array.from({ length: lanes }, lane));
}
//# sourceMappingURL=batches.js.map