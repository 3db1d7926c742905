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
 * `kernelctl build` checks the build host, the source and the config's host before it starts
 * anything: each bad flag exits 2 naming it, and Temporal (a TCP listener standing in, counting
 * connections) is never contacted. The build host is a real sshd on loopback.
 */
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const node_child_process_1 = require("node:child_process");
const node_fs_1 = require("node:fs");
const node_net_1 = require("node:net");
const node_os_1 = require("node:os");
const path = __importStar(require("node:path"));
const sshd_1 = require("../../testbed/sshd");
const free_port_1 = require("../../src/node/free-port");
const kernelctl = path.join(__dirname, '..', '..', '..', 'bin', 'kernelctl.js');
(0, node_test_1.describe)('kernelctl build: bad flags refused before anything starts', () => {
    let server;
    let address = '';
    let connections = 0;
    let sshd;
    let dir;
    let emptyKnownHosts;
    (0, node_test_1.before)(async () => {
        server = (0, node_net_1.createServer)((s) => {
            connections += 1;
            s.destroy();
        });
        await new Promise((r) => server.listen(0, '127.0.0.1', () => r()));
        address = `127.0.0.1:${server.address().port}`;
        sshd = await (0, sshd_1.startSshd)({ users: ['root'] });
        dir = (0, node_fs_1.mkdtempSync)(path.join((0, node_os_1.tmpdir)(), 'kr-build-check-'));
        emptyKnownHosts = path.join(dir, 'known_hosts');
        (0, node_fs_1.writeFileSync)(emptyKnownHosts, '');
    });
    (0, node_test_1.after)(async () => {
        server.close();
        await sshd?.stop();
        if (dir)
            (0, node_fs_1.rmSync)(dir, { recursive: true, force: true });
    });
    const buildHost = () => `root@${sshd.address}:${sshd.port}`;
    const ssh = () => ['-i', sshd.clientKeyPath, '--known-hosts', sshd.knownHostsPath];
    async function refused(args) {
        const child = (0, node_child_process_1.spawn)(process.execPath, [kernelctl, 'build', ...args, '--address', address]);
        let stderr = '';
        child.stderr.on('data', (b) => (stderr += b.toString()));
        const code = await new Promise((r) => child.on('exit', r));
        strict_1.default.equal(code, 2, `exit 2 (bad input):\n${stderr}`);
        strict_1.default.match(stderr, /^kernelctl build( prune)?: invalid input, nothing was started:\n/);
        strict_1.default.equal(connections, 0, 'Temporal was never contacted');
        return stderr;
    }
    (0, node_test_1.test)('a build host that refuses connections: --build-host', async () => {
        const port = await (0, free_port_1.freePort)();
        const stderr = await refused([
            '--build-host',
            `root@127.0.0.1:${port}`,
            '--source',
            'debian:6.1',
            '--config',
            'make:tinyconfig',
            ...ssh(),
        ]);
        strict_1.default.match(stderr, /--build-host: cannot use 127\.0\.0\.1 over SSH: /);
    });
    (0, node_test_1.test)('an unknown host key: --build-host, and the pin flag build takes', async () => {
        const stderr = await refused([
            '--build-host',
            buildHost(),
            '--source',
            'debian:6.1',
            '--config',
            'make:tinyconfig',
            '-i',
            sshd.clientKeyPath,
            '--known-hosts',
            emptyKnownHosts,
        ]);
        strict_1.default.match(stderr, /--build-host: cannot use .* is not known/);
        strict_1.default.ok(stderr.includes(`--build-host-key-sha256 ${sshd.hostFingerprint}`), stderr);
        strict_1.default.doesNotMatch(stderr, / --host-key-sha256/);
    });
    (0, node_test_1.test)('a Debian source that does not exist: --source', async () => {
        const stderr = await refused([
            '--build-host',
            buildHost(),
            '--source',
            'debian:6.99',
            '--config',
            'make:tinyconfig',
            ...ssh(),
        ]);
        strict_1.default.match(stderr, /--source: linux-source-6\.99 is not installed on the build host/);
    });
    (0, node_test_1.test)('a missing tarball: --source', async () => {
        const stderr = await refused([
            '--build-host',
            buildHost(),
            '--source',
            `tarball:${dir}/linux-6.1.99.tar.xz`,
            '--config',
            'make:tinyconfig',
            ...ssh(),
        ]);
        strict_1.default.ok(stderr.includes(`--source: ${dir}/linux-6.1.99.tar.xz does not exist on the build host`), stderr);
    });
    (0, node_test_1.test)("the config's host with an unknown key: --config, its own pin flag; --config-identity is its own key", async () => {
        (0, node_fs_1.writeFileSync)(path.join(dir, 'linux.tar.xz'), '');
        const stderr = await refused([
            '--build-host',
            buildHost(),
            '--source',
            `tarball:${dir}/linux.tar.xz`,
            '--config',
            `localmodconfig:root@${sshd.address}:${sshd.port}`,
            ...ssh(),
            '--config-identity',
            sshd.clientKeyPath,
            '--config-host-key-sha256',
            'SHA256:' + 'A'.repeat(43),
        ]);
        strict_1.default.match(stderr, /--config: cannot use 127\.0\.0\.1 over SSH: .*HOST KEY MISMATCH/s);
        strict_1.default.match(stderr, /--config-host-key-sha256/);
    });
    (0, node_test_1.test)('build prune over SSH: no Temporal needed; bad flags refused naming them', async () => {
        const root = path.join(dir, 'builds');
        const key = path.join(root, 'c000000000000001');
        (0, node_fs_1.mkdirSync)(path.join(key, 'obj'), { recursive: true });
        (0, node_fs_1.writeFileSync)(path.join(key, 'obj', 'vmlinux.o'), Buffer.alloc(2 * 1048576));
        (0, node_fs_1.writeFileSync)(path.join(key, 'linux-image-6.1.192-kr1_1_amd64.deb'), 'deb');
        const child = (0, node_child_process_1.spawn)(process.execPath, [
            kernelctl,
            'build',
            'prune',
            '--build-host',
            buildHost(),
            '--build-root',
            root,
            '--keep-packages',
            ...ssh(),
            '--address',
            address,
        ]);
        let stdout = '';
        child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
        strict_1.default.equal(await new Promise((r) => child.on('exit', r)), 0);
        strict_1.default.match(stdout, /^c000000000000001: objects and debug package removed, package kept \(2 MiB\)$/m);
        strict_1.default.equal((0, node_fs_1.existsSync)(path.join(key, 'obj')), false);
        strict_1.default.equal((0, node_fs_1.existsSync)(path.join(key, 'linux-image-6.1.192-kr1_1_amd64.deb')), true);
        strict_1.default.equal(connections, 0);
        const stderr = await refused(['prune', '--build-host', buildHost(), '--build-root', '/etc/kernel', ...ssh()]);
        strict_1.default.match(stderr, /^ {2}--build-root: must not be in a system directory/m);
    });
});
//# sourceMappingURL=kernelctl-build-check.test.js.map