/**
 * The artifact installer against real shells: OpenSSH's sshd on loopback is the artifact host
 * (where a build left its package) and the target; the package is fetched by this process (the
 * worker), checked, uploaded and handed to the real dpkg, which refuses a file that is not a
 * package (so nothing is installed here). A successful install runs on a simulated Debian host.
 * The source's schema: artifact.test.ts.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { SshSession } from '../ssh';
import { sshdTarget, startSshd, type SshdHandle } from '../../../testbed/sshd';
import { startSimulator, type Simulator } from '../../../sim/simulator';
import { createDpkg } from './dpkg';
import { create } from './artifact';

const NEW = '6.1.192-kr0123abcd';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('artifact installer over SSH (real sshd as artifact host and target, real dpkg)', () => {
  let sshd: SshdHandle;
  let s: SshSession;
  let dir: string;
  const host = () => sshdTarget(sshd, 'artifacts');

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
    dir = mkdtempSync(path.join(tmpdir(), 'kr-artifact-'));
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

  test('a package whose sha256 differs on the artifact host is refused; nothing reaches the target', async () => {
    const built = path.join(dir, 'changed.deb');
    writeFileSync(built, 'changed after the build\n');
    await assert.rejects(
      installer().install(s, { kind: 'artifact', host: host(), path: built, sha256: sha256('as built\n') }, NEW),
      (err: Error) => err.name === 'DownloadChecksumError' && /expected sha256/.test(err.message),
    );
    assert.equal((await s.exec(`test -e ${path.join(dir, 'uploads')}`)).code, 1);
  });

  test('fetched, checked, uploaded intact, then handed to dpkg -i', async () => {
    const built = path.join(dir, `linux-image-${NEW}_6.1.192-kr0123abcd-1_amd64.deb`);
    writeFileSync(built, 'not a package\n');
    const r = await installer().install(
      s,
      { kind: 'artifact', host: host(), path: built, sha256: sha256('not a package\n') },
      NEW,
    );
    assert.equal(readFileSync(path.join(dir, 'uploads', path.basename(built)), 'utf8'), 'not a package\n');
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /not a Debian format archive|dpkg-deb/);
  });
});

describe('artifact installer over SSH (simulated Debian host as target)', () => {
  let sim: Simulator;
  let sshd: SshdHandle;
  let s: SshSession;
  let dir: string;

  before(async () => {
    sim = await startSimulator({ hosts: [{ name: 'art-01' }], bootSeconds: 1 });
    sshd = await startSshd({ users: ['root'] });
    s = await SshSession.connect({
      host: '127.0.0.1',
      port: sim.host('art-01').port,
      user: 'root',
      trustOnFirstUse: false,
      privateKeyPath: sim.clientKeyPath,
      knownHostsPath: sim.knownHostsPath,
    });
    dir = mkdtempSync(path.join(tmpdir(), 'kr-artifact-'));
  });
  after(async () => {
    s?.close();
    await sim?.stop();
    await sshd?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('installs the package fetched from the artifact host', async () => {
    const text = 'not a real package: the simulator reads the name\n';
    const built = path.join(dir, `linux-image-${NEW}_6.1.192-kr0123abcd-1_amd64.deb`);
    writeFileSync(built, text);
    const source = {
      kind: 'artifact' as const,
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
    const r = await create().install(s, source, NEW);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(sim.inspect('art-01').installedKernels.includes(NEW));
  });
});
