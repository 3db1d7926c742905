import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  TRIAL_ENTRY_ID,
  entryForRelease,
  fixDefaultGrubCommand,
  parseDefaultGrub,
  parseGrubCfg,
  parseGrubenv,
  revertUnits,
  setOneShotCommand,
  setSavedDefaultCommand,
  trialEntryScript,
  trialKernelArgs,
} from '../../src/activities/bootloader/grub-debian';
import { fixture } from '../helpers/fixtures';

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

  test('trial args always carry panic=N, oops=panic and the token; bad extras refused', () => {
    assert.deepEqual(trialKernelArgs(10, 'abc123', ['init=/nonexistent']), [
      'panic=10',
      'oops=panic',
      'kernel_rollout.trial=abc123',
      'init=/nonexistent',
    ]);
    assert.throws(() => trialKernelArgs(0, 'abc', []), /panicSeconds/);
    assert.throws(() => trialKernelArgs(10, 'abc', ['a;reboot']), /trialKernelArgs/);
    assert.throws(() => trialKernelArgs(10, 'a b', []), /trialToken/);
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

  test('revert units fire only on the trial boot and only unconfirmed', () => {
    const u = revertUnits('tok123', 300);
    assert.match(u.timer, /ConditionKernelCommandLine=kernel_rollout\.trial=tok123/);
    assert.match(u.timer, /OnBootSec=300s/);
    assert.match(u.service, /ConditionPathExists=!\/run\/kernel-rollout\/confirmed/);
    assert.match(u.service, /systemctl reboot \|\| reboot -f/);
    assert.throws(() => revertUnits('tok', 5), /revertAfterSeconds/);
  });
});
