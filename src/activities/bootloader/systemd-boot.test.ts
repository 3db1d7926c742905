/**
 * The systemd-boot driver's parsing and assessment on text as Debian 12's systemd 252 prints it
 * (entries as kernel-install writes them, EFI variables read through efivarfs), its commands'
 * validation, and detection against GRUB. Its operations over SSH are systemd-boot.sim.test.ts.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  TRIAL_ENTRY_FILE,
  assessSystemdBoot,
  entryForRelease,
  parseCounter,
  parseEntries,
  pinCommand,
  readSystemdBootFacts,
  trialEntryText,
  trialOneShotId,
} from './systemd-boot';
import { detectBootloader } from './bootloader';
import { trialKernelArgs } from '../trial/kernel-args';

const MID = '0f5d2c7e9a1b4c3d8e6f7a8b9c0d1e2f';
const OLD = '6.1.0-55-cloud-amd64';
const NEW = '6.1.0-56-cloud-amd64';
const entry = (rel: string, file = `${MID}-${rel}.conf`) =>
  [
    `### kernel-rollout entry ${file}`,
    'title      Debian GNU/Linux 12 (bookworm)',
    `version    ${rel}`,
    `machine-id ${MID}`,
    'sort-key   debian',
    'options    root=UUID=caa8d92e ro console=ttyS0,115200 panic=5',
    `linux      /${MID}/${rel}/linux`,
    `initrd     /${MID}/${rel}/initrd.img-${rel}`,
  ].join('\n');
const sections = (over: Record<string, string> = {}) => ({
  'uname-r': OLD,
  'sd-loader-info': 'systemd-boot 252.30-1~deb12u2',
  'sd-efivarfs': 'rw',
  'sd-installed': 'yes',
  'sd-esp': '/boot/efi',
  'sd-vars': `LoaderEntrySelected=${MID}-${OLD}.conf`,
  'sd-entries': [entry(OLD), entry(NEW)].join('\n'),
  'sd-loader-conf': '#timeout 3\n#console-mode keep',
  'sd-esp-free': String(400 * 1048576),
  'sd-pstore': 'loaded',
  ...over,
});
const ctx = { host: 'sd', runningKernel: OLD, toRelease: NEW };

describe('systemd-boot: parsing', () => {
  test('boot counter suffixes as the loader parses them (the last +)', () => {
    assert.deepEqual(parseCounter('a+3.conf'), { id: 'a.conf', left: 3, done: 0 });
    assert.deepEqual(parseCounter('a-b+0-2.conf'), { id: 'a-b.conf', left: 0, done: 2 });
    assert.deepEqual(parseCounter('x.conf'), { id: 'x.conf', left: null, done: null });
  });

  test('entries: the release from version, the trial never an entry for a release, counter-less first', () => {
    const es = parseEntries(
      [entry(NEW, `${MID}-${NEW}+2-1.conf`), entry(OLD), entry(NEW, TRIAL_ENTRY_FILE)].join('\n'),
    );
    assert.equal(entryForRelease(es, OLD)?.id, `${MID}-${OLD}.conf`);
    assert.equal(entryForRelease(es, NEW)?.file, `${MID}-${NEW}+2-1.conf`);
    assert.equal(entryForRelease(es, '9.9.9'), null);
  });

  test('the trial entry: the kernel’s entry with the trial arguments on options, its own panic= dropped', () => {
    const e = entryForRelease(parseEntries(entry(NEW)), NEW)!;
    const text = trialEntryText(e, NEW, trialKernelArgs(10, 'tok', []));
    assert.match(text, /^title +kernel-rollout trial: 6\.1\.0-56-cloud-amd64$/m);
    assert.match(
      text,
      /^options +root=UUID=caa8d92e ro console=ttyS0,115200 panic=10 oops=panic kernel_rollout\.trial=tok$/m,
    );
    assert.match(text, new RegExp(`^linux +/${MID}/${NEW}/linux$`, 'm'));
    assert.throws(() => trialEntryText(e, NEW, ["x';reboot"]), /trialKernelArgs/);
  });

  test('the one-shot id: with the counter up to 257, without from 258', () => {
    assert.equal(trialOneShotId(252), 'kernel-rollout-trial+1.conf');
    assert.equal(trialOneShotId(null), 'kernel-rollout-trial+1.conf');
    assert.equal(trialOneShotId(258), 'kernel-rollout-trial.conf');
  });

  test('pinning: ids and the ESP path are validated before they reach a shell; a counted entry is blessed first', () => {
    const [e] = parseEntries(entry(OLD, `${MID}-${OLD}+1-2.conf`));
    const cmd = pinCommand(e!, '/boot/efi');
    assert.match(cmd, new RegExp(`^mv -f '?/boot/efi/loader/entries/${MID}-6\\.1\\.0-55-cloud-amd64\\+1-2\\.conf'? `));
    assert.match(cmd, new RegExp(`bootctl set-default '?${MID}-6\\.1\\.0-55-cloud-amd64\\.conf'?$`));
    assert.throws(() => pinCommand(e!, '/boot/efi; rm -rf /'), /espPath/);
    assert.throws(() => pinCommand({ ...e!, file: 'x*.conf', id: 'x*.conf' }, '/boot/efi'), /entry/);
  });
});

describe('systemd-boot: detection and assessment', () => {
  test('claims a host booted by systemd-boot, before GRUB even with a stale grub.cfg', () => {
    const stale = { 'grub-cfg': "menuentry 'Debian' {\n\tlinux /boot/vmlinuz-6.1.0-55-cloud-amd64 ro\n}" };
    assert.equal(detectBootloader({ ...sections(), ...stale })?.driver.kind, 'systemd-boot');
    // Booted by GRUB (no LoaderInfo, efivarfs there): systemd-boot's leftover entries do not count.
    assert.equal(detectBootloader({ ...sections({ 'sd-loader-info': '' }), ...stale })?.driver.kind, 'grub-debian');
    assert.equal(
      detectBootloader({ ...sections({ 'sd-loader-info': 'GRUB 2.12' }), ...stale })?.driver.kind,
      'grub-debian',
    );
  });

  test('a host fit for a trial: nothing refused, the fixes named, boot counting available', () => {
    const f = readSystemdBootFacts(sections())!;
    const a = assessSystemdBoot(f, ctx);
    assert.deepEqual(a.refusals, []);
    assert.deepEqual(a.capabilities, { clearsOneShotAtBoot: { ok: true }, hasBootCounting: { ok: true } });
    assert.equal(a.fixes.length, 2);
  });

  test('refusals: no entry for the running kernel, ESP nearly full, efivarfs missing or read-only', () => {
    const noEntry = assessSystemdBoot(readSystemdBootFacts(sections({ 'sd-entries': entry(NEW) }))!, ctx);
    assert.match(noEntry.refusals.join('\n'), /running kernel 6\.1\.0-55-cloud-amd64 has no systemd-boot entry/);
    const full = assessSystemdBoot(
      readSystemdBootFacts(sections({ 'sd-entries': entry(OLD), 'sd-esp-free': String(20 * 1048576) }))!,
      ctx,
    );
    assert.match(full.refusals.join('\n'), /EFI system partition has 20 MiB free/);
    const ro = assessSystemdBoot(readSystemdBootFacts(sections({ 'sd-efivarfs': 'ro' }))!, ctx);
    assert.match(ro.refusals.join('\n'), /read-only/);
    assert.equal(ro.capabilities.clearsOneShotAtBoot.ok, false);
    assert.equal(ro.capabilities.hasBootCounting.ok, false);
    const missing = readSystemdBootFacts(sections({ 'sd-efivarfs': 'missing', 'sd-loader-info': '' }))!;
    assert.match(assessSystemdBoot(missing, ctx).refusals.join('\n'), /not mounted/);
    const pstore = assessSystemdBoot(readSystemdBootFacts(sections({ 'sd-pstore': '' }))!, ctx);
    assert.match(pstore.warnings.join('\n'), /efi_pstore is not loaded/);
  });
});
