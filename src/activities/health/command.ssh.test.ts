/** The `command` health check in a real shell on the other end of a real SSH session (OpenSSH on loopback). */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { healthCheckSchema } from '../../shared/schemas';
import { startSshd, type SshdHandle } from '../../../testbed/sshd';
import { SshSession } from '../ssh';
import { runHealthCheck } from './check';

describe('command health check (real shell over SSH)', () => {
  let sshd: SshdHandle;
  let session: SshSession;
  const check = (command: string, timeoutSeconds?: number) =>
    runHealthCheck(session, healthCheckSchema.parse({ kind: 'command', command, timeoutSeconds }));

  before(async () => {
    sshd = await startSshd({ users: ['root'] });
    session = await SshSession.connect({
      host: '127.0.0.1',
      port: sshd.port,
      user: 'root',
      trustOnFirstUse: false,
      privateKeyPath: sshd.clientKeyPath,
      knownHostsPath: sshd.knownHostsPath,
    });
  });
  after(async () => {
    session?.close();
    await sshd?.stop();
  });

  it('is healthy when the command exits 0, pipes and expansions as a shell runs them', async () => {
    assert.equal(await check('test -r /etc/passwd'), null);
    assert.equal(await check('[ "$(echo a | tr a b)" = b ] && test -n "$HOME"'), null);
  });

  it('fails with the exit code and the end of stderr', async () => {
    assert.equal(
      await check('echo "upstream unreachable" >&2; exit 7'),
      'health command `echo "upstream unreachable" >&2; exit 7` exited 7: upstream unreachable',
    );
    const long = await check('head -c 1000 /dev/zero | tr "\\0" x >&2; echo " END" >&2; exit 1');
    assert.match(long ?? '', /exited 1: x{296} END$/);
  });

  it('says so when the command printed nothing, and shows stdout when stderr is empty', async () => {
    assert.equal(await check('exit 3'), 'health command `exit 3` exited 3 and printed nothing');
    assert.equal(
      await check('echo "  " >&2; exit 1'),
      'health command `echo "  " >&2; exit 1` exited 1 and printed nothing',
    );
    assert.equal(await check('echo inactive; exit 4'), 'health command `echo inactive; exit 4` exited 4: inactive');
  });

  it('fails when the command outlives its timeout', async () => {
    const started = Date.now();
    assert.equal(
      await check('sleep 5', 1),
      `health command \`sleep 5\`: root@127.0.0.1:${sshd.port}: command timed out after 1000 ms (channel closed): sleep 5`,
    );
    assert.ok(Date.now() - started < 4000, `took ${Date.now() - started} ms`);
  });

  it('takes one line, 30 s by default', () => {
    assert.equal(healthCheckSchema.safeParse({ kind: 'command', command: 'true\nreboot' }).success, false);
    assert.deepEqual(healthCheckSchema.parse({ kind: 'command', command: 'true' }), {
      kind: 'command',
      command: 'true',
      timeoutSeconds: 30,
    });
  });
});
