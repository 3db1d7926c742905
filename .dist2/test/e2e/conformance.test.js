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
 * Conformance of the fleet simulator with the real testbed VM of the platform this run is on
 * (KERNEL_ROLLOUT_PLATFORM, see tiers.ts): on bios-grub the GRUB transcript of
 * test/conformance/transcript.ts (install a kernel .deb, pin, stage a one-shot trial, reboot,
 * reboot again, clear and commit), on systemd-boot the one of test/conformance/sdboot-transcript.ts
 * (install, pin, stage the counted trial entry and the one-shot, reboot, reboot again, commit,
 * reboot). Each runs on a real VM and then on a simulated host of the same kind set up like the
 * testbed image; the normalised state after every step must be the same. On a mismatch the test
 * prints, step by step, what the VM showed and what the simulator showed: fix the model
 * (sim/model.ts, sim/tools/krsim; sim/systemd-boot.ts, sim/tools/krsim-sdboot) and sim/MODEL.md,
 * not this test.
 *
 * One VM boot and two or three reboots: about 6-8 minutes here under TCG on bios-grub, most of it
 * `dpkg -i` and the reboots; a little longer on systemd-boot (OVMF). Runs with the other e2e tests
 * (`npm run test:e2e`); KERNEL_ROLLOUT_E2E picks it by the name `conformance` or
 * `conformance@systemd-boot`.
 *
 * Leaves in test-artifacts/e2e/ (bios-grub) or test-artifacts/e2e/<platform>/: conformance-vm.json
 * (the VM's run in the format of test/fixtures/debian12/conformance-transcript.json resp.
 * test/fixtures/systemd-boot/conformance-transcript.json, which test/sim/conformance.test.ts checks
 * the simulator against on every `npm run test:sim`; copy it there when the transcript or the image
 * changes), conformance-sim.json, conformance-diff.txt (when they differ), and the VM's serial log.
 */
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const node_fs_1 = require("node:fs");
const path = __importStar(require("node:path"));
const node_crypto_1 = require("node:crypto");
const simulator_1 = require("../../sim/simulator");
const common_1 = require("../conformance/common");
const transcript_1 = require("../conformance/transcript");
const sdboot_transcript_1 = require("../conformance/sdboot-transcript");
const vm_1 = require("../../testbed/vm");
const tiers_1 = require("./tiers");
const root = path.join(__dirname, '..', '..', '..');
const log = (line) => process.stderr.write(`[conformance] ${line}\n`);
const platform = (0, tiers_1.currentPlatform)();
/** Per platform: its transcript, the simulated host's bootloader, the package named in the provenance. */
const PLATFORMS = {
    'bios-grub': () => conformance('bios-grub', transcript_1.GRUB_TRANSCRIPT, 'grub', 'grub-pc'),
    'systemd-boot': () => conformance('systemd-boot', sdboot_transcript_1.SDBOOT_TRANSCRIPT, 'systemd-boot', 'systemd-boot'),
};
if ((0, tiers_1.e2eSelected)('conformance')) {
    (0, node_test_1.test)("conformance: the simulator shows what the real VM shows after every step of its platform's transcript", async () => {
        const run = platform === 'no-vm' ? undefined : PLATFORMS[platform];
        strict_1.default.ok(run, `no conformance transcript for the platform ${platform}`);
        await run();
    });
}
async function conformance(platform, transcript, bootloader, loaderPackage) {
    strict_1.default.ok((0, node_fs_1.existsSync)('/usr/bin/bwrap'), 'the simulator needs bubblewrap: apt-get install -y bubblewrap');
    // bios-grub keeps the place its artifacts always had; the others get their own directory.
    const artifacts = path.join(root, 'test-artifacts', 'e2e', ...(platform === 'bios-grub' ? [] : [platform]));
    (0, node_fs_1.mkdirSync)(artifacts, { recursive: true });
    (0, node_fs_1.rmSync)(path.join(artifacts, 'conformance-diff.txt'), { force: true });
    const t0 = Date.now();
    const image = await (0, vm_1.ensureImage)({ log, platform });
    const input = {
        oldRelease: image.kernels.old,
        newRelease: image.kernels.new,
        debName: path.basename(image.kernels.newDeb),
        debBytes: (0, node_fs_1.readFileSync)(image.kernels.newDeb),
    };
    const tBoot = Date.now();
    const vm = await (0, vm_1.bootVm)({
        image,
        name: `conformance-${(0, node_crypto_1.randomUUID)().slice(0, 6)}`,
        artifactsDir: artifacts,
        log,
        slotPriority: 2, // ~10 min: one of the long VMs, started early
    });
    const vmBootSeconds = (Date.now() - tBoot) / 1000;
    let vmRun;
    let provenance;
    try {
        const facts = await vm.sshCmd(`cat /etc/debian_version; dpkg-query -W -f='\${Version}' ${loaderPackage}`);
        const [debian = '?', loader = '?'] = facts.stdout.trim().split('\n');
        vmRun = await (0, common_1.runTranscriptOf)(transcript, (0, common_1.vmConformanceHost)(vm, log), input, log);
        provenance =
            `testbed VM (${platform}, image ${path.basename(image.dir)}, Debian ${debian}, ${loaderPackage} ${loader}, qemu TCG), ` +
                `${new Date().toISOString()}; ${vm.bootsSeen()} boots on the serial console`;
    }
    finally {
        await vm.stop();
    }
    (0, node_fs_1.writeFileSync)(path.join(artifacts, 'conformance-vm.json'), `${JSON.stringify((0, common_1.recordRun)(vmRun, input, provenance), null, 2)}\n`);
    strict_1.default.ok(vmRun.initial, `the VM could not be read at all: ${vmRun.error ?? ''}`);
    const sim = await (0, simulator_1.startSimulator)({
        hosts: [(0, common_1.testbedLikeHost)('testbed-twin', vmRun.initial, bootloader)],
        bootSeconds: 2,
    });
    let simRun;
    try {
        simRun = await (0, common_1.runTranscriptOf)(transcript, (0, common_1.simConformanceHost)(sim, 'testbed-twin'), input, log, 60_000);
    }
    finally {
        await sim.stop();
    }
    (0, node_fs_1.writeFileSync)(path.join(artifacts, 'conformance-sim.json'), `${JSON.stringify((0, common_1.recordRun)(simRun, input, 'simulator'), null, 2)}\n`);
    const table = (0, common_1.timingTableOf)(transcript.steps, [vmRun, simRun]);
    process.stdout.write(`\nconformance transcript (${platform}, ${transcript.steps.length} steps), VM boot to SSH ${vmBootSeconds.toFixed(0)} s, ` +
        `test total ${((Date.now() - t0) / 1000).toFixed(0)} s:\n${table}\n`);
    strict_1.default.equal(vmRun.error, undefined, `the transcript did not run to the end on the VM: ${vmRun.error ?? ''}`);
    const diff = (0, common_1.diffRunsOf)(transcript.fields, vmRun, simRun);
    if (diff) {
        (0, node_fs_1.writeFileSync)(path.join(artifacts, 'conformance-diff.txt'), `${diff}\n`);
        strict_1.default.fail(`the simulator differs from the real VM (sim/MODEL.md is the model to fix):\n${diff}`);
    }
}
//# sourceMappingURL=conformance.test.js.map