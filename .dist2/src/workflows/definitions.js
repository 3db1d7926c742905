"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.rolloutDecisionSignal = exports.HOLD_EXPIRED_REASON = exports.resolveUpdate = exports.abortUpdate = exports.approveUpdate = exports.statusQuery = exports.TASK_QUEUE_DEFAULT = exports.UPGRADE_WORKFLOW_TYPE = void 0;
exports.upgradeWorkflowId = upgradeWorkflowId;
exports.checkActor = checkActor;
exports.checkText = checkText;
exports.checkRolloutDecisionArgs = checkRolloutDecisionArgs;
/**
 * Signals, updates and queries of the per-host workflow, defined once. The workflow registers
 * handlers for them; the client module and the CLI (and other services) import the same
 * definitions, so a renamed handler is a compile error rather than a silent no-op.
 */
const workflow_1 = require("@temporalio/workflow");
const shell_1 = require("../shared/shell");
exports.UPGRADE_WORKFLOW_TYPE = 'upgradeHostKernel';
exports.TASK_QUEUE_DEFAULT = 'kernel-rollout';
function upgradeWorkflowId(host) {
    return `kernel-upgrade/${host}`;
}
exports.statusQuery = (0, workflow_1.defineQuery)('status');
/** Lets a run waiting before its reboot go on. Rejected unless the run waits for approval. */
exports.approveUpdate = (0, workflow_1.defineUpdate)('approve');
/** Stops the run: staging undone before the reboot, rolled back after it. */
exports.abortUpdate = (0, workflow_1.defineUpdate)('abort');
/** An operator's answer to needs-attention. Rejected unless the run waits for one. */
exports.resolveUpdate = (0, workflow_1.defineUpdate)('resolve');
/** How a held run's reason starts when no decision came in time (the rollout starts it again later). */
exports.HOLD_EXPIRED_REASON = 'the rollout did not let it reboot within';
/**
 * From the rollout that started the run (a workflow cannot send updates). Ignored unless it comes
 * from that rollout (`by` is its workflow id) while the run holds for it before the reboot; a
 * no-go works like abort.
 */
exports.rolloutDecisionSignal = (0, workflow_1.defineSignal)('rolloutDecision');
/**
 * Plain checks for update arguments, used by the workflow's validators (zod stays out of the
 * workflow bundle) and mirrored by the zod schemas the client uses.
 */
function checkActor(by) {
    if (typeof by !== 'string' || by.length < 1 || by.length > 100 || shell_1.CONTROL_CHARS_RE.test(by)) {
        return 'by: must be 1-100 printable characters naming who acts';
    }
    return null;
}
function checkText(field, value, required) {
    if (value === undefined && !required)
        return null;
    if (typeof value !== 'string' || (required && value.length === 0) || value.length > 1000) {
        return `${field}: must be ${required ? '1' : '0'}-1000 characters`;
    }
    if (shell_1.CONTROL_CHARS_RE.test(value))
        return `${field}: must be one line of printable text (no control characters)`;
    return null;
}
function checkRolloutDecisionArgs(args) {
    const a = typeof args === 'object' && args !== null ? args : {};
    if (typeof a['go'] !== 'boolean')
        return 'go: must be true or false';
    return checkActor(a['by']) ?? checkText('reason', a['reason'], false);
}
//# sourceMappingURL=definitions.js.map