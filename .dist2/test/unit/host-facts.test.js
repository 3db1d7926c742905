"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const host_facts_1 = require("../../src/activities/steps/host-facts");
const grub_debian_1 = require("../../src/activities/bootloader/grub-debian");
const dpkg_1 = require("../../src/activities/install/dpkg");
const fixtures_1 = require("../helpers/fixtures");
const OLD = '6.1.0-55-cloud-amd64';
const NEW = '6.1.0-56-cloud-amd64';
function sectionsFromFixtures(extra = {}) {
    return {
        'os-release': (0, fixtures_1.fixture)('os-release'),
        'uname-r': (0, fixtures_1.fixture)('uname-r.txt'),
        'boot-id': (0, fixtures_1.fixture)('boot_id.txt'),
        cmdline: (0, fixtures_1.fixture)('proc-cmdline.txt'),
        kernels: (0, fixtures_1.fixture)('dpkg-kernels.txt').replace(/^(\S+) \S* (.*)$/gm, '$1 $2'),
        'boot-free': (0, fixtures_1.fixture)('df-boot.txt').split('\n').filter(Boolean).pop() ?? '',
        findmnt: (0, fixtures_1.fixture)('findmnt-boot.txt').trim().split(/\s+/).slice(0, 2).join(' '),
        'lsblk-types': 'part\ndisk',
        'default-grub': (0, fixtures_1.fixture)('default-grub'),
        grubenv: (0, fixtures_1.fixture)('grubenv-initial'),
        'grub-cfg': (0, fixtures_1.fixture)('grub.cfg'),
        'dpkg-lock': '0',
        kexec: '/usr/sbin/kexec',
        systemd: 'yes',
        ...extra,
    };
}
(0, node_test_1.describe)('host facts', () => {
    (0, node_test_1.test)('os-release of Debian 12', () => {
        const os = (0, host_facts_1.parseOsRelease)((0, fixtures_1.fixture)('os-release'));
        strict_1.default.equal(os['ID'], 'debian');
        strict_1.default.equal(os['VERSION_ID'], '12');
    });
    (0, node_test_1.test)('installed kernels from dpkg-query, not-installed rows ignored', () => {
        const rows = (0, fixtures_1.fixture)('dpkg-kernels-two-kernels.txt').replace(/^(\S+) \S* (.*)$/gm, '$1 $2');
        strict_1.default.deepEqual((0, dpkg_1.parseInstalledKernels)(rows).sort(), [OLD, NEW]);
    });
    (0, node_test_1.test)('the facts script prints every section, and its output splits back', () => {
        const script = (0, host_facts_1.factsScript)(dpkg_1.dpkg);
        const names = [...script.matchAll(/@@kernel-rollout@@ ([a-z-]+)'/g)].map((m) => m[1]);
        strict_1.default.ok(names.includes('grub-cfg') && names.includes('boot-id') && names.at(-1) === 'end');
        const out = names.map((n) => `@@kernel-rollout@@ ${n}\nvalue of ${n}`).join('\n');
        const sections = (0, host_facts_1.splitSections)(out);
        strict_1.default.equal(sections['boot-id'], 'value of boot-id');
        strict_1.default.equal(sections['end'], undefined);
    });
    (0, node_test_1.test)('a fresh Debian 12 VM: no refusals; GRUB_DEFAULT=0 will be fixed', () => {
        const facts = (0, host_facts_1.assessFacts)((0, host_facts_1.parseFacts)('vm', sectionsFromFixtures(), dpkg_1.dpkg), { toRelease: NEW, source: { kind: 'apt', packageName: `linux-image-${NEW}` }, useKexec: false }, dpkg_1.dpkg);
        strict_1.default.deepEqual(facts.refusals, []);
        strict_1.default.equal(facts.runningKernel, OLD);
        strict_1.default.equal(facts.distroId, 'debian');
        strict_1.default.match(facts.bootId, /^[0-9a-f-]{36}$/);
        strict_1.default.ok(facts.bootFreeBytes > 100 * 1048576);
        strict_1.default.ok(facts.fixes.some((f) => /GRUB_DEFAULT=0 becomes saved/.test(f)));
    });
    (0, node_test_1.test)("a package for another architecture than the host's is refused before anything is touched", () => {
        const base = (0, host_facts_1.parseFacts)('vm', sectionsFromFixtures({ 'dpkg-arch': 'amd64' }), dpkg_1.dpkg);
        strict_1.default.equal(base.architecture, 'amd64');
        const req = {
            toRelease: NEW,
            source: { kind: 'deb', localPath: '/tmp/k.deb', sha256: 'a'.repeat(64) },
            useKexec: false,
        };
        const refused = (0, host_facts_1.assessFacts)(base, { ...req, packageArchitecture: 'i386' }, dpkg_1.dpkg).refusals;
        strict_1.default.deepEqual(refused, [
            'vm: the package is built for i386 and the host is amd64 (dpkg --print-architecture): it would not boot; ' +
                'build it for amd64 (for amd64, a config with CONFIG_64BIT=y)',
        ]);
        strict_1.default.deepEqual((0, host_facts_1.assessFacts)(base, { ...req, packageArchitecture: 'amd64' }, dpkg_1.dpkg).refusals, []);
        strict_1.default.deepEqual((0, host_facts_1.assessFacts)(base, { ...req, packageArchitecture: 'all' }, dpkg_1.dpkg).refusals, []);
    });
    (0, node_test_1.test)('unsafe storage for grubenv is refused with what to do; kexec is allowed there', () => {
        strict_1.default.match((0, grub_debian_1.grubenvWritability)('/dev/mapper/vg-root ext4', 'lvm\npart\ndisk') ?? '', /LVM/);
        strict_1.default.match((0, grub_debian_1.grubenvWritability)('/dev/md0 ext4', 'raid1\npart\ndisk') ?? '', /md-raid/);
        strict_1.default.match((0, grub_debian_1.grubenvWritability)('/dev/sda2 btrfs', 'part\ndisk') ?? '', /btrfs/);
        strict_1.default.match((0, grub_debian_1.grubenvWritability)('/dev/mapper/luks ext4', 'crypt\npart\ndisk') ?? '', /encrypted/);
        strict_1.default.equal((0, grub_debian_1.grubenvWritability)('/dev/vda1 ext4', 'part\ndisk'), null);
        const base = (0, host_facts_1.parseFacts)('vm', sectionsFromFixtures({ findmnt: '/dev/mapper/vg-root ext4', 'lsblk-types': 'lvm\npart\ndisk' }), dpkg_1.dpkg);
        const req = {
            toRelease: NEW,
            source: { kind: 'apt', packageName: `linux-image-${NEW}` },
            useKexec: false,
        };
        const refused = (0, host_facts_1.assessFacts)(base, req, dpkg_1.dpkg);
        strict_1.default.equal(refused.refusals.length, 1);
        strict_1.default.match(refused.refusals[0] ?? '', /LVM.*--kexec/);
        strict_1.default.deepEqual((0, host_facts_1.assessFacts)(base, { ...req, useKexec: true }, dpkg_1.dpkg).refusals, []);
    });
    (0, node_test_1.test)('full /boot, missing kexec, no systemd are refused with instructions', () => {
        const base = (0, host_facts_1.parseFacts)('vm', sectionsFromFixtures({ 'boot-free': String(40 * 1048576), kexec: '', systemd: '' }), dpkg_1.dpkg);
        const f = (0, host_facts_1.assessFacts)(base, { toRelease: NEW, source: { kind: 'apt', packageName: `linux-image-${NEW}` }, useKexec: true }, dpkg_1.dpkg);
        strict_1.default.ok(f.refusals.some((r) => /\/boot has 40 MiB free.*autoremove/.test(r)));
        strict_1.default.ok(f.refusals.some((r) => /kexec-tools/.test(r)));
        strict_1.default.ok(f.refusals.some((r) => /systemd/.test(r)));
    });
    (0, node_test_1.test)('the bootloader is named with its variant: grub-debian (BIOS) here, grub-debian (EFI) on UEFI', () => {
        strict_1.default.equal((0, host_facts_1.parseFacts)('vm', sectionsFromFixtures(), dpkg_1.dpkg).bootloader.label, 'grub-debian (BIOS)');
        const efi = (0, host_facts_1.parseFacts)('vm', sectionsFromFixtures({
            uefi: 'yes',
            'grub-dir-fs': 'caa8d92e-fad6-4218-9359-c050c6c3efbd /',
            'efi-stubs': `== /boot/efi/EFI/debian/grub.cfg\nsearch.fs_uuid caa8d92e-fad6-4218-9359-c050c6c3efbd root hd0,gpt2 \nset prefix=($root)'/boot/grub'\nconfigfile $prefix/grub.cfg\n`,
            'grub-packages': 'grub-efi-amd64 2.06-13+deb12u2 install ok installed',
        }), dpkg_1.dpkg);
        strict_1.default.equal(efi.bootloader.label, 'grub-debian (EFI)');
        strict_1.default.equal(efi.bootloader.summary[0], 'GRUB 2.06 (EFI), grubenv /boot/grub/grubenv');
        const names = [...(0, host_facts_1.factsScript)(dpkg_1.dpkg).matchAll(/@@kernel-rollout@@ ([a-z-]+)'/g)].map((m) => m[1]);
        strict_1.default.equal(names.filter((n) => n === 'uefi').length, 1, 'a section GRUB and the core both read runs once');
    });
    (0, node_test_1.test)('UEFI without a pstore backend is warned (not refused); efi_pstore or BIOS is not', () => {
        const req = {
            toRelease: NEW,
            source: { kind: 'apt', packageName: `linux-image-${NEW}` },
            useKexec: false,
        };
        const assess = (extra) => (0, host_facts_1.assessFacts)((0, host_facts_1.parseFacts)('vm', sectionsFromFixtures(extra), dpkg_1.dpkg), req, dpkg_1.dpkg);
        // efi-stubs for the UEFI cases, so that only pstore differs.
        const uefi = {
            uefi: 'yes',
            'grub-dir-fs': 'caa8d92e-fad6-4218-9359-c050c6c3efbd /',
            'efi-stubs': `== /boot/efi/EFI/debian/grub.cfg\nsearch.fs_uuid caa8d92e-fad6-4218-9359-c050c6c3efbd root\nset prefix=($root)'/boot/grub'\nconfigfile $prefix/grub.cfg\n`,
        };
        strict_1.default.equal((0, host_facts_1.parsePstoreBackend)('backend=(null)\nefi_pstore_disable=Y'), null);
        strict_1.default.equal((0, host_facts_1.parsePstoreBackend)('backend=efi_pstore\nefi_pstore_disable=N'), 'efi_pstore');
        const none = assess({ ...uefi, pstore: 'backend=(null)' });
        strict_1.default.deepEqual(none.refusals, []);
        strict_1.default.ok(none.warnings.includes(host_facts_1.PSTORE_WARNING), none.warnings.join('; '));
        strict_1.default.match(host_facts_1.PSTORE_WARNING, /a trial's panic will leave no record: add efi_pstore to \/etc\/initramfs-tools\/modules/);
        strict_1.default.ok(!assess({ ...uefi, pstore: 'backend=efi_pstore\nefi_pstore_disable=N' }).warnings.includes(host_facts_1.PSTORE_WARNING));
        strict_1.default.ok(!assess({ ...uefi, pstore: 'backend=erst' }).warnings.includes(host_facts_1.PSTORE_WARNING));
        strict_1.default.ok(!assess({ pstore: 'backend=(null)' }).warnings.includes(host_facts_1.PSTORE_WARNING), 'BIOS: not the firmware store');
    });
});
//# sourceMappingURL=host-facts.test.js.map