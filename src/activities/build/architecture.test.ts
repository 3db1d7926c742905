/** Which architecture a config builds for, and the refusal of one that does not suit the hosts. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { architectureProblem, configArchitecture } from './architecture';

/** What `make tinyconfig` on x86 leaves (64BIT answered "no"), abridged. */
const TINY_X86 = '# CONFIG_64BIT is not set\nCONFIG_X86_32=y\nCONFIG_X86=y\n';
const DEBIAN_AMD64 = 'CONFIG_64BIT=y\nCONFIG_X86_64=y\nCONFIG_X86=y\n';

describe('configArchitecture', () => {
  test('x86: 32-bit is i386, 64-bit amd64; others by their arch option', () => {
    assert.equal(configArchitecture(TINY_X86), 'i386');
    assert.equal(configArchitecture(DEBIAN_AMD64), 'amd64');
    assert.equal(configArchitecture('CONFIG_64BIT=y\nCONFIG_ARM64=y\n'), 'arm64');
    assert.equal(configArchitecture('CONFIG_FOO=y\n'), undefined);
  });
});

describe('architectureProblem', () => {
  test('an i386 kernel for amd64 hosts is refused, saying how to get a 64-bit one', () => {
    assert.equal(
      architectureProblem(TINY_X86, 'amd64'),
      'the effective config builds a kernel for i386, and the build host and the hosts it builds for are amd64 ' +
        '(CONFIG_64BIT is not set: add --fragment CONFIG_64BIT=y, or start from a 64-bit config)',
    );
    assert.equal(architectureProblem(DEBIAN_AMD64, 'amd64'), undefined);
  });
});
