"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.CONSOLE_EVIDENCE_PATCH = exports.TRIAL_BOOT_EVIDENCE_PATCH = void 0;
exports.trialBootRef = trialBootRef;
exports.clearTrialState = clearTrialState;
exports.undoStaging = undoStaging;
/**
 * Back to the known-good kernel: clearing the trial state (the one-shot entry and the revert
 * timer), and, before any reboot, undoing the staging. After the reboot, a host running the new
 * kernel is rebooted back (its saved default never moved) by rollBackFromNewKernel in
 * ./verify-commit.ts, and one already back on the known-good kernel only has its trial state
 * cleared.
 */
const workflow_1 = require("@temporalio/workflow");
const activities_1 = require("./activities");
const attention_1 = require("./attention");
/** Marks runs that tell undoTrial which boot was the trial (its evidence comes from that boot). */
exports.TRIAL_BOOT_EVIDENCE_PATCH = 'trial-boot-evidence';
/**
 * Marks runs that give undoTrial the host's power configuration, so that a driver with the
 * host's console (qmp with a serial log) adds its last lines to the evidence.
 */
exports.CONSOLE_EVIDENCE_PATCH = 'console-evidence';
/**
 * Which boot was the trial, from what the run saw: one running the trial kernel, else the boots
 * around it (`fallbackBootId`: the boot the host came back in on the known-good kernel).
 * undefined when a reboot happened but neither is known (the activity then says it guesses).
 */
function trialBootRef(run, fallbackBootId) {
    if (!run.rebootIssued)
        return { kind: 'no-reboot' };
    if (run.trialBootId !== null)
        return { kind: 'seen', trialBootId: run.trialBootId };
    if (run.bootIdBeforeTrial !== null && fallbackBootId !== undefined) {
        return { kind: 'between', bootIdBefore: run.bootIdBeforeTrial, fallbackBootId };
    }
    return undefined;
}
/**
 * Clears the one-shot entry and disarms the revert timer (optionally removing the failed kernel);
 * resolves to the saved default the host now has. `fallbackBootId`: the boot the host came back
 * in on the known-good kernel, when that is how the trial ended.
 */
async function clearTrialState(run, failedRelease, fallbackBootId) {
    const knownGood = run.from ?? '';
    // Runs recorded before read "the previous boot" for evidence; they replay without the marker.
    const trialBoot = (0, workflow_1.patched)(exports.TRIAL_BOOT_EVIDENCE_PATCH) ? trialBootRef(run, fallbackBootId) : undefined;
    const power = (0, workflow_1.patched)(exports.CONSOLE_EVIDENCE_PATCH) ? run.input.power : undefined;
    const res = await (0, attention_1.step)(run, 'clearing the trial state', () => activities_1.hostChanges.undoTrial.executeWithOptions((0, activities_1.heartbeating)(run, `clear one-shot, disarm revert timer; default stays ${knownGood}`), [
        {
            target: run.input.target,
            knownGoodRelease: knownGood,
            failedRelease,
            removeFailedKernel: run.input.removeFailedKernel,
            ...(trialBoot !== undefined ? { trialBoot } : {}),
            ...(power !== undefined ? { power } : {}),
            bootloader: run.drivers.bootloader,
            packageManager: run.drivers.packageManager,
        },
    ]));
    if (res.evidence)
        run.note(`evidence: ${res.evidence}`);
    return res.savedEntry;
}
/** Nothing rebooted yet: clear the staging, and the host keeps running the known-good kernel. */
async function undoStaging(run, reason) {
    run.enter('rollback', `${reason}; undoing the staging on ${run.host} (nothing rebooted)`);
    await clearTrialState(run, run.input.toRelease);
    return run.finish('aborted', reason, run.from);
}
//# sourceMappingURL=rollback.js.map