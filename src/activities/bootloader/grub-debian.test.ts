/**
 * The GRUB-on-Debian driver: its parsers on files captured from the testbed VM
 * (test/fixtures/debian12, README there says how), its facts and assessment on them, and the
 * custom.cfg commands in the real shell. Its operations over SSH against a simulated host are in
 * grub-debian.sim.test.ts.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  DEFAULT_GRUB_BACKUP_PATH,
  TRIAL_BLOCK_BEGIN,
  TRIAL_BLOCK_END,
  TRIAL_ENTRY_ID,
  assessGrub,
  efiStubProblem,
  entryForRelease,
  grubDirOnFilesystem,
  grubenvWritability,
  parseEfiStubs,
  parseGrubPackages,
  fixDefaultGrubCommand,
  parseDefaultGrub,
  parseGrubCfg,
  parseGrubenv,
  setOneShotCommand,
  setSavedDefaultCommand,
  grubDebian,
  honoursSavedDefault,
  literalDefaultRelease,
  readGrubFacts,
  removeTrialBlockCommand,
  sourcesCustomCfg,
  trialEntryBlock,
  trialEntryScript,
  writeTrialBlockCommand,
} from './grub-debian';
import { trialKernelArgs } from '../trial/kernel-args';

/** A fixture captured from the testbed VM, without its one-line provenance header. */
function fixture(name: string): string {
  const file = path.join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'debian12', name);
  const text = readFileSync(file, 'utf8');
  return text.startsWith('# captured from') ? text.slice(text.indexOf('\n') + 1) : text;
}

/** A hand-written UEFI fixture (test/fixtures/debian12-efi, its README says what each stands for). */
function efiFixture(name: string): string {
  return readFileSync(path.join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'debian12-efi', name), 'utf8');
}

const UUID = 'caa8d92e-fad6-4218-9359-c050c6c3efbd';
const OLD = '6.1.0-55-cloud-amd64';
const NEW = '6.1.0-56-cloud-amd64';

describe('grub.cfg parser (Debian 12 fixtures)', () => {
  test('one kernel: simple, advanced and recovery entries with submenu-qualified ids', () => {
    const entries = parseGrubCfg(fixture('grub.cfg'));
    const ids = entries.map((e) => e.id);
    assert.ok(ids.includes(`gnulinux-simple-${UUID}`));
    assert.ok(ids.includes(`gnulinux-advanced-${UUID}>gnulinux-${OLD}-advanced-${UUID}`));
    assert.ok(ids.includes(`gnulinux-advanced-${UUID}>gnulinux-${OLD}-recovery-${UUID}`));
    const recovery = entries.find((e) => e.id.endsWith(`gnulinux-${OLD}-recovery-${UUID}`));
    assert.equal(recovery?.recovery, true);
    assert.equal(recovery?.release, OLD);
  });

  test('two kernels: each release maps to its own advanced entry, never the simple one', () => {
    const entries = parseGrubCfg(fixture('grub.cfg-two-kernels'));
    assert.equal(entryForRelease(entries, NEW)?.id, `gnulinux-advanced-${UUID}>gnulinux-${NEW}-advanced-${UUID}`);
    assert.equal(entryForRelease(entries, OLD)?.id, `gnulinux-advanced-${UUID}>gnulinux-${OLD}-advanced-${UUID}`);
    // The simple entry boots the newest kernel: using it as "known-good" would be wrong.
    const simple = entries.find((e) => e.id === `gnulinux-simple-${UUID}`);
    assert.equal(simple?.release, NEW);
    assert.equal(entryForRelease(entries, '9.9.9-1-amd64'), null);
  });

  test('entry blocks hold the linux line', () => {
    const e = entryForRelease(parseGrubCfg(fixture('grub.cfg-two-kernels')), NEW);
    assert.match(e?.block ?? '', new RegExp(`linux\\s+/boot/vmlinuz-${NEW} root=UUID=${UUID} ro`));
    assert.match(e?.block ?? '', /^\s*menuentry /);
    assert.match(e?.block ?? '', /\}\s*$/);
  });
});

