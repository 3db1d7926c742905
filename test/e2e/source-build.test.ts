/**
 * Kernels built from source, on real parts: Debian's linux-source-6.1 on a build host reached
 * over SSH (this machine's OpenSSH on loopback, as root), the buildKernel workflow on the dev
 * server, and the product's own worker process (`kernelctl worker`).
 *
 * 1. The worker is SIGKILLed while make compiles and started again: one make runs from start to
 *    end (one launch, one "make ended" line, no object compiled twice), and its package is the
 *    result.
 * 2. The same spec asked again: answered from the build cache, same sha256, nothing compiled.
 * 3. A kernel for the testbed VM (the smallest config that boots it: testbed/kernel-config.ts)
 *    built the same way, delivered by
 *    the artifact installer (fetched from the build host, sha256 checked, uploaded), rehearsed
 *    first on a throwaway VM (`rehearseInVm`: rehearseKernel on the rehearsal task queue, served
 *    here by a rehearsal worker with the testbed image), then booted through GRUB on the real
 *    testbed VM: `upgraded`, `uname -r` shows the LOCALVERSION, and the rehearsal's serial log is
 *    kept next to the package on the build host.
 * 4. The same config without the VM's disk driver (CONFIG_VIRTIO_BLK off, so root never mounts):
 *    rehearsed, the rehearsal VM's trial panics and falls back, and the upgrade ends `refused`
 *    with nothing installed on the host; then, without the rehearsal, the host's own trial boot
 *    gives up in the initramfs, `panic=5` reboots it, GRUB's default brings the old kernel back:
 *    `rolled-back`, default unchanged.
 *
 * 3 and 4 build in ~/.cache/kernel-rollout/builds (KERNEL_ROLLOUT_CACHE), keyed as the product
 * keys them: a warm run compiles nothing; a cold one compiles each kernel once.
 *
 * The build uses tinyconfig (the smallest real kernel) in a fresh build root, so every run
 * compiles it again: what is tested is the detached build and its re-attach, not the cache of an
 * earlier run. Needs the build host's packages (scripts/setup-build-host.sh). Selected with
 * KERNEL_ROLLOUT_E2E=source-build (all), source-build-kill (1 and 2), source-build-upgrade (3, in
 * the gate) or source-build-refused (4).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
import { sshdTarget, startSshd } from '../../testbed/sshd';
import { createRehearsalActivities } from '../../src/activities/rehearsal';
import { REHEARSAL_TASK_QUEUE, rehearsalQueueOf } from '../../src/shared/rehearsal-types';
import { TESTBED_KERNEL_BASE, TESTBED_KERNEL_FRAGMENTS } from '../../testbed/kernel-config';
import { e2eSelected } from './tiers';

const root = path.join(__dirname, '..', '..', '..');
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

if (e2eSelected('source-build-kill')) {
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
        buildHost: sshdTarget(sshd, 'build-host'),
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

/**
 * Workers in this process: one with every activity (host upgrades and builds) on a fresh task
 * queue, and a rehearsal worker (VM rehearsals from the testbed image) on the rehearsal queue.
 */
async function withWorker<T>(fn: (client: Client, taskQueue: string, rehearsals: string) => Promise<T>): Promise<T> {
  const address = await temporalAddress();
  const taskQueue = `source-build-vm-${randomUUID()}`;
  const image = await ensureImage({ log });
  const rehearsals = mkdtempSync(path.join(tmpdir(), 'kr-reh-'));
  const native = await NativeConnection.connect({ address });
  const worker = await Worker.create({
    connection: native,
    taskQueue,
    workflowBundle: await workflowBundle(),
    activities: keepAlive({ ...createActivities(), ...createBuildActivities() }),
  });
  // A rehearsal worker as `kernelctl worker --rehearsal-image` runs one: the shared rehearsal
  // queue, and its machine's own queue for everything after a VM's start.
  const vmQueue = rehearsalQueueOf(`e2e-${randomUUID().slice(0, 8)}`);
  const rehearsalActivities = keepAlive({
    ...createActivities(),
    ...createRehearsalActivities(
      { imageDir: image.dir, stateDir: rehearsals, memoryMiB: 1536, cpus: 1, bootTimeoutSeconds: 900 },
      vmQueue,
    ),
  });
  const [rehearsalWorker, vmWorker] = await Promise.all(
    [REHEARSAL_TASK_QUEUE, vmQueue].map(async (queue) =>
      Worker.create({
        connection: native,
        taskQueue: queue,
        workflowBundle: await workflowBundle(),
        activities: rehearsalActivities,
      }),
    ),
  );
  const connection = await Connection.connect({ address });
  try {
    const all = fn(new Client({ connection }), taskQueue, rehearsals);
    const result = await worker.runUntil((rehearsalWorker as Worker).runUntil((vmWorker as Worker).runUntil(all)));
    // The rehearsals' records and serial logs: kept when the test failed (they say why), else removed.
    rmSync(rehearsals, { recursive: true, force: true });
    return result;
  } finally {
    await connection.close();
    await native.close();
  }
}

