/**
 * The build host's tools: what a config asks for (pure), and the probe run over SSH on a real
 * sshd, refusing with the command and the package that provides it.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { sshdTarget, startSshd, type SshdHandle } from '../../../testbed/sshd';
import { hostAccess, realDeps } from '../session';
import {
  BASE_REQUIREMENTS,
  CONFIG_REQUIREMENTS,
  checkRequirements,
  configRequirements,
  missingMessage,
  type Requirement,
} from './tools';

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
].join('\n');

describe('configRequirements', () => {
  test("Debian's config needs pahole (dwarves) for BTF, and xz for its compressed kernel", () => {
    const reqs = configRequirements(DEBIAN_CONFIG);
    assert.deepEqual(
      reqs.map((r) => [r.name, r.package, r.why]),
      [
        ['pahole', 'dwarves', 'CONFIG_DEBUG_INFO_BTF=y'],
        ['xz', 'xz-utils', 'CONFIG_KERNEL_XZ=y'],
      ],
    );
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

describe('checkRequirements on a real host over SSH', () => {
  let sshd: SshdHandle;
  const withHost = hostAccess(realDeps);
  before(async () => {
    sshd = await startSshd({ users: ['root'] });
  });
  after(async () => {
    await sshd?.stop();
  });

  test('a missing command, file and package are refused together; present ones pass', async () => {
    const reqs: Requirement[] = [
      { kind: 'command', name: 'sh', package: 'dash' },
      { kind: 'command', name: 'kr-no-such-pahole', package: 'kr-dwarves', why: 'CONFIG_DEBUG_INFO_BTF=y' },
      { kind: 'file', name: '/nonexistent/libelf.h', package: 'kr-libelf-dev' },
      { kind: 'package', name: 'dpkg', package: 'dpkg' },
      { kind: 'package', name: 'kr-not-installed', package: 'kr-not-installed' },
    ];
    await assert.rejects(
      withHost(sshdTarget(sshd, 'build-host'), (b) => checkRequirements(b, reqs)),
      (err: Error & { type?: string }) =>
        (err.type ?? err.name) === 'BuildHostNotReadyError' &&
        err.message.startsWith(
          'the build host lacks kr-no-such-pahole (CONFIG_DEBUG_INFO_BTF=y), /nonexistent/libelf.h, kr-not-installed; ' +
            'install them there: apt-get install kr-dwarves kr-libelf-dev kr-not-installed',
        ),
    );
    await withHost(sshdTarget(sshd, 'build-host'), (b) =>
      checkRequirements(
        b,
        reqs.filter((r) => !r.name.includes('kr-') && !r.name.startsWith('/nonexistent')),
      ),
    );
  });
});
