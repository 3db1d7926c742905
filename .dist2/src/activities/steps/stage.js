"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.pinKnownGood = pinKnownGood;
exports.stageTrialBoot = stageTrialBoot;
const schemas_1 = require("../../shared/schemas");
const bootloader_1 = require("../bootloader/bootloader");
const host_1 = require("../host");
const kernel_args_1 = require("../trial/kernel-args");
const revert_timer_1 = require("../trial/revert-timer");
async function pinKnownGood(withHost, req) {
    const release = (0, schemas_1.parseOrThrow)(schemas_1.kernelReleaseSchema, req.knownGoodRelease, 'knownGoodRelease');
    const bootloader = (0, bootloader_1.bootloaderFor)(req.bootloader);
    return withHost(req.target, async (s) => {
        // The running kernel, and the bootloader preflight found still there, in one round trip.
        const read = await (0, bootloader_1.bootloaderOnHost)(s, bootloader, req.target.host, [['uname-r', 'uname -r']]);
        const running = (read['uname-r'] ?? '').trim();
        const pinned = await bootloader.pinDefault(s, release, req.target.host, read);
        if (running !== release) {
            // Only reachable on a retry after the host changed under us: the default was the
            // known-good before and still is; say so rather than guess.
            throw new host_1.UnsafeHostError(`${req.target.host}: now runs ${running}, expected ${release}; check the host`);
        }
        return {
            knownGoodEntry: pinned.entry,
            fixedGrubDefault: pinned.fixedConfiguration,
            ...(pinned.change ? { configurationChange: pinned.change } : {}),
            backupPath: pinned.backupPath,
        };
    });
}
async function stageTrialBoot(withHost, req) {
    const knownGoodRelease = (0, schemas_1.parseOrThrow)(schemas_1.kernelReleaseSchema, req.knownGoodRelease, 'knownGoodRelease');
    const toRelease = (0, schemas_1.parseOrThrow)(schemas_1.kernelReleaseSchema, req.toRelease, 'toRelease');
    const bootloader = (0, bootloader_1.bootloaderFor)(req.bootloader);
    const args = (0, kernel_args_1.trialKernelArgs)(req.panicSeconds, req.trialToken, req.trialKernelArgs);
    const units = (0, revert_timer_1.revertUnits)(req.trialToken, req.revertAfterSeconds, bootloader.clearOneShotCommand());
    return withHost(req.target, async (s) => {
        const host = req.target.host;
        // Round trip 1: the bootloader preflight found is still there, and its state. Round trip 2:
        // the revert timer, the one-shot (or, for kexec, none) and the state read back. Pinning again
        // adds one only when the default is not the known-good any more.
        const facts = await (0, bootloader_1.bootloaderOnHost)(s, bootloader, host);
        const trial = await bootloader.prepareTrial(s, { host, knownGoodRelease, toRelease }, facts);
        const timer = [(0, revert_timer_1.armRevertTimerCommand)(units)];
        // kexec loads the trial itself; the bootloader keeps booting the default.
        const { entry: trialEntry, state } = req.useKexec
            ? { entry: null, state: await trial.clearOneShot(timer) }
            : await trial.stageOneShot(args, timer);
        if (state.defaultEntry !== trial.knownGoodEntry || state.oneShotEntry !== trialEntry) {
            throw new Error(`${host}: ${state.readBack}, expected ${trial.knownGoodEntry} / ${trialEntry ?? '(empty)'}`);
        }
        return { knownGoodEntry: trial.knownGoodEntry, trialEntry };
    });
}
//# sourceMappingURL=stage.js.map