interface VmUpgrade {
  result: UpgradeResult;
  seconds: number;
}

/**
 * Builds the VM kernel (testbed/kernel-config.ts, then `extraFragments`) or finds it built, boots
 * a fresh testbed VM, and runs `fn` with them.
 */
async function withBuiltKernel<T>(
  name: string,
  extraFragments: string[],
  fn: (ctx: {
    built: BuildResult;
    buildSeconds: number;
    vm: Vm;
    upgrade: (opts: { rehearse: boolean }) => Promise<VmUpgrade>;
  }) => Promise<T>,
): Promise<T> {
  const sshd = await startSshd({ users: ['root'] });
  try {
    const image = await ensureImage({ log });
    return await withWorker(async (client, taskQueue) => {
      const buildHost = sshdTarget(sshd, 'build-host');
      const t0 = Date.now();
      const { handle } = await startBuild(client, taskQueue, {
        buildHost,
        source: { kind: 'debian-source', version: '6.1' },
        config: TESTBED_KERNEL_BASE,
        fragments: [...TESTBED_KERNEL_FRAGMENTS, ...extraFragments],
        buildRoot: cachedBuildRoot(),
      });
      const built = await handle.result();
      const buildSeconds = Math.round((Date.now() - t0) / 1000);
      log(
        `${name}: ${built.release} ${built.cached ? 'from the cache' : `built in ${built.buildSeconds} s`} (${buildSeconds} s)`,
      );
      // One of the long VMs (about 10 VM-minutes): it asks for its slot with them, so the gate's
      // short scenarios fill the two slots' tail instead of this one alone.
      const vm = await bootVm({
        image,
        name: `${name}-${randomUUID().slice(0, 6)}`,
        artifactsDir: artifacts,
        log,
        slotPriority: 2,
      });
      let runs = 0;
      const upgrade = async ({ rehearse }: { rehearse: boolean }): Promise<VmUpgrade> => {
        runs += 1;
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
          ...(rehearse ? { rehearseInVm: true } : {}),
        });
        const t1 = Date.now();
        const run = await client.workflow.start(upgradeHostKernel, {
          taskQueue,
          workflowId: upgradeWorkflowId(input.target.host),
          args: [input],
        });
        const result = await run.result();
        const seconds = Math.round((Date.now() - t1) / 1000);
        const tag = `${name}-${runs}${rehearse ? '-rehearsed' : ''}`;
        writeFileSync(path.join(artifacts, `source-build-${tag}-result.json`), `${JSON.stringify(result, null, 2)}\n`);
        for (const t of result.timeline) log(`${tag} ${t.at} ${t.phase} ${t.message.slice(0, 300)}`);
        return { result, seconds };
      };
      try {
        return await fn({ built, buildSeconds, vm, upgrade });
      } finally {
        await vm.stop();
      }
    });
  } finally {
    await sshd.stop();
  }
}

/** The rehearsal's record on the build host: its outcome and the VM's serial log, next to the package. */
function rehearsalRecord(built: BuildResult, result: UpgradeResult): { outcome: string; serial: string } {
  const line = result.timeline.find((t) => /VM rehearsal /.test(t.message))?.message ?? '';
  const dir = / in (\/\S+)$/.exec(line)?.[1];
  assert.ok(dir, `the timeline names where the rehearsal was kept: ${line}`);
  assert.equal(path.dirname(path.dirname(dir)), path.dirname(built.deb.path), 'kept next to the package');
  const outcome = (JSON.parse(readFileSync(path.join(dir, 'outcome.json'), 'utf8')) as { outcome: string }).outcome;
  return { outcome, serial: readFileSync(path.join(dir, 'serial.log'), 'latin1') };
}

