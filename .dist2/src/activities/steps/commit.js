"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.CONSOLE_EVIDENCE_LINES = void 0;
exports.confirmTrial = confirmTrial;
exports.commitKernel = commitKernel;
exports.commitVerifiedTrial = commitVerifiedTrial;
exports.stillRunsCommand = stillRunsCommand;
exports.recordedAndRestored = recordedAndRestored;
exports.undoTrial = undoTrial;
/**
 * After the trial boot: confirm it (the revert timer stands down for this boot), commit it (the
 * new kernel becomes the default, only while it runs in the verified boot), or undo it (back to
 * the known-good default, evidence collected, the failed kernel optionally removed).
 */
const activity_1 = require("@temporalio/activity");
const zod_1 = require("zod");
const schemas_1 = require("../../shared/schemas");
const shell_1 = require("../../shared/shell");
const bootloader_1 = require("../bootloader/bootloader");
const host_1 = require("../host");
const package_manager_1 = require("../install/package-manager");
const driver_1 = require("../power/driver");
const check_1 = require("../health/check");
const evidence_1 = require("../trial/evidence");
const kernel_args_1 = require("../trial/kernel-args");
const revert_timer_1 = require("../trial/revert-timer");
const combined_1 = require("./combined");
const verify_1 = require("./verify");
async function confirmTrial(withHost, req) {
    const bootId = (0, schemas_1.parseOrThrow)(schemas_1.bootIdSchema, req.expectedBootId, 'expectedBootId');
    return withHost(req.target, async (s) => {
        return { confirmed: await (0, revert_timer_1.confirmTrialBoot)(s, bootId) };
    });
}
/** What commitKernel reads in its first round trip, with every bootloader's sections. */
const COMMIT_READ = [
    ['uname-r', 'uname -r'],
    ['boot-id', 'cat /proc/sys/kernel/random/boot_id'],
    ['cmdline', 'cat /proc/cmdline'],
];
async function commitKernel(withHost, req) {
    const toRelease = (0, schemas_1.parseOrThrow)(schemas_1.kernelReleaseSchema, req.toRelease, 'toRelease');
    const bootId = (0, schemas_1.parseOrThrow)(schemas_1.bootIdSchema, req.expectedBootId, 'expectedBootId');
    const bootloader = (0, bootloader_1.bootloaderFor)(req.bootloader);
    return withHost(req.target, async (s) => {
        // Round trip 1: the running kernel, the boot, its command line and the bootloader preflight
        // found still there.
        const read = await (0, bootloader_1.bootloaderOnHost)(s, bootloader, req.target.host, COMMIT_READ);
        return commitOnHost(s, bootloader, req.target.host, { release: toRelease, bootId }, read);
    });
}
/**
 * commitVerifiedTrial (a run with no stability window): verify the trial boot and, only when the
 * verification passed, commit it, in one session and two or three round trips. The verification
 * reads what the commit reads (the kernel, the boot, the command line, every bootloader's sections)
 * and the health checks that a read can pass (run only in the trial boot), then runs the checks
 * the read did not pass; the commit decides from that read and its write is guarded on the host
 * (stillRunsCommand), as commitKernel's. A failure names its part (`verify: …`, `commit: …`).
 */
async function commitVerifiedTrial(withHost, req) {
    const expected = (0, schemas_1.parseOrThrow)(schemas_1.kernelReleaseSchema, req.expectedRelease, 'expectedRelease');
    const checks = (0, schemas_1.parseOrThrow)(zod_1.z.array(schemas_1.healthCheckSchema), req.healthChecks, 'healthChecks');
    const bootloader = (0, bootloader_1.bootloaderFor)(req.bootloader);
    const host = req.target.host;
    const trial = { release: expected, bootId: (0, schemas_1.parseOrThrow)(schemas_1.bootIdSchema, req.expectedBootId, 'expectedBootId') };
    // Checks a read can pass (systemctl is-system-running) run in it, only in the trial boot.
    const health = (0, check_1.healthReadSections)(checks, (cmd) => (0, shell_1.andChain)([stillRunsCommand(trial.release, trial.bootId), cmd]));
    return withHost(req.target, async (s) => {
        const read = await (0, combined_1.part)('verify', () => (0, bootloader_1.readWithBootloaderSections)(s, [...COMMIT_READ, ...health]));
        const found = { running: (read['uname-r'] ?? '').trim(), bootId: (read['boot-id'] ?? '').trim() };
        const verdict = await (0, combined_1.part)('verify', () => (0, verify_1.verdictOn)(s, found, trial, checks, read));
        if (!verdict.ok)
            return { verdict, commit: null };
        const commit = await (0, combined_1.part)('commit', async () => {
            (0, bootloader_1.assertBootloaderOnHost)(read, bootloader, host);
            return commitOnHost(s, bootloader, host, trial, read);
        });
        return { verdict, commit };
    });
}
/**
 * The commit from `read` (COMMIT_READ and the bootloader's sections, read in this session): refused
 * unless the host runs the verified kernel in the verified boot; then one round trip, decided on the
 * host: only while it still runs that kernel in that boot, the trial confirmed, disarmed (one-shot,
 * revert timer, trial entry) and the new kernel made the default (from the state in `read`), read
 * back; then the known-good record and the host's own panic settings.
 */
