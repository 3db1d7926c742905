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
exports.ChaosOperator = exports.WorkerSupervisor = exports.ChaosTemporal = void 0;
exports.waitUntil = waitUntil;
exports.writeWorkflowBundle = writeWorkflowBundle;
exports.rolloutTemplate = rolloutTemplate;
exports.rolloutRequest = rolloutRequest;
exports.durableResult = durableResult;
exports.runRollout = runRollout;
exports.workflowEvidence = workflowEvidence;
exports.hostEvidence = hostEvidence;
exports.outcomeIn = outcomeIn;
exports.shortId = shortId;
/**
 * The chaos suite's machinery: a Temporal dev server it can SIGKILL and restart on the same
 * SQLite file and port, workers in child processes it can SIGKILL and replace, rollouts over
 * simulated hosts with their faults, a simulated operator who answers `needs-attention`, and the
 * evidence the invariant checker reads (host state from the simulator, decisions from the
 * workflows' histories). Waits are on observable conditions, each with a deadline.
 */
const node_child_process_1 = require("node:child_process");
const node_crypto_1 = require("node:crypto");
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const client_1 = require("@temporalio/client");
const common_1 = require("@temporalio/common");
const time_1 = require("@temporalio/common/lib/time");
const worker_1 = require("@temporalio/worker");
const temporal_server_1 = require("../../src/dev/temporal-server");
const temporal_1 = require("../helpers/temporal");
const free_port_1 = require("../../src/node/free-port");
const rollout_1 = require("../../src/client/rollout");
const definitions_1 = require("../../src/workflows/definitions");
const faults_1 = require("./faults");
const invariants_1 = require("./invariants");
// ---- waiting ------------------------------------------------------------------------------------
/** Polls `check` until it holds; fails naming `what` after `timeoutMs`. */
async function waitUntil(what, check, timeoutMs, everyMs = 25) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        let ok = false;
        try {
            ok = await check();
        }
        catch {
            ok = false;
        }
        if (ok)
            return;
        if (Date.now() > deadline)
            throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
        await new Promise((r) => setTimeout(r, everyMs));
    }
}
// ---- the Temporal dev server ------------------------------------------------------------------------
/** A dev server on a fixed port and SQLite file, so it can be killed and started again as the same server. */
class ChaosTemporal {
    server;
    dbFile;
    port;
    logDir;
    kills = 0;
    constructor(server, dbFile, port, logDir) {
        this.server = server;
        this.dbFile = dbFile;
        this.port = port;
        this.logDir = logDir;
    }
    /**
     * The SQLite file goes to `dbDir` (tmpfs when there is one: on a loaded 2-core machine a disk
     * file made the server miss its own deadlines; a process kill loses the same on both), the
     * server's log to `logDir`.
     */
    static async start(dbDir, logDir) {
        const dbFile = path.join(dbDir, 'temporal.sqlite');
        const port = await (0, free_port_1.freePort)();
        const server = await (0, temporal_server_1.startDevServer)({ dbFile, port, headless: true, logPath: path.join(logDir, 'temporal.log') });
        return new ChaosTemporal(server, dbFile, port, logDir);
    }
    get address() {
        return this.server.address;
    }
    get pid() {
        return this.server.pid;
    }
    /** SIGKILL by pid: no shutdown, whatever SQLite has not written is lost. */
    async kill() {
        const child = this.server.process;
        if (child.exitCode !== null || child.signalCode !== null)
            return;
        const exited = new Promise((r) => child.once('exit', r));
        process.kill(this.server.pid, 'SIGKILL');
        await exited;
        this.kills += 1;
    }
    /** The same server again: same SQLite file, same port; resolves once it answers. */
    async restart() {
        this.server = await (0, temporal_server_1.startDevServer)({
            dbFile: this.dbFile,
            port: this.port,
            headless: true,
            logPath: path.join(this.logDir, 'temporal.log'),
        });
    }
    answers() {
        return (0, temporal_1.serverAnswers)(this.address);
    }
    stop() {
        return this.server.stop();
    }
}
exports.ChaosTemporal = ChaosTemporal;
// ---- workers ----------------------------------------------------------------------------------------
/** Builds the workflow bundle once and writes it where the worker children read it. */
async function writeWorkflowBundle(dir) {
    const noop = () => undefined;
    const bundle = await (0, worker_1.bundleWorkflowCode)({
        workflowsPath: require.resolve('../../src/workflows'),
        logger: { log: noop, trace: noop, debug: noop, info: noop, warn: noop, error: noop },
    });
    const file = path.join(dir, 'workflow-bundle.js');
    fs.writeFileSync(file, bundle.code);
    return file;
}
/**
 * Keeps one worker process (dist/test/chaos/worker.js) polling a task queue. `killAndReplace`
 * SIGKILLs it and starts another; a worker that dies on its own (e.g. while the server is gone)
 * is replaced too and counted in `crashes`.
 */
