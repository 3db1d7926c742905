"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * The simulator against recorded runs of the real testbed VMs: each conformance transcript on a
 * simulated host set up like the testbed image must show, after every step, the state the VM
 * showed. GRUB (bios-grub): test/conformance/transcript.ts against
 * test/fixtures/debian12/conformance-transcript.json (written by test/e2e/conformance.test.ts as
 * test-artifacts/e2e/conformance-vm.json). systemd-boot: test/conformance/sdboot-transcript.ts
 * against test/fixtures/systemd-boot/conformance-transcript.json (written as
 * test-artifacts/e2e/systemd-boot/conformance-vm.json). The e2e test compares with a live VM; this
 * one keeps the model honest on every `npm run test:sim`, in seconds. A failure here means the
 * model changed: fix sim/model.ts, sim/tools/krsim, sim/systemd-boot.ts, sim/tools/krsim-sdboot or
 * sim/MODEL.md — or, if the transcript changed, re-record with `KERNEL_ROLLOUT_E2E=conformance npm
 * run test:e2e` (systemd-boot: `KERNEL_ROLLOUT_E2E=conformance@systemd-boot
 * KERNEL_ROLLOUT_PLATFORM=systemd-boot`) and copy the artifact over the fixture.
 */
const strict_1 = __importDefault(require("node:assert/strict"));
const node_fs_1 = require("node:fs");
const path = __importStar(require("node:path"));
const node_test_1 = require("node:test");
const simulator_1 = require("../../sim/simulator");
const transcript_1 = require("../conformance/transcript");
const sdboot_transcript_1 = require("../conformance/sdboot-transcript");
const FIXTURES = path.join(__dirname, '..', '..', '..', 'test', 'fixtures');
const FIXTURE = path.join(FIXTURES, 'debian12', 'conformance-transcript.json');
const SDBOOT_FIXTURE = path.join(FIXTURES, 'systemd-boot', 'conformance-transcript.json');
/** The simulator's dpkg reads the release and version from the file name, not its contents. */
const STAND_IN_DEB = Buffer.from('stand-in for the kernel package\n');
(0, node_test_1.test)('conformance: the simulator shows what the recorded real VM showed after every step', async () => {
    const recorded = JSON.parse((0, node_fs_1.readFileSync)(FIXTURE, 'utf8'));
    strict_1.default.deepEqual(recorded.states.map((s) => s.step), transcript_1.TRANSCRIPT.map((s) => s.title), 'the transcript changed since the VM run was recorded: re-record it (see the top of this file)');
    const sim = await (0, simulator_1.startSimulator)({
        hosts: [(0, transcript_1.testbedLikeHost)('testbed-twin', { packages: recorded.initialPackages })],
        bootSeconds: 1,
    });
    try {
        const run = await (0, transcript_1.runTranscript)((0, transcript_1.simConformanceHost)(sim, 'testbed-twin'), { ...recorded.input, debBytes: STAND_IN_DEB }, undefined, 30_000);
        const diff = (0, transcript_1.diffRuns)({ host: 'VM (recorded)', states: recorded.states }, run);
        if (diff)
            strict_1.default.fail(`the simulator differs from the recorded VM run (${recorded.provenance}):\n${diff}`);
    }
    finally {
        await sim.stop();
    }
});
/**
 * What docs/safety.md's argument for skipping update-grub rests on, as the real VM showed it:
 * pinned without regenerating, the kernel package's own hook made grub.cfg read the saved default
 * (still the old kernel); the trial entry lived only in custom.cfg, GRUB booted it once from there,
 * then the saved default; committing left no trial entry anywhere.
 */
