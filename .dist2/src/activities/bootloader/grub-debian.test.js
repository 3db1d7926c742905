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
 * The GRUB-on-Debian driver: its parsers on files captured from the testbed VM
 * (test/fixtures/debian12, README there says how), its facts and assessment on them, and the
 * custom.cfg commands in the real shell. Its operations over SSH against a simulated host are in
 * grub-debian.sim.test.ts.
 */
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const node_child_process_1 = require("node:child_process");
const node_fs_1 = require("node:fs");
const node_os_1 = require("node:os");
const path = __importStar(require("node:path"));
const grub_debian_1 = require("./grub-debian");
const kernel_args_1 = require("../trial/kernel-args");
/** A fixture captured from the testbed VM, without its one-line provenance header. */
function fixture(name) {
    const file = path.join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'debian12', name);
    const text = (0, node_fs_1.readFileSync)(file, 'utf8');
    return text.startsWith('# captured from') ? text.slice(text.indexOf('\n') + 1) : text;
}
/** A hand-written UEFI fixture (test/fixtures/debian12-efi, its README says what each stands for). */
function efiFixture(name) {
    return (0, node_fs_1.readFileSync)(path.join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'debian12-efi', name), 'utf8');
}
const UUID = 'caa8d92e-fad6-4218-9359-c050c6c3efbd';
const OLD = '6.1.0-55-cloud-amd64';
const NEW = '6.1.0-56-cloud-amd64';
(0, node_test_1.describe)('grub.cfg parser (Debian 12 fixtures)', () => {
    (0, node_test_1.test)('one kernel: simple, advanced and recovery entries with submenu-qualified ids', () => {
        const entries = (0, grub_debian_1.parseGrubCfg)(fixture('grub.cfg'));
        const ids = entries.map((e) => e.id);
        strict_1.default.ok(ids.includes(`gnulinux-simple-${UUID}`));
        strict_1.default.ok(ids.includes(`gnulinux-advanced-${UUID}>gnulinux-${OLD}-advanced-${UUID}`));
        strict_1.default.ok(ids.includes(`gnulinux-advanced-${UUID}>gnulinux-${OLD}-recovery-${UUID}`));
        const recovery = entries.find((e) => e.id.endsWith(`gnulinux-${OLD}-recovery-${UUID}`));
        strict_1.default.equal(recovery?.recovery, true);
        strict_1.default.equal(recovery?.release, OLD);
    });
    (0, node_test_1.test)('two kernels: each release maps to its own advanced entry, never the simple one', () => {
        const entries = (0, grub_debian_1.parseGrubCfg)(fixture('grub.cfg-two-kernels'));
        strict_1.default.equal((0, grub_debian_1.entryForRelease)(entries, NEW)?.id, `gnulinux-advanced-${UUID}>gnulinux-${NEW}-advanced-${UUID}`);
        strict_1.default.equal((0, grub_debian_1.entryForRelease)(entries, OLD)?.id, `gnulinux-advanced-${UUID}>gnulinux-${OLD}-advanced-${UUID}`);
        // The simple entry boots the newest kernel: using it as "known-good" would be wrong.
        const simple = entries.find((e) => e.id === `gnulinux-simple-${UUID}`);
        strict_1.default.equal(simple?.release, NEW);
        strict_1.default.equal((0, grub_debian_1.entryForRelease)(entries, '9.9.9-1-amd64'), null);
    });
    (0, node_test_1.test)('entry blocks hold the linux line', () => {
        const e = (0, grub_debian_1.entryForRelease)((0, grub_debian_1.parseGrubCfg)(fixture('grub.cfg-two-kernels')), NEW);
        strict_1.default.match(e?.block ?? '', new RegExp(`linux\\s+/boot/vmlinuz-${NEW} root=UUID=${UUID} ro`));
        strict_1.default.match(e?.block ?? '', /^\s*menuentry /);
        strict_1.default.match(e?.block ?? '', /\}\s*$/);
    });
});
(0, node_test_1.describe)('grubenv and /etc/default/grub', () => {
    (0, node_test_1.test)('grubenv with saved_entry, and after grub-reboot with next_entry', () => {
        const env = (0, grub_debian_1.parseGrubenv)(fixture('grubenv'));
        strict_1.default.equal(env['saved_entry'], `gnulinux-advanced-${UUID}>gnulinux-${OLD}-advanced-${UUID}`);
        strict_1.default.equal(env['next_entry'], undefined);
        const next = (0, grub_debian_1.parseGrubenv)(fixture('grubenv-next-entry'));
        strict_1.default.ok(next['next_entry'], 'next_entry set by grub-reboot');
    });
    (0, node_test_1.test)('after the trial boot GRUB cleared next_entry itself', () => {
        const env = (0, grub_debian_1.parseGrubenv)(fixture('grubenv-after-trial-boot'));
        strict_1.default.ok(!env['next_entry'], `next_entry is empty, got ${env['next_entry']}`);
    });
    (0, node_test_1.test)('Debian ships GRUB_DEFAULT=0; the fixed file says saved', () => {
        strict_1.default.equal((0, grub_debian_1.parseDefaultGrub)(fixture('default-grub'))['GRUB_DEFAULT'], '0');
        strict_1.default.equal((0, grub_debian_1.parseDefaultGrub)(fixture('default-grub-saved'))['GRUB_DEFAULT'], 'saved');
    });
    (0, node_test_1.test)('quoting and comments in /etc/default/grub', () => {
        const v = (0, grub_debian_1.parseDefaultGrub)(`GRUB_DEFAULT="saved"\nGRUB_CMDLINE_LINUX='a b'\nGRUB_TIMEOUT=5 # short\n#GRUB_SAVEDEFAULT=true\nGRUB_DISTRIBUTOR=\`lsb_release -i -s 2> /dev/null || echo Debian\``);
        strict_1.default.equal(v['GRUB_DEFAULT'], 'saved');
        strict_1.default.equal(v['GRUB_CMDLINE_LINUX'], 'a b');
        strict_1.default.equal(v['GRUB_TIMEOUT'], '5');
        strict_1.default.equal(v['GRUB_SAVEDEFAULT'], undefined);
    });
});
(0, node_test_1.describe)('command builders', () => {
    (0, node_test_1.test)('ids are quoted; hostile ids are refused', () => {
        const id = `gnulinux-advanced-${UUID}>gnulinux-${OLD}-advanced-${UUID}`;
        strict_1.default.equal((0, grub_debian_1.setSavedDefaultCommand)(id), `grub-set-default '${id}'`);
        strict_1.default.equal((0, grub_debian_1.setOneShotCommand)(grub_debian_1.TRIAL_ENTRY_ID), `grub-reboot ${grub_debian_1.TRIAL_ENTRY_ID}`);
        strict_1.default.throws(() => (0, grub_debian_1.setSavedDefaultCommand)("x'; reboot; '"), /entryId/);
        strict_1.default.throws(() => (0, grub_debian_1.setOneShotCommand)('$(reboot)'), /entryId/);
    });
    (0, node_test_1.test)('fixing GRUB_DEFAULT keeps one backup and sets saved', () => {
        const cmd = (0, grub_debian_1.fixDefaultGrubCommand)();
        strict_1.default.match(cmd, /\[ -e \/etc\/default\/grub\.kernel-rollout\.bak \] \|\| cp -p/);
        strict_1.default.match(cmd, /GRUB_DEFAULT=saved/);
        strict_1.default.match(cmd, /GRUB_SAVEDEFAULT=false/);
    });
    (0, node_test_1.test)('trial entry script: copy of the new kernel entry, fixed id, args on the linux line only', () => {
        const entries = (0, grub_debian_1.parseGrubCfg)(fixture('grub.cfg-two-kernels'));
        const target = (0, grub_debian_1.entryForRelease)(entries, NEW);
        strict_1.default.ok(target);
        const script = (0, grub_debian_1.trialEntryScript)(target, NEW, (0, kernel_args_1.trialKernelArgs)(7, 'tok', []));
        strict_1.default.match(script, /^#! \/bin\/sh\n/);
        strict_1.default.match(script, new RegExp(`\\$menuentry_id_option '${grub_debian_1.TRIAL_ENTRY_ID}' \\{`));
        const linux = script.split('\n').filter((l) => /^\s*linux\s/.test(l));
        strict_1.default.equal(linux.length, 1);
        strict_1.default.match(linux[0] ?? '', new RegExp(`vmlinuz-${NEW} .* panic=7 oops=panic kernel_rollout\\.trial=tok$`));
        // What the script prints parses back as an entry with the trial id booting NEW.
        const body = script.split("cat <<'KERNEL_ROLLOUT_EOF'\n")[1]?.split('KERNEL_ROLLOUT_EOF')[0] ?? '';
        const parsed = (0, grub_debian_1.parseGrubCfg)(body);
        strict_1.default.equal(parsed[0]?.id, grub_debian_1.TRIAL_ENTRY_ID);
        strict_1.default.equal(parsed[0]?.release, NEW);
    });
});
(0, node_test_1.describe)('facts and assessment (Debian 12 fixtures)', () => {
    const sections = (extra = {}) => ({
        'uname-r': OLD,
        findmnt: '/dev/vda1 ext4',
        'lsblk-types': 'part\ndisk',
        'default-grub': fixture('default-grub'),
        grubenv: fixture('grubenv-initial'),
        'grub-cfg': fixture('grub.cfg'),
        ...extra,
    });
    const ctx = { host: 'vm', runningKernel: OLD, toRelease: NEW };
    (0, node_test_1.test)('a fresh VM: GRUB found, its one-shot is cleared at boot, GRUB_DEFAULT=0 will be fixed', () => {
        const facts = (0, grub_debian_1.readGrubFacts)(sections());
        strict_1.default.ok(facts);
        strict_1.default.equal(facts.grubDefault, '0');
        strict_1.default.equal(facts.runningKernelEntry, `gnulinux-advanced-${UUID}>gnulinux-${OLD}-advanced-${UUID}`);
        strict_1.default.deepEqual(grub_debian_1.grubDebian.summary(facts), [
            'GRUB (no grub-pc/grub-efi package found) (BIOS), grubenv /boot/grub/grubenv',
            'GRUB_DEFAULT=0, saved_entry=(unset), next_entry=(unset)',
        ]);
        const a = (0, grub_debian_1.assessGrub)(facts, ctx);
        strict_1.default.deepEqual(a.capabilities.clearsOneShotAtBoot, { ok: true });
        strict_1.default.deepEqual(a.refusals, []);
        strict_1.default.deepEqual(a.fixes, [`GRUB_DEFAULT=0 becomes saved (backup: ${grub_debian_1.DEFAULT_GRUB_BACKUP_PATH})`]);
    });
    (0, node_test_1.test)('grubenv on LVM: the one-shot cannot be cleared at boot, said as a capability with what to do', () => {
        const facts = (0, grub_debian_1.readGrubFacts)(sections({ findmnt: '/dev/mapper/vg-root ext4', 'lsblk-types': 'lvm\npart\ndisk' }));
        strict_1.default.ok(facts);
        const oneShot = (0, grub_debian_1.assessGrub)(facts, ctx).capabilities.clearsOneShotAtBoot;
        strict_1.default.equal(oneShot.ok, false);
        strict_1.default.match(oneShot.ok ? '' : oneShot.reason, /^\/boot\/grub is on LVM .*cannot clear its one-shot.*--kexec/);
    });
    (0, node_test_1.test)('GRUB_SAVEDEFAULT=true and a pending one-shot: fixed and warned, not refused', () => {
        const defaults = `${fixture('default-grub-saved')}\nGRUB_SAVEDEFAULT=true\n`;
        const facts = (0, grub_debian_1.readGrubFacts)(sections({ 'default-grub': defaults, grubenv: fixture('grubenv-next-entry') }));
        strict_1.default.ok(facts);
        const a = (0, grub_debian_1.assessGrub)(facts, ctx);
        strict_1.default.deepEqual(a.refusals, []);
        strict_1.default.deepEqual(a.fixes, ['GRUB_SAVEDEFAULT=true becomes false (it would save the trial as the default)']);
        strict_1.default.match(a.warnings[0] ?? '', /one-shot entry is already set \(next_entry=.+\); stage replaces it/);
    });
    (0, node_test_1.test)('no entry for the running kernel: refused; no GRUB files at all: not this driver', () => {
        const facts = (0, grub_debian_1.readGrubFacts)(sections({ 'uname-r': '6.1.0-99-cloud-amd64' }));
        strict_1.default.ok(facts);
        const a = (0, grub_debian_1.assessGrub)(facts, { ...ctx, runningKernel: '6.1.0-99-cloud-amd64' });
        strict_1.default.match(a.refusals[0] ?? '', /running kernel 6\.1\.0-99-cloud-amd64 has no GRUB entry/);
        strict_1.default.equal((0, grub_debian_1.readGrubFacts)({ 'uname-r': OLD, findmnt: '/dev/vda1 ext4' }), null);
    });
});
(0, node_test_1.describe)('GRUB on UEFI (Debian 12 EFI stub fixtures)', () => {
    const stubSection = (...files) => files.map(([p, name]) => `== ${p}\n${efiFixture(name)}`).join('\n');
    /** A Debian 12 host booted through UEFI: grub-efi-amd64, the ESP stub, / holding /boot/grub. */
    const efiSections = (extra = {}) => ({
        'uname-r': OLD,
        findmnt: '/dev/vda2 ext4',
        'lsblk-types': 'part\ndisk',
        'default-grub': fixture('default-grub'),
        grubenv: fixture('grubenv-initial'),
        'grub-cfg': fixture('grub.cfg'),
        uefi: 'yes',
        'grub-packages': efiFixture('dpkg-grub-efi.txt'),
        'grub-dir-fs': `${UUID} /`,
        'efi-stubs': stubSection(['/boot/efi/EFI/debian/grub.cfg', 'esp-stub-grub.cfg']),
        ...extra,
    });
    const ctx = { host: 'vm', runningKernel: OLD, toRelease: NEW };
    (0, node_test_1.test)('the stub as grub-install writes it: root by UUID, prefix /boot/grub, configfile $prefix/grub.cfg', () => {
        strict_1.default.deepEqual((0, grub_debian_1.parseEfiStubs)(stubSection(['/boot/efi/EFI/debian/grub.cfg', 'esp-stub-grub.cfg'])), [
            { path: '/boot/efi/EFI/debian/grub.cfg', fsUuid: UUID, prefix: '/boot/grub', loadsPrefixConfig: true },
        ]);
        strict_1.default.deepEqual((0, grub_debian_1.grubDirOnFilesystem)(`${UUID} /`), { fsUuid: UUID, prefix: '/boot/grub' });
        strict_1.default.deepEqual((0, grub_debian_1.grubDirOnFilesystem)('0d3c1c5e-6b8f-4a4e-9f0e-2a7d0c4b9e11 /boot'), {
            fsUuid: '0d3c1c5e-6b8f-4a4e-9f0e-2a7d0c4b9e11',
            prefix: '/grub',
        });
        const [separate] = (0, grub_debian_1.parseEfiStubs)(stubSection(['/boot/efi/EFI/debian/grub.cfg', 'esp-stub-grub.cfg-separate-boot']));
        strict_1.default.ok(separate);
        strict_1.default.equal((0, grub_debian_1.efiStubProblem)(separate, (0, grub_debian_1.grubDirOnFilesystem)('0d3c1c5e-6b8f-4a4e-9f0e-2a7d0c4b9e11 /boot')), null);
        // The right filesystem, the wrong directory on it (a stub left from when /boot was separate).
        strict_1.default.match((0, grub_debian_1.efiStubProblem)({ ...separate, fsUuid: UUID }, (0, grub_debian_1.grubDirOnFilesystem)(`${UUID} /`)) ?? '', /makes GRUB read \(caa8d92e-.*\)\/grub\/grub\.cfg, not \/boot\/grub\/grub\.cfg/);
        strict_1.default.match((0, grub_debian_1.efiStubProblem)(separate, (0, grub_debian_1.grubDirOnFilesystem)(`${UUID} /`)) ?? '', /makes GRUB read \(0d3c1c5e-.*\)\/grub\/grub\.cfg, not \/boot\/grub\/grub\.cfg/);
    });
    (0, node_test_1.test)('the platform package and its version: grub-efi-amd64 2.06 (EFI), grub-pc 2.06 (BIOS)', () => {
        strict_1.default.deepEqual((0, grub_debian_1.parseGrubPackages)(efiFixture('dpkg-grub-efi.txt')), {
            platform: 'efi',
            package: 'grub-efi-amd64',
            version: '2.06',
        });
        strict_1.default.deepEqual((0, grub_debian_1.parseGrubPackages)(efiFixture('dpkg-grub-pc.txt')), {
            platform: 'pc',
            package: 'grub-pc',
            version: '2.06',
        });
        strict_1.default.deepEqual((0, grub_debian_1.parseGrubPackages)('grub-efi-amd64-signed 1+2.06+13+deb12u2 install ok installed\n').version, '2.06');
        strict_1.default.deepEqual((0, grub_debian_1.parseGrubPackages)('grub-pc  unknown ok not-installed\n'), {
            platform: null,
            package: null,
            version: null,
        });
    });
    (0, node_test_1.test)('a Debian 12 UEFI host: the same saved default and one-shot, the platform in the summary, nothing refused', () => {
        const facts = (0, grub_debian_1.readGrubFacts)(efiSections());
        strict_1.default.ok(facts);
        strict_1.default.equal(facts.firmware, 'uefi');
        strict_1.default.deepEqual(facts.efiStubs, [{ path: '/boot/efi/EFI/debian/grub.cfg', problem: null }]);
        strict_1.default.deepEqual(grub_debian_1.grubDebian.summary(facts), [
            'GRUB 2.06 (EFI), grubenv /boot/grub/grubenv',
            'GRUB_DEFAULT=0, saved_entry=(unset), next_entry=(unset)',
        ]);
        strict_1.default.equal(grub_debian_1.grubDebian.variant?.(facts), 'EFI');
        const a = (0, grub_debian_1.assessGrub)(facts, ctx);
        strict_1.default.deepEqual(a.refusals, []);
        strict_1.default.deepEqual(a.warnings, []);
        strict_1.default.deepEqual(a.capabilities.clearsOneShotAtBoot, { ok: true });
        // The same host through BIOS (no /sys/firmware/efi): the stub is not read, the platform says BIOS.
        const bios = (0, grub_debian_1.readGrubFacts)(efiSections({ uefi: '', 'grub-packages': efiFixture('dpkg-grub-pc.txt') }));
        strict_1.default.ok(bios);
        strict_1.default.equal(grub_debian_1.grubDebian.variant?.(bios), 'BIOS');
        strict_1.default.deepEqual(bios.efiStubs, []);
        strict_1.default.deepEqual((0, grub_debian_1.assessGrub)(bios, ctx).refusals, []);
    });
    (0, node_test_1.test)('a stub that loads another grub.cfg than /boot/grub: refused, saying what to do', () => {
        const facts = (0, grub_debian_1.readGrubFacts)(efiSections({ 'efi-stubs': stubSection(['/boot/efi/EFI/debian/grub.cfg', 'esp-stub-grub.cfg-separate-boot']) }));
        strict_1.default.ok(facts);
        const [refusal, ...more] = (0, grub_debian_1.assessGrub)(facts, ctx).refusals;
        strict_1.default.deepEqual(more, []);
        strict_1.default.match(refusal ?? '', /^\/boot\/efi\/EFI\/debian\/grub\.cfg makes GRUB read .*: the saved default and one-shot kernel-rollout writes to \/boot\/grub\/grubenv would not be the ones GRUB reads; run grub-install/);
        // A stub in another form (a full grub.cfg on the ESP) cannot be told: refused too.
        const full = (0, grub_debian_1.readGrubFacts)(efiSections({ 'efi-stubs': `== /boot/efi/EFI/debian/grub.cfg\n${fixture('grub.cfg')}` }));
        strict_1.default.ok(full);
        strict_1.default.match((0, grub_debian_1.assessGrub)(full, ctx).refusals[0] ?? '', /is not the stub grub-install writes/);
    });
    (0, node_test_1.test)('no stub, an unsigned image with its prefix built in (as on the uefi-grub testbed VM): checked against /boot/grub', () => {
        // What the uefi-grub testbed VM showed (grub-install --target=x86_64-efi, no shim): no
        // EFI/debian/grub.cfg, the prefix (,gpt2)/boot/grub inside grubx64.efi, /boot/grub on /dev/vda2.
        const image = '/boot/efi/EFI/debian/grubx64.efi (,gpt2)/boot/grub\n';
        const ok = (0, grub_debian_1.readGrubFacts)(efiSections({ 'efi-stubs': '', 'efi-images': image, 'grub-dir-source': '/dev/vda2\n' }));
        strict_1.default.ok(ok);
        strict_1.default.deepEqual(ok.efiStubs, [{ path: '/boot/efi/EFI/debian/grubx64.efi', problem: null }]);
        strict_1.default.deepEqual((0, grub_debian_1.assessGrub)(ok, ctx).refusals, []);
        const otherPartition = (0, grub_debian_1.readGrubFacts)(efiSections({ 'efi-stubs': '', 'efi-images': image, 'grub-dir-source': '/dev/vda3\n' }));
        strict_1.default.ok(otherPartition);
        strict_1.default.match((0, grub_debian_1.assessGrub)(otherPartition, ctx).refusals[0] ?? '', /reads partition 2's \/boot\/grub\/grub\.cfg, not/);
        const none = (0, grub_debian_1.readGrubFacts)(efiSections({
            'efi-stubs': '',
            'efi-images': '/boot/efi/EFI/debian/grubx64.efi \n',
            'grub-dir-source': '/dev/vda2',
        }));
        strict_1.default.ok(none);
        strict_1.default.match((0, grub_debian_1.assessGrub)(none, ctx).refusals[0] ?? '', /no stub beside it and no built-in prefix/);
    });
    (0, node_test_1.test)('booted through UEFI with no stub readable (ESP not mounted): refused; grub-pc on UEFI: warned', () => {
        const noStub = (0, grub_debian_1.readGrubFacts)(efiSections({ 'efi-stubs': '' }));
        strict_1.default.ok(noStub);
        strict_1.default.match((0, grub_debian_1.assessGrub)(noStub, ctx).refusals[0] ?? '', /^the host booted through UEFI but no GRUB stub \/boot\/efi\/EFI\/\*\/grub\.cfg nor GRUB image .* could be read.*mount the EFI system partition at \/boot\/efi/);
        const pc = (0, grub_debian_1.readGrubFacts)(efiSections({ 'grub-packages': efiFixture('dpkg-grub-pc.txt') }));
        strict_1.default.ok(pc);
        const a = (0, grub_debian_1.assessGrub)(pc, ctx);
        strict_1.default.deepEqual(a.refusals, []);
        strict_1.default.match(a.warnings[0] ?? '', /booted through UEFI but grub-pc is installed.*apt-get install grub-efi-amd64/);
    });
    (0, node_test_1.test)('grubenv where GRUB cannot rewrite it at boot is refused on UEFI as on BIOS', () => {
        for (const [findmnt, types, why] of [
            ['/dev/mapper/vg-root ext4', 'lvm\npart\ndisk', /LVM/],
            ['/dev/md0 ext4', 'raid1\npart\ndisk', /md-raid/],
            ['/dev/vda2 btrfs', 'part\ndisk', /btrfs/],
            ['rpool/ROOT/debian zfs', '', /zfs/],
            ['/dev/vda2 f2fs', 'part\ndisk', /f2fs, which GRUB does not write/],
            ['/dev/mapper/mpatha-part2 ext4', 'part\nmpath\ndisk', /device-mapper/],
            ['', '', /could not be read/],
        ]) {
            const facts = (0, grub_debian_1.readGrubFacts)(efiSections({ findmnt, 'lsblk-types': types }));
            strict_1.default.ok(facts);
            const oneShot = (0, grub_debian_1.assessGrub)(facts, ctx).capabilities.clearsOneShotAtBoot;
            strict_1.default.equal(oneShot.ok, false, findmnt);
            strict_1.default.match(oneShot.ok ? '' : oneShot.reason, why);
            strict_1.default.match(oneShot.ok ? '' : oneShot.reason, /cannot clear its one-shot.*--kexec/);
        }
        strict_1.default.equal((0, grub_debian_1.grubenvWritability)('/dev/vda2 xfs', 'part\ndisk'), null);
        strict_1.default.equal((0, grub_debian_1.grubenvWritability)('/dev/nvme0n1p2 ext4', 'part\ndisk'), null);
    });
});
(0, node_test_1.describe)('the trial entry in custom.cfg (no update-grub)', () => {
    const target = () => {
        const t = (0, grub_debian_1.entryForRelease)((0, grub_debian_1.parseGrubCfg)(fixture('grub.cfg-two-kernels')), NEW);
        strict_1.default.ok(t);
        return t;
    };
    (0, node_test_1.test)('the block: markers, the fixed id, the trial arguments on the linux line, no savedefault', () => {
        const withSave = { ...target(), block: target().block.replace(/(\n\s*load_video)/, '\n\tsavedefault$1') };
        strict_1.default.match(withSave.block, /savedefault/);
        const block = (0, grub_debian_1.trialEntryBlock)(withSave, NEW, (0, kernel_args_1.trialKernelArgs)(7, 'tok', []));
        const lines = block.split('\n');
        strict_1.default.equal(lines[0], grub_debian_1.TRIAL_BLOCK_BEGIN);
        strict_1.default.equal(lines[lines.length - 2], grub_debian_1.TRIAL_BLOCK_END);
        strict_1.default.doesNotMatch(block, /savedefault/);
        const parsed = (0, grub_debian_1.parseGrubCfg)(block);
        strict_1.default.equal(parsed.length, 1);
        strict_1.default.equal(parsed[0]?.id, grub_debian_1.TRIAL_ENTRY_ID);
        strict_1.default.equal(parsed[0]?.release, NEW);
        strict_1.default.match(block, new RegExp(`linux\\s+/boot/vmlinuz-${NEW} .* panic=7 oops=panic kernel_rollout\\.trial=tok\\n`));
    });
    (0, node_test_1.test)("Debian's grub.cfg sources custom.cfg; one without its 41_custom section does not", () => {
        strict_1.default.equal((0, grub_debian_1.sourcesCustomCfg)(fixture('grub.cfg')), true);
        strict_1.default.equal((0, grub_debian_1.sourcesCustomCfg)(fixture('grub.cfg-default-saved')), true);
        const without = fixture('grub.cfg').replace(/### BEGIN \/etc\/grub\.d\/41_custom ###[\s\S]*?### END \/etc\/grub\.d\/41_custom ###/, '');
        strict_1.default.equal((0, grub_debian_1.sourcesCustomCfg)(without), false);
    });
    (0, node_test_1.test)('which default grub.cfg boots: the saved one, or the release behind a literal 0', () => {
        strict_1.default.equal((0, grub_debian_1.honoursSavedDefault)(fixture('grub.cfg-default-saved')), true);
        strict_1.default.equal((0, grub_debian_1.honoursSavedDefault)(fixture('grub.cfg')), false);
        strict_1.default.equal((0, grub_debian_1.literalDefaultRelease)(fixture('grub.cfg')), OLD);
        // Two kernels: entry 0 is the simple entry, which boots the newest.
        strict_1.default.equal((0, grub_debian_1.literalDefaultRelease)(fixture('grub.cfg-two-kernels')), NEW);
        strict_1.default.equal((0, grub_debian_1.literalDefaultRelease)(fixture('grub.cfg-default-saved')), null);
        strict_1.default.equal((0, grub_debian_1.literalDefaultRelease)(fixture('grub.cfg').replace('set default="0"', 'set default="1>2"')), null);
    });
    (0, node_test_1.describe)('writing and removing the block with the real shell', () => {
        let dir;
        let file;
        const sh = (command, stdin = '') => {
            const r = (0, node_child_process_1.spawnSync)('sh', ['-c', command], { input: stdin, encoding: 'utf8' });
            strict_1.default.equal(r.status, 0, r.stderr);
            return r.stdout;
        };
        (0, node_test_1.before)(() => {
            dir = (0, node_fs_1.mkdtempSync)(path.join((0, node_os_1.tmpdir)(), 'kr-custom-cfg-'));
            file = path.join(dir, 'custom.cfg');
        });
        (0, node_test_1.after)(() => (0, node_fs_1.rmSync)(dir, { recursive: true, force: true }));
        (0, node_test_1.test)("an operator's custom.cfg keeps its lines; a second staging replaces the first block", () => {
            const own = "menuentry 'rescue' {\n\tlinux /boot/vmlinuz-rescue\n}\n";
            (0, node_fs_1.writeFileSync)(file, own);
            const first = (0, grub_debian_1.trialEntryBlock)(target(), NEW, (0, kernel_args_1.trialKernelArgs)(7, 'one', []));
            const second = (0, grub_debian_1.trialEntryBlock)(target(), NEW, (0, kernel_args_1.trialKernelArgs)(7, 'two', []));
            sh((0, grub_debian_1.writeTrialBlockCommand)(file), first);
            sh((0, grub_debian_1.writeTrialBlockCommand)(file), second);
            strict_1.default.equal((0, node_fs_1.readFileSync)(file, 'utf8'), own + second);
            strict_1.default.equal(sh((0, grub_debian_1.removeTrialBlockCommand)(file)), 'removed-trial-block\n');
            strict_1.default.equal((0, node_fs_1.readFileSync)(file, 'utf8'), own);
            strict_1.default.equal(sh((0, grub_debian_1.removeTrialBlockCommand)(file)), '', 'nothing to remove the second time');
            strict_1.default.equal((0, node_fs_1.readFileSync)(file, 'utf8'), own);
        });
        (0, node_test_1.test)('a custom.cfg that held only the block is removed with it', () => {
            (0, node_fs_1.rmSync)(file, { force: true });
            sh((0, grub_debian_1.writeTrialBlockCommand)(file), (0, grub_debian_1.trialEntryBlock)(target(), NEW, (0, kernel_args_1.trialKernelArgs)(7, 'tok', [])));
            strict_1.default.equal((0, grub_debian_1.parseGrubCfg)((0, node_fs_1.readFileSync)(file, 'utf8'))[0]?.id, grub_debian_1.TRIAL_ENTRY_ID);
            strict_1.default.equal(sh((0, grub_debian_1.removeTrialBlockCommand)(file)), 'removed-trial-block\n');
            strict_1.default.equal((0, node_fs_1.existsSync)(file), false);
            strict_1.default.equal((0, node_fs_1.existsSync)(`${file}.kernel-rollout-new`), false);
        });
    });
});
//# sourceMappingURL=grub-debian.test.js.map