class WorkerSupervisor {
    address;
    taskQueue;
    bundlePath;
    logPath;
    kills = 0;
    crashes = 0;
    child = null;
    stopping = false;
    replacing = null;
    constructor(address, taskQueue, bundlePath, logPath) {
        this.address = address;
        this.taskQueue = taskQueue;
        this.bundlePath = bundlePath;
        this.logPath = logPath;
    }
    get pid() {
        return this.child?.pid ?? -1;
    }
    async start(timeoutMs = 120_000) {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
            const started = await this.spawnOne();
            if (started)
                return;
            if (Date.now() > deadline)
                throw new Error(`worker for ${this.taskQueue} did not start; see ${this.logPath}`);
            // The server may be down (killed on purpose): try again shortly.
            await new Promise((r) => setTimeout(r, 500));
        }
    }
    spawnOne() {
        const log = fs.openSync(this.logPath, 'a');
        const child = (0, node_child_process_1.spawn)(process.execPath, [path.join(__dirname, 'worker.js'), this.address, this.taskQueue, this.bundlePath], 
        // stdin stays open while the suite lives: the worker exits when it closes (suite killed).
        { stdio: ['pipe', 'pipe', log] });
        fs.closeSync(log);
        return new Promise((resolve) => {
            let ready = false;
            child.stdout?.on('data', (b) => {
                if (!ready && b.toString().includes('worker-ready')) {
                    ready = true;
                    this.child = child;
                    resolve(true);
                }
            });
            child.once('exit', () => {
                if (!ready)
                    return resolve(false);
                if (this.child !== child || this.stopping)
                    return;
                // Died on its own: replace it.
                this.child = null;
                this.crashes += 1;
                this.replacing = this.start().catch(() => undefined);
            });
        });
    }
    /** SIGKILL, then a new worker on the same task queue. */
    async killAndReplace() {
        const child = this.child;
        if (child && child.exitCode === null && child.signalCode === null) {
            this.child = null;
            const exited = new Promise((r) => child.once('exit', r));
            child.kill('SIGKILL');
            await exited;
            this.kills += 1;
        }
        await this.start();
    }
    async stop() {
        this.stopping = true;
        await this.replacing;
        const child = this.child;
        this.child = null;
        if (!child || child.exitCode !== null || child.signalCode !== null)
            return;
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(t);
    }
}
exports.WorkerSupervisor = WorkerSupervisor;
/**
 * The rollout template: apt install, panic=1, revert timer 60 s (the schema's minimum), no
 * stability window, heartbeats every 3 s (a killed worker's activity is retried seconds later),
 * the simulator's power driver. `fast`: boot deadline 15 s (a host without network is
 * power-cycled before its revert timer fires). `slow`: 90 s (the revert timer brings it back).
 */
function rolloutTemplate(sim, kind) {
    return {
        ssh: { port: 22, user: 'root', privateKeyPath: sim.clientKeyPath, knownHostsPath: sim.knownHostsPath },
        toRelease: faults_1.NEW,
        source: { kind: 'apt', packageName: `linux-image-${faults_1.NEW}` },
        panicSeconds: 1,
        revertAfterSeconds: 60,
        stabilitySeconds: 0,
        healthChecks: faults_1.HEALTH_CHECKS,
        power: (0, faults_1.powerConfig)(sim, 'working'),
        timeouts: {
            bootDeadlineSeconds: kind === 'fast' ? 15 : 90,
            powerCycleDeadlineSeconds: 10,
            approvalTimeoutSeconds: 60,
            heartbeatSeconds: 3,
            pollCapSeconds: 0.5,
        },
    };
}
function rolloutRequest(sim, rolloutId, hosts, kind, batching = {}) {
    return {
        rolloutId,
        template: rolloutTemplate(sim, kind),
        hosts: hosts.map((h) => {
            const power = faults_1.FAULTS[h.fault].power;
            return {
                host: h.name,
                address: '127.0.0.1',
                ssh: { port: sim.host(h.name).port },
                ...(power === 'working' ? {} : { power: (0, faults_1.powerConfig)(sim, power) }),
            };
        }),
        strategy: { canary: 0, batches: [batching.batchSize ?? hosts.length] },
        // Every fault is expected: the rollout must run every host, never halt.
        failureBudget: '100%',
        prepareAhead: batching.prepareAhead ?? false,
    };
}
/**
 * The operator: while `active()`, answers every run of these hosts that waits in
 * needs-attention, by the fault's policy (give up; or reset the host by hand, then mark it fixed).
 */
