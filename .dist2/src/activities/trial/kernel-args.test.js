"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const node_child_process_1 = require("node:child_process");
const kernel_args_1 = require("./kernel-args");
(0, node_test_1.describe)('trial kernel arguments', () => {
    (0, node_test_1.test)('trial args always carry panic=N, oops=panic and the token; bad extras refused', () => {
        strict_1.default.deepEqual((0, kernel_args_1.trialKernelArgs)(10, 'abc123', ['init=/nonexistent']), [
            'panic=10',
            'oops=panic',
            'kernel_rollout.trial=abc123',
            'init=/nonexistent',
        ]);
        strict_1.default.throws(() => (0, kernel_args_1.trialKernelArgs)(0, 'abc', []), /panicSeconds/);
        strict_1.default.throws(() => (0, kernel_args_1.trialKernelArgs)(10, 'abc', ['a;reboot']), /trialKernelArgs/);
        strict_1.default.throws(() => (0, kernel_args_1.trialKernelArgs)(10, 'a b', []), /trialToken/);
    });
    (0, node_test_1.test)('kexec: the running command line without the bootloader and earlier trial arguments, plus the trial', () => {
        const current = 'BOOT_IMAGE=/boot/vmlinuz-6.1.0-55-cloud-amd64 root=UUID=x ro panic=5 kernel_rollout.trial=old console=ttyS0\n';
        strict_1.default.equal((0, kernel_args_1.kexecCommandLine)(current, (0, kernel_args_1.trialKernelArgs)(10, 'new', [])), 'root=UUID=x ro console=ttyS0 panic=10 oops=panic kernel_rollout.trial=new');
    });
});
/**
 * After a commit the trial's `panic=N oops=panic` stay in force until the next reboot unless
 * commitKernel puts the host's own settings back. Writing kernel.panic needs root on a real
 * kernel (here it would change this machine's own settings), so no test runs the command: the
 * settings are read from command lines as the trial boots have them, and the command is checked
 * word for word and by bash's parser (`bash -n`, which runs nothing).
 */
(0, node_test_1.describe)('panic settings after a commit', () => {
    const debian = 'BOOT_IMAGE=/boot/vmlinuz-6.1.0-48-cloud-amd64 root=UUID=0b1c5d52-0c5e-4c2a-9b0e-1f6a2f8e3b1d ro console=tty0 console=ttyS0,115200 earlyprintk=ttyS0,115200 consoleblank=0';
    const trial = (own, extra = []) => `${own} ${(0, kernel_args_1.trialKernelArgs)(5, 'T0k3n', extra).join(' ')}\n`;
    (0, node_test_1.test)("a trial boot of a host without its own: the kernel's defaults 0 and 0", () => {
        strict_1.default.deepEqual((0, kernel_args_1.ownPanicSettings)(trial(debian)), { panic: 0, panicOnOops: 0 });
        strict_1.default.deepEqual((0, kernel_args_1.ownPanicSettings)(trial(debian, ['nomodeset', 'init=/bin/false'])), { panic: 0, panicOnOops: 0 });
    });
    (0, node_test_1.test)("the host's own panic=, oops=panic or sysctl.kernel.panic…= before the trial's", () => {
        strict_1.default.deepEqual((0, kernel_args_1.ownPanicSettings)(trial(`${debian} panic=30 oops=panic`)), { panic: 30, panicOnOops: 1 });
        strict_1.default.deepEqual((0, kernel_args_1.ownPanicSettings)(trial(`${debian} sysctl.kernel.panic=-1 sysctl.kernel.panic_on_oops=1`)), {
            panic: -1,
            panicOnOops: 1,
        });
    });
    (0, node_test_1.test)("kexec: the host's own panic= was replaced by the trial's, so the defaults stand in", () => {
        const kexec = (0, kernel_args_1.kexecCommandLine)(`${debian} panic=30`, (0, kernel_args_1.trialKernelArgs)(5, 'T0k3n', []));
        strict_1.default.deepEqual((0, kernel_args_1.ownPanicSettings)(kexec), { panic: 0, panicOnOops: 0 });
    });
    (0, node_test_1.test)('not a trial boot (committed earlier, or never a trial): nothing of ours to undo', () => {
        strict_1.default.equal((0, kernel_args_1.ownPanicSettings)(`${debian} panic=5 oops=panic`), null);
    });
    (0, node_test_1.test)('the command: own values first, the sysctl configuration on top, then what is in force', () => {
        const cmd = (0, kernel_args_1.restorePanicSettingsCommand)({ panic: 30, panicOnOops: 1 });
        strict_1.default.equal(cmd, 'echo 30 > /proc/sys/kernel/panic; echo 1 > /proc/sys/kernel/panic_on_oops; ' +
            'for b in /usr/lib/systemd/systemd-sysctl /lib/systemd/systemd-sysctl; do if [ -x "$b" ]; then ' +
            '"$b" --prefix=kernel.panic --prefix=kernel.panic_on_oops; break; fi; done; ' +
            'echo "kernel.panic=$(cat /proc/sys/kernel/panic) kernel.panic_on_oops=$(cat /proc/sys/kernel/panic_on_oops)"');
        (0, node_child_process_1.execFileSync)('bash', ['-n', '-c', cmd]);
        strict_1.default.throws(() => (0, kernel_args_1.restorePanicSettingsCommand)({ panic: Number.NaN, panicOnOops: 0 }), /not panic settings/);
        strict_1.default.throws(() => (0, kernel_args_1.restorePanicSettingsCommand)({ panic: 1, panicOnOops: 2 }), /not panic settings/);
    });
});
//# sourceMappingURL=kernel-args.test.js.map