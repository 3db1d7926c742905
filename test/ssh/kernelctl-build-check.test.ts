/**
 * `kernelctl build` checks the build host, the source and the config's host before it starts
 * anything: each bad flag exits 2 naming it, and Temporal (a TCP listener standing in, counting
 * connections) is never contacted. The build host is a real sshd on loopback.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startSshd, type SshdHandle } from '../../testbed/sshd';
import { freePort } from '../../src/node/free-port';

const kernelctl = path.join(__dirname, '..', '..', '..', 'bin', 'kernelctl.js');

describe('kernelctl build: bad flags refused before anything starts', () => {
  let server: Server;
  let address = '';
  let connections = 0;
  let sshd: SshdHandle;
  let dir: string;
  let emptyKnownHosts: string;
  before(async () => {
    server = createServer((s) => {
      connections += 1;
      s.destroy();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    address = `127.0.0.1:${(server.address() as { port: number }).port}`;
    sshd = await startSshd({ users: ['root'] });
    dir = mkdtempSync(path.join(tmpdir(), 'kr-build-check-'));
    emptyKnownHosts = path.join(dir, 'known_hosts');
    writeFileSync(emptyKnownHosts, '');
  });
  after(async () => {
    server.close();
    await sshd?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const buildHost = () => `root@${sshd.address}:${sshd.port}`;
  const ssh = () => ['-i', sshd.clientKeyPath, '--known-hosts', sshd.knownHostsPath];

  async function refused(args: string[]): Promise<string> {
    const child = spawn(process.execPath, [kernelctl, 'build', ...args, '--address', address]);
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    assert.equal(code, 2, `exit 2 (bad input):\n${stderr}`);
    assert.match(stderr, /^kernelctl build( prune)?: invalid input, nothing was started:\n/);
    assert.equal(connections, 0, 'Temporal was never contacted');
    return stderr;
  }

  test('a build host that refuses connections: --build-host', async () => {
    const port = await freePort();
    const stderr = await refused([
      '--build-host',
      `root@127.0.0.1:${port}`,
      '--source',
      'debian:6.1',
      '--config',
      'make:tinyconfig',
      ...ssh(),
    ]);
    assert.match(stderr, /--build-host: cannot use 127\.0\.0\.1 over SSH: /);
  });

  test('an unknown host key: --build-host, and the pin flag build takes', async () => {
    const stderr = await refused([
      '--build-host',
      buildHost(),
      '--source',
      'debian:6.1',
      '--config',
      'make:tinyconfig',
      '-i',
      sshd.clientKeyPath,
      '--known-hosts',
      emptyKnownHosts,
    ]);
    assert.match(stderr, /--build-host: cannot use .* is not known/);
    assert.ok(stderr.includes(`--build-host-key-sha256 ${sshd.hostFingerprint}`), stderr);
    assert.doesNotMatch(stderr, / --host-key-sha256/);
  });

  test('a Debian source that does not exist: --source', async () => {
    const stderr = await refused([
      '--build-host',
      buildHost(),
      '--source',
      'debian:6.99',
      '--config',
      'make:tinyconfig',
      ...ssh(),
    ]);
    assert.match(stderr, /--source: linux-source-6\.99 is not installed on the build host/);
  });

  test('a missing tarball: --source', async () => {
    const stderr = await refused([
      '--build-host',
      buildHost(),
      '--source',
      `tarball:${dir}/linux-6.1.99.tar.xz`,
      '--config',
      'make:tinyconfig',
      ...ssh(),
    ]);
    assert.ok(stderr.includes(`--source: ${dir}/linux-6.1.99.tar.xz does not exist on the build host`), stderr);
  });

  test("the config's host with an unknown key: --config, its own pin flag; --config-identity is its own key", async () => {
    writeFileSync(path.join(dir, 'linux.tar.xz'), '');
    const stderr = await refused([
      '--build-host',
      buildHost(),
      '--source',
      `tarball:${dir}/linux.tar.xz`,
      '--config',
      `localmodconfig:root@${sshd.address}:${sshd.port}`,
      ...ssh(),
      '--config-identity',
      sshd.clientKeyPath,
      '--config-host-key-sha256',
      'SHA256:' + 'A'.repeat(43),
    ]);
    assert.match(stderr, /--config: cannot use 127\.0\.0\.1 over SSH: .*HOST KEY MISMATCH/s);
    assert.match(stderr, /--config-host-key-sha256/);
  });

  test('build prune over SSH: no Temporal needed; bad flags refused naming them', async () => {
    const root = path.join(dir, 'builds');
    const key = path.join(root, 'c000000000000001');
    mkdirSync(path.join(key, 'obj'), { recursive: true });
    writeFileSync(path.join(key, 'obj', 'vmlinux.o'), Buffer.alloc(2 * 1048576));
    writeFileSync(path.join(key, 'linux-image-6.1.192-kr1_1_amd64.deb'), 'deb');
    const child = spawn(process.execPath, [
      kernelctl,
      'build',
      'prune',
      '--build-host',
      buildHost(),
      '--build-root',
      root,
      '--keep-packages',
      ...ssh(),
      '--address',
      address,
    ]);
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    assert.equal(await new Promise<number | null>((r) => child.on('exit', r)), 0);
    assert.match(stdout, /^c000000000000001: objects and debug package removed, package kept \(2 MiB\)$/m);
    assert.equal(existsSync(path.join(key, 'obj')), false);
    assert.equal(existsSync(path.join(key, 'linux-image-6.1.192-kr1_1_amd64.deb')), true);
    assert.equal(connections, 0);
    const stderr = await refused(['prune', '--build-host', buildHost(), '--build-root', '/etc/kernel', ...ssh()]);
    assert.match(stderr, /^ {2}--build-root: must not be in a system directory/m);
  });
});