class ChaosOperator {
    client;
    sim;
    hosts;
    resets = new Map();
    answered = new Map();
    done = false;
    loop = null;
    constructor(client, sim, hosts) {
        this.client = client;
        this.sim = sim;
        this.hosts = hosts;
    }
    start() {
        const watched = this.hosts.filter((h) => faults_1.FAULTS[h.fault].operator !== undefined);
        if (watched.length === 0)
            return;
        this.loop = (async () => {
            const resetFor = new Set();
            while (!this.done) {
                for (const h of watched) {
                    if (this.done)
                        break;
                    const handle = this.client.workflow.getHandle((0, definitions_1.upgradeWorkflowId)(h.name));
                    let waiting = false;
                    let step = '';
                    try {
                        const st = await handle.query(definitions_1.statusQuery);
                        waiting = st.waitingFor === 'operator' && st.outcome === null;
                        step = st.details;
                    }
                    catch {
                        continue; // not started yet, or no worker/server right now
                    }
                    if (!waiting)
                        continue;
                    const policy = faults_1.FAULTS[h.fault].operator;
                    const episode = `${h.name} ${step}`;
                    if (policy === 'reset-by-hand-and-mark-fixed' && !resetFor.has(episode)) {
                        resetFor.add(episode);
                        this.sim.powerReset(h.name);
                        this.resets.set(h.name, (this.resets.get(h.name) ?? 0) + 1);
                    }
                    try {
                        await handle.executeUpdate(definitions_1.resolveUpdate, {
                            args: [
                                {
                                    by: 'chaos-operator',
                                    action: policy === 'give-up' ? 'give-up' : 'mark-fixed',
                                    comment: policy === 'give-up' ? 'leaving it for the hardware team' : 'power-cycled it by hand',
                                },
                            ],
                        });
                        this.answered.set(h.name, (this.answered.get(h.name) ?? 0) + 1);
                    }
                    catch {
                        // Answered already, or the worker/server is being killed: look again next round.
                    }
                }
                await new Promise((r) => setTimeout(r, 300));
            }
        })();
    }
    async stop() {
        this.done = true;
        await this.loop;
    }
}
exports.ChaosOperator = ChaosOperator;
/** handle.result() that survives the server being killed and restarted underneath it. */
async function durableResult(what, result, serverUp, timeoutMs) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        try {
            return await result();
        }
        catch (err) {
            if (err instanceof client_1.WorkflowFailedError || Date.now() > deadline)
                throw err;
            await waitUntil(`the Temporal server to answer (${what})`, serverUp, Math.max(1000, deadline - Date.now()), 250);
        }
    }
}
/**
 * Gives each host its fault, starts the rollout and returns its result once every host has an
 * outcome; `during` runs beside it (the scenario's process-level chaos).
 */
