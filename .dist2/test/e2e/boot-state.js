"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.bootState = bootState;
exports.entryPattern = entryPattern;
exports.trialTraces = trialTraces;
/**
 * What a VM's bootloader will boot, read from the VM by the test itself (never through
 * kernel-rollout's drivers, whose work it checks): GRUB's grubenv (`grub-editenv list`, BIOS or
 * EFI alike) or systemd-boot's EFI variables (LoaderEntryDefault, LoaderEntryOneShot and the
 * entry the loader picked this boot, LoaderEntrySelected, as raw efivarfs files: read through
 * `cat`, since efivarfs files cannot seek, which `tail -c +5 FILE` would) and its entry files on
 * the ESP.
 */
const strict_1 = __importDefault(require("node:assert/strict"));
/** systemd-boot's vendor GUID for its EFI variables (the Boot Loader Interface). */
const LOADER_GUID = '4a67b082-0a4c-41cf-b6c7-440b29bb8c4f';
const efiVar = (name) => `f=/sys/firmware/efi/efivars/${name}-${LOADER_GUID}; if [ -e "$f" ]; then cat "$f" | tail -c +5 | tr -d '\\000'; fi; echo`;
async function bootState(vm, platform) {
    const common = 'uname -r; cat /proc/sys/kernel/random/boot_id; echo "$(cat /proc/sys/kernel/panic) $(cat /proc/sys/kernel/panic_on_oops)"';
    if (platform === 'systemd-boot') {
        const r = await vm.sshCmd(`${common}; ${efiVar('LoaderEntryDefault')}; ${efiVar('LoaderEntryOneShot')}; ${efiVar('LoaderEntrySelected')}; ` +
            'ls -1 "$(bootctl --print-esp-path)/loader/entries"', { timeoutMs: 60_000 });
        strict_1.default.equal(r.code, 0, r.stderr);
        const [kernel = '', bootId = '', panicSettings = '', def = '', oneShot = '', booted = '', ...files] = r.stdout
            .replace(/\n$/, '')
            .split('\n');
        return {
            kernel,
            bootId,
            panicSettings,
            defaultEntry: def,
            oneShotEntry: oneShot,
            bootedEntry: booted,
            entryFiles: files.filter(Boolean),
        };
    }
    const r = await vm.sshCmd(`${common}; grub-editenv /boot/grub/grubenv list`, { timeoutMs: 60_000 });
    strict_1.default.equal(r.code, 0, r.stderr);
    const [kernel = '', bootId = '', panicSettings = '', ...env] = r.stdout.trim().split('\n');
    const vars = Object.fromEntries(env.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    return {
        kernel,
        bootId,
        panicSettings,
        defaultEntry: vars['saved_entry'] ?? '',
        oneShotEntry: vars['next_entry'] ?? '',
        bootedEntry: '',
        entryFiles: [],
    };
}
const escaped = (release) => release.replace(/[.+]/g, (c) => `\\${c}`);
/** How the bootloader names `release`'s own entry: GRUB's menu id, or a systemd-boot entry id with the release in it. */
function entryPattern(platform, release) {
    return platform === 'systemd-boot'
        ? new RegExp(`(^|-)${escaped(release)}(\\+\\d+(-\\d+)?)?\\.conf$`)
        : new RegExp(`>gnulinux-${escaped(release)}-advanced-`);
}
/**
 * What kernel-rollout's trial left on the host that should be gone after a commit or a rollback:
 * the revert timer's units and the trial's own boot entry (GRUB: custom.cfg's entry or the
 * grub.d script; systemd-boot: an entry file whose options carry the trial marker).
 */
async function trialTraces(vm, platform) {
    const loader = platform === 'systemd-boot'
        ? 'grep -l kernel_rollout.trial "$(bootctl --print-esp-path)"/loader/entries/*.conf 2>/dev/null'
        : 'ls /etc/grub.d/42_kernel_rollout_trial 2>/dev/null; grep -l kernel-rollout-trial /boot/grub/custom.cfg 2>/dev/null';
    const r = await vm.sshCmd(`ls /etc/systemd/system/kernel-rollout-revert.* 2>/dev/null; ${loader}; true`);
    strict_1.default.equal(r.code, 0, r.stderr);
    return r.stdout.split('\n').filter(Boolean);
}
//# sourceMappingURL=boot-state.js.map