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
Object.defineProperty(exports, "__esModule", { value: true });
exports.BuildProgress = void 0;
exports.builderScript = builderScript;
exports.elapsed = elapsed;
exports.imageCacheDir = imageCacheDir;
exports.imageIsCached = imageIsCached;
exports.builderHostPackages = builderHostPackages;
exports.missingHostPackages = missingHostPackages;
exports.aptInstallCount = aptInstallCount;
exports.stepLabel = stepLabel;
exports.prepareImage = prepareImage;
/**
 * `npm run demo`: the newcomer's first command. Builds (or reuses) the Debian 12 testbed image,
 * boots a VM through GRUB under qemu, starts the embedded Temporal dev server (state kept in
 * $XDG_STATE_HOME/kernel-rollout/demo) and a worker, upgrades the VM's kernel with live
 * progress, and prints how to browse the history later (`npx kernelctl dev --state-dir <dir>`).
 *
 * The terminal gets about 30 lines: one per step with its real elapsed time, the upgrade's
 * timeline, and the paths of the full logs. Everything else (the image builder's ~1,000 lines
 * of apt and debootstrap output, the worker's log, the VM's serial console, the Temporal
 * server's log) goes to files in the state directory.
 */
const node_child_process_1 = require("node:child_process");
const node_crypto_1 = require("node:crypto");
const node_fs_1 = require("node:fs");
const node_os_1 = require("node:os");
const path = __importStar(require("node:path"));
const worker_1 = require("@temporalio/worker");
const client_1 = require("../src/client");
const temporal_server_1 = require("../src/dev/temporal-server");
const free_port_1 = require("../src/node/free-port");
const worker_2 = require("../src/worker");
const vm_1 = require("../testbed/vm");
/** The port `kernelctl dev` serves its web UI on, passed explicitly in the browse-later command. */
const BROWSE_UI_PORT = 8233;
function builderScript() {
    return path.join((0, temporal_server_1.projectRoot)(), 'testbed', 'build-image.sh');
}
/** Seconds since `t0`, for the progress lines: "41 s", "0.3 s". */
function elapsed(t0, now = Date.now()) {
    const s = (now - t0) / 1000;
    return s < 10 ? `${s.toFixed(1)} s` : `${Math.round(s)} s`;
}
/**
 * Where build-image.sh keeps the image it would build: its cache key is the first 16 hex digits
 * of the sha256 of the script itself (BUILDER_FILES) followed by `platform=<platform>\n`, under
 * $KERNEL_ROLLOUT_CACHE/testbed. The demo builds the default platform, bios-grub.
 */
function imageCacheDir(script, env = process.env, platform = 'bios-grub') {
    const hash = (0, node_crypto_1.createHash)('sha256')
        .update((0, node_fs_1.readFileSync)(script))
        .update(`platform=${platform}\n`)
        .digest('hex')
        .slice(0, 16);
    const root = env['KERNEL_ROLLOUT_CACHE'] || path.join(env['HOME'] || (0, node_os_1.homedir)(), '.cache', 'kernel-rollout');
    return path.join(root, 'testbed', hash);
}
/** The builder's own test for "cached": it skips everything when both files exist. */
function imageIsCached(dir) {
    return (0, node_fs_1.existsSync)(path.join(dir, 'kernels.json')) && (0, node_fs_1.existsSync)(path.join(dir, 'base.qcow2'));
}
/**
 * The host packages build-image.sh checks for (its "host dependencies" step: `for p in …; do
 * dpkg-query …`). Read from the script so the demo cannot announce a different list than the
 * builder installs.
 */
function builderHostPackages(scriptText) {
    const m = /step "host dependencies"[\s\S]*?\nfor p in ([^;\n]+); do\n\s*dpkg-query/.exec(scriptText);
    if (!m?.[1])
        throw new Error('demo: cannot find the host package list in build-image.sh ("host dependencies")');
    return m[1].trim().split(/\s+/);
}
/** Those of `pkgs` that dpkg does not report as "install ok installed" (the builder's test). */
function missingHostPackages(pkgs) {
    return pkgs.filter((p) => {
        const r = (0, node_child_process_1.spawnSync)('dpkg-query', ['-W', '-f=${Status}', p], { encoding: 'utf8' });
        return !(r.status === 0 && r.stdout.includes('install ok installed'));
    });
}
/** How many packages `apt-get install --no-install-recommends` would install, or undefined if apt cannot say. */
function aptInstallCount(pkgs) {
    const r = (0, node_child_process_1.spawnSync)('apt-get', ['-s', 'install', '--no-install-recommends', ...pkgs], { encoding: 'utf8' });
    if (r.status !== 0)
        return undefined;
    return r.stdout.split('\n').filter((l) => l.startsWith('Inst ')).length;
}
/**
 * The image builder's progress layer: every line goes to the log file; the `== step` lines the
 * builder prints on stderr become one terminal line each, "    <step> … 41 s", the elapsed
 * time measured here and written when the next step starts (or the build ends).
 */
