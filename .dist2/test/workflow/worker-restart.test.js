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
 * Durability: the worker is killed (SIGKILL) and replaced mid-run. The run completes and the
 * host was rebooted exactly once — the reboot activity's boot-id guard holds even when the
 * activity itself is retried after it had already issued the reboot.
 */
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const node_child_process_1 = require("node:child_process");
const node_fs_1 = require("node:fs");
const node_os_1 = require("node:os");
const path = __importStar(require("node:path"));
const node_crypto_1 = require("node:crypto");
const client_1 = require("@temporalio/client");
const fake_host_1 = require("../helpers/fake-host");
const temporal_1 = require("../helpers/temporal");
const workflows_1 = require("../../src/workflows");
const definitions_1 = require("../../src/workflows/definitions");
(0, node_test_1.after)(temporal_1.stopOwnServer);
function startWorker(address, taskQueue, stateFile) {
    const child = (0, node_child_process_1.spawn)(process.execPath, [path.join(__dirname, '..', 'helpers', 'stub-worker.js'), address, taskQueue, stateFile], {
        stdio: ['ignore', 'pipe', 'inherit'],
    });
    return new Promise((resolve, reject) => {
        child.stdout?.on('data', (b) => {
            if (b.toString().includes('worker-ready'))
                resolve(child);
        });
        child.on('exit', (code) => reject(new Error(`stub worker exited early (${code})`)));
    });
}
function kill(child) {
    return new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
    });
}
async function until(what, check, timeoutMs = 60_000) {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
        if (Date.now() > deadline)
            strict_1.default.fail(`timed out waiting for: ${what}`);
        await new Promise((r) => setTimeout(r, 50));
    }
}
async function scenario(hold) {
    const address = await (0, temporal_1.temporalAddress)();
    const dir = (0, node_fs_1.mkdtempSync)(path.join((0, node_os_1.tmpdir)(), 'kr-restart-'));
    const stateFile = path.join(dir, 'host.json');
    const host = new fake_host_1.FakeHost((0, fake_host_1.newHostState)(temporal_1.OLD, 'ok'), stateFile);
    host.update((s) => {
        if (hold === 'await')
            s.holdAwait = true;
        else
            s.holdRebootAfterIssue = true;
    });
    const taskQueue = `restart-${(0, node_crypto_1.randomUUID)()}`;
    const connection = await client_1.Connection.connect({ address });
    try {
        const client = new client_1.Client({ connection });
        let worker = await startWorker(address, taskQueue, stateFile);
        const input = (0, temporal_1.testInput)();
        const handle = await client.workflow.start(workflows_1.upgradeHostKernel, {
            taskQueue,
            workflowId: (0, definitions_1.upgradeWorkflowId)(input.target.host),
            args: [input],
        });
        if (hold === 'await') {
            await until('the workflow awaits the host', async () => (await handle.query(definitions_1.statusQuery)).phase === 'await');
            await until('the await activity is polling', () => (host.get().calls['awaitHostReturn'] ?? 0) > 0);
        }
        else {
            await until('the reboot was issued', () => host.get().reboots === 1);
        }
        await kill(worker);
        host.update((s) => {
            s.holdAwait = false;
            s.holdRebootAfterIssue = false;
        });
        worker = await startWorker(address, taskQueue, stateFile);
        try {
            const result = await handle.result();
            return { state: host.get(), result };
        }
        finally {
            await kill(worker);
        }
    }
    finally {
        await connection.close();
    }
}
(0, node_test_1.test)('worker killed while the workflow awaits the host: completes, reboot activity ran once', async () => {
    const { state, result } = await scenario('await');
    strict_1.default.equal(result.outcome, 'upgraded');
    strict_1.default.equal(state.calls['rebootHost'], 1, 'the reboot activity ran once');
    strict_1.default.equal(state.reboots, 1, 'the host rebooted once');
    strict_1.default.ok((state.calls['awaitHostReturn'] ?? 0) >= 2, 'the await activity was retried on the new worker');
    strict_1.default.equal(state.savedDefault, temporal_1.NEW);
    // The time away counts from the reboot (the timeline's reboot entry has the workflow time the
    // run recorded for it), not from the retried wait, which found the host back at once.
    const reboot = result.timeline.find((t) => t.phase === 'reboot');
    const back = result.timeline.find((t) => /^back after \d+s/.test(t.message));
    strict_1.default.ok(reboot && back, 'reboot and "back after" in the timeline');
    const said = Number(/^back after (\d+)s/.exec(back.message)?.[1]);
    const gap = (Date.parse(back.at) - Date.parse(reboot.at)) / 1000;
    strict_1.default.ok(gap >= 3, `the host was waited for across the restart (${gap}s)`);
    strict_1.default.ok(said >= gap - 2 && said <= gap + 1, `"${back.message}" counts the ${gap}s since the reboot`);
});
(0, node_test_1.test)('worker killed inside the reboot activity after it rebooted: the retry does not reboot again', async () => {
    const { state, result } = await scenario('inside-reboot');
    strict_1.default.equal(result.outcome, 'upgraded');
    strict_1.default.equal(state.calls['rebootHost'], 2, 'the reboot activity was retried');
    strict_1.default.equal(state.reboots, 1, 'but the host rebooted once: the boot-id guard saw the new boot');
    strict_1.default.equal(state.savedDefault, temporal_1.NEW);
});
//# sourceMappingURL=worker-restart.test.js.map