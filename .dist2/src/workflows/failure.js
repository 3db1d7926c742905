"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.describeFailure = describeFailure;
exports.failureType = failureType;
exports.preflightFailedReason = preflightFailedReason;
exports.failedPart = failedPart;
/**
 * Why an activity failed, in the words of its innermost error. The per-host workflow writes it
 * into a run refused at preflight, and `kernelctl plan` prints the same sentence when its
 * preflight fails the same way, so both commands give the operator the cause and its fix.
 *
 * This module imports only @temporalio/common: it is part of the workflow bundle and of the CLI.
 */
const common_1 = require("@temporalio/common");
function describeFailure(err) {
    let cur = err;
    // ActivityFailure wraps the activity's ApplicationFailure: report the innermost message.
    while (cur instanceof common_1.ActivityFailure && cur.cause)
        cur = cur.cause;
    if (cur instanceof common_1.ApplicationFailure)
        return `${cur.type ?? 'Error'}: ${cur.message}`;
    if (cur instanceof Error)
        return cur.message;
    return String(cur);
}
/** The type of the innermost ApplicationFailure (e.g. `UnsafeHostError`), or undefined. */
function failureType(err) {
    let cur = err;
    while (cur instanceof common_1.ActivityFailure && cur.cause)
        cur = cur.cause;
    return cur instanceof common_1.ApplicationFailure ? (cur.type ?? undefined) : undefined;
}
/** The reason of a run (or a plan) whose preflight could not read the host: nothing was changed. */
function preflightFailedReason(host, err) {
    return `preflight could not read ${host}: ${describeFailure(err)}; nothing was changed`;
}
/** Which part of a combined activity failed (`details[0].part`: `pin`, `install`, …), or undefined. */
function failedPart(err) {
    let cur = err;
    while (cur instanceof common_1.ActivityFailure && cur.cause)
        cur = cur.cause;
    if (!(cur instanceof common_1.ApplicationFailure))
        return undefined;
    const detail = cur.details?.[0];
    return typeof detail?.part === 'string' ? detail.part : undefined;
}
//# sourceMappingURL=failure.js.map