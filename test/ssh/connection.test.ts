import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';

import {
  AuthFailedError,
  ConnectFailedError,
  HostKeyMismatchError,
  SshSession,
  UnknownHostKeyError,
  fingerprintSha256,
  withSsh,
  type SshTarget,
} from '../../src/activities/ssh';
import { generateKeyPair, startSshd, type KeyPair, type SshdHandle } from '../../testbed/sshd';

const execFileP = promisify(execFile);

async function exists(p: string): Promise<boolean> {
  try {
    await fsp.access(p);
    return true;
  } catch {
    return false;
  }
}

function keyLine(k: Pick<KeyPair, 'publicKey'>): string {
  return k.publicKey.split(/\s+/).slice(0, 2).join(' ');
}

/** A TCP server on 127.0.0.1 that accepts and never says a word. */
async function silentServer(): Promise<{ port: number; sockets: net.Socket[]; close: () => Promise<void> }> {
  const sockets: net.Socket[] = [];
  const srv = net.createServer((s) => sockets.push(s));
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const a = srv.address();
  return {
    port: typeof a === 'object' && a ? a.port : 1,
    sockets,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => srv.close(r));
    },
  };
}

describe('SshSession.connect: host key verification and authentication', () => {
  let sshd: SshdHandle;
  let dir: string;
  let otherKey: KeyPair;

  const target = (extra: Partial<SshTarget> = {}): SshTarget => ({
    host: '127.0.0.1',
    port: sshd.port,
    user: 'root',
    trustOnFirstUse: false,
    privateKeyPath: sshd.clientKeyPath,
    knownHostsPath: sshd.knownHostsPath,
    connectTimeoutMs: 10_000,
    ...extra,
  });

  before(async () => {
    sshd = await startSshd();
    dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'kr-conn-'));
    otherKey = await generateKeyPair(dir, 'other');
  });
  after(async () => {
    await sshd?.stop();
    await fsp.rm(dir, { recursive: true, force: true });
  });

  it('connects with a matching known_hosts entry and runs a command', async () => {
    const out = await withSsh(target(), (s) => s.run('echo hi'));
    assert.equal(out, 'hi\n');
  });

  it('connects with a pinned fingerprint (known_hosts not consulted)', async () => {
    assert.equal(fingerprintSha256(sshd.hostKeyBlob), sshd.hostFingerprint);
    const out = await withSsh(
      target({ hostKeySha256: sshd.hostFingerprint, knownHostsPath: path.join(dir, 'does-not-exist') }),
      (s) => s.run('echo pinned'),
    );
    assert.equal(out, 'pinned\n');
  });

  it('refuses a wrong pinned fingerprint with HostKeyMismatchError', async () => {
    const wrong = fingerprintSha256(otherKey.keyBlob);
    await assert.rejects(SshSession.connect(target({ hostKeySha256: wrong })), (e: unknown) => {
      assert.ok(e instanceof HostKeyMismatchError, String(e));
      assert.equal(e.name, 'HostKeyMismatchError');
      assert.equal(e.presentedFingerprint, sshd.hostFingerprint);
      assert.ok(e.message.startsWith(`root@127.0.0.1:${sshd.port}: `), e.message);
      assert.ok(e.message.includes(wrong) && e.message.includes(sshd.hostFingerprint), e.message);
      return true;
    });
  });

  it('refuses a mismatched known_hosts key with HostKeyMismatchError and runs nothing', async () => {
    const kh = path.join(dir, 'kh_mismatch');
    await fsp.writeFile(kh, `[127.0.0.1]:${sshd.port} ${keyLine(otherKey)}\n`);
    const marker = path.join(dir, 'marker-mismatch');
    let fnCalled = false;
    await assert.rejects(
      withSsh(target({ knownHostsPath: kh, trustOnFirstUse: true }), async (s) => {
        fnCalled = true;
        return s.run(`touch ${marker}`);
      }),
      (e: unknown) => {
        assert.ok(e instanceof HostKeyMismatchError, String(e));
        assert.equal(e.retryable, false);
        assert.equal(e.presentedFingerprint, sshd.hostFingerprint);
        assert.deepEqual(e.expectedFingerprints, [`${fingerprintSha256(otherKey.keyBlob)} (ssh-ed25519)`]);
        assert.match(e.message, /man-in-the-middle/);
        assert.match(e.message, /ssh-keygen -R/);
        return true;
      },
    );
    assert.equal(fnCalled, false);
    assert.equal(await exists(marker), false, 'no command may run after a host key mismatch');
    // trust-on-first-use must not have rewritten the file
    assert.equal(await fsp.readFile(kh, 'utf8'), `[127.0.0.1]:${sshd.port} ${keyLine(otherKey)}\n`);
  });

  it('refuses a revoked host key even with trust-on-first-use', async () => {
    const kh = path.join(dir, 'kh_revoked');
    await fsp.writeFile(kh, `@revoked * ${sshd.hostPublicKey}\n[127.0.0.1]:${sshd.port} ${sshd.hostPublicKey}\n`);
    await assert.rejects(SshSession.connect(target({ knownHostsPath: kh, trustOnFirstUse: true })), (e: unknown) => {
      assert.ok(e instanceof HostKeyMismatchError, String(e));
      assert.equal(e.revoked, true);
      assert.match(e.message, /REVOKED/);
      return true;
    });
  });

  it('a host known only with another key type is refused (the server is not allowed to pick a new type)', async () => {
    const kh = path.join(dir, 'kh_othertype');
    // An RSA key for this host: we then offer only RSA host key algorithms; the server has none.
    const rsaPath = path.join(dir, 'rsa');
    await execFileP('ssh-keygen', ['-q', '-t', 'rsa', '-b', '2048', '-N', '', '-f', rsaPath]);
    const rsaLine = (await fsp.readFile(`${rsaPath}.pub`, 'utf8')).split(/\s+/).slice(0, 2).join(' ');
    await fsp.writeFile(kh, `[127.0.0.1]:${sshd.port} ${rsaLine}\n`);
    await assert.rejects(SshSession.connect(target({ knownHostsPath: kh, trustOnFirstUse: true })), (e: unknown) => {
      assert.ok(e instanceof HostKeyMismatchError, String(e));
      assert.match(e.message, /rsa-sha2-512/);
      return true;
    });
  });

  it('refuses an unknown host with UnknownHostKeyError that says how to fix it', async () => {
    const kh = path.join(dir, 'kh_empty');
    await fsp.writeFile(kh, `# nothing here\nother.example ${sshd.hostPublicKey}\n`);
    for (const knownHostsPath of [kh, path.join(dir, 'missing', 'known_hosts')]) {
      await assert.rejects(SshSession.connect(target({ knownHostsPath })), (e: unknown) => {
        assert.ok(e instanceof UnknownHostKeyError, String(e));
        assert.equal(e.name, 'UnknownHostKeyError');
        assert.equal(e.presentedFingerprint, sshd.hostFingerprint);
        assert.ok(e.message.startsWith(`root@127.0.0.1:${sshd.port}: `), e.message);
        assert.ok(e.message.includes(`--host-key-sha256 ${sshd.hostFingerprint}`), e.message);
        assert.match(e.message, /known_hosts/);
        assert.match(e.message, /trust-on-first-use/);
        return true;
      });
    }
    assert.equal(await exists(path.join(dir, 'missing')), false, 'a refused host must not create known_hosts');
  });

  it('trust-on-first-use records the key, then refuses a different key on the same host:port', async () => {
    const kh = path.join(dir, 'tofu', 'ssh', 'known_hosts');
    assert.equal(
      await withSsh(target({ knownHostsPath: kh, trustOnFirstUse: true }), (s) => s.run('echo first')),
      'first\n',
    );
    assert.equal(await fsp.readFile(kh, 'utf8'), `[127.0.0.1]:${sshd.port} ${sshd.hostPublicKey}\n`);
    assert.equal((await fsp.stat(kh)).mode & 0o777, 0o600);
    assert.equal((await fsp.stat(path.dirname(kh))).mode & 0o777, 0o700);

    // Second time the recorded key matches; nothing is appended, TOFU not even needed.
    assert.equal(await withSsh(target({ knownHostsPath: kh }), (s) => s.run('echo second')), 'second\n');
    assert.equal((await fsp.readFile(kh, 'utf8')).split('\n').filter(Boolean).length, 1);

    // Replace the server with one that has a different host key, on the same port.
    const port = sshd.port;
    await sshd.stop();
    sshd = await startSshd({ port });
    assert.equal(sshd.port, port);
    const marker = path.join(dir, 'marker-tofu');
    await assert.rejects(
      withSsh(target({ knownHostsPath: kh, trustOnFirstUse: true }), (s) => s.run(`touch ${marker}`)),
      (e: unknown) => {
        assert.ok(e instanceof HostKeyMismatchError, String(e));
        assert.equal(e.presentedFingerprint, sshd.hostFingerprint);
        return true;
      },
    );
    assert.equal(await exists(marker), false);
    assert.equal(
      (await fsp.readFile(kh, 'utf8')).split('\n').filter(Boolean).length,
      1,
      'TOFU must not append on mismatch',
    );
  });

  it('authenticates with an ssh-agent', async () => {
    const agent = await sshd.startAgent();
    const t = target({ agentSocket: agent.socket });
    delete t.privateKeyPath;
    assert.equal(await withSsh(t, (s) => s.run('echo agent')), 'agent\n');
  });

  it('an agent without the authorized key fails with AuthFailedError', async () => {
    const { startSshAgent } = await import('../../testbed/sshd');
    const agent = await startSshAgent(dir, otherKey.privateKeyPath);
    try {
      const t = target({ agentSocket: agent.socket });
      delete t.privateKeyPath;
      await assert.rejects(SshSession.connect(t), AuthFailedError);
    } finally {
      await agent.stop();
    }
  });

  it('a wrong private key fails with AuthFailedError (and the message does not leak the key)', async () => {
    const keyText = await fsp.readFile(otherKey.privateKeyPath, 'utf8');
    await assert.rejects(SshSession.connect(target({ privateKeyPath: otherKey.privateKeyPath })), (e: unknown) => {
      assert.ok(e instanceof AuthFailedError, String(e));
      assert.equal(e.name, 'AuthFailedError');
      assert.equal(e.retryable, false);
      assert.ok(e.message.startsWith(`root@127.0.0.1:${sshd.port}: authentication failed`), e.message);
      assert.ok(!e.message.includes('PRIVATE KEY') && !e.message.includes(keyText.split('\n')[1] ?? 'x'));
      return true;
    });
  });

  it('a missing key file fails with AuthFailedError before connecting', async () => {
    await assert.rejects(
      SshSession.connect(target({ privateKeyPath: path.join(dir, 'no-such-key') })),
      AuthFailedError,
    );
  });

  it('a closed port fails with a retryable ConnectFailedError', async () => {
    const port = await new Promise<number>((resolve) => {
      const srv = net.createServer().listen(0, '127.0.0.1', () => {
        const a = srv.address();
        srv.close(() => resolve(typeof a === 'object' && a ? a.port : 1));
      });
    });
    await assert.rejects(SshSession.connect(target({ port })), (e: unknown) => {
      assert.ok(e instanceof ConnectFailedError, String(e));
      assert.equal(e.retryable, true);
      assert.equal(e.code, 'ECONNREFUSED');
      return true;
    });
  });

  it('bannerTimeoutMs: a port that accepts and stays silent is given up after it, not after connectTimeoutMs', async () => {
    const { port, sockets, close } = await silentServer();
    const started = Date.now();
    try {
      await assert.rejects(
        SshSession.connect(target({ port, connectTimeoutMs: 20_000, bannerTimeoutMs: 300 })),
        (e: unknown) => {
          assert.ok(e instanceof ConnectFailedError, String(e));
          assert.match(e.message, /no SSH banner within 300 ms/);
          return true;
        },
      );
      assert.ok(Date.now() - started < 5000, `gave up after ${Date.now() - started} ms`);
      assert.equal(sockets.length, 1);
    } finally {
      await close();
    }
  });

  it('bannerTimeoutMs: the banner read first is handed to the SSH client (a real sshd, a real command)', async () => {
    const s = await SshSession.connect(target({ bannerTimeoutMs: 5000 }));
    try {
      assert.equal((await s.run('echo banner-ok')).trim(), 'banner-ok');
    } finally {
      s.close();
    }
    // A closed port still says so, with its code, through the banner path.
    const closed = await new Promise<number>((resolve) => {
      const srv = net.createServer().listen(0, '127.0.0.1', () => {
        const ad = srv.address();
        srv.close(() => resolve(typeof ad === 'object' && ad ? ad.port : 1));
      });
    });
    await assert.rejects(SshSession.connect(target({ port: closed, bannerTimeoutMs: 5000 })), (e: unknown) => {
      assert.ok(e instanceof ConnectFailedError, String(e));
      assert.equal(e.code, 'ECONNREFUSED');
      return true;
    });
  });

  it('bannerTimeoutMs: a first connection held silent by a port forward does not stop a fresh one reaching sshd', async () => {
    // A port forward in front of the real sshd that holds its first connection and never passes
    // it on (qemu's, for a connection made while the guest's network was down), and passes every
    // later one through: the session must come over one of those within the banner window.
    const held: net.Socket[] = [];
    const piped: net.Socket[] = [];
    const forward = net.createServer((s) => {
      s.on('error', () => undefined);
      if (held.length === 0) {
        held.push(s);
        return;
      }
      const up = net.connect({ host: '127.0.0.1', port: sshd.port });
      up.on('error', () => s.destroy());
      piped.push(s, up);
      s.pipe(up).pipe(s);
    });
    await new Promise<void>((r) => forward.listen(0, '127.0.0.1', () => r()));
    const port = (forward.address() as net.AddressInfo).port;
    const kh = path.join(dir, 'known_hosts.forward');
    await fsp.writeFile(kh, `[127.0.0.1]:${port} ${keyLine({ publicKey: sshd.hostPublicKey })}\n`);
    try {
      const s = await SshSession.connect(target({ port, knownHostsPath: kh, bannerTimeoutMs: 5000 }));
      try {
        assert.equal((await s.run('echo through-a-fresh-connection')).trim(), 'through-a-fresh-connection');
      } finally {
        s.close();
      }
      assert.equal(held.length, 1);
    } finally {
      for (const x of [...held, ...piped]) x.destroy();
      await new Promise((r) => forward.close(r));
    }
  });

  it('a server that never speaks SSH fails with ConnectFailedError after connectTimeoutMs', async () => {
    const { port, close } = await silentServer();
    const started = Date.now();
    try {
      await assert.rejects(SshSession.connect(target({ port, connectTimeoutMs: 500 })), (e: unknown) => {
        assert.ok(e instanceof ConnectFailedError, String(e));
        assert.equal(e.code, 'ETIMEDOUT');
        return true;
      });
      assert.ok(Date.now() - started < 3000);
    } finally {
      await close();
    }
  });
});
