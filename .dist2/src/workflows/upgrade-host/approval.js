"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.holdForRollout = holdForRollout;
exports.awaitApproval = awaitApproval;
/**
 * Waits before the trial reboot, with the trial already staged: held for the rollout that started
 * the run (prepareAhead: it staged early and reboots on its batch's turn), or waiting for an
 * operator's approval. Each resolves to false when its time ran out; an abort ends either wait.
 *
 * Like the steps in ./prepare.ts these return the condition's own promise (they are not `async`),
 * so the main sequence continues in the same microtask as before they were split out.
 */
const workflow_1 = require("@temporalio/workflow");
/** Held until the rollout says go or no go (a no go works like an abort). */
function holdForRollout(run) {
    const limit = run.input.timeouts.approvalTimeoutSeconds;
    run.enter('awaiting-approval', `staged ahead; held until ${run.rolloutId ?? 'its rollout'} lets ${run.host} reboot (at most ${limit}s)`);
    run.waitingFor = 'rollout';
    return (0, workflow_1.condition)(() => run.releasedBy !== null || run.abortRequest !== null, `${limit}s`, {
        summary: `held for the rollout (${limit}s)`,
    });
}
function awaitApproval(run) {
    const limit = run.input.timeouts.approvalTimeoutSeconds;
    run.enter('awaiting-approval', `staged; waiting up to ${limit}s for approval to reboot ${run.host}`);
    run.waitingFor = 'approval';
    return (0, workflow_1.condition)(() => run.approvedBy !== null || run.abortRequest !== null, `${limit}s`, {
        summary: `await approval (${limit}s)`,
    });
}
//# sourceMappingURL=approval.js.map