"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * The session pool over real SSH to a real sshd on 127.0.0.1: consecutive activities to one
 * target run over one connection (the sshd sees one client port), and the cases that must open a
 * new one do: a step that failed, the reboot's own connection, a host forgotten before a reboot
 * or a power cycle, another target input, and the connection that found the new boot is the one
 * verification gets.
 */
const strict_1 = __importDefault(require("node:assert/strict"));
const node_test_1 = require("node:test");
const testing_1 = require("@temporalio/testing");
const sshd_1 = require("../../../testbed/sshd");
const connect_1 = require("./connect");
const reboot_1 = require("../steps/reboot");
const session_1 = require("../session");
const session_pool_1 = require("./session-pool");
(0, node_test_1.describe)('session pool (real sshd on 127.0.0.1)', () => {
    let sshd;
    let target;
    let connects = 0;
    const deps = {
        connect: (t, opts) => {
            connects += 1;
            return (0, connect_1.connectTo)(t, opts);
        },
    };
    const pool = new session_pool_1.SessionPool(60_000);
    const withHost = (0, session_1.hostAccess)(deps, pool);
    /** The client's address and port as sshd sees them: one per TCP connection. */
    const clientPort = (s) => s.run('echo "$SSH_CLIENT" | cut -d" " -f1,2');
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
        pool.closeAll();
        await sshd?.stop();
    });
    (0, node_test_1.it)('runs consecutive steps to one target over one connection', async () => {
        pool.closeAll();
        connects = 0;
        const first = await withHost(target, clientPort);
        const second = await withHost(target, clientPort);
        strict_1.default.equal(second, first, 'the same client port: the same TCP connection');
        strict_1.default.equal(connects, 1);
    });
    (0, node_test_1.it)('opens a new connection after a step that failed, and for another target input', async () => {
        pool.closeAll();
        connects = 0;
        const before = await withHost(target, clientPort);
        await strict_1.default.rejects(withHost(target, (s) => s.run('exit 3')), /exit|3/);
        const afterFailure = await withHost(target, clientPort);
        strict_1.default.notEqual(afterFailure, before, 'the failed step closed its connection');
        const other = await withHost({ ...target, user: 'root', hostKeySha256: undefined, port: sshd.port }, clientPort);
        strict_1.default.equal(other, afterFailure, 'an equal input (undefined fields aside) is the same target');
        const asAnother = await withHost({ ...target, host: 'loopback-2' }, clientPort);
        strict_1.default.notEqual(asAnother, afterFailure, 'another host name: its own connection');
        strict_1.default.equal(connects, 3);
    });
    (0, node_test_1.it)('never keeps the reboot step’s connection, and forgets a host before a reboot or power cycle', async () => {
        pool.closeAll();
        connects = 0;
        await withHost(target, clientPort);
        await withHost(target, clientPort, { keep: false });
        await withHost(target, clientPort);
        strict_1.default.equal(connects, 2, 'keep: false closed it');
        pool.forget(target.host);
        await withHost(target, clientPort);
        strict_1.default.equal(connects, 3, 'forgotten: a new connection');
    });
    (0, node_test_1.it)('gives the connection that found the new boot to the verification that follows', async () => {
        pool.closeAll();
        connects = 0;
        const req = {
            target,
            previousBootId: '00000000-0000-4000-8000-000000000000',
            deadlineEpochMs: Date.now() + 30_000,
            pollCapSeconds: 1,
        };
        const back = (await new testing_1.MockActivityEnvironment().run(reboot_1.awaitHostReturn, deps, req, pool));
        strict_1.default.ok(back.back);
        const boot = await withHost(target, (s) => s.run('cat /proc/sys/kernel/random/boot_id'));
        strict_1.default.equal(boot.trim(), back.bootId);
        strict_1.default.equal(connects, 1, 'verification ran over the poll’s connection');
    });
});
//# sourceMappingURL=session-pool.ssh.test.js.map