async function runRollout(opts) {
    const { client, sim, hosts } = opts;
    if (opts.inject !== false)
        for (const h of hosts)
            (0, faults_1.injectFault)(sim, h.name, faults_1.FAULTS[h.fault]);
    const operator = new ChaosOperator(client, sim, hosts);
    const { handle } = await (0, rollout_1.startRollout)(client, opts.taskQueue, rolloutRequest(sim, opts.rolloutId, hosts, opts.template, opts.batching));
    operator.start();
    const timeoutMs = opts.timeoutMs ?? 300_000;
    let timer;
    // A rollout that does not end is a failure with the hosts' own words, never a hung suite.
    const stuck = new Promise((_, reject) => {
        timer = setTimeout(() => {
            void describeHosts(client, hosts).then((lines) => reject(new Error(`rollout ${opts.rolloutId} not done after ${timeoutMs} ms:\n${lines.join('\n')}`)));
        }, timeoutMs);
    });
    try {
        const [result] = await Promise.race([
            Promise.all([durableResult(opts.rolloutId, () => handle.result(), opts.serverUp, timeoutMs), opts.during?.()]),
            stuck,
        ]);
        return { rolloutId: opts.rolloutId, result, operator };
    }
    finally {
        clearTimeout(timer);
        await operator.stop();
    }
}
/** Each host's phase and details, from its run's status query. */
async function describeHosts(client, hosts) {
    const lines = [];
    for (const h of hosts) {
        try {
            const st = await client.workflow.getHandle((0, definitions_1.upgradeWorkflowId)(h.name)).query(definitions_1.statusQuery);
            lines.push(`  ${h.name} [${h.fault}]: ${st.outcome ?? st.phase} — ${st.details}`);
        }
        catch (err) {
            lines.push(`  ${h.name} [${h.fault}]: no status (${err.message})`);
        }
    }
    return lines;
}
// ---- evidence --------------------------------------------------------------------------------------------
function decode(payloads) {
    const p = payloads?.payloads?.[0];
    return p ? common_1.defaultPayloadConverter.fromPayload(p) : undefined;
}
const RUN_STATUS = {
    RUNNING: 'running',
    COMPLETED: 'completed',
    FAILED: 'failed',
    TERMINATED: 'terminated',
    TIMED_OUT: 'timed-out',
    CANCELLED: 'canceled',
    CONTINUED_AS_NEW: 'continued-as-new',
};
/** Every run of kernel-upgrade/<host>, read from its history: decisions, verifications, commits. */
async function workflowEvidence(client, host) {
    const workflowId = (0, definitions_1.upgradeWorkflowId)(host);
    const runIds = new Set();
    for await (const wf of client.workflow.list({ query: `WorkflowId = '${workflowId}'` }))
        runIds.add(wf.runId);
    try {
        const latest = await client.workflow.getHandle(workflowId).describe();
        runIds.add(latest.runId);
    }
    catch {
        // never started (e.g. busy everywhere it was listed)
    }
    const ev = { runs: [], rebootDecisions: 0, powerCycleDecisions: 0, verified: [], commits: [] };
    for (const runId of runIds) {
        const handle = client.workflow.getHandle(workflowId, runId);
        const history = await handle.fetchHistory();
        const desc = await handle.describe();
        const scheduled = new Map();
        const run = {
            runId,
            startedAt: desc.startTime.getTime(),
            closedAt: desc.closeTime ? desc.closeTime.getTime() : null,
            status: RUN_STATUS[desc.status.name] ?? 'running',
        };
        for (const e of history.events ?? []) {
            const id = String(e.eventId);
            const s = e.activityTaskScheduledEventAttributes;
            if (s) {
                const type = s.activityType?.name ?? '';
                scheduled.set(id, { type, input: decode(s.input) });
                if (type === 'rebootHost')
                    ev.rebootDecisions += 1;
                if (type === 'powerCycle')
                    ev.powerCycleDecisions += 1;
            }
            const c = e.activityTaskCompletedEventAttributes;
            if (c) {
                const sched = scheduled.get(String(c.scheduledEventId));
                if (sched?.type === 'verifyKernel') {
                    const r = decode(c.result);
                    if (r?.ok)
                        ev.verified.push({ release: r.runningKernel, bootId: r.bootId });
                }
                if (sched?.type === 'commitKernel') {
                    const req = sched.input;
                    ev.commits.push({ release: req.toRelease, bootId: req.expectedBootId });
                }
                // Verify, confirm and commit in one activity: its verdict, and its commit when there is one.
                if (sched?.type === 'commitVerifiedTrial') {
                    const r = decode(c.result);
                    const req = sched.input;
                    if (r?.verdict.ok)
                        ev.verified.push({ release: r.verdict.runningKernel, bootId: r.verdict.bootId });
                    if (r?.commit)
                        ev.commits.push({ release: req.expectedRelease, bootId: req.expectedBootId });
                }
            }
            const done = e.workflowExecutionCompletedEventAttributes;
            if (done) {
                const r = decode(done.result);
                if (r)
                    run.result = r;
                if (run.closedAt === null)
                    run.closedAt = (0, time_1.tsToMs)(e.eventTime);
            }
        }
        ev.runs.push(run);
    }
    return ev;
}
async function hostEvidence(client, sim, host, participations, operatorResets) {
    const dir = path.join(sim.stateDir, 'hosts', host, 'boot', 'grub');
    return {
        host,
        target: faults_1.NEW,
        participations,
        inspection: sim.inspect(host),
        grubenv: fs.readFileSync(path.join(dir, 'grubenv'), 'utf8'),
        grubCfg: (0, invariants_1.menuAsBooted)(dir),
        commands: sim.commands(host),
        operatorResets,
        workflow: await workflowEvidence(client, host),
    };
}
/** The outcome a rollout reported for a host, or null when it has none. */
function outcomeIn(result, host) {
    return result.hosts.find((h) => h.host === host)?.outcome ?? null;
}
function shortId() {
    return (0, node_crypto_1.randomBytes)(3).toString('hex');
}
//# sourceMappingURL=harness.js.map