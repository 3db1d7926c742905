"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/** The `command` power driver against real local programs: no shell, {host}, exit codes, timeout. */
const strict_1 = __importDefault(require("node:assert/strict"));
const node_test_1 = require("node:test");
const schemas_1 = require("../../shared/schemas");
const command_1 = require("./command");
const driver_1 = require("./driver");
const driver = (config) => (0, driver_1.createPowerDriver)(schemas_1.powerConfigSchema.parse({ driver: 'command', ...config }));
(0, node_test_1.describe)('command power driver', () => {
    (0, node_test_1.it)('runs argv without a shell, {host} replaced in every argument, the host in KERNEL_ROLLOUT_HOST', async () => {
        const result = await driver({
            argv: ['/bin/sh', '-c', 'echo "args: $1 $2; env: $KERNEL_ROLLOUT_HOST"', 'sh', 'bmc-{host}', '{host}:{host}'],
        }).powerCycle('web-01');
        strict_1.default.equal(result.performed, true);
        strict_1.default.equal(result.message, 'web-01: power command /bin/sh succeeded args: bmc-web-01 web-01:web-01; env: web-01');
        // No shell between the driver and the program: `$(…)` in an argument reaches it as written.
        const literal = await driver({ argv: ['/bin/echo', '$(id -u) `id` {host};'] }).powerCycle('web-01');
        strict_1.default.equal(literal.message, 'web-01: power command /bin/echo succeeded $(id -u) `id` web-01;');
    });
    (0, node_test_1.it)('rejects on a non-zero exit with the code and the end of the output', async () => {
        const power = driver({
            argv: ['/bin/sh', '-c', 'echo "BMC of $KERNEL_ROLLOUT_HOST: connection timed out" >&2; exit 3'],
        });
        await strict_1.default.rejects(power.powerCycle('web-01'), {
            message: 'web-01: power command /bin/sh failed (exit 3): BMC of web-01: connection timed out',
        });
    });
    (0, node_test_1.it)('kills the program at the timeout and says so', async () => {
        const started = Date.now();
        await strict_1.default.rejects(driver({ argv: ['sleep', '30'], timeoutSeconds: 1 }).powerCycle('web-01'), {
            message: 'web-01: power command sleep failed (signal SIGKILL, timeout 1s?): ',
        });
        strict_1.default.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
    });
    (0, node_test_1.it)('rejects a program that cannot start', async () => {
        // timeoutSeconds 1: node's spawn keeps its kill timer running when the program never started,
        // which would hold this test process open for the default 60 s.
        const power = driver({ argv: ['/nonexistent/ipmitool', 'power', 'reset'], timeoutSeconds: 1 });
        await strict_1.default.rejects(power.powerCycle('web-01'), {
            message: 'web-01: power command /nonexistent/ipmitool could not start: spawn /nonexistent/ipmitool ENOENT',
        });
    });
    (0, node_test_1.it)('validates its configuration: a program is required, NUL refused, timeout 60 s by default', () => {
        strict_1.default.equal(schemas_1.powerConfigSchema.safeParse({ driver: 'command', argv: [] }).success, false);
        strict_1.default.equal(schemas_1.powerConfigSchema.safeParse({ driver: 'command', argv: ['ipmi\0tool'] }).success, false);
        strict_1.default.equal(schemas_1.powerConfigSchema.safeParse({ driver: 'command', argv: ['/bin/true'], shell: true }).success, false);
        strict_1.default.deepEqual(schemas_1.powerConfigSchema.parse({ driver: 'command', argv: ['/bin/true'] }), {
            driver: 'command',
            argv: ['/bin/true'],
            timeoutSeconds: 60,
        });
        strict_1.default.throws(() => (0, driver_1.createPowerDriver)({ driver: 'command', argv: [''], timeoutSeconds: 5 }), /power\.argv: give the program and its arguments/);
    });
    (0, node_test_1.it)('refuses a credential in argv at the schema, naming the argument', () => {
        const refused = [
            [['ipmitool', '-I', 'lanplus', '-H', 'bmc-{host}', '-U', 'admin', '-P', 'hunter2', 'power', 'reset'], 7],
            [['/usr/bin/ipmitool', '-Phunter2', 'power', 'reset'], 1],
            [['ipmitool', '-y', '0011', 'power', 'reset'], 1],
            [['sshpass', '-p', 'hunter2', 'ssh', 'pdu', 'reset'], 1],
            [['cloudctl', 'reset', '{host}', '--token', 'abc'], 3],
            [['cloudctl', 'reset', '--api-key=abc'], 2],
            [['pdu', 'outlet=3', 'password=abc'], 2],
            [['curl', '-H', 'Authorization: Bearer abc', 'https://pdu/reset'], 2],
            [['curl', 'https://admin:abc@pdu.example/reset'], 1],
            [['cloudctl', 'reset', '--PASSWORD', 'x'], 2],
        ];
        for (const [argv, index] of refused) {
            const r = schemas_1.powerConfigSchema.safeParse({ driver: 'command', argv });
            strict_1.default.equal(r.success, false, argv.join(' '));
            const issue = r.error?.issues[0];
            strict_1.default.deepEqual(issue?.path, ['argv', index], argv.join(' '));
            strict_1.default.match(issue?.message ?? '', /must not carry a credential .*power\.credentialsEnv/);
            // A driver built without the schema refuses it too.
            strict_1.default.throws(() => (0, driver_1.createPowerDriver)({ driver: 'command', argv, timeoutSeconds: 5 }), /power\.argv\.\d+: must not/);
        }
        const allowed = [
            ['ipmitool', '-I', 'lanplus', '-H', 'bmc-{host}', '-U', 'admin', '-E', 'power', 'reset'],
            ['ipmitool', '-H', 'bmc-{host}', '-p', '623', '-f', '/etc/kernel-rollout/ipmi.pass', 'power', 'cycle'],
            ['cloudctl', 'reset', '--bypass=1', '--token-file', '/etc/kernel-rollout/cloud.token', '{host}'],
        ];
        for (const argv of allowed)
            strict_1.default.equal(schemas_1.powerConfigSchema.safeParse({ driver: 'command', argv }).success, true, argv.join(' '));
    });
    (0, node_test_1.it)('gives the program the credentials named in credentialsEnv, and no other credential-like variable of the worker', async () => {
        const workerEnv = {
            PATH: '/usr/bin:/bin',
            IPMI_PASSWORD: 'pw1',
            CLOUD_TOKEN: 't1',
            TEMPORAL_API_KEY: 'k1',
            LANG: 'C',
        };
        strict_1.default.deepEqual((0, command_1.commandEnvironment)(workerEnv, ['IPMI_PASSWORD'], 'web-01'), {
            PATH: '/usr/bin:/bin',
            IPMI_PASSWORD: 'pw1',
            LANG: 'C',
            KERNEL_ROLLOUT_HOST: 'web-01',
        });
        strict_1.default.throws(() => (0, command_1.commandEnvironment)(workerEnv, ['IPMI_PASSWORD', 'BMC_SECRET'], 'web-01'), /^Error: power\.credentialsEnv: not set in the worker's environment: BMC_SECRET$/);
        // A real program, with the worker's environment of this process.
        process.env['KR_TEST_IPMI_PASSWORD'] = 'from-the-worker';
        process.env['KR_TEST_OTHER_TOKEN'] = 'not-named';
        try {
            const result = await driver({
                argv: ['/bin/sh', '-c', 'echo "pw=${KR_TEST_IPMI_PASSWORD:-unset} other=${KR_TEST_OTHER_TOKEN:-unset}"'],
                credentialsEnv: ['KR_TEST_IPMI_PASSWORD'],
            }).powerCycle('web-01');
            strict_1.default.equal(result.message, 'web-01: power command /bin/sh succeeded pw=from-the-worker other=unset');
            await strict_1.default.rejects(driver({ argv: ['/bin/true'], credentialsEnv: ['KR_TEST_NOT_SET'], timeoutSeconds: 1 }).powerCycle('web-01'), /power\.credentialsEnv: not set in the worker's environment: KR_TEST_NOT_SET/);
        }
        finally {
            delete process.env['KR_TEST_IPMI_PASSWORD'];
            delete process.env['KR_TEST_OTHER_TOKEN'];
        }
        strict_1.default.equal(schemas_1.powerConfigSchema.safeParse({ driver: 'command', argv: ['ipmitool', '-E'], credentialsEnv: ['IPMI PASSWORD'] })
            .success, false);
    });
});
//# sourceMappingURL=command.test.js.map