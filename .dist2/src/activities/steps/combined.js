"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.combinedSteps = combinedSteps;
exports.part = part;
exports.inPart = inPart;
/**
 * prepareTrialBoot: the pin of the known-good kernel, the install of the new one and the staging
 * of its trial boot in one activity task, in the order the steps always ran: one activity task and
 * one workflow round trip in place of three. (Its counterpart after the reboot, commitVerifiedTrial,
 * shares one read between its verification and its commit: ./commit.ts.)
 *
 * Each part is the single-step activity itself (its input checks, its host-state checks), so a
 * retry of the whole repeats parts that are idempotent one by one. A failure names the part that
 * failed (`install: …`, `details[0].part`) and keeps its error type, so the workflow's retry
 * policy and its reading of the failure are those of the single step. docs/safety.md argues why
 * each merge keeps the safety argument.
 */
const activity_1 = require("@temporalio/activity");
function combinedSteps(steps) {
    return {
        /** pinKnownGood, installKernel, stageTrialBoot, in that order, in one task. */
        prepareTrialBoot: async (req) => {
            // The request is the stage's, plus what the install needs.
            const { source, packageManager, ...stageRequest } = req;
            const { target, knownGoodRelease, toRelease, bootloader } = stageRequest;
            const pin = await part('pin', () => steps.pinKnownGood({ target, knownGoodRelease, bootloader }));
            const install = await part('install', () => steps.installKernel({ target, toRelease, source, packageManager }));
            const stage = await part('stage', () => steps.stageTrialBoot(stageRequest));
            return { pin, install, stage };
        },
    };
}
/** Runs one part; its failure keeps its type and retryability and names the part. */
async function part(name, run) {
    try {
        return await run();
    }
    catch (err) {
        throw inPart(name, err);
    }
}
/** The failure of a part as the combined activity's: `<part>: <message>`, same type, `details[0].part`. */
function inPart(name, err) {
    // A cancellation stays what it is: the SDK reports it as the activity's cancellation.
    if (err instanceof activity_1.CancelledFailure || !(err instanceof Error))
        return err;
    const application = err instanceof activity_1.ApplicationFailure ? err : null;
    const inner = application?.details?.[0];
    return activity_1.ApplicationFailure.create({
        message: `${name}: ${err.message}`,
        type: application ? (application.type ?? undefined) : err.name,
        nonRetryable: application?.nonRetryable ?? false,
        details: [{ part: name, ...(typeof inner === 'object' && inner !== null ? inner : {}) }],
        cause: err,
    });
}
//# sourceMappingURL=combined.js.map