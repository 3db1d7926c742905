/**
 * `--deb FILE` is checked by kernelctl before anything starts: packages built here with the real
 * `dpkg-deb --build` (xz, gzip, zstd and uncompressed members), a package without the kernel
 * `--to` names, and files that are no package at all.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, describe, test } from 'node:test';
import { upgradeInputFromFlags } from '../../src/cli/kernelctl';
import { debKernelProblem, inspectDeb } from '../../src/node/deb-archive';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'deb-archive-test-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const RELEASE = '6.1.0-99-cloud-amd64';

function buildDeb(name: string, pkg: string, files: Record<string, string>, compression = 'xz'): string {
  const root = path.join(tmp, `${name}-root`);
  mkdirSync(path.join(root, 'DEBIAN'), { recursive: true });
  writeFileSync(
    path.join(root, 'DEBIAN', 'control'),
    `Package: ${pkg}\nVersion: 6.1.99-1\nArchitecture: amd64\nMaintainer: test <test@example.org>\nDescription: test package\n`,
  );
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.join(root, path.dirname(file)), { recursive: true });
    writeFileSync(path.join(root, file), content);
  }
  const out = path.join(tmp, `${name}.deb`);
  execFileSync('dpkg-deb', ['--root-owner-group', `-Z${compression}`, '--build', root, out], { stdio: 'pipe' });
  return out;
}

const kernelFiles = {
  [`boot/vmlinuz-${RELEASE}`]: 'not really a kernel',
  [`boot/config-${RELEASE}`]: 'CONFIG_X=y\n',
  [`lib/modules/${RELEASE}/${'deep/'.repeat(30)}long-path-module.ko`]: 'module',
};

describe('--deb: the package is read on the kernelctl side', () => {
  for (const compression of ['xz', 'gzip', 'zstd', 'none']) {
    test(`a kernel package built by dpkg-deb -Z${compression} is accepted`, async () => {
      const deb = buildDeb(`kernel-${compression}`, `linux-image-${RELEASE}`, kernelFiles, compression);
      const info = await inspectDeb(deb);
      assert.equal(info.package, `linux-image-${RELEASE}`);
      assert.equal(info.version, '6.1.99-1');
      assert.ok(info.files.includes(`/boot/vmlinuz-${RELEASE}`), info.files.join(' '));
      assert.ok(info.files.some((f) => f.endsWith('/long-path-module.ko') && f.length > 100));
      assert.equal(await debKernelProblem(deb, RELEASE), undefined);
    });
  }

  test('a package without the kernel --to names is refused, saying what it holds', async () => {
    const deb = buildDeb('hello', 'hello', { 'usr/bin/hello': '#!/bin/sh\n' });
    assert.match(
      (await debKernelProblem(deb, RELEASE))!,
      /hello\.deb holds hello 6\.1\.99-1 \(amd64\), which does not install \/boot\/vmlinuz-6\.1\.0-99-cloud-amd64 that --to 6\.1\.0-99-cloud-amd64 names \(it installs no kernel image\)/,
    );
    const other = buildDeb('other-kernel', 'linux-image-6.1.0-98-cloud-amd64', {
      'boot/vmlinuz-6.1.0-98-cloud-amd64': 'x',
    });
    assert.match((await debKernelProblem(other, RELEASE))!, /it installs \/boot\/vmlinuz-6\.1\.0-98-cloud-amd64\)/);
  });

  const notDebs: [string, Buffer, RegExp][] = [
    ['empty', Buffer.alloc(0), /it holds an empty file/],
    ['text', Buffer.from('#!/bin/sh\necho hi\n'), /it holds text/],
    ['gzip', gzipSync(Buffer.from('hello')), /it holds gzip-compressed data/],
    ['elf', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), /it holds an ELF executable/],
    [
      'ar-not-deb',
      Buffer.from('!<arch>\nfoo.o/          0           0     0     644     2         `\nab'),
      /not a Debian binary package/,
    ],
    [
      'truncated',
      Buffer.from('!<arch>\ndebian-binary   0           0     0     644     4000      `\n2.0\n'),
      /truncated/,
    ],
  ];
  for (const [name, content, expected] of notDebs) {
    test(`a file that is not a Debian package (${name}) is refused before anything starts`, async () => {
      const file = path.join(tmp, `${name}.deb`);
      writeFileSync(file, content);
      const problem = await debKernelProblem(file, RELEASE);
      assert.match(problem!, /is not a Debian binary package: it holds /);
      assert.match(problem!, expected);
      await assert.rejects(
        upgradeInputFromFlags('web-01', { to: RELEASE, deb: file }),
        (e: Error) => e.message.startsWith('--deb: ') && expected.test(e.message),
      );
    });
  }

  test('kernelctl accepts the right package and records its sha256', async () => {
    const deb = buildDeb('kernel-cli', `linux-image-${RELEASE}`, kernelFiles);
    const input = (await upgradeInputFromFlags('web-01', { to: RELEASE, deb })) as {
      source: { kind: string; sha256: string };
    };
    assert.equal(input.source.kind, 'deb');
    assert.match(input.source.sha256, /^[0-9a-f]{64}$/);
  });
});
