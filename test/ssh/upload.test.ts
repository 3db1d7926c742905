import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { SshSession, UploadChecksumError, type SshTarget } from '../../src/activities/ssh';
import { requireLocalUser, startSshd, type SshdHandle } from '../../testbed/sshd';

function sha256(buf: Buffer): string {
  return createHash('sha256').update(buf).digest('hex');
}

/** Names in `dir` that look like our temp files. */
async function leftovers(dir: string): Promise<string[]> {
  return (await fsp.readdir(dir)).filter((n) => n.includes('krtmp'));
}

describe('SshSession.upload', () => {
  let sshd: SshdHandle;
  let root: SshSession;
  let localDir: string;
  /** "Remote" directory: sshd runs on this machine, so we can inspect the result directly. */
  let remoteDir: string;
  let bigFile: string;
  let bigContent: Buffer;

  const target = (user: string): SshTarget => ({
    host: '127.0.0.1',
    port: sshd.port,
    user,
    trustOnFirstUse: false,
    privateKeyPath: sshd.clientKeyPath,
    knownHostsPath: sshd.knownHostsPath,
  });

  before(async () => {
    sshd = await startSshd({ users: ['root', 'krtest'] });
    root = await SshSession.connect(target('root'));
    localDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'kr-up-local-'));
    remoteDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'kr-up-remote-'));
    await fsp.chmod(remoteDir, 0o755); // root-owned, not writable by krtest
    bigContent = randomBytes(3 * 1024 * 1024 + 12345);
    bigFile = path.join(localDir, 'kernel.deb');
    await fsp.writeFile(bigFile, bigContent);
  });
  after(async () => {
    root?.close();
    await sshd?.stop();
    await fsp.rm(localDir, { recursive: true, force: true });
    await fsp.rm(remoteDir, { recursive: true, force: true });
  });

  it('uploads a few MiB, verifies sha256, sets the mode; a second upload is skipped', async () => {
    const dest = path.join(remoteDir, 'kernel.deb');
    const r1 = await root.upload(bigFile, dest, { expectedSha256: sha256(bigContent), mode: 0o640 });
    assert.deepEqual(r1, { sha256: sha256(bigContent), bytes: bigContent.length, skipped: false });
    assert.ok((await fsp.readFile(dest)).equals(bigContent));
    const st1 = await fsp.stat(dest);
    assert.equal(st1.mode & 0o7777, 0o640);
    assert.deepEqual(await leftovers(remoteDir), []);

    await new Promise((r) => setTimeout(r, 20));
    const r2 = await root.upload(bigFile, dest, { mode: 0o640 });
    assert.equal(r2.skipped, true);
    assert.equal(r2.sha256, r1.sha256);
    const st2 = await fsp.stat(dest);
    assert.equal(st2.mtimeMs, st1.mtimeMs, 'the file must not be rewritten');
    assert.equal(st2.ino, st1.ino);

    // Same content but another mode: still no transfer, mode corrected.
    const r3 = await root.upload(bigFile, dest, { mode: 0o600 });
    assert.equal(r3.skipped, true);
    const st3 = await fsp.stat(dest);
    assert.equal(st3.mode & 0o7777, 0o600);
    assert.equal(st3.mtimeMs, st1.mtimeMs);
  });

  it('replaces a destination with different content atomically (new inode, correct content)', async () => {
    const dest = path.join(remoteDir, 'replace.bin');
    await fsp.writeFile(dest, 'old content');
    const before = await fsp.stat(dest);
    const r = await root.upload(bigFile, dest);
    assert.equal(r.skipped, false);
    assert.ok((await fsp.readFile(dest)).equals(bigContent));
    const st = await fsp.stat(dest);
    assert.notEqual(st.ino, before.ino, 'renamed into place, not rewritten in place');
    assert.equal(st.mode & 0o7777, 0o644);
    assert.deepEqual(await leftovers(remoteDir), []);
  });

  it('wrong expectedSha256: UploadChecksumError, destination not created or modified', async () => {
    const wrong = sha256(Buffer.from('something else'));
    const fresh = path.join(remoteDir, 'fresh.bin');
    await assert.rejects(root.upload(bigFile, fresh, { expectedSha256: wrong }), (e: unknown) => {
      assert.ok(e instanceof UploadChecksumError, String(e));
      assert.equal(e.name, 'UploadChecksumError');
      assert.equal(e.expectedSha256, wrong);
      assert.equal(e.actualSha256, sha256(bigContent));
      assert.ok(e.message.startsWith(`root@127.0.0.1:${sshd.port}: upload to ${fresh}`), e.message);
      return true;
    });
    await assert.rejects(fsp.stat(fresh), { code: 'ENOENT' });

    const existing = path.join(remoteDir, 'existing.bin');
    await fsp.writeFile(existing, 'keep me');
    await assert.rejects(root.upload(bigFile, existing, { expectedSha256: wrong.toUpperCase() }), UploadChecksumError);
    assert.equal(await fsp.readFile(existing, 'utf8'), 'keep me');
    assert.deepEqual(await leftovers(remoteDir), []);
  });

  it('refuses unsafe remote paths before touching the host', async () => {
    await assert.rejects(root.upload(bigFile, 'relative/path'), /remotePath/);
    await assert.rejects(root.upload(bigFile, `${remoteDir}/../etc/x`), /remotePath/);
    await assert.rejects(root.upload(bigFile, `${remoteDir}/a b`), /remotePath/);
  });

  describe('as krtest', () => {
    let krtest: SshSession;
    before(async () => {
      await requireLocalUser('krtest');
      krtest = await SshSession.connect(target('krtest'));
    });
    after(() => krtest?.close());

    it('with sudo: staged in /tmp, installed as root with the mode, staging file removed', async () => {
      const dest = path.join(remoteDir, 'root-owned.bin');
      const tmpBefore = await leftovers('/tmp');
      const r = await krtest.upload(bigFile, dest, { sudo: true, mode: 0o600, expectedSha256: sha256(bigContent) });
      assert.equal(r.skipped, false);
      const st = await fsp.stat(dest);
      assert.equal(st.uid, 0);
      assert.equal(st.mode & 0o7777, 0o600);
      assert.ok((await fsp.readFile(dest)).equals(bigContent));
      assert.deepEqual(await leftovers(remoteDir), []);
      assert.deepEqual(await leftovers('/tmp'), tmpBefore);
      // The idempotency probe works through sudo too (krtest cannot read a 0600 root file).
      const r2 = await krtest.upload(bigFile, dest, { sudo: true, mode: 0o600 });
      assert.equal(r2.skipped, true);
      assert.equal((await fsp.stat(dest)).mtimeMs, st.mtimeMs);
    });

    it('without sudo, a root-owned directory is not writable', async () => {
      await assert.rejects(krtest.upload(bigFile, path.join(remoteDir, 'denied.bin')));
      await assert.rejects(fsp.stat(path.join(remoteDir, 'denied.bin')), { code: 'ENOENT' });
      assert.deepEqual(await leftovers(remoteDir), []);
    });
  });
});
