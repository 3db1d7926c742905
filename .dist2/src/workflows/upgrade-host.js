"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.upgradeHostKernel = upgradeHostKernel;
/**
 * upgradeHostKernel: one durable run per host (workflow id `kernel-upgrade/<host>`).
 *
 * The safety argument, in order:
 *  1. Before anything is installed the running kernel is pinned as GRUB's saved default
 *     (`pinKnownGood`), so even an unplanned reboot after the install boots the known-good kernel.
 *  2. The new kernel is staged as a one-shot trial (`next_entry`, or kexec) with `panic=N`
 *     and a host-side revert timer; GRUB's saved default is not touched.
 *  3. The saved default moves to the new kernel only in `commitKernel`, after the host came back
 *     on it, passed verification and stayed up for the stability window with the same boot id.
 *  4. Anything else ends on the known-good kernel (rolled-back) or waits for an operator
 *     (needs-attention) — never silently.
 *
 * This file is the main sequence; the steps are in ./upgrade-host/ (state.ts holds everything the
 * run knows; activities.ts the failure model of each activity). Deterministic: no I/O here, only
 * activities, timers, conditions and handlers.
 */
const workflow_1 = require("@temporalio/workflow");
const definitions_1 = require("./definitions");
const approval_1 = require("./upgrade-host/approval");
const failure_1 = require("./failure");
const input_check_1 = require("./input-check");
const attention_1 = require("./upgrade-host/attention");
const handlers_1 = require("./upgrade-host/handlers");
const prepare_1 = require("./upgrade-host/prepare");
const reboot_1 = require("./upgrade-host/reboot");
const rehearsal_1 = require("./upgrade-host/rehearsal");
const rollback_1 = require("./upgrade-host/rollback");
const state_1 = require("./upgrade-host/state");
const verify_commit_1 = require("./upgrade-host/verify-commit");
async function upgradeHostKernel(input) {
    // A hand-written input (the temporal CLI, another service) is refused with every missing or
    // wrong field named, before the run reads any of it. Inputs through the client always pass, so
    // no recorded run takes this path: it issues no command.
    const problems = (0, input_check_1.upgradeHostInputProblems)(input);
    // A credential in the power command's argv is refused (it would stay in this history); runs
    // recorded before the rule replay without it.
    if (problems.length === 0 && (0, workflow_1.patched)(input_check_1.POWER_CREDENTIALS_PATCH)) {
        const credential = (0, input_check_1.powerCredentialProblem)(input.power, 'power');
        if (credential)
            problems.push(credential);
    }
    if (problems.length > 0) {
        throw workflow_1.ApplicationFailure.nonRetryable(`invalid input: ${(0, input_check_1.describeProblems)(problems)}`, 'InvalidInputError');
    }
    const run = new state_1.HostUpgrade(input);
    (0, handlers_1.registerHandlers)(run);
    const { toRelease, timeouts } = input;
    const { host } = run;
    try {
        if (input.rehearseInVm) {
            const refused = await (0, rehearsal_1.rehearseFirst)(run);
            if (refused)
                return refused;
        }
        let facts;
        try {
            facts = await (0, prepare_1.readHostFacts)(run);
        }
        catch (err) {
            return run.finish('refused', (0, failure_1.preflightFailedReason)(host, err), null);
        }
        (0, prepare_1.noteHostFacts)(run, facts);
        const refusedOrAborted = (0, prepare_1.endBeforeAnyChange)(run, facts);
        if (refusedOrAborted)
            return refusedOrAborted;
        (0, prepare_1.takeDrivers)(run, facts);
        if (facts.runningKernel === toRelease) {
            // A previous run rebooted into it (or someone did by hand): verify and commit, no reboot.
            run.note(`${host} already runs ${toRelease}; verifying before committing it`);
            return await (0, verify_commit_1.verifyAndCommit)(run, facts.bootId, facts.runningKernel);
        }
        const knownGood = facts.runningKernel;
        if ((0, workflow_1.patched)(prepare_1.ONE_STEP_PREPARE_PATCH)) {
            await (0, prepare_1.prepareTrial)(run, knownGood);
        }
        else {
            await (0, prepare_1.pinKnownGood)(run, knownGood);
            await (0, prepare_1.installKernel)(run);
            if (run.aborted())
                return await (0, rollback_1.undoStaging)(run, `${run.abortReason()} (after the install)`);
            await (0, prepare_1.stageTrialBoot)(run, knownGood);
        }
        if (input.holdForRollout && !run.aborted()) {
            const decided = await (0, approval_1.holdForRollout)(run);
            run.waitingFor = null;
            if (!decided)
                return await (0, rollback_1.undoStaging)(run, `${definitions_1.HOLD_EXPIRED_REASON} ${timeouts.approvalTimeoutSeconds}s`);
        }
        if (input.approveBeforeReboot && !run.aborted()) {
            const decided = await (0, approval_1.awaitApproval)(run);
            run.waitingFor = null;
            if (!decided)
                return await (0, rollback_1.undoStaging)(run, `no approval within ${timeouts.approvalTimeoutSeconds}s`);
        }
        if (run.aborted())
            return await (0, rollback_1.undoStaging)(run, run.abortReason());
        await (0, reboot_1.rebootIntoTrial)(run, facts.bootId);
        const back = await (0, reboot_1.awaitHostReturn)(run, facts.bootId, timeouts.bootDeadlineSeconds, 'trial reboot');
        if (!back.back) {
            return await (0, verify_commit_1.recoverLostHost)(run, facts.bootId, `not back within ${timeouts.bootDeadlineSeconds}s: ${back.lastError}`, 'the trial kernel did not come back in time');
        }
        return await (0, verify_commit_1.classifyReturn)(run, back, 'panic=N or the revert timer brought it back');
    }
    catch (err) {
        if (err instanceof attention_1.OperatorGaveUp)
            return run.finish('needs-attention', `operator gave up: ${err.message}`, null);
        if (err instanceof prepare_1.BootloaderChangedBeforeInstall) {
            return run.finish('refused', `${err.message}; stopped before installing anything`, run.from);
        }
        throw err;
    }
}
//# sourceMappingURL=upgrade-host.js.map