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
const net = __importStar(require("node:net"));
const os = __importStar(require("node:os"));
const path = __importStar(require("node:path"));
const node_test_1 = require("node:test");
const node_util_1 = require("node:util");
const ssh_1 = require("../../src/activities/ssh");
const sshd_1 = require("../../testbed/sshd");
const execFileP = (0, node_util_1.promisify)(node_child_process_1.execFile);
async function exists(p) {
    try {
        await node_fs_1.promises.access(p);
        return true;
    }
    catch {
        return false;
    }
}
function keyLine(k) {
    return k.publicKey.split(/\s+/).slice(0, 2).join(' ');
}
/** A TCP server on 127.0.0.1 that accepts and never says a word. */
async function silentServer() {
    const sockets = [];
    const srv = net.createServer((s) => sockets.push(s));
    await new Promise((r) => srv.listen(0, '127.0.0.1', () => r()));
    const a = srv.address();
    return {
        port: typeof a === 'object' && a ? a.port : 1,
        sockets,
        close: async () => {
            for (const s of sockets)
                s.destroy();
            await new Promise((r) => srv.close(r));
        },
    };
}
(0, node_test_1.describe)('SshSession.connect: host key verification and authentication', () => {
    let sshd;
    let dir;
    let otherKey;
    const target = (extra = {}) => ({
        host: '127.0.0.1',
        port: sshd.port,
        user: 'root',
        trustOnFirstUse: false,
        privateKeyPath: sshd.clientKeyPath,
        knownHostsPath: sshd.knownHostsPath,
        connectTimeoutMs: 10_000,
        ...extra,
    });
    (0, node_test_1.before)(async () => {
        sshd = await (0, sshd_1.startSshd)();
        dir = await node_fs_1.promises.mkdtemp(path.join(os.tmpdir(), 'kr-conn-'));
        otherKey = await (0, sshd_1.generateKeyPair)(dir, 'other');
    });
    (0, node_test_1.after)(async () => {
        await sshd?.stop();
        await node_fs_1.promises.rm(dir, { recursive: true, force: true });
    });
    (0, node_test_1.it)('connects with a matching known_hosts entry and runs a command', async () => {
        const out = await (0, ssh_1.withSsh)(target(), (s) => s.run('echo hi'));
        strict_1.default.equal(out, 'hi\n');
    });
    (0, node_test_1.it)('connects with a pinned fingerprint (known_hosts not consulted)', async () => {
        strict_1.default.equal((0, ssh_1.fingerprintSha256)(sshd.hostKeyBlob), sshd.hostFingerprint);
        const out = await (0, ssh_1.withSsh)(target({ hostKeySha256: sshd.hostFingerprint, knownHostsPath: path.join(dir, 'does-not-exist') }), (s) => s.run('echo pinned'));
        strict_1.default.equal(out, 'pinned\n');
    });
    (0, node_test_1.it)('refuses a wrong pinned fingerprint with HostKeyMismatchError', async () => {
        const wrong = (0, ssh_1.fingerprintSha256)(otherKey.keyBlob);
        await strict_1.default.rejects(ssh_1.SshSession.connect(target({ hostKeySha256: wrong })), (e) => {
            strict_1.default.ok(e instanceof ssh_1.HostKeyMismatchError, String(e));
            strict_1.default.equal(e.name, 'HostKeyMismatchError');
            strict_1.default.equal(e.presentedFingerprint, sshd.hostFingerprint);
            strict_1.default.ok(e.message.startsWith(`root@127.0.0.1:${sshd.port}: `), e.message);
            strict_1.default.ok(e.message.includes(wrong) && e.message.includes(sshd.hostFingerprint), e.message);
            return true;
        });
    });
    (0, node_test_1.it)('refuses a mismatched known_hosts key with HostKeyMismatchError and runs nothing', async () => {
        const kh = path.join(dir, 'kh_mismatch');
        await node_fs_1.promises.writeFile(kh, `[127.0.0.1]:${sshd.port} ${keyLine(otherKey)}\n`);
        const marker = path.join(dir, 'marker-mismatch');
        let fnCalled = false;
        await strict_1.default.rejects((0, ssh_1.withSsh)(target({ knownHostsPath: kh, trustOnFirstUse: true }), async (s) => {
            fnCalled = true;
            return s.run(`touch ${marker}`);
        }), (e) => {
            strict_1.default.ok(e instanceof ssh_1.HostKeyMismatchError, String(e));
            strict_1.default.equal(e.retryable, false);
            strict_1.default.equal(e.presentedFingerprint, sshd.hostFingerprint);
            strict_1.default.deepEqual(e.expectedFingerprints, [`${(0, ssh_1.fingerprintSha256)(otherKey.keyBlob)} (ssh-ed25519)`]);
            strict_1.default.match(e.message, /man-in-the-middle/);
            strict_1.default.match(e.message, /ssh-keygen -R/);
            return true;
        });
        strict_1.default.equal(fnCalled, false);
        strict_1.default.equal(await exists(marker), false, 'no command may run after a host key mismatch');
        // trust-on-first-use must not have rewritten the file
        strict_1.default.equal(await node_fs_1.promises.readFile(kh, 'utf8'), `[127.0.0.1]:${sshd.port} ${keyLine(otherKey)}\n`);
    });
    (0, node_test_1.it)('refuses a revoked host key even with trust-on-first-use', async () => {
        const kh = path.join(dir, 'kh_revoked');
        await node_fs_1.promises.writeFile(kh, `@revoked * ${sshd.hostPublicKey}\n[127.0.0.1]:${sshd.port} ${sshd.hostPublicKey}\n`);
        await strict_1.default.rejects(ssh_1.SshSession.connect(target({ knownHostsPath: kh, trustOnFirstUse: true })), (e) => {
            strict_1.default.ok(e instanceof ssh_1.HostKeyMismatchError, String(e));
            strict_1.default.equal(e.revoked, true);
            strict_1.default.match(e.message, /REVOKED/);
            return true;
        });
    });
    (0, node_test_1.it)('a host known only with another key type is refused (the server is not allowed to pick a new type)', async () => {
        const kh = path.join(dir, 'kh_othertype');
        // An RSA key for this host: we then offer only RSA host key algorithms; the server has none.
        const rsaPath = path.join(dir, 'rsa');
        await execFileP('ssh-keygen', ['-q', '-t', 'rsa', '-b', '2048', '-N', '', '-f', rsaPath]);
        const rsaLine = (await node_fs_1.promises.readFile(`${rsaPath}.pub`, 'utf8')).split(/\s+/).slice(0, 2).join(' ');
        await node_fs_1.promises.writeFile(kh, `[127.0.0.1]:${sshd.port} ${rsaLine}\n`);
        await strict_1.default.rejects(ssh_1.SshSession.connect(target({ knownHostsPath: kh, trustOnFirstUse: true })), (e) => {
            strict_1.default.ok(e instanceof ssh_1.HostKeyMismatchError, String(e));
            strict_1.default.match(e.message, /rsa-sha2-512/);
            return true;
        });
    });
    (0, node_test_1.it)('refuses an unknown host with UnknownHostKeyError that says how to fix it', async () => {
        const kh = path.join(dir, 'kh_empty');
        await node_fs_1.promises.writeFile(kh, `# nothing here\nother.example ${sshd.hostPublicKey}\n`);
        for (const knownHostsPath of [kh, path.join(dir, 'missing', 'known_hosts')]) {
            await strict_1.default.rejects(ssh_1.SshSession.connect(target({ knownHostsPath })), (e) => {
                strict_1.default.ok(e instanceof ssh_1.UnknownHostKeyError, String(e));
                strict_1.default.equal(e.name, 'UnknownHostKeyError');
                strict_1.default.equal(e.presentedFingerprint, sshd.hostFingerprint);
                strict_1.default.ok(e.message.startsWith(`root@127.0.0.1:${sshd.port}: `), e.message);
                strict_1.default.ok(e.message.includes(`--host-key-sha256 ${sshd.hostFingerprint}`), e.message);
                strict_1.default.match(e.message, /known_hosts/);
                strict_1.default.match(e.message, /trust-on-first-use/);
                return true;
            });
        }
        strict_1.default.equal(await exists(path.join(dir, 'missing')), false, 'a refused host must not create known_hosts');
    });
    (0, node_test_1.it)('trust-on-first-use records the key, then refuses a different key on the same host:port', async () => {
        const kh = path.join(dir, 'tofu', 'ssh', 'known_hosts');
        strict_1.default.equal(await (0, ssh_1.withSsh)(target({ knownHostsPath: kh, trustOnFirstUse: true }), (s) => s.run('echo first')), 'first\n');
        strict_1.default.equal(await node_fs_1.promises.readFile(kh, 'utf8'), `[127.0.0.1]:${sshd.port} ${sshd.hostPublicKey}\n`);
        strict_1.default.equal((await node_fs_1.promises.stat(kh)).mode & 0o777, 0o600);
        strict_1.default.equal((await node_fs_1.promises.stat(path.dirname(kh))).mode & 0o777, 0o700);
        // Second time the recorded key matches; nothing is appended, TOFU not even needed.
        strict_1.default.equal(await (0, ssh_1.withSsh)(target({ knownHostsPath: kh }), (s) => s.run('echo second')), 'second\n');
        strict_1.default.equal((await node_fs_1.promises.readFile(kh, 'utf8')).split('\n').filter(Boolean).length, 1);
        // Replace the server with one that has a different host key, on the same port.
        const port = sshd.port;
        await sshd.stop();
        sshd = await (0, sshd_1.startSshd)({ port });
        strict_1.default.equal(sshd.port, port);
        const marker = path.join(dir, 'marker-tofu');
        await strict_1.default.rejects((0, ssh_1.withSsh)(target({ knownHostsPath: kh, trustOnFirstUse: true }), (s) => s.run(`touch ${marker}`)), (e) => {
            strict_1.default.ok(e instanceof ssh_1.HostKeyMismatchError, String(e));
            strict_1.default.equal(e.presentedFingerprint, sshd.hostFingerprint);
            return true;
        });
        strict_1.default.equal(await exists(marker), false);
        strict_1.default.equal((await node_fs_1.promises.readFile(kh, 'utf8')).split('\n').filter(Boolean).length, 1, 'TOFU must not append on mismatch');
    });
    (0, node_test_1.it)('authenticates with an ssh-agent', async () => {
        const agent = await sshd.startAgent();
        const t = target({ agentSocket: agent.socket });
        delete t.privateKeyPath;
        strict_1.default.equal(await (0, ssh_1.withSsh)(t, (s) => s.run('echo agent')), 'agent\n');
    });
    (0, node_test_1.it)('an agent without the authorized key fails with AuthFailedError', async () => {
        const { startSshAgent } = await Promise.resolve().then(() => __importStar(require('../../testbed/sshd')));
        const agent = await startSshAgent(dir, otherKey.privateKeyPath);
        try {
            const t = target({ agentSocket: agent.socket });
            delete t.privateKeyPath;
            await strict_1.default.rejects(ssh_1.SshSession.connect(t), ssh_1.AuthFailedError);
        }
        finally {
            await agent.stop();
        }
    });
    (0, node_test_1.it)('a wrong private key fails with AuthFailedError (and the message does not leak the key)', async () => {
        const keyText = await node_fs_1.promises.readFile(otherKey.privateKeyPath, 'utf8');
        await strict_1.default.rejects(ssh_1.SshSession.connect(target({ privateKeyPath: otherKey.privateKeyPath })), (e) => {
            strict_1.default.ok(e instanceof ssh_1.AuthFailedError, String(e));
            strict_1.default.equal(e.name, 'AuthFailedError');
            strict_1.default.equal(e.retryable, false);
            strict_1.default.ok(e.message.startsWith(`root@127.0.0.1:${sshd.port}: authentication failed`), e.message);
            strict_1.default.ok(!e.message.includes('PRIVATE KEY') && !e.message.includes(keyText.split('\n')[1] ?? 'x'));
            return true;
        });
    });
    (0, node_test_1.it)('a missing key file fails with AuthFailedError before connecting', async () => {
        await strict_1.default.rejects(ssh_1.SshSession.connect(target({ privateKeyPath: path.join(dir, 'no-such-key') })), ssh_1.AuthFailedError);
    });
    (0, node_test_1.it)('a closed port fails with a retryable ConnectFailedError', async () => {
        const port = await new Promise((resolve) => {
            const srv = net.createServer().listen(0, '127.0.0.1', () => {
                const a = srv.address();
                srv.close(() => resolve(typeof a === 'object' && a ? a.port : 1));
            });
        });
        await strict_1.default.rejects(ssh_1.SshSession.connect(target({ port })), (e) => {
            strict_1.default.ok(e instanceof ssh_1.ConnectFailedError, String(e));
            strict_1.default.equal(e.retryable, true);
            strict_1.default.equal(e.code, 'ECONNREFUSED');
            return true;
        });
    });
    (0, node_test_1.it)('bannerTimeoutMs: a port that accepts and stays silent is given up after it, not after connectTimeoutMs', async () => {
        const { port, sockets, close } = await silentServer();
        const started = Date.now();
        try {
            await strict_1.default.rejects(ssh_1.SshSession.connect(target({ port, connectTimeoutMs: 20_000, bannerTimeoutMs: 300 })), (e) => {
                strict_1.default.ok(e instanceof ssh_1.ConnectFailedError, String(e));
                strict_1.default.match(e.message, /no SSH banner within 300 ms/);
                return true;
            });
            strict_1.default.ok(Date.now() - started < 5000, `gave up after ${Date.now() - started} ms`);
            strict_1.default.equal(sockets.length, 1);
        }
        finally {
            await close();
        }
    });
    (0, node_test_1.it)('bannerTimeoutMs: the banner read first is handed to the SSH client (a real sshd, a real command)', async () => {
        const s = await ssh_1.SshSession.connect(target({ bannerTimeoutMs: 5000 }));
        try {
            strict_1.default.equal((await s.run('echo banner-ok')).trim(), 'banner-ok');
        }
        finally {
            s.close();
        }
        // A closed port still says so, with its code, through the banner path.
        const closed = await new Promise((resolve) => {
            const srv = net.createServer().listen(0, '127.0.0.1', () => {
                const ad = srv.address();
                srv.close(() => resolve(typeof ad === 'object' && ad ? ad.port : 1));
            });
        });
        await strict_1.default.rejects(ssh_1.SshSession.connect(target({ port: closed, bannerTimeoutMs: 5000 })), (e) => {
            strict_1.default.ok(e instanceof ssh_1.ConnectFailedError, String(e));
            strict_1.default.equal(e.code, 'ECONNREFUSED');
            return true;
        });
    });
    (0, node_test_1.it)('a server that never speaks SSH fails with ConnectFailedError after connectTimeoutMs', async () => {
        const { port, close } = await silentServer();
        const started = Date.now();
        try {
            await strict_1.default.rejects(ssh_1.SshSession.connect(target({ port, connectTimeoutMs: 500 })), (e) => {
                strict_1.default.ok(e instanceof ssh_1.ConnectFailedError, String(e));
                strict_1.default.equal(e.code, 'ETIMEDOUT');
                return true;
            });
            strict_1.default.ok(Date.now() - started < 3000);
        }
        finally {
            await close();
        }
    });
});
//# sourceMappingURL=connection.test.js.map