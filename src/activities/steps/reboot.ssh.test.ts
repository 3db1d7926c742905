/**
 * awaitHostReturn over a real SSH session to a real sshd on 127.0.0.1: the host answers at once
 * with its real boot id (not the one the "reboot" left), and the time away is counted from the
 * moment the workflow says the host went down, not from the start of this attempt — a retry on a
 * restarted worker must not report a shorter downtime than the host had.
 *
 * rebootHost's failures on the same sshd, presented with a host key other than the one pinned:
 * a retry says that an earlier attempt ran (it may have rebooted the host), a first attempt not.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { release } from 'node:os';
import { after, before, describe, it } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { startSshd, type SshdHandle } from '../../../testbed/sshd';
import type { AwaitRequest, AwaitResult, RebootRequest, SshTargetInput } from '../../shared/types';
import { awaitHostReturn, rebootHost } from './reboot';
import { hostAccess, realDeps } from '../session';
import { SessionPool } from '../ssh/session-pool';
import { takeReturnRead } from './return-read';

const GONE_BOOT_ID = '00000000-0000-4000-8000-000000000000';

describe('awaitHostReturn (real sshd on 127.0.0.1)', () => {
  let sshd: SshdHandle;
  let target: SshTargetInput;
  const env = new MockActivityEnvironment();
  const wait = (extra: Partial<AwaitRequest>) =>
    env.run(awaitHostReturn, realDeps, {
      target,
      previousBootId: GONE_BOOT_ID,
      deadlineEpochMs: Date.now() + 30_000,
      pollCapSeconds: 1,
      ...extra,
    }) as Promise<AwaitResult>;

  before(async () => {
    sshd = await startSshd({ users: ['root'] });
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
  after(async () => {
    await sshd?.stop();
  });

  it('counts the seconds away from the reboot time it is given', async () => {
    const back = await wait({ downSinceEpochMs: Date.now() - 42_000 });
    assert.ok(back.back, JSON.stringify(back));
    assert.equal(back.bootId, readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim());
    assert.ok(back.secondsAway >= 42 && back.secondsAway <= 45, `secondsAway ${back.secondsAway}, expected 42–45`);
  });

  it('without a reboot time (runs started before), from its own start', async () => {
    const back = await wait({});
    assert.ok(back.back && back.secondsAway <= 3, JSON.stringify(back));
  });

  it('refuses a reboot time that is not a time', async () => {
    await assert.rejects(wait({ downSinceEpochMs: -5 }), /downSinceEpochMs/);
  });

  it('with a verification to follow, the poll that finds the boot leaves its read with its connection', async () => {
    const pool = new SessionPool();
    const thenVerify = { expectedRelease: release(), healthChecks: [] };
    const req: AwaitRequest = {
      target,
      previousBootId: GONE_BOOT_ID,
      deadlineEpochMs: Date.now() + 30_000,
      pollCapSeconds: 1,
      thenVerify,
    };
    const back = (await env.run(awaitHostReturn, realDeps, req, pool)) as AwaitResult;
    assert.ok(back.back, JSON.stringify(back));
    const s = pool.take(target);
    assert.ok(s, 'the connection that found the boot is in the pool');
    try {
      // This machine's own sh ran the read: its kernel, its boot id, and the bootloader sections.
      const read = takeReturnRead(s, { bootId: back.bootId, release: release() }, []);
      assert.equal(read?.['uname-r'], release());
      assert.equal(read?.['boot-id'], back.bootId);
      assert.ok(read && 'grubenv' in read && 'sd-efivarfs' in read, JSON.stringify(Object.keys(read ?? {})));
    } finally {
      s.close();
    }
  });

  it('with a verification to follow, refuses a previous boot id that is not one before connecting', async () => {
    const thenVerify = { expectedRelease: release(), healthChecks: [] };
    await assert.rejects(
      wait({ previousBootId: "x' ]; touch /tmp/kr-poll-injected; [ 'x", thenVerify }),
      /previousBootId/,
    );
    assert.throws(() => readFileSync('/tmp/kr-poll-injected'), /ENOENT/);
  });
});

describe('rebootHost failing on a host key that changed (real sshd on 127.0.0.1)', () => {
  let sshd: SshdHandle;
  let req: RebootRequest;

  before(async () => {
    sshd = await startSshd({ users: ['root'] });
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
  after(async () => {
    await sshd?.stop();
  });

  const failure = async (attempt: number): Promise<ApplicationFailure> => {
    const env = new MockActivityEnvironment({ attempt });
    try {
      await env.run(rebootHost, hostAccess(realDeps), req);
    } catch (err) {
      assert.ok(err instanceof ApplicationFailure, String(err));
      return err;
    }
    return assert.fail('rebootHost connected to a host whose key is not the pinned one');
  };

  it('on a retry, refuses with the host key error and says an earlier attempt ran', async () => {
    const err = await failure(2);
    assert.equal(err.type, 'HostKeyMismatchError');
    assert.equal(err.nonRetryable, true);
    assert.deepEqual(err.details, [{ earlierAttemptRan: true }]);
  });

  it('on a first attempt, refuses without that detail', async () => {
    const err = await failure(1);
    assert.equal(err.type, 'HostKeyMismatchError');
    assert.ok(!err.details?.length, JSON.stringify(err.details));
  });
});
