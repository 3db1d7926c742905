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
 * The rehearsal worker's VM activities on real parts: qemu (TCG) booting the testbed image from
 * an overlay, the product's SSH transport into it, QMP, and a real sshd as the artifact host that
 * keeps the serial log.
 *
 * - startRehearsalVm boots the VM and answers once SSH does (with the image's host key, checked).
 * - The VM outlives the process that started it: a second start (a retried activity on a new
 *   worker) re-attaches to it instead of booting another; the boot id is unchanged.
 * - A guest reset through the QMP socket it returns brings the VM back (a fresh qemu on the same
 *   disk, the supervisor's job): a new boot id.
 * - stopRehearsalVm ends every process of the VM, removes its disk, and keeps the serial log and
 *   the outcome on the artifact host, next to the package. A second stop is harmless.
 *
 * Runs with the other e2e tests, or alone with KERNEL_ROLLOUT_E2E=rehearsal.
 */
const strict_1 = __importDefault(require("node:assert/strict"));
const node_fs_1 = require("node:fs");
const node_os_1 = require("node:os");
const path = __importStar(require("node:path"));
const node_test_1 = require("node:test");
const testing_1 = require("@temporalio/testing");
const rehearsal_1 = require("../../src/activities/rehearsal");
const connect_1 = require("../../src/activities/ssh/connect");
const qmp_client_1 = require("../../src/node/qmp-client");
const rehearsal_types_1 = require("../../src/shared/rehearsal-types");
const sshd_1 = require("../../testbed/sshd");
const vm_1 = require("../../testbed/vm");
const tiers_1 = require("./tiers");
const log = (line) => process.stderr.write(`[rehearsal-vm] ${line}\n`);
async function bootId(vm) {
    const s = await (0, connect_1.connectTo)(vm.target, { connectTimeoutMs: 20_000 });
    try {
        return (await s.run('cat /proc/sys/kernel/random/boot_id')).trim();
    }
    finally {
        s.close();
    }
}
/** Polls the VM's boot id until it is not `old` (after a reset), within `ms`. */
async function newBootId(vm, old, ms) {
    const deadline = Date.now() + ms;
    let last = '';
    for (;;) {
        try {
            const id = await bootId(vm);
            if (id !== old)
                return id;
            last = 'same boot id';
        }
        catch (err) {
            last = err.message;
        }
        if (Date.now() > deadline)
            strict_1.default.fail(`no new boot within ${ms} ms (${last})`);
        await new Promise((r) => setTimeout(r, 2000));
    }
}
function pidsOf(dir) {
    const vm = JSON.parse((0, node_fs_1.readFileSync)(path.join(dir, 'vm.json'), 'utf8'));
    try {
        process.kill(vm.pid, 0);
        return [vm.pid];
    }
    catch {
        return [];
    }
}
if ((0, tiers_1.e2eSelected)('rehearsal')) {
    (0, node_test_1.test)('rehearsal VM: boots, outlives its starter, comes back from a QMP reset, stops and keeps its serial log', async (t) => {
        const image = await (0, vm_1.ensureImage)({ log });
        const slot = await (0, vm_1.takeVmSlot)('rehearsal-vm', log);
        t.after(() => (0, vm_1.releaseVmSlot)(slot));
        const sshd = await (0, sshd_1.startSshd)({ users: ['root'] });
        t.after(() => sshd.stop());
        const config = {
            imageDir: image.dir,
            stateDir: (0, node_fs_1.mkdtempSync)(path.join((0, node_os_1.tmpdir)(), 'kr-reh-')),
            memoryMiB: 1536,
            cpus: 1,
            bootTimeoutSeconds: 900,
        };
        const acts = (0, rehearsal_1.createRehearsalActivities)(config, (0, rehearsal_types_1.rehearsalQueueOf)('e2e'));
        const env = new testing_1.MockActivityEnvironment();
        const start = () => env.run(acts.startRehearsalVm, { rehearsalId: 'e2e-1' });
        const stop = (req) => env.run(acts.stopRehearsalVm, req);
        const dir = path.join(config.stateDir, 'e2e-1');
        t.after(async () => {
            if ((0, node_fs_1.existsSync)(dir))
                await stop({ rehearsalId: 'e2e-1', outcome: 'vm-failed', reason: 'test cleanup' });
        });
        const t0 = Date.now();
        const vm = await start();
        log(`booted in ${vm.bootSeconds} s (${Math.round((Date.now() - t0) / 1000)} s), ssh port ${vm.target.port}`);
        strict_1.default.equal(vm.reattached, false);
        const first = await bootId(vm);
        // A retried start finds the VM running: no second VM, the same boot.
        const again = await start();
        strict_1.default.equal(again.reattached, true);
        strict_1.default.equal(again.target.port, vm.target.port);
        strict_1.default.equal(await bootId(again), first);
        // The per-host workflow's power driver resets it through this socket: it comes back.
        await (0, qmp_client_1.qmpExecute)(vm.qmpSocket, ['system_reset']);
        const second = await newBootId(vm, first, 900_000);
        strict_1.default.notEqual(second, first);
        // Kept next to a package on the artifact host (here: a path on the loopback sshd).
        const debDir = (0, node_fs_1.mkdtempSync)(path.join((0, node_os_1.tmpdir)(), 'kr-artifact-'));
        const record = await stop({
            rehearsalId: 'e2e-1',
            keepWith: {
                host: (0, sshd_1.sshdTarget)(sshd, 'artifact-host'),
                debPath: path.join(debDir, 'linux-image-6.1.0-99_amd64.deb'),
            },
            outcome: 'upgraded',
            reason: 'the test says so',
        });
        strict_1.default.deepEqual(pidsOf(dir), [], 'no process of the VM is left');
        strict_1.default.equal((0, node_fs_1.existsSync)(path.join(dir, 'disk.qcow2')), false, 'the disk is gone');
        strict_1.default.equal(record.artifactHost?.dir, path.join(debDir, 'rehearsals', 'e2e-1'));
        const serial = (0, node_fs_1.readFileSync)(path.join(debDir, 'rehearsals', 'e2e-1', 'serial.log'), 'latin1');
        strict_1.default.equal(serial.split('Linux version ').length - 1, 2, 'the serial log has both boots');
        strict_1.default.equal(serial.length, record.worker.serialLogBytes);
        const outcome = JSON.parse((0, node_fs_1.readFileSync)(path.join(debDir, 'rehearsals', 'e2e-1', 'outcome.json'), 'utf8'));
        strict_1.default.equal(outcome.outcome, 'upgraded');
        // Stopping again (a retried activity) is harmless.
        await stop({ rehearsalId: 'e2e-1', outcome: 'upgraded', reason: 'again' });
    });
}
//# sourceMappingURL=rehearsal-vm.test.js.map