/**
 * Kernels built from source, on real parts: Debian's linux-source-6.1 on a build host reached
 * over SSH (this machine's OpenSSH on loopback, as root), the buildKernel workflow on the dev
 * server, and the product's own worker process (`kernelctl worker`).
 *
 * 1. The worker is SIGKILLed while make compiles and started again: one make runs from start to
 *    end (one launch, one "make ended" line, no object compiled twice), and its package is the
 *    result.
 * 2. The same spec asked again: answered from the build cache, same sha256, nothing compiled.
 * 3. A kernel for the testbed VM (defconfig + kvm_guest.config) built the same way, delivered by
 *    the artifact installer (fetched from the build host, sha256 checked, uploaded) and booted
 *    through GRUB on a real VM: `upgraded`, `uname -r` shows the LOCALVERSION.
 * 4. The same config without the VM's disk driver (CONFIG_VIRTIO_BLK off, so root never mounts):
 *    the trial boot gives up in the initramfs, `panic=5` reboots it, GRUB's default brings the
 *    old kernel back: `rolled-back`, default unchanged.
 *
 * 3 and 4 build in ~/.cache/kernel-rollout/builds (KERNEL_ROLLOUT_CACHE), keyed as the product
 * keys them: a warm run compiles nothing; a cold one compiles both (about 12 minutes each on two
 * quiet cores).
 *
 * The build uses tinyconfig (the smallest real kernel) in a fresh build root, so every run
 * compiles it again: what is tested is the detached build and its re-attach, not the cache of an
 * earlier run. Needs the build host's packages (scripts/setup-build-host.sh). Selected with
 * KERNEL_ROLLOUT_E2E=source-build.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { homedir } from 'node:os';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../../src/activities';
import { createBuildActivities } from '../../src/activities/build';
import { keepAlive } from '../../src/activities/keep-alive';
import { parseOrThrow, upgradeHostInputSchema } from '../../src/shared/schemas';
import type { BuildResult } from '../../src/shared/build-types';
import type { UpgradeResult } from '../../src/shared/types';
import { upgradeHostKernel } from '../../src/workflows';
import { upgradeWorkflowId } from '../../src/workflows/definitions';
import { bootVm, ensureImage, type Vm } from '../../testbed/vm';
import { temporalAddress, workflowBundle } from '../helpers/temporal';
import { buildResult, buildState, startBuild } from '../../src/client/build';
import { sha256File } from '../../src/node/sha256-file';
import type { BuildKernelInput } from '../../src/shared/build-schemas';
import { startSshd } from '../../testbed/sshd';

const root = path.join(__dirname, '..', '..', '..');
const selected = process.env['KERNEL_ROLLOUT_E2E']?.split(',').map((s) => s.trim());
const artifacts = path.join(root, 'test-artifacts', 'e2e');

function startWorker(taskQueue: string, log: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [path.join(root, 'bin', 'kernelctl.js'), 'worker'], {
    env: { ...process.env, KERNEL_ROLLOUT_TASK_QUEUE: taskQueue },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stdout?.on('data', (b: Buffer) => writeFileSync(log, b, { flag: 'a' }));
  return new Promise((resolve, reject) => {
    child.stderr?.on('data', (b: Buffer) => {
      writeFileSync(log, b, { flag: 'a' });
      err += b.toString();
      // The CLI prints where it polls once the worker is created.
      if (/worker on /.test(err)) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`worker exited early (${String(code)}): ${err}`)));
  });
}

function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

if (selected?.includes('source-build')) {
  test(
    'source build: worker SIGKILLed mid-compile, one make from start to end; the same spec again is a cache hit',
    { timeout: 60 * 60_000 },
    async (t) => {
      const missing = [
        '/usr/src/linux-source-6.1.tar.xz',
        '/usr/bin/flex',
        '/usr/bin/bison',
        '/usr/include/libelf.h',
      ].filter((f) => !existsSync(f));
      assert.deepEqual(missing, [], 'the build host lacks packages: run bash scripts/setup-build-host.sh');
      mkdirSync(artifacts, { recursive: true });
      const sshd = await startSshd({ users: ['root'] });
      t.after(() => sshd.stop());
      const buildRoot = mkdtempSync(path.join(tmpdir(), 'kr-builds-'));
      const address = process.env['TEMPORAL_ADDRESS'] ?? '127.0.0.1:7233';
      const connection = await Connection.connect({ address });
      t.after(() => connection.close());
      const client = new Client({ connection });
      const taskQueue = `source-build-${randomUUID()}`;
      const workerLog = path.join(artifacts, 'source-build-worker.log');
      writeFileSync(workerLog, '');
      let worker = await startWorker(taskQueue, workerLog);
      t.after(() => kill(worker));

      const input: BuildKernelInput = {
        buildHost: {
          host: 'build-host',
          address: sshd.address,
          port: sshd.port,
          user: 'root',
          privateKeyPath: sshd.clientKeyPath,
          knownHostsPath: sshd.knownHostsPath,
        },
        source: { kind: 'debian-source', version: '6.1' },
        config: { kind: 'make', target: 'tinyconfig' },
        fragments: ['CONFIG_64BIT=y', '# CONFIG_DEBUG_INFO is not set'],
        buildRoot,
      };
      const t0 = Date.now();
      const { id } = await startBuild(client, taskQueue, input);

      // Killed once make has compiled something: the build must go on without it.
      let compiledAtKill = 0;
      for (;;) {
        const s = await buildState(client, id);
        assert.equal(s.status, 'RUNNING', `the build ended before the worker was killed: ${JSON.stringify(s)}`);
        if (s.progress && s.progress.compiled >= 50) {
          compiledAtKill = s.progress.compiled;
          break;
        }
        await new Promise((r) => setTimeout(r, 1000));
      }
      const prepareSeconds = Math.round((Date.now() - t0) / 1000);
      await kill(worker);
      worker = await startWorker(taskQueue, workerLog);

      const r = await buildResult(client, id);
      const wall = Math.round((Date.now() - t0) / 1000);
      assert.equal(r.cached, false);
      assert.equal(r.launches, 1, 'make was started once');
      assert.match(r.release, /^6\.1\.[0-9]+-kr[0-9a-f]{8}$/);
      assert.equal(await sha256File(r.deb.path), r.deb.sha256);
      const log = readFileSync(r.logPath, 'utf8');
      writeFileSync(path.join(artifacts, 'source-build.log'), log);
      assert.equal(log.match(/^kernel-rollout: make bindeb-pkg, launch/gm)?.length, 1, 'one make started');
      assert.equal(log.match(/^kernel-rollout: make ended with 0/gm)?.length, 1, 'one make ended, successfully');
      const compiled = log.split('\n').filter((l) => /^ {2}CC /.test(l));
      assert.equal(new Set(compiled).size, compiled.length, 'no object compiled twice');
      assert.ok(
        compiled.length > compiledAtKill,
        `compiling went on after the kill (${compiledAtKill} → ${compiled.length})`,
      );
      assert.match(readFileSync(r.configPath, 'utf8'), /^CONFIG_64BIT=y$/m);

      const t1 = Date.now();
      const again = await startBuild(client, taskQueue, input);
      const second = await again.handle.result();
      const hitSeconds = (Date.now() - t1) / 1000;
      assert.equal(second.cached, true);
      assert.equal(second.deb.sha256, r.deb.sha256);
      assert.equal(second.launches, 1);
      writeFileSync(
        path.join(artifacts, 'source-build.json'),
        `${JSON.stringify({ release: r.release, key: r.key, prepareSeconds, buildSeconds: r.buildSeconds, wallSeconds: wall, compiledAtKill, objects: compiled.length, cacheHitSeconds: hitSeconds, debBytes: r.deb.bytes }, null, 2)}\n`,
      );
      process.stderr.write(
        `# source build: ${r.release} in ${r.buildSeconds} s of make (${wall} s in all, prepare ${prepareSeconds} s), ` +
          `${compiled.length} objects, worker killed at ${compiledAtKill}; cache hit in ${hitSeconds.toFixed(1)} s\n`,
      );
    },
  );
}

const log = (line: string) => process.stderr.write(`[source-build] ${line}\n`);

/** The machine's build root for the VM kernels: kept between runs, like the testbed image. */
const cachedBuildRoot = () =>
  path.join(process.env['KERNEL_ROLLOUT_CACHE'] || path.join(homedir(), '.cache', 'kernel-rollout'), 'builds');

