"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.realDeps = void 0;
exports.createActivities = createActivities;
const commit_1 = require("./steps/commit");
const combined_1 = require("./steps/combined");
const install_1 = require("./steps/install");
const power_cycle_1 = require("./steps/power-cycle");
const preflight_1 = require("./steps/preflight");
const reboot_1 = require("./steps/reboot");
const session_1 = require("./session");
const session_pool_1 = require("./ssh/session-pool");
const stage_1 = require("./steps/stage");
const verify_1 = require("./steps/verify");
var session_2 = require("./session");
Object.defineProperty(exports, "realDeps", { enumerable: true, get: function () { return session_2.realDeps; } });
function createActivities(deps = session_1.realDeps, pool = new session_pool_1.SessionPool()) {
    const withHost = (0, session_1.hostAccess)(deps, pool);
    const single = {
        /** Read-only: facts, the bootloader found, refusals, fixes. */
        preflight: (req) => (0, preflight_1.preflight)(withHost, req),
        /** The known-good (running) kernel becomes the bootloader's default, before installing. */
        pinKnownGood: (req) => (0, stage_1.pinKnownGood)(withHost, req),
        /** The source's installer; skipped when that artifact is installed already. */
        installKernel: (req) => (0, install_1.installKernel)(withHost, req),
        /** Known-good stays the default; the trial boots once with panic=N; revert timer armed. */
        stageTrialBoot: (req) => (0, stage_1.stageTrialBoot)(withHost, req),
        /** Reboots (or kexecs) once: only while the boot id is still the pre-reboot one. */
        rebootHost: (req) => (0, reboot_1.rebootHost)(withHost, req).finally(() => pool.forget(req.target.host)),
        /** Polls the boot id until it changes and SSH answers, within the absolute deadline. */
        awaitHostReturn: (req) => (0, reboot_1.awaitHostReturn)(deps, req, pool),
        /** Read-only: uname -r, boot id, health checks. */
        verifyKernel: (req) => (0, verify_1.verifyKernel)(withHost, req),
        /** Stops the revert timer for this boot (the confirmation lives in /run: per boot). */
        confirmTrial: (req) => (0, commit_1.confirmTrial)(withHost, req),
        /** Default := the new kernel, only while it runs in the verified boot. Read back. */
        commitKernel: (req) => (0, commit_1.commitKernel)(withHost, req),
    };
    return {
        ...single,
        /** prepareTrialBoot (pin, install, stage): ./steps/combined.ts. */
        ...(0, combined_1.combinedSteps)(single),
        /** Verify and, when it passed, commit, in one session (a run with no stability window). */
        commitVerifiedTrial: (req) => (0, commit_1.commitVerifiedTrial)(withHost, req),
        /** Back on (or going back to) the known-good kernel: clear the trial, keep the default. */
        undoTrial: (req) => (0, commit_1.undoTrial)(withHost, req),
        /** One reset through the out-of-band power driver, never two. */
        powerCycle: (req) => {
            pool.forget(req.host);
            return (0, power_cycle_1.powerCycle)(req);
        },
    };
}
//# sourceMappingURL=index.js.map