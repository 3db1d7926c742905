import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  PSTORE_WARNING,
  assessFacts,
  parseFacts,
  parseOsRelease,
  parsePstoreBackend,
  splitSections,
  factsScript,
} from '../../src/activities/steps/host-facts';
import { grubenvWritability } from '../../src/activities/bootloader/grub-debian';
import { dpkg, parseInstalledKernels } from '../../src/activities/install/dpkg';
import { fixture } from '../helpers/fixtures';

const OLD = '6.1.0-55-cloud-amd64';
const NEW = '6.1.0-56-cloud-amd64';

function sectionsFromFixtures(extra: Record<string, string> = {}): Record<string, string> {
  return {
    'os-release': fixture('os-release'),
    'uname-r': fixture('uname-r.txt'),
    'boot-id': fixture('boot_id.txt'),
    cmdline: fixture('proc-cmdline.txt'),
    kernels: fixture('dpkg-kernels.txt').replace(/^(\S+) \S* (.*)$/gm, '$1 $2'),
    'boot-free': fixture('df-boot.txt').split('\n').filter(Boolean).pop() ?? '',
    findmnt: fixture('findmnt-boot.txt').trim().split(/\s+/).slice(0, 2).join(' '),
    'lsblk-types': 'part\ndisk',
    'default-grub': fixture('default-grub'),
    grubenv: fixture('grubenv-initial'),
    'grub-cfg': fixture('grub.cfg'),
    'dpkg-lock': '0',
    kexec: '/usr/sbin/kexec',
    systemd: 'yes',
    ...extra,
  };
}

