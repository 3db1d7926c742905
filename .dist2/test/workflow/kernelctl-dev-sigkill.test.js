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
 * `kernelctl dev` SIGKILLed: its Temporal server dies with it (parent-death signal), and a server
 * an earlier kernelctl dev left running on the same state dir (one started without that signal,
 * as older versions did: simulated by starting the Temporal CLI directly and writing the pid
 * file) is stopped by the next `kernelctl dev`, which says so and prints the PID of the server it
 * really runs. Real kernelctl processes, a real Temporal CLI, real signals.
 */
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const node_child_process_1 = require("node:child_process");
const node_fs_1 = require("node:fs");
const node_os_1 = require("node:os");
const path = __importStar(require("node:path"));
const temporal_server_1 = require("../../src/dev/temporal-server");
const free_port_1 = require("../../src/node/free-port");
const process_alive_1 = require("../../src/node/process-alive");
const kernelctl = path.join(__dirname, '..', '..', '..', 'bin', 'kernelctl.js');
const READY = /Ctrl-C stops both\.\n/;
async function until(what, cond, deadlineMs) {
    while (!cond()) {
        if (Date.now() > deadlineMs)
            throw new Error(`timed out waiting until ${what}`);
        await new Promise((r) => setTimeout(r, 100));
    }
}
async function startDev(state, port) {
    const child = (0, node_child_process_1.spawn)(process.execPath, [kernelctl, 'dev', '--state-dir', state, '--port', String(port), '--ui-port', String(await (0, free_port_1.freePort)())], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr?.setEncoding('utf8').on('data', (d) => (stderr += d));
    const exited = new Promise((r) => child.on('exit', r));
    let ended = false;
    void exited.then(() => (ended = true));
    await until('kernelctl dev is ready', () => READY.test(stdout) || ended, Date.now() + 180_000);
    if (ended)
        throw new Error(`kernelctl dev exited:\n${stdout}\n${stderr}`);
    return {
        child,
        stdout: () => stdout,
        stderr: () => stderr,
        exited,
        serverPid: Number(/\(pid (\d+),/.exec(stdout)?.[1]),
    };
}
(0, node_test_1.test)('kernelctl dev SIGKILLed: no server left behind; a leftover is stopped and named', { timeout: 600_000 }, async () => {
    const state = (0, node_fs_1.mkdtempSync)(path.join((0, node_os_1.tmpdir)(), 'kr-dev-kill-'));
    const port = await (0, free_port_1.freePort)();
    const started = [];
    const servers = [];
    try {
        const first = await startDev(state, port);
        started.push(first.child);
        servers.push(first.serverPid);
        strict_1.default.ok((0, process_alive_1.processAlive)(first.serverPid), 'the first server runs');
        first.child.kill('SIGKILL');
        await first.exited;
        await until('the first server is gone with its kernelctl', () => !(0, process_alive_1.processAlive)(first.serverPid), Date.now() + 30_000);
        // What a SIGKILLed kernelctl dev of an older version left: a server on the state dir's database.
        const leftover = (0, node_child_process_1.spawn)((0, temporal_server_1.findTemporalBinary)(), [
            'server',
            'start-dev',
            '--ip',
            '127.0.0.1',
            '--port',
            String(port),
            '--headless',
            '--log-level',
            'error',
            '--db-filename',
            path.join(state, 'temporal.sqlite'),
            '--metrics-port',
            String(await (0, free_port_1.freePort)()),
            '--http-port',
            String(await (0, free_port_1.freePort)()),
        ], { stdio: 'ignore' });
        started.push(leftover);
        const leftoverPid = leftover.pid;
        (0, node_fs_1.writeFileSync)(path.join(state, 'temporal.pid'), `${leftoverPid}\n${path.join(state, 'temporal.sqlite')}\n`);
        const second = await startDev(state, port);
        started.push(second.child);
        strict_1.default.match(second.stderr(), new RegExp(`^kernelctl dev: stopped the Temporal dev server \\(pid ${leftoverPid}\\) an earlier kernelctl dev left running`, 'm'));
        strict_1.default.equal((0, process_alive_1.processAlive)(leftoverPid), false, 'the leftover server was stopped');
        strict_1.default.notEqual(second.serverPid, leftoverPid);
        strict_1.default.ok((0, process_alive_1.processAlive)(second.serverPid), 'the PID printed is the server that runs');
        second.child.kill('SIGINT');
        strict_1.default.equal(await second.exited, 0);
        strict_1.default.equal((0, process_alive_1.processAlive)(second.serverPid), false);
    }
    finally {
        for (const c of started)
            if (c.exitCode === null && c.signalCode === null)
                c.kill('SIGKILL');
        // A server this test's kernelctl left (when the code under test is broken): not left running.
        for (const pid of servers)
            if ((0, process_alive_1.processAlive)(pid))
                process.kill(pid, 'SIGKILL');
        (0, node_fs_1.rmSync)(state, { recursive: true, force: true });
    }
});
//# sourceMappingURL=kernelctl-dev-sigkill.test.js.map