describe('grubenv and /etc/default/grub', () => {
  test('grubenv with saved_entry, and after grub-reboot with next_entry', () => {
    const env = parseGrubenv(fixture('grubenv'));
    assert.equal(env['saved_entry'], `gnulinux-advanced-${UUID}>gnulinux-${OLD}-advanced-${UUID}`);
    assert.equal(env['next_entry'], undefined);
    const next = parseGrubenv(fixture('grubenv-next-entry'));
    assert.ok(next['next_entry'], 'next_entry set by grub-reboot');
  });

  test('after the trial boot GRUB cleared next_entry itself', () => {
    const env = parseGrubenv(fixture('grubenv-after-trial-boot'));
    assert.ok(!env['next_entry'], `next_entry is empty, got ${env['next_entry']}`);
  });

  test('Debian ships GRUB_DEFAULT=0; the fixed file says saved', () => {
    assert.equal(parseDefaultGrub(fixture('default-grub'))['GRUB_DEFAULT'], '0');
    assert.equal(parseDefaultGrub(fixture('default-grub-saved'))['GRUB_DEFAULT'], 'saved');
  });

  test('quoting and comments in /etc/default/grub', () => {
    const v = parseDefaultGrub(
      `GRUB_DEFAULT="saved"\nGRUB_CMDLINE_LINUX='a b'\nGRUB_TIMEOUT=5 # short\n#GRUB_SAVEDEFAULT=true\nGRUB_DISTRIBUTOR=\`lsb_release -i -s 2> /dev/null || echo Debian\``,
    );
    assert.equal(v['GRUB_DEFAULT'], 'saved');
    assert.equal(v['GRUB_CMDLINE_LINUX'], 'a b');
    assert.equal(v['GRUB_TIMEOUT'], '5');
    assert.equal(v['GRUB_SAVEDEFAULT'], undefined);
  });
});

