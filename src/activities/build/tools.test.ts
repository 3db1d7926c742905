/**
 * The build host's tools: what a config asks for, and the messages that name what is missing.
 * The probe over SSH on a real sshd is in tools.ssh.test.ts.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { BASE_REQUIREMENTS, CONFIG_REQUIREMENTS, configRequirements, missingMessage } from './tools';

/** The options of Debian 12's config-6.1.0-*-amd64 that need tools (abridged). */
const DEBIAN_CONFIG = [
  'CONFIG_64BIT=y',
  'CONFIG_X86_64=y',
  'CONFIG_DEBUG_INFO=y',
  'CONFIG_DEBUG_INFO_BTF=y',
  'CONFIG_DEBUG_INFO_BTF_MODULES=y',
  'CONFIG_KERNEL_XZ=y',
  '# CONFIG_KERNEL_ZSTD is not set',
  'CONFIG_MODULE_COMPRESS_NONE=y',
  'CONFIG_MODULE_SIG=y',
  'CONFIG_MODULE_SIG_KEY="certs/signing_key.pem"',
].join('\n');

describe('configRequirements', () => {
  test("Debian's config needs pahole (dwarves) and python3 for BTF, openssl for its signing key, xz for its kernel", () => {
    const reqs = configRequirements(DEBIAN_CONFIG);
    assert.deepEqual(
      reqs.map((r) => [r.name, r.package, r.why]),
      [
        ['pahole', 'dwarves', 'CONFIG_DEBUG_INFO_BTF=y'],
        ['python3', 'python3', 'CONFIG_DEBUG_INFO_BTF=y'],
        ['openssl', 'openssl', 'CONFIG_MODULE_SIG_KEY="certs/signing_key.pem"'],
        ['xz', 'xz-utils', 'CONFIG_KERNEL_XZ=y'],
      ],
    );
  });
  test('a signing key of its own asks for no openssl (make generates none)', () => {
    assert.deepEqual(configRequirements('CONFIG_MODULE_SIG=y\nCONFIG_MODULE_SIG_KEY="/etc/keys/mine.pem"\n'), []);
  });
  test('options that are off ask for nothing', () => {
    assert.deepEqual(configRequirements('# CONFIG_DEBUG_INFO_BTF is not set\nCONFIG_KERNEL_ZSTD=n\n'), []);
  });
});

describe('scripts/setup-build-host.sh', () => {
  test('installs the package of every requirement the check knows', () => {
    const script = readFileSync(path.resolve(__dirname, '../../../../scripts/setup-build-host.sh'), 'utf8');
    const list = /^pkgs=\(([^)]*)\)/m.exec(script)?.[1]?.split(/\s+/).filter(Boolean) ?? [];
    const wanted = [...BASE_REQUIREMENTS, ...CONFIG_REQUIREMENTS.map((c) => c.need)].map((r) => r.package);
    const essential = new Set(['make', 'gcc', 'binutils', 'perl', 'util-linux', 'dpkg']); // build-essential, Essential
    assert.deepEqual([...new Set(wanted.filter((p) => !essential.has(p) && !list.includes(p)))], []);
  });
});

describe('missingMessage', () => {
  test('names each missing tool, why it is needed, and the apt-get line', () => {
    const msg = missingMessage(configRequirements(DEBIAN_CONFIG), 'pahole\n');
    assert.equal(
      msg,
      'the build host lacks pahole (CONFIG_DEBUG_INFO_BTF=y); install it there: apt-get install dwarves ' +
        '(scripts/setup-build-host.sh installs everything a build needs)',
    );
    assert.equal(missingMessage(BASE_REQUIREMENTS, '\n'), undefined);
  });
});
