/**
 * ProxyJump against real OpenSSH: bastions on 127.0.0.1 / 127.0.0.3, the target on 127.0.0.2.
 * Every sshd runs on this machine, so "did a command run on the target" is a marker file, and
 * "did the connection go through the bastion" is the bastion's own log of the forward
 * (LogLevel DEBUG1 logs each direct-tcpip request) or its refusal with AllowTcpForwarding no.
 */
import assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { realDeps } from '../../src/activities';
import {
  ConnectFailedError,
  ForwardingRefusedError,
  HostKeyMismatchError,
  SshSession,
  UnknownHostKeyError,
  fingerprintSha256,
  withSsh,
  type SshJumpHost,
  type SshTarget,
} from '../../src/activities/ssh';
import { generateKeyPair, startSshd, type KeyPair, type SshdHandle } from '../../testbed/sshd';

const TARGET_ADDRESS = '127.0.0.2';

async function exists(p: string): Promise<boolean> {
  try {
    await fsp.access(p);
    return true;
  } catch {
    return false;
  }
}

function keyLine(k: KeyPair): string {
  return k.publicKey.split(/\s+/).slice(0, 2).join(' ');
}

function count(text: string, re: RegExp): number {
  return text.match(new RegExp(re.source, 'g'))?.length ?? 0;
}

