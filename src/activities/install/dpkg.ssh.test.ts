/**
 * The dpkg seam against a real shell: OpenSSH's sshd on loopback (testbed/sshd.ts), logged in as
 * root on this Debian machine, with kernel-rollout's state directory in a temporary one. Nothing
 * is installed or removed here: the kernels asked about do not exist. The parsers on captured
 * output: dpkg.test.ts.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { SshSession } from '../ssh';
import { startSshd, type SshdHandle } from '../../../testbed/sshd';
import { createDpkg } from './dpkg';

const ABSENT = '0.0.1-kernel-rollout-test-amd64';
const SHA = 'a'.repeat(64);

describe('dpkg over SSH (real sshd, real dpkg)', () => {
  let sshd: SshdHandle;
  let s: SshSession;
  let stateDir: string;

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
    stateDir = mkdtempSync(path.join(tmpdir(), 'kr-dpkg-'));
  });
  after(async () => {
    s?.close();
    await sshd?.stop();
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  });

  test('its preflight commands run and parse (in a container: no kernel package)', async () => {
    const dpkg = createDpkg({ stateDir });
    const kernels = await s.exec(dpkg.installedKernelsSection[1]);
    assert.ok(kernels.code === 0 || /no packages found matching linux-image-\*/.test(kernels.stderr), kernels.stderr);
    for (const release of dpkg.parseInstalledKernels(kernels.stdout)) assert.match(release, /^\d+\.\d+/);
    const lock = await s.exec(dpkg.lockSection[1]);
    assert.equal(dpkg.parseLocked(lock.stdout), false);
  });

  test('a kernel that is not installed: not installed, its files missing, so nothing recorded', async () => {
    const dpkg = createDpkg({ stateDir });
    assert.deepEqual(await dpkg.probe(s, ABSENT), { installed: false, recorded: null });
    assert.equal(await dpkg.recordInstalled(s, ABSENT, SHA), `/boot/vmlinuz-${ABSENT} or its initrd`);
    assert.equal(existsSync(path.join(stateDir, `installed-${ABSENT}.sha256`)), false, 'nothing recorded');
  });

  test('what an install records, once its files are in place, is read back by the next probe', async () => {
    const bootDir = mkdtempSync(path.join(stateDir, 'boot-'));
    const dpkg = createDpkg({ stateDir, bootDir });
    writeFileSync(path.join(bootDir, `vmlinuz-${ABSENT}`), '');
    assert.equal(await dpkg.recordInstalled(s, ABSENT, SHA), `${bootDir}/vmlinuz-${ABSENT} or its initrd`);
    writeFileSync(path.join(bootDir, `initrd.img-${ABSENT}`), '');
    assert.equal(await dpkg.recordInstalled(s, ABSENT, SHA), null);
    assert.equal(readFileSync(path.join(stateDir, `installed-${ABSENT}.sha256`), 'utf8'), `${SHA}\n`);
    assert.deepEqual(await dpkg.probe(s, ABSENT), { installed: false, recorded: SHA });
  });

  test('installing a file that is not a package fails with dpkg saying why', async () => {
    const dpkg = createDpkg({ stateDir });
    const notADeb = path.join(stateDir, 'not a package.deb');
    await s.run(`echo nonsense > '${notADeb}'`);
    const r = await dpkg.installFile(s, notADeb);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /not a Debian format archive|dpkg-deb/);
  });
});
