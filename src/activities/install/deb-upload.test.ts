/**
 * The .deb installer: its source. Against a real shell (OpenSSH's sshd on loopback, a simulated
 * Debian host): deb-upload.ssh.test.ts.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { describeInstallSource as describeSource } from '../../shared/options/install-source';
import { debUploadInstaller, create } from './deb-upload';

const { schema } = debUploadInstaller;

describe('.deb installer: the source', () => {
  test('an absolute .deb path and its sha256; each bad field named', () => {
    const ok = { kind: 'deb', localPath: '/srv/k/linux-image.deb', sha256: 'a'.repeat(64) };
    assert.ok(schema.safeParse(ok).success);
    assert.deepEqual(schema.safeParse({ ...ok, localPath: '/srv/k/x.rpm' }).error?.issues[0]?.path, ['localPath']);
    assert.deepEqual(schema.safeParse({ ...ok, sha256: 'A1' }).error?.issues[0]?.path, ['sha256']);
    assert.equal(
      describeSource({ kind: 'deb', localPath: '/srv/k/linux-image.deb', sha256: 'a'.repeat(64) }),
      'deb linux-image.deb',
    );
  });

  test('installed from this source only when the recorded sha256 is its own', () => {
    const source = { kind: 'deb' as const, localPath: '/srv/k.deb', sha256: 'b'.repeat(64) };
    assert.equal(create().isInstalledFrom(source, 'b'.repeat(64)), true);
    assert.equal(create().isInstalledFrom(source, 'c'.repeat(64)), false);
    assert.equal(create().isInstalledFrom(source, null), false);
    assert.equal(create().recordOf(source), 'b'.repeat(64));
  });
});
