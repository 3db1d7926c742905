"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/** Per-host faults other than the kernel's own: each as a client (OpenSSH or kernel-rollout) sees it. */
const strict_1 = __importDefault(require("node:assert/strict"));
const node_test_1 = require("node:test");
const ssh_1 = require("../../src/activities/ssh");
const simulator_1 = require("../../sim/simulator");
const helpers_1 = require("./helpers");
(0, node_test_1.describe)('fleet simulator faults', () => {
    let sim;
    (0, node_test_1.before)(async () => {
        sim = await (0, simulator_1.startSimulator)({
            hosts: [
                {
                    name: 'drops',
                    faults: { dropMidCommand: { pattern: '^sleep 2; echo done > /tmp/finished$', afterMs: 300 } },
                },
                { name: 'locked' },
                { name: 'full', faults: { bootFreeBytes: 10 * 1024 * 1024 } },
                { name: 'rekeyed', faults: { hostKeyChangesOnReboot: true } },
                { name: 'slow', faults: { bootSeconds: 3 } },
            ],
            bootSeconds: 1,
        });
    });
    (0, node_test_1.after)(async () => {
        await sim?.stop();
    });
    (0, node_test_1.it)('SSH drop mid-command: the client loses the connection, the command still finishes on the host', async () => {
        const r = await (0, helpers_1.ssh)(sim, 'drops', 'sleep 2; echo done > /tmp/finished');
        strict_1.default.equal(r.code, 255, r.stderr);
        await new Promise((res) => setTimeout(res, 2500));
        strict_1.default.equal(await (0, helpers_1.sshOk)(sim, 'drops', 'cat /tmp/finished'), 'done\n');
    });
    (0, node_test_1.it)('dpkg lock held: lslocks shows it, dpkg -i fails at once, apt-get waits for it with DPkg::Lock::Timeout', async () => {
        strict_1.default.equal(await (0, helpers_1.sshOk)(sim, 'locked', 'lslocks -n -o PATH'), '');
        sim.setFaults('locked', { dpkgLockSeconds: 3 });
        strict_1.default.match(await (0, helpers_1.sshOk)(sim, 'locked', 'lslocks -n -o PATH'), /^\/var\/lib\/dpkg\/lock-frontend$/m);
        const dpkg = await (0, helpers_1.ssh)(sim, 'locked', 'touch /tmp/x.deb; dpkg -i /tmp/x.deb');
        strict_1.default.equal(dpkg.code, 2);
        strict_1.default.match(dpkg.stderr, /dpkg frontend lock was locked by another process/);
        const noWait = await (0, helpers_1.ssh)(sim, 'locked', `apt-get install -y linux-image-${helpers_1.NEW}`);
        strict_1.default.equal(noWait.code, 100);
        strict_1.default.match(noWait.stderr, /Could not get lock \/var\/lib\/dpkg\/lock-frontend/);
        const waits = await (0, helpers_1.ssh)(sim, 'locked', `apt-get -o DPkg::Lock::Timeout=30 install -y linux-image-${helpers_1.NEW}`);
        strict_1.default.equal(waits.code, 0, waits.stderr);
        strict_1.default.match(waits.stderr, /Waiting for cache lock/);
        strict_1.default.equal(await (0, helpers_1.sshOk)(sim, 'locked', 'lslocks -n -o PATH'), '');
    });
    (0, node_test_1.it)('/boot full: df shows it and the install fails as dpkg does', async () => {
        strict_1.default.equal(await (0, helpers_1.sshOk)(sim, 'full', 'df -B1 --output=avail /boot | tail -n 1'), `${10 * 1024 * 1024}\n`);
        const r = await (0, helpers_1.ssh)(sim, 'full', `apt-get install -y linux-image-${helpers_1.NEW}`);
        strict_1.default.equal(r.code, 100);
        strict_1.default.match(r.stderr, /No space left on device/);
        strict_1.default.deepEqual(sim.inspect('full').installedKernels, ['6.1.0-55-cloud-amd64']);
    });
    (0, node_test_1.it)('host key changed after reboot: OpenSSH and kernel-rollout both refuse the host', async () => {
        const before = sim.host('rekeyed');
        await (0, helpers_1.sshOk)(sim, 'rekeyed', 'systemctl reboot');
        await sim.waitFor('rekeyed', ['down'], 5000);
        await sim.waitFor('rekeyed', ['up'], 10_000);
        strict_1.default.notEqual(sim.host('rekeyed').hostKeyFingerprint, before.hostKeyFingerprint);
        const r = await (0, helpers_1.ssh)(sim, 'rekeyed', 'true');
        strict_1.default.equal(r.code, 255);
        strict_1.default.match(r.stderr, /REMOTE HOST IDENTIFICATION HAS CHANGED/);
        await strict_1.default.rejects(ssh_1.SshSession.connect({
            host: '127.0.0.1',
            port: before.port,
            user: 'root',
            trustOnFirstUse: false,
            privateKeyPath: sim.clientKeyPath,
            knownHostsPath: sim.knownHostsPath,
        }), (err) => err.name === 'HostKeyMismatchError');
    });
    (0, node_test_1.it)('slow boot: this host takes its own boot time', async () => {
        await (0, helpers_1.sshOk)(sim, 'slow', 'reboot');
        const started = Date.now();
        await sim.waitFor('slow', ['down'], 5000);
        await sim.waitFor('slow', ['up'], 10_000);
        const took = Date.now() - started;
        strict_1.default.ok(took >= 2900, `back after ${took} ms`);
    });
});
//# sourceMappingURL=faults.test.js.map