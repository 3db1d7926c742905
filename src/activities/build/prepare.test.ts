/** The pure parts of prepareBuild: which fragment lines took, and the build key. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildKey, fragmentsNotTaken } from './prepare';

const effective = [
  'CONFIG_64BIT=y',
  'CONFIG_VIRTIO_BLK=y',
  'CONFIG_EXT4_FS=m',
  'CONFIG_NR_CPUS=8',
  'CONFIG_CMDLINE="console=ttyS0"',
  '# CONFIG_DEBUG_INFO is not set',
].join('\n');

describe('fragmentsNotTaken', () => {
  test('lines the effective config has are taken, whatever their kind', () => {
    assert.deepEqual(
      fragmentsNotTaken(
        ['CONFIG_VIRTIO_BLK=y', 'CONFIG_EXT4_FS=m', 'CONFIG_NR_CPUS=8', 'CONFIG_CMDLINE="console=ttyS0"'],
        effective,
      ),
      [],
    );
  });
  test('"is not set" and =n both mean off, and hold when the option is absent or unset', () => {
    assert.deepEqual(fragmentsNotTaken(['# CONFIG_DEBUG_INFO is not set', 'CONFIG_KVM=n'], effective), []);
    assert.deepEqual(fragmentsNotTaken(['CONFIG_64BIT=n'], effective), ['CONFIG_64BIT=n']);
  });
  test('a value olddefconfig changed or dropped is named', () => {
    assert.deepEqual(fragmentsNotTaken(['CONFIG_EXT4_FS=y', 'CONFIG_NO_SUCH=y', 'CONFIG_NR_CPUS=4'], effective), [
      'CONFIG_EXT4_FS=y',
      'CONFIG_NO_SUCH=y',
      'CONFIG_NR_CPUS=4',
    ]);
  });
});

describe('buildKey', () => {
  const base = { source: 'linux-source-6.1=6.1.192-2', configSha256: 'a'.repeat(64), toolchain: 'gcc 12.2.0' };
  test('16 hex digits, the same for the same parts', () => {
    assert.match(buildKey(base), /^[0-9a-f]{16}$/);
    assert.equal(buildKey({ ...base }), buildKey(base));
  });
  test('changes with the source, the config, the toolchain and a chosen LOCALVERSION', () => {
    const keys = new Set([
      buildKey(base),
      buildKey({ ...base, source: 'linux-source-6.1=6.1.193-1' }),
      buildKey({ ...base, configSha256: 'b'.repeat(64) }),
      buildKey({ ...base, toolchain: 'gcc 12.3.0' }),
      buildKey({ ...base, localVersion: '-web' }),
    ]);
    assert.equal(keys.size, 5);
  });
});
