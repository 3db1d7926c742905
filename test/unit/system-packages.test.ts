/**
 * scripts/system-packages.sh, the one list of what each suite needs from the machine, against a
 * made-up file tree (KR_PROBE_ROOT stands for /; with it set the script never installs anything).
 * The case that matters: openssh-server present without its SFTP server (what an install with
 * --no-install-recommends leaves) must be named, with the command that installs it.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { projectRoot } from '../../src/dev/temporal-server';

const SCRIPT = path.join(projectRoot(), 'scripts', 'system-packages.sh');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'system-packages-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const EXECUTABLES = [
  '/usr/sbin/sshd',
  '/usr/lib/openssh/sftp-server',
  '/usr/lib/postgresql/15/bin/postgres',
  ...['ssh-keygen', 'ssh-agent', 'ssh', 'sudo', 'openssl', 'qemu-system-x86_64', 'make', 'dpkg-deb', 'bwrap']
    .concat(['chromium', 'prometheus', 'promtool', 'qemu-img', 'debootstrap', 'zstd', 'python3', 'docker-compose'])
    .map((c) => `/usr/bin/${c}`),
  ...['visudo', 'sfdisk', 'mkfs.ext4', 'mkfs.vfat'].map((c) => `/usr/sbin/${c}`),
];
/** Debian's ovmf: the UEFI testbed VMs' firmware (data files, not executables). */
const OVMF_FILES = ['/usr/share/OVMF/OVMF_CODE_4M.fd', '/usr/share/OVMF/OVMF_VARS_4M.fd'];
/** What scripts/setup-build-host.sh installs, as the e2e suite probes it. */
const BUILD_HOST_FILES = [
  '/usr/src/linux-source-6.1.tar.xz',
  '/usr/bin/flex',
  '/usr/bin/bison',
  '/usr/include/libelf.h',
  '/usr/bin/pahole',
];

/** A tree with everything every suite needs, minus `without`. */
function tree(without: string[] = []): string {
  const root = mkdtempSync(path.join(tmp, 'root-'));
  const put = (file: string, text: string, mode: number) => {
    if (without.includes(file)) return;
    mkdirSync(path.join(root, path.dirname(file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
    chmodSync(path.join(root, file), mode);
  };
  for (const f of EXECUTABLES) put(f, '#!/bin/sh\n', 0o755);
  put('/usr/lib/python3.11/ensurepip/__init__.py', '', 0o644);
  for (const f of BUILD_HOST_FILES) put(f, '', 0o644);
  for (const f of OVMF_FILES) put(f, '', 0o644);
  put('/etc/passwd', 'root:x:0:0::/root:/bin/bash\nkrtest:x:1000:1000::/home/krtest:/bin/bash\n', 0o644);
  put('/etc/sudoers.d/krtest', 'krtest ALL=(ALL) NOPASSWD:ALL\n', 0o440);
  return root;
}

function run(root: string, ...args: string[]) {
  const r = spawnSync('bash', [SCRIPT, ...args], { env: { ...process.env, KR_PROBE_ROOT: root }, encoding: 'utf8' });
  return { status: r.status, out: r.stdout + r.stderr };
}

describe('scripts/system-packages.sh', () => {
  test('a machine with everything: nothing missing for any suite', () => {
    const r = run(tree(), 'all');
    assert.equal(r.status, 0, r.out);
    assert.match(r.out, /nothing missing/);
  });

  test('sshd without its SFTP server: check names openssh-sftp-server and the command', () => {
    const r = run(tree(['/usr/lib/openssh/sftp-server']), 'check');
    assert.equal(r.status, 1, r.out);
    assert.match(r.out, /openssh-sftp-server: \/usr\/lib\/openssh\/sftp-server/);
    assert.match(r.out, /apt-get install -y --no-install-recommends openssh-sftp-server$/m);
    assert.doesNotMatch(r.out, /openssh-server:/);
  });

  test('no test user: check names krtest and scripts/setup-test-host.sh', () => {
    const r = run(tree(['/etc/sudoers.d/krtest']), 'check');
    assert.equal(r.status, 1, r.out);
    assert.match(r.out, /test user krtest/);
    assert.match(r.out, /bash scripts\/setup-test-host\.sh/);
  });

  test('each suite names its own needs', () => {
    const cases: [string, string, string][] = [
      ['sim', '/usr/bin/bwrap', 'bubblewrap'],
      ['chaos', '/usr/lib/openssh/sftp-server', 'openssh-sftp-server'],
      ['ui', '/usr/bin/chromium', 'chromium'],
      ['prod', '/usr/lib/postgresql/15/bin/postgres', 'postgresql'],
      ['prod', '/usr/bin/prometheus', 'prometheus'],
      ['prod', '/usr/bin/promtool', 'prometheus'],
      ['e2e', '/usr/bin/qemu-system-x86_64', 'qemu-system-x86'],
      ['e2e', '/usr/sbin/mkfs.vfat', 'dosfstools'],
      ['e2e', '/usr/share/OVMF/OVMF_CODE_4M.fd', 'ovmf'],
      ['e2e', '/usr/share/OVMF/OVMF_VARS_4M.fd', 'ovmf'],
      ['differential', '/usr/lib/python3.11/ensurepip/__init__.py', 'python3-venv'],
      ['image', '/usr/bin/docker-compose', 'docker-compose'],
    ];
    for (const [suite, file, pkg] of cases) {
      const r = run(tree([file]), suite);
      assert.equal(r.status, 1, `${suite} without ${file}: ${r.out}`);
      assert.match(r.out, new RegExp(`^  ${pkg}: `, 'm'), `${suite} without ${file}`);
      // --dry-run names the same and changes nothing.
      const d = run(tree([file]), '--dry-run', suite);
      assert.equal(d.status, 0, d.out);
      assert.match(d.out, new RegExp(`apt-get install -y( --no-install-recommends)? ${pkg}$`, 'm'));
    }
  });

  test('e2e without a build host package: names scripts/setup-build-host.sh, which installs them', () => {
    for (const file of BUILD_HOST_FILES) {
      const r = run(tree([file]), 'e2e');
      assert.equal(r.status, 1, `e2e without ${file}: ${r.out}`);
      assert.match(r.out, /kernel build host's packages/, file);
      assert.match(r.out, /^ {2}bash scripts\/setup-build-host\.sh$/m, file);
      assert.doesNotMatch(r.out, /apt-get/, `${file}: setup-build-host.sh runs APT itself`);
      // Only e2e compiles a kernel.
      assert.equal(run(tree([file]), 'check').status, 0, `check without ${file}`);
    }
  });

  test('an unknown suite exits 2', () => {
    assert.equal(run(tree(), 'nope').status, 2);
  });
});
