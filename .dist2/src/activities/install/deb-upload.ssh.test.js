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
 * The .deb installer against a real shell: OpenSSH's sshd on loopback (testbed/sshd.ts), root on
 * this machine, uploads into a temporary directory. A file that is not a package shows the whole
 * path (checksum, SFTP upload, checksum on the host, dpkg -i) without installing anything; a
 * successful install runs on a simulated Debian host. The source's schema: deb-upload.test.ts.
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
const deb_upload_1 = require("./deb-upload");
const NEW = '6.1.0-56-cloud-amd64';
const sha256 = (text) => (0, node_crypto_1.createHash)('sha256').update(text).digest('hex');
(0, node_test_1.describe)('.deb installer over SSH (real sshd, real dpkg)', () => {
    let sshd;
    let s;
    let dir;
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
        dir = (0, node_fs_1.mkdtempSync)(path.join((0, node_os_1.tmpdir)(), 'kr-deb-'));
    });
    (0, node_test_1.after)(async () => {
        s?.close();
        await sshd?.stop();
        if (dir)
            (0, node_fs_1.rmSync)(dir, { recursive: true, force: true });
    });
    const installer = () => (0, deb_upload_1.create)({
        uploadDir: path.join(dir, 'uploads'),
        stateDir: path.join(dir, 'state'),
        packageManager: (0, dpkg_1.createDpkg)({ stateDir: path.join(dir, 'state') }),
    });
    (0, node_test_1.test)('a file whose sha256 differs from the source is refused before anything is uploaded', async () => {
        const local = path.join(dir, 'changed.deb');
        (0, node_fs_1.writeFileSync)(local, 'changed\n');
        await strict_1.default.rejects(installer().install(s, { kind: 'deb', localPath: local, sha256: sha256('original\n') }, NEW), (err) => err.type === 'UploadChecksumError' && err.nonRetryable === true && /refusing to upload/.test(err.message));
        strict_1.default.equal((await s.exec(`test -e ${path.join(dir, 'uploads')}`)).code, 1);
    });
    (0, node_test_1.test)('uploaded intact, then handed to dpkg -i (which refuses a file that is not a package)', async () => {
        const local = path.join(dir, `linux-image-${NEW}_1_amd64.deb`);
        (0, node_fs_1.writeFileSync)(local, 'not a package\n');
        const r = await installer().install(s, { kind: 'deb', localPath: local, sha256: sha256('not a package\n') }, NEW);
        strict_1.default.equal((0, node_fs_1.readFileSync)(path.join(dir, 'uploads', path.basename(local)), 'utf8'), 'not a package\n');
        strict_1.default.notEqual(r.code, 0);
        strict_1.default.match(r.stderr, /not a Debian format archive|dpkg-deb/);
    });
});
(0, node_test_1.describe)('.deb installer over SSH (simulated Debian host)', () => {
    let sim;
    let s;
    (0, node_test_1.before)(async () => {
        sim = await (0, simulator_1.startSimulator)({ hosts: [{ name: 'deb-01' }], bootSeconds: 1 });
        s = await ssh_1.SshSession.connect({
            host: '127.0.0.1',
            port: sim.host('deb-01').port,
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
    (0, node_test_1.test)('installs the uploaded kernel package', async () => {
        const text = 'not a real package: the simulator reads the name\n';
        const local = path.join(sim.stateDir, `linux-image-${NEW}_6.1.192-2_amd64.deb`);
        (0, node_fs_1.writeFileSync)(local, text);
        const r = await (0, deb_upload_1.create)().install(s, { kind: 'deb', localPath: local, sha256: sha256(text) }, NEW);
        strict_1.default.equal(r.code, 0, r.stderr);
        strict_1.default.ok(sim.inspect('deb-01').installedKernels.includes(NEW));
    });
});
//# sourceMappingURL=deb-upload.ssh.test.js.map