async function commitOnHost(s, bootloader, host, verified, read) {
    const running = (read['uname-r'] ?? '').trim();
    const bootId = (read['boot-id'] ?? '').trim();
    if (running !== verified.release || bootId !== verified.bootId) {
        // Rule 1, enforced on the host too: never move the default to a kernel that is not
        // the one running in the boot that was verified.
        throw activity_1.ApplicationFailure.nonRetryable(`${host}: refusing to commit ${verified.release}: host runs ${running} in boot ${bootId}, verified was ${verified.bootId}`, 'UnsafeHostError');
    }
    const own = (0, kernel_args_1.ownPanicSettings)(read['cmdline'] ?? '');
    const { entry, afterOutput } = await bootloader.commitDefault(s, verified.release, host, read, {
        before: [stillRunsCommand(verified.release, verified.bootId), (0, revert_timer_1.confirmFlagCommand)()],
        disarmAlongWith: (0, revert_timer_1.revertTimerRemovalSteps)(),
        after: [recordCommand(verified.release), ...(own === null ? [] : [(0, kernel_args_1.restorePanicSettingsCommand)(own)])],
    });
    return { savedEntry: entry, panicSettings: recordedAndRestored(afterOutput, own !== null) };
}
/** Shell: succeeds only while the host runs `release` in the boot `bootId` (the guard of a commit's write). */
function stillRunsCommand(release, bootId) {
    return (`[ "$(cat /proc/sys/kernel/random/boot_id)" = ${(0, shell_1.shellQuote)(bootId)} ] && [ "$(uname -r)" = ${(0, shell_1.shellQuote)(release)} ] ` +
        `|| { echo 'kernel-rollout: the host no longer runs the verified boot: nothing changed' >&2; false; }`);
}
const RECORDED = 'recorded-known-good';
/** Shell: `release` recorded as this host's known-good kernel; says so when it was. */
function recordCommand(release) {
    return `if mkdir -p ${host_1.STATE_DIR} && echo ${(0, shell_1.shellQuote)(release)} > ${host_1.STATE_DIR}/known-good; then echo ${RECORDED}; fi`;
}
/**
 * After the default moved: the known-good record, then the host's own panic settings (the
 * committed kernel keeps running in its trial boot, whose `panic=N oops=panic` would stay in
 * force until the next reboot). `output` is what the record and the restore printed, stdout and
 * stderr; its last line the settings now. The restore is best effort and reported: the commit
 * itself is done by now, and a host that refuses the write is no reason to undo it.
 */
function recordedAndRestored(output, restored) {
    const lines = output.trim().split('\n');
    if (!lines.includes(RECORDED)) {
        const why = lines.find((l) => l.trim() !== '') ?? '';
        throw new Error(`could not write ${host_1.STATE_DIR}/known-good: ${why}`);
    }
    if (!restored)
        return 'left as they are (this boot has no trial arguments)';
    const now = lines.at(-1) ?? '';
    const problem = lines.slice(0, -1).find((l) => l !== RECORDED && l.trim() !== '');
    return problem
        ? `${now} (not all restored: ${problem})`
        : `${now} (the host's own settings, in place of the trial's)`;
}
async function undoTrial(withHost, req) {
    const knownGood = (0, schemas_1.parseOrThrow)(schemas_1.kernelReleaseSchema, req.knownGoodRelease, 'knownGoodRelease');
    const failed = (0, schemas_1.parseOrThrow)(schemas_1.kernelReleaseSchema, req.failedRelease, 'failedRelease');
    const trialBoot = req.trialBoot === undefined ? undefined : (0, schemas_1.parseOrThrow)(schemas_1.trialBootRefSchema, req.trialBoot, 'trialBoot');
    const bootloader = (0, bootloader_1.bootloaderFor)(req.bootloader);
    const packageManager = (0, package_manager_1.packageManagerFor)(req.packageManager);
    const readConsole = consoleReader(req);
    return withHost(req.target, async (s) => {
        const read = await (0, bootloader_1.bootloaderOnHost)(s, bootloader, req.target.host, [['uname-r', 'uname -r']]);
        const running = (read['uname-r'] ?? '').trim();
        const { regenerated } = await bootloader.disarm(s, (0, revert_timer_1.revertTimerRemovalSteps)());
        const { entry } = await bootloader.pinDefault(s, knownGood, req.target.host, regenerated ? undefined : read);
        const evidence = [];
        const trial = await (0, evidence_1.collectTrialEvidence)(s, trialBoot, req.target.user, readConsole);
        if (trial)
            evidence.push(trial);
        if (req.removeFailedKernel && running !== failed)
            evidence.push(await packageManager.remove(s, failed));
        return { savedEntry: entry, evidence: evidence.join('\n') };
    });
}
/** Console lines a rollback's evidence shows at most. */
exports.CONSOLE_EVIDENCE_LINES = 20;
/** Reads the end of the host's console through its power driver, when the driver has one. */
function consoleReader(req) {
    if (req.power === undefined)
        return undefined;
    const config = (0, schemas_1.parseOrThrow)(schemas_1.powerConfigSchema, req.power, 'power');
    let driver;
    try {
        driver = (0, driver_1.createPowerDriver)(config);
    }
    catch {
        // A driver this worker cannot build (a credential variable it lacks) has no console to read
        // here; the undo itself must not fail for the evidence.
        return undefined;
    }
    const tail = driver.consoleTail?.bind(driver);
    return tail ? () => tail(req.target.host, exports.CONSOLE_EVIDENCE_LINES) : undefined;
}
//# sourceMappingURL=commit.js.map