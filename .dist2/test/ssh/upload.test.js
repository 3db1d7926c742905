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
const node_crypto_1 = require("node:crypto");
const node_fs_1 = require("node:fs");
const os = __importStar(require("node:os"));
const path = __importStar(require("node:path"));
const node_test_1 = require("node:test");
const ssh_1 = require("../../src/activities/ssh");
const sshd_1 = require("../../testbed/sshd");
function sha256(buf) {
    return (0, node_crypto_1.createHash)('sha256').update(buf).digest('hex');
}
/** Names in `dir` that look like our temp files. */
async function leftovers(dir) {
    return (await node_fs_1.promises.readdir(dir)).filter((n) => n.includes('krtmp'));
}
(0, node_test_1.describe)('SshSession.upload', () => {
    let sshd;
    let root;
    let localDir;
    /** "Remote" directory: sshd runs on this machine, so we can inspect the result directly. */
    let remoteDir;
    let bigFile;
    let bigContent;
    const target = (user) => ({
        host: '127.0.0.1',
        port: sshd.port,
        user,
        trustOnFirstUse: false,
        privateKeyPath: sshd.clientKeyPath,
        knownHostsPath: sshd.knownHostsPath,
    });
    (0, node_test_1.before)(async () => {
        sshd = await (0, sshd_1.startSshd)({ users: ['root', 'krtest'] });
        root = await ssh_1.SshSession.connect(target('root'));
        localDir = await node_fs_1.promises.mkdtemp(path.join(os.tmpdir(), 'kr-up-local-'));
        remoteDir = await node_fs_1.promises.mkdtemp(path.join(os.tmpdir(), 'kr-up-remote-'));
        await node_fs_1.promises.chmod(remoteDir, 0o755); // root-owned, not writable by krtest
        bigContent = (0, node_crypto_1.randomBytes)(3 * 1024 * 1024 + 12345);
        bigFile = path.join(localDir, 'kernel.deb');
        await node_fs_1.promises.writeFile(bigFile, bigContent);
    });
    (0, node_test_1.after)(async () => {
        root?.close();
        await sshd?.stop();
        await node_fs_1.promises.rm(localDir, { recursive: true, force: true });
        await node_fs_1.promises.rm(remoteDir, { recursive: true, force: true });
    });
    (0, node_test_1.it)('uploads a few MiB, verifies sha256, sets the mode; a second upload is skipped', async () => {
        const dest = path.join(remoteDir, 'kernel.deb');
        const r1 = await root.upload(bigFile, dest, { expectedSha256: sha256(bigContent), mode: 0o640 });
        strict_1.default.deepEqual(r1, { sha256: sha256(bigContent), bytes: bigContent.length, skipped: false });
        strict_1.default.ok((await node_fs_1.promises.readFile(dest)).equals(bigContent));
        const st1 = await node_fs_1.promises.stat(dest);
        strict_1.default.equal(st1.mode & 0o7777, 0o640);
        strict_1.default.deepEqual(await leftovers(remoteDir), []);
        await new Promise((r) => setTimeout(r, 20));
        const r2 = await root.upload(bigFile, dest, { mode: 0o640 });
        strict_1.default.equal(r2.skipped, true);
        strict_1.default.equal(r2.sha256, r1.sha256);
        const st2 = await node_fs_1.promises.stat(dest);
        strict_1.default.equal(st2.mtimeMs, st1.mtimeMs, 'the file must not be rewritten');
        strict_1.default.equal(st2.ino, st1.ino);
        // Same content but another mode: still no transfer, mode corrected.
        const r3 = await root.upload(bigFile, dest, { mode: 0o600 });
        strict_1.default.equal(r3.skipped, true);
        const st3 = await node_fs_1.promises.stat(dest);
        strict_1.default.equal(st3.mode & 0o7777, 0o600);
        strict_1.default.equal(st3.mtimeMs, st1.mtimeMs);
    });
    (0, node_test_1.it)('replaces a destination with different content atomically (new inode, correct content)', async () => {
        const dest = path.join(remoteDir, 'replace.bin');
        await node_fs_1.promises.writeFile(dest, 'old content');
        const before = await node_fs_1.promises.stat(dest);
        const r = await root.upload(bigFile, dest);
        strict_1.default.equal(r.skipped, false);
        strict_1.default.ok((await node_fs_1.promises.readFile(dest)).equals(bigContent));
        const st = await node_fs_1.promises.stat(dest);
        strict_1.default.notEqual(st.ino, before.ino, 'renamed into place, not rewritten in place');
        strict_1.default.equal(st.mode & 0o7777, 0o644);
        strict_1.default.deepEqual(await leftovers(remoteDir), []);
    });
    (0, node_test_1.it)('wrong expectedSha256: UploadChecksumError, destination not created or modified', async () => {
        const wrong = sha256(Buffer.from('something else'));
        const fresh = path.join(remoteDir, 'fresh.bin');
        await strict_1.default.rejects(root.upload(bigFile, fresh, { expectedSha256: wrong }), (e) => {
            strict_1.default.ok(e instanceof ssh_1.UploadChecksumError, String(e));
            strict_1.default.equal(e.name, 'UploadChecksumError');
            strict_1.default.equal(e.expectedSha256, wrong);
            strict_1.default.equal(e.actualSha256, sha256(bigContent));
            strict_1.default.ok(e.message.startsWith(`root@127.0.0.1:${sshd.port}: upload to ${fresh}`), e.message);
            return true;
        });
        await strict_1.default.rejects(node_fs_1.promises.stat(fresh), { code: 'ENOENT' });
        const existing = path.join(remoteDir, 'existing.bin');
        await node_fs_1.promises.writeFile(existing, 'keep me');
        await strict_1.default.rejects(root.upload(bigFile, existing, { expectedSha256: wrong.toUpperCase() }), ssh_1.UploadChecksumError);
        strict_1.default.equal(await node_fs_1.promises.readFile(existing, 'utf8'), 'keep me');
        strict_1.default.deepEqual(await leftovers(remoteDir), []);
    });
    (0, node_test_1.it)('refuses unsafe remote paths before touching the host', async () => {
        await strict_1.default.rejects(root.upload(bigFile, 'relative/path'), /remotePath/);
        await strict_1.default.rejects(root.upload(bigFile, `${remoteDir}/../etc/x`), /remotePath/);
        await strict_1.default.rejects(root.upload(bigFile, `${remoteDir}/a b`), /remotePath/);
    });
    (0, node_test_1.describe)('as krtest', () => {
        let krtest;
        (0, node_test_1.before)(async () => {
            await (0, sshd_1.requireLocalUser)('krtest');
            krtest = await ssh_1.SshSession.connect(target('krtest'));
        });
        (0, node_test_1.after)(() => krtest?.close());
        (0, node_test_1.it)('with sudo: staged in /tmp, installed as root with the mode, staging file removed', async () => {
            const dest = path.join(remoteDir, 'root-owned.bin');
            const tmpBefore = await leftovers('/tmp');
            const r = await krtest.upload(bigFile, dest, { sudo: true, mode: 0o600, expectedSha256: sha256(bigContent) });
            strict_1.default.equal(r.skipped, false);
            const st = await node_fs_1.promises.stat(dest);
            strict_1.default.equal(st.uid, 0);
            strict_1.default.equal(st.mode & 0o7777, 0o600);
            strict_1.default.ok((await node_fs_1.promises.readFile(dest)).equals(bigContent));
            strict_1.default.deepEqual(await leftovers(remoteDir), []);
            strict_1.default.deepEqual(await leftovers('/tmp'), tmpBefore);
            // The idempotency probe works through sudo too (krtest cannot read a 0600 root file).
            const r2 = await krtest.upload(bigFile, dest, { sudo: true, mode: 0o600 });
            strict_1.default.equal(r2.skipped, true);
            strict_1.default.equal((await node_fs_1.promises.stat(dest)).mtimeMs, st.mtimeMs);
        });
        (0, node_test_1.it)('without sudo, a root-owned directory is not writable', async () => {
            await strict_1.default.rejects(krtest.upload(bigFile, path.join(remoteDir, 'denied.bin')));
            await strict_1.default.rejects(node_fs_1.promises.stat(path.join(remoteDir, 'denied.bin')), { code: 'ENOENT' });
            strict_1.default.deepEqual(await leftovers(remoteDir), []);
        });
    });
});
//# sourceMappingURL=upload.test.js.map