/** A worker in this process with every activity (host upgrades and builds). */
async function withWorker<T>(fn: (client: Client, taskQueue: string) => Promise<T>): Promise<T> {
  const address = await temporalAddress();
  const taskQueue = `source-build-vm-${randomUUID()}`;
  const native = await NativeConnection.connect({ address });
  const worker = await Worker.create({
    connection: native,
    taskQueue,
    workflowBundle: await workflowBundle(),
    activities: keepAlive({ ...createActivities(), ...createBuildActivities() }),
  });
  const connection = await Connection.connect({ address });
  try {
    return await worker.runUntil(fn(new Client({ connection }), taskQueue));
  } finally {
    await connection.close();
    await native.close();
  }
}

/** Builds the VM kernel (or finds it built), then upgrades a fresh testbed VM to it. */
async function buildAndUpgrade(
  name: string,
  fragments: string[],
): Promise<{ built: BuildResult; result: UpgradeResult; vm: Vm; buildSeconds: number; upgradeSeconds: number }> {
  const sshd = await startSshd({ users: ['root'] });
  try {
    const image = await ensureImage({ log });
    return await withWorker(async (client, taskQueue) => {
      const buildHost = {
        host: 'build-host',
        address: sshd.address,
        port: sshd.port,
        user: 'root',
        privateKeyPath: sshd.clientKeyPath,
        knownHostsPath: sshd.knownHostsPath,
      };
      const t0 = Date.now();
      const { handle } = await startBuild(client, taskQueue, {
        buildHost,
        source: { kind: 'debian-source', version: '6.1' },
        config: { kind: 'make', target: 'defconfig', treeFragments: ['kvm_guest.config'] },
        fragments,
        buildRoot: cachedBuildRoot(),
      });
      const built = await handle.result();
      const buildSeconds = Math.round((Date.now() - t0) / 1000);
      log(
        `${name}: ${built.release} ${built.cached ? 'from the cache' : `built in ${built.buildSeconds} s`} (${buildSeconds} s)`,
      );
      const vm = await bootVm({ image, name: `${name}-${randomUUID().slice(0, 6)}`, artifactsDir: artifacts, log });
      try {
        const input = parseOrThrow(upgradeHostInputSchema, {
          target: {
            host: `testbed-${vm.name}`,
            address: '127.0.0.1',
            port: vm.sshPort,
            user: 'root',
            privateKeyPath: vm.privateKeyPath,
            knownHostsPath: vm.knownHostsPath,
          },
          toRelease: built.release,
          source: { kind: 'artifact', host: buildHost, path: built.deb.path, sha256: built.deb.sha256 },
          panicSeconds: 5,
          revertAfterSeconds: 300,
          stabilitySeconds: 15,
          power: { driver: 'qmp', socketPath: vm.qmpSocket, action: 'reset' },
          timeouts: {
            bootDeadlineSeconds: 420,
            powerCycleDeadlineSeconds: 420,
            heartbeatSeconds: 30,
            pollCapSeconds: 1,
          },
        });
        const t1 = Date.now();
        const run = await client.workflow.start(upgradeHostKernel, {
          taskQueue,
          workflowId: upgradeWorkflowId(input.target.host),
          args: [input],
        });
        const result = await run.result();
        const upgradeSeconds = Math.round((Date.now() - t1) / 1000);
        writeFileSync(path.join(artifacts, `source-build-${name}-result.json`), `${JSON.stringify(result, null, 2)}\n`);
        for (const t of result.timeline) log(`${name} ${t.at} ${t.phase} ${t.message.slice(0, 200)}`);
        return { built, result, vm, buildSeconds, upgradeSeconds };
      } catch (err) {
        await vm.stop();
        throw err;
      }
    });
  } finally {
    await sshd.stop();
  }
}

