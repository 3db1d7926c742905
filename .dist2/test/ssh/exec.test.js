"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const strict_1 = __importDefault(require("node:assert/strict"));
const node_test_1 = require("node:test");
const ssh_1 = require("../../src/activities/ssh");
const sshd_1 = require("../../testbed/sshd");
/** Poll (over SSH) until no process has exactly this command line; returns the PIDs still there. */
async function waitGone(cmdline, s, withinMs) {
    const deadline = Date.now() + withinMs;
    let pids = '';
    do {
        pids = (await s.exec(`pgrep -x -f ${JSON.stringify(cmdline)} || true`)).stdout.trim();
        if (pids === '')
            break;
        await new Promise((r) => setTimeout(r, 100));
    } while (Date.now() < deadline);
    return pids;
}
(0, node_test_1.describe)('SshSession.exec / run', () => {
    let sshd;
    let root;
    const target = (user) => ({
        host: '127.0.0.1',
        port: sshd.port,
        user,
        trustOnFirstUse: false,
        privateKeyPath: sshd.clientKeyPath,
        knownHostsPath: sshd.knownHostsPath,
    });
    (0, node_test_1.before)(async () => {
        sshd = await (0, sshd_1.startSshd)({ users: ['root', 'krtest'] });
        root = await ssh_1.SshSession.connect(target('root'));
    });
    (0, node_test_1.after)(async () => {
        root?.close();
        await sshd?.stop();
    });
    (0, node_test_1.it)('captures stdout, stderr, exit code and duration without throwing on non-zero exit', async () => {
        const r = await root.exec('echo out; echo err >&2; exit 3');
        strict_1.default.equal(r.code, 3);
        strict_1.default.equal(r.signal, null);
        strict_1.default.equal(r.stdout, 'out\n');
        strict_1.default.equal(r.stderr, 'err\n');
        strict_1.default.ok(r.durationMs >= 0);
        const ok = await root.exec('true');
        strict_1.default.equal(ok.code, 0);
    });
    (0, node_test_1.it)('reports a command killed by a signal', async () => {
        const r = await root.exec('kill -KILL $$');
        strict_1.default.equal(r.code, null);
        strict_1.default.equal(r.signal, 'SIGKILL');
        await strict_1.default.rejects(root.run('kill -KILL $$'), ssh_1.CommandFailedError);
        // Same result through the remote `timeout` backstop that a timeoutMs adds.
        const viaTimeout = await root.exec('kill -KILL $$', { timeoutMs: 10_000 });
        strict_1.default.equal(viaTimeout.code, null);
        strict_1.default.equal(viaTimeout.signal, 'SIGKILL');
        const exitViaTimeout = await root.exec('echo x; exit 5', { timeoutMs: 10_000, stdin: 'ignored' });
        strict_1.default.deepEqual([exitViaTimeout.code, exitViaTimeout.stdout], [5, 'x\n']);
    });
    (0, node_test_1.it)('feeds stdin and always closes it', async () => {
        const r = await root.exec('cat; echo done', { stdin: 'line1\nline2\n' });
        strict_1.default.equal(r.stdout, 'line1\nline2\ndone\n');
        const noInput = await root.exec('cat; echo eof', { timeoutMs: 5000 });
        strict_1.default.equal(noInput.stdout, 'eof\n');
    });
    (0, node_test_1.it)('run() returns stdout and throws CommandFailedError with host, command, code and stderr tail', async () => {
        strict_1.default.equal(await root.run('printf "%s" "a b"'), 'a b');
        await strict_1.default.rejects(root.run('echo partial; echo "boom: disk full" >&2; exit 42'), (e) => {
            strict_1.default.ok(e instanceof ssh_1.CommandFailedError, String(e));
            strict_1.default.equal(e.name, 'CommandFailedError');
            strict_1.default.equal(e.exitCode, 42);
            strict_1.default.equal(e.host, '127.0.0.1');
            strict_1.default.match(e.command, /exit 42/);
            strict_1.default.match(e.stderrTail, /boom: disk full/);
            strict_1.default.ok(e.message.startsWith(`root@127.0.0.1:${sshd.port}: command failed with exit code 42`), e.message);
            strict_1.default.match(e.message, /boom: disk full/);
            return true;
        });
    });
    (0, node_test_1.it)('times out: CommandTimeoutError quickly, channel closed, session still usable', async () => {
        const started = Date.now();
        await strict_1.default.rejects(root.exec('sleep 30', { timeoutMs: 500 }), (e) => {
            strict_1.default.ok(e instanceof ssh_1.CommandTimeoutError, String(e));
            strict_1.default.equal(e.name, 'CommandTimeoutError');
            strict_1.default.equal(e.timeoutMs, 500);
            strict_1.default.ok(e.message.startsWith(`root@127.0.0.1:${sshd.port}: command timed out after 500 ms`), e.message);
            return true;
        });
        const elapsed = Date.now() - started;
        strict_1.default.ok(elapsed >= 450 && elapsed < 2500, `took ${elapsed} ms`);
        strict_1.default.equal(await root.run('echo still-alive', { timeoutMs: 5000 }), 'still-alive\n');
        // The timed-out process does not linger on the host.
        strict_1.default.equal(await waitGone('sleep 30', root, 4000), '', 'sleep 30 should have been killed');
    });
    (0, node_test_1.it)('caps captured output', async () => {
        const r = await root.exec(`head -c ${ssh_1.EXEC_OUTPUT_CAP_BYTES + 1024 * 1024} /dev/zero | tr '\\0' a`, {
            timeoutMs: 30_000,
        });
        strict_1.default.equal(r.code, 0);
        strict_1.default.equal(r.stdout.length, ssh_1.EXEC_OUTPUT_CAP_BYTES);
    });
    (0, node_test_1.it)('sudo as root runs the command unchanged', async () => {
        strict_1.default.equal(root.wrapCommand('id -u', true), 'id -u');
        strict_1.default.equal(await root.run('id -u', { sudo: true }), '0\n');
    });
    (0, node_test_1.describe)('as the non-root user krtest', () => {
        let krtest;
        (0, node_test_1.before)(async () => {
            await (0, sshd_1.requireLocalUser)('krtest');
            krtest = await ssh_1.SshSession.connect(target('krtest'));
        });
        (0, node_test_1.after)(() => krtest?.close());
        (0, node_test_1.it)('without sudo runs as krtest; with sudo runs as root', async () => {
            const uid = (await krtest.run('id -u')).trim();
            strict_1.default.notEqual(uid, '0');
            strict_1.default.match(uid, /^[1-9][0-9]*$/);
            strict_1.default.equal(await krtest.run('id -u', { sudo: true }), '0\n');
            strict_1.default.equal(krtest.wrapCommand('id -u', true), `sudo -n -- sh -c 'id -u'`);
        });
        (0, node_test_1.it)('sudo keeps the whole command (quotes, pipes, &&) inside one sh -c', async () => {
            const out = await krtest.run(`echo "it's" | tr a-z A-Z && id -un && echo $((1+2))`, { sudo: true });
            strict_1.default.equal(out, "IT'S\nroot\n3\n");
            const r = await krtest.exec('echo no >&2; exit 7', { sudo: true });
            strict_1.default.equal(r.code, 7);
            strict_1.default.equal(r.stderr, 'no\n');
        });
        (0, node_test_1.it)('a timed-out sudo command (a root process the user cannot signal) is still killed on the host', async () => {
            const started = Date.now();
            await strict_1.default.rejects(krtest.exec('sleep 31', { sudo: true, timeoutMs: 500 }), ssh_1.CommandTimeoutError);
            strict_1.default.ok(Date.now() - started < 2500);
            strict_1.default.equal(await waitGone('sleep 31', root, 4000), '', 'sudo sleep 31 should have been killed');
        });
        (0, node_test_1.it)('withSsh closes the session', async () => {
            let session;
            const out = await (0, ssh_1.withSsh)(target('krtest'), async (s) => {
                session = s;
                return s.run('whoami');
            });
            strict_1.default.equal(out, 'krtest\n');
            await strict_1.default.rejects(session.exec('true'));
        });
    });
});
//# sourceMappingURL=exec.test.js.map