"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.power = exports.longRunning = exports.hostChanges = exports.readOnly = exports.nonRetryableErrorTypes = void 0;
exports.heartbeating = heartbeating;
/**
 * The per-host run's failure model, per activity: read-only steps retry freely; steps that change
 * the host are idempotent (each checks the host's state first), so a retry after a crash is safe.
 * What retrying cannot fix, or retries exhausted, becomes needs-attention (./attention.ts).
 */
const workflow_1 = require("@temporalio/workflow");
const types_1 = require("../../shared/types");
exports.nonRetryableErrorTypes = [...types_1.NON_RETRYABLE_ERRORS];
/** preflight, verifyKernel. */
exports.readOnly = (0, workflow_1.proxyActivities)({
    startToCloseTimeout: '2 minutes',
    retry: { initialInterval: '2s', maximumInterval: '30s', maximumAttempts: 5, nonRetryableErrorTypes: exports.nonRetryableErrorTypes },
});
/** pinKnownGood, stageTrialBoot, rebootHost, confirmTrial, commitKernel, undoTrial. */
exports.hostChanges = (0, workflow_1.proxyActivities)({
    startToCloseTimeout: '10 minutes',
    retry: { initialInterval: '5s', maximumInterval: '1 minute', maximumAttempts: 5, nonRetryableErrorTypes: exports.nonRetryableErrorTypes },
});
/** installKernel; awaitHostReturn, whose timeouts follow the run's boot deadline (./reboot.ts). */
exports.longRunning = (0, workflow_1.proxyActivities)({
    startToCloseTimeout: '90 minutes',
    heartbeatTimeout: '2 minutes',
    retry: { initialInterval: '10s', maximumInterval: '2 minutes', maximumAttempts: 3, nonRetryableErrorTypes: exports.nonRetryableErrorTypes },
});
/** powerCycle through the host's power driver. */
exports.power = (0, workflow_1.proxyActivities)({
    startToCloseTimeout: '5 minutes',
    retry: { initialInterval: '5s', maximumInterval: '30s', maximumAttempts: 3, nonRetryableErrorTypes: exports.nonRetryableErrorTypes },
});
/** Every activity heartbeats (keepAlive): a dead worker is noticed after heartbeatSeconds. */
function heartbeating(run, summary) {
    return { heartbeatTimeout: `${run.input.timeouts.heartbeatSeconds}s`, summary };
}
//# sourceMappingURL=activities.js.map