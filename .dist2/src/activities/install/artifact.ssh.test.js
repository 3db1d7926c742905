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
 * The artifact installer against real shells: OpenSSH's sshd on loopback is the artifact host
 * (where a build left its package) and the target; the package is fetched by this process (the
 * worker), checked, uploaded and handed to the real dpkg, which refuses a file that is not a
 * package (so nothing is installed here). A successful install runs on a simulated Debian host.
 * The source's schema: artifact.test.ts.
 */
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const node_crypto_1 = require("node:crypto");
const node_fs_1 = require("node:fs");
const node_os_1 = require("node:os");
const path = __importStar(require("node:path"));
const ssh_1 = require("../ssh");
const sshd_1 = require("../../../testbed/sshd");
const simulator_1 = require("../../../sim/simulator");
const dpkg_1 = require("./dpkg");
const artifact_1 = require("./artifact");
const NEW = '6.1.192-kr0123abcd';
const sha256 = (text) => (0, node_crypto_1.createHash)('sha256').update(text).digest('hex');
(0, node_test_1.describe)('artifact installer over SSH (real sshd as artifact host and target, real dpkg)', () => {
    let sshd;
    let s;
    let dir;
    const host = () => (0, sshd_1.sshdTarget)(sshd, 'artifacts');
    (0, node_test_1.before)(async () => {
        sshd = await (0, sshd_1.startSshd)({ users: ['root'] });
        s = await ssh_1.SshSession.connect({
            host: sshd.address,
            port: sshd.port,
            user: 'root',
            trustOnFirstUse: false,
            privateKeyPath: sshd.clientKeyPath,
            knownHostsPath: sshd.knownHostsPath,
        });
        dir = (0, node_fs_1.mkdtempSync)(path.join((0, node_os_1.tmpdir)(), 'kr-artifact-'));
    });
    (0, node_test_1.after)(async () => {
        s?.close();
        await sshd?.stop();
        if (dir)
            (0, node_fs_1.rmSync)(dir, { recursive: true, force: true });
    });
    const installer = () => (0, artifact_1.create)({
        uploadDir: path.join(dir, 'uploads'),
        stateDir: path.join(dir, 'state'),
        packageManager: (0, dpkg_1.createDpkg)({ stateDir: path.join(dir, 'state') }),
    });
    (0, node_test_1.test)('a package whose sha256 differs on the artifact host is refused; nothing reaches the target', async () => {
        const built = path.join(dir, 'changed.deb');
        (0, node_fs_1.writeFileSync)(built, 'changed after the build\n');
        await strict_1.default.rejects(installer().install(s, { kind: 'artifact', host: host(), path: built, sha256: sha256('as built\n') }, NEW), (err) => err.name === 'DownloadChecksumError' && /expected sha256/.test(err.message));
        strict_1.default.equal((await s.exec(`test -e ${path.join(dir, 'uploads')}`)).code, 1);
    });
    (0, node_test_1.test)('fetched, checked, uploaded intact, then handed to dpkg -i', async () => {
        const built = path.join(dir, `linux-image-${NEW}_6.1.192-kr0123abcd-1_amd64.deb`);
        (0, node_fs_1.writeFileSync)(built, 'not a package\n');
        const r = await installer().install(s, { kind: 'artifact', host: host(), path: built, sha256: sha256('not a package\n') }, NEW);
        strict_1.default.equal((0, node_fs_1.readFileSync)(path.join(dir, 'uploads', path.basename(built)), 'utf8'), 'not a package\n');
        strict_1.default.notEqual(r.code, 0);
        strict_1.default.match(r.stderr, /not a Debian format archive|dpkg-deb/);
    });
});
(0, node_test_1.describe)('artifact installer over SSH (simulated Debian host as target)', () => {
    let sim;
    let sshd;
    let s;
    let dir;
    (0, node_test_1.before)(async () => {
        sim = await (0, simulator_1.startSimulator)({ hosts: [{ name: 'art-01' }], bootSeconds: 1 });
        sshd = await (0, sshd_1.startSshd)({ users: ['root'] });
        s = await ssh_1.SshSession.connect({
            host: '127.0.0.1',
            port: sim.host('art-01').port,
            user: 'root',
            trustOnFirstUse: false,
            privateKeyPath: sim.clientKeyPath,
            knownHostsPath: sim.knownHostsPath,
        });
        dir = (0, node_fs_1.mkdtempSync)(path.join((0, node_os_1.tmpdir)(), 'kr-artifact-'));
    });
    (0, node_test_1.after)(async () => {
        s?.close();
        await sim?.stop();
        await sshd?.stop();
        if (dir)
            (0, node_fs_1.rmSync)(dir, { recursive: true, force: true });
    });
    (0, node_test_1.test)('installs the package fetched from the artifact host', async () => {
        const text = 'not a real package: the simulator reads the name\n';
        const built = path.join(dir, `linux-image-${NEW}_6.1.192-kr0123abcd-1_amd64.deb`);
        (0, node_fs_1.writeFileSync)(built, text);
        const source = {
            kind: 'artifact',
            host: {
                host: 'builder',
                address: sshd.address,
                port: sshd.port,
                user: 'root',
                privateKeyPath: sshd.clientKeyPath,
                knownHostsPath: sshd.knownHostsPath,
                trustOnFirstUse: false,
            },
            path: built,
            sha256: sha256(text),
        };
        const r = await (0, artifact_1.create)().install(s, source, NEW);
        strict_1.default.equal(r.code, 0, r.stderr);
        strict_1.default.ok(sim.inspect('art-01').installedKernels.includes(NEW));
    });
});
//# sourceMappingURL=artifact.ssh.test.js.map