async function waitFor(what: string, cond: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A log line sshd writes once per successful login. */
const LOGIN_RE = /Accepted publickey for root/;
/** Per-connection sshd children log this when the client logs out. */
const LOGOUT_RE = /Disconnected from user root/;
/** DEBUG1: the bastion was asked to forward to `host:port`. */
function forwardRe(host: string, port: number): RegExp {
  return new RegExp(
    `server_request_direct_tcpip: originator 127\\.0\\.0\\.1 port 0, target ${host.replace(/\./g, '\\.')} port ${port}\\b`,
  );
}

describe('SshSession.connect through bastions (ProxyJump)', () => {
  let bastion: SshdHandle;
  let bastion2: SshdHandle;
  let noForwarding: SshdHandle;
  let target: SshdHandle;
  let dir: string;
  let otherKey: KeyPair;

  const hop = (s: SshdHandle, extra: Partial<SshJumpHost> = {}): SshJumpHost => ({
    host: s.address,
    port: s.port,
    user: 'root',
    trustOnFirstUse: false,
    privateKeyPath: s.clientKeyPath,
    knownHostsPath: s.knownHostsPath,
    ...extra,
  });
  const viaBastion = (extra: Partial<SshTarget> = {}, jumpHosts: SshJumpHost[] = [hop(bastion)]): SshTarget => ({
    host: target.address,
    port: target.port,
    user: 'root',
    trustOnFirstUse: false,
    privateKeyPath: target.clientKeyPath,
    knownHostsPath: target.knownHostsPath,
    connectTimeoutMs: 10_000,
    jumpHosts,
    ...extra,
  });
  /** Runs `touch marker` on the target if it ever gets there. */
  const tryTouch = async (t: SshTarget, marker: string): Promise<{ fnCalled: boolean; error: unknown }> => {
    let fnCalled = false;
    try {
      await withSsh(t, async (s) => {
        fnCalled = true;
        return s.run(`touch ${marker}`);
      });
    } catch (error) {
      return { fnCalled, error };
    }
    return { fnCalled, error: undefined };
  };

  before(async () => {
    bastion = await startSshd({ logLevel: 'DEBUG1' });
    bastion2 = await startSshd({ listenAddress: '127.0.0.3', logLevel: 'DEBUG1' });
    noForwarding = await startSshd({ allowTcpForwarding: false });
    target = await startSshd({ listenAddress: TARGET_ADDRESS });
    dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'kr-jump-'));
    otherKey = await generateKeyPair(dir, 'other');
  });
  after(async () => {
    for (const s of [bastion, bastion2, noForwarding, target]) await s?.stop();
    await fsp.rm(dir, { recursive: true, force: true });
  });

  it('runs commands and uploads through one bastion, which logs the forward to the target', async () => {
    const forwardsBefore = count(bastion.logs(), forwardRe(TARGET_ADDRESS, target.port));
    const local = path.join(dir, 'payload.bin');
    const remote = path.join(dir, 'uploaded.bin');
    await fsp.writeFile(local, 'kernel bytes\n'.repeat(10_000));
    const session = await SshSession.connect(viaBastion());
    try {
      assert.equal(await session.run('echo through-the-bastion'), 'through-the-bastion\n');
      const r = await session.exec('echo out; echo err >&2; exit 3', { timeoutMs: 10_000 });
      assert.deepEqual([r.code, r.stdout, r.stderr], [3, 'out\n', 'err\n']);
      const up = await session.upload(local, remote, { mode: 0o600 });
      assert.equal(up.skipped, false);
      assert.ok((await fsp.readFile(remote)).equals(await fsp.readFile(local)));
      assert.equal((await fsp.stat(remote)).mode & 0o777, 0o600);
    } finally {
      session.close();
    }
    assert.equal(
      count(bastion.logs(), forwardRe(TARGET_ADDRESS, target.port)),
      forwardsBefore + 1,
      `the bastion must have forwarded exactly this connection:\n${bastion.logs().slice(-3000)}`,
    );
  });

  it('closing the session logs out of the target and of the bastion', async () => {
    const session = await SshSession.connect(viaBastion());
    assert.equal(await session.run('echo up'), 'up\n');
    const targetLogouts = count(target.logs(), LOGOUT_RE);
    const bastionLogouts = count(bastion.logs(), LOGOUT_RE);
    session.close();
    await waitFor('the target to log the logout', () => count(target.logs(), LOGOUT_RE) > targetLogouts);
    await waitFor('the bastion to log the logout', () => count(bastion.logs(), LOGOUT_RE) > bastionLogouts);
    await assert.rejects(session.run('echo after-close'), ConnectFailedError);
  });

  it('goes through a chain of two bastions, each forwarding to the next hop', async () => {
    const toSecond = forwardRe(bastion2.address, bastion2.port);
    const toTarget = forwardRe(TARGET_ADDRESS, target.port);
    const before1 = count(bastion.logs(), toSecond);
    const before2 = count(bastion2.logs(), toTarget);
    const direct = count(bastion.logs(), toTarget);
    const out = await withSsh(viaBastion({}, [hop(bastion), hop(bastion2)]), (s) => s.run('echo two-hops'));
    assert.equal(out, 'two-hops\n');
    assert.equal(count(bastion.logs(), toSecond), before1 + 1, 'bastion 1 forwards to bastion 2');
    assert.equal(count(bastion2.logs(), toTarget), before2 + 1, 'bastion 2 forwards to the target');
    assert.equal(count(bastion.logs(), toTarget), direct, 'bastion 1 does not connect to the target itself');
  });

  it('a bastion host key mismatch is refused, names the bastion, and nothing reaches the target', async () => {
    const kh = path.join(dir, 'kh_bastion_wrong');
    await fsp.writeFile(kh, `[127.0.0.1]:${bastion.port} ${keyLine(otherKey)}\n`);
    const marker = path.join(dir, 'marker-bastion-mismatch');
    const targetConnections = count(target.logs(), /Connection from/);
    const bastionLogins = count(bastion.logs(), LOGIN_RE);

    const { fnCalled, error } = await tryTouch(
      viaBastion({}, [hop(bastion, { knownHostsPath: kh, trustOnFirstUse: true })]),
      marker,
    );
    assert.ok(error instanceof HostKeyMismatchError, String(error));
    assert.equal(error.retryable, false);
    assert.equal(error.presentedFingerprint, bastion.hostFingerprint);
    assert.deepEqual(error.via, { host: '127.0.0.1', port: bastion.port, user: 'root', hop: 1, hops: 1 });
    assert.ok(
      error.message.startsWith(
        `root@${TARGET_ADDRESS}:${target.port}: via bastion root@127.0.0.1:${bastion.port}: HOST KEY MISMATCH`,
      ),
      error.message,
    );
    assert.ok(error.message.includes(`ssh-keygen -R '[127.0.0.1]:${bastion.port}'`), error.message);
    assert.equal(fnCalled, false);
    assert.equal(await exists(marker), false, 'no command may run after a bastion host key mismatch');
    assert.equal(count(bastion.logs(), LOGIN_RE), bastionLogins, 'no authentication to a refused bastion');
    assert.equal(count(target.logs(), /Connection from/), targetConnections, 'nothing may reach the target');
    assert.equal(await fsp.readFile(kh, 'utf8'), `[127.0.0.1]:${bastion.port} ${keyLine(otherKey)}\n`);
  });

  it('the second bastion of a chain with a wrong key is named as bastion 2 of 2', async () => {
    const kh = path.join(dir, 'kh_bastion2_wrong');
    await fsp.writeFile(kh, `[${bastion2.address}]:${bastion2.port} ${keyLine(otherKey)}\n`);
    const marker = path.join(dir, 'marker-bastion2-mismatch');
    const { fnCalled, error } = await tryTouch(
      viaBastion({}, [hop(bastion), hop(bastion2, { knownHostsPath: kh })]),
      marker,
    );
    assert.ok(error instanceof HostKeyMismatchError, String(error));
    assert.equal(error.via?.hop, 2);
    assert.match(error.message, new RegExp(`: via bastion 2 of 2 root@127\\.0\\.0\\.3:${bastion2.port}: HOST KEY`));
    assert.equal(fnCalled, false);
    assert.equal(await exists(marker), false);
  });

  it('a target host key mismatch behind a good bastion is refused, names the target, and runs nothing', async () => {
    const kh = path.join(dir, 'kh_target_wrong');
    await fsp.writeFile(kh, `[${TARGET_ADDRESS}]:${target.port} ${keyLine(otherKey)}\n`);
    const marker = path.join(dir, 'marker-target-mismatch');
    const targetLogins = count(target.logs(), LOGIN_RE);
    const { fnCalled, error } = await tryTouch(viaBastion({ knownHostsPath: kh, trustOnFirstUse: true }), marker);
    assert.ok(error instanceof HostKeyMismatchError, String(error));
    assert.equal(error.retryable, false);
    assert.equal(error.via, undefined, 'the target failed, not the bastion');
    assert.equal(error.presentedFingerprint, target.hostFingerprint);
    assert.ok(error.message.startsWith(`root@${TARGET_ADDRESS}:${target.port}: HOST KEY MISMATCH`), error.message);
    assert.ok(error.message.includes(`ssh-keygen -R '[${TARGET_ADDRESS}]:${target.port}'`), error.message);
    assert.equal(fnCalled, false);
    assert.equal(await exists(marker), false, 'no command may run after a target host key mismatch');
    assert.equal(count(target.logs(), LOGIN_RE), targetLogins, 'no authentication to a refused target');
  });

  it("the target's key is looked up under the target's name and port, not the bastion's", async () => {
    // One known_hosts file for both, listing the target's key only under the bastion's name.
    const kh = path.join(dir, 'kh_target_under_bastion_name');
    await fsp.writeFile(
      kh,
      `[127.0.0.1]:${bastion.port} ${bastion.hostPublicKey}\n[127.0.0.1]:${bastion.port} ${target.hostPublicKey}\n`,
    );
    const marker = path.join(dir, 'marker-wrong-name');
    const { error } = await tryTouch(
      viaBastion({ knownHostsPath: kh }, [hop(bastion, { knownHostsPath: kh })]),
      marker,
    );
    assert.ok(error instanceof UnknownHostKeyError, String(error));
    assert.equal(error.via, undefined);
    assert.match(error.message, new RegExp(`no entry for \\[127\\.0\\.0\\.2\\]:${target.port}`));
    assert.match(error.message, /on the bastion in front of it run ssh-keyscan/);
    assert.equal(await exists(marker), false);
  });

  it('a bastion with AllowTcpForwarding no fails with a non-retryable ForwardingRefusedError', async () => {
    const targetConnections = count(target.logs(), /Connection from/);
    const { fnCalled, error } = await tryTouch(viaBastion({}, [hop(noForwarding)]), path.join(dir, 'marker-nofwd'));
    assert.ok(error instanceof ForwardingRefusedError, String(error));
    assert.equal(error.retryable, false);
    assert.equal(error.via?.port, noForwarding.port);
    assert.ok(
      error.message.startsWith(
        `root@${TARGET_ADDRESS}:${target.port}: via bastion root@127.0.0.1:${noForwarding.port}: the bastion refused to forward a connection to ${TARGET_ADDRESS}:${target.port}`,
      ),
      error.message,
    );
    assert.match(error.message, /AllowTcpForwarding/);
    assert.equal(fnCalled, false);
    assert.equal(count(target.logs(), /Connection from/), targetConnections);
    await waitFor('the bastion to log the refusal', () => /refused local port forward/.test(noForwarding.logs()));
  });

  it('a bastion that cannot reach the next hop gives a retryable ConnectFailedError naming the bastion', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const srv = net.createServer().listen(0, TARGET_ADDRESS, () => {
        const a = srv.address();
        srv.close(() => resolve(typeof a === 'object' && a ? a.port : 1));
      });
    });
    await assert.rejects(SshSession.connect(viaBastion({ port: closedPort })), (e: unknown) => {
      assert.ok(e instanceof ConnectFailedError, String(e));
      assert.equal(e.retryable, true);
      assert.equal(e.code, 'ECONNREFUSED');
      assert.equal(e.via?.port, bastion.port);
      assert.match(e.message, new RegExp(`could not open a connection to 127\\.0\\.0\\.2:${closedPort}`));
      return true;
    });
  });

  it('pinned fingerprints for both hops (no known_hosts consulted); a wrong pin on either is refused', async () => {
    const nowhere = path.join(dir, 'no-such-dir', 'known_hosts');
    const pinnedHop = hop(bastion, { hostKeySha256: bastion.hostFingerprint, knownHostsPath: nowhere });
    const pinned = viaBastion({ hostKeySha256: target.hostFingerprint, knownHostsPath: nowhere }, [pinnedHop]);
    assert.equal(await withSsh(pinned, (s) => s.run('echo pinned')), 'pinned\n');
    assert.equal(await exists(path.dirname(nowhere)), false);

    const wrong = fingerprintSha256(otherKey.keyBlob);
    const marker = path.join(dir, 'marker-pins');
    const badBastion = await tryTouch({ ...pinned, jumpHosts: [{ ...pinnedHop, hostKeySha256: wrong }] }, marker);
    assert.ok(badBastion.error instanceof HostKeyMismatchError, String(badBastion.error));
    assert.equal(badBastion.error.via?.port, bastion.port);
    assert.match(badBastion.error.message, /the pinned fingerprint/);
    const badTarget = await tryTouch({ ...pinned, hostKeySha256: wrong }, marker);
    assert.ok(badTarget.error instanceof HostKeyMismatchError, String(badTarget.error));
    assert.equal(badTarget.error.via, undefined);
    assert.equal(badTarget.error.presentedFingerprint, target.hostFingerprint);
    assert.equal(badBastion.fnCalled || badTarget.fnCalled, false);
    assert.equal(await exists(marker), false);
  });

  it('an unknown bastion key is refused without trust-on-first-use; with it, recorded under the bastion', async () => {
    const kh = path.join(dir, 'tofu', 'known_hosts');
    const marker = path.join(dir, 'marker-unknown-bastion');
    const targetConnections = count(target.logs(), /Connection from/);
    const refused = await tryTouch(viaBastion({}, [hop(bastion, { knownHostsPath: kh })]), marker);
    assert.ok(refused.error instanceof UnknownHostKeyError, String(refused.error));
    assert.equal(refused.error.retryable, false);
    assert.equal(refused.error.presentedFingerprint, bastion.hostFingerprint);
    assert.ok(
      refused.error.message.startsWith(
        `root@${TARGET_ADDRESS}:${target.port}: via bastion root@127.0.0.1:${bastion.port}: host key`,
      ),
      refused.error.message,
    );
    assert.match(refused.error.message, new RegExp(`no entry for \\[127\\.0\\.0\\.1\\]:${bastion.port}`));
    assert.equal(refused.fnCalled, false);
    assert.equal(await exists(marker), false);
    assert.equal(await exists(kh), false, 'a refused bastion must not create known_hosts');
    assert.equal(count(target.logs(), /Connection from/), targetConnections);

    const tofu = viaBastion({}, [hop(bastion, { knownHostsPath: kh, trustOnFirstUse: true })]);
    assert.equal(await withSsh(tofu, (s) => s.run('echo tofu')), 'tofu\n');
    assert.equal(await fsp.readFile(kh, 'utf8'), `[127.0.0.1]:${bastion.port} ${bastion.hostPublicKey}\n`);
  });

  it('one connect deadline covers the whole chain', async () => {
    // The "target" accepts TCP (through the bastion) and never speaks SSH.
    const sockets: net.Socket[] = [];
    const silent = net.createServer((s) => sockets.push(s));
    await new Promise<void>((r) => silent.listen(0, TARGET_ADDRESS, () => r()));
    const a = silent.address();
    const port = typeof a === 'object' && a ? a.port : 1;
    const started = Date.now();
    try {
      await assert.rejects(SshSession.connect(viaBastion({ port, connectTimeoutMs: 1500 })), (e: unknown) => {
        assert.ok(e instanceof ConnectFailedError, String(e));
        assert.equal(e.code, 'ETIMEDOUT');
        assert.equal(e.via, undefined);
        assert.match(e.message, /timed out after 1500 ms .*one deadline for all 2 logins of the jump chain/);
        return true;
      });
      const took = Date.now() - started;
      assert.ok(took >= 1400 && took < 3000, `took ${took} ms`);
      assert.equal(sockets.length, 1, 'the bastion forwarded the connection');
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((r) => silent.close(r));
    }
  });

  it("realDeps.connect maps SshTargetInput.jumpHosts (address, the target's known_hosts when the hop has none)", async () => {
    const kh = path.join(dir, 'kh_shared');
    await fsp.writeFile(
      kh,
      `[127.0.0.1]:${bastion.port} ${bastion.hostPublicKey}\n[${TARGET_ADDRESS}]:${target.port} ${target.hostPublicKey}\n`,
    );
    const session = await realDeps.connect({
      host: 'web-01',
      address: TARGET_ADDRESS,
      port: target.port,
      user: 'root',
      trustOnFirstUse: false,
      privateKeyPath: target.clientKeyPath,
      knownHostsPath: kh,
      jumpHosts: [
        {
          host: 'bastion.example',
          address: '127.0.0.1',
          port: bastion.port,
          user: 'root',
          trustOnFirstUse: false,
          privateKeyPath: bastion.clientKeyPath,
        },
      ],
    });
    try {
      assert.equal(await session.run('echo mapped'), 'mapped\n');
    } finally {
      session.close();
    }
  });
});
