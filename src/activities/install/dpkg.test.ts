/**
 * The dpkg seam: its preflight parsers on output captured from Debian 12. Against a real shell
 * (OpenSSH's sshd on loopback, real dpkg): dpkg.ssh.test.ts.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { createDpkg, parseInstalledKernels } from './dpkg';

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
