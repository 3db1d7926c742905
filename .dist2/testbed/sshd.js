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
exports.SETUP_HINT = exports.SSHD_BIN = void 0;
exports.generateKeyPair = generateKeyPair;
exports.sshKeygenFingerprint = sshKeygenFingerprint;
exports.probeBanner = probeBanner;
exports.waitForExit = waitForExit;
exports.killByPid = killByPid;
exports.startSshAgent = startSshAgent;
exports.requireLocalUser = requireLocalUser;
exports.startSshd = startSshd;
exports.sshdTarget = sshdTarget;
/**
 * Test harness: a real OpenSSH sshd on 127.0.0.1 (or another loopback address, e.g. 127.0.0.2
 * for a host behind a bastion) with its own host key and client key pair, plus an ssh-agent
 * helper. Every process started here is tracked by PID and killed by PID.
 */
const node_child_process_1 = require("node:child_process");
const node_fs_1 = require("node:fs");
const net = __importStar(require("node:net"));
const os = __importStar(require("node:os"));
const path = __importStar(require("node:path"));
const node_util_1 = require("node:util");
const free_port_1 = require("../src/node/free-port");
const execFileP = (0, node_util_1.promisify)(node_child_process_1.execFile);
exports.SSHD_BIN = '/usr/sbin/sshd';
exports.SETUP_HINT = 'run `bash scripts/setup-test-host.sh` as root to prepare this machine';
async function generateKeyPair(dir, name, comment = name) {
    const privateKeyPath = path.join(dir, name);
    await execFileP('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', privateKeyPath]);
    const publicKeyPath = `${privateKeyPath}.pub`;
    const publicKey = (await node_fs_1.promises.readFile(publicKeyPath, 'utf8')).trim();
    const b64 = publicKey.split(/\s+/)[1];
    if (b64 === undefined)
        throw new Error(`unexpected public key format in ${publicKeyPath}`);
    return { privateKeyPath, publicKeyPath, publicKey, keyBlob: Buffer.from(b64, 'base64') };
}
/** `ssh-keygen -lf` → `SHA256:...` */
async function sshKeygenFingerprint(publicKeyPath) {
    const { stdout } = await execFileP('ssh-keygen', ['-l', '-E', 'sha256', '-f', publicKeyPath]);
    const fp = stdout.split(/\s+/)[1];
    if (fp === undefined || !fp.startsWith('SHA256:'))
        throw new Error(`unexpected ssh-keygen -l output: ${stdout}`);
    return fp;
}
/** One attempt: does the port accept a TCP connection and send an `SSH-2.0-` banner? */
function probeBanner(address, port, timeoutMs) {
    return new Promise((resolve) => {
        const sock = net.connect({ host: address, port });
        let buf = '';
        const done = (ok) => {
            clearTimeout(timer);
            sock.destroy();
            resolve(ok);
        };
        const timer = setTimeout(() => done(false), timeoutMs);
        sock.on('data', (d) => {
            buf += d.toString('latin1');
            if (buf.includes('\n'))
                done(buf.startsWith('SSH-2.0-'));
        });
        sock.on('error', () => done(false));
        sock.on('close', () => done(false));
    });
}
function waitForExit(child, timeoutMs) {
    if (child.exitCode !== null || child.signalCode !== null)
        return Promise.resolve(true);
    return new Promise((resolve) => {
        const timer = setTimeout(() => resolve(false), timeoutMs);
        child.once('exit', () => {
            clearTimeout(timer);
            resolve(true);
        });
    });
}
async function killByPid(child) {
    const pid = child.pid;
    if (pid === undefined || child.exitCode !== null || child.signalCode !== null)
        return;
    try {
        process.kill(pid, 'SIGTERM');
    }
    catch {
        return;
    }
    if (!(await waitForExit(child, 5000))) {
        try {
            process.kill(pid, 'SIGKILL');
        }
        catch {
            /* already gone */
        }
        await waitForExit(child, 5000);
    }
}
/** Start an ssh-agent (foreground, by PID) with a socket in `dir`, and add `keyPath` to it. */
async function startSshAgent(dir, keyPath) {
    const socket = path.join(dir, `agent.${process.pid}.${Math.random().toString(36).slice(2, 8)}.sock`);
    const child = (0, node_child_process_1.spawn)('ssh-agent', ['-D', '-a', socket], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (d) => (stderr += d.toString()));
    const stop = async () => {
        await killByPid(child);
        await node_fs_1.promises.rm(socket, { force: true });
    };
    const deadline = Date.now() + 10_000;
    for (;;) {
        if (child.exitCode !== null)
            throw new Error(`ssh-agent exited early (${child.exitCode}): ${stderr}`);
        try {
            await node_fs_1.promises.stat(socket);
            break;
        }
        catch {
            /* not yet */
        }
        if (Date.now() > deadline) {
            await stop();
            throw new Error(`ssh-agent did not create ${socket} in time: ${stderr}`);
        }
        await new Promise((r) => setTimeout(r, 25));
    }
    try {
        await execFileP('ssh-add', ['-q', keyPath], { env: { ...process.env, SSH_AUTH_SOCK: socket } });
    }
    catch (e) {
        await stop();
        throw e;
    }
    if (child.pid === undefined)
        throw new Error('ssh-agent has no pid');
    return { socket, pid: child.pid, stop };
}
/** Check that the user exists on this machine; throws a message pointing at the setup script. */
async function requireLocalUser(user) {
    try {
        await execFileP('id', ['-u', user]);
    }
    catch {
        throw new Error(`test user ${JSON.stringify(user)} does not exist on this machine: ${exports.SETUP_HINT}`);
    }
}
async function startSshd(opts = {}) {
    try {
        await node_fs_1.promises.access(exports.SSHD_BIN);
    }
    catch {
        throw new Error(`${exports.SSHD_BIN} not found: ${exports.SETUP_HINT}`);
    }
    // sshd's privilege separation directory.
    await node_fs_1.promises.mkdir('/run/sshd', { recursive: true, mode: 0o755 });
    const dir = await node_fs_1.promises.mkdtemp(path.join(os.tmpdir(), 'kr-sshd-'));
    // sshd reads AuthorizedKeysFile as the target user: let non-root users in.
    await node_fs_1.promises.chmod(dir, 0o755);
    try {
        const hostKey = await generateKeyPair(dir, 'ssh_host_ed25519_key', 'kr-test-host');
        const clientKey = await generateKeyPair(dir, 'client_ed25519', 'kr-test-client');
        const authorizedKeysPath = path.join(dir, 'authorized_keys');
        await node_fs_1.promises.writeFile(authorizedKeysPath, clientKey.publicKey + '\n', { mode: 0o644 });
        await node_fs_1.promises.chmod(authorizedKeysPath, 0o644);
        const hostFingerprint = await sshKeygenFingerprint(hostKey.publicKeyPath);
        const attempts = opts.port !== undefined ? 1 : 3;
        let lastErr;
        for (let attempt = 0; attempt < attempts; attempt++) {
            const port = opts.port ?? (await (0, free_port_1.freePort)(opts.listenAddress ?? '127.0.0.1'));
            try {
                return await launch(dir, port, hostKey, clientKey, hostFingerprint, authorizedKeysPath, opts);
            }
            catch (e) {
                lastErr = e;
            }
        }
        throw lastErr ?? new Error('sshd did not start');
    }
    catch (e) {
        await node_fs_1.promises.rm(dir, { recursive: true, force: true });
        throw e;
    }
}
async function launch(dir, port, hostKey, clientKey, hostFingerprint, authorizedKeysPath, opts) {
    const address = opts.listenAddress ?? '127.0.0.1';
    const configPath = path.join(dir, `sshd_config.${port}`);
    const pidFile = path.join(dir, `sshd.${port}.pid`);
    await node_fs_1.promises.writeFile(configPath, sshdConfig(address, port, hostKey, pidFile, authorizedKeysPath, opts), {
        mode: 0o644,
    });
    const sshd = spawnSshd(configPath);
    const child = sshd.child;
    await awaitBanner(sshd, address, port, opts.readyTimeoutMs ?? 10_000);
    if (child.pid === undefined)
        throw new Error('sshd has no pid');
    const knownHostsPath = path.join(dir, 'known_hosts');
    await node_fs_1.promises.writeFile(knownHostsPath, `[${address}]:${port} ${hostKey.publicKey.split(/\s+/).slice(0, 2).join(' ')}\n`, {
        mode: 0o600,
    });
    const agents = [];
    let stopped = false;
    return {
        address,
        port,
        hostPublicKey: hostKey.publicKey.split(/\s+/).slice(0, 2).join(' '),
        hostKeyBlob: hostKey.keyBlob,
        hostFingerprint,
        hostPublicKeyPath: hostKey.publicKeyPath,
        clientKeyPath: clientKey.privateKeyPath,
        clientPublicKeyPath: clientKey.publicKeyPath,
        knownHostsPath,
        dir,
        pid: child.pid,
        logs: sshd.logs,
        startAgent: async () => {
            const a = await startSshAgent(dir, clientKey.privateKeyPath);
            agents.push(a);
            return a;
        },
        stop: async () => {
            if (stopped)
                return;
            stopped = true;
            for (const a of agents)
                await a.stop();
            // Only the listener we started; per-connection children exit when their clients disconnect.
            await killByPid(child);
            await node_fs_1.promises.rm(dir, { recursive: true, force: true });
        },
    };
}
/** The test sshd's configuration: key-only logins on one address and port, as StartSshdOptions say. */
function sshdConfig(address, port, hostKey, pidFile, authorizedKeysPath, opts) {
    return [
        `Port ${port}`,
        `ListenAddress ${address}`,
        `HostKey ${hostKey.privateKeyPath}`,
        `PidFile ${pidFile}`,
        `AuthorizedKeysFile ${authorizedKeysPath}`,
        'StrictModes no',
        'UsePAM no',
        'PubkeyAuthentication yes',
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'PermitRootLogin prohibit-password',
        'UseDNS no',
        'PrintMotd no',
        `LogLevel ${opts.logLevel ?? 'VERBOSE'}`,
        'MaxStartups 64',
        'MaxSessions 64',
        'Subsystem sftp internal-sftp',
        ...(opts.users !== undefined && opts.users.length > 0 ? [`AllowUsers ${opts.users.join(' ')}`] : []),
        ...(opts.allowTcpForwarding !== undefined ? [`AllowTcpForwarding ${opts.allowTcpForwarding ? 'yes' : 'no'}`] : []),
        '',
    ].join('\n');
}
function spawnSshd(configPath) {
    const child = (0, node_child_process_1.spawn)(exports.SSHD_BIN, ['-D', '-e', '-f', configPath], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (d) => {
        stderr += d.toString();
        if (stderr.length > 1_000_000)
            stderr = stderr.slice(-500_000);
    });
    const exited = new Promise((resolve) => child.once('exit', () => resolve()));
    child.on('error', () => undefined);
    return { child, logs: () => stderr, exited };
}
/** Waits until the sshd answers with its banner; kills it and throws with its log when it does not in time. */
async function awaitBanner(sshd, address, port, timeoutMs) {
    const { child } = sshd;
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
        if (child.exitCode !== null || child.signalCode !== null)
            break;
        if (await probeBanner(address, port, 1000))
            return;
        await Promise.race([new Promise((r) => setTimeout(r, 50)), sshd.exited]);
    }
    await killByPid(child);
    throw new Error(`sshd on ${address} port ${port} did not become ready (exit ${child.exitCode ?? child.signalCode}): ${sshd.logs()}`);
}
/** This sshd as kernel-rollout's input names a host: its address, port, client key and known_hosts. */
function sshdTarget(sshd, host, user = 'root') {
    return {
        host,
        address: sshd.address,
        port: sshd.port,
        user,
        privateKeyPath: sshd.clientKeyPath,
        knownHostsPath: sshd.knownHostsPath,
        trustOnFirstUse: false,
    };
}
//# sourceMappingURL=sshd.js.map