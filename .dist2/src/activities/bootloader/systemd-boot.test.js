"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * The systemd-boot driver's parsing and assessment on text as Debian 12's systemd 252 prints it
 * (entries as kernel-install writes them, EFI variables read through efivarfs), its commands'
 * validation, and detection against GRUB. Its operations over SSH are systemd-boot.sim.test.ts.
 */
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const systemd_boot_1 = require("./systemd-boot");
const bootloader_1 = require("./bootloader");
const kernel_args_1 = require("../trial/kernel-args");
const MID = '0f5d2c7e9a1b4c3d8e6f7a8b9c0d1e2f';
const OLD = '6.1.0-55-cloud-amd64';
const NEW = '6.1.0-56-cloud-amd64';
const entry = (rel, file = `${MID}-${rel}.conf`) => [
    `### kernel-rollout entry ${file}`,
    'title      Debian GNU/Linux 12 (bookworm)',
    `version    ${rel}`,
    `machine-id ${MID}`,
    'sort-key   debian',
    'options    root=UUID=caa8d92e ro console=ttyS0,115200 panic=5',
    `linux      /${MID}/${rel}/linux`,
    `initrd     /${MID}/${rel}/initrd.img-${rel}`,
].join('\n');
const sections = (over = {}) => ({
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
(0, node_test_1.describe)('systemd-boot: parsing', () => {
    (0, node_test_1.test)('boot counter suffixes as the loader parses them (the last +)', () => {
        strict_1.default.deepEqual((0, systemd_boot_1.parseCounter)('a+3.conf'), { id: 'a.conf', left: 3, done: 0 });
        strict_1.default.deepEqual((0, systemd_boot_1.parseCounter)('a-b+0-2.conf'), { id: 'a-b.conf', left: 0, done: 2 });
        strict_1.default.deepEqual((0, systemd_boot_1.parseCounter)('x.conf'), { id: 'x.conf', left: null, done: null });
    });
    (0, node_test_1.test)('entries: the release from version, the trial never an entry for a release, counter-less first', () => {
        const es = (0, systemd_boot_1.parseEntries)([entry(NEW, `${MID}-${NEW}+2-1.conf`), entry(OLD), entry(NEW, systemd_boot_1.TRIAL_ENTRY_FILE)].join('\n'));
        strict_1.default.equal((0, systemd_boot_1.entryForRelease)(es, OLD)?.id, `${MID}-${OLD}.conf`);
        strict_1.default.equal((0, systemd_boot_1.entryForRelease)(es, NEW)?.file, `${MID}-${NEW}+2-1.conf`);
        strict_1.default.equal((0, systemd_boot_1.entryForRelease)(es, '9.9.9'), null);
    });
    (0, node_test_1.test)('the trial entry: the kernel’s entry with the trial arguments on options, its own panic= dropped', () => {
        const e = (0, systemd_boot_1.entryForRelease)((0, systemd_boot_1.parseEntries)(entry(NEW)), NEW);
        const text = (0, systemd_boot_1.trialEntryText)(e, NEW, (0, kernel_args_1.trialKernelArgs)(10, 'tok', []));
        strict_1.default.match(text, /^title +kernel-rollout trial: 6\.1\.0-56-cloud-amd64$/m);
        strict_1.default.match(text, /^options +root=UUID=caa8d92e ro console=ttyS0,115200 panic=10 oops=panic kernel_rollout\.trial=tok$/m);
        strict_1.default.match(text, new RegExp(`^linux +/${MID}/${NEW}/linux$`, 'm'));
        strict_1.default.throws(() => (0, systemd_boot_1.trialEntryText)(e, NEW, ["x';reboot"]), /trialKernelArgs/);
    });
    (0, node_test_1.test)('the one-shot id: with the counter up to 257, without from 258', () => {
        strict_1.default.equal((0, systemd_boot_1.trialOneShotId)(252), 'kernel-rollout-trial+1.conf');
        strict_1.default.equal((0, systemd_boot_1.trialOneShotId)(null), 'kernel-rollout-trial+1.conf');
        strict_1.default.equal((0, systemd_boot_1.trialOneShotId)(258), 'kernel-rollout-trial.conf');
    });
    (0, node_test_1.test)('pinning: ids and the ESP path are validated before they reach a shell; a counted entry is blessed first', () => {
        const [e] = (0, systemd_boot_1.parseEntries)(entry(OLD, `${MID}-${OLD}+1-2.conf`));
        const cmd = (0, systemd_boot_1.pinCommand)(e, '/boot/efi');
        strict_1.default.match(cmd, new RegExp(`^mv -f '?/boot/efi/loader/entries/${MID}-6\\.1\\.0-55-cloud-amd64\\+1-2\\.conf'? `));
        strict_1.default.match(cmd, new RegExp(`bootctl set-default '?${MID}-6\\.1\\.0-55-cloud-amd64\\.conf'?$`));
        strict_1.default.throws(() => (0, systemd_boot_1.pinCommand)(e, '/boot/efi; rm -rf /'), /espPath/);
        strict_1.default.throws(() => (0, systemd_boot_1.pinCommand)({ ...e, file: 'x*.conf', id: 'x*.conf' }, '/boot/efi'), /entry/);
    });
});
(0, node_test_1.describe)('systemd-boot: detection and assessment', () => {
    (0, node_test_1.test)('claims a host booted by systemd-boot, before GRUB even with a stale grub.cfg', () => {
        const stale = { 'grub-cfg': "menuentry 'Debian' {\n\tlinux /boot/vmlinuz-6.1.0-55-cloud-amd64 ro\n}" };
        strict_1.default.equal((0, bootloader_1.detectBootloader)({ ...sections(), ...stale })?.driver.kind, 'systemd-boot');
        // Booted by GRUB (no LoaderInfo, efivarfs there): systemd-boot's leftover entries do not count.
        strict_1.default.equal((0, bootloader_1.detectBootloader)({ ...sections({ 'sd-loader-info': '' }), ...stale })?.driver.kind, 'grub-debian');
        strict_1.default.equal((0, bootloader_1.detectBootloader)({ ...sections({ 'sd-loader-info': 'GRUB 2.12' }), ...stale })?.driver.kind, 'grub-debian');
    });
    (0, node_test_1.test)('a host fit for a trial: nothing refused, the fixes named, boot counting available', () => {
        const f = (0, systemd_boot_1.readSystemdBootFacts)(sections());
        const a = (0, systemd_boot_1.assessSystemdBoot)(f, ctx);
        strict_1.default.deepEqual(a.refusals, []);
        strict_1.default.deepEqual(a.capabilities, { clearsOneShotAtBoot: { ok: true }, hasBootCounting: { ok: true } });
        strict_1.default.equal(a.fixes.length, 2);
    });
    (0, node_test_1.test)('refusals: no entry for the running kernel, ESP nearly full, efivarfs missing or read-only', () => {
        const noEntry = (0, systemd_boot_1.assessSystemdBoot)((0, systemd_boot_1.readSystemdBootFacts)(sections({ 'sd-entries': entry(NEW) })), ctx);
        strict_1.default.match(noEntry.refusals.join('\n'), /running kernel 6\.1\.0-55-cloud-amd64 has no systemd-boot entry/);
        const full = (0, systemd_boot_1.assessSystemdBoot)((0, systemd_boot_1.readSystemdBootFacts)(sections({ 'sd-entries': entry(OLD), 'sd-esp-free': String(20 * 1048576) })), ctx);
        strict_1.default.match(full.refusals.join('\n'), /EFI system partition has 20 MiB free/);
        const ro = (0, systemd_boot_1.assessSystemdBoot)((0, systemd_boot_1.readSystemdBootFacts)(sections({ 'sd-efivarfs': 'ro' })), ctx);
        strict_1.default.match(ro.refusals.join('\n'), /read-only/);
        strict_1.default.equal(ro.capabilities.clearsOneShotAtBoot.ok, false);
        strict_1.default.equal(ro.capabilities.hasBootCounting.ok, false);
        const missing = (0, systemd_boot_1.readSystemdBootFacts)(sections({ 'sd-efivarfs': 'missing', 'sd-loader-info': '' }));
        strict_1.default.match((0, systemd_boot_1.assessSystemdBoot)(missing, ctx).refusals.join('\n'), /not mounted/);
        const pstore = (0, systemd_boot_1.assessSystemdBoot)((0, systemd_boot_1.readSystemdBootFacts)(sections({ 'sd-pstore': '' })), ctx);
        strict_1.default.match(pstore.warnings.join('\n'), /efi_pstore is not loaded/);
    });
});
//# sourceMappingURL=systemd-boot.test.js.map