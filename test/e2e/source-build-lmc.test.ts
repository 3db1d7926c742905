/**
 * The operator's path of issue 23's acceptance, for real: a kernel built from `localmodconfig` of
 * a testbed VM, on a fresh build host that nothing but scripts/setup-build-host.sh prepared, must
 * succeed on the first try, then upgrade that VM.
 *
 * - The build host: a Debian 12 minbase root with openssh-server (debootstrap, cached once per
 *   machine as a tarball, unpacked fresh for each run), `bash scripts/setup-build-host.sh` run in
 *   it (chroot) and nothing else, its own sshd on a loopback port under `nice -n 19`, its host key
 *   pinned (testbed/chroot-build-host.ts).
 * - The config's host: a testbed VM (bios-grub) running Debian's cloud kernel, whose config has
 *   CONFIG_DEBUG_INFO_BTF=y: the final link needs pahole (dwarves).
 * - `kernelctl build --source debian:6.1 --config localmodconfig:… --wait` through the dev server
 *   and a `kernelctl worker`, both hosts' keys pinned: exit 0, one make launched and ended with 0
 *   (no retry, no --rebuild), the package on the build host with its sha256 and `Architecture:
 *   amd64`.
 * - `kernelctl upgrade … --build <id> --wait`: `upgraded`, `uname -r` is the build's release with
 *   its LOCALVERSION.
 *
 * Not in the gate (a Debian-config compile takes 30-60 min on two busy cores): selected with
 * KERNEL_ROLLOUT_E2E=source-build-localmodconfig. Figures go to
 * test-artifacts/e2e/source-build-lmc-<run>.json, with the build's log, its .config and the CLI's
 * and the worker's output beside it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { sha256File } from '../../src/node/sha256-file';
import type { BuildResult } from '../../src/shared/build-types';
import type { UpgradeResult } from '../../src/shared/types';
import { startChrootBuildHost } from '../../testbed/chroot-build-host';
import { bootVm, ensureImage } from '../../testbed/vm';
import { e2eSelected } from './tiers';

const execFileP = promisify(execFile);
const root = path.join(__dirname, '..', '..', '..');
const artifacts = path.join(root, 'test-artifacts', 'e2e');
const kernelctl = path.join(root, 'bin', 'kernelctl.js');
const log = (line: string) => process.stderr.write(`[source-build-lmc] ${line}\n`);
const cacheDir = () => process.env['KERNEL_ROLLOUT_CACHE'] || path.join(homedir(), '.cache', 'kernel-rollout');

/** `kernelctl worker` on its own task queue, resolved once it polls. */
function startWorker(taskQueue: string, logFile: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [kernelctl, 'worker'], {
    env: { ...process.env, KERNEL_ROLLOUT_TASK_QUEUE: taskQueue },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stdout?.on('data', (b: Buffer) => writeFileSync(logFile, b, { flag: 'a' }));
  return new Promise((resolve, reject) => {
    child.stderr?.on('data', (b: Buffer) => {
      writeFileSync(logFile, b, { flag: 'a' });
      err += b.toString();
      if (/worker on /.test(err)) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`worker exited early (${String(code)}): ${err}`)));
  });
}