describe('host facts', () => {
  test('os-release of Debian 12', () => {
    const os = parseOsRelease(fixture('os-release'));
    assert.equal(os['ID'], 'debian');
    assert.equal(os['VERSION_ID'], '12');
  });

  test('installed kernels from dpkg-query, not-installed rows ignored', () => {
    const rows = fixture('dpkg-kernels-two-kernels.txt').replace(/^(\S+) \S* (.*)$/gm, '$1 $2');
    assert.deepEqual(parseInstalledKernels(rows).sort(), [OLD, NEW]);
  });

  test('the facts script prints every section, and its output splits back', () => {
    const script = factsScript(dpkg);
    const names = [...script.matchAll(/@@kernel-rollout@@ ([a-z-]+)'/g)].map((m) => m[1]);
    assert.ok(names.includes('grub-cfg') && names.includes('boot-id') && names.at(-1) === 'end');
    const out = names.map((n) => `@@kernel-rollout@@ ${n}\nvalue of ${n}`).join('\n');
    const sections = splitSections(out);
    assert.equal(sections['boot-id'], 'value of boot-id');
    assert.equal(sections['end'], undefined);
  });

  test('a fresh Debian 12 VM: no refusals; GRUB_DEFAULT=0 will be fixed', () => {
    const facts = assessFacts(
      parseFacts('vm', sectionsFromFixtures(), dpkg),
      { toRelease: NEW, source: { kind: 'apt', packageName: `linux-image-${NEW}` }, useKexec: false },
      dpkg,
    );
    assert.deepEqual(facts.refusals, []);
    assert.equal(facts.runningKernel, OLD);
    assert.equal(facts.distroId, 'debian');
    assert.match(facts.bootId, /^[0-9a-f-]{36}$/);
    assert.ok(facts.bootFreeBytes > 100 * 1048576);
    assert.ok(facts.fixes.some((f) => /GRUB_DEFAULT=0 becomes saved/.test(f)));
  });

  test("a package for another architecture than the host's is refused before anything is touched", () => {
    const base = parseFacts('vm', sectionsFromFixtures({ 'dpkg-arch': 'amd64' }), dpkg);
    assert.equal(base.architecture, 'amd64');
    const req = {
      toRelease: NEW,
      source: { kind: 'deb' as const, localPath: '/tmp/k.deb', sha256: 'a'.repeat(64) },
      useKexec: false,
    };
    const refused = assessFacts(base, { ...req, packageArchitecture: 'i386' }, dpkg).refusals;
    assert.deepEqual(refused, [
      'vm: the package is built for i386 and the host is amd64 (dpkg --print-architecture): it would not boot; ' +
        'build it for amd64 (for amd64, a config with CONFIG_64BIT=y)',
    ]);
    assert.deepEqual(assessFacts(base, { ...req, packageArchitecture: 'amd64' }, dpkg).refusals, []);
    assert.deepEqual(assessFacts(base, { ...req, packageArchitecture: 'all' }, dpkg).refusals, []);
  });

  test('unsafe storage for grubenv is refused with what to do; kexec is allowed there', () => {
    assert.match(grubenvWritability('/dev/mapper/vg-root ext4', 'lvm\npart\ndisk') ?? '', /LVM/);
    assert.match(grubenvWritability('/dev/md0 ext4', 'raid1\npart\ndisk') ?? '', /md-raid/);
    assert.match(grubenvWritability('/dev/sda2 btrfs', 'part\ndisk') ?? '', /btrfs/);
    assert.match(grubenvWritability('/dev/mapper/luks ext4', 'crypt\npart\ndisk') ?? '', /encrypted/);
    assert.equal(grubenvWritability('/dev/vda1 ext4', 'part\ndisk'), null);
    const base = parseFacts(
      'vm',
      sectionsFromFixtures({ findmnt: '/dev/mapper/vg-root ext4', 'lsblk-types': 'lvm\npart\ndisk' }),
      dpkg,
    );
    const req = {
      toRelease: NEW,
      source: { kind: 'apt' as const, packageName: `linux-image-${NEW}` },
      useKexec: false,
    };
    const refused = assessFacts(base, req, dpkg);
    assert.equal(refused.refusals.length, 1);
    assert.match(refused.refusals[0] ?? '', /LVM.*--kexec/);
    assert.deepEqual(assessFacts(base, { ...req, useKexec: true }, dpkg).refusals, []);
  });

  test('full /boot, missing kexec, no systemd are refused with instructions', () => {
    const base = parseFacts(
      'vm',
      sectionsFromFixtures({ 'boot-free': String(40 * 1048576), kexec: '', systemd: '' }),
      dpkg,
    );
    const f = assessFacts(
      base,
      { toRelease: NEW, source: { kind: 'apt', packageName: `linux-image-${NEW}` }, useKexec: true },
      dpkg,
    );
    assert.ok(f.refusals.some((r) => /\/boot has 40 MiB free.*autoremove/.test(r)));
    assert.ok(f.refusals.some((r) => /kexec-tools/.test(r)));
    assert.ok(f.refusals.some((r) => /systemd/.test(r)));
  });

  test('the bootloader is named with its variant: grub-debian (BIOS) here, grub-debian (EFI) on UEFI', () => {
    assert.equal(parseFacts('vm', sectionsFromFixtures(), dpkg).bootloader.label, 'grub-debian (BIOS)');
    const efi = parseFacts(
      'vm',
      sectionsFromFixtures({
        uefi: 'yes',
        'grub-dir-fs': 'caa8d92e-fad6-4218-9359-c050c6c3efbd /',
        'efi-stubs': `== /boot/efi/EFI/debian/grub.cfg\nsearch.fs_uuid caa8d92e-fad6-4218-9359-c050c6c3efbd root hd0,gpt2 \nset prefix=($root)'/boot/grub'\nconfigfile $prefix/grub.cfg\n`,
        'grub-packages': 'grub-efi-amd64 2.06-13+deb12u2 install ok installed',
      }),
      dpkg,
    );
    assert.equal(efi.bootloader.label, 'grub-debian (EFI)');
    assert.equal(efi.bootloader.summary[0], 'GRUB 2.06 (EFI), grubenv /boot/grub/grubenv');
    const names = [...factsScript(dpkg).matchAll(/@@kernel-rollout@@ ([a-z-]+)'/g)].map((m) => m[1]);
    assert.equal(names.filter((n) => n === 'uefi').length, 1, 'a section GRUB and the core both read runs once');
  });

  test('UEFI without a pstore backend is warned (not refused); efi_pstore or BIOS is not', () => {
    const req = {
      toRelease: NEW,
      source: { kind: 'apt' as const, packageName: `linux-image-${NEW}` },
      useKexec: false,
    };
    const assess = (extra: Record<string, string>) =>
      assessFacts(parseFacts('vm', sectionsFromFixtures(extra), dpkg), req, dpkg);
    // efi-stubs for the UEFI cases, so that only pstore differs.
    const uefi = {
      uefi: 'yes',
      'grub-dir-fs': 'caa8d92e-fad6-4218-9359-c050c6c3efbd /',
      'efi-stubs': `== /boot/efi/EFI/debian/grub.cfg\nsearch.fs_uuid caa8d92e-fad6-4218-9359-c050c6c3efbd root\nset prefix=($root)'/boot/grub'\nconfigfile $prefix/grub.cfg\n`,
    };
    assert.equal(parsePstoreBackend('backend=(null)\nefi_pstore_disable=Y'), null);
    assert.equal(parsePstoreBackend('backend=efi_pstore\nefi_pstore_disable=N'), 'efi_pstore');
    const none = assess({ ...uefi, pstore: 'backend=(null)' });
    assert.deepEqual(none.refusals, []);
    assert.ok(none.warnings.includes(PSTORE_WARNING), none.warnings.join('; '));
    assert.match(
      PSTORE_WARNING,
      /a trial's panic will leave no record: add efi_pstore to \/etc\/initramfs-tools\/modules/,
    );
    assert.ok(
      !assess({ ...uefi, pstore: 'backend=efi_pstore\nefi_pstore_disable=N' }).warnings.includes(PSTORE_WARNING),
    );
    assert.ok(!assess({ ...uefi, pstore: 'backend=erst' }).warnings.includes(PSTORE_WARNING));
    assert.ok(!assess({ pstore: 'backend=(null)' }).warnings.includes(PSTORE_WARNING), 'BIOS: not the firmware store');
  });
});
