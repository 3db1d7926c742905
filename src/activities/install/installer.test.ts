/** The registry drives the install-source union: every driver's kind is accepted, others refused by name. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidInputError, installSourceSchema, parseOrThrow, upgradeHostInputSchema } from '../../shared/schemas';
import { describeInstallSource, installSourceKinds } from './installer';

describe('installer registry', () => {
  test('the union has one option per registered installer', () => {
    assert.ok(installSourceKinds.includes('apt') && installSourceKinds.includes('deb'));
    assert.deepEqual(
      installSourceSchema.options.map((o) => o.shape.kind.value),
      installSourceKinds,
    );
  });

  test('an unknown kind is refused naming the field and the kinds there are', () => {
    const input = {
      target: { host: 'web-01' },
      toRelease: '6.1.0-56-cloud-amd64',
      source: { kind: 'rpm', path: '/x.rpm' },
    };
    assert.throws(
      () => parseOrThrow(upgradeHostInputSchema, input),
      (err: Error) =>
        err instanceof InvalidInputError && /^source\.kind: must be one of apt, deb(, [a-z-]+)*$/m.test(err.message),
    );
  });

  test('summaries come from the source’s driver', () => {
    assert.equal(
      describeInstallSource({ kind: 'apt', packageName: 'linux-image-6.1.0-56-cloud-amd64' }),
      'apt linux-image-6.1.0-56-cloud-amd64',
    );
    assert.equal(
      describeInstallSource({ kind: 'deb', localPath: '/srv/a/k.deb', sha256: 'a'.repeat(64) }),
      'deb k.deb',
    );
  });
});
