/**
 * awaitHostReturn over a real SSH session to a real sshd on 127.0.0.1: the host answers at once
 * with its real boot id (not the one the "reboot" left), and the time away is counted from the
 * moment the workflow says the host went down, not from the start of this attempt — a retry on a
 * restarted worker must not report a shorter downtime than the host had.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { MockActivityEnvironment } from '@temporalio/testing';
import { startSshd, type SshdHandle } from '../../testbed/sshd';
import type { AwaitRequest, AwaitResult, SshTargetInput } from '../shared/types';
import { awaitHostReturn } from './reboot';
import { realDeps } from './session';

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
});