class BuildProgress {
    write;
    logPath;
    now;
    step;
    log;
    constructor(write, logPath, now = Date.now) {
        this.write = write;
        this.logPath = logPath;
        this.now = now;
        this.log = (0, node_fs_1.openSync)(logPath, 'w');
    }
    line(l) {
        (0, node_fs_1.writeSync)(this.log, `${l}\n`);
        const m = /^\[build-image [^\]]*\] == (.+)$/.exec(l);
        if (!m?.[1])
            return;
        this.endStep('');
        this.step = { t0: this.now() };
        this.write(`    ${stepLabel(m[1])} … `);
    }
    /** Closes the open step line ("failed after" when the build failed) and the log file. */
    end(ok) {
        this.endStep(ok ? '' : 'failed after ');
        (0, node_fs_1.closeSync)(this.log);
    }
    endStep(prefix) {
        if (!this.step)
            return;
        this.write(`${prefix}${elapsed(this.step.t0, this.now())}\n`);
        this.step = undefined;
    }
}
exports.BuildProgress = BuildProgress;
/** "first boot (qemu -kernel, TCG): grub-install …" → "first boot": the words before the details. */
function stepLabel(step) {
    return step.split(/:| \(/)[0]?.trim() || step;
}
/** Last `n` lines of a file, for a failure message. */
function tail(file, n) {
    return (0, node_fs_1.readFileSync)(file, 'utf8').trimEnd().split('\n').slice(-n).join('\n');
}
async function prepareImage(say, write, logPath, script = builderScript()) {
    const t0 = Date.now();
    const cacheDir = imageCacheDir(script);
    const cached = imageIsCached(cacheDir);
    if (cached) {
        say(`1/4 testbed image: cached in ${cacheDir}`);
    }
    else {
        say(`1/4 testbed image: building it once (5-15 min, needs root); full log: ${logPath}`);
        const missing = missingHostPackages(builderHostPackages((0, node_fs_1.readFileSync)(script, 'utf8')));
        if (missing.length > 0) {
            const count = aptInstallCount(missing);
            const total = count === undefined ? '' : ` (${count} packages with their dependencies)`;
            say(`    installs on this machine with apt-get: ${missing.join(' ')}${total}`);
        }
    }
    const progress = new BuildProgress(write, logPath);
    let image;
    try {
        image = await (0, vm_1.ensureImage)({ log: (l) => progress.line(l) });
    }
    catch (err) {
        progress.end(false);
        const last = tail(logPath, 12).replace(/^/gm, '    | ');
        throw new Error(`building the testbed image failed; last lines of ${logPath}:\n${last}`, { cause: err });
    }
    progress.end(true);
    const how = cached ? 'reused' : 'built';
    say(`    kernels: ${image.kernels.old} (installed) → ${image.kernels.new} (.deb); ${how} in ${elapsed(t0)}`);
    return image;
}
function workerLogger(file) {
    const fd = (0, node_fs_1.openSync)(file, 'a');
    return new worker_1.DefaultLogger('INFO', (e) => {
        let meta = '';
        try {
            meta = e.meta ? ` ${JSON.stringify(e.meta)}` : '';
        }
        catch {
            meta = ' (meta not serialisable)';
        }
        const at = new Date(Number(e.timestampNanos / 1000000n)).toISOString();
        (0, node_fs_1.writeSync)(fd, `${at} ${e.level} ${e.message}${meta}\n`);
        if (e.level === 'ERROR')
            process.stderr.write(`worker: ${e.message}\n`);
    });
}
async function main() {
    const say = (s) => process.stdout.write(`${s}\n`);
    const write = (s) => process.stdout.write(s);
    const { stateDir, logs } = demoState();
    // The worker's INFO lines (bundler statistics, state changes) go to a file, not the terminal.
    worker_1.Runtime.install({ logger: workerLogger(logs.worker) });
    const tStart = Date.now();
    say(`kernel-rollout demo: state and logs in ${stateDir}`);
    const image = await prepareImage(say, write, logs.build);
    const harnessLog = (0, node_fs_1.openSync)(logs.harness, 'a');
    const vm = await bootDemoVm(image, stateDir, harnessLog, say);
    const { server, worker, running, connection, taskQueue } = await startTemporalAndWorker(stateDir, logs, say);
    const client = await client_1.HostUpgradeClient.connect({ address: server.address, namespace: 'default', taskQueue });
    try {
        const { outcome, workflowPath } = await upgradeDemoVm(client, vm, image, server.uiUrl, say);
        say(`demo finished in ${elapsed(tStart)}; the server and VM are stopped. Browse the history later:`);
        say(`    npx kernelctl dev --state-dir ${stateDir} --ui-port ${BROWSE_UI_PORT}`);
        say(`    then open http://127.0.0.1:${BROWSE_UI_PORT}${workflowPath}`);
        process.exitCode = outcome === 'upgraded' ? 0 : 3;
    }
    finally {
        await client.close();
        worker.shutdown();
        await running;
        await connection.close();
        await vm.stop();
        await server.stop();
        (0, node_fs_1.closeSync)(harnessLog);
    }
}
/** The demo's state directory ($XDG_STATE_HOME/kernel-rollout/demo), made, and its log files. */
function demoState() {
    const stateDir = path.join(process.env['XDG_STATE_HOME'] || path.join((0, node_os_1.homedir)(), '.local', 'state'), 'kernel-rollout', 'demo');
    (0, node_fs_1.mkdirSync)(stateDir, { recursive: true });
    const logs = {
        build: path.join(stateDir, 'build-image.log'),
        worker: path.join(stateDir, 'worker.log'),
        harness: path.join(stateDir, 'vm-harness.log'),
        temporal: path.join(stateDir, 'temporal.log'),
    };
    return { stateDir, logs };
}
/** Step 2: the VM, booted through GRUB; the harness logs to `harnessLog`. */
async function bootDemoVm(image, stateDir, harnessLog, say) {
    say('2/4 booting a VM through GRUB (qemu, TCG)');
    const t0 = Date.now();
    const vmName = `demo-${Date.now()}`;
    const vmDir = path.join(stateDir, 'vm');
    const vm = await (0, vm_1.bootVm)({
        image,
        name: vmName,
        artifactsDir: vmDir,
        // Under TCG on a busy 2-core machine a boot has taken more than the harness's 300 s default.
        bootTimeoutMs: 900_000,
        log: (l) => (0, node_fs_1.writeSync)(harnessLog, `${new Date().toISOString()} ${l}\n`),
    }).catch((err) => {
        throw new Error(`${err.message}\n(serial console: ${path.join(vmDir, `${vmName}.serial.log`)})`, {
            cause: err,
        });
    });
    say(`    SSH answered on 127.0.0.1:${vm.sshPort} after ${elapsed(t0)}; serial console: ${vm.serialLogPath}`);
    return vm;
}
/** Step 3: the Temporal dev server (state in `stateDir`) and a worker running on it. */
async function startTemporalAndWorker(stateDir, logs, say) {
    say('3/4 Temporal dev server + worker');
    const t0 = Date.now();
    const server = await (0, temporal_server_1.startDevServer)({
        dbFile: path.join(stateDir, 'temporal.sqlite'),
        uiPort: await (0, free_port_1.freePort)(),
        logPath: logs.temporal,
    });
    const taskQueue = 'kernel-rollout';
    const { worker, connection } = await (0, worker_2.createWorker)({ address: server.address, namespace: 'default', taskQueue });
    const running = worker.run();
    say(`    ready after ${elapsed(t0)}; logs: ${logs.temporal}, ${logs.worker}`);
    return { server, worker, running, connection, taskQueue };
}
/** Step 4: the upgrade of the VM's kernel, its timeline printed as it goes, then what the VM reports. */
async function upgradeDemoVm(client, vm, image, uiUrl, say) {
    const host = `demo-vm-${vm.sshPort}`;
    const t0 = Date.now();
    const handle = await client.startUpgrade({
        ...(0, vm_1.upgradeToNewKernel)(vm, host, image),
        panicSeconds: 5,
        // Under TCG on a busy 2-core machine a reboot (shutdown, GRUB, boot, SSH) has taken more than
        // 10 minutes: deadlines that fit an idle machine would end a healthy trial in a rollback.
        revertAfterSeconds: 1800,
        timeouts: { bootDeadlineSeconds: 1800 },
        stabilitySeconds: 15,
        power: { driver: 'qmp', socketPath: vm.qmpSocket, action: 'reset' },
    });
    const workflowPath = `/namespaces/default/workflows/${encodeURIComponent(handle.workflowId)}`;
    say(`4/4 upgrading ${host}; live in the web UI while the demo runs: ${uiUrl ?? ''}${workflowPath}`);
    let printed = 0;
    for (;;) {
        const s = await client.status(host);
        for (const t of s.timeline.slice(printed))
            say(`    ${t.at.slice(11, 19)}  ${t.phase.padEnd(10)} ${t.message}`);
        printed = s.timeline.length;
        if (s.outcome)
            break;
        await new Promise((r) => setTimeout(r, 1000));
    }
    const r = await handle.result();
    say(`${host}: ${r.outcome} after ${elapsed(t0)} — ${r.reason}`);
    const after = await vm.sshCmd('uname -r; grub-editenv /boot/grub/grubenv list');
    say(`    the VM now reports: ${after.stdout.trim().split('\n').join('; ')}`);
    return { outcome: r.outcome, workflowPath };
}
if (require.main === module) {
    main().catch((err) => {
        const e = err;
        // The builder's failure already names its log; a stack adds nothing there.
        const text = e.message.startsWith('building the testbed image failed') ? e.message : (e.stack ?? String(err));
        process.stderr.write(`demo failed: ${text}\n`);
        process.exit(1);
    });
}
//# sourceMappingURL=demo.js.map