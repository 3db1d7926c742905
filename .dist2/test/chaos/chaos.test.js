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
 * Chaos: kernel-rollout's real workflows and activities against simulated hosts
 * speaking real SSH, while the suite breaks things on purpose —
 *
 *  - the worker is SIGKILLed at every phase boundary of a host's upgrade (seen on the host:
 *    its command log, boot history and power state) and replaced;
 *  - the Temporal dev server is SIGKILLed mid-rollout, twice, and started again on the same
 *    SQLite file and port;
 *  - every host carries one fault: kernel panic, no network, hang with a working, failing or
 *    do-nothing power driver, a broken service (health check), SSH dropped mid-command, dpkg lock,
 *    /boot full, host key changed, slow boot;
 *  - two rollouts over overlapping hosts, and a stand-alone upgrade of a host in flight.
 *
 * After every run, every host is checked against the invariants of ./invariants.ts. The suite
 * prints one table — scenario, host-runs, faults injected, invariant violations — and passes only
 * with 0 violations over at least 200 host-runs. It starts its own dev server (it kills it), so
 * `npm run test:chaos` runs it without scripts/with-temporal.
 */
const strict_1 = __importDefault(require("node:assert/strict"));
const fs = __importStar(require("node:fs"));
const os = __importStar(require("node:os"));
const path = __importStar(require("node:path"));
const node_test_1 = require("node:test");
const client_1 = require("@temporalio/client");
const workflows_1 = require("../../src/workflows");
const definitions_1 = require("../../src/workflows/definitions");
const schemas_1 = require("../../src/shared/schemas");
const simulator_1 = require("../../sim/simulator");
const faults_1 = require("./faults");
const harness_1 = require("./harness");
const invariants_1 = require("./invariants");
const MIN_HOST_RUNS = 200;
/** How many worker-kill scenarios run at once (each has its own worker, task queue and hosts). */
const KILL_LANES = 3;
const rows = [];
const started = Date.now();
/** Set by the last test: only a passing run deletes its logs and database. */
let passed = false;
/** Set when the suite ends: scenarios still running start nothing new. */
let stopping = false;
/** Stops what running scenarios hold (workers, simulated hosts), for the end of a failed suite. */
const cleanups = new Set();
const ssh = (sim, host) => sim.commands(host).filter((c) => c.source === 'ssh');
const seen = (sim, host, re, after = 0) => ssh(sim, host).some((c) => c.at >= after && re.test(c.command));
const count = (sim, host, re) => ssh(sim, host).filter((c) => re.test(c.command)).length;
const bootAt = (sim, host, i) => sim.inspect(host).boots[i]?.at;
const firstAt = (sim, host, re) => ssh(sim, host).find((c) => re.test(c.command))?.at;
const REBOOT_CMD = />\s*\/run\/kernel-rollout\/reboot-requested/;
const CONFIRM_CMD = /touch \/run\/kernel-rollout\/confirmed/;
const DISARM_CMD = /systemctl (--no-reload )?disable --now kernel-rollout-revert/;
/** The verification's read: the one-step activity's, or the section script commitVerifiedTrial shares with its commit. */
const VERIFY_CMD = /uname -r; cat \/proc\/sys\/kernel\/random\/boot_id|@@kernel-rollout@@ boot-id/;
const HEALTH_CMD = /systemctl is-system-running/;
const BOUNDARIES = [
    { name: 'preflight', trigger: 'none', reached: (s, h) => ssh(s, h).length > 0 },
    { name: 'pin known-good default', trigger: 'none', reached: (s, h) => seen(s, h, /grub-set-default/) },
    { name: 'install', trigger: 'none', reached: (s, h) => seen(s, h, /apt-get .*install/) },
    {
        name: 'stage: revert timer',
        trigger: 'none',
        reached: (s, h) => seen(s, h, /kernel-rollout-revert\.timer/),
    },
    { name: 'stage: one-shot set', trigger: 'none', reached: (s, h) => seen(s, h, /grub-reboot /) },
    { name: 'reboot issued', trigger: 'none', reached: (s, h) => seen(s, h, REBOOT_CMD) },
    {
        name: 'host down',
        trigger: 'none',
        reached: (s, h) => s.inspect(h).rebootsRequested > 0 && s.inspect(h).state === 'down',
    },
    {
        name: 'trial boot up',
        trigger: 'none',
        reached: (s, h) => s.inspect(h).boots.length >= 2 && s.inspect(h).state === 'up',
    },
    {
        name: 'verify',
        trigger: 'none',
        reached: (s, h) => bootAt(s, h, 1) !== undefined && seen(s, h, VERIFY_CMD, bootAt(s, h, 1)),
    },
    {
        name: 'verify: health check',
        trigger: 'none',
        reached: (s, h) => bootAt(s, h, 1) !== undefined && seen(s, h, HEALTH_CMD, bootAt(s, h, 1)),
    },
    {
        // One command on the host: the boot checked, the trial confirmed, disarmed, the new default
        // set and read back, the known-good recorded.
        name: 'commit: the one write',
        trigger: 'none',
        reached: (s, h) => {
            const confirmed = firstAt(s, h, CONFIRM_CMD);
            return confirmed !== undefined && seen(s, h, DISARM_CMD, confirmed) && seen(s, h, /grub-set-default/, confirmed);
        },
    },
    {
        name: 'rollback: back on known-good',
        trigger: 'panic',
        reached: (s, h) => s.inspect(h).boots.length >= 3 && s.inspect(h).state === 'up',
    },
    {
        name: 'rollback: clearing the trial',
        trigger: 'panic',
        reached: (s, h) => bootAt(s, h, 2) !== undefined && seen(s, h, DISARM_CMD, bootAt(s, h, 2)),
    },
    { name: 'rollback reboot', trigger: 'unhealthy', reached: (s, h) => count(s, h, REBOOT_CMD) >= 2 },
    { name: 'power-cycle', trigger: 'hang-power', reached: (s, h) => s.inspect(h).powerResets > 0 },
    {
        name: 'back after power-cycle',
        trigger: 'hang-power',
        reached: (s, h) => s.inspect(h).powerResets > 0 && s.inspect(h).state === 'up',
    },
];
/** Faults for the hosts beside a lane's trigger host: a different slice of the quick faults per lane. */
function laneFaults(trigger, lane, size) {
    const others = faults_1.QUICK_FAULTS.filter((f) => f !== trigger);
    return [trigger, ...Array.from({ length: size - 1 }, (_, i) => others[(lane * 3 + i) % others.length])];
}
/** Hosts named after their scenario, index and fault (host names are workflow ids: unique per suite). */
function chaosHosts(prefix, faults) {
    return faults.map((fault, i) => ({ name: `${prefix}-${String(i).padStart(2, '0')}-${fault}`, fault }));
}
/** A simulated fleet for one scenario (stopped by the scenario, or by the suite's end). */
async function startFleet(hosts) {
    const sim = await (0, simulator_1.startSimulator)({ hosts: hosts.map((h) => ({ name: h.name })), bootSeconds: 1 });
    const stop = sim.stop.bind(sim);
    let stopped = null;
    const stopOnce = () => {
        cleanups.delete(stopOnce);
        stopped ??= stop();
        return stopped;
    };
    sim.stop = stopOnce;
    cleanups.add(stopOnce);
    return sim;
}
const faultCount = (hosts) => hosts.filter((h) => h.fault !== 'none').length;
(0, node_test_1.describe)('chaos: worker and server killed, hosts failing, invariants kept', () => {
    let dir;
    let dbDir;
    let temporal;
    let bundle;
    let connection;
    let client;
    /** The worker of the scenarios that do not kill workers (it survives server kills, or is replaced). */
    let steady;
    const serverUp = () => temporal.answers();
    /** Healthy hosts whose revert timer fired before the orchestrator confirmed them (a report). */
    const reverted = [];
    (0, node_test_1.before)(async () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kr-chaos-'));
        dbDir = fs.mkdtempSync(path.join(fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir(), 'kr-chaos-db-'));
        temporal = await harness_1.ChaosTemporal.start(dbDir, dir);
        bundle = await (0, harness_1.writeWorkflowBundle)(dir);
        connection = await client_1.Connection.connect({ address: temporal.address });
        client = new client_1.Client({ connection });
        steady = new harness_1.WorkerSupervisor(temporal.address, `chaos-steady-${(0, harness_1.shortId)()}`, bundle, path.join(dir, 'steady.log'));
        await steady.start();
    });
    (0, node_test_1.after)(async () => {
        printTable();
        if (reverted.length > 0) {
            process.stdout.write(`chaos: the revert timer beat the orchestrator's confirmation on ${reverted.length} healthy host(s), ` +
                `which rolled back by themselves: ${reverted.join(', ')}\n`);
        }
        // After a failure scenarios may still be running: stop their workers and hosts too.
        stopping = true;
        for (const stop of [...cleanups])
            await stop().catch(() => undefined);
        await steady?.stop();
        await connection?.close();
        await temporal?.stop();
        if (passed) {
            for (const d of [dir, dbDir])
                if (d)
                    fs.rmSync(d, { recursive: true, force: true });
        }
        else if (dir) {
            process.stdout.write(`chaos: worker logs and the Temporal server's log kept in ${dir}, its database in ${dbDir}\n`);
        }
    });
    /** Checks every host of a finished scenario; participations say what each rollout should report. */
    async function check(sim, hosts, participations, resets) {
        const out = [];
        for (const h of hosts) {
            const evidence = await (0, harness_1.hostEvidence)(client, sim, h.name, participations(h), resets(h));
            out.push(...(0, invariants_1.checkHost)(evidence).map((v) => ({ ...v, detail: `[${h.fault}] ${v.detail}` })));
            if (faults_1.FAULTS[h.fault].expected === 'upgraded' && (0, invariants_1.revertTimerBeatConfirmation)(evidence))
                reverted.push(h.name);
        }
        return out;
    }
    const single = (run) => (h) => [
        { rolloutId: run.rolloutId, outcome: (0, harness_1.outcomeIn)(run.result, h.name), expected: faults_1.FAULTS[h.fault].expected },
    ];
    const resetsIn = (run) => (h) => run.operator.resets.get(h.name) ?? 0;
    function record(row, t0) {
        const r = { ...row, seconds: (Date.now() - t0) / 1000 };
        rows.push(r);
        const v = r.violations.length;
        process.stdout.write(`chaos: ${r.scenario}: ${r.hostRuns} host-runs, ${r.faults} faults, ${v} violation(s), ${r.seconds.toFixed(0)} s` +
            `${r.notes.length ? ` (${r.notes.join('; ')})` : ''}\n`);
        for (const x of r.violations)
            process.stdout.write(`  VIOLATION ${x.host} ${x.invariant}: ${x.detail}\n`);
        return r;
    }
    // ---- scenarios ------------------------------------------------------------------------------------
    /** One worker-kill scenario on a lane's own worker (and task queue): only this lane's hosts feel the kill. */
    async function workerKill(b, lane, workers) {
        const t0 = Date.now();
        const prefix = `k${String(lane).padStart(2, '0')}`;
        const hosts = chaosHosts(prefix, laneFaults(b.trigger, lane, 8));
        const trigger = hosts[0].name;
        const sim = await startFleet(hosts);
        const kills = workers.kills;
        const crashes = workers.crashes;
        try {
            let killedAt = '';
            const run = await (0, harness_1.runRollout)({
                client,
                sim,
                taskQueue: workers.taskQueue,
                rolloutId: `chaos-${prefix}`,
                hosts,
                template: 'fast',
                serverUp,
                during: async () => {
                    await (0, harness_1.waitUntil)(`${trigger}: ${b.name}`, () => b.reached(sim, trigger), 180_000);
                    killedAt = sim.inspect(trigger).state;
                    await workers.killAndReplace();
                },
            });
            const violations = await check(sim, hosts, single(run), resetsIn(run));
            return record({
                scenario: `worker SIGKILL at ${b.name} (${b.trigger} host)`,
                hostRuns: hosts.length,
                faults: faultCount(hosts) + workers.kills - kills,
                violations,
                notes: [
                    `killed with ${trigger} ${killedAt}`,
                    ...(workers.crashes > crashes ? [`${workers.crashes - crashes} worker crash(es)`] : []),
                ],
            }, t0);
        }
        finally {
            await sim.stop();
        }
    }
    async function faultMatrix(name, faults, template) {
        const t0 = Date.now();
        const hosts = chaosHosts(name, faults);
        const sim = await startFleet(hosts);
        try {
            const run = await (0, harness_1.runRollout)({
                client,
                sim,
                taskQueue: steady.taskQueue,
                rolloutId: `chaos-${name}`,
                hosts,
                template,
                serverUp,
            });
            const violations = await check(sim, hosts, single(run), resetsIn(run));
            return record({
                scenario: `fault matrix, boot deadline ${template === 'fast' ? '15 s' : '90 s (revert timer)'}`,
                hostRuns: hosts.length,
                faults: faultCount(hosts),
                violations,
                notes: [`${new Set(faults).size} fault kinds`],
            }, t0);
        }
        finally {
            await sim.stop();
        }
    }
    /** Rollout B lists four hosts rollout A is upgrading: B must report them busy and leave them alone. */
    async function overlappingRollouts() {
        const t0 = Date.now();
        const faults = ['none', 'panic', 'unhealthy', 'ssh-drop-reboot', 'none', 'dpkg-lock', 'slow-boot'];
        const hosts = chaosHosts('ov', [...faults, ...faults.slice(0, 5)]);
        const a = hosts.slice(0, 8);
        const b = hosts.slice(4);
        const both = new Set(a.filter((h) => b.includes(h)).map((h) => h.name));
        const sim = await startFleet(hosts);
        const notes = [];
        const extra = [];
        try {
            for (const h of hosts)
                (0, faults_1.injectFault)(sim, h.name, faults_1.FAULTS[h.fault]);
            let runB;
            const runA = await (0, harness_1.runRollout)({
                client,
                sim,
                taskQueue: steady.taskQueue,
                rolloutId: 'chaos-overlap-a',
                hosts: a,
                template: 'fast',
                serverUp,
                inject: false,
                during: async () => {
                    // Every host of A has its run (a host's first SSH command is its run's preflight).
                    await (0, harness_1.waitUntil)('rollout A to have started all its hosts', () => a.every((h) => ssh(sim, h.name).length > 0), 60_000, 100);
                    // A stand-alone upgrade of a host in flight (kernelctl upgrade) is refused by Temporal.
                    const busy = [...both][1];
                    const template = (0, harness_1.rolloutTemplate)(sim, 'fast');
                    const { ssh: sshSettings, ...rest } = template;
                    const input = schemas_1.upgradeHostInputSchema.parse({
                        ...rest,
                        target: { ...sshSettings, host: busy, address: '127.0.0.1', port: sim.host(busy).port },
                    });
                    try {
                        await client.workflow.start(workflows_1.upgradeHostKernel, {
                            taskQueue: steady.taskQueue,
                            workflowId: (0, definitions_1.upgradeWorkflowId)(busy),
                            args: [input],
                        });
                        extra.push({
                            host: busy,
                            invariant: 'one-run-at-a-time',
                            detail: 'a second run started beside the rollout',
                        });
                    }
                    catch (err) {
                        if (!(err instanceof client_1.WorkflowExecutionAlreadyStartedError))
                            throw err;
                        notes.push(`stand-alone upgrade of ${busy} refused (already started)`);
                    }
                    runB = await (0, harness_1.runRollout)({
                        client,
                        sim,
                        taskQueue: steady.taskQueue,
                        rolloutId: 'chaos-overlap-b',
                        hosts: b,
                        template: 'fast',
                        serverUp,
                        inject: false,
                    });
                },
            });
            const B = runB;
            const participations = (h) => {
                const p = [];
                const expected = faults_1.FAULTS[h.fault].expected;
                if (a.includes(h))
                    p.push({ rolloutId: runA.rolloutId, outcome: (0, harness_1.outcomeIn)(runA.result, h.name), expected });
                if (b.includes(h)) {
                    p.push({
                        rolloutId: B.rolloutId,
                        outcome: (0, harness_1.outcomeIn)(B.result, h.name),
                        expected: both.has(h.name) ? 'busy' : expected,
                    });
                }
                return p;
            };
            const resets = (h) => (runA.operator.resets.get(h.name) ?? 0) + (B.operator.resets.get(h.name) ?? 0);
            const violations = [...extra, ...(await check(sim, hosts, participations, resets))];
            return record({
                scenario: 'two rollouts over overlapping hosts',
                hostRuns: a.length + b.length,
                faults: faultCount(hosts) + both.size + 1,
                violations,
                notes: [`${both.size} hosts in both rollouts`, ...notes],
            }, t0);
        }
        finally {
            await sim.stop();
        }
    }
    async function serverKill() {
        const t0 = Date.now();
        const hosts = chaosHosts('sk', Array.from({ length: 20 }, (_, i) => faults_1.ALL_FAULTS[i % faults_1.ALL_FAULTS.length]));
        const sim = await startFleet(hosts);
        const notes = [];
        const crashesBefore = steady.crashes;
        try {
            const names = hosts.map((h) => h.name);
            const run = await (0, harness_1.runRollout)({
                client,
                sim,
                taskQueue: steady.taskQueue,
                rolloutId: 'chaos-server-kill',
                hosts,
                template: 'fast',
                serverUp,
                // Two batches, the second prepared ahead while the first reboots: the restarted server
                // has runs held before their reboot, to release only after the first batch is done.
                batching: { batchSize: 10, prepareAhead: true },
                timeoutMs: 480_000,
                during: async () => {
                    // Kill 1: as the first host issues its trial reboot; the server stays down until some
                    // host is back from its reboot (the orchestrator missed the whole reboot).
                    await (0, harness_1.waitUntil)('a host to issue its reboot', () => names.some((n) => seen(sim, n, REBOOT_CMD)), 180_000, 100);
                    await temporal.kill();
                    // Down until every reboot requested so far has landed (host up again, or hung).
                    const rebooting = names.filter((n) => sim.inspect(n).rebootsRequested > 0);
                    await (0, harness_1.waitUntil)('the reboots in flight to land while the server is down', () => rebooting.every((n) => sim.inspect(n).bootCount >= 2 && sim.inspect(n).state !== 'down'), 60_000, 100);
                    await temporal.restart();
                    notes.push(`kill 1 after ${((Date.now() - t0) / 1000).toFixed(0)} s`);
                    // Kill 2: as the first host commits; restarted at once.
                    await (0, harness_1.waitUntil)('a host to commit', () => names.some((n) => seen(sim, n, /known-good/)), 180_000, 100);
                    await temporal.kill();
                    await temporal.restart();
                    notes.push(`kill 2 after ${((Date.now() - t0) / 1000).toFixed(0)} s`);
                },
            });
            const crashes = steady.crashes - crashesBefore;
            if (crashes)
                notes.push(`the worker died with the server ${crashes} time(s) and was replaced`);
            const violations = await check(sim, hosts, single(run), resetsIn(run));
            return record({
                scenario: 'dev server SIGKILL + restart on the same SQLite file, 2nd batch prepared ahead',
                hostRuns: hosts.length,
                faults: faultCount(hosts) + 2,
                violations,
                notes,
            }, t0);
        }
        finally {
            await sim.stop();
        }
    }
    // ---- the runs -------------------------------------------------------------------------------------
    (0, node_test_1.it)('phase 1: worker SIGKILLed at each phase boundary; fault matrix; overlapping rollouts', { timeout: 15 * 60_000 }, async () => {
        let next = 0;
        const lane = async (slot) => {
            const workers = new harness_1.WorkerSupervisor(temporal.address, `chaos-lane${slot}-${(0, harness_1.shortId)()}`, bundle, path.join(dir, `lane${slot}.log`));
            await workers.start();
            const stop = () => workers.stop();
            cleanups.add(stop);
            try {
                while (next < BOUNDARIES.length && !stopping) {
                    const i = next++;
                    await workerKill(BOUNDARIES[i], i + 1, workers);
                }
            }
            finally {
                cleanups.delete(stop);
                await workers.stop();
            }
        };
        const steadyScenarios = async () => {
            await Promise.all([
                faultMatrix('fm', [...faults_1.ALL_FAULTS, ...faults_1.ALL_FAULTS], 'fast'),
                faultMatrix('rt', ['no-network', 'no-network', 'no-network', 'panic', 'none', 'host-key-changed'], 'slow'),
            ]);
            await overlappingRollouts();
        };
        await Promise.all([...Array.from({ length: KILL_LANES }, (_, slot) => lane(slot + 1)), steadyScenarios()]);
        const violations = rows.flatMap((r) => r.violations);
        strict_1.default.deepEqual(violations, [], 'invariant violations (listed above)');
    });
    (0, node_test_1.it)('phase 2: the Temporal dev server SIGKILLed mid-rollout and restarted on the same SQLite file', { timeout: 10 * 60_000 }, async () => {
        const row = await serverKill();
        strict_1.default.deepEqual(row.violations, [], 'invariant violations (listed above)');
    });
    (0, node_test_1.it)(`at least ${MIN_HOST_RUNS} host-runs, every host of every run checked, 0 invariant violations`, () => {
        const runs = rows.reduce((n, r) => n + r.hostRuns, 0);
        strict_1.default.ok(runs >= MIN_HOST_RUNS, `only ${runs} host-runs`);
        strict_1.default.equal(rows.reduce((n, r) => n + r.violations.length, 0), 0);
        passed = true;
    });
});
function printTable() {
    const total = {
        scenario: 'total',
        hostRuns: rows.reduce((n, r) => n + r.hostRuns, 0),
        faults: rows.reduce((n, r) => n + r.faults, 0),
        violations: rows.flatMap((r) => r.violations),
        seconds: (Date.now() - started) / 1000,
        notes: [],
    };
    const lines = [...rows, total].map((r) => `| ${r.scenario} | ${r.hostRuns} | ${r.faults} | ${r.violations.length} | ${r.seconds.toFixed(0)} |`);
    process.stdout.write([
        '',
        '| scenario | host-runs | faults injected | invariant violations | seconds |',
        '| --- | ---: | ---: | ---: | ---: |',
        ...lines,
        '',
    ].join('\n'));
}
//# sourceMappingURL=chaos.test.js.map