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
const strict_1 = __importDefault(require("node:assert/strict"));
const node_child_process_1 = require("node:child_process");
const node_fs_1 = require("node:fs");
const node_util_1 = require("node:util");
const path = __importStar(require("node:path"));
const node_test_1 = require("node:test");
const simulator_1 = require("../../sim/simulator");
const helpers_1 = require("./helpers");
const fixture = (name) => (0, node_fs_1.readFileSync)(path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'debian12', name), 'utf8').replace(/^# captured from[^\n]*\n/, '');
/** Until the boot id differs from `before` (SSH answering again), or fail after ms. */
async function waitBack(sim, host, before, ms) {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
        const r = await (0, helpers_1.ssh)(sim, host, 'cat /proc/sys/kernel/random/boot_id', 5000);
        if (r.code === 0 && r.stdout.trim() !== before)
            return r.stdout.trim();
        await new Promise((res) => setTimeout(res, 200));
    }
    throw new Error(`${host} did not come back within ${ms} ms`);
}
(0, node_test_1.describe)('fleet simulator: simulated hosts over real OpenSSH', () => {
    let sim;
    (0, node_test_1.before)(async () => {
        sim = await (0, simulator_1.startSimulator)({
            hosts: [
                { name: 'web-01' },
                { name: 'web-02' },
                { name: 'panicky', faults: { kernels: { [helpers_1.NEW]: 'panic' } } },
                { name: 'hangs', faults: { kernels: { [helpers_1.NEW]: 'hang' } } },
            ],
            bootSeconds: 1,
        });
    });
    (0, node_test_1.after)(async () => {
        await sim?.stop();
    });
    (0, node_test_1.it)('answers a real ssh client that checks the host key, with the facts of the Debian 12 testbed', async () => {
        const out = await (0, helpers_1.sshOk)(sim, 'web-01', 'uname -r; df -B1 --output=avail /boot; findmnt -n -o SOURCE,FSTYPE,TARGET -T /boot; cat /proc/cmdline');
        strict_1.default.equal(out, [fixture('uname-r.txt'), fixture('df-boot.txt'), fixture('findmnt-boot.txt'), fixture('proc-cmdline.txt')]
            .map((s) => s.replace(/\s+$/, '') + '\n')
            .join(''));
        // update-grub's output for one kernel and GRUB_DEFAULT=0 is byte for byte the real one.
        strict_1.default.equal(await (0, helpers_1.sshOk)(sim, 'web-01', 'cat /boot/grub/grub.cfg'), fixture('grub.cfg'));
        strict_1.default.equal(await (0, helpers_1.sshOk)(sim, 'web-01', 'cat /etc/default/grub'), fixture('default-grub'));
        const log = sim.commands('web-01').map((c) => c.command);
        strict_1.default.ok(log.includes('cat /boot/grub/grub.cfg'));
    });
    (0, node_test_1.it)('refuses a client that does not know the host key (StrictHostKeyChecking=yes)', async () => {
        const h = sim.host('web-02');
        const other = sim.host('web-01');
        // A known_hosts line with web-01's key for web-02's port: ssh must refuse.
        const wrong = path.join(sim.stateDir, 'wrong_known_hosts');
        (0, node_fs_1.writeFileSync)(wrong, `[127.0.0.1]:${h.port} ${other.hostPublicKey}\n`);
        await strict_1.default.rejects((0, node_util_1.promisify)(node_child_process_1.execFile)('ssh', ['-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=yes', '-o', `UserKnownHostsFile=${wrong}`, '-i', sim.clientKeyPath,
            '-p', String(h.port), 'root@127.0.0.1', 'true']), /Host key verification failed/);
    });
    (0, node_test_1.it)('keeps each host its own state', async () => {
        await (0, helpers_1.sshOk)(sim, 'web-01', "sed -i 's/^GRUB_DEFAULT=.*/GRUB_DEFAULT=saved/' /etc/default/grub && echo one > /tmp/x");
        strict_1.default.match(await (0, helpers_1.sshOk)(sim, 'web-01', 'grep ^GRUB_DEFAULT /etc/default/grub; cat /tmp/x'), /saved\none/);
        strict_1.default.equal(await (0, helpers_1.sshOk)(sim, 'web-02', 'grep ^GRUB_DEFAULT /etc/default/grub; cat /tmp/x 2>&1 || true'), 'GRUB_DEFAULT=0\ncat: /tmp/x: No such file or directory\n'); // prettier-ignore
        strict_1.default.equal(await (0, helpers_1.sshOk)(sim, 'web-02', 'hostname'), 'web-02\n');
        strict_1.default.notEqual(sim.inspect('web-01').bootId, sim.inspect('web-02').bootId);
        await (0, helpers_1.sshOk)(sim, 'web-01', "sed -i 's/^GRUB_DEFAULT=.*/GRUB_DEFAULT=0/' /etc/default/grub");
    });
    (0, node_test_1.it)('reboot: SSH goes away for the boot time and returns with a new boot id and uptime', async () => {
        const before = (await (0, helpers_1.sshOk)(sim, 'web-02', 'cat /proc/sys/kernel/random/boot_id')).trim();
        const started = Date.now();
        await (0, helpers_1.sshOk)(sim, 'web-02', 'systemctl reboot');
        await sim.waitFor('web-02', ['down'], 5000);
        const during = await (0, helpers_1.ssh)(sim, 'web-02', 'true', 5000);
        strict_1.default.notEqual(during.code, 0, 'ssh must fail while the host boots');
        const after = await waitBack(sim, 'web-02', before, 10_000);
        strict_1.default.ok(Date.now() - started >= 1000, 'not back before the boot time');
        strict_1.default.notEqual(after, before);
        const uptime = Number((await (0, helpers_1.sshOk)(sim, 'web-02', 'cut -d" " -f1 /proc/uptime')).trim());
        strict_1.default.ok(uptime < 5, `uptime ${uptime}`);
        const st = sim.inspect('web-02');
        strict_1.default.equal(st.rebootsRequested, 1);
        strict_1.default.equal(st.bootCount, 2);
    });
    (0, node_test_1.it)('grub-reboot boots the new kernel once, then the saved default again (GRUB_DEFAULT=saved)', async () => {
        const install = await (0, helpers_1.ssh)(sim, 'web-01', `apt-get install -y linux-image-${helpers_1.NEW}`);
        strict_1.default.equal(install.code, 0, install.stderr);
        strict_1.default.match(install.stdout, /Setting up linux-image-6\.1\.0-56-cloud-amd64 \(6\.1\.192-2\)/);
        strict_1.default.deepEqual(sim.inspect('web-01').installedKernels.sort(), [helpers_1.OLD, helpers_1.NEW]);
        // With Debian's GRUB_DEFAULT=0, the grub.cfg is the real two-kernel one.
        strict_1.default.equal(await (0, helpers_1.sshOk)(sim, 'web-01', 'cat /boot/grub/grub.cfg'), fixture('grub.cfg-two-kernels'));
        await (0, helpers_1.sshOk)(sim, 'web-01', `sed -i 's/^GRUB_DEFAULT=.*/GRUB_DEFAULT=saved/' /etc/default/grub && update-grub 2>/dev/null && ` +
            `grub-set-default '${(0, helpers_1.entryOf)(helpers_1.OLD)}' && grub-reboot '${(0, helpers_1.entryOf)(helpers_1.NEW)}'`);
        strict_1.default.equal(await (0, helpers_1.sshOk)(sim, 'web-01', 'cat /boot/grub/grub.cfg'), fixture('grub.cfg-default-saved'));
        strict_1.default.equal(await (0, helpers_1.sshOk)(sim, 'web-01', 'cat /boot/grub/grubenv'), fixture('grubenv-saved-next-entry'));
        let id = sim.inspect('web-01').bootId;
        await (0, helpers_1.sshOk)(sim, 'web-01', 'reboot');
        id = await waitBack(sim, 'web-01', id, 10_000);
        strict_1.default.equal(await (0, helpers_1.sshOk)(sim, 'web-01', 'uname -r'), `${helpers_1.NEW}\n`);
        strict_1.default.equal(await (0, helpers_1.sshOk)(sim, 'web-01', 'cat /boot/grub/grubenv'), fixture('grubenv-after-trial-boot'));
        await (0, helpers_1.sshOk)(sim, 'web-01', 'shutdown -r now');
        await waitBack(sim, 'web-01', id, 10_000);
        strict_1.default.equal(await (0, helpers_1.sshOk)(sim, 'web-01', 'uname -r'), `${helpers_1.OLD}\n`);
    });
    (0, node_test_1.it)('a kernel that panics with panic=N reboots into the saved default', async () => {
        const h = 'panicky';
        await (0, helpers_1.sshOk)(sim, h, `apt-get install -y linux-image-${helpers_1.NEW} >/dev/null && sed -i -e 's/^GRUB_DEFAULT=.*/GRUB_DEFAULT=saved/' ` +
            `-e 's/^GRUB_CMDLINE_LINUX_DEFAULT=.*/GRUB_CMDLINE_LINUX_DEFAULT="panic=1"/' /etc/default/grub && ` +
            `update-grub 2>/dev/null && grub-set-default '${(0, helpers_1.entryOf)(helpers_1.OLD)}' && grub-reboot '${(0, helpers_1.entryOf)(helpers_1.NEW)}' && reboot`);
        await waitBack(sim, h, sim.inspect(h).bootId, 15_000);
        strict_1.default.equal(await (0, helpers_1.sshOk)(sim, h, 'uname -r'), `${helpers_1.OLD}\n`);
        const boots = sim.inspect(h).boots.map((b) => `${b.release}:${b.outcome}`);
        strict_1.default.deepEqual(boots, [`${helpers_1.OLD}:up`, `${helpers_1.NEW}:panic`, `${helpers_1.OLD}:up`]);
        strict_1.default.equal(sim.inspect(h).nextEntry, null);
    });
    (0, node_test_1.it)('a kernel that hangs stays unreachable until the power driver resets the host', async () => {
        const h = 'hangs';
        await (0, helpers_1.sshOk)(sim, h, `apt-get install -y linux-image-${helpers_1.NEW} >/dev/null && sed -i 's/^GRUB_DEFAULT=.*/GRUB_DEFAULT=saved/' ` +
            `/etc/default/grub && update-grub 2>/dev/null && grub-set-default '${(0, helpers_1.entryOf)(helpers_1.OLD)}' && ` +
            `grub-reboot '${(0, helpers_1.entryOf)(helpers_1.NEW)}' && systemctl reboot`);
        await sim.waitFor(h, ['hung'], 5000);
        await new Promise((r) => setTimeout(r, 1500));
        strict_1.default.notEqual((await (0, helpers_1.ssh)(sim, h, 'true', 5000)).code, 0);
        strict_1.default.equal(sim.inspect(h).state, 'hung');
        // The simulated power driver, as kernel-rollout's `command` driver would call it.
        await (0, node_util_1.promisify)(node_child_process_1.execFile)(process.execPath, [
            path.join(__dirname, '..', '..', 'sim', 'power.js'),
            sim.controlPath,
            h,
        ]);
        await sim.waitFor(h, ['up'], 5000);
        strict_1.default.equal(await (0, helpers_1.sshOk)(sim, h, 'uname -r'), `${helpers_1.OLD}\n`);
        strict_1.default.equal(sim.inspect(h).powerResets, 1);
    });
});
//# sourceMappingURL=simulator.test.js.map