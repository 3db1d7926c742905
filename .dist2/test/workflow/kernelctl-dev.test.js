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
 * `kernelctl dev` as a newcomer starts it: the real CLI (a child process) with a temporary state
 * dir and free ports starts the Temporal CLI's dev server and a worker. Once it has printed its
 * addresses and its worker polls the task queue (asked of the server), the terminal holds those
 * three lines and nothing else: not the ~20 lines of bundler statistics the worker logs at INFO.
 * Ctrl-C (SIGINT to its PID) stops the worker and the server.
 */
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const node_child_process_1 = require("node:child_process");
const node_fs_1 = require("node:fs");
const node_os_1 = require("node:os");
const path = __importStar(require("node:path"));
const client_1 = require("@temporalio/client");
const proto_1 = require("@temporalio/proto");
const free_port_1 = require("../../src/node/free-port");
const process_alive_1 = require("../../src/node/process-alive");
const kernelctl = path.join(__dirname, '..', '..', '..', 'bin', 'kernelctl.js');
const READY = /Ctrl-C stops both\.\n/;
/** Until the dev server reports a poller on kernelctl's default task queue (the worker runs). */
async function workerPolls(address, deadlineMs) {
    const conn = await client_1.Connection.connect({ address });
    try {
        for (;;) {
            const r = await conn.workflowService.describeTaskQueue({
                namespace: 'default',
                taskQueue: { name: 'kernel-rollout' },
                taskQueueType: proto_1.temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
            });
            if ((r.pollers ?? []).length > 0)
                return;
            if (Date.now() > deadlineMs)
                throw new Error(`no worker polls kernel-rollout on ${address}`);
            await new Promise((res) => setTimeout(res, 250));
        }
    }
    finally {
        await conn.close();
    }
}
(0, node_test_1.test)('kernelctl dev: its addresses and nothing else until Ctrl-C, which stops the server too', { timeout: 300_000 }, async () => {
    const state = (0, node_fs_1.mkdtempSync)(path.join((0, node_os_1.tmpdir)(), 'kr-dev-'));
    const [port, uiPort] = [await (0, free_port_1.freePort)(), await (0, free_port_1.freePort)()];
    const child = (0, node_child_process_1.spawn)(process.execPath, [kernelctl, 'dev', '--state-dir', state, '--port', String(port), '--ui-port', String(uiPort)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    const exited = new Promise((r) => child.on('exit', r));
    let ended = false;
    void exited.then(() => (ended = true));
    const ready = new Promise((resolve, reject) => {
        const check = () => {
            if (READY.test(stdout))
                resolve();
        };
        child.stdout.on('data', (d) => {
            stdout += d;
            check();
        });
        child.stderr.on('data', (d) => (stderr += d));
        void exited.then((code) => reject(new Error(`kernelctl dev exited ${String(code)}:\n${stdout}\n${stderr}`)));
    });
    try {
        await ready;
        await workerPolls(`127.0.0.1:${port}`, Date.now() + 120_000);
        const lines = `${stdout}${stderr}`.trimEnd().split('\n');
        strict_1.default.equal(stderr, '', `nothing on stderr at start:\n${stderr}`);
        strict_1.default.equal(lines.length, 3, `three lines:\n${stdout}${stderr}`);
        strict_1.default.match(stdout, new RegExp(`^Temporal dev server 127\\.0\\.0\\.1:${port} \\(pid \\d+, state `));
        strict_1.default.match(stdout, new RegExp(`^Web UI: http://127\\.0\\.0\\.1:${uiPort}$`, 'm'));
        const serverPid = Number(/\(pid (\d+),/.exec(stdout)?.[1]);
        strict_1.default.ok((0, process_alive_1.processAlive)(serverPid), 'the Temporal server runs');
        strict_1.default.ok(child.pid !== undefined);
        process.kill(child.pid, 'SIGINT');
        strict_1.default.equal(await exited, 0, `exit 0 after Ctrl-C:\n${stderr}`);
        strict_1.default.equal((0, process_alive_1.processAlive)(serverPid), false, 'the Temporal server stopped with it');
    }
    finally {
        if (!ended && child.pid !== undefined)
            process.kill(child.pid, 'SIGKILL');
        (0, node_fs_1.rmSync)(state, { recursive: true, force: true });
    }
});
//# sourceMappingURL=kernelctl-dev.test.js.map