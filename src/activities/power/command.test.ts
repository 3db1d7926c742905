/** The `command` power driver against real local programs: no shell, {host}, exit codes, timeout. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { powerConfigSchema } from '../../shared/schemas';
import { commandEnvironment } from './command';
import { createPowerDriver } from './driver';

const driver = (config: Record<string, unknown>) =>
  createPowerDriver(powerConfigSchema.parse({ driver: 'command', ...config }));

describe('command power driver', () => {
  it('runs argv without a shell, {host} replaced in every argument, the host in KERNEL_ROLLOUT_HOST', async () => {
    const result = await driver({
      argv: ['/bin/sh', '-c', 'echo "args: $1 $2; env: $KERNEL_ROLLOUT_HOST"', 'sh', 'bmc-{host}', '{host}:{host}'],
    }).powerCycle('web-01');
    assert.equal(result.performed, true);
    assert.equal(result.message, 'web-01: power command /bin/sh succeeded args: bmc-web-01 web-01:web-01; env: web-01');
    // No shell between the driver and the program: `$(…)` in an argument reaches it as written.
    const literal = await driver({ argv: ['/bin/echo', '$(id -u) `id` {host};'] }).powerCycle('web-01');
    assert.equal(literal.message, 'web-01: power command /bin/echo succeeded $(id -u) `id` web-01;');
  });

  it('rejects on a non-zero exit with the code and the end of the output', async () => {
    const power = driver({
      argv: ['/bin/sh', '-c', 'echo "BMC of $KERNEL_ROLLOUT_HOST: connection timed out" >&2; exit 3'],
    });
    await assert.rejects(power.powerCycle('web-01'), {
      message: 'web-01: power command /bin/sh failed (exit 3): BMC of web-01: connection timed out',
    });
  });

  it('kills the program at the timeout and says so', async () => {
    const started = Date.now();
    await assert.rejects(driver({ argv: ['sleep', '30'], timeoutSeconds: 1 }).powerCycle('web-01'), {
      message: 'web-01: power command sleep failed (signal SIGKILL, timeout 1s?): ',
    });
    assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
  });

  it('rejects a program that cannot start', async () => {
    // timeoutSeconds 1: node's spawn keeps its kill timer running when the program never started,
    // which would hold this test process open for the default 60 s.
    const power = driver({ argv: ['/nonexistent/ipmitool', 'power', 'reset'], timeoutSeconds: 1 });
    await assert.rejects(power.powerCycle('web-01'), {
      message: 'web-01: power command /nonexistent/ipmitool could not start: spawn /nonexistent/ipmitool ENOENT',
    });
  });

  it('validates its configuration: a program is required, NUL refused, timeout 60 s by default', () => {
    assert.equal(powerConfigSchema.safeParse({ driver: 'command', argv: [] }).success, false);
    assert.equal(powerConfigSchema.safeParse({ driver: 'command', argv: ['ipmi\0tool'] }).success, false);
    assert.equal(powerConfigSchema.safeParse({ driver: 'command', argv: ['/bin/true'], shell: true }).success, false);
    assert.deepEqual(powerConfigSchema.parse({ driver: 'command', argv: ['/bin/true'] }), {
      driver: 'command',
      argv: ['/bin/true'],
      timeoutSeconds: 60,
    });
    assert.throws(
      () => createPowerDriver({ driver: 'command', argv: [''], timeoutSeconds: 5 }),
      /power\.argv: give the program and its arguments/,
    );
  });

  it('refuses a credential in argv at the schema, naming the argument', () => {
    const refused: [string[], number][] = [
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
      const r = powerConfigSchema.safeParse({ driver: 'command', argv });
      assert.equal(r.success, false, argv.join(' '));
      const issue = r.error?.issues[0];
      assert.deepEqual(issue?.path, ['argv', index], argv.join(' '));
      assert.match(issue?.message ?? '', /must not carry a credential .*power\.credentialsEnv/);
      // A driver built without the schema refuses it too.
      assert.throws(
        () => createPowerDriver({ driver: 'command', argv, timeoutSeconds: 5 }),
        /power\.argv\.\d+: must not/,
      );
    }
    const allowed = [
      ['ipmitool', '-I', 'lanplus', '-H', 'bmc-{host}', '-U', 'admin', '-E', 'power', 'reset'],
      ['ipmitool', '-H', 'bmc-{host}', '-p', '623', '-f', '/etc/kernel-rollout/ipmi.pass', 'power', 'cycle'],
      ['cloudctl', 'reset', '--bypass=1', '--token-file', '/etc/kernel-rollout/cloud.token', '{host}'],
    ];
    for (const argv of allowed)
      assert.equal(powerConfigSchema.safeParse({ driver: 'command', argv }).success, true, argv.join(' '));
  });

  it('gives the program the credentials named in credentialsEnv, and no other credential-like variable of the worker', async () => {
    const workerEnv = {
      PATH: '/usr/bin:/bin',
      IPMI_PASSWORD: 'pw1',
      CLOUD_TOKEN: 't1',
      TEMPORAL_API_KEY: 'k1',
      LANG: 'C',
    };
    assert.deepEqual(commandEnvironment(workerEnv, ['IPMI_PASSWORD'], 'web-01'), {
      PATH: '/usr/bin:/bin',
      IPMI_PASSWORD: 'pw1',
      LANG: 'C',
      KERNEL_ROLLOUT_HOST: 'web-01',
    });
    assert.throws(
      () => commandEnvironment(workerEnv, ['IPMI_PASSWORD', 'BMC_SECRET'], 'web-01'),
      /^Error: power\.credentialsEnv: not set in the worker's environment: BMC_SECRET$/,
    );
    // A real program, with the worker's environment of this process.
    process.env['KR_TEST_IPMI_PASSWORD'] = 'from-the-worker';
    process.env['KR_TEST_OTHER_TOKEN'] = 'not-named';
    try {
      const result = await driver({
        argv: ['/bin/sh', '-c', 'echo "pw=${KR_TEST_IPMI_PASSWORD:-unset} other=${KR_TEST_OTHER_TOKEN:-unset}"'],
        credentialsEnv: ['KR_TEST_IPMI_PASSWORD'],
      }).powerCycle('web-01');
      assert.equal(result.message, 'web-01: power command /bin/sh succeeded pw=from-the-worker other=unset');
      await assert.rejects(
        driver({ argv: ['/bin/true'], credentialsEnv: ['KR_TEST_NOT_SET'], timeoutSeconds: 1 }).powerCycle('web-01'),
        /power\.credentialsEnv: not set in the worker's environment: KR_TEST_NOT_SET/,
      );
    } finally {
      delete process.env['KR_TEST_IPMI_PASSWORD'];
      delete process.env['KR_TEST_OTHER_TOKEN'];
    }
    assert.equal(
      powerConfigSchema.safeParse({ driver: 'command', argv: ['ipmitool', '-E'], credentialsEnv: ['IPMI PASSWORD'] })
        .success,
      false,
    );
  });
});
