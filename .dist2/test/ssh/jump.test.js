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
 * ProxyJump against real OpenSSH: bastions on 127.0.0.1 / 127.0.0.3, the target on 127.0.0.2.
 * Every sshd runs on this machine, so "did a command run on the target" is a marker file, and
 * "did the connection go through the bastion" is the bastion's own log of the forward
 * (LogLevel DEBUG1 logs each direct-tcpip request) or its refusal with AllowTcpForwarding no.
 */
const strict_1 = __importDefault(require("node:assert/strict"));
const node_fs_1 = require("node:fs");
const net = __importStar(require("node:net"));
const os = __importStar(require("node:os"));
const path = __importStar(require("node:path"));
const node_test_1 = require("node:test");
const activities_1 = require("../../src/activities");
const ssh_1 = require("../../src/activities/ssh");
const sshd_1 = require("../../testbed/sshd");
const TARGET_ADDRESS = '127.0.0.2';
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
function count(text, re) {
    return text.match(new RegExp(re.source, 'g'))?.length ?? 0;
}
async function waitFor(what, cond, timeoutMs = 5000) {
    const deadline = Date.now() + timeoutMs;
    while (!cond()) {
        if (Date.now() > deadline)
            throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 50));
    }
}
/** A log line sshd writes once per successful login. */
const LOGIN_RE = /Accepted publickey for root/;
/** Per-connection sshd children log this when the client logs out. */
const LOGOUT_RE = /Disconnected from user root/;
/** DEBUG1: the bastion was asked to forward to `host:port`. */
function forwardRe(host, port) {
    return new RegExp(`server_request_direct_tcpip: originator 127\\.0\\.0\\.1 port 0, target ${host.replace(/\./g, '\\.')} port ${port}\\b`);
}
(0, node_test_1.describe)('SshSession.connect through bastions (ProxyJump)', () => {
    let bastion;
    let bastion2;
    let noForwarding;
    let target;
    let dir;
    let otherKey;
    const hop = (s, extra = {}) => ({
        host: s.address,
        port: s.port,
        user: 'root',
        trustOnFirstUse: false,
        privateKeyPath: s.clientKeyPath,
        knownHostsPath: s.knownHostsPath,
        ...extra,
    });
    const viaBastion = (extra = {}, jumpHosts = [hop(bastion)]) => ({
        host: target.address,
        port: target.port,
        user: 'root',
        trustOnFirstUse: false,
        privateKeyPath: target.clientKeyPath,
        knownHostsPath: target.knownHostsPath,
        connectTimeoutMs: 10_000,
        jumpHosts,
        ...extra,
    });
    /** Runs `touch marker` on the target if it ever gets there. */
    const tryTouch = async (t, marker) => {
        let fnCalled = false;
        try {
            await (0, ssh_1.withSsh)(t, async (s) => {
                fnCalled = true;
                return s.run(`touch ${marker}`);
            });
        }
        catch (error) {
            return { fnCalled, error };
        }
        return { fnCalled, error: undefined };
    };
    (0, node_test_1.before)(async () => {
        bastion = await (0, sshd_1.startSshd)({ logLevel: 'DEBUG1' });
        bastion2 = await (0, sshd_1.startSshd)({ listenAddress: '127.0.0.3', logLevel: 'DEBUG1' });
        noForwarding = await (0, sshd_1.startSshd)({ allowTcpForwarding: false });
        target = await (0, sshd_1.startSshd)({ listenAddress: TARGET_ADDRESS });
        dir = await node_fs_1.promises.mkdtemp(path.join(os.tmpdir(), 'kr-jump-'));
        otherKey = await (0, sshd_1.generateKeyPair)(dir, 'other');
    });
    (0, node_test_1.after)(async () => {
        for (const s of [bastion, bastion2, noForwarding, target])
            await s?.stop();
        await node_fs_1.promises.rm(dir, { recursive: true, force: true });
    });
    (0, node_test_1.it)('runs commands and uploads through one bastion, which logs the forward to the target', async () => {
        const forwardsBefore = count(bastion.logs(), forwardRe(TARGET_ADDRESS, target.port));
        const local = path.join(dir, 'payload.bin');
        const remote = path.join(dir, 'uploaded.bin');
        await node_fs_1.promises.writeFile(local, 'kernel bytes\n'.repeat(10_000));
        const session = await ssh_1.SshSession.connect(viaBastion());
        try {
            strict_1.default.equal(await session.run('echo through-the-bastion'), 'through-the-bastion\n');
            const r = await session.exec('echo out; echo err >&2; exit 3', { timeoutMs: 10_000 });
            strict_1.default.deepEqual([r.code, r.stdout, r.stderr], [3, 'out\n', 'err\n']);
            const up = await session.upload(local, remote, { mode: 0o600 });
            strict_1.default.equal(up.skipped, false);
            strict_1.default.ok((await node_fs_1.promises.readFile(remote)).equals(await node_fs_1.promises.readFile(local)));
            strict_1.default.equal((await node_fs_1.promises.stat(remote)).mode & 0o777, 0o600);
        }
        finally {
            session.close();
        }
        strict_1.default.equal(count(bastion.logs(), forwardRe(TARGET_ADDRESS, target.port)), forwardsBefore + 1, `the bastion must have forwarded exactly this connection:\n${bastion.logs().slice(-3000)}`);
    });
    (0, node_test_1.it)('closing the session logs out of the target and of the bastion', async () => {
        const session = await ssh_1.SshSession.connect(viaBastion());
        strict_1.default.equal(await session.run('echo up'), 'up\n');
        const targetLogouts = count(target.logs(), LOGOUT_RE);
        const bastionLogouts = count(bastion.logs(), LOGOUT_RE);
        session.close();
        await waitFor('the target to log the logout', () => count(target.logs(), LOGOUT_RE) > targetLogouts);
        await waitFor('the bastion to log the logout', () => count(bastion.logs(), LOGOUT_RE) > bastionLogouts);
        await strict_1.default.rejects(session.run('echo after-close'), ssh_1.ConnectFailedError);
    });
    (0, node_test_1.it)('goes through a chain of two bastions, each forwarding to the next hop', async () => {
        const toSecond = forwardRe(bastion2.address, bastion2.port);
        const toTarget = forwardRe(TARGET_ADDRESS, target.port);
        const before1 = count(bastion.logs(), toSecond);
        const before2 = count(bastion2.logs(), toTarget);
        const direct = count(bastion.logs(), toTarget);
        const out = await (0, ssh_1.withSsh)(viaBastion({}, [hop(bastion), hop(bastion2)]), (s) => s.run('echo two-hops'));
        strict_1.default.equal(out, 'two-hops\n');
        strict_1.default.equal(count(bastion.logs(), toSecond), before1 + 1, 'bastion 1 forwards to bastion 2');
        strict_1.default.equal(count(bastion2.logs(), toTarget), before2 + 1, 'bastion 2 forwards to the target');
        strict_1.default.equal(count(bastion.logs(), toTarget), direct, 'bastion 1 does not connect to the target itself');
    });
    (0, node_test_1.it)('a bastion host key mismatch is refused, names the bastion, and nothing reaches the target', async () => {
        const kh = path.join(dir, 'kh_bastion_wrong');
        await node_fs_1.promises.writeFile(kh, `[127.0.0.1]:${bastion.port} ${keyLine(otherKey)}\n`);
        const marker = path.join(dir, 'marker-bastion-mismatch');
        const targetConnections = count(target.logs(), /Connection from/);
        const bastionLogins = count(bastion.logs(), LOGIN_RE);
        const { fnCalled, error } = await tryTouch(viaBastion({}, [hop(bastion, { knownHostsPath: kh, trustOnFirstUse: true })]), marker);
        strict_1.default.ok(error instanceof ssh_1.HostKeyMismatchError, String(error));
        strict_1.default.equal(error.retryable, false);
        strict_1.default.equal(error.presentedFingerprint, bastion.hostFingerprint);
        strict_1.default.deepEqual(error.via, { host: '127.0.0.1', port: bastion.port, user: 'root', hop: 1, hops: 1 });
        strict_1.default.ok(error.message.startsWith(`root@${TARGET_ADDRESS}:${target.port}: via bastion root@127.0.0.1:${bastion.port}: HOST KEY MISMATCH`), error.message);
        strict_1.default.ok(error.message.includes(`ssh-keygen -R '[127.0.0.1]:${bastion.port}'`), error.message);
        strict_1.default.equal(fnCalled, false);
        strict_1.default.equal(await exists(marker), false, 'no command may run after a bastion host key mismatch');
        strict_1.default.equal(count(bastion.logs(), LOGIN_RE), bastionLogins, 'no authentication to a refused bastion');
        strict_1.default.equal(count(target.logs(), /Connection from/), targetConnections, 'nothing may reach the target');
        strict_1.default.equal(await node_fs_1.promises.readFile(kh, 'utf8'), `[127.0.0.1]:${bastion.port} ${keyLine(otherKey)}\n`);
    });
    (0, node_test_1.it)('the second bastion of a chain with a wrong key is named as bastion 2 of 2', async () => {
        const kh = path.join(dir, 'kh_bastion2_wrong');
        await node_fs_1.promises.writeFile(kh, `[${bastion2.address}]:${bastion2.port} ${keyLine(otherKey)}\n`);
        const marker = path.join(dir, 'marker-bastion2-mismatch');
        const { fnCalled, error } = await tryTouch(viaBastion({}, [hop(bastion), hop(bastion2, { knownHostsPath: kh })]), marker);
        strict_1.default.ok(error instanceof ssh_1.HostKeyMismatchError, String(error));
        strict_1.default.equal(error.via?.hop, 2);
        strict_1.default.match(error.message, new RegExp(`: via bastion 2 of 2 root@127\\.0\\.0\\.3:${bastion2.port}: HOST KEY`));
        strict_1.default.equal(fnCalled, false);
        strict_1.default.equal(await exists(marker), false);
    });
    (0, node_test_1.it)('a target host key mismatch behind a good bastion is refused, names the target, and runs nothing', async () => {
        const kh = path.join(dir, 'kh_target_wrong');
        await node_fs_1.promises.writeFile(kh, `[${TARGET_ADDRESS}]:${target.port} ${keyLine(otherKey)}\n`);
        const marker = path.join(dir, 'marker-target-mismatch');
        const targetLogins = count(target.logs(), LOGIN_RE);
        const { fnCalled, error } = await tryTouch(viaBastion({ knownHostsPath: kh, trustOnFirstUse: true }), marker);
        strict_1.default.ok(error instanceof ssh_1.HostKeyMismatchError, String(error));
        strict_1.default.equal(error.retryable, false);
        strict_1.default.equal(error.via, undefined, 'the target failed, not the bastion');
        strict_1.default.equal(error.presentedFingerprint, target.hostFingerprint);
        strict_1.default.ok(error.message.startsWith(`root@${TARGET_ADDRESS}:${target.port}: HOST KEY MISMATCH`), error.message);
        strict_1.default.ok(error.message.includes(`ssh-keygen -R '[${TARGET_ADDRESS}]:${target.port}'`), error.message);
        strict_1.default.equal(fnCalled, false);
        strict_1.default.equal(await exists(marker), false, 'no command may run after a target host key mismatch');
        strict_1.default.equal(count(target.logs(), LOGIN_RE), targetLogins, 'no authentication to a refused target');
    });
    (0, node_test_1.it)("the target's key is looked up under the target's name and port, not the bastion's", async () => {
        // One known_hosts file for both, listing the target's key only under the bastion's name.
        const kh = path.join(dir, 'kh_target_under_bastion_name');
        await node_fs_1.promises.writeFile(kh, `[127.0.0.1]:${bastion.port} ${bastion.hostPublicKey}\n[127.0.0.1]:${bastion.port} ${target.hostPublicKey}\n`);
        const marker = path.join(dir, 'marker-wrong-name');
        const { error } = await tryTouch(viaBastion({ knownHostsPath: kh }, [hop(bastion, { knownHostsPath: kh })]), marker);
        strict_1.default.ok(error instanceof ssh_1.UnknownHostKeyError, String(error));
        strict_1.default.equal(error.via, undefined);
        strict_1.default.match(error.message, new RegExp(`no entry for \\[127\\.0\\.0\\.2\\]:${target.port}`));
        strict_1.default.match(error.message, /on the bastion in front of it run ssh-keyscan/);
        strict_1.default.equal(await exists(marker), false);
    });
    (0, node_test_1.it)('a bastion with AllowTcpForwarding no fails with a non-retryable ForwardingRefusedError', async () => {
        const targetConnections = count(target.logs(), /Connection from/);
        const { fnCalled, error } = await tryTouch(viaBastion({}, [hop(noForwarding)]), path.join(dir, 'marker-nofwd'));
        strict_1.default.ok(error instanceof ssh_1.ForwardingRefusedError, String(error));
        strict_1.default.equal(error.retryable, false);
        strict_1.default.equal(error.via?.port, noForwarding.port);
        strict_1.default.ok(error.message.startsWith(`root@${TARGET_ADDRESS}:${target.port}: via bastion root@127.0.0.1:${noForwarding.port}: the bastion refused to forward a connection to ${TARGET_ADDRESS}:${target.port}`), error.message);
        strict_1.default.match(error.message, /AllowTcpForwarding/);
        strict_1.default.equal(fnCalled, false);
        strict_1.default.equal(count(target.logs(), /Connection from/), targetConnections);
        await waitFor('the bastion to log the refusal', () => /refused local port forward/.test(noForwarding.logs()));
    });
    (0, node_test_1.it)('a bastion that cannot reach the next hop gives a retryable ConnectFailedError naming the bastion', async () => {
        const closedPort = await new Promise((resolve) => {
            const srv = net.createServer().listen(0, TARGET_ADDRESS, () => {
                const a = srv.address();
                srv.close(() => resolve(typeof a === 'object' && a ? a.port : 1));
            });
        });
        await strict_1.default.rejects(ssh_1.SshSession.connect(viaBastion({ port: closedPort })), (e) => {
            strict_1.default.ok(e instanceof ssh_1.ConnectFailedError, String(e));
            strict_1.default.equal(e.retryable, true);
            strict_1.default.equal(e.code, 'ECONNREFUSED');
            strict_1.default.equal(e.via?.port, bastion.port);
            strict_1.default.match(e.message, new RegExp(`could not open a connection to 127\\.0\\.0\\.2:${closedPort}`));
            return true;
        });
    });
    (0, node_test_1.it)('pinned fingerprints for both hops (no known_hosts consulted); a wrong pin on either is refused', async () => {
        const nowhere = path.join(dir, 'no-such-dir', 'known_hosts');
        const pinnedHop = hop(bastion, { hostKeySha256: bastion.hostFingerprint, knownHostsPath: nowhere });
        const pinned = viaBastion({ hostKeySha256: target.hostFingerprint, knownHostsPath: nowhere }, [pinnedHop]);
        strict_1.default.equal(await (0, ssh_1.withSsh)(pinned, (s) => s.run('echo pinned')), 'pinned\n');
        strict_1.default.equal(await exists(path.dirname(nowhere)), false);
        const wrong = (0, ssh_1.fingerprintSha256)(otherKey.keyBlob);
        const marker = path.join(dir, 'marker-pins');
        const badBastion = await tryTouch({ ...pinned, jumpHosts: [{ ...pinnedHop, hostKeySha256: wrong }] }, marker);
        strict_1.default.ok(badBastion.error instanceof ssh_1.HostKeyMismatchError, String(badBastion.error));
        strict_1.default.equal(badBastion.error.via?.port, bastion.port);
        strict_1.default.match(badBastion.error.message, /the pinned fingerprint/);
        const badTarget = await tryTouch({ ...pinned, hostKeySha256: wrong }, marker);
        strict_1.default.ok(badTarget.error instanceof ssh_1.HostKeyMismatchError, String(badTarget.error));
        strict_1.default.equal(badTarget.error.via, undefined);
        strict_1.default.equal(badTarget.error.presentedFingerprint, target.hostFingerprint);
        strict_1.default.equal(badBastion.fnCalled || badTarget.fnCalled, false);
        strict_1.default.equal(await exists(marker), false);
    });
    (0, node_test_1.it)('an unknown bastion key is refused without trust-on-first-use; with it, recorded under the bastion', async () => {
        const kh = path.join(dir, 'tofu', 'known_hosts');
        const marker = path.join(dir, 'marker-unknown-bastion');
        const targetConnections = count(target.logs(), /Connection from/);
        const refused = await tryTouch(viaBastion({}, [hop(bastion, { knownHostsPath: kh })]), marker);
        strict_1.default.ok(refused.error instanceof ssh_1.UnknownHostKeyError, String(refused.error));
        strict_1.default.equal(refused.error.retryable, false);
        strict_1.default.equal(refused.error.presentedFingerprint, bastion.hostFingerprint);
        strict_1.default.ok(refused.error.message.startsWith(`root@${TARGET_ADDRESS}:${target.port}: via bastion root@127.0.0.1:${bastion.port}: host key`), refused.error.message);
        strict_1.default.match(refused.error.message, new RegExp(`no entry for \\[127\\.0\\.0\\.1\\]:${bastion.port}`));
        strict_1.default.equal(refused.fnCalled, false);
        strict_1.default.equal(await exists(marker), false);
        strict_1.default.equal(await exists(kh), false, 'a refused bastion must not create known_hosts');
        strict_1.default.equal(count(target.logs(), /Connection from/), targetConnections);
        const tofu = viaBastion({}, [hop(bastion, { knownHostsPath: kh, trustOnFirstUse: true })]);
        strict_1.default.equal(await (0, ssh_1.withSsh)(tofu, (s) => s.run('echo tofu')), 'tofu\n');
        strict_1.default.equal(await node_fs_1.promises.readFile(kh, 'utf8'), `[127.0.0.1]:${bastion.port} ${bastion.hostPublicKey}\n`);
    });
    (0, node_test_1.it)('one connect deadline covers the whole chain', async () => {
        // The "target" accepts TCP (through the bastion) and never speaks SSH.
        const sockets = [];
        const silent = net.createServer((s) => sockets.push(s));
        await new Promise((r) => silent.listen(0, TARGET_ADDRESS, () => r()));
        const a = silent.address();
        const port = typeof a === 'object' && a ? a.port : 1;
        const started = Date.now();
        try {
            await strict_1.default.rejects(ssh_1.SshSession.connect(viaBastion({ port, connectTimeoutMs: 1500 })), (e) => {
                strict_1.default.ok(e instanceof ssh_1.ConnectFailedError, String(e));
                strict_1.default.equal(e.code, 'ETIMEDOUT');
                strict_1.default.equal(e.via, undefined);
                strict_1.default.match(e.message, /timed out after 1500 ms .*one deadline for all 2 logins of the jump chain/);
                return true;
            });
            const took = Date.now() - started;
            strict_1.default.ok(took >= 1400 && took < 3000, `took ${took} ms`);
            strict_1.default.equal(sockets.length, 1, 'the bastion forwarded the connection');
        }
        finally {
            for (const s of sockets)
                s.destroy();
            await new Promise((r) => silent.close(r));
        }
    });
    (0, node_test_1.it)("realDeps.connect maps SshTargetInput.jumpHosts (address, the target's known_hosts when the hop has none)", async () => {
        const kh = path.join(dir, 'kh_shared');
        await node_fs_1.promises.writeFile(kh, `[127.0.0.1]:${bastion.port} ${bastion.hostPublicKey}\n[${TARGET_ADDRESS}]:${target.port} ${target.hostPublicKey}\n`);
        const session = await activities_1.realDeps.connect({
            host: 'web-01',
            address: TARGET_ADDRESS,
            port: target.port,
            user: 'root',
            trustOnFirstUse: false,
            privateKeyPath: target.clientKeyPath,
            knownHostsPath: kh,
            jumpHosts: [
                {
                    host: 'bastion.example',
                    address: '127.0.0.1',
                    port: bastion.port,
                    user: 'root',
                    trustOnFirstUse: false,
                    privateKeyPath: bastion.clientKeyPath,
                },
            ],
        });
        try {
            strict_1.default.equal(await session.run('echo mapped'), 'mapped\n');
        }
        finally {
            session.close();
        }
    });
});
//# sourceMappingURL=jump.test.js.map