"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
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
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const node_child_process_1 = require("node:child_process");
const node_crypto_1 = require("node:crypto");
const node_fs_1 = require("node:fs");
const node_os_1 = require("node:os");
const path = __importStar(require("node:path"));
const node_util_1 = require("node:util");
const sha256_file_1 = require("../../src/node/sha256-file");
const chroot_build_host_1 = require("../../testbed/chroot-build-host");
const vm_1 = require("../../testbed/vm");
const tiers_1 = require("./tiers");
const execFileP = (0, node_util_1.promisify)(node_child_process_1.execFile);
const root = path.join(__dirname, '..', '..', '..');
const artifacts = path.join(root, 'test-artifacts', 'e2e');
const kernelctl = path.join(root, 'bin', 'kernelctl.js');
const log = (line) => process.stderr.write(`[source-build-lmc] ${line}\n`);
const cacheDir = () => process.env['KERNEL_ROLLOUT_CACHE'] || path.join((0, node_os_1.homedir)(), '.cache', 'kernel-rollout');
/** `kernelctl worker` on its own task queue, resolved once it polls. */
function startWorker(taskQueue, logFile) {
    const child = (0, node_child_process_1.spawn)(process.execPath, [kernelctl, 'worker'], {
        env: { ...process.env, KERNEL_ROLLOUT_TASK_QUEUE: taskQueue },
        stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stdout?.on('data', (b) => (0, node_fs_1.writeFileSync)(logFile, b, { flag: 'a' }));
    return new Promise((resolve, reject) => {
        child.stderr?.on('data', (b) => {
            (0, node_fs_1.writeFileSync)(logFile, b, { flag: 'a' });
            err += b.toString();
            if (/worker on /.test(err))
                resolve(child);
        });
        child.on('exit', (code) => reject(new Error(`worker exited early (${String(code)}): ${err}`)));
    });
}
/** Runs kernelctl with `args`; its exit code, stdout, stderr (also appended to `logFile`). */
function kernelctlRun(args, taskQueue, logFile) {
    return new Promise((resolve, reject) => {
        const child = (0, node_child_process_1.spawn)(process.execPath, [kernelctl, ...args], {
            env: { ...process.env, KERNEL_ROLLOUT_TASK_QUEUE: taskQueue },
            stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        (0, node_fs_1.writeFileSync)(logFile, `$ kernelctl ${args.join(' ')}\n`, { flag: 'a' });
        child.stdout.on('data', (b) => {
            stdout += b.toString();
            (0, node_fs_1.writeFileSync)(logFile, b, { flag: 'a' });
        });
        child.stderr.on('data', (b) => {
            stderr += b.toString();
            (0, node_fs_1.writeFileSync)(logFile, b, { flag: 'a' });
        });
        child.on('error', reject);
        child.on('exit', (code) => resolve({ code, stdout, stderr }));
    });
}
/** The result of `--json` output: its last object, printed indented from a `{` line of its own (progress lines come before it). */
function lastJson(stdout) {
    const at = stdout.lastIndexOf('\n{\n');
    return JSON.parse(at >= 0 ? stdout.slice(at + 1) : stdout);
}
function kill(child) {
    return new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null)
            return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
    });
}
/** `kernelctl build … --wait` on the build host, config from the VM: built on the first try, the package checked. */
async function buildOnFirstTry(r) {
    const { host, vm, vmKernel, vmFingerprint, taskQueue, cliLog, file, figures, record } = r;
    // Exactly the operator's command: no --rebuild, nothing done by hand before it.
    const t0 = Date.now();
    const build = await kernelctlRun([
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
    ], taskQueue, cliLog);
    const wallSeconds = Math.round((Date.now() - t0) / 1000);
    strict_1.default.equal(build.code, 0, `kernelctl build failed (exit ${String(build.code)}): ${build.stdout.slice(-3000)}${build.stderr}`);
    const built = lastJson(build.stdout);
    const onHost = (p) => `${host.root}${p}`;
    const buildLog = (0, node_fs_1.readFileSync)(onHost(built.logPath), 'utf8');
    (0, node_fs_1.writeFileSync)(file('-build.log'), buildLog);
    const config = (0, node_fs_1.readFileSync)(onHost(built.configPath), 'utf8');
    (0, node_fs_1.writeFileSync)(file('.config'), config);
    strict_1.default.equal(built.cached, false, 'compiled now, in a fresh build root');
    strict_1.default.equal(built.launches, 1, 'make was started once');
    strict_1.default.equal(buildLog.match(/^kernel-rollout: make bindeb-pkg, launch/gm)?.length, 1, 'one make started');
    strict_1.default.equal(buildLog.match(/^kernel-rollout: make ended with/gm)?.length, 1, 'one make ended');
    strict_1.default.match(buildLog, /^kernel-rollout: make ended with 0 after [0-9]+ s$/m);
    // What made the first try fail before setup-build-host.sh installed dwarves.
    strict_1.default.match(config, /^CONFIG_DEBUG_INFO_BTF=y$/m, "Debian's config, needing pahole");
    strict_1.default.match(built.release, /^6\.1\.[0-9]+-kr[0-9a-f]{8}$/);
    const deb = onHost(built.deb.path);
    strict_1.default.equal(await (0, sha256_file_1.sha256File)(deb), built.deb.sha256);
    const { stdout: arch } = await execFileP('dpkg-deb', ['-f', deb, 'Architecture', 'Package']);
    strict_1.default.match(arch, /^Architecture: amd64$/m);
    strict_1.default.match(arch, new RegExp(`^Package: linux-image-${built.release.replace(/\./g, '\\.')}$`, 'm'));
    Object.assign(figures, {
        id: built.id,
        release: built.release,
        configFrom: `localmodconfig of ${vmKernel}`,
        makeSeconds: built.buildSeconds,
        buildWallSeconds: wallSeconds,
        debBytes: (0, node_fs_1.statSync)(deb).size,
        debSha256: built.deb.sha256,
        modules: (config.match(/=m$/gm) ?? []).length,
    });
    record();
    log(`built ${built.release} in ${built.buildSeconds} s of make (${wallSeconds} s in all), ${(0, node_fs_1.statSync)(deb).size} bytes`);
    return built;
}
/** `kernelctl upgrade … --build <id> --wait`: the VM boots the build's release. */
async function upgradeToBuild(r, built) {
    const { vm, taskQueue, cliLog, figures, record } = r;
    // The artifact path: the package fetched from the build host, checked, installed, booted once.
    const t1 = Date.now();
    const up = await kernelctlRun([
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
    ], taskQueue, cliLog);
    const result = lastJson(up.stdout);
    strict_1.default.equal(result.outcome, 'upgraded', `${result.reason} (exit ${String(up.code)}) ${up.stderr}`);
    strict_1.default.equal(up.code, 0);
    const uname = (await vm.sshCmd('uname -r', { timeoutMs: 60_000 })).stdout.trim();
    strict_1.default.equal(uname, built.release);
    strict_1.default.match(uname, /-kr[0-9a-f]{8}$/, 'the LOCALVERSION is in uname -r');
    figures['upgradeSeconds'] = Math.round((Date.now() - t1) / 1000);
    figures['uname'] = uname;
    record();
}
if ((0, tiers_1.e2eSelected)('source-build-localmodconfig')) {
    (0, node_test_1.test)('source build from localmodconfig of a testbed VM, on a build host prepared only by setup-build-host.sh: built on the first try, then the VM upgraded to it', { timeout: 180 * 60_000 }, async (t) => {
        (0, node_fs_1.mkdirSync)(artifacts, { recursive: true });
        // This run's name: its VM's, and its files' in test-artifacts/e2e (runs at once keep theirs).
        const run = `lmc-${(0, node_crypto_1.randomUUID)().slice(0, 6)}`;
        const file = (suffix) => path.join(artifacts, `source-build-${run}${suffix}`);
        const cliLog = file('-kernelctl.log');
        const workerLog = file('-worker.log');
        (0, node_fs_1.writeFileSync)(cliLog, '');
        (0, node_fs_1.writeFileSync)(workerLog, '');
        const figures = { run };
        const record = () => (0, node_fs_1.writeFileSync)(file('.json'), `${JSON.stringify(figures, null, 2)}\n`);
        const image = await (0, vm_1.ensureImage)({ log });
        const host = await (0, chroot_build_host_1.startChrootBuildHost)({
            tarball: path.join(cacheDir(), 'build-host', 'debian12-minbase-sshd.tar.zst'),
            setupScript: path.join(root, 'scripts', 'setup-build-host.sh'),
            log,
        });
        t.after(() => host.stop());
        figures['debootstrapSeconds'] = host.debootstrapSeconds ?? 'cached';
        figures['setupSeconds'] = host.setupSeconds;
        strict_1.default.match(host.setupOutput, /setup-build-host\.sh: ok \([1-9][0-9]* package\(s\) installed\)/);
        record();
        const vm = await (0, vm_1.bootVm)({ image, name: run, artifactsDir: artifacts, log });
        t.after(() => vm.stop());
        const vmKernel = (await vm.sshCmd('uname -r', { timeoutMs: 60_000 })).stdout.trim();
        const { stdout: fp } = await execFileP('ssh-keygen', ['-l', '-E', 'sha256', '-f', vm.knownHostsPath]);
        const vmFingerprint = fp.split(/\s+/)[1] ?? '';
        strict_1.default.match(vmFingerprint, /^SHA256:/);
        const taskQueue = `source-build-lmc-${(0, node_crypto_1.randomUUID)()}`;
        const worker = await startWorker(taskQueue, workerLog);
        t.after(() => kill(worker));
        const steps = { host, vm, vmKernel, vmFingerprint, taskQueue, cliLog, file, figures, record };
        const built = await buildOnFirstTry(steps);
        await upgradeToBuild(steps, built);
    });
}
//# sourceMappingURL=source-build-lmc.test.js.map