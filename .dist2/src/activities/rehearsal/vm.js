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
exports.loadRehearsalImage = loadRehearsalImage;
exports.rehearsalDir = rehearsalDir;
exports.supervisorScript = supervisorScript;
exports.startRehearsalVm = startRehearsalVm;
exports.stopSupervisor = stopSupervisor;
exports.awaitStopped = awaitStopped;
/**
 * The rehearsal VM on the rehearsal worker: a throwaway qemu guest booted from an overlay of the
 * worker's image, reachable over SSH on a loopback port and reset through QMP.
 *
 * The VM outlives the activity that started it, and the worker too: qemu runs under a small
 * supervisor script in its own session, with its state in one directory per rehearsal
 * (`vm.json`, the overlay, the serial log). A retried start re-attaches to a VM that still runs;
 * the stop ends its process group, keeps the serial log and removes the disk.
 *
 * qemu runs with -no-reboot, and the supervisor starts a fresh qemu on the same disk after every
 * guest reset: under TCG a warm reset inside the same process took 85-840 s to get from GRUB to
 * the kernel, a fresh process seconds. A guest power-off, or the stop file, ends the loop.
 */
const node_child_process_1 = require("node:child_process");
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const activity_1 = require("@temporalio/activity");
const free_port_1 = require("../../node/free-port");
const ssh_banner_1 = require("../../node/ssh-banner");
const qemu_args_1 = require("../../node/qemu-args");
const rehearsal_types_1 = require("../../shared/rehearsal-types");
const shell_1 = require("../../shared/shell");
const connect_1 = require("../ssh/connect");
const process_alive_1 = require("../../node/process-alive");
function loadRehearsalImage(imageDir) {
    const dir = path.resolve(imageDir);
    const baseImage = path.join(dir, 'base.qcow2');
    const privateKeyPath = path.join(dir, 'id_ed25519');
    const hostKeyFile = path.join(dir, 'ssh_host_ed25519_key.pub');
    for (const f of [baseImage, privateKeyPath, hostKeyFile]) {
        if (!fs.existsSync(f))
            throw new Error(`--rehearsal-image: ${dir} has no ${path.basename(f)}`);
    }
    const [type, blob] = fs.readFileSync(hostKeyFile, 'utf8').trim().split(/\s+/);
    if (type !== 'ssh-ed25519' || !blob || !/^[A-Za-z0-9+/=]+$/.test(blob)) {
        throw new Error(`--rehearsal-image: ${hostKeyFile} is not an ssh-ed25519 public key`);
    }
    return { baseImage, privateKeyPath, hostPublicKey: `${type} ${blob}` };
}
function rehearsalDir(config, rehearsalId) {
    if (!rehearsal_types_1.REHEARSAL_ID_RE.test(rehearsalId)) {
        throw new Error(`rehearsalId: ${JSON.stringify(rehearsalId)} must match ${rehearsal_types_1.REHEARSAL_ID_RE.source}`);
    }
    return path.join(config.stateDir, rehearsalId);
}
/** The supervisor: qemu again after each guest reset, until a power-off or the stop file. */
function supervisorScript(qemuArgs) {
    return `#!/bin/sh
# kernel-rollout rehearsal VM. qemu ends at every guest reset (-no-reboot) and starts again on
# the same disk; a guest power-off or the file ./stop ends it.
cd "$(dirname "$0")" || exit 1
while :; do
  echo "# $(date -u +%FT%TZ) qemu starts" >> qemu.log
  ${(0, shell_1.shellJoin)(['qemu-system-x86_64', ...qemuArgs])} >> qemu.log 2>&1
  rc=$?
  echo "# $(date -u +%FT%TZ) qemu exited $rc" >> qemu.log
  [ "$rc" -eq 0 ] || exit "$rc"
  [ -e stop ] && exit 0
  tail -c 8192 serial.log | grep -a 'reboot: ' | tail -n 1 | grep -q 'Power down' && exit 0
done
`;
}
function vmArgs(config, dir, port) {
    return (0, qemu_args_1.qemuArgs)({
        name: `rehearsal-${path.basename(dir)}`,
        memoryMiB: config.memoryMiB,
        cpus: config.cpus,
        diskPath: path.join(dir, 'disk.qcow2'),
        sshPort: port,
        serialLogPath: path.join(dir, 'serial.log'),
        qmpSockets: [path.join(dir, 'qmp.sock')],
    });
}
function readState(dir) {
    try {
        const s = JSON.parse(fs.readFileSync(path.join(dir, 'vm.json'), 'utf8'));
        return Number.isInteger(s.pid) && s.pid > 1 && Number.isInteger(s.port) ? s : null;
    }
    catch {
        return null;
    }
}
/** Whether `pid` is still this rehearsal's supervisor (not a recycled pid). */
function isSupervisor(pid, dir) {
    if (!(0, process_alive_1.processAlive)(pid))
        return false;
    try {
        return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(path.join(dir, 'run.sh'));
    }
    catch {
        return false;
    }
}
function run(cmd, args) {
    return new Promise((resolve, reject) => {
        const child = (0, node_child_process_1.spawn)(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
        let output = '';
        child.stdout.on('data', (d) => (output += d.toString()));
        child.stderr.on('data', (d) => (output += d.toString()));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, output }));
    });
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** Creates the overlay and starts the supervisor; the VM's state as vm.json says it. */
async function launch(config, image, dir) {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const mk = await run('qemu-img', [
        'create',
        '-q',
        '-f',
        'qcow2',
        '-b',
        image.baseImage,
        '-F',
        'qcow2',
        path.join(dir, 'disk.qcow2'),
    ]);
    if (mk.code !== 0)
        throw new Error(`qemu-img create failed: ${mk.output.trim()}`);
    const port = await (0, free_port_1.freePort)();
    fs.writeFileSync(path.join(dir, 'known_hosts'), `[127.0.0.1]:${port} ${image.hostPublicKey}\n`);
    const script = path.join(dir, 'run.sh');
    fs.writeFileSync(script, supervisorScript(vmArgs(config, dir, port)), { mode: 0o700 });
    // detached: its own session and process group (its pid), so it outlives this worker and the
    // stop ends qemu with it.
    const child = (0, node_child_process_1.spawn)('/bin/sh', [script], { detached: true, stdio: 'ignore' });
    if (child.pid === undefined)
        throw new Error('could not start the rehearsal VM supervisor');
    child.unref();
    const state = { pid: child.pid, port, startedAtMs: Date.now() };
    fs.writeFileSync(path.join(dir, 'vm.json'), JSON.stringify(state));
    return state;
}
/** Waits until the VM answers SSH with its image's host key, heartbeating; throws if it ends. */
async function waitForSsh(config, dir, vm, target) {
    const ctx = activity_1.Context.current();
    const deadline = vm.startedAtMs + config.bootTimeoutSeconds * 1000;
    let last = 'no SSH banner yet';
    for (;;) {
        if (!isSupervisor(vm.pid, dir)) {
            const log = fs.existsSync(path.join(dir, 'qemu.log')) ? fs.readFileSync(path.join(dir, 'qemu.log'), 'utf8') : '';
            throw new Error(`the rehearsal VM ended before SSH answered: ${log.slice(-1500).trim()}`);
        }
        if (await (0, ssh_banner_1.readSshBanner)(vm.port, 4000)) {
            try {
                const s = await (0, connect_1.connectTo)(target, { connectTimeoutMs: 20_000 });
                s.close();
                return;
            }
            catch (err) {
                last = err.message;
            }
        }
        ctx.heartbeat({ waitingFor: 'ssh', seconds: Math.round((Date.now() - vm.startedAtMs) / 1000), last });
        if (Date.now() > deadline) {
            throw new Error(`the rehearsal VM did not answer SSH within ${config.bootTimeoutSeconds} s (${last})`);
        }
        await sleep(2000);
    }
}
/** Starts (or finds running) the VM of a rehearsal and waits until SSH answers. */
async function startRehearsalVm(config, req) {
    const image = loadRehearsalImage(config.imageDir);
    const dir = rehearsalDir(config, req.rehearsalId);
    const found = readState(dir);
    const reattached = found !== null && isSupervisor(found.pid, dir);
    const vm = reattached ? found : await launch(config, image, dir);
    const target = {
        host: `rehearsal-${req.rehearsalId}`,
        address: '127.0.0.1',
        port: vm.port,
        user: 'root',
        privateKeyPath: image.privateKeyPath,
        knownHostsPath: path.join(dir, 'known_hosts'),
        trustOnFirstUse: false,
    };
    try {
        await waitForSsh(config, dir, vm, target);
    }
    catch (err) {
        stopSupervisor(dir);
        throw err;
    }
    return {
        target,
        qmpSocket: path.join(dir, 'qmp.sock'),
        serialLogPath: path.join(dir, 'serial.log'),
        bootSeconds: reattached ? 0 : Math.round((Date.now() - vm.startedAtMs) / 1000),
        reattached,
    };
}
/** Ends the VM's process group (supervisor and qemu); idempotent. */
function stopSupervisor(dir) {
    const vm = readState(dir);
    fs.writeFileSync(path.join(dir, 'stop'), '');
    if (vm && isSupervisor(vm.pid, dir)) {
        try {
            process.kill(-vm.pid, 'SIGTERM');
        }
        catch {
            /* gone meanwhile */
        }
    }
}
/** Waits (up to 20 s) until the VM's processes are gone, then SIGKILLs what is left. */
async function awaitStopped(dir) {
    const vm = readState(dir);
    if (!vm)
        return;
    for (let i = 0; i < 40 && isSupervisor(vm.pid, dir); i++)
        await sleep(500);
    if (isSupervisor(vm.pid, dir)) {
        try {
            process.kill(-vm.pid, 'SIGKILL');
        }
        catch {
            /* gone */
        }
    }
}
//# sourceMappingURL=vm.js.map