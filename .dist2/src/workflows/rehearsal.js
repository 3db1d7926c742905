"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.REHEARSAL_TIMEOUT = void 0;
exports.rehearsalWorkflowId = rehearsalWorkflowId;
exports.rehearsedUpgrade = rehearsedUpgrade;
exports.rehearse = rehearse;
exports.describeRehearsal = describeRehearsal;
/**
 * Starting a VM rehearsal from a run that is about to touch real hosts: the single-host upgrade
 * (before its preflight) and the rollout (before its first batch). The rehearsal is a child on
 * the rehearsal task queue; it is abandoned rather than cancelled if its parent ends, so that it
 * still stops its VM. A rehearsal that no worker picks up, or that waits for an operator, ends
 * after REHEARSAL_TIMEOUT and counts as failed.
 */
const workflow_1 = require("@temporalio/workflow");
const rehearsal_types_1 = require("../shared/rehearsal-types");
const failure_1 = require("./failure");
exports.REHEARSAL_TIMEOUT = '6 hours';
function rehearsalWorkflowId(rehearsalId) {
    return `kernel-rehearsal/${rehearsalId}`;
}
/** An upgrade without what belongs to a real host (its target, its power, holds, the rehearsal itself). */
function rehearsedUpgrade(u) {
    const { target: _t, ssh: _s, power: _p, holdForRollout: _h, rehearseInVm: _r, ...rest } = u;
    return rest;
}
/** Runs the rehearsal; a rehearsal that could not run at all is reported as failed, with why. */
async function rehearse(rehearsalId, upgrade) {
    try {
        return await (0, workflow_1.executeChild)('rehearseKernel', {
            workflowId: rehearsalWorkflowId(rehearsalId),
            taskQueue: rehearsal_types_1.REHEARSAL_TASK_QUEUE,
            workflowExecutionTimeout: exports.REHEARSAL_TIMEOUT,
            parentClosePolicy: workflow_1.ParentClosePolicy.ABANDON,
            args: [{ rehearsalId, upgrade }],
        });
    }
    catch (err) {
        return {
            rehearsalId,
            outcome: 'vm-failed',
            reason: `the rehearsal did not finish: ${(0, failure_1.describeFailure)(err)}`,
            bootedKernel: null,
            vmBootSeconds: 0,
            record: { worker: { dir: '', serialLogBytes: 0 } },
            timeline: [],
        };
    }
}
/** One line for timelines and reasons: how the rehearsal ended and where its serial log is. */
function describeRehearsal(r) {
    const kept = r.record.artifactHost
        ? `serial log kept on ${r.record.artifactHost.host} in ${r.record.artifactHost.dir}`
        : r.record.worker.dir
            ? `serial log kept on the rehearsal worker in ${r.record.worker.dir}`
            : 'no serial log';
    return `VM rehearsal ${r.rehearsalId}: ${r.outcome} (${r.reason}); ${kept}`;
}
//# sourceMappingURL=rehearsal.js.map