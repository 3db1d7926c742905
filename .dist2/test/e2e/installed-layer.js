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
Object.defineProperty(exports, "__esModule", { value: true });
exports.LAYER_SLOT_PRIORITY = void 0;
exports.installedLayer = installedLayer;
/**
 * The "installed" disk layer for scenarios 2-6: a VM booted from the testbed image on which
 * kernel-rollout's own pinKnownGood and installKernel activities already ran (the newer kernel's
 * .deb uploaded, checked and installed, its sha256 recorded, GRUB_DEFAULT=saved with the old
 * kernel pinned), then powered off cleanly. Its qcow2 overlay becomes the backing file of those
 * scenarios' overlays.
 *
 * Why: under TCG the install is the slowest step of a run (update-initramfs alone takes about
 * 100 s of one core, the whole install 2.5-4.5 min), it is the same in every scenario, and the
 * subject of scenarios 2-6 is the trial boot. Their runs still go through every step: pin and
 * install take their idempotent paths ("already pinned", "already installed"), which is what a
 * retried run does on a real host. Scenario 1, the conformance test and the demo install from
 * scratch. Built once per `npm run test:e2e` process (never cached across runs, so it always
 * comes from the code under test); the file lives in a temp dir removed at exit.
 */
const node_fs_1 = require("node:fs");
const node_os_1 = require("node:os");
const path = __importStar(require("node:path"));
const activities_1 = require("../../src/activities");
const vm_1 = require("../../testbed/vm");
/** Its rank for a VM slot (testbed/vm.ts): five scenarios wait for this VM, so it goes first. */
exports.LAYER_SLOT_PRIORITY = 3;
let layer;
let layerDir;
process.on('exit', () => {
    if (layerDir)
        (0, node_fs_1.rmSync)(layerDir, { recursive: true, force: true });
});
/** The image with the install already done; built on first use, then shared. */
function installedLayer(image, artifactsDir, log) {
    layer ??= buildLayer(image, artifactsDir, log);
    return layer;
}
async function buildLayer(image, artifactsDir, log) {
    const t0 = Date.now();
    const vm = await (0, vm_1.bootVm)({ image, name: 'installed-layer', artifactsDir, log, slotPriority: exports.LAYER_SLOT_PRIORITY });
    try {
        const target = {
            host: 'testbed-installed-layer',
            address: '127.0.0.1',
            port: vm.sshPort,
            user: 'root',
            privateKeyPath: vm.privateKeyPath,
            knownHostsPath: vm.knownHostsPath,
            trustOnFirstUse: false,
        };
        const activities = (0, activities_1.createActivities)();
        const source = { kind: 'deb', localPath: image.kernels.newDeb, sha256: image.kernels.newDebSha256 };
        // The drivers preflight finds, passed on as the workflow does.
        const facts = await activities.preflight({ target, toRelease: image.kernels.new, source, useKexec: false });
        const drivers = { bootloader: facts.bootloader.kind ?? undefined, packageManager: facts.packageManager };
        await activities.pinKnownGood({ target, knownGoodRelease: image.kernels.old, ...drivers });
        const installed = await activities.installKernel({ target, toRelease: image.kernels.new, source, ...drivers });
        if (installed.alreadyInstalled)
            throw new Error('installed layer: the fresh VM already had the kernel installed');
        const uname = await vm.sshCmd('uname -r; sync');
        if (uname.stdout.trim() !== image.kernels.old)
            throw new Error(`installed layer: running ${uname.stdout.trim()}`);
        // A clean power-off: qemu exits once the guest is down and its disk is complete.
        await vm.sshCmd('systemctl poweroff', { timeoutMs: 60_000 });
        const deadline = Date.now() + 300_000;
        while (vm.isRunning()) {
            if (Date.now() > deadline)
                throw new Error('installed layer: the VM did not power off within 300 s');
            await new Promise((r) => setTimeout(r, 500));
        }
        layerDir = (0, node_fs_1.mkdtempSync)(path.join((0, node_os_1.tmpdir)(), 'krvm-layer-'));
        const disk = path.join(layerDir, 'installed.qcow2');
        (0, node_fs_1.renameSync)(vm.diskPath, disk);
        log(`installed layer ready in ${Math.round((Date.now() - t0) / 1000)} s (install ${installed.seconds} s): ${disk}`);
        return { ...image, baseImage: disk };
    }
    finally {
        await vm.stop();
    }
}
//# sourceMappingURL=installed-layer.js.map