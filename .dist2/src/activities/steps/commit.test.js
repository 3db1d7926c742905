"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const strict_1 = __importDefault(require("node:assert/strict"));
const node_child_process_1 = require("node:child_process");
const node_fs_1 = require("node:fs");
const node_os_1 = require("node:os");
const node_test_1 = require("node:test");
const commit_1 = require("./commit");
/** Runs a command in this machine's own shell: the guard reads this machine's boot id and kernel. */
function sh(command) {
    const r = (0, node_child_process_1.spawnSync)('sh', ['-c', command], { encoding: 'utf8' });
    return { code: r.status, stderr: r.stderr };
}
(0, node_test_1.describe)('stillRunsCommand: the guard of a commit’s write, run by a real shell', () => {
    const bootId = (0, node_fs_1.readFileSync)('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    const kernel = (0, node_os_1.release)();
    (0, node_test_1.test)('passes while the machine runs that kernel in that boot', () => {
        strict_1.default.deepEqual(sh(`${(0, commit_1.stillRunsCommand)(kernel, bootId)} && echo ran`).code, 0);
    });
    (0, node_test_1.test)('fails, saying why, in another boot or on another kernel; what is chained after it does not run', () => {
        for (const [k, b] of [
            [kernel, '00000000-0000-0000-0000-000000000000'],
            ['6.1.0-0-not-this-one', bootId],
        ]) {
            const r = sh(`${(0, commit_1.stillRunsCommand)(k, b)} && echo ran >&2`);
            strict_1.default.equal(r.code, 1);
            strict_1.default.equal(r.stderr.trim(), 'kernel-rollout: the host no longer runs the verified boot: nothing changed');
        }
    });
    (0, node_test_1.test)('quotes what it compares: a boot id with shell in it is compared, not run', () => {
        const r = sh((0, commit_1.stillRunsCommand)(kernel, "x' ]; touch /tmp/kr-guard-injected; [ 'x"));
        strict_1.default.equal(r.code, 1);
        strict_1.default.equal(sh('test -e /tmp/kr-guard-injected').code, 1);
    });
});
(0, node_test_1.describe)('recordedAndRestored: what the commit’s last steps printed', () => {
    (0, node_test_1.test)('recorded, the host’s own settings put back', () => {
        strict_1.default.equal((0, commit_1.recordedAndRestored)('recorded-known-good\nkernel.panic=0 kernel.panic_on_oops=0', true), "kernel.panic=0 kernel.panic_on_oops=0 (the host's own settings, in place of the trial's)");
    });
    (0, node_test_1.test)('recorded, a setting refused: the refusal is reported, the commit stands', () => {
        const out = 'recorded-known-good\nsh: 1: cannot create /proc/sys/kernel/panic: Permission denied\nkernel.panic=10 kernel.panic_on_oops=1';
        strict_1.default.equal((0, commit_1.recordedAndRestored)(out, true), 'kernel.panic=10 kernel.panic_on_oops=1 (not all restored: sh: 1: cannot create /proc/sys/kernel/panic: Permission denied)');
    });
    (0, node_test_1.test)('no trial arguments in this boot: left alone', () => {
        strict_1.default.equal((0, commit_1.recordedAndRestored)('recorded-known-good', false), 'left as they are (this boot has no trial arguments)');
    });
    (0, node_test_1.test)('not recorded: an error naming the file and the host’s words (retryable: the write is safe to repeat)', () => {
        strict_1.default.throws(() => (0, commit_1.recordedAndRestored)("mkdir: cannot create directory '/var/lib/kernel-rollout': Read-only file system", false), /^Error: could not write \/var\/lib\/kernel-rollout\/known-good: mkdir: cannot create directory/);
    });
});
(0, node_test_1.describe)('the commit steps refuse a boot id that is not one before touching the host', () => {
    const target = { host: 'web-01', port: 22, user: 'root', trustOnFirstUse: false };
    const expectedBootId = "x' ]; reboot; [ 'x";
    let connected = 0;
    const withHost = () => {
        connected += 1;
        return Promise.reject(new Error('not reached'));
    };
    const release = '6.1.0-56-cloud-amd64';
    for (const [name, run] of [
        ['confirmTrial', () => (0, commit_1.confirmTrial)(withHost, { target, toRelease: release, expectedBootId })],
        [
            'commitKernel',
            () => (0, commit_1.commitKernel)(withHost, { target, toRelease: release, expectedBootId, bootloader: 'grub-debian' }),
        ],
        [
            'commitVerifiedTrial',
            () => (0, commit_1.commitVerifiedTrial)(withHost, {
                target,
                expectedRelease: release,
                expectedBootId,
                healthChecks: [],
                bootloader: 'grub-debian',
            }),
        ],
    ]) {
        (0, node_test_1.test)(name, async () => {
            await strict_1.default.rejects(run(), /expectedBootId/);
            strict_1.default.equal(connected, 0);
        });
    }
});
//# sourceMappingURL=commit.test.js.map