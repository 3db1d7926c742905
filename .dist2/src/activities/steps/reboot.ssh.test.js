"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * awaitHostReturn over a real SSH session to a real sshd on 127.0.0.1: the host answers at once
 * with its real boot id (not the one the "reboot" left), and the time away is counted from the
 * moment the workflow says the host went down, not from the start of this attempt — a retry on a
 * restarted worker must not report a shorter downtime than the host had.
 *
 * rebootHost's failures on the same sshd, presented with a host key other than the one pinned:
 * a retry says that an earlier attempt ran (it may have rebooted the host), a first attempt not.
 */
const strict_1 = __importDefault(require("node:assert/strict"));
const node_fs_1 = require("node:fs");
const node_test_1 = require("node:test");
const common_1 = require("@temporalio/common");
const testing_1 = require("@temporalio/testing");
const sshd_1 = require("../../../testbed/sshd");
const reboot_1 = require("./reboot");
const session_1 = require("../session");
const GONE_BOOT_ID = '00000000-0000-4000-8000-000000000000';
(0, node_test_1.describe)('awaitHostReturn (real sshd on 127.0.0.1)', () => {
    let sshd;
    let target;
    const env = new testing_1.MockActivityEnvironment();
    const wait = (extra) => env.run(reboot_1.awaitHostReturn, session_1.realDeps, {
        target,
        previousBootId: GONE_BOOT_ID,
        deadlineEpochMs: Date.now() + 30_000,
        pollCapSeconds: 1,
        ...extra,
    });
    (0, node_test_1.before)(async () => {
        sshd = await (0, sshd_1.startSshd)({ users: ['root'] });
        target = {
            host: 'loopback',
            address: sshd.address,
            port: sshd.port,
            user: 'root',
            trustOnFirstUse: false,
            privateKeyPath: sshd.clientKeyPath,
            knownHostsPath: sshd.knownHostsPath,
        };
    });
    (0, node_test_1.after)(async () => {
        await sshd?.stop();
    });
    (0, node_test_1.it)('counts the seconds away from the reboot time it is given', async () => {
        const back = await wait({ downSinceEpochMs: Date.now() - 42_000 });
        strict_1.default.ok(back.back, JSON.stringify(back));
        strict_1.default.equal(back.bootId, (0, node_fs_1.readFileSync)('/proc/sys/kernel/random/boot_id', 'utf8').trim());
        strict_1.default.ok(back.secondsAway >= 42 && back.secondsAway <= 45, `secondsAway ${back.secondsAway}, expected 42–45`);
    });
    (0, node_test_1.it)('without a reboot time (runs started before), from its own start', async () => {
        const back = await wait({});
        strict_1.default.ok(back.back && back.secondsAway <= 3, JSON.stringify(back));
    });
    (0, node_test_1.it)('refuses a reboot time that is not a time', async () => {
        await strict_1.default.rejects(wait({ downSinceEpochMs: -5 }), /downSinceEpochMs/);
    });
});
(0, node_test_1.describe)('rebootHost failing on a host key that changed (real sshd on 127.0.0.1)', () => {
    let sshd;
    let req;
    (0, node_test_1.before)(async () => {
        sshd = await (0, sshd_1.startSshd)({ users: ['root'] });
        req = {
            target: {
                host: 'loopback',
                address: sshd.address,
                port: sshd.port,
                user: 'root',
                trustOnFirstUse: false,
                privateKeyPath: sshd.clientKeyPath,
                // Not this sshd's key: what a host that came back with a new key presents.
                hostKeySha256: `SHA256:${Buffer.alloc(32, 7).toString('base64').replace(/=+$/, '')}`,
            },
            expectedBootId: GONE_BOOT_ID,
            useKexec: false,
            toRelease: '6.1.0-99-amd64',
            trialToken: 'token',
            panicSeconds: 10,
            trialKernelArgs: [],
        };
    });
    (0, node_test_1.after)(async () => {
        await sshd?.stop();
    });
    const failure = async (attempt) => {
        const env = new testing_1.MockActivityEnvironment({ attempt });
        try {
            await env.run(reboot_1.rebootHost, (0, session_1.hostAccess)(session_1.realDeps), req);
        }
        catch (err) {
            strict_1.default.ok(err instanceof common_1.ApplicationFailure, String(err));
            return err;
        }
        return strict_1.default.fail('rebootHost connected to a host whose key is not the pinned one');
    };
    (0, node_test_1.it)('on a retry, refuses with the host key error and says an earlier attempt ran', async () => {
        const err = await failure(2);
        strict_1.default.equal(err.type, 'HostKeyMismatchError');
        strict_1.default.equal(err.nonRetryable, true);
        strict_1.default.deepEqual(err.details, [{ earlierAttemptRan: true }]);
    });
    (0, node_test_1.it)('on a first attempt, refuses without that detail', async () => {
        const err = await failure(1);
        strict_1.default.equal(err.type, 'HostKeyMismatchError');
        strict_1.default.ok(!err.details?.length, JSON.stringify(err.details));
    });
});
//# sourceMappingURL=reboot.ssh.test.js.map