/** Whether the VM has the built kernel's package (a refused run must not have installed it). */
async function hasPackage(vm: Vm, release: string): Promise<boolean> {
  const r = await vm.sshCmd(`dpkg-query -W -f='\${Status}' linux-image-${release} 2>/dev/null`, { timeoutMs: 60_000 });
  return r.stdout.includes('install ok installed');
}

async function vmState(vm: Vm) {
  const r = await vm.sshCmd('uname -r; grub-editenv /boot/grub/grubenv list', { timeoutMs: 60_000 });
  assert.equal(r.code, 0, r.stderr);
  const [kernel = '', ...env] = r.stdout.trim().split('\n');
  const vars = Object.fromEntries(env.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  return { kernel, savedEntry: vars['saved_entry'] ?? '', nextEntry: vars['next_entry'] ?? '' };
}

const figures: Record<string, unknown> = {};

if (e2eSelected('source-build-upgrade')) {
  test(
    'source build on the VM: rehearsed on a throwaway VM, then the testbed VM upgraded to it through GRUB',
    { timeout: 90 * 60_000 },
    async () => {
      await withBuiltKernel('sb-vm', [], async ({ built, buildSeconds, vm, upgrade }) => {
        const { result, seconds } = await upgrade({ rehearse: true });
        assert.equal(result.outcome, 'upgraded', result.reason);
        const s = await vmState(vm);
        assert.equal(s.kernel, built.release);
        assert.match(s.kernel, /-kr[0-9a-f]{8}$/, 'the LOCALVERSION is in uname -r');
        assert.ok(s.savedEntry.includes(built.release), `saved default ${s.savedEntry}`);
        assert.equal(s.nextEntry, '');
        const kept = rehearsalRecord(built, result);
        assert.equal(kept.outcome, 'upgraded');
        assert.ok(kept.serial.includes(`Linux version ${built.release}`), 'the serial log shows the trial boot');
        const rehearsal = result.timeline.find((t) => /VM rehearsal /.test(t.message));
        const preflight = result.timeline.findIndex((t) => t.phase === 'preflight' && /preflight/.test(t.message));
        figures['vm'] = {
          release: built.release,
          cached: built.cached,
          makeSeconds: built.buildSeconds,
          buildSeconds,
          upgradeWithRehearsalSeconds: seconds,
          rehearsal: rehearsal?.message,
          preflightAfterRehearsal: preflight,
        };
        writeFileSync(path.join(artifacts, 'source-build-vm.json'), `${JSON.stringify(figures, null, 2)}\n`);
      });
    },
  );
}

if (e2eSelected('source-build-refused')) {
  test(
    "source build on the VM: without the VM's disk driver, the rehearsal fails and the host is not touched; unrehearsed, the trial panics and falls back",
    { timeout: 120 * 60_000 },
    async () => {
      await withBuiltKernel(
        'sb-noroot',
        ['# CONFIG_VIRTIO_BLK is not set'],
        async ({ built, buildSeconds, vm, upgrade }) => {
          const before = await vmState(vm);
          const rehearsed = await upgrade({ rehearse: true });
          assert.equal(rehearsed.result.outcome, 'refused', rehearsed.result.reason);
          assert.match(rehearsed.result.reason, /VM rehearsal \S+: rolled-back/);
          assert.equal(rehearsed.result.rebootCount, 0);
          assert.deepEqual(await vmState(vm), before, 'the host is as it was');
          assert.equal(await hasPackage(vm, built.release), false, 'nothing was installed on the host');
          const kept = rehearsalRecord(built, rehearsed.result);
          assert.equal(kept.outcome, 'rolled-back');
          assert.match(kept.serial, /Kernel panic|Gave up waiting for root/, 'the serial log shows why');

          const { result, seconds } = await upgrade({ rehearse: false });
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
            rehearsalSeconds: rehearsed.seconds,
            upgradeSeconds: seconds,
          };
          writeFileSync(path.join(artifacts, 'source-build-vm.json'), `${JSON.stringify(figures, null, 2)}\n`);
        },
      );
    },
  );
}
