/**
 * The artifact installer: its source. Against real shells (OpenSSH's sshd on loopback as the
 * artifact host and the target, a simulated Debian host): artifact.ssh.test.ts.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { describeInstallSource as describeSource } from '../../shared/options/install-source';
import { artifactInstaller } from './artifact';

const { schema } = artifactInstaller;

describe('artifact installer: the source', () => {
  test('an SSH host, an absolute .deb path and its sha256; each bad field named', () => {
    const ok = {
      kind: 'artifact',
      host: { host: 'build1' },
      path: '/var/cache/k/linux-image.deb',
      sha256: 'a'.repeat(64),
    };
    assert.ok(schema.safeParse(ok).success);
    assert.deepEqual(schema.safeParse({ ...ok, path: '/srv/../etc/x.deb' }).error?.issues[0]?.path, ['path']);
    assert.deepEqual(schema.safeParse({ ...ok, path: '/srv/x.rpm' }).error?.issues[0]?.path, ['path']);
    assert.deepEqual(schema.safeParse({ ...ok, host: { host: 'b;reboot' } }).error?.issues[0]?.path, ['host', 'host']);
    assert.deepEqual(schema.safeParse({ ...ok, sha256: 'A1' }).error?.issues[0]?.path, ['sha256']);
    assert.equal(describeSource(schema.parse(ok)), 'artifact build1:linux-image.deb');
  });
});
