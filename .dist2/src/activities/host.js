"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.UnsafeHostError = exports.sudo = exports.RUN_DIR = exports.STATE_DIR = void 0;
exports.readBootId = readBootId;
exports.readRunningKernelAndBoot = readRunningKernelAndBoot;
/** kernel-rollout's own files on the host: install records, the committed release. */
exports.STATE_DIR = '/var/lib/kernel-rollout';
/** Per-boot markers (gone with the boot): the reboot request, the trial's confirmation. */
exports.RUN_DIR = '/run/kernel-rollout';
exports.sudo = { sudo: true };
/** The host is not in a state in which the step is safe; a retry does not change that. */
class UnsafeHostError extends Error {
    name = 'UnsafeHostError';
}
exports.UnsafeHostError = UnsafeHostError;
async function readBootId(s) {
    return (await s.run('cat /proc/sys/kernel/random/boot_id')).trim();
}
/** `uname -r` and the boot id, in one round trip (the commands and their order are fixed). */
async function readRunningKernelAndBoot(s) {
    const out = await s.run('uname -r; cat /proc/sys/kernel/random/boot_id');
    const [running = '', bootId = ''] = out
        .trim()
        .split('\n')
        .map((l) => l.trim());
    return { running, bootId };
}
//# sourceMappingURL=host.js.map