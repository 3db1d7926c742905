"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/** The `command` health check in a real shell on the other end of a real SSH session (OpenSSH on loopback). */
const strict_1 = __importDefault(require("node:assert/strict"));
const node_test_1 = require("node:test");
const schemas_1 = require("../../shared/schemas");
const sshd_1 = require("../../../testbed/sshd");
const ssh_1 = require("../ssh");
const check_1 = require("./check");
(0, node_test_1.describe)('command health check (real shell over SSH)', () => {
    let sshd;
    let session;
    const check = (command, timeoutSeconds) => (0, check_1.runHealthCheck)(session, schemas_1.healthCheckSchema.parse({ kind: 'command', command, timeoutSeconds }));
    (0, node_test_1.before)(async () => {
        sshd = await (0, sshd_1.startSshd)({ users: ['root'] });
        session = await ssh_1.SshSession.connect({
            host: '127.0.0.1',
            port: sshd.port,
            user: 'root',
            trustOnFirstUse: false,
            privateKeyPath: sshd.clientKeyPath,
            knownHostsPath: sshd.knownHostsPath,
        });
    });
    (0, node_test_1.after)(async () => {
        session?.close();
        await sshd?.stop();
    });
    (0, node_test_1.it)('is healthy when the command exits 0, pipes and expansions as a shell runs them', async () => {
        strict_1.default.equal(await check('test -r /etc/passwd'), null);
        strict_1.default.equal(await check('[ "$(echo a | tr a b)" = b ] && test -n "$HOME"'), null);
    });
    (0, node_test_1.it)('fails with the exit code and the end of stderr', async () => {
        strict_1.default.equal(await check('echo "upstream unreachable" >&2; exit 7'), 'health command `echo "upstream unreachable" >&2; exit 7` exited 7: upstream unreachable');
        const long = await check('head -c 1000 /dev/zero | tr "\\0" x >&2; echo " END" >&2; exit 1');
        strict_1.default.match(long ?? '', /exited 1: x{296} END$/);
    });
    (0, node_test_1.it)('says so when the command printed nothing, and shows stdout when stderr is empty', async () => {
        strict_1.default.equal(await check('exit 3'), 'health command `exit 3` exited 3 and printed nothing');
        strict_1.default.equal(await check('echo "  " >&2; exit 1'), 'health command `echo "  " >&2; exit 1` exited 1 and printed nothing');
        strict_1.default.equal(await check('echo inactive; exit 4'), 'health command `echo inactive; exit 4` exited 4: inactive');
    });
    (0, node_test_1.it)('fails when the command outlives its timeout', async () => {
        const started = Date.now();
        strict_1.default.equal(await check('sleep 5', 1), `health command \`sleep 5\`: root@127.0.0.1:${sshd.port}: command timed out after 1000 ms (channel closed): sleep 5`);
        strict_1.default.ok(Date.now() - started < 4000, `took ${Date.now() - started} ms`);
    });
    (0, node_test_1.it)('takes one line, 30 s by default', () => {
        strict_1.default.equal(schemas_1.healthCheckSchema.safeParse({ kind: 'command', command: 'true\nreboot' }).success, false);
        strict_1.default.deepEqual(schemas_1.healthCheckSchema.parse({ kind: 'command', command: 'true' }), {
            kind: 'command',
            command: 'true',
            timeoutSeconds: 30,
        });
    });
});
//# sourceMappingURL=command.ssh.test.js.map