(0, node_test_1.test)('the recorded VM run: no update-grub needed around the install, the trial booted from custom.cfg', () => {
    const recorded = JSON.parse((0, node_fs_1.readFileSync)(FIXTURE, 'utf8'));
    const { oldRelease, newRelease } = recorded.input;
    const state = (prefix) => {
        const found = recorded.states.find((s) => s.step.startsWith(prefix));
        strict_1.default.ok(found, `a step "${prefix}…" in the recording`);
        return found;
    };
    const savedEntry = (s) => s.grubenv.find((l) => l.startsWith('saved_entry='));
    const oldSaved = `saved_entry=gnulinux-advanced-<uuid>>gnulinux-${oldRelease}-advanced-<uuid>`;
    const pinned = state('pin:');
    strict_1.default.deepEqual(pinned.grubDefault, ['${next_entry}', '0'], 'pinned without update-grub: the literal default 0');
    strict_1.default.match(pinned.menu[0] ?? '', new RegExp(`^gnulinux-simple-<uuid>: linux /boot/vmlinuz-${oldRelease} `));
    strict_1.default.equal(savedEntry(pinned), oldSaved);
    const installed = state('dpkg -i');
    strict_1.default.deepEqual(installed.grubDefault, ['${next_entry}', '${saved_entry}'], "the package's hook regenerated it");
    strict_1.default.equal(savedEntry(installed), oldSaved, 'the saved default is still the old kernel');
    strict_1.default.match(installed.menu[0] ?? '', new RegExp(`vmlinuz-${newRelease} `), 'entry 0 would have booted the new one');
    const staged = state('stage:');
    strict_1.default.deepEqual(staged.menu, installed.menu, 'grub.cfg unchanged by staging');
    strict_1.default.equal(staged.customMenu.length, 1);
    strict_1.default.match(staged.customMenu[0] ?? '', /^kernel-rollout-trial: linux .* panic=10 oops=panic kernel_rollout\.trial=/);
    const trial = state('reboot: GRUB boots next_entry once');
    strict_1.default.equal(trial.kernel, newRelease);
    strict_1.default.match(trial.cmdline, /kernel_rollout\.trial=CONFORMANCE/);
    strict_1.default.equal(state('reboot again').kernel, oldRelease);
    const committed = state('clear and commit');
    strict_1.default.deepEqual(committed.customMenu, []);
    strict_1.default.deepEqual(committed.menu, installed.menu, 'grub.cfg unchanged by committing');
});
(0, node_test_1.test)('conformance (systemd-boot): the simulator shows what the recorded real UEFI VM showed after every step', async () => {
    const recorded = JSON.parse((0, node_fs_1.readFileSync)(SDBOOT_FIXTURE, 'utf8'));
    strict_1.default.deepEqual(recorded.states.map((s) => s.step), sdboot_transcript_1.SDBOOT_TRANSCRIPT_STEPS.map((s) => s.title), 'the transcript changed since the VM run was recorded: re-record it (see the top of this file)');
    const sim = await (0, simulator_1.startSimulator)({
        hosts: [(0, transcript_1.testbedLikeHost)('testbed-twin', { packages: recorded.initialPackages }, 'systemd-boot')],
        bootSeconds: 1,
    });
    try {
        const run = await (0, sdboot_transcript_1.runSdTranscript)((0, transcript_1.simConformanceHost)(sim, 'testbed-twin'), { ...recorded.input, debBytes: STAND_IN_DEB }, undefined, 30_000);
        const diff = (0, sdboot_transcript_1.diffSdRuns)({ host: 'VM (recorded)', states: recorded.states }, run);
        if (diff)
            strict_1.default.fail(`the simulator differs from the recorded VM run (${recorded.provenance}):\n${diff}`);
    }
    finally {
        await sim.stop();
    }
});
/**
 * What the systemd-boot driver rests on, as the real UEFI VM showed it: systemd-boot 252 knows the
 * trial entry by its name with the counter (the one-shot id trialOneShotId picks), boots it once,
 * counts it down to +0-1 and removes the one-shot; the new kernel's own entry marked +0 is not
 * booted by itself; committing leaves no trial entry or drop-in and the new kernel boots with its
 * own options.
 */
(0, node_test_1.test)('the recorded systemd-boot VM run: the counted trial entry booted once by its one-shot id, then the default', () => {
    const recorded = JSON.parse((0, node_fs_1.readFileSync)(SDBOOT_FIXTURE, 'utf8'));
    const { oldRelease, newRelease } = recorded.input;
    const state = (prefix) => {
        const found = recorded.states.find((s) => s.step.startsWith(prefix));
        strict_1.default.ok(found, `a step "${prefix}…" in the recording`);
        return found;
    };
    const files = (s) => s.entries.map((e) => e.slice(0, e.indexOf(':')));
    const oldEntry = `<machine-id>-${oldRelease}.conf`;
    const newEntry = `<machine-id>-${newRelease}.conf`;
    const staged = state('stage:');
    strict_1.default.deepEqual(files(staged), [oldEntry, `<machine-id>-${newRelease}+0.conf`, 'kernel-rollout-trial+1.conf']);
    strict_1.default.ok(staged.efiVars.includes('LoaderEntryOneShot=kernel-rollout-trial+1.conf'));
    const trial = state('reboot: the loader boots the one-shot');
    strict_1.default.equal(trial.kernel, newRelease);
    strict_1.default.match(trial.cmdline, / panic=10 oops=panic kernel_rollout\.trial=CONFORMANCE$/);
    strict_1.default.ok(trial.efiVars.includes('LoaderEntrySelected=kernel-rollout-trial+1.conf'), 'the id keeps the counter');
    strict_1.default.ok(!trial.efiVars.some((v) => v.startsWith('LoaderEntryOneShot=')), 'the loader removed the one-shot');
    strict_1.default.deepEqual(files(trial), [oldEntry, `<machine-id>-${newRelease}+0.conf`, 'kernel-rollout-trial+0-1.conf']);
    const again = state('reboot again');
    strict_1.default.equal(again.kernel, oldRelease);
    strict_1.default.deepEqual(files(again), files(trial), 'nothing counted on the default boot');
    const committed = state('commit:');
    strict_1.default.deepEqual(files(committed), [oldEntry, newEntry]);
    strict_1.default.deepEqual(committed.loaderConfDefault, [newEntry]);
    strict_1.default.deepEqual(committed.dropins, []);
    const last = recorded.states[recorded.states.length - 1];
    strict_1.default.equal(last?.kernel, newRelease);
    strict_1.default.ok(last.efiVars.includes(`LoaderEntrySelected=${newEntry}`));
    strict_1.default.doesNotMatch(last.cmdline, /kernel_rollout\.trial|panic=/);
});
//# sourceMappingURL=conformance.test.js.map