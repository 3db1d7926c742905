"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.OperatorGaveUp = void 0;
exports.needsAttention = needsAttention;
exports.step = step;
exports.endInNeedsAttention = endInNeedsAttention;
/**
 * needs-attention: what a run does when retrying cannot help (a changed host key, refused
 * credentials, retries exhausted, a host on a kernel nobody expected). It says so in the UI and the
 * status, and waits without a deadline for an operator: `kernelctl resolve <host> --retry |
 * --mark-fixed | --give-up`.
 */
const workflow_1 = require("@temporalio/workflow");
const failure_1 = require("../failure");
/** Ends the run with needs-attention after the operator gave up. */
class OperatorGaveUp extends Error {
}
exports.OperatorGaveUp = OperatorGaveUp;
/** Waits for an operator's decision; throws OperatorGaveUp when it is give-up. */
async function needsAttention(run, reason) {
    run.enter('needs-attention', `${reason} — waiting for an operator: kernelctl resolve ${run.host} --retry | --mark-fixed | --give-up`);
    run.resolution = null;
    run.waitingFor = 'operator';
    await (0, workflow_1.condition)(() => run.resolution !== null);
    run.waitingFor = null;
    const chosen = run.resolution?.action ?? 'give-up';
    if (chosen === 'give-up')
        throw new OperatorGaveUp(reason);
    return chosen;
}
/**
 * Runs one step; a failure that retrying cannot fix or retries exhausted turn into
 * needs-attention, and the operator's retry runs it again. `done` notes what the step found,
 * `failed` what a failure says before the operator is asked.
 */
async function step(run, what, activity, done, failed) {
    for (;;) {
        let result;
        try {
            result = await activity();
        }
        catch (err) {
            failed?.(err);
            await needsAttention(run, `${what} failed: ${(0, failure_1.describeFailure)(err)}`);
            continue;
        }
        done?.(result);
        return result;
    }
}
/** Ends the run as needs-attention once an operator looked at it (gave up, or fixed it by hand). */
async function endInNeedsAttention(run, reason, booted) {
    try {
        await needsAttention(run, reason);
    }
    catch (err) {
        if (err instanceof OperatorGaveUp)
            return run.finish('needs-attention', reason, booted);
        throw err;
    }
    return run.finish('needs-attention', `${reason} (operator resolved it by hand)`, booted);
}
//# sourceMappingURL=attention.js.map