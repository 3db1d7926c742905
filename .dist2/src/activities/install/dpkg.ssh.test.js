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
 * The dpkg seam against a real shell: OpenSSH's sshd on loopback (testbed/sshd.ts), logged in as
 * root on this Debian machine, with kernel-rollout's state directory in a temporary one. Nothing
 * is installed or removed here: the kernels asked about do not exist. The parsers on captured
 * output: dpkg.test.ts.
 */
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const node_fs_1 = require("node:fs");
const node_os_1 = require("node:os");
const path = __importStar(require("node:path"));
const ssh_1 = require("../ssh");
const sshd_1 = require("../../../testbed/sshd");
const dpkg_1 = require("./dpkg");
const ABSENT = '0.0.1-kernel-rollout-test-amd64';
const SHA = 'a'.repeat(64);
(0, node_test_1.describe)('dpkg over SSH (real sshd, real dpkg)', () => {
    let sshd;
    let s;
    let stateDir;
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
        stateDir = (0, node_fs_1.mkdtempSync)(path.join((0, node_os_1.tmpdir)(), 'kr-dpkg-'));
    });
    (0, node_test_1.after)(async () => {
        s?.close();
        await sshd?.stop();
        if (stateDir)
            (0, node_fs_1.rmSync)(stateDir, { recursive: true, force: true });
    });
    (0, node_test_1.test)('its preflight commands run and parse (in a container: no kernel package)', async () => {
        const dpkg = (0, dpkg_1.createDpkg)({ stateDir });
        const kernels = await s.exec(dpkg.installedKernelsSection[1]);
        strict_1.default.ok(kernels.code === 0 || /no packages found matching linux-image-\*/.test(kernels.stderr), kernels.stderr);
        for (const release of dpkg.parseInstalledKernels(kernels.stdout))
            strict_1.default.match(release, /^\d+\.\d+/);
        const lock = await s.exec(dpkg.lockSection[1]);
        strict_1.default.equal(dpkg.parseLocked(lock.stdout), false);
    });
    (0, node_test_1.test)('a kernel that is not installed: not installed, its files missing, so nothing recorded', async () => {
        const dpkg = (0, dpkg_1.createDpkg)({ stateDir });
        strict_1.default.deepEqual(await dpkg.probe(s, ABSENT), { installed: false, recorded: null });
        strict_1.default.equal(await dpkg.recordInstalled(s, ABSENT, SHA), `/boot/vmlinuz-${ABSENT} or its initrd`);
        strict_1.default.equal((0, node_fs_1.existsSync)(path.join(stateDir, `installed-${ABSENT}.sha256`)), false, 'nothing recorded');
    });
    (0, node_test_1.test)('what an install records, once its files are in place, is read back by the next probe', async () => {
        const bootDir = (0, node_fs_1.mkdtempSync)(path.join(stateDir, 'boot-'));
        const dpkg = (0, dpkg_1.createDpkg)({ stateDir, bootDir });
        (0, node_fs_1.writeFileSync)(path.join(bootDir, `vmlinuz-${ABSENT}`), '');
        strict_1.default.equal(await dpkg.recordInstalled(s, ABSENT, SHA), `${bootDir}/vmlinuz-${ABSENT} or its initrd`);
        (0, node_fs_1.writeFileSync)(path.join(bootDir, `initrd.img-${ABSENT}`), '');
        strict_1.default.equal(await dpkg.recordInstalled(s, ABSENT, SHA), null);
        strict_1.default.equal((0, node_fs_1.readFileSync)(path.join(stateDir, `installed-${ABSENT}.sha256`), 'utf8'), `${SHA}\n`);
        strict_1.default.deepEqual(await dpkg.probe(s, ABSENT), { installed: false, recorded: SHA });
    });
    (0, node_test_1.test)('installing a file that is not a package fails with dpkg saying why', async () => {
        const dpkg = (0, dpkg_1.createDpkg)({ stateDir });
        const notADeb = path.join(stateDir, 'not a package.deb');
        await s.run(`echo nonsense > '${notADeb}'`);
        const r = await dpkg.installFile(s, notADeb);
        strict_1.default.notEqual(r.code, 0);
        strict_1.default.match(r.stderr, /not a Debian format archive|dpkg-deb/);
    });
});
//# sourceMappingURL=dpkg.ssh.test.js.map