describe('command builders', () => {
  test('ids are quoted; hostile ids are refused', () => {
    const id = `gnulinux-advanced-${UUID}>gnulinux-${OLD}-advanced-${UUID}`;
    assert.equal(setSavedDefaultCommand(id), `grub-set-default '${id}'`);
    assert.equal(setOneShotCommand(TRIAL_ENTRY_ID), `grub-reboot ${TRIAL_ENTRY_ID}`);
    assert.throws(() => setSavedDefaultCommand("x'; reboot; '"), /entryId/);
    assert.throws(() => setOneShotCommand('$(reboot)'), /entryId/);
  });

  test('fixing GRUB_DEFAULT keeps one backup and sets saved', () => {
    const cmd = fixDefaultGrubCommand();
    assert.match(cmd, /\[ -e \/etc\/default\/grub\.kernel-rollout\.bak \] \|\| cp -p/);
    assert.match(cmd, /GRUB_DEFAULT=saved/);
    assert.match(cmd, /GRUB_SAVEDEFAULT=false/);
  });

  test('trial entry script: copy of the new kernel entry, fixed id, args on the linux line only', () => {
    const entries = parseGrubCfg(fixture('grub.cfg-two-kernels'));
    const target = entryForRelease(entries, NEW);
    assert.ok(target);
    const script = trialEntryScript(target, NEW, trialKernelArgs(7, 'tok', []));
    assert.match(script, /^#! \/bin\/sh\n/);
    assert.match(script, new RegExp(`\\$menuentry_id_option '${TRIAL_ENTRY_ID}' \\{`));
    const linux = script.split('\n').filter((l) => /^\s*linux\s/.test(l));
    assert.equal(linux.length, 1);
    assert.match(linux[0] ?? '', new RegExp(`vmlinuz-${NEW} .* panic=7 oops=panic kernel_rollout\\.trial=tok$`));
    // What the script prints parses back as an entry with the trial id booting NEW.
    const body = script.split("cat <<'KERNEL_ROLLOUT_EOF'\n")[1]?.split('KERNEL_ROLLOUT_EOF')[0] ?? '';
    const parsed = parseGrubCfg(body);
    assert.equal(parsed[0]?.id, TRIAL_ENTRY_ID);
    assert.equal(parsed[0]?.release, NEW);
  });
});

describe('facts and assessment (Debian 12 fixtures)', () => {
  const sections = (extra: Record<string, string> = {}) => ({
    'uname-r': OLD,
    findmnt: '/dev/vda1 ext4',
    'lsblk-types': 'part\ndisk',
    'default-grub': fixture('default-grub'),
    grubenv: fixture('grubenv-initial'),
    'grub-cfg': fixture('grub.cfg'),
    ...extra,
  });
  const ctx = { host: 'vm', runningKernel: OLD, toRelease: NEW };

  test('a fresh VM: GRUB found, its one-shot is cleared at boot, GRUB_DEFAULT=0 will be fixed', () => {
    const facts = readGrubFacts(sections());
    assert.ok(facts);
    assert.equal(facts.grubDefault, '0');
    assert.equal(facts.runningKernelEntry, `gnulinux-advanced-${UUID}>gnulinux-${OLD}-advanced-${UUID}`);
    assert.deepEqual(grubDebian.summary(facts), [
      'GRUB (no grub-pc/grub-efi package found) (BIOS), grubenv /boot/grub/grubenv',
      'GRUB_DEFAULT=0, saved_entry=(unset), next_entry=(unset)',
    ]);
    const a = assessGrub(facts, ctx);
    assert.deepEqual(a.capabilities.clearsOneShotAtBoot, { ok: true });
    assert.deepEqual(a.refusals, []);
    assert.deepEqual(a.fixes, [`GRUB_DEFAULT=0 becomes saved (backup: ${DEFAULT_GRUB_BACKUP_PATH})`]);
  });

  test('grubenv on LVM: the one-shot cannot be cleared at boot, said as a capability with what to do', () => {
    const facts = readGrubFacts(sections({ findmnt: '/dev/mapper/vg-root ext4', 'lsblk-types': 'lvm\npart\ndisk' }));
    assert.ok(facts);
    const oneShot = assessGrub(facts, ctx).capabilities.clearsOneShotAtBoot;
    assert.equal(oneShot.ok, false);
    assert.match(oneShot.ok ? '' : oneShot.reason, /^\/boot\/grub is on LVM .*cannot clear its one-shot.*--kexec/);
  });

  test('GRUB_SAVEDEFAULT=true and a pending one-shot: fixed and warned, not refused', () => {
    const defaults = `${fixture('default-grub-saved')}\nGRUB_SAVEDEFAULT=true\n`;
    const facts = readGrubFacts(sections({ 'default-grub': defaults, grubenv: fixture('grubenv-next-entry') }));
    assert.ok(facts);
    const a = assessGrub(facts, ctx);
    assert.deepEqual(a.refusals, []);
    assert.deepEqual(a.fixes, ['GRUB_SAVEDEFAULT=true becomes false (it would save the trial as the default)']);
    assert.match(a.warnings[0] ?? '', /one-shot entry is already set \(next_entry=.+\); stage replaces it/);
  });

  test('no entry for the running kernel: refused; no GRUB files at all: not this driver', () => {
    const facts = readGrubFacts(sections({ 'uname-r': '6.1.0-99-cloud-amd64' }));
    assert.ok(facts);
    const a = assessGrub(facts, { ...ctx, runningKernel: '6.1.0-99-cloud-amd64' });
    assert.match(a.refusals[0] ?? '', /running kernel 6\.1\.0-99-cloud-amd64 has no GRUB entry/);
    assert.equal(readGrubFacts({ 'uname-r': OLD, findmnt: '/dev/vda1 ext4' }), null);
  });
});

describe('GRUB on UEFI (Debian 12 EFI stub fixtures)', () => {
  const stubSection = (...files: [string, string][]) =>
    files.map(([p, name]) => `== ${p}\n${efiFixture(name)}`).join('\n');
  /** A Debian 12 host booted through UEFI: grub-efi-amd64, the ESP stub, / holding /boot/grub. */
  const efiSections = (extra: Record<string, string> = {}) => ({
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

  test('the stub as grub-install writes it: root by UUID, prefix /boot/grub, configfile $prefix/grub.cfg', () => {
    assert.deepEqual(parseEfiStubs(stubSection(['/boot/efi/EFI/debian/grub.cfg', 'esp-stub-grub.cfg'])), [
      { path: '/boot/efi/EFI/debian/grub.cfg', fsUuid: UUID, prefix: '/boot/grub', loadsPrefixConfig: true },
    ]);
    assert.deepEqual(grubDirOnFilesystem(`${UUID} /`), { fsUuid: UUID, prefix: '/boot/grub' });
    assert.deepEqual(grubDirOnFilesystem('0d3c1c5e-6b8f-4a4e-9f0e-2a7d0c4b9e11 /boot'), {
      fsUuid: '0d3c1c5e-6b8f-4a4e-9f0e-2a7d0c4b9e11',
      prefix: '/grub',
    });
    const [separate] = parseEfiStubs(stubSection(['/boot/efi/EFI/debian/grub.cfg', 'esp-stub-grub.cfg-separate-boot']));
    assert.ok(separate);
    assert.equal(efiStubProblem(separate, grubDirOnFilesystem('0d3c1c5e-6b8f-4a4e-9f0e-2a7d0c4b9e11 /boot')), null);
    // The right filesystem, the wrong directory on it (a stub left from when /boot was separate).
    assert.match(
      efiStubProblem({ ...separate, fsUuid: UUID }, grubDirOnFilesystem(`${UUID} /`)) ?? '',
      /makes GRUB read \(caa8d92e-.*\)\/grub\/grub\.cfg, not \/boot\/grub\/grub\.cfg/,
    );
    assert.match(
      efiStubProblem(separate, grubDirOnFilesystem(`${UUID} /`)) ?? '',
      /makes GRUB read \(0d3c1c5e-.*\)\/grub\/grub\.cfg, not \/boot\/grub\/grub\.cfg/,
    );
  });

  test('the platform package and its version: grub-efi-amd64 2.06 (EFI), grub-pc 2.06 (BIOS)', () => {
    assert.deepEqual(parseGrubPackages(efiFixture('dpkg-grub-efi.txt')), {
      platform: 'efi',
      package: 'grub-efi-amd64',
      version: '2.06',
    });
    assert.deepEqual(parseGrubPackages(efiFixture('dpkg-grub-pc.txt')), {
      platform: 'pc',
      package: 'grub-pc',
      version: '2.06',
    });
    assert.deepEqual(
      parseGrubPackages('grub-efi-amd64-signed 1+2.06+13+deb12u2 install ok installed\n').version,
      '2.06',
    );
    assert.deepEqual(parseGrubPackages('grub-pc  unknown ok not-installed\n'), {
      platform: null,
      package: null,
      version: null,
    });
  });

  test('a Debian 12 UEFI host: the same saved default and one-shot, the platform in the summary, nothing refused', () => {
    const facts = readGrubFacts(efiSections());
    assert.ok(facts);
    assert.equal(facts.firmware, 'uefi');
    assert.deepEqual(facts.efiStubs, [{ path: '/boot/efi/EFI/debian/grub.cfg', problem: null }]);
    assert.deepEqual(grubDebian.summary(facts), [
      'GRUB 2.06 (EFI), grubenv /boot/grub/grubenv',
      'GRUB_DEFAULT=0, saved_entry=(unset), next_entry=(unset)',
    ]);
    assert.equal(grubDebian.variant?.(facts), 'EFI');
    const a = assessGrub(facts, ctx);
    assert.deepEqual(a.refusals, []);
    assert.deepEqual(a.warnings, []);
    assert.deepEqual(a.capabilities.clearsOneShotAtBoot, { ok: true });
    // The same host through BIOS (no /sys/firmware/efi): the stub is not read, the platform says BIOS.
    const bios = readGrubFacts(efiSections({ uefi: '', 'grub-packages': efiFixture('dpkg-grub-pc.txt') }));
    assert.ok(bios);
    assert.equal(grubDebian.variant?.(bios), 'BIOS');
    assert.deepEqual(bios.efiStubs, []);
    assert.deepEqual(assessGrub(bios, ctx).refusals, []);
  });

  test('a stub that loads another grub.cfg than /boot/grub: refused, saying what to do', () => {
    const facts = readGrubFacts(
      efiSections({ 'efi-stubs': stubSection(['/boot/efi/EFI/debian/grub.cfg', 'esp-stub-grub.cfg-separate-boot']) }),
    );
    assert.ok(facts);
    const [refusal, ...more] = assessGrub(facts, ctx).refusals;
    assert.deepEqual(more, []);
    assert.match(
      refusal ?? '',
      /^\/boot\/efi\/EFI\/debian\/grub\.cfg makes GRUB read .*: the saved default and one-shot kernel-rollout writes to \/boot\/grub\/grubenv would not be the ones GRUB reads; run grub-install/,
    );
    // A stub in another form (a full grub.cfg on the ESP) cannot be told: refused too.
    const full = readGrubFacts(
      efiSections({ 'efi-stubs': `== /boot/efi/EFI/debian/grub.cfg\n${fixture('grub.cfg')}` }),
    );
    assert.ok(full);
    assert.match(assessGrub(full, ctx).refusals[0] ?? '', /is not the stub grub-install writes/);
  });

  test('no stub, an unsigned image with its prefix built in (as on the uefi-grub testbed VM): checked against /boot/grub', () => {
    // What the uefi-grub testbed VM showed (grub-install --target=x86_64-efi, no shim): no
    // EFI/debian/grub.cfg, the prefix (,gpt2)/boot/grub inside grubx64.efi, /boot/grub on /dev/vda2.
    const image = '/boot/efi/EFI/debian/grubx64.efi (,gpt2)/boot/grub\n';
    const ok = readGrubFacts(efiSections({ 'efi-stubs': '', 'efi-images': image, 'grub-dir-source': '/dev/vda2\n' }));
    assert.ok(ok);
    assert.deepEqual(ok.efiStubs, [{ path: '/boot/efi/EFI/debian/grubx64.efi', problem: null }]);
    assert.deepEqual(assessGrub(ok, ctx).refusals, []);
    const otherPartition = readGrubFacts(
      efiSections({ 'efi-stubs': '', 'efi-images': image, 'grub-dir-source': '/dev/vda3\n' }),
    );
    assert.ok(otherPartition);
    assert.match(assessGrub(otherPartition, ctx).refusals[0] ?? '', /reads partition 2's \/boot\/grub\/grub\.cfg, not/);
    const none = readGrubFacts(
      efiSections({
        'efi-stubs': '',
        'efi-images': '/boot/efi/EFI/debian/grubx64.efi \n',
        'grub-dir-source': '/dev/vda2',
      }),
    );
    assert.ok(none);
    assert.match(assessGrub(none, ctx).refusals[0] ?? '', /no stub beside it and no built-in prefix/);
  });

  test('booted through UEFI with no stub readable (ESP not mounted): refused; grub-pc on UEFI: warned', () => {
    const noStub = readGrubFacts(efiSections({ 'efi-stubs': '' }));
    assert.ok(noStub);
    assert.match(
      assessGrub(noStub, ctx).refusals[0] ?? '',
      /^the host booted through UEFI but no GRUB stub \/boot\/efi\/EFI\/\*\/grub\.cfg nor GRUB image .* could be read.*mount the EFI system partition at \/boot\/efi/,
    );
    const pc = readGrubFacts(efiSections({ 'grub-packages': efiFixture('dpkg-grub-pc.txt') }));
    assert.ok(pc);
    const a = assessGrub(pc, ctx);
    assert.deepEqual(a.refusals, []);
    assert.match(a.warnings[0] ?? '', /booted through UEFI but grub-pc is installed.*apt-get install grub-efi-amd64/);
  });

  test('grubenv where GRUB cannot rewrite it at boot is refused on UEFI as on BIOS', () => {
    for (const [findmnt, types, why] of [
      ['/dev/mapper/vg-root ext4', 'lvm\npart\ndisk', /LVM/],
      ['/dev/md0 ext4', 'raid1\npart\ndisk', /md-raid/],
      ['/dev/vda2 btrfs', 'part\ndisk', /btrfs/],
      ['rpool/ROOT/debian zfs', '', /zfs/],
      ['/dev/vda2 f2fs', 'part\ndisk', /f2fs, which GRUB does not write/],
      ['/dev/mapper/mpatha-part2 ext4', 'part\nmpath\ndisk', /device-mapper/],
      ['', '', /could not be read/],
    ] as const) {
      const facts = readGrubFacts(efiSections({ findmnt, 'lsblk-types': types }));
      assert.ok(facts);
      const oneShot = assessGrub(facts, ctx).capabilities.clearsOneShotAtBoot;
      assert.equal(oneShot.ok, false, findmnt);
      assert.match(oneShot.ok ? '' : oneShot.reason, why);
      assert.match(oneShot.ok ? '' : oneShot.reason, /cannot clear its one-shot.*--kexec/);
    }
    assert.equal(grubenvWritability('/dev/vda2 xfs', 'part\ndisk'), null);
    assert.equal(grubenvWritability('/dev/nvme0n1p2 ext4', 'part\ndisk'), null);
  });
});

describe('the trial entry in custom.cfg (no update-grub)', () => {
  const target = () => {
    const t = entryForRelease(parseGrubCfg(fixture('grub.cfg-two-kernels')), NEW);
    assert.ok(t);
    return t;
  };

  test('the block: markers, the fixed id, the trial arguments on the linux line, no savedefault', () => {
    const withSave = { ...target(), block: target().block.replace(/(\n\s*load_video)/, '\n\tsavedefault$1') };
    assert.match(withSave.block, /savedefault/);
    const block = trialEntryBlock(withSave, NEW, trialKernelArgs(7, 'tok', []));
    const lines = block.split('\n');
    assert.equal(lines[0], TRIAL_BLOCK_BEGIN);
    assert.equal(lines[lines.length - 2], TRIAL_BLOCK_END);
    assert.doesNotMatch(block, /savedefault/);
    const parsed = parseGrubCfg(block);
    assert.equal(parsed.length, 1);
    assert.equal(parsed[0]?.id, TRIAL_ENTRY_ID);
    assert.equal(parsed[0]?.release, NEW);
    assert.match(
      block,
      new RegExp(`linux\\s+/boot/vmlinuz-${NEW} .* panic=7 oops=panic kernel_rollout\\.trial=tok\\n`),
    );
  });

  test("Debian's grub.cfg sources custom.cfg; one without its 41_custom section does not", () => {
    assert.equal(sourcesCustomCfg(fixture('grub.cfg')), true);
    assert.equal(sourcesCustomCfg(fixture('grub.cfg-default-saved')), true);
    const without = fixture('grub.cfg').replace(
      /### BEGIN \/etc\/grub\.d\/41_custom ###[\s\S]*?### END \/etc\/grub\.d\/41_custom ###/,
      '',
    );
    assert.equal(sourcesCustomCfg(without), false);
  });

  test('which default grub.cfg boots: the saved one, or the release behind a literal 0', () => {
    assert.equal(honoursSavedDefault(fixture('grub.cfg-default-saved')), true);
    assert.equal(honoursSavedDefault(fixture('grub.cfg')), false);
    assert.equal(literalDefaultRelease(fixture('grub.cfg')), OLD);
    // Two kernels: entry 0 is the simple entry, which boots the newest.
    assert.equal(literalDefaultRelease(fixture('grub.cfg-two-kernels')), NEW);
    assert.equal(literalDefaultRelease(fixture('grub.cfg-default-saved')), null);
    assert.equal(literalDefaultRelease(fixture('grub.cfg').replace('set default="0"', 'set default="1>2"')), null);
  });

  describe('writing and removing the block with the real shell', () => {
    let dir: string;
    let file: string;
    const sh = (command: string, stdin = '') => {
      const r = spawnSync('sh', ['-c', command], { input: stdin, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      return r.stdout;
    };
    before(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'kr-custom-cfg-'));
      file = path.join(dir, 'custom.cfg');
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    test("an operator's custom.cfg keeps its lines; a second staging replaces the first block", () => {
      const own = "menuentry 'rescue' {\n\tlinux /boot/vmlinuz-rescue\n}\n";
      writeFileSync(file, own);
      const first = trialEntryBlock(target(), NEW, trialKernelArgs(7, 'one', []));
      const second = trialEntryBlock(target(), NEW, trialKernelArgs(7, 'two', []));
      sh(writeTrialBlockCommand(file), first);
      sh(writeTrialBlockCommand(file), second);
      assert.equal(readFileSync(file, 'utf8'), own + second);
      assert.equal(sh(removeTrialBlockCommand(file)), 'removed-trial-block\n');
      assert.equal(readFileSync(file, 'utf8'), own);
      assert.equal(sh(removeTrialBlockCommand(file)), '', 'nothing to remove the second time');
      assert.equal(readFileSync(file, 'utf8'), own);
    });

    test('a custom.cfg that held only the block is removed with it', () => {
      rmSync(file, { force: true });
      sh(writeTrialBlockCommand(file), trialEntryBlock(target(), NEW, trialKernelArgs(7, 'tok', [])));
      assert.equal(parseGrubCfg(readFileSync(file, 'utf8'))[0]?.id, TRIAL_ENTRY_ID);
      assert.equal(sh(removeTrialBlockCommand(file)), 'removed-trial-block\n');
      assert.equal(existsSync(file), false);
      assert.equal(existsSync(`${file}.kernel-rollout-new`), false);
    });
  });
});
