"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * kernel-rollout's own activities (real SSH, no stubs) on simulated hosts booted by systemd-boot
 * (stale GRUB files left behind): preflight finds `systemd-boot`, and every later request carries
 * that kind, as the workflow passes it: pin → install → stage → reboot → commit, and an undo.
 */
const strict_1 = __importDefault(require("node:assert/strict"));
const node_test_1 = require("node:test");
const testing_1 = require("@temporalio/testing");
const activities_1 = require("../../src/activities");
const simulator_1 = require("../../sim/simulator");
const helpers_1 = require("./helpers");
(0, node_test_1.describe)('kernel-rollout activities on a simulated systemd-boot host', () => {
    let sim;
    const acts = (0, activities_1.createActivities)();
    const mock = new testing_1.MockActivityEnvironment();
    const run = (fn, ...args) => mock.run(fn, ...args);
    (0, node_test_1.before)(async () => {
        sim = await (0, simulator_1.startSimulator)({
            hosts: [
                { name: 'sd-01', bootloader: 'systemd-boot' },
                { name: 'sd-02', bootloader: 'systemd-boot' },
            ],
            bootSeconds: 1,
        });
    });
    (0, node_test_1.after)(async () => {
        await sim?.stop();
    });
    async function trialBoot(name) {
        const t = (0, helpers_1.simTarget)(sim, name);
        const source = { kind: 'apt', packageName: `linux-image-${helpers_1.NEW}` };
        const facts = await run(acts.preflight, { target: t, toRelease: helpers_1.NEW, source, useKexec: false });
        strict_1.default.deepEqual(facts.refusals, []);
        strict_1.default.equal(facts.bootloader.kind, 'systemd-boot');
        strict_1.default.match(facts.bootloader.summary.join('\n'), /boot counting: yes/);
        const drivers = { bootloader: facts.bootloader.kind ?? undefined, packageManager: facts.packageManager };
        const pin = await run(acts.pinKnownGood, { target: t, knownGoodRelease: helpers_1.OLD, ...drivers });
        strict_1.default.match(pin.knownGoodEntry, new RegExp(`-${helpers_1.OLD}\\.conf$`));
        await run(acts.installKernel, { target: t, toRelease: helpers_1.NEW, source, ...drivers });
        const trial = {
            knownGoodRelease: helpers_1.OLD,
            toRelease: helpers_1.NEW,
            panicSeconds: 10,
            trialKernelArgs: [],
            revertAfterSeconds: 120,
            trialToken: 'T0k3n',
            useKexec: false,
            ...drivers,
        };
        const stage = await run(acts.stageTrialBoot, { target: t, ...trial });
        strict_1.default.equal(stage.trialEntry, 'kernel-rollout-trial+1.conf');
        strict_1.default.equal(sim.inspect(name).systemdBoot?.oneShotEntry, 'kernel-rollout-trial+1.conf');
        await run(acts.rebootHost, { target: t, expectedBootId: facts.bootId, ...trial });
        const back = await run(acts.awaitHostReturn, {
            target: t,
            previousBootId: facts.bootId,
            deadlineEpochMs: Date.now() + 30_000,
            pollCapSeconds: 1,
        });
        strict_1.default.ok(back.back && back.runningKernel === helpers_1.NEW, JSON.stringify(back));
        strict_1.default.match(sim.inspect(name).cmdline, / panic=10 oops=panic kernel_rollout\.trial=T0k3n$/);
        return { t, drivers, back, pin };
    }
    (0, node_test_1.it)('preflight → pin → install → stage → reboot → commit: the new kernel’s own entry is the default', async () => {
        const { t, drivers, back } = await trialBoot('sd-01');
        if (!back.back)
            return;
        const commit = await run(acts.commitKernel, { target: t, toRelease: helpers_1.NEW, expectedBootId: back.bootId, ...drivers });
        strict_1.default.match(commit.savedEntry, new RegExp(`-${helpers_1.NEW}\\.conf$`));
        const st = sim.inspect('sd-01').systemdBoot;
        strict_1.default.equal(st?.defaultEntry, commit.savedEntry);
        strict_1.default.equal(st?.loaderConfDefault, commit.savedEntry);
        strict_1.default.equal(st?.oneShotEntry, null);
        strict_1.default.ok(!st?.entries.some((e) => e.startsWith('kernel-rollout-trial')), st?.entries.join(' '));
    });
    (0, node_test_1.it)('… → undo: the known-good is the default again and no trial entry is left to boot', async () => {
        const { t, drivers, pin } = await trialBoot('sd-02');
        const undo = await run(acts.undoTrial, {
            target: t,
            knownGoodRelease: helpers_1.OLD,
            failedRelease: helpers_1.NEW,
            removeFailedKernel: false,
            ...drivers,
        });
        strict_1.default.equal(undo.savedEntry, pin.knownGoodEntry);
        const st = sim.inspect('sd-02').systemdBoot;
        strict_1.default.equal(st?.defaultEntry, pin.knownGoodEntry);
        strict_1.default.ok(!st?.entries.some((e) => e.startsWith('kernel-rollout-trial')), st?.entries.join(' '));
    });
});
//# sourceMappingURL=activities-systemd-boot.test.js.map