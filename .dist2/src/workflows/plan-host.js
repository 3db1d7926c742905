"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.planHostKernel = planHostKernel;
/**
 * planHostKernel: preflight only, for `kernelctl plan`. Runs on a worker because the worker has
 * the SSH credentials and the network path to the host; changes nothing.
 */
const workflow_1 = require("@temporalio/workflow");
const types_1 = require("../shared/types");
const { preflight } = (0, workflow_1.proxyActivities)({
    startToCloseTimeout: '2 minutes',
    heartbeatTimeout: '30s',
    retry: { maximumAttempts: 2, nonRetryableErrorTypes: [...types_1.NON_RETRYABLE_ERRORS] },
});
async function planHostKernel(req) {
    (0, workflow_1.setCurrentDetails)(`preflight of ${req.target.host} for ${req.toRelease}`);
    return preflight.executeWithOptions({ summary: `preflight ${req.target.host}` }, [req]);
}
//# sourceMappingURL=plan-host.js.map