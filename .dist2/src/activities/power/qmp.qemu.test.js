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
 * The `qmp` power driver against a real qemu: `-M none` (no guest, no firmware) answers QMP like
 * any VM. qemu gets two monitors: the driver's socket, and one for this test, which watches the
 * events (RESET, STOP, RESUME) and the run state before and after.
 */
const strict_1 = __importDefault(require("node:assert/strict"));
const node_child_process_1 = require("node:child_process");
const node_fs_1 = require("node:fs");
const node_net_1 = require("node:net");
const os = __importStar(require("node:os"));
const path = __importStar(require("node:path"));
const node_test_1 = require("node:test");
const schemas_1 = require("../../shared/schemas");
const driver_1 = require("./driver");
const QEMU = 'qemu-system-x86_64';
/** The test's own monitor: keeps the connection, records every event, runs one command at a time. */
class QmpWatcher {
    sock;
    events = [];
    buffer = '';
    waiting = null;
    eventListeners = [];
    constructor(sock) {
        this.sock = sock;
        sock.on('data', (chunk) => {
            this.buffer += chunk.toString();
            let nl;
            while ((nl = this.buffer.indexOf('\n')) >= 0) {
                const line = this.buffer.slice(0, nl).trim();
                this.buffer = this.buffer.slice(nl + 1);
                if (!line)
                    continue;
                const msg = JSON.parse(line);
                if (msg.event) {
                    this.events.push(msg);
                    for (const l of this.eventListeners)
                        l();
                }
                else if (!msg.QMP) {
                    const w = this.waiting;
                    this.waiting = null;
                    w?.(msg);
                }
            }
        });
    }
    static async connect(socketPath) {
        const sock = (0, node_net_1.createConnection)(socketPath);
        await new Promise((resolve, reject) => sock.once('connect', resolve).once('error', reject));
        const w = new QmpWatcher(sock);
        await w.execute('qmp_capabilities');
        return w;
    }
    execute(command) {
        return new Promise((resolve, reject) => {
            this.waiting = (m) => (m.error ? reject(new Error(`${command}: ${m.error.desc}`)) : resolve(m.return));
            this.sock.write(`${JSON.stringify({ execute: command })}\n`);
        });
    }
    async status() {
        return (await this.execute('query-status')).status;
    }
    /** Resolves once `count` events have arrived since `from` (an index into `events`). */
    waitForEvents(from, count, withinMs = 10_000) {
        return new Promise((resolve, reject) => {
            const check = () => {
                if (this.events.length - from < count)
                    return;
                clearTimeout(timer);
                this.eventListeners = this.eventListeners.filter((l) => l !== check);
                resolve(this.events.slice(from, from + count).map((e) => e.event));
            };
            const timer = setTimeout(() => reject(new Error(`expected ${count} QMP events, got ${JSON.stringify(this.events.slice(from))}`)), withinMs);
            this.eventListeners.push(check);
            check();
        });
    }
    close() {
        this.sock.destroy();
    }
}
(0, node_test_1.describe)('qmp power driver (real qemu)', () => {
    let dir;
    let qemu;
    let qemuLog = '';
    let driverSocket;
    let watcher;
    (0, node_test_1.before)(async () => {
        dir = (0, node_fs_1.mkdtempSync)(path.join(os.tmpdir(), 'kr-qmp-'));
        driverSocket = path.join(dir, 'vm.qmp');
        const watchSocket = path.join(dir, 'watch.qmp');
        qemu = (0, node_child_process_1.spawn)(QEMU, [
            ...['-M', 'none', '-nodefaults', '-display', 'none', '-S'],
            ...['-qmp', `unix:${driverSocket},server=on,wait=off`],
            ...['-qmp', `unix:${watchSocket},server=on,wait=off`],
        ], { stdio: ['ignore', 'ignore', 'pipe'] });
        qemu.stderr?.on('data', (d) => (qemuLog += d.toString()));
        const spawnError = new Promise((_, reject) => qemu.once('error', (err) => reject(new Error(`${QEMU} could not start (${err.message}): apt-get install -y qemu-system-x86`))));
        // qemu creates both sockets before it reads commands; wait until the watcher's connects.
        const deadline = Date.now() + 15_000;
        const connected = (async () => {
            for (;;) {
                if (qemu.exitCode !== null)
                    throw new Error(`${QEMU} exited ${qemu.exitCode}: ${qemuLog}`);
                if ((0, node_fs_1.existsSync)(watchSocket)) {
                    try {
                        return await QmpWatcher.connect(watchSocket);
                    }
                    catch {
                        /* created but not listening yet */
                    }
                }
                if (Date.now() > deadline)
                    throw new Error(`${QEMU} made no QMP socket in 15 s: ${qemuLog}`);
                await new Promise((r) => setTimeout(r, 50));
            }
        })();
        watcher = await Promise.race([connected, spawnError]);
        await watcher.execute('cont'); // from prelaunch (-S) to running, like a booted guest
        strict_1.default.equal(await watcher.status(), 'running');
    });
    (0, node_test_1.after)(() => {
        watcher?.close();
        const running = qemu?.pid !== undefined && qemu.exitCode === null && qemu.signalCode === null;
        if (running)
            process.kill(qemu.pid, 'SIGKILL');
        if (dir)
            (0, node_fs_1.rmSync)(dir, { recursive: true, force: true });
    });
    const driver = (action) => (0, driver_1.createPowerDriver)(schemas_1.powerConfigSchema.parse({ driver: 'qmp', socketPath: driverSocket, ...(action ? { action } : {}) }));
    (0, node_test_1.it)('reset (the default) sends system_reset: one RESET from the host, the guest keeps running', async () => {
        const from = watcher.events.length;
        const result = await driver().powerCycle('vm-1');
        strict_1.default.deepEqual(result, { performed: true, message: `vm-1: system_reset sent through QMP ${driverSocket}` });
        strict_1.default.deepEqual(await watcher.waitForEvents(from, 1), ['RESET']);
        strict_1.default.equal(watcher.events[from]?.data?.['reason'], 'host-qmp-system-reset');
        strict_1.default.equal(await watcher.status(), 'running');
    });
    (0, node_test_1.it)('power-cycle stops the CPUs, resets and resumes: STOP, RESET, RESUME, then running', async () => {
        const from = watcher.events.length;
        const result = await driver('power-cycle').powerCycle('vm-1');
        strict_1.default.deepEqual(result, {
            performed: true,
            message: `vm-1: stop + system_reset + cont sent through QMP ${driverSocket}`,
        });
        strict_1.default.deepEqual(await watcher.waitForEvents(from, 3), ['STOP', 'RESET', 'RESUME']);
        strict_1.default.equal(await watcher.status(), 'running');
    });
    (0, node_test_1.it)('power-cycle also starts a guest that was stopped', async () => {
        await watcher.execute('stop');
        strict_1.default.equal(await watcher.status(), 'paused');
        await driver('power-cycle').powerCycle('vm-1');
        strict_1.default.equal(await watcher.status(), 'running');
    });
    (0, node_test_1.it)('fails with what to check when the socket does not exist', async () => {
        const missing = path.join(dir, 'no-such-vm.qmp');
        const power = (0, driver_1.createPowerDriver)(schemas_1.powerConfigSchema.parse({ driver: 'qmp', socketPath: missing }));
        await strict_1.default.rejects(power.powerCycle('vm-1'), {
            message: `vm-1: power reset through QMP failed: QMP ${missing}: connect ENOENT ${missing}; there is no such socket: ` +
                'is the VM running, and is power.socketPath the path of its -qmp unix: option?',
        });
    });
    // Last: it ends qemu the way a crash would, leaving its socket file behind.
    (0, node_test_1.it)('fails with what to check when the VM behind the socket has gone', async () => {
        const exited = new Promise((resolve) => qemu.once('exit', resolve));
        process.kill(qemu.pid, 'SIGKILL');
        await exited;
        strict_1.default.ok((0, node_fs_1.existsSync)(driverSocket), 'a killed qemu leaves its socket file');
        await strict_1.default.rejects(driver().powerCycle('vm-1'), {
            message: `vm-1: power reset through QMP failed: QMP ${driverSocket}: connect ECONNREFUSED ${driverSocket}; ` +
                'nothing listens on the socket: the VM has probably exited',
        });
    });
    (0, node_test_1.it)('refuses a relative or unsafe socket path and an unknown action', () => {
        for (const bad of [
            { driver: 'qmp', socketPath: 'vm.qmp' },
            { driver: 'qmp', socketPath: '/run/../etc/vm.qmp' },
            { driver: 'qmp', socketPath: '/run/vm.qmp', action: 'power-off' },
        ]) {
            strict_1.default.equal(schemas_1.powerConfigSchema.safeParse(bad).success, false, JSON.stringify(bad));
        }
    });
});
//# sourceMappingURL=qmp.qemu.test.js.map