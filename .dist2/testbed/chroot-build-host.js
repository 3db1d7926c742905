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
exports.startChrootBuildHost = startChrootBuildHost;
/**
 * Test harness: a fresh build host that nothing but scripts/setup-build-host.sh prepared. A
 * minimal Debian 12 root (debootstrap minbase with openssh-server, made once per machine by
 * ./build-host-root.sh and cached as a tarball) is unpacked anew for each run, the setup script
 * runs in it (chroot, with /proc, /sys, /dev and a /run of its own mounted), and its own sshd
 * serves it on a loopback port, under `nice -n 19` so that what it runs (the compile) yields the
 * CPU, with a host key made here (its fingerprint is what the test pins) and a client key
 * authorized for root.
 *
 * stop() ends the sshd by PID, then every process still running inside this root (a detached
 * make of a build that did not end) by PID, unmounts, and removes the root. A run killed before
 * its stop() is swept by the next start: roots whose owner process is gone are taken down the
 * same way. Needs root (debootstrap, chroot, mount).
 */
const node_child_process_1 = require("node:child_process");
const node_fs_1 = require("node:fs");
const os = __importStar(require("node:os"));
const path = __importStar(require("node:path"));
const node_util_1 = require("node:util");
const free_port_1 = require("../src/node/free-port");
const sshd_1 = require("./sshd");
const execFileP = (0, node_util_1.promisify)(node_child_process_1.execFile);
const PREFIX = 'kr-bhost-';
const OWNER = 'owner.pid';
/** Mounts at or under `dir`, deepest first (the order to unmount them in). */
function mountsUnder(dir) {
    return (0, node_fs_1.readFileSync)('/proc/self/mounts', 'utf8')
        .split('\n')
        .map((l) => (l.split(' ')[1] ?? '').replace(/\\040/g, ' '))
        .filter((m) => m === dir || m.startsWith(`${dir}/`))
        .sort((a, b) => b.length - a.length);
}
/** PIDs of the processes whose root directory is `root` (they run inside the chroot). */
function processesIn(root) {
    const pids = [];
    for (const e of (0, node_fs_1.readdirSync)('/proc')) {
        if (!/^\d+$/.test(e))
            continue;
        try {
            if ((0, node_fs_1.readlinkSync)(`/proc/${e}/root`) === root)
                pids.push(Number(e));
        }
        catch {
            /* gone, or not ours to read */
        }
    }
    return pids;
}
const alive = (pid) => {
    try {
        process.kill(pid, 0);
        return true;
    }
    catch {
        return false;
    }
};
/** Kills every process inside `root` by PID, unmounts what is mounted under it, removes `dir`. */
async function takeDown(dir, root, log) {
    for (let round = 0; round < 20; round++) {
        const pids = processesIn(root);
        if (pids.length === 0)
            break;
        if (round === 0)
            log(`killing ${pids.length} process(es) left in ${root}: ${pids.join(' ')}`);
        for (const pid of pids) {
            try {
                process.kill(pid, 'SIGKILL');
            }
            catch {
                /* gone */
            }
        }
        await new Promise((r) => setTimeout(r, 250));
    }
    for (const m of mountsUnder(root)) {
        await execFileP('umount', [m]).catch(() => execFileP('umount', ['-l', m]));
    }
    const left = mountsUnder(root);
    // Never remove through a mount (/dev is bound in): refuse rather than delete the machine's files.
    if (left.length > 0)
        throw new Error(`chroot build host: still mounted, ${dir} left in place: ${left.join(', ')}`);
    await execFileP('rm', ['-rf', '--one-file-system', dir]);
}
/** Takes down the roots of earlier runs whose owner process is gone (a run killed before its stop()). */
async function sweep(log) {
    for (const e of (0, node_fs_1.readdirSync)(os.tmpdir())) {
        if (!e.startsWith(PREFIX))
            continue;
        const dir = path.join(os.tmpdir(), e);
        const owner = Number((0, node_fs_1.existsSync)(path.join(dir, OWNER)) ? (0, node_fs_1.readFileSync)(path.join(dir, OWNER), 'utf8') : NaN);
        if (Number.isInteger(owner) && alive(owner))
            continue;
        log(`taking down ${dir}, left by an earlier run`);
        await takeDown(dir, path.join(dir, 'root'), log);
    }
}
/** Runs `cmd args`, resolving with its output; rejects with its exit code and output tail. */
function run(cmd, args, log) {
    return new Promise((resolve, reject) => {
        const child = (0, node_child_process_1.spawn)(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        const take = (b) => {
            out += b.toString();
            // dpkg's progress ("(Reading database ... 45%") is carriage-return noise: not logged.
            for (const l of b.toString().split(/[\r\n]/))
                if (l.trim() && !l.startsWith('(Reading database'))
                    log(`  ${l}`);
        };
        child.stdout.on('data', take);
        child.stderr.on('data', take);
        child.on('error', reject);
        child.on('exit', (code, signal) => code === 0
            ? resolve(out)
            : reject(new Error(`${cmd} ${args.join(' ')}: exit ${String(code ?? signal)}: ${out.trim().slice(-2000)}`)));
    });
}
/** Makes the pristine root's tarball (./build-host-root.sh) if missing: the seconds it took, or null. */
async function ensureTarball(tarball, log) {
    if ((0, node_fs_1.existsSync)(tarball))
        return null;
    log(`making ${tarball} (debootstrap, once per machine)`);
    const t0 = Date.now();
    // Beside this file in the tree; from dist/testbed, two levels up.
    const script = [__dirname, path.join(__dirname, '..', '..', 'testbed')]
        .map((d) => path.join(d, 'build-host-root.sh'))
        .find((f) => (0, node_fs_1.existsSync)(f));
    if (!script)
        throw new Error(`chroot build host: build-host-root.sh not found from ${__dirname}`);
    await run('bash', [script, tarball], log);
    return Math.round((Date.now() - t0) / 1000);
}
/**
 * The root's own sshd on a loopback port, under `nice -n 19 chroot` (both exec it: the PID is
 * sshd's): a host key made here, a client key (in `dir`, outside the root) authorized for root.
 * `track` receives the process as soon as it is spawned, so a failed start is still stopped.
 */
async function startRootSshd(root, dir, track) {
    await node_fs_1.promises.mkdir(path.join(root, 'run', 'sshd'), { mode: 0o755 });
    const hostKey = path.join(root, 'etc', 'ssh', 'ssh_host_ed25519_key');
    await execFileP('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'kr-build-host', '-f', hostKey]);
    const hostFingerprint = await (0, sshd_1.sshKeygenFingerprint)(`${hostKey}.pub`);
    const client = await (0, sshd_1.generateKeyPair)(dir, 'client');
    await node_fs_1.promises.mkdir(path.join(root, 'root', '.ssh'), { mode: 0o700 });
    await node_fs_1.promises.writeFile(path.join(root, 'root', '.ssh', 'authorized_keys'), `${client.publicKey}\n`, { mode: 0o600 });
    const address = '127.0.0.1';
    const port = await (0, free_port_1.freePort)(address);
    const sshdLog = path.join(dir, 'sshd.log');
    const options = [
        `Port=${port}`,
        `ListenAddress=${address}`,
        'HostKey=/etc/ssh/ssh_host_ed25519_key',
        'PermitRootLogin=prohibit-password',
        'PasswordAuthentication=no',
        'KbdInteractiveAuthentication=no',
        'UsePAM=no',
        'LogLevel=VERBOSE',
    ];
    const child = (0, node_child_process_1.spawn)('nice', ['-n', '19', 'chroot', root, '/usr/sbin/sshd', '-D', '-e', ...options.flatMap((o) => ['-o', o])], {
        stdio: ['ignore', 'ignore', 'pipe'],
    });
    track(child);
    child.stderr?.on('data', (b) => void node_fs_1.promises.appendFile(sshdLog, b));
    const deadline = Date.now() + 30_000;
    while (!(await (0, sshd_1.probeBanner)(address, port, 1000))) {
        if (child.exitCode !== null || Date.now() > deadline) {
            const why = (0, node_fs_1.existsSync)(sshdLog) ? (0, node_fs_1.readFileSync)(sshdLog, 'utf8').slice(-1000) : '';
            throw new Error(`chroot build host: sshd did not answer on ${address}:${port}: ${why}`);
        }
        await new Promise((r) => setTimeout(r, 200));
    }
    return { address, port, pid: child.pid, hostFingerprint, clientKeyPath: client.privateKeyPath };
}
async function startChrootBuildHost(opts) {
    const log = (line) => opts.log?.(`[build host] ${line}`);
    if (process.getuid?.() !== 0)
        throw new Error('chroot build host: needs root (debootstrap, chroot, mount)');
    await sweep(log);
    const debootstrapSeconds = await ensureTarball(opts.tarball, log);
    const dir = await node_fs_1.promises.mkdtemp(path.join(os.tmpdir(), PREFIX));
    const root = path.join(dir, 'root');
    await node_fs_1.promises.writeFile(path.join(dir, OWNER), String(process.pid));
    let sshd;
    const stop = async () => {
        if (sshd)
            await (0, sshd_1.killByPid)(sshd);
        await takeDown(dir, root, log);
    };
    try {
        await node_fs_1.promises.mkdir(root);
        await run('tar', ['--zstd', '-xpf', opts.tarball, '-C', root, '--numeric-owner'], log);
        const mounts = [
            ['proc', ['-t', 'proc', 'proc']],
            ['sys', ['-t', 'sysfs', 'sysfs']],
            ['dev', ['--bind', '/dev']],
            ['dev/pts', ['--bind', '/dev/pts']],
            ['run', ['-t', 'tmpfs', 'tmpfs']],
        ];
        for (const [at, how] of mounts)
            await execFileP('mount', [...how, path.join(root, at)]);
        // The only step that prepares it: the project's setup script, as an operator runs it.
        await node_fs_1.promises.copyFile(opts.setupScript, path.join(root, 'root', 'setup-build-host.sh'));
        log('bash scripts/setup-build-host.sh in the fresh root');
        const t1 = Date.now();
        const setupOutput = await run('chroot', [root, 'bash', '/root/setup-build-host.sh'], log);
        const setupSeconds = Math.round((Date.now() - t1) / 1000);
        const served = await startRootSshd(root, dir, (c) => (sshd = c));
        log(`sshd ${served.pid} on ${served.address}:${served.port} (nice 19), host key ${served.hostFingerprint}`);
        return { root, ...served, debootstrapSeconds, setupSeconds, setupOutput, stop };
    }
    catch (err) {
        await stop().catch((e) => log(`teardown after the failure failed: ${e.message}`));
        throw err;
    }
}
//# sourceMappingURL=chroot-build-host.js.map