/**
 * Trial kernel arguments cannot switch off the safety net: they are appended after the product's
 * own `panic=N oops=panic kernel_rollout.trial=…`, so anything that would override those or mask
 * the revert units is refused, and arguments under which the revert timer cannot run need an
 * out-of-band power driver. The grammar accepts what real hosts use (`root=UUID=…`), nothing
 * that could mean something else to GRUB or a shell.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { trialKernelArgs } from '../../src/activities/trial/kernel-args';
import {
  InvalidInputError,
  parseOrThrow,
  rolloutRequestSchema,
  upgradeHostInputSchema,
} from '../../src/shared/schemas';
import { KERNEL_ARG_RE, shellQuote } from '../../src/shared/shell';

const valid = {
  target: { host: 'web-01.example.org', user: 'deploy', privateKeyPath: '/home/op/.ssh/id_ed25519' },
  toRelease: '6.1.0-56-cloud-amd64',
  source: { kind: 'apt', packageName: 'linux-image-6.1.0-56-cloud-amd64' },
};
const withArgs = (trialKernelArgs: string[], power?: unknown) => ({
  ...valid,
  trialKernelArgs,
  ...(power ? { power } : {}),
});
const refusal = (input: unknown): string => {
  try {
    parseOrThrow(upgradeHostInputSchema, input);
  } catch (e) {
    assert.ok(e instanceof InvalidInputError, String(e));
    return e.message;
  }
  assert.fail('accepted');
};
const POWER = { driver: 'command', argv: ['/usr/local/bin/power-cycle', 'web-01'] };

describe('trial kernel arguments', () => {
  test('values holding = are accepted, as the kernel accepts them', () => {
    const args = [
      'root=UUID=0b9f5a1e-8d4c-4a35-9f4e-2b7c1d3e5f60',
      'root=PARTUUID=6c0f2a8e-01',
      'console=ttyS0,115200n8',
      'rd.luks.uuid=luks-0b9f5a1e',
      'nvme_core.default_ps_max_latency_us=0',
      'quiet',
    ];
    const v = parseOrThrow(upgradeHostInputSchema, withArgs(args));
    assert.deepEqual(v.trialKernelArgs, args);
    assert.deepEqual(trialKernelArgs(10, 'abc123', args).slice(3), args);
  });

  for (const arg of [
    'panic=0',
    'PANIC=0',
    'oops=continue',
    'panic_on_oops=0',
    'sysctl.kernel.panic=0',
    'sysctl.kernel.panic_on_oops=0',
    'kernel_rollout.trial=other',
    'kernel-rollout.trial=other',
    'systemd.mask=kernel-rollout-revert.timer',
    'systemd.mask=timers.target',
    'rd.systemd.mask=kernel-rollout-revert.service',
  ]) {
    test(`refused whatever the power driver: ${arg}`, () => {
      const message = refusal(withArgs([arg], POWER));
      assert.match(message, /^trialKernelArgs\.0: refused: .*(panic|token|mask)/m);
      assert.throws(() => trialKernelArgs(10, 'abc123', [arg]), /trialKernelArgs: refused/);
    });
  }

  for (const arg of ['init=/bin/sh', 'single', '-s', 'emergency', 'systemd.unit=rescue.target', 'rd.break', '1']) {
    test(`needs a power driver (the revert timer cannot run): ${arg}`, () => {
      assert.match(refusal(withArgs([arg])), /^trialKernelArgs\.0: .*revert timer cannot run.*power driver/m);
      assert.deepEqual(parseOrThrow(upgradeHostInputSchema, withArgs([arg], POWER)).trialKernelArgs, [arg]);
    });
  }

  test('a rollout template: every host without a power driver makes it a refusal', () => {
    const request = (hostPower?: unknown) => ({
      rolloutId: 'r-1',
      template: { toRelease: valid.toRelease, source: valid.source, trialKernelArgs: ['init=/bin/sh'] },
      hosts: [{ host: 'web-01', ...(hostPower ? { power: hostPower } : {}) }],
    });
    assert.throws(() => parseOrThrow(rolloutRequestSchema, request()), /template\.trialKernelArgs\.0: .*power driver/);
    assert.doesNotThrow(() => parseOrThrow(rolloutRequestSchema, request(POWER)));
  });

  test('quotes, spaces and shell characters are refused, naming the field', () => {
    for (const arg of ['a="b c"', 'x=$(reboot)', 'x=`id`', 'a;b', 'x=a\\b', 'x=a\nb', '']) {
      assert.match(refusal(withArgs([arg])), /^trialKernelArgs\.0: /m, JSON.stringify(arg));
    }
  });

  test('property: any string is refused naming trialKernelArgs, or is one shell word that runs nothing', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (arg) => {
        let parsed: string[] | undefined;
        try {
          parsed = parseOrThrow(upgradeHostInputSchema, withArgs([arg], POWER)).trialKernelArgs;
        } catch (e) {
          assert.ok(e instanceof InvalidInputError);
          assert.match(e.message, /^trialKernelArgs\.0: /m);
          return;
        }
        assert.ok(KERNEL_ARG_RE.test(parsed[0]!));
        // Through a real shell, the quoted argument is exactly one word, unchanged.
        const out = spawnSync('sh', ['-c', `printf '%s\\n' ${shellQuote(parsed[0]!)}`], { encoding: 'utf8' });
        assert.equal(out.stdout, `${parsed[0]}\n`);
      }),
      { numRuns: 300 },
    );
  });
});
