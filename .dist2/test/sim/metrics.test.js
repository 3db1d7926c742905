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
 * `kernelctl worker --metrics-address`: the real worker process, on the dev server, upgrading
 * simulated hosts with its real activities, serves Prometheus metrics that say what happened:
 * upgrades started and ended by outcome (one upgraded, one rolled back after a panic, one waiting
 * for an operator after its host key changed), phase durations, the hosts in needs-attention and
 * in flight by phase and how long the oldest has been there (gauges from visibility, back to 0
 * once the operator gave up), and the SDK's own metrics.
 */
const strict_1 = __importDefault(require("node:assert/strict"));
const node_child_process_1 = require("node:child_process");
const node_crypto_1 = require("node:crypto");
const path = __importStar(require("node:path"));
const node_test_1 = require("node:test");
const client_1 = require("@temporalio/client");
const free_port_1 = require("../../src/node/free-port");
const workflows_1 = require("../../src/workflows");
const definitions_1 = require("../../src/workflows/definitions");
const search_attributes_1 = require("../../src/workflows/search-attributes");
const simulator_1 = require("../../sim/simulator");
const temporal_1 = require("../helpers/temporal");
const helpers_1 = require("./helpers");
const KERNELCTL = path.join(__dirname, '..', '..', '..', 'bin', 'kernelctl.js');
const tag = (0, node_crypto_1.randomUUID)().slice(0, 6);
const HOSTS = { ok: `met-ok-${tag}`, panic: `met-panic-${tag}`, rekey: `met-rekey-${tag}` };
let sim;
let worker;
(0, node_test_1.before)(async () => {
    sim = await (0, simulator_1.startSimulator)({
        hosts: [
            { name: HOSTS.ok },
            { name: HOSTS.panic, faults: { kernels: { [helpers_1.NEW]: 'panic' } } },
            { name: HOSTS.rekey, faults: { hostKeyChangesOnReboot: true } },
        ],
        bootSeconds: 1,
    });
});
(0, node_test_1.after)(async () => {
    worker?.kill('SIGKILL');
    await sim?.stop();
    await (0, temporal_1.stopOwnServer)();
});
async function scrape(port) {
    const res = await fetch(`http://127.0.0.1:${port}/metrics`);
    strict_1.default.equal(res.status, 200);
    return res.text();
}
/** The value of the first sample of `name` whose labels include every pair of `labels`. */
function sample(text, name, labels = {}) {
    for (const line of text.split('\n')) {
        const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([^}]*)\})? (\S+)$/.exec(line);
        if (!m || m[1] !== name)
            continue;
        const have = m[3] ?? '';
        if (Object.entries(labels).every(([k, v]) => have.includes(`${k}="${v}"`)))
            return Number(m[4]);
    }
    return undefined;
}
async function until(what, check, ms = 90_000) {
    const deadline = Date.now() + ms;
    while (!(await check())) {
        if (Date.now() > deadline)
            strict_1.default.fail(`timed out: ${what}`);
        await new Promise((r) => setTimeout(r, 500));
    }
}
/** Starts `kernelctl worker` with its metrics on `port` and waits until it serves them. */
async function startWorker(address, port, taskQueue) {
    worker = (0, node_child_process_1.spawn)(process.execPath, [KERNELCTL, 'worker', '--address', address, '--task-queue', taskQueue, '--metrics-address', `127.0.0.1:${port}`], { stdio: ['ignore', 'ignore', 'pipe'] });
    let workerLog = '';
    worker.stderr?.on('data', (d) => (workerLog += d.toString()));
    await until('the worker serves /metrics', async () => {
        if (worker?.exitCode !== null)
            strict_1.default.fail(`the worker exited: ${workerLog}`);
        try {
            return (await fetch(`http://127.0.0.1:${port}/metrics`)).ok;
        }
        catch {
            return false;
        }
    });
}
/** Upgrades the three hosts: one upgraded, one rolled back, one left waiting for an operator (returned). */
async function upgradeThree(client, taskQueue) {
    const start = (host) => client.workflow.start(workflows_1.upgradeHostKernel, {
        taskQueue,
        workflowId: (0, definitions_1.upgradeWorkflowId)(host),
        args: [
            (0, temporal_1.testInput)({
                target: (0, helpers_1.simTarget)(sim, host),
                toRelease: helpers_1.NEW,
                source: { kind: 'apt', packageName: `linux-image-${helpers_1.NEW}` },
            }),
        ],
    });
    const [ok, panic, rekey] = await Promise.all([start(HOSTS.ok), start(HOSTS.panic), start(HOSTS.rekey)]);
    const results = await Promise.all([ok.result(), panic.result()]);
    strict_1.default.deepEqual(results.map((r) => r.outcome), ['upgraded', 'rolled-back'], results.map((r) => r.reason).join('\n'));
    await until('the changed host key is waiting for an operator', async () => {
        return (await rekey.query(definitions_1.statusQuery)).phase === 'needs-attention';
    });
    return rekey;
}
/** The counters by outcome, with the worker's labels, the phase durations and the SDK's metrics. */
async function checkOutcomesAndPhases(port, taskQueue) {
    let text = '';
    await until('the metrics show it', async () => {
        text = await scrape(port);
        return (sample(text, 'kernel_rollout_upgrades_ended_total', { outcome: 'rolled-back' }) === 1 &&
            sample(text, 'kernel_rollout_hosts_needs_attention') === 1);
    });
    strict_1.default.equal(sample(text, 'kernel_rollout_upgrades_started_total'), 3, text);
    // The labels docs/operations.md names: the worker's namespace and taskQueue, the workflowType.
    const worker = { namespace: 'default', taskQueue, workflowType: 'upgradeHostKernel' };
    strict_1.default.equal(sample(text, 'kernel_rollout_upgrades_started_total', worker), 3, text);
    strict_1.default.equal(sample(text, 'kernel_rollout_upgrades_ended_total', { ...worker, outcome: 'upgraded' }), 1, text);
    strict_1.default.ok(sample(text, 'kernel_rollout_phase_seconds_count', { ...worker, phase: 'reboot' }), text);
    strict_1.default.equal(sample(text, 'kernel_rollout_upgrades_ended_total', { outcome: 'upgraded' }), 1);
    strict_1.default.equal(sample(text, 'kernel_rollout_upgrades_ended_total', { outcome: 'needs-attention' }), undefined);
    for (const phase of ['preflight', 'install', 'reboot', 'verify', 'commit']) {
        strict_1.default.ok((sample(text, 'kernel_rollout_phase_seconds_count', { phase }) ?? 0) >= 1, `a ${phase} duration was recorded`);
    }
    strict_1.default.ok((sample(text, 'kernel_rollout_phase_seconds_bucket', { phase: 'reboot', le: '+Inf' }) ?? 0) >= 1);
    strict_1.default.ok((sample(text, 'temporal_workflow_completed_total') ?? 0) >= 2, 'the SDK reports completed workflows');
    strict_1.default.ok(sample(text, 'temporal_activity_execution_latency_count') !== undefined, 'and activity latencies');
}
/** The in-flight gauges by phase, read from visibility, for the host waiting for an operator. */
async function checkInFlightGauges(port, rekey) {
    let text = '';
    // The host waiting for an operator is in flight in needs-attention since the time its run
    // upserted as KernelRolloutProgressedAt; the gauges read that from visibility.
    const since = (await rekey.describe()).typedSearchAttributes.get(search_attributes_1.KernelRolloutProgressedAt);
    strict_1.default.ok(since instanceof Date && since.getTime() <= Date.now(), `KernelRolloutProgressedAt: ${String(since)}`);
    // Visibility is eventually consistent: under load it still lists a host that just left
    // `await` for a moment, so the other phases' gauges are waited for too, not read once.
    await until('the oldest needs-attention age to count from it, and no host left in await', async () => {
        text = await scrape(port);
        const age = sample(text, 'kernel_rollout_hosts_oldest_phase_age_seconds', { phase: 'needs-attention' }) ?? 0;
        return (age > 0 &&
            age <= (Date.now() - since.getTime()) / 1000 + 1 &&
            sample(text, 'kernel_rollout_hosts_oldest_phase_age_seconds', { phase: 'await' }) === 0);
    });
    strict_1.default.equal(sample(text, 'kernel_rollout_hosts_in_flight', { phase: 'needs-attention' }), 1, text);
    strict_1.default.equal(sample(text, 'kernel_rollout_hosts_in_flight', { phase: 'reboot' }), 0, text);
    strict_1.default.equal(sample(text, 'kernel_rollout_hosts_oldest_phase_age_seconds', { phase: 'await' }), 0, text);
}
/** The operator gives up on the host: the gauges go back to 0 and its outcome is counted. */
async function giveUpAndCheckGauges(port, rekey) {
    let text = '';
    await rekey.executeUpdate(definitions_1.resolveUpdate, { args: [{ by: 'oncall', action: 'give-up' }] });
    strict_1.default.equal((await rekey.result()).outcome, 'needs-attention');
    await until('the gauge goes back to 0 and the outcome is counted', async () => {
        text = await scrape(port);
        return (sample(text, 'kernel_rollout_hosts_needs_attention') === 0 &&
            sample(text, 'kernel_rollout_hosts_in_flight', { phase: 'needs-attention' }) === 0 &&
            sample(text, 'kernel_rollout_hosts_oldest_phase_age_seconds', { phase: 'needs-attention' }) === 0 &&
            sample(text, 'kernel_rollout_upgrades_ended_total', { outcome: 'needs-attention' }) === 1);
    });
}
(0, node_test_1.test)('worker metrics: outcomes, phases, hosts in needs-attention, and the SDK metrics', async () => {
    const address = await (0, temporal_1.temporalAddress)();
    const port = await (0, free_port_1.freePort)();
    const taskQueue = `metrics-${tag}`;
    await startWorker(address, port, taskQueue);
    const connection = await client_1.Connection.connect({ address });
    try {
        const client = new client_1.Client({ connection });
        const rekey = await upgradeThree(client, taskQueue);
        await checkOutcomesAndPhases(port, taskQueue);
        await checkInFlightGauges(port, rekey);
        await giveUpAndCheckGauges(port, rekey);
    }
    finally {
        await connection.close();
    }
});
//# sourceMappingURL=metrics.test.js.map