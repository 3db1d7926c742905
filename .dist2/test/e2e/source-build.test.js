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
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const node_child_process_1 = require("node:child_process");
const node_crypto_1 = require("node:crypto");
const node_fs_1 = require("node:fs");
const node_os_1 = require("node:os");
const path = __importStar(require("node:path"));
const node_os_2 = require("node:os");
const client_1 = require("@temporalio/client");
const worker_1 = require("@temporalio/worker");
const activities_1 = require("../../src/activities");
const build_1 = require("../../src/activities/build");
const keep_alive_1 = require("../../src/activities/keep-alive");
const schemas_1 = require("../../src/shared/schemas");
const workflows_1 = require("../../src/workflows");
const definitions_1 = require("../../src/workflows/definitions");
const vm_1 = require("../../testbed/vm");
const temporal_1 = require("../helpers/temporal");
const build_2 = require("../../src/client/build");
const sha256_file_1 = require("../../src/node/sha256-file");
const sshd_1 = require("../../testbed/sshd");
const rehearsal_1 = require("../../src/activities/rehearsal");
const rehearsal_types_1 = require("../../src/shared/rehearsal-types");
const kernel_config_1 = require("../../testbed/kernel-config");
const tiers_1 = require("./tiers");
const root = path.join(__dirname, '..', '..', '..');
const artifacts = path.join(root, 'test-artifacts', 'e2e');
function startWorker(taskQueue, log) {
    const child = (0, node_child_process_1.spawn)(process.execPath, [path.join(root, 'bin', 'kernelctl.js'), 'worker'], {
        env: { ...process.env, KERNEL_ROLLOUT_TASK_QUEUE: taskQueue },
        stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stdout?.on('data', (b) => (0, node_fs_1.writeFileSync)(log, b, { flag: 'a' }));
    return new Promise((resolve, reject) => {
        child.stderr?.on('data', (b) => {
            (0, node_fs_1.writeFileSync)(log, b, { flag: 'a' });
            err += b.toString();
            // The CLI prints where it polls once the worker is created.
            if (/worker on /.test(err))
                resolve(child);
        });
        child.on('exit', (code) => reject(new Error(`worker exited early (${String(code)}): ${err}`)));
    });
}
function kill(child) {
    return new Promise((resolve) => {
        if (child.exitCode !== null)
            return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
    });
}
if ((0, tiers_1.e2eSelected)('source-build-kill')) {
    (0, node_test_1.test)('source build: worker SIGKILLed mid-compile, one make from start to end; the same spec again is a cache hit', { timeout: 60 * 60_000 }, async (t) => {
        const missing = [
            '/usr/src/linux-source-6.1.tar.xz',
            '/usr/bin/flex',
            '/usr/bin/bison',
            '/usr/include/libelf.h',
        ].filter((f) => !(0, node_fs_1.existsSync)(f));
        strict_1.default.deepEqual(missing, [], 'the build host lacks packages: run bash scripts/setup-build-host.sh');
        (0, node_fs_1.mkdirSync)(artifacts, { recursive: true });
        const sshd = await (0, sshd_1.startSshd)({ users: ['root'] });
        t.after(() => sshd.stop());
        const buildRoot = (0, node_fs_1.mkdtempSync)(path.join((0, node_os_1.tmpdir)(), 'kr-builds-'));
        const address = process.env['TEMPORAL_ADDRESS'] ?? '127.0.0.1:7233';
        const connection = await client_1.Connection.connect({ address });
        t.after(() => connection.close());
        const client = new client_1.Client({ connection });
        const taskQueue = `source-build-${(0, node_crypto_1.randomUUID)()}`;
        const workerLog = path.join(artifacts, 'source-build-worker.log');
        (0, node_fs_1.writeFileSync)(workerLog, '');
        let worker = await startWorker(taskQueue, workerLog);
        t.after(() => kill(worker));
        const input = {
            buildHost: (0, sshd_1.sshdTarget)(sshd, 'build-host'),
            source: { kind: 'debian-source', version: '6.1' },
            config: { kind: 'make', target: 'tinyconfig' },
            fragments: ['CONFIG_64BIT=y', '# CONFIG_DEBUG_INFO is not set'],
            buildRoot,
        };
        const t0 = Date.now();
        const { id } = await (0, build_2.startBuild)(client, taskQueue, input);
        // Killed once make has compiled something: the build must go on without it.
        let compiledAtKill = 0;
        for (;;) {
            const s = await (0, build_2.buildState)(client, id);
            strict_1.default.equal(s.status, 'RUNNING', `the build ended before the worker was killed: ${JSON.stringify(s)}`);
            if (s.progress && s.progress.compiled >= 50) {
                compiledAtKill = s.progress.compiled;
                break;
            }
            await new Promise((r) => setTimeout(r, 1000));
        }
        const prepareSeconds = Math.round((Date.now() - t0) / 1000);
        await kill(worker);
        worker = await startWorker(taskQueue, workerLog);
        const r = await (0, build_2.buildResult)(client, id);
        const wall = Math.round((Date.now() - t0) / 1000);
        strict_1.default.equal(r.cached, false);
        strict_1.default.equal(r.launches, 1, 'make was started once');
        strict_1.default.match(r.release, /^6\.1\.[0-9]+-kr[0-9a-f]{8}$/);
        strict_1.default.equal(await (0, sha256_file_1.sha256File)(r.deb.path), r.deb.sha256);
        const log = (0, node_fs_1.readFileSync)(r.logPath, 'utf8');
        (0, node_fs_1.writeFileSync)(path.join(artifacts, 'source-build.log'), log);
        strict_1.default.equal(log.match(/^kernel-rollout: make bindeb-pkg, launch/gm)?.length, 1, 'one make started');
        strict_1.default.equal(log.match(/^kernel-rollout: make ended with 0/gm)?.length, 1, 'one make ended, successfully');
        const compiled = log.split('\n').filter((l) => /^ {2}CC /.test(l));
        strict_1.default.equal(new Set(compiled).size, compiled.length, 'no object compiled twice');
        strict_1.default.ok(compiled.length > compiledAtKill, `compiling went on after the kill (${compiledAtKill} → ${compiled.length})`);
        strict_1.default.match((0, node_fs_1.readFileSync)(r.configPath, 'utf8'), /^CONFIG_64BIT=y$/m);
        const t1 = Date.now();
        const again = await (0, build_2.startBuild)(client, taskQueue, input);
        const second = await again.handle.result();
        const hitSeconds = (Date.now() - t1) / 1000;
        strict_1.default.equal(second.cached, true);
        strict_1.default.equal(second.deb.sha256, r.deb.sha256);
        strict_1.default.equal(second.launches, 1);
        (0, node_fs_1.writeFileSync)(path.join(artifacts, 'source-build.json'), `${JSON.stringify({ release: r.release, key: r.key, prepareSeconds, buildSeconds: r.buildSeconds, wallSeconds: wall, compiledAtKill, objects: compiled.length, cacheHitSeconds: hitSeconds, debBytes: r.deb.bytes }, null, 2)}\n`);
        process.stderr.write(`# source build: ${r.release} in ${r.buildSeconds} s of make (${wall} s in all, prepare ${prepareSeconds} s), ` +
            `${compiled.length} objects, worker killed at ${compiledAtKill}; cache hit in ${hitSeconds.toFixed(1)} s\n`);
    });
}
const log = (line) => process.stderr.write(`[source-build] ${line}\n`);
/** The machine's build root for the VM kernels: kept between runs, like the testbed image. */
const cachedBuildRoot = () => path.join(process.env['KERNEL_ROLLOUT_CACHE'] || path.join((0, node_os_2.homedir)(), '.cache', 'kernel-rollout'), 'builds');
/**
 * Workers in this process: one with every activity (host upgrades and builds) on a fresh task
 * queue, and a rehearsal worker (VM rehearsals from the testbed image) on the rehearsal queue.
 */
async function withWorker(fn) {
    const address = await (0, temporal_1.temporalAddress)();
    const taskQueue = `source-build-vm-${(0, node_crypto_1.randomUUID)()}`;
    const image = await (0, vm_1.ensureImage)({ log });
    const rehearsals = (0, node_fs_1.mkdtempSync)(path.join((0, node_os_1.tmpdir)(), 'kr-reh-'));
    const native = await worker_1.NativeConnection.connect({ address });
    const worker = await worker_1.Worker.create({
        connection: native,
        taskQueue,
        workflowBundle: await (0, temporal_1.workflowBundle)(),
        activities: (0, keep_alive_1.keepAlive)({ ...(0, activities_1.createActivities)(), ...(0, build_1.createBuildActivities)() }),
    });
    // A rehearsal worker as `kernelctl worker --rehearsal-image` runs one: the shared rehearsal
    // queue, and its machine's own queue for everything after a VM's start.
    const vmQueue = (0, rehearsal_types_1.rehearsalQueueOf)(`e2e-${(0, node_crypto_1.randomUUID)().slice(0, 8)}`);
    const rehearsalActivities = (0, keep_alive_1.keepAlive)({
        ...(0, activities_1.createActivities)(),
        ...(0, rehearsal_1.createRehearsalActivities)({ imageDir: image.dir, stateDir: rehearsals, memoryMiB: 1536, cpus: 1, bootTimeoutSeconds: 900 }, vmQueue),
    });
    const [rehearsalWorker, vmWorker] = await Promise.all([rehearsal_types_1.REHEARSAL_TASK_QUEUE, vmQueue].map(async (queue) => worker_1.Worker.create({
        connection: native,
        taskQueue: queue,
        workflowBundle: await (0, temporal_1.workflowBundle)(),
        activities: rehearsalActivities,
    })));
    const connection = await client_1.Connection.connect({ address });
    try {
        const all = fn(new client_1.Client({ connection }), taskQueue, rehearsals);
        return await worker.runUntil(rehearsalWorker.runUntil(vmWorker.runUntil(all)));
    }
    finally {
        await connection.close();
        await native.close();
    }
}
/**
 * Builds the VM kernel (testbed/kernel-config.ts, then `extraFragments`) or finds it built, boots
 * a fresh testbed VM, and runs `fn` with them.
 */
async function withBuiltKernel(name, extraFragments, fn) {
    const sshd = await (0, sshd_1.startSshd)({ users: ['root'] });
    try {
        const image = await (0, vm_1.ensureImage)({ log });
        return await withWorker(async (client, taskQueue) => {
            const buildHost = (0, sshd_1.sshdTarget)(sshd, 'build-host');
            const t0 = Date.now();
            const { handle } = await (0, build_2.startBuild)(client, taskQueue, {
                buildHost,
                source: { kind: 'debian-source', version: '6.1' },
                config: kernel_config_1.TESTBED_KERNEL_BASE,
                fragments: [...kernel_config_1.TESTBED_KERNEL_FRAGMENTS, ...extraFragments],
                buildRoot: cachedBuildRoot(),
            });
            const built = await handle.result();
            const buildSeconds = Math.round((Date.now() - t0) / 1000);
            log(`${name}: ${built.release} ${built.cached ? 'from the cache' : `built in ${built.buildSeconds} s`} (${buildSeconds} s)`);
            const vm = await (0, vm_1.bootVm)({ image, name: `${name}-${(0, node_crypto_1.randomUUID)().slice(0, 6)}`, artifactsDir: artifacts, log });
            let runs = 0;
            const upgrade = async ({ rehearse }) => {
                runs += 1;
                const input = (0, schemas_1.parseOrThrow)(schemas_1.upgradeHostInputSchema, {
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
                const run = await client.workflow.start(workflows_1.upgradeHostKernel, {
                    taskQueue,
                    workflowId: (0, definitions_1.upgradeWorkflowId)(input.target.host),
                    args: [input],
                });
                const result = await run.result();
                const seconds = Math.round((Date.now() - t1) / 1000);
                const tag = `${name}-${runs}${rehearse ? '-rehearsed' : ''}`;
                (0, node_fs_1.writeFileSync)(path.join(artifacts, `source-build-${tag}-result.json`), `${JSON.stringify(result, null, 2)}\n`);
                for (const t of result.timeline)
                    log(`${tag} ${t.at} ${t.phase} ${t.message.slice(0, 300)}`);
                return { result, seconds };
            };
            try {
                return await fn({ built, buildSeconds, vm, upgrade });
            }
            finally {
                await vm.stop();
            }
        });
    }
    finally {
        await sshd.stop();
    }
}
/** The rehearsal's record on the build host: its outcome and the VM's serial log, next to the package. */
function rehearsalRecord(built, result) {
    const line = result.timeline.find((t) => /VM rehearsal /.test(t.message))?.message ?? '';
    const dir = / in (\/\S+)$/.exec(line)?.[1];
    strict_1.default.ok(dir, `the timeline names where the rehearsal was kept: ${line}`);
    strict_1.default.equal(path.dirname(path.dirname(dir)), path.dirname(built.deb.path), 'kept next to the package');
    const outcome = JSON.parse((0, node_fs_1.readFileSync)(path.join(dir, 'outcome.json'), 'utf8')).outcome;
    return { outcome, serial: (0, node_fs_1.readFileSync)(path.join(dir, 'serial.log'), 'latin1') };
}
/** Whether the VM has the built kernel's package (a refused run must not have installed it). */
async function hasPackage(vm, release) {
    const r = await vm.sshCmd(`dpkg-query -W -f='\${Status}' linux-image-${release} 2>/dev/null`, { timeoutMs: 60_000 });
    return r.stdout.includes('install ok installed');
}
async function vmState(vm) {
    const r = await vm.sshCmd('uname -r; grub-editenv /boot/grub/grubenv list', { timeoutMs: 60_000 });
    strict_1.default.equal(r.code, 0, r.stderr);
    const [kernel = '', ...env] = r.stdout.trim().split('\n');
    const vars = Object.fromEntries(env.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    return { kernel, savedEntry: vars['saved_entry'] ?? '', nextEntry: vars['next_entry'] ?? '' };
}
const figures = {};
if ((0, tiers_1.e2eSelected)('source-build-upgrade')) {
    (0, node_test_1.test)('source build on the VM: rehearsed on a throwaway VM, then the testbed VM upgraded to it through GRUB', { timeout: 90 * 60_000 }, async () => {
        await withBuiltKernel('sb-vm', [], async ({ built, buildSeconds, vm, upgrade }) => {
            const { result, seconds } = await upgrade({ rehearse: true });
            strict_1.default.equal(result.outcome, 'upgraded', result.reason);
            const s = await vmState(vm);
            strict_1.default.equal(s.kernel, built.release);
            strict_1.default.match(s.kernel, /-kr[0-9a-f]{8}$/, 'the LOCALVERSION is in uname -r');
            strict_1.default.ok(s.savedEntry.includes(built.release), `saved default ${s.savedEntry}`);
            strict_1.default.equal(s.nextEntry, '');
            const kept = rehearsalRecord(built, result);
            strict_1.default.equal(kept.outcome, 'upgraded');
            strict_1.default.ok(kept.serial.includes(`Linux version ${built.release}`), 'the serial log shows the trial boot');
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
            (0, node_fs_1.writeFileSync)(path.join(artifacts, 'source-build-vm.json'), `${JSON.stringify(figures, null, 2)}\n`);
        });
    });
}
if ((0, tiers_1.e2eSelected)('source-build-refused')) {
    (0, node_test_1.test)("source build on the VM: without the VM's disk driver, the rehearsal fails and the host is not touched; unrehearsed, the trial panics and falls back", { timeout: 120 * 60_000 }, async () => {
        await withBuiltKernel('sb-noroot', ['# CONFIG_VIRTIO_BLK is not set'], async ({ built, buildSeconds, vm, upgrade }) => {
            const before = await vmState(vm);
            const rehearsed = await upgrade({ rehearse: true });
            strict_1.default.equal(rehearsed.result.outcome, 'refused', rehearsed.result.reason);
            strict_1.default.match(rehearsed.result.reason, /VM rehearsal \S+: rolled-back/);
            strict_1.default.equal(rehearsed.result.rebootCount, 0);
            strict_1.default.deepEqual(await vmState(vm), before, 'the host is as it was');
            strict_1.default.equal(await hasPackage(vm, built.release), false, 'nothing was installed on the host');
            const kept = rehearsalRecord(built, rehearsed.result);
            strict_1.default.equal(kept.outcome, 'rolled-back');
            strict_1.default.match(kept.serial, /Kernel panic|Gave up waiting for root/, 'the serial log shows why');
            const { result, seconds } = await upgrade({ rehearse: false });
            strict_1.default.equal(result.outcome, 'rolled-back', result.reason);
            const s = await vmState(vm);
            strict_1.default.notEqual(s.kernel, built.release);
            strict_1.default.ok(!s.savedEntry.includes(built.release), `saved default unchanged: ${s.savedEntry}`);
            strict_1.default.equal(s.nextEntry, '');
            strict_1.default.equal(result.rebootCount, 1, 'panic=5 rebooted it; no power reset was needed');
            figures['noRoot'] = {
                release: built.release,
                cached: built.cached,
                makeSeconds: built.buildSeconds,
                buildSeconds,
                rehearsalSeconds: rehearsed.seconds,
                upgradeSeconds: seconds,
            };
            (0, node_fs_1.writeFileSync)(path.join(artifacts, 'source-build-vm.json'), `${JSON.stringify(figures, null, 2)}\n`);
        });
    });
}
//# sourceMappingURL=source-build.test.js.map