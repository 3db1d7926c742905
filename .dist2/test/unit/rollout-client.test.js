"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * The rollout request as the client checks it (every host's complete input, before anything
 * starts) and the multi-host watch view (TTY bars and plain lines).
 */
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const rollout_1 = require("../../src/client/rollout");
const fleet_view_1 = require("../../src/cli/fleet-view");
const schemas_1 = require("../../src/shared/schemas");
const template = {
    toRelease: '6.1.0-56-cloud-amd64',
    source: { kind: 'apt', packageName: 'linux-image-6.1.0-56-cloud-amd64' },
    ssh: { user: 'root', port: 22, knownHostsPath: '/etc/kernel-rollout/known_hosts' },
};
function request(hosts, extra = {}) {
    return { rolloutId: 'fleet-1', template, hosts, strategy: { canary: 1, batches: ['10%'] }, ...extra };
}
function refusal(fn) {
    try {
        fn();
    }
    catch (err) {
        strict_1.default.ok(err instanceof schemas_1.InvalidInputError, String(err));
        return err.message;
    }
    strict_1.default.fail('accepted');
}
(0, node_test_1.describe)('parseRolloutRequest', () => {
    (0, node_test_1.test)('fills defaults and trims per-host overrides equal to the template', () => {
        const input = (0, rollout_1.parseRolloutRequest)(request([
            { host: 'web-1', address: '10.0.0.1', ssh: { user: 'root', port: 2222 } },
            { host: 'web-2', ssh: { knownHostsPath: '/etc/kernel-rollout/known_hosts' } },
        ]));
        strict_1.default.deepEqual(input.hosts, [{ host: 'web-1', address: '10.0.0.1', ssh: { port: 2222 } }, { host: 'web-2' }]);
        strict_1.default.equal(input.failureBudget, '0');
        strict_1.default.equal(input.template.panicSeconds, 10);
        strict_1.default.equal(input.template.ssh.trustOnFirstUse, false);
    });
    (0, node_test_1.test)('a bad host, override or strategy is named before anything starts', () => {
        strict_1.default.match(refusal(() => (0, rollout_1.parseRolloutRequest)(request([{ host: 'web 1' }]))), /hosts\.0\.host: must be a host/);
        strict_1.default.match(refusal(() => (0, rollout_1.parseRolloutRequest)(request([{ host: 'a' }, { host: 'b', ssh: { port: 70000 } }]))), /hosts\.1\.ssh\.port/);
        strict_1.default.match(refusal(() => (0, rollout_1.parseRolloutRequest)(request([{ host: 'a' }, { host: 'a' }]))), /hosts\.1\.host: a is listed twice/);
        strict_1.default.match(refusal(() => (0, rollout_1.parseRolloutRequest)(request([{ host: 'a' }], { strategy: { canary: 1, batches: ['0%'] } }))), /strategy\.batches\[0\]/);
        strict_1.default.match(refusal(() => (0, rollout_1.parseRolloutRequest)(request([{ host: 'a' }], { failureBudget: '1; reboot' }))), /failureBudget/);
        strict_1.default.match(refusal(() => (0, rollout_1.parseRolloutRequest)(request([{ host: 'a' }], { window: 'Mon-Fri 02:00-05:00 Mars/Olympus' }))), /window/);
        strict_1.default.match(refusal(() => (0, rollout_1.parseRolloutRequest)({ ...request([{ host: 'a' }]), template: { ...template, toRelease: '6.1; reboot' } })), /template\.toRelease/);
    });
    (0, node_test_1.test)('10,000 hosts fit in one start payload, far below the 2 MB limit', () => {
        const hosts = Array.from({ length: 10_000 }, (_, i) => ({
            host: `web-${String(i).padStart(5, '0')}.dc1.example.net`,
            address: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
            ssh: { user: 'root', port: 22, knownHostsPath: '/etc/kernel-rollout/known_hosts' },
        }));
        const input = (0, rollout_1.parseRolloutRequest)(request(hosts));
        const bytes = Buffer.byteLength(JSON.stringify(input));
        process.stdout.write(`# 10,000-host rollout input: ${bytes} bytes\n`);
        strict_1.default.ok(bytes < 1_000_000, `${bytes} bytes`);
        strict_1.default.equal(input.hosts.length, 10_000);
    });
});
function progress(over) {
    return {
        rolloutId: 'fleet-1',
        phase: 'running',
        currentBatch: 2,
        totalBatches: 3,
        counts: {},
        pending: 2,
        upgrading: 2,
        rebooting: 1,
        failures: 1,
        budget: 2,
        budgetLeft: 1,
        hosts: [
            { host: 'web-1', phase: 'done', outcome: 'upgraded', batch: 1 },
            { host: 'web-2', phase: 'done', outcome: 'rolled-back', batch: 2, reason: 'trial kernel panicked' },
            { host: 'web-3', phase: 'upgrading', batch: 2 },
            { host: 'web-4', phase: 'upgrading', batch: 2 },
            { host: 'web-5', phase: 'pending' },
            { host: 'web-6', phase: 'pending' },
        ],
        paused: false,
        pausedBy: null,
        waitingFor: 'hosts',
        windowOpensInMs: null,
        approvedBy: null,
        abortedBy: null,
        runs: 1,
        details: 'batch 2/3: 2 hosts upgrading, 1 upgraded, 1 rolled back, budget 1 left',
        ...over,
    };
}
(0, node_test_1.describe)('watch view', () => {
    const inFlight = [
        { host: 'web-3', phase: 'reboot', details: 'rebooting web-3 into 6.1.0-56-cloud-amd64 (trial)' },
        { host: 'web-4', phase: 'await', details: 'waiting up to 600s for web-4 to come back' },
    ];
    (0, node_test_1.test)('TTY: a bar per batch, a line per in-flight host, the sentence', () => {
        const lines = (0, fleet_view_1.renderFleetView)(progress({}), inFlight, 120);
        strict_1.default.equal(lines[0], `rollout fleet-1  running  [${'#'.repeat(8)}${'.'.repeat(16)}] 2/6 hosts  budget 1/2 left`);
        strict_1.default.equal(lines[1], `batch 1/3 canary  [${'#'.repeat(24)}] 1/1       1 upgraded`);
        strict_1.default.equal(lines[2], `batch 2/3         [${'#'.repeat(8)}${'.'.repeat(16)}] 1/3       2 in flight, 1 rolled back`);
        strict_1.default.equal(lines[3], '1 batch(es) to go, 2 host(s) pending');
        strict_1.default.match(lines[4] ?? '', /^ {2}web-3 +reboot +rebooting web-3 into/);
        strict_1.default.match(lines[5] ?? '', /^ {2}web-4 +await +waiting up to 600s/);
        strict_1.default.equal(lines[6], 'batch 2/3: 2 hosts upgrading, 1 upgraded, 1 rolled back, budget 1 left');
        strict_1.default.ok(lines.every((l) => l.length <= 120));
    });
    (0, node_test_1.test)('plain lines: one per change, nothing repeated', () => {
        const state = (0, fleet_view_1.newPlainState)();
        const first = (0, fleet_view_1.plainLines)(state, progress({}), inFlight);
        strict_1.default.deepEqual(first, [
            'batch 1/3 started: 1 host(s)',
            'batch 2/3 started: 3 host(s)',
            'web-1: upgraded',
            'web-2: rolled-back — trial kernel panicked',
            'web-3: reboot — rebooting web-3 into 6.1.0-56-cloud-amd64 (trial)',
            'web-4: await — waiting up to 600s for web-4 to come back',
            'rollout fleet-1: batch 2/3: 2 hosts upgrading, 1 upgraded, 1 rolled back, budget 1 left',
        ]);
        strict_1.default.deepEqual((0, fleet_view_1.plainLines)(state, progress({}), inFlight), [], 'no change, no line');
        const verifying = { host: 'web-3', phase: 'verify', details: 'checking' };
        const later = (0, fleet_view_1.plainLines)(state, progress({}), [verifying, inFlight[1]]);
        strict_1.default.deepEqual(later, ['web-3: verify — checking']);
    });
});
//# sourceMappingURL=rollout-client.test.js.map