/** Runs kernelctl with `args`; its exit code, stdout, stderr (also appended to `logFile`). */
function kernelctlRun(
  args: string[],
  taskQueue: string,
  logFile: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [kernelctl, ...args], {
      env: { ...process.env, KERNEL_ROLLOUT_TASK_QUEUE: taskQueue },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    writeFileSync(logFile, `$ kernelctl ${args.join(' ')}\n`, { flag: 'a' });
    child.stdout.on('data', (b: Buffer) => {
      stdout += b.toString();
      writeFileSync(logFile, b, { flag: 'a' });
    });
    child.stderr.on('data', (b: Buffer) => {
      stderr += b.toString();
      writeFileSync(logFile, b, { flag: 'a' });
    });
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The result of `--json` output: its last object, printed indented from a `{` line of its own (progress lines come before it). */
function lastJson<T>(stdout: string): T {
  const at = stdout.lastIndexOf('\n{\n');
  return JSON.parse(at >= 0 ? stdout.slice(at + 1) : stdout) as T;
}

function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

type BuildHost = Awaited<ReturnType<typeof startChrootBuildHost>>;
type Vm = Awaited<ReturnType<typeof bootVm>>;

/** What the steps of one run share: its hosts, its worker's task queue, its files and figures. */
interface LmcRun {
  host: BuildHost;
  vm: Vm;
  vmKernel: string;
  vmFingerprint: string;
  taskQueue: string;
  cliLog: string;
  file: (suffix: string) => string;
  figures: Record<string, unknown>;
  record: () => void;
}

/** `kernelctl build … --wait` on the build host, config from the VM: built on the first try, the package checked. */
async function buildOnFirstTry(r: LmcRun): Promise<BuildResult & { id: string }> {
  const { host, vm, vmKernel, vmFingerprint, taskQueue, cliLog, file, figures, record } = r;
  // Exactly the operator's command: no --rebuild, nothing done by hand before it.
  const t0 = Date.now();
  const build = await kernelctlRun(
    [
      'build',
      '--build-host',
      `root@${host.address}:${host.port}`,
      '-i',
      host.clientKeyPath,
      '--build-host-key-sha256',
      host.hostFingerprint,
      '--source',
      'debian:6.1',
      '--config',
      `localmodconfig:root@127.0.0.1:${vm.sshPort}`,
      '--config-identity',
      vm.privateKeyPath,
      '--config-host-key-sha256',
      vmFingerprint,
      '--wait',
      '--json',
    ],
    taskQueue,
    cliLog,
  );
  const wallSeconds = Math.round((Date.now() - t0) / 1000);
  assert.equal(
    build.code,
    0,
    `kernelctl build failed (exit ${String(build.code)}): ${build.stdout.slice(-3000)}${build.stderr}`,
  );
  const built = lastJson<BuildResult & { id: string }>(build.stdout);
  const onHost = (p: string) => `${host.root}${p}`;
  const buildLog = readFileSync(onHost(built.logPath), 'utf8');
  writeFileSync(file('-build.log'), buildLog);
  const config = readFileSync(onHost(built.configPath), 'utf8');
  writeFileSync(file('.config'), config);

  assert.equal(built.cached, false, 'compiled now, in a fresh build root');
  assert.equal(built.launches, 1, 'make was started once');
  assert.equal(buildLog.match(/^kernel-rollout: make bindeb-pkg, launch/gm)?.length, 1, 'one make started');
  assert.equal(buildLog.match(/^kernel-rollout: make ended with/gm)?.length, 1, 'one make ended');
  assert.match(buildLog, /^kernel-rollout: make ended with 0 after [0-9]+ s$/m);
  // What made the first try fail before setup-build-host.sh installed dwarves.
  assert.match(config, /^CONFIG_DEBUG_INFO_BTF=y$/m, "Debian's config, needing pahole");
  assert.match(built.release, /^6\.1\.[0-9]+-kr[0-9a-f]{8}$/);
  const deb = onHost(built.deb.path);
  assert.equal(await sha256File(deb), built.deb.sha256);
  const { stdout: arch } = await execFileP('dpkg-deb', ['-f', deb, 'Architecture', 'Package']);
  assert.match(arch, /^Architecture: amd64$/m);
  assert.match(arch, new RegExp(`^Package: linux-image-${built.release.replace(/\./g, '\\.')}$`, 'm'));
  Object.assign(figures, {
    id: built.id,
    release: built.release,
    configFrom: `localmodconfig of ${vmKernel}`,
    makeSeconds: built.buildSeconds,
    buildWallSeconds: wallSeconds,
    debBytes: statSync(deb).size,
    debSha256: built.deb.sha256,
    modules: (config.match(/=m$/gm) ?? []).length,
  });
  record();
  log(
    `built ${built.release} in ${built.buildSeconds} s of make (${wallSeconds} s in all), ${statSync(deb).size} bytes`,
  );
  return built;
}

/** `kernelctl upgrade … --build <id> --wait`: the VM boots the build's release. */
async function upgradeToBuild(r: LmcRun, built: BuildResult & { id: string }): Promise<void> {
  const { vm, taskQueue, cliLog, figures, record } = r;
  // The artifact path: the package fetched from the build host, checked, installed, booted once.
  const t1 = Date.now();
  const up = await kernelctlRun(
    [
      'upgrade',
      `testbed-${vm.name}`,
      '--ssh-address',
      '127.0.0.1',
      '--port',
      String(vm.sshPort),
      '-i',
      vm.privateKeyPath,
      '--known-hosts',
      vm.knownHostsPath,
      '--build',
      built.id,
      '--power',
      'qmp',
      '--qmp-socket',
      vm.qmpSocket,
      '--panic',
      '5',
      '--boot-deadline',
      '600',
      '--wait',
      '--json',
    ],
    taskQueue,
    cliLog,
  );
  const result = lastJson<UpgradeResult>(up.stdout);
  assert.equal(result.outcome, 'upgraded', `${result.reason} (exit ${String(up.code)}) ${up.stderr}`);
  assert.equal(up.code, 0);
  const uname = (await vm.sshCmd('uname -r', { timeoutMs: 60_000 })).stdout.trim();
  assert.equal(uname, built.release);
  assert.match(uname, /-kr[0-9a-f]{8}$/, 'the LOCALVERSION is in uname -r');
  figures['upgradeSeconds'] = Math.round((Date.now() - t1) / 1000);
  figures['uname'] = uname;
  record();
}

if (e2eSelected('source-build-localmodconfig')) {
  test(
    'source build from localmodconfig of a testbed VM, on a build host prepared only by setup-build-host.sh: built on the first try, then the VM upgraded to it',
    { timeout: 180 * 60_000 },
    async (t) => {
      mkdirSync(artifacts, { recursive: true });
      // This run's name: its VM's, and its files' in test-artifacts/e2e (runs at once keep theirs).
      const run = `lmc-${randomUUID().slice(0, 6)}`;
      const file = (suffix: string) => path.join(artifacts, `source-build-${run}${suffix}`);
      const cliLog = file('-kernelctl.log');
      const workerLog = file('-worker.log');
      writeFileSync(cliLog, '');
      writeFileSync(workerLog, '');
      const figures: Record<string, unknown> = { run };
      const record = () => writeFileSync(file('.json'), `${JSON.stringify(figures, null, 2)}\n`);

      const image = await ensureImage({ log });
      const host = await startChrootBuildHost({
        tarball: path.join(cacheDir(), 'build-host', 'debian12-minbase-sshd.tar.zst'),
        setupScript: path.join(root, 'scripts', 'setup-build-host.sh'),
        log,
      });
      t.after(() => host.stop());
      figures['debootstrapSeconds'] = host.debootstrapSeconds ?? 'cached';
      figures['setupSeconds'] = host.setupSeconds;
      assert.match(host.setupOutput, /setup-build-host\.sh: ok \([1-9][0-9]* package\(s\) installed\)/);
      record();

      const vm = await bootVm({ image, name: run, artifactsDir: artifacts, log });
      t.after(() => vm.stop());
      const vmKernel = (await vm.sshCmd('uname -r', { timeoutMs: 60_000 })).stdout.trim();
      const { stdout: fp } = await execFileP('ssh-keygen', ['-l', '-E', 'sha256', '-f', vm.knownHostsPath]);
      const vmFingerprint = fp.split(/\s+/)[1] ?? '';
      assert.match(vmFingerprint, /^SHA256:/);

      const taskQueue = `source-build-lmc-${randomUUID()}`;
      const worker = await startWorker(taskQueue, workerLog);
      t.after(() => kill(worker));

      const steps: LmcRun = { host, vm, vmKernel, vmFingerprint, taskQueue, cliLog, file, figures, record };
      const built = await buildOnFirstTry(steps);
      await upgradeToBuild(steps, built);
    },
  );
}