async function vmState(vm: Vm) {
  const r = await vm.sshCmd('uname -r; grub-editenv /boot/grub/grubenv list', { timeoutMs: 60_000 });
  assert.equal(r.code, 0, r.stderr);
  const [kernel = '', ...env] = r.stdout.trim().split('\n');
  const vars = Object.fromEntries(env.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  return { kernel, savedEntry: vars['saved_entry'] ?? '', nextEntry: vars['next_entry'] ?? '' };
}

const figures: Record<string, unknown> = {};

if (selected?.includes('source-build')) {
  test(
    'source build on the VM: a kernel built from linux-source-6.1 upgrades the testbed VM through GRUB',
    { timeout: 90 * 60_000 },
    async () => {
      const { built, result, vm, buildSeconds, upgradeSeconds } = await buildAndUpgrade('sb-vm', []);
      try {
        assert.equal(result.outcome, 'upgraded', result.reason);
        const s = await vmState(vm);
        assert.equal(s.kernel, built.release);
        assert.match(s.kernel, /-kr[0-9a-f]{8}$/, 'the LOCALVERSION is in uname -r');
        assert.ok(s.savedEntry.includes(built.release), `saved default ${s.savedEntry}`);
        assert.equal(s.nextEntry, '');
        figures['vm'] = {
          release: built.release,
          cached: built.cached,
          makeSeconds: built.buildSeconds,
          buildSeconds,
          upgradeSeconds,
        };
      } finally {
        await vm.stop();
        writeFileSync(path.join(artifacts, 'source-build-vm.json'), `${JSON.stringify(figures, null, 2)}\n`);
      }
    },
  );

  test(
    "source build on the VM: a kernel without the VM's disk driver panics in the trial and falls back by itself",
    { timeout: 90 * 60_000 },
    async () => {
      const { built, result, vm, buildSeconds, upgradeSeconds } = await buildAndUpgrade('sb-noroot', [
        '# CONFIG_VIRTIO_BLK is not set',
      ]);
      try {
        assert.equal(result.outcome, 'rolled-back', result.reason);
        const s = await vmState(vm);
        assert.notEqual(s.kernel, built.release);
        assert.ok(!s.savedEntry.includes(built.release), `saved default unchanged: ${s.savedEntry}`);
        assert.equal(s.nextEntry, '');
        assert.equal(result.rebootCount, 1, 'panic=5 rebooted it; no power reset was needed');
        figures['noRoot'] = {
          release: built.release,
          cached: built.cached,
          makeSeconds: built.buildSeconds,
          buildSeconds,
          upgradeSeconds,
        };
      } finally {
        await vm.stop();
        writeFileSync(path.join(artifacts, 'source-build-vm.json'), `${JSON.stringify(figures, null, 2)}\n`);
      }
    },
  );
}
