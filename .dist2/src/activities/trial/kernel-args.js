"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.trialKernelArgs = trialKernelArgs;
exports.kexecCommandLine = kexecCommandLine;
exports.ownPanicSettings = ownPanicSettings;
exports.restorePanicSettingsCommand = restorePanicSettingsCommand;
/**
 * The kernel arguments of a trial boot, whichever way it is booted (a bootloader's one-shot entry
 * or kexec): `panic=N oops=panic` make a failing kernel fall back by itself, and the trial token
 * lets the revert timer fire on that boot only.
 */
const shell_1 = require("../../shared/shell");
/** Kernel arguments that make a trial boot fall back by itself. */
function trialKernelArgs(panicSeconds, trialToken, extra) {
    if (!Number.isInteger(panicSeconds) || panicSeconds < 1 || panicSeconds > 3600) {
        throw new Error(`panicSeconds: ${panicSeconds} must be a whole number of seconds from 1 to 3600`);
    }
    (0, shell_1.assertMatches)('trialToken', trialToken, /^[A-Za-z0-9]{1,64}$/, 'trial token');
    for (const arg of extra) {
        (0, shell_1.assertMatches)('trialKernelArgs', arg, shell_1.KERNEL_ARG_RE, 'kernel argument');
        const bad = (0, shell_1.trialArgProblem)(arg);
        if (bad?.kind === 'override')
            throw new Error(`trialKernelArgs: refused: ${bad.reason}`);
    }
    return [`panic=${panicSeconds}`, 'oops=panic', `kernel_rollout.trial=${trialToken}`, ...extra];
}
/**
 * The command line for a kexec trial: the running one (/proc/cmdline) without the arguments a
 * bootloader or an earlier trial put there, plus the trial's.
 */
function kexecCommandLine(currentCmdline, trialArgs) {
    const kept = currentCmdline
        .trim()
        .split(/\s+/)
        .filter((a) => a && !/^(BOOT_IMAGE|panic|oops|kernel_rollout\.trial)=/.test(a));
    return [...kept, ...trialArgs].join(' ');
}
/**
 * The host's own panic settings, read from a trial boot's command line: the words before the
 * trial's `panic=N oops=panic kernel_rollout.trial=…` (the host's own `panic=`/`oops=panic` or
 * `sysctl.kernel.panic…=`, if it has any; the kernel's defaults 0 and 0 otherwise). null when the command line is not a trial's:
 * then nothing of ours is in force. A kexec trial dropped the host's own `panic=` from its command
 * line (kexecCommandLine), so there the defaults stand in for it.
 */
function ownPanicSettings(cmdline) {
    const words = cmdline.trim().split(/\s+/);
    const token = words.findIndex((w) => w.startsWith('kernel_rollout.trial='));
    if (token < 0)
        return null;
    let ownEnd = token;
    if (words[ownEnd - 1] === 'oops=panic')
        ownEnd -= 1;
    if (/^panic=/.test(words[ownEnd - 1] ?? ''))
        ownEnd -= 1;
    const settings = { panic: 0, panicOnOops: 0 };
    for (const w of words.slice(0, ownEnd)) {
        // Linux 5.8 and later also take sysctl.<name>=<value> on the command line.
        const panic = /^(?:sysctl\.kernel\.)?panic=(-?\d{1,9})$/.exec(w);
        if (panic)
            settings.panic = Number(panic[1]);
        if (w === 'oops=panic' || w === 'sysctl.kernel.panic_on_oops=1')
            settings.panicOnOops = 1;
        if (w === 'sysctl.kernel.panic_on_oops=0')
            settings.panicOnOops = 0;
    }
    return settings;
}
/**
 * Puts kernel.panic and kernel.panic_on_oops back to the host's own settings after a commit (the
 * trial's `panic=N oops=panic` would otherwise stay in force until the next reboot): first what
 * its own command line says, then its sysctl configuration on top, as at boot (systemd-sysctl,
 * only these two keys; nothing else is re-applied). Prints the values now in force. Safe to repeat.
 */
function restorePanicSettingsCommand(own) {
    if (!Number.isSafeInteger(own.panic) || (own.panicOnOops !== 0 && own.panicOnOops !== 1)) {
        throw new Error(`not panic settings: ${JSON.stringify(own)}`);
    }
    return [
        `echo ${own.panic} > /proc/sys/kernel/panic`,
        `echo ${own.panicOnOops} > /proc/sys/kernel/panic_on_oops`,
        'for b in /usr/lib/systemd/systemd-sysctl /lib/systemd/systemd-sysctl; do ' +
            'if [ -x "$b" ]; then "$b" --prefix=kernel.panic --prefix=kernel.panic_on_oops; break; fi; done',
        'echo "kernel.panic=$(cat /proc/sys/kernel/panic) kernel.panic_on_oops=$(cat /proc/sys/kernel/panic_on_oops)"',
    ].join('; ');
}
//# sourceMappingURL=kernel-args.js.map