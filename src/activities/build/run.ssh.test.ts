/**
 * runBuild on a real build host: OpenSSH's sshd on loopback (root), the real build script
 * (./script.ts) under setsid and flock, and a real make. The kernel tree is a stand-in: a
 * Makefile with kbuild's interface (`-C tree O=obj LOCALVERSION=… bindeb-pkg`) that prints kbuild's
 * CC lines and builds a real (tiny) linux-image .deb with dpkg-deb, so these tests run in seconds;
 * test/e2e/source-build.test.ts builds real kernels. Its recipes wait for files the tests create
 * (conditions, not sleeps).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CancelledFailure } from '@temporalio/activity';
import { MockActivityEnvironment } from '@temporalio/testing';
import { sshdTarget, startSshd, type SshdHandle } from '../../../testbed/sshd';
import { hostAccess, realDeps } from '../session';
import { launchCommand, buildScript } from './script';
import { pruneBuilds } from './prune';
import { runBuild, settleEarlierFailure } from './run';
import type { BuildArtifacts } from '../../shared/build-types';

const RELEASE = '6.1.192-krtest';

/** kbuild's interface, no kernel: N objects "compiled", then a real .deb in O's parent. */
const MAKEFILE = `
N ?= 5
bindeb-pkg:
\t@test -z "$(FAIL)" || { echo "  CC      $(O)/tools/objtool/str_error_r.o"; echo "  BTF     .btf.vmlinux.bin.o"; echo "BTF: .tmp_vmlinux.btf: pahole (pahole) is not available"; echo "Failed to generate BTF for vmlinux"; echo "make[2]: *** [scripts/Makefile.vmlinux:35: vmlinux] Error 1"; echo "make[1]: *** [Makefile:1249: vmlinux] Error 2"; exit 2; }
\t@test ! -f $(CURDIR)/hold || { while [ ! -f $(O)/go ]; do sleep 0.05; done; }
\t@for i in $$(seq 1 $(N)); do echo "  CC      obj$$i.o"; done
\t@rm -rf $(O)/pkg && mkdir -p $(O)/pkg/DEBIAN $(O)/pkg/boot
\t@echo kernel > $(O)/pkg/boot/vmlinuz-$(KERNELRELEASE)
\t@printf 'Package: linux-image-$(KERNELRELEASE)\\nVersion: 1\\nArchitecture: all\\nMaintainer: t <t@example.invalid>\\nDescription: test\\n' > $(O)/pkg/DEBIAN/control
\t@echo "dpkg-deb: building package 'linux-image-$(KERNELRELEASE)'"
\t@dpkg-deb --build $(O)/pkg $(O)/../linux-image-$(KERNELRELEASE)_1_all.deb >/dev/null
KERNELRELEASE = 6.1.192$(LOCALVERSION)
`;

