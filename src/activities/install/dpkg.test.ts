/**
 * The dpkg seam against a real shell: OpenSSH's sshd on loopback (testbed/sshd.ts), logged in as
 * root on this Debian machine, with kernel-rollout's state directory in a temporary one. Nothing
 * is installed or removed here: the kernels asked about do not exist.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { SshSession } from '../ssh';
import { startSshd, type SshdHandle } from '../../../testbed/sshd';
import { createDpkg, parseInstalledKernels } from './dpkg';

const ABSENT = '0.0.1-kernel-rollout-test-amd64';
const SHA = 'a'.repeat(64);

function fixture(name: string): string {
  const text = readFileSync(path.join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'debian12', name), 'utf8');
  return text.startsWith('# captured from') ? text.slice(text.indexOf('\n') + 1) : text;
}

describe('dpkg: preflight output (Debian 12 fixtures)', () => {
  const dpkg = createDpkg();

  test('installed kernels from dpkg-query, not-installed rows ignored', () => {
    const rows = fixture('dpkg-kernels-two-kernels.txt').replace(/^(\S+) \S* (.*)$/gm, '$1 $2');
    assert.deepEqual(parseInstalledKernels(rows).sort(), ['6.1.0-55-cloud-amd64', '6.1.0-56-cloud-amd64']);
  });

  test('Debian and Ubuntu are its distributions; another is refused by name', () => {
    assert.equal(dpkg.distroRefusal({ id: 'debian', idLike: [] }), null);
    assert.equal(dpkg.distroRefusal({ id: 'ubuntu', idLike: ['debian'] }), null);
    assert.equal(
      dpkg.distroRefusal({ id: 'rocky', idLike: ['rhel', 'centos', 'fedora'] }),
      'rocky is not supported (Debian and Ubuntu with GRUB 2 are)',
    );
  });

  test('a kernel’s image and initramfs where Debian’s packages put them (kexec loads them)', () => {
    assert.deepEqual(dpkg.kernelImagePaths('6.1.0-56-cloud-amd64'), {
      kernel: '/boot/vmlinuz-6.1.0-56-cloud-amd64',
      initrd: '/boot/initrd.img-6.1.0-56-cloud-amd64',
    });
  });

  test('the lock section counts holders of the dpkg lock', () => {
    assert.equal(dpkg.parseLocked('1\n'), true);
    assert.equal(dpkg.parseLocked('0'), false);
    assert.equal(dpkg.parseLocked(''), false);
  });
});

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

  test('a kernel that is not installed: not installed, nothing recorded, its files missing', async () => {
    const dpkg = createDpkg({ stateDir });
    assert.deepEqual(await dpkg.probe(s, ABSENT), { installed: false, recorded: null });
    assert.equal(await dpkg.missingKernelFiles(s, ABSENT), `/boot/vmlinuz-${ABSENT} or its initrd`);
  });

  test('what an install records is read back by the next probe', async () => {
    const dpkg = createDpkg({ stateDir });
    await dpkg.record(s, ABSENT, SHA);
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
