/**
 * The apt installer: its schema and summary. An install over real SSH on a simulated Debian
 * host: apt.sim.test.ts.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { describeInstallSource as describeSource } from '../../shared/options/install-source';
import { aptInstaller, create } from './apt';

const { schema } = aptInstaller;

const NEW = '6.1.0-56-cloud-amd64';

describe('apt installer: the source', () => {
  test('a kernel package, optionally pinned to a version; anything else refused naming the field', () => {
    assert.ok(schema.safeParse({ kind: 'apt', packageName: `linux-image-${NEW}=6.1.192-2` }).success);
    const bad = schema.safeParse({ kind: 'apt', packageName: 'openssh-server' });
    assert.equal(bad.success, false);
    assert.deepEqual(bad.error?.issues[0]?.path, ['packageName']);
    assert.equal(schema.safeParse({ kind: 'apt', packageName: 'linux-image-x; reboot' }).success, false);
  });

  test('summary and package name (without the version)', () => {
    const source = { kind: 'apt' as const, packageName: `linux-image-${NEW}=6.1.192-2` };
    assert.equal(describeSource(source), `apt linux-image-${NEW}=6.1.192-2`);
    assert.equal(create().packageName(source, NEW), `linux-image-${NEW}`);
    assert.equal(create().isInstalledFrom(source, null), true);
  });
});
