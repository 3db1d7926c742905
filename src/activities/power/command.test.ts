/** The `command` power driver against real local programs: no shell, {host}, exit codes, timeout. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { powerConfigSchema } from '../../shared/schemas';
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
});
