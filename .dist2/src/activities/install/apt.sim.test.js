"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * The apt installer: an install over real SSH on a simulated
 * Debian host (sim/: its apt-get serves the testbed's next kernel) — apt is not run for real on
 * this machine, which must not get a kernel.
 */
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const ssh_1 = require("../ssh");
const simulator_1 = require("../../../sim/simulator");
const apt_1 = require("./apt");
const NEW = '6.1.0-56-cloud-amd64';
(0, node_test_1.describe)('apt installer over SSH (simulated Debian host)', () => {
    let sim;
    let s;
    (0, node_test_1.before)(async () => {
        sim = await (0, simulator_1.startSimulator)({ hosts: [{ name: 'apt-01' }], bootSeconds: 1 });
        s = await ssh_1.SshSession.connect({
            host: '127.0.0.1',
            port: sim.host('apt-01').port,
            user: 'root',
            trustOnFirstUse: false,
            privateKeyPath: sim.clientKeyPath,
            knownHostsPath: sim.knownHostsPath,
        });
    });
    (0, node_test_1.after)(async () => {
        s?.close();
        await sim?.stop();
    });
    (0, node_test_1.test)('installs the package; dpkg then reports the kernel installed with its files', async () => {
        const installer = (0, apt_1.create)();
        const source = { kind: 'apt', packageName: `linux-image-${NEW}` };
        strict_1.default.equal((await installer.packageManager.probe(s, NEW)).installed, false);
        const r = await installer.install(s, source, NEW);
        strict_1.default.equal(r.code, 0, r.stderr);
        strict_1.default.equal(await installer.packageManager.recordInstalled(s, NEW, 'apt'), null, 'its files are in /boot');
        strict_1.default.equal((await installer.packageManager.probe(s, NEW)).installed, true);
        strict_1.default.ok(sim.inspect('apt-01').installedKernels.includes(NEW));
    });
    (0, node_test_1.test)('a package apt does not know fails with apt saying so', async () => {
        const r = await (0, apt_1.create)().install(s, { kind: 'apt', packageName: 'linux-image-0.0.1-nonexistent' }, '0.0.1');
        strict_1.default.notEqual(r.code, 0);
    });
});
//# sourceMappingURL=apt.sim.test.js.map