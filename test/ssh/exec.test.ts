import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
  CommandFailedError,
  CommandTimeoutError,
  EXEC_OUTPUT_CAP_BYTES,
  SshSession,
  withSsh,
  type SshTarget,
} from '../../src/activities/ssh';
import { requireLocalUser, startSshd, type SshdHandle } from '../../testbed/sshd';

/** Poll (over SSH) until no process has exactly this command line; returns the PIDs still there. */
async function waitGone(cmdline: string, s: SshSession, withinMs: number): Promise<string> {
  const deadline = Date.now() + withinMs;
  let pids = '';
  do {
    pids = (await s.exec(`pgrep -x -f ${JSON.stringify(cmdline)} || true`)).stdout.trim();
    if (pids === '') break;
    await new Promise((r) => setTimeout(r, 100));
  } while (Date.now() < deadline);
  return pids;
}

describe('SshSession.exec / run', () => {
  let sshd: SshdHandle;
  let root: SshSession;

  const target = (user: string): SshTarget => ({
    host: '127.0.0.1',
    port: sshd.port,
    user,
    trustOnFirstUse: false,
    privateKeyPath: sshd.clientKeyPath,
    knownHostsPath: sshd.knownHostsPath,
  });

  before(async () => {
    sshd = await startSshd({ users: ['root', 'krtest'] });
    root = await SshSession.connect(target('root'));
  });
  after(async () => {
    root?.close();
    await sshd?.stop();
  });

  it('captures stdout, stderr, exit code and duration without throwing on non-zero exit', async () => {
    const r = await root.exec('echo out; echo err >&2; exit 3');
    assert.equal(r.code, 3);
    assert.equal(r.signal, null);
    assert.equal(r.stdout, 'out\n');
    assert.equal(r.stderr, 'err\n');
    assert.ok(r.durationMs >= 0);
    const ok = await root.exec('true');
    assert.equal(ok.code, 0);
  });

  it('reports a command killed by a signal', async () => {
    const r = await root.exec('kill -KILL $$');
    assert.equal(r.code, null);
    assert.equal(r.signal, 'SIGKILL');
    await assert.rejects(root.run('kill -KILL $$'), CommandFailedError);
    // Same result through the remote `timeout` backstop that a timeoutMs adds.
    const viaTimeout = await root.exec('kill -KILL $$', { timeoutMs: 10_000 });
    assert.equal(viaTimeout.code, null);
    assert.equal(viaTimeout.signal, 'SIGKILL');
    const exitViaTimeout = await root.exec('echo x; exit 5', { timeoutMs: 10_000, stdin: 'ignored' });
    assert.deepEqual([exitViaTimeout.code, exitViaTimeout.stdout], [5, 'x\n']);
  });

  it('feeds stdin and always closes it', async () => {
    const r = await root.exec('cat; echo done', { stdin: 'line1\nline2\n' });
    assert.equal(r.stdout, 'line1\nline2\ndone\n');
    const noInput = await root.exec('cat; echo eof', { timeoutMs: 5000 });
    assert.equal(noInput.stdout, 'eof\n');
  });

  it('run() returns stdout and throws CommandFailedError with host, command, code and stderr tail', async () => {
    assert.equal(await root.run('printf "%s" "a b"'), 'a b');
    await assert.rejects(root.run('echo partial; echo "boom: disk full" >&2; exit 42'), (e: unknown) => {
      assert.ok(e instanceof CommandFailedError, String(e));
      assert.equal(e.name, 'CommandFailedError');
      assert.equal(e.exitCode, 42);
      assert.equal(e.host, '127.0.0.1');
      assert.match(e.command, /exit 42/);
      assert.match(e.stderrTail, /boom: disk full/);
      assert.ok(e.message.startsWith(`root@127.0.0.1:${sshd.port}: command failed with exit code 42`), e.message);
      assert.match(e.message, /boom: disk full/);
      return true;
    });
  });

  it('times out: CommandTimeoutError quickly, channel closed, session still usable', async () => {
    const started = Date.now();
    await assert.rejects(root.exec('sleep 30', { timeoutMs: 500 }), (e: unknown) => {
      assert.ok(e instanceof CommandTimeoutError, String(e));
      assert.equal(e.name, 'CommandTimeoutError');
      assert.equal(e.timeoutMs, 500);
      assert.ok(e.message.startsWith(`root@127.0.0.1:${sshd.port}: command timed out after 500 ms`), e.message);
      return true;
    });
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 450 && elapsed < 2500, `took ${elapsed} ms`);
    assert.equal(await root.run('echo still-alive', { timeoutMs: 5000 }), 'still-alive\n');
    // The timed-out process does not linger on the host.
    assert.equal(await waitGone('sleep 30', root, 4000), '', 'sleep 30 should have been killed');
  });

  it('caps captured output', async () => {
    const r = await root.exec(`head -c ${EXEC_OUTPUT_CAP_BYTES + 1024 * 1024} /dev/zero | tr '\\0' a`, {
      timeoutMs: 30_000,
    });
    assert.equal(r.code, 0);
    assert.equal(r.stdout.length, EXEC_OUTPUT_CAP_BYTES);
  });

  it('sudo as root runs the command unchanged', async () => {
    assert.equal(root.wrapCommand('id -u', true), 'id -u');
    assert.equal(await root.run('id -u', { sudo: true }), '0\n');
  });

  describe('as the non-root user krtest', () => {
    let krtest: SshSession;
    before(async () => {
      await requireLocalUser('krtest');
      krtest = await SshSession.connect(target('krtest'));
    });
    after(() => krtest?.close());

    it('without sudo runs as krtest; with sudo runs as root', async () => {
      const uid = (await krtest.run('id -u')).trim();
      assert.notEqual(uid, '0');
      assert.match(uid, /^[1-9][0-9]*$/);
      assert.equal(await krtest.run('id -u', { sudo: true }), '0\n');
      assert.equal(krtest.wrapCommand('id -u', true), `sudo -n -- sh -c 'id -u'`);
    });

    it('sudo keeps the whole command (quotes, pipes, &&) inside one sh -c', async () => {
      const out = await krtest.run(`echo "it's" | tr a-z A-Z && id -un && echo $((1+2))`, { sudo: true });
      assert.equal(out, "IT'S\nroot\n3\n");
      const r = await krtest.exec('echo no >&2; exit 7', { sudo: true });
      assert.equal(r.code, 7);
      assert.equal(r.stderr, 'no\n');
    });

    it('a timed-out sudo command (a root process the user cannot signal) is still killed on the host', async () => {
      const started = Date.now();
      await assert.rejects(krtest.exec('sleep 31', { sudo: true, timeoutMs: 500 }), CommandTimeoutError);
      assert.ok(Date.now() - started < 2500);
      assert.equal(await waitGone('sleep 31', root, 4000), '', 'sudo sleep 31 should have been killed');
    });

    it('withSsh closes the session', async () => {
      let session: SshSession | undefined;
      const out = await withSsh(target('krtest'), async (s) => {
        session = s;
        return s.run('whoami');
      });
      assert.equal(out, 'krtest\n');
      await assert.rejects(session!.exec('true'));
    });
  });
});
