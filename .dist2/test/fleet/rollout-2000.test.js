"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * A 2,000-host rollout on the real dev server: every host's upgradeHostKernel runs as a real
 * child workflow with stubbed activities on its own model host. The rollout must cross
 * continueAsNew (bounded history), keep its counters and order across runs, and end with every
 * host's outcome recorded exactly once. Slow (minutes on 2 cores): `npm run test:fleet`.
 */
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const fleet_1 = require("../helpers/fleet");
const temporal_1 = require("../helpers/temporal");
(0, node_test_1.after)(temporal_1.stopOwnServer);
const HOSTS = 2000;
const PANICKING = 15;
(0, node_test_1.test)(`${HOSTS} hosts cross continueAsNew and end with every outcome recorded`, { timeout: 45 * 60_000 }, async () => {
    const fleet = new fleet_1.Fleet();
    const ok = fleet.add(HOSTS - PANICKING);
    const bad = fleet.add(PANICKING, 'panic', 'p');
    // Spread the panicking hosts through the fleet so they fall into different batches and runs.
    const names = [...ok];
    bad.forEach((n, i) => names.splice(Math.floor(((i + 1) * ok.length) / (PANICKING + 1)) + i, 0, n));
    const input = (0, fleet_1.rolloutInput)(names, {
        strategy: { canary: 5, batches: ['5%', '10%'], maxUnavailable: 100 },
        failureBudget: '1%',
    });
    const started = Date.now();
    const { result, runIds, historyLengths, progressCounts } = await (0, fleet_1.withFleet)(fleet, async (h) => {
        const handle = await (0, fleet_1.startRollout)(h, input);
        const result = await handle.result();
        // Walk the chain of runs back from the last one: each run's history stayed bounded.
        const runIds = [];
        const historyLengths = [];
        for await (const wf of h.client.workflow.list({ query: `WorkflowId = '${handle.workflowId}'` })) {
            runIds.push(wf.runId);
            historyLengths.push(wf.historyLength ?? 0);
        }
        const progress = await handle.query('progress');
        return { result, runIds, historyLengths, progressCounts: progress.counts };
    });
    const seconds = (Date.now() - started) / 1000;
    process.stdout.write(`# ${HOSTS} hosts: ${result.runs} runs, ${result.batches} batches, ${seconds.toFixed(0)} s, ` +
        `longest run history ${Math.max(...historyLengths)} events\n`);
    strict_1.default.equal(result.outcome, 'completed', result.reason);
    strict_1.default.ok(result.runs >= 2, `continued as new (${result.runs} runs)`);
    strict_1.default.equal(runIds.length, result.runs, 'one execution per run in the visibility store');
    strict_1.default.ok(Math.max(...historyLengths) < 10_000, `every run's history stayed bounded (${historyLengths.join(', ')})`);
    strict_1.default.deepEqual(result.hosts.map((r) => r.host), names, 'every host exactly once, in the order given');
    strict_1.default.equal(result.counts.upgraded, HOSTS - PANICKING);
    strict_1.default.equal(result.counts['rolled-back'], PANICKING);
    strict_1.default.equal(result.failures, PANICKING);
    strict_1.default.equal(result.budget, 20);
    strict_1.default.deepEqual(progressCounts, result.counts, 'the progress query agrees with the result');
    for (const n of ok) {
        (0, fleet_1.assertUpgraded)(fleet, n);
        strict_1.default.equal(fleet.host(n).get().calls['preflight'], 1, `${n} upgraded exactly once`);
    }
    for (const n of bad) {
        const rec = result.hosts.find((r) => r.host === n);
        strict_1.default.equal(rec?.outcome, 'rolled-back', n);
        const s = fleet.host(n).get();
        strict_1.default.equal(s.running, temporal_1.OLD, `${n} is back on the old kernel`);
        strict_1.default.equal(s.savedDefault, temporal_1.OLD, `${n}: the saved default stayed on the known-good kernel`);
    }
});
//# sourceMappingURL=rollout-2000.test.js.map