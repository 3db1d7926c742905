import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { release } from 'node:os';
import { describe, test } from 'node:test';
import type { WithHost } from '../session';
import { commitKernel, commitVerifiedTrial, confirmTrial, recordedAndRestored, stillRunsCommand } from './commit';

/** Runs a command in this machine's own shell: the guard reads this machine's boot id and kernel. */
function sh(command: string): { code: number | null; stderr: string } {
  const r = spawnSync('sh', ['-c', command], { encoding: 'utf8' });
  return { code: r.status, stderr: r.stderr };
}

describe('stillRunsCommand: the guard of a commit’s write, run by a real shell', () => {
  const bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  const kernel = release();

  test('passes while the machine runs that kernel in that boot', () => {
    assert.deepEqual(sh(`${stillRunsCommand(kernel, bootId)} && echo ran`).code, 0);
  });

  test('fails, saying why, in another boot or on another kernel; what is chained after it does not run', () => {
    for (const [k, b] of [
      [kernel, '00000000-0000-0000-0000-000000000000'],
      ['6.1.0-0-not-this-one', bootId],
    ] as const) {
      const r = sh(`${stillRunsCommand(k, b)} && echo ran >&2`);
      assert.equal(r.code, 1);
      assert.equal(r.stderr.trim(), 'kernel-rollout: the host no longer runs the verified boot: nothing changed');
    }
  });

  test('quotes what it compares: a boot id with shell in it is compared, not run', () => {
    const r = sh(stillRunsCommand(kernel, "x' ]; touch /tmp/kr-guard-injected; [ 'x"));
    assert.equal(r.code, 1);
    assert.equal(sh('test -e /tmp/kr-guard-injected').code, 1);
  });
});

describe('recordedAndRestored: what the commit’s last steps printed', () => {
  test('recorded, the host’s own settings put back', () => {
    assert.equal(
      recordedAndRestored('recorded-known-good\nkernel.panic=0 kernel.panic_on_oops=0', true),
      "kernel.panic=0 kernel.panic_on_oops=0 (the host's own settings, in place of the trial's)",
    );
  });

  test('recorded, a setting refused: the refusal is reported, the commit stands', () => {
    const out =
      'recorded-known-good\nsh: 1: cannot create /proc/sys/kernel/panic: Permission denied\nkernel.panic=10 kernel.panic_on_oops=1';
    assert.equal(
      recordedAndRestored(out, true),
      'kernel.panic=10 kernel.panic_on_oops=1 (not all restored: sh: 1: cannot create /proc/sys/kernel/panic: Permission denied)',
    );
  });

  test('no trial arguments in this boot: left alone', () => {
    assert.equal(
      recordedAndRestored('recorded-known-good', false),
      'left as they are (this boot has no trial arguments)',
    );
  });

  test('not recorded: an error naming the file and the host’s words (retryable: the write is safe to repeat)', () => {
    assert.throws(
      () =>
        recordedAndRestored("mkdir: cannot create directory '/var/lib/kernel-rollout': Read-only file system", false),
      /^Error: could not write \/var\/lib\/kernel-rollout\/known-good: mkdir: cannot create directory/,
    );
  });
});

describe('the commit steps refuse a boot id that is not one before touching the host', () => {
  const target = { host: 'web-01', port: 22, user: 'root', trustOnFirstUse: false };
  const expectedBootId = "x' ]; reboot; [ 'x";
  let connected = 0;
  const withHost: WithHost = () => {
    connected += 1;
    return Promise.reject(new Error('not reached'));
  };
  const release = '6.1.0-56-cloud-amd64';
  for (const [name, run] of [
    ['confirmTrial', () => confirmTrial(withHost, { target, toRelease: release, expectedBootId })],
    [
      'commitKernel',
      () => commitKernel(withHost, { target, toRelease: release, expectedBootId, bootloader: 'grub-debian' }),
    ],
    [
      'commitVerifiedTrial',
      () =>
        commitVerifiedTrial(withHost, {
          target,
          expectedRelease: release,
          expectedBootId,
          healthChecks: [],
          bootloader: 'grub-debian',
        }),
    ],
  ] as const) {
    test(name, async () => {
      await assert.rejects(run(), /expectedBootId/);
      assert.equal(connected, 0);
    });
  }
});
