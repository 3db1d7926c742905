/**
 * The .deb installer against a real shell: OpenSSH's sshd on loopback (testbed/sshd.ts), root on
 * this machine, uploads into a temporary directory. A file that is not a package shows the whole
 * path (checksum, SFTP upload, checksum on the host, dpkg -i) without installing anything; a
 * successful install runs on a simulated Debian host. The source's schema: deb-upload.test.ts.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { SshSession } from '../ssh';
import { startSshd, type SshdHandle } from '../../../testbed/sshd';
import { startSimulator, type Simulator } from '../../../sim/simulator';
import { createDpkg } from './dpkg';
import { create } from './deb-upload';

const NEW = '6.1.0-56-cloud-amd64';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('.deb installer over SSH (real sshd, real dpkg)', () => {
  let sshd: SshdHandle;
  let s: SshSession;
  let dir: string;

  before(async () => {
    sshd = await startSshd({ users: ['root'] });
    s = await SshSession.connect({
      host: sshd.address,
      port: sshd.port,
      user: 'root',
      trustOnFirstUse: false,
      privateKeyPath: sshd.clientKeyPath,
      knownHostsPath: sshd.knownHostsPath,
    });
    dir = mkdtempSync(path.join(tmpdir(), 'kr-deb-'));
  });
  after(async () => {
    s?.close();
    await sshd?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const installer = () =>
    create({
      uploadDir: path.join(dir, 'uploads'),
      stateDir: path.join(dir, 'state'),
      packageManager: createDpkg({ stateDir: path.join(dir, 'state') }),
    });

  test('a file whose sha256 differs from the source is refused before anything is uploaded', async () => {
    const local = path.join(dir, 'changed.deb');
    writeFileSync(local, 'changed\n');
    await assert.rejects(
      installer().install(s, { kind: 'deb', localPath: local, sha256: sha256('original\n') }, NEW),
      (err: Error & { type?: string; nonRetryable?: boolean }) =>
        err.type === 'UploadChecksumError' && err.nonRetryable === true && /refusing to upload/.test(err.message),
    );
    assert.equal((await s.exec(`test -e ${path.join(dir, 'uploads')}`)).code, 1);
  });

  test('uploaded intact, then handed to dpkg -i (which refuses a file that is not a package)', async () => {
    const local = path.join(dir, `linux-image-${NEW}_1_amd64.deb`);
    writeFileSync(local, 'not a package\n');
    const r = await installer().install(s, { kind: 'deb', localPath: local, sha256: sha256('not a package\n') }, NEW);
    assert.equal(readFileSync(path.join(dir, 'uploads', path.basename(local)), 'utf8'), 'not a package\n');
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /not a Debian format archive|dpkg-deb/);
  });
});

describe('.deb installer over SSH (simulated Debian host)', () => {
  let sim: Simulator;
  let s: SshSession;

  before(async () => {
    sim = await startSimulator({ hosts: [{ name: 'deb-01' }], bootSeconds: 1 });
    s = await SshSession.connect({
      host: '127.0.0.1',
      port: sim.host('deb-01').port,
      user: 'root',
      trustOnFirstUse: false,
      privateKeyPath: sim.clientKeyPath,
      knownHostsPath: sim.knownHostsPath,
    });
  });
  after(async () => {
    s?.close();
    await sim?.stop();
  });

  test('installs the uploaded kernel package', async () => {
    const text = 'not a real package: the simulator reads the name\n';
    const local = path.join(sim.stateDir, `linux-image-${NEW}_6.1.192-2_amd64.deb`);
    writeFileSync(local, text);
    const r = await create().install(s, { kind: 'deb', localPath: local, sha256: sha256(text) }, NEW);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(sim.inspect('deb-01').installedKernels.includes(NEW));
  });
});
