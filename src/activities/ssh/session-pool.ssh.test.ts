/**
 * The session pool over real SSH to a real sshd on 127.0.0.1: consecutive activities to one
 * target run over one connection (the sshd sees one client port), and the cases that must open a
 * new one do: a step that failed, the reboot's own connection, a host forgotten before a reboot
 * or a power cycle, another target input, and the connection that found the new boot is the one
 * verification gets.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MockActivityEnvironment } from '@temporalio/testing';
import { startSshd, type SshdHandle } from '../../../testbed/sshd';
import type { AwaitRequest, AwaitResult, SshTargetInput } from '../../shared/types';
import { connectTo } from './connect';
import type { HostSession } from '../host';
import { awaitHostReturn } from '../steps/reboot';
import { hostAccess, type ActivityDeps } from '../session';
import { SessionPool } from './session-pool';

describe('session pool (real sshd on 127.0.0.1)', () => {
  let sshd: SshdHandle;
  let target: SshTargetInput;
  let connects = 0;
  const deps: ActivityDeps = {
    connect: (t, opts) => {
      connects += 1;
      return connectTo(t, opts);
    },
  };
  const pool = new SessionPool(60_000);
  const withHost = hostAccess(deps, pool);
  /** The client's address and port as sshd sees them: one per TCP connection. */
  const clientPort = (s: HostSession) => s.run('echo "$SSH_CLIENT" | cut -d" " -f1,2');

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
    pool.closeAll();
    await sshd?.stop();
  });

  it('runs consecutive steps to one target over one connection', async () => {
    pool.closeAll();
    connects = 0;
    const first = await withHost(target, clientPort);
    const second = await withHost(target, clientPort);
    assert.equal(second, first, 'the same client port: the same TCP connection');
    assert.equal(connects, 1);
  });

  it('opens a new connection after a step that failed, and for another target input', async () => {
    pool.closeAll();
    connects = 0;
    const before = await withHost(target, clientPort);
    await assert.rejects(
      withHost(target, (s) => s.run('exit 3')),
      /exit|3/,
    );
    const afterFailure = await withHost(target, clientPort);
    assert.notEqual(afterFailure, before, 'the failed step closed its connection');
    const other = await withHost({ ...target, user: 'root', hostKeySha256: undefined, port: sshd.port }, clientPort);
    assert.equal(other, afterFailure, 'an equal input (undefined fields aside) is the same target');
    const asAnother = await withHost({ ...target, host: 'loopback-2' }, clientPort);
    assert.notEqual(asAnother, afterFailure, 'another host name: its own connection');
    assert.equal(connects, 3);
  });

  it('never keeps the reboot step’s connection, and forgets a host before a reboot or power cycle', async () => {
    pool.closeAll();
    connects = 0;
    await withHost(target, clientPort);
    await withHost(target, clientPort, { keep: false });
    await withHost(target, clientPort);
    assert.equal(connects, 2, 'keep: false closed it');
    pool.forget(target.host);
    await withHost(target, clientPort);
    assert.equal(connects, 3, 'forgotten: a new connection');
  });

  it('gives the connection that found the new boot to the verification that follows', async () => {
    pool.closeAll();
    connects = 0;
    const req: AwaitRequest = {
      target,
      previousBootId: '00000000-0000-4000-8000-000000000000',
      deadlineEpochMs: Date.now() + 30_000,
      pollCapSeconds: 1,
    };
    const back = (await new MockActivityEnvironment().run(awaitHostReturn, deps, req, pool)) as AwaitResult;
    assert.ok(back.back);
    const boot = await withHost(target, (s) => s.run('cat /proc/sys/kernel/random/boot_id'));
    assert.equal(boot.trim(), back.bootId);
    assert.equal(connects, 1, 'verification ran over the poll’s connection');
  });
});