describe('runBuild on a real build host (stand-in kernel tree)', () => {
  let sshd: SshdHandle;
  let root: string;
  let tree: string;
  const buildHost = () => sshdTarget(sshd, 'build-host');
  const withHost = hostAccess(realDeps);

  /** A key's directory as prepareBuild leaves it: obj/, config, build.sh. */
  function prepared(key: string, opts: { hold?: boolean } = {}): string {
    const dir = path.join(root, key);
    mkdirSync(path.join(dir, 'obj'), { recursive: true });
    writeFileSync(path.join(dir, 'config'), 'CONFIG_64BIT=y\n');
    writeFileSync(
      path.join(dir, 'build.sh'),
      buildScript({ dir, tree, jobs: 1, localVersion: '-krtest', release: RELEASE }),
    );
    if (opts.hold) writeFileSync(path.join(tree, 'hold'), '');
    else rmSync(path.join(tree, 'hold'), { force: true });
    return dir;
  }

  before(async () => {
    sshd = await startSshd({ users: ['root'] });
    root = mkdtempSync(path.join(tmpdir(), 'kr-runbuild-'));
    tree = path.join(root, 'tree');
    mkdirSync(tree);
    writeFileSync(path.join(tree, 'Makefile'), MAKEFILE);
  });
  after(async () => {
    await sshd?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  test('starts make once, reports progress, returns the package with its sha256', async () => {
    const key = 'a000000000000001';
    const dir = prepared(key);
    const env = new MockActivityEnvironment();
    const beats: unknown[] = [];
    env.on('heartbeat', (d: unknown) => beats.push(d));
    const r = (await env.run(runBuild, withHost, {
      buildHost: buildHost(),
      buildRoot: root,
      key,
      release: RELEASE,
    })) as BuildArtifacts;
    const deb = path.join(dir, `linux-image-${RELEASE}_1_all.deb`);
    assert.equal(r.deb.path, deb);
    assert.equal(r.deb.sha256, createHash('sha256').update(readFileSync(deb)).digest('hex'));
    assert.equal(r.launches, 1);
    assert.equal(r.configPath, path.join(dir, 'config'));
    assert.ok(beats.length >= 1, 'heartbeats carry progress');
    assert.match(readFileSync(path.join(dir, 'build.log'), 'utf8'), /^kernel-rollout: make ended with 0/m);
  });

  test('a build already running is watched, not started again', async () => {
    const key = 'a000000000000002';
    const dir = prepared(key, { hold: true });
    // As if an earlier attempt (a worker since killed) had started it.
    await withHost(buildHost(), (s) => s.run(launchCommand(dir)));
    const env = new MockActivityEnvironment();
    let released = false;
    env.on('heartbeat', () => {
      // Released once runBuild has looked at the running build at least once.
      if (!released) writeFileSync(path.join(dir, 'obj', 'go'), '');
      released = true;
    });
    const r = (await env.run(runBuild, withHost, {
      buildHost: buildHost(),
      buildRoot: root,
      key,
      release: RELEASE,
    })) as BuildArtifacts;
    assert.equal(r.launches, 1, 'one make');
    assert.equal(readFileSync(path.join(dir, 'launches'), 'utf8').trim().split('\n').length, 1);
  });

  test("a failed make ends with the log's lines that say why (not object names) and the log's path", async () => {
    const key = 'a000000000000003';
    const dir = prepared(key);
    writeFileSync(
      path.join(dir, 'build.sh'),
      readFileSync(path.join(dir, 'build.sh'), 'utf8').replace(' bindeb-pkg >>', ' FAIL=1 bindeb-pkg >>'),
    );
    const env = new MockActivityEnvironment();
    await assert.rejects(
      env.run(runBuild, withHost, { buildHost: buildHost(), buildRoot: root, key, release: RELEASE }),
      (err: Error) => {
        assert.equal(err.name, 'BuildFailedError');
        assert.equal(
          err.message,
          `make bindeb-pkg failed on ${buildHost().host} (exit 2; log ${dir}/build.log):\n` +
            'BTF: .tmp_vmlinux.btf: pahole (pahole) is not available\n' +
            'Failed to generate BTF for vmlinux\n' +
            'make[2]: *** [scripts/Makefile.vmlinux:35: vmlinux] Error 1',
        );
        return true;
      },
    );
  });

  test('a failed key is answered with its failure, saying so; with rebuild, make runs again', async () => {
    const key = 'a000000000000005';
    const dir = prepared(key);
    const good = readFileSync(path.join(dir, 'build.sh'), 'utf8');
    writeFileSync(path.join(dir, 'build.sh'), good.replace(' bindeb-pkg >>', ' FAIL=1 bindeb-pkg >>'));
    const req = { buildHost: buildHost(), buildRoot: root, key, release: RELEASE };
    await assert.rejects(new MockActivityEnvironment().run(runBuild, withHost, req));
    // The build host is fixed (the stand-in stops failing); asking again without rebuild:
    writeFileSync(path.join(dir, 'build.sh'), good);
    await assert.rejects(
      withHost(buildHost(), (b) => settleEarlierFailure(b, 'build-host', dir, false)),
      (err: Error & { type?: string }) => {
        assert.equal(err.type ?? err.name, 'BuildFailedError');
        assert.match(
          err.message,
          /^this build failed before \(\d{4}-\d\d-\d\d \d\d:\d\d UTC\) and was not started again/,
        );
        assert.match(err.message, /rerun with --rebuild/);
        assert.match(err.message, /pahole \(pahole\) is not available/);
        return true;
      },
    );
    assert.equal(readFileSync(path.join(dir, 'launches'), 'utf8').trim().split('\n').length, 1, 'not started again');
    await withHost(buildHost(), (b) => settleEarlierFailure(b, 'build-host', dir, true));
    const r = (await new MockActivityEnvironment().run(runBuild, withHost, req)) as BuildArtifacts;
    assert.equal(r.launches, 2, 'make ran again');
    assert.match(
      readFileSync(path.join(dir, 'build.log'), 'utf8'),
      /^kernel-rollout: rebuild requested \(the last launch ended with 2\)/m,
    );
    // Succeeded: settling is a no-op either way, the package stays the answer.
    await withHost(buildHost(), (b) => settleEarlierFailure(b, 'build-host', dir, true));
    assert.equal(existsSync(path.join(dir, 'result.json')), true);
  });

  test('prune: objects and debug packages go (or whole keys), a build in progress is never touched', async () => {
    const prune = mkdtempSync(path.join(tmpdir(), 'kr-prune-'));
    try {
      const req = (key: string) => ({ buildHost: buildHost(), buildRoot: prune, key, release: RELEASE });
      const inRoot = (key: string, hold = false) => {
        const dir = path.join(prune, key);
        mkdirSync(path.join(dir, 'obj'), { recursive: true });
        writeFileSync(
          path.join(dir, 'build.sh'),
          buildScript({ dir, tree, jobs: 1, localVersion: '-krtest', release: RELEASE }),
        );
        if (hold) writeFileSync(path.join(tree, 'hold'), '');
        else rmSync(path.join(tree, 'hold'), { force: true });
        return dir;
      };
      const done = inRoot('b000000000000001');
      await new MockActivityEnvironment().run(runBuild, withHost, req('b000000000000001'));
      writeFileSync(path.join(done, 'obj', 'vmlinux.o'), Buffer.alloc(64 * 1024));
      writeFileSync(path.join(done, `linux-image-${RELEASE}-dbg_1_amd64.deb`), Buffer.alloc(32 * 1024));
      const running = inRoot('b000000000000002', true);
      await withHost(buildHost(), (b) => b.run(launchCommand(running)));
      await withHost(buildHost(), (b) =>
        b.run(
          `cd ${running} && for i in $(seq 1 100); do flock -n build.lock true || exit 0; sleep 0.05; done; exit 1`,
        ),
      );
      writeFileSync(path.join(running, 'obj', 'partial.o'), 'x');
      mkdirSync(path.join(prune, 'sources'));

      const trimmed = await withHost(buildHost(), (b) => pruneBuilds(b, prune, true));
      assert.deepEqual(
        trimmed.map((e) => [e.key, e.action]),
        [
          ['b000000000000001', 'trimmed'],
          ['b000000000000002', 'busy'],
        ],
      );
      assert.ok((trimmed[0]?.freedBytes ?? 0) >= 96 * 1024, 'the objects and the debug package were freed');
      assert.deepEqual(
        readdirSync(done).filter((f) => f.endsWith('.deb')),
        [`linux-image-${RELEASE}_1_all.deb`],
      );
      assert.equal(existsSync(path.join(done, 'obj')), false);
      assert.equal(existsSync(path.join(done, 'result.json')), true, 'the key still answers with its package');
      assert.equal(existsSync(path.join(running, 'obj', 'partial.o')), true, 'the running build untouched');

      const removed = await withHost(buildHost(), (b) => pruneBuilds(b, prune, false));
      assert.deepEqual(
        removed.map((e) => [e.key, e.action]),
        [
          ['b000000000000001', 'removed'],
          ['b000000000000002', 'busy'],
        ],
      );
      assert.equal(existsSync(done), false);
      assert.equal(existsSync(path.join(running, 'obj', 'partial.o')), true);
      assert.equal(existsSync(path.join(prune, 'sources')), true, 'sources are left alone');
      writeFileSync(path.join(running, 'obj', 'go'), '');
      await new MockActivityEnvironment().run(runBuild, withHost, req('b000000000000002'));
    } finally {
      // Let a held build end even if a broken prune removed its directory: nothing is left running.
      const running = path.join(prune, 'b000000000000002');
      mkdirSync(path.join(running, 'obj'), { recursive: true });
      writeFileSync(path.join(running, 'obj', 'go'), '');
      await withHost(buildHost(), (b) =>
        b.exec(`cd ${running} && for i in $(seq 1 200); do flock -n build.lock true && exit 0; sleep 0.05; done`),
      );
      rmSync(path.join(tree, 'hold'), { force: true });
      rmSync(prune, { recursive: true, force: true });
    }
  });

  test('cancelled: the build on the build host is stopped (its process group killed)', async () => {
    const key = 'a000000000000004';
    const dir = prepared(key, { hold: true });
    const env = new MockActivityEnvironment();
    env.on('heartbeat', () => env.cancel());
    await assert.rejects(
      env.run(runBuild, withHost, { buildHost: buildHost(), buildRoot: root, key, release: RELEASE }),
      (err: Error) => err instanceof CancelledFailure,
    );
    const pgid = readFileSync(path.join(dir, 'pgid'), 'utf8').trim();
    // Processes of the group that still run (zombies waiting for a reaper have stopped).
    const alive = await withHost(buildHost(), (s) => s.run(`ps -o stat= -g ${pgid} | grep -vc '^Z' || true`));
    assert.equal(alive.trim(), '0', 'no process of the build is left');
    assert.match(readFileSync(path.join(dir, 'build.log'), 'utf8'), /^kernel-rollout: cancelled/m);
    assert.equal(existsSync(path.join(dir, 'result.json')), false);
  });
});
