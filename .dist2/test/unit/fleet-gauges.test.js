"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * The worker's visibility gauges (src/worker/metrics.ts fleetGauges): hosts in flight by phase,
 * the oldest phase's age, and how long since a rollout last made progress — counting its running
 * hosts' phase changes — from the runs visibility lists. The listing itself runs against a real
 * worker in test/sim/metrics.test.ts and test/prod.
 */
const strict_1 = __importDefault(require("node:assert/strict"));
const node_test_1 = require("node:test");
const metrics_1 = require("../../src/worker/metrics");
const NOW = Date.parse('2026-12-04T12:00:00Z');
const ago = (s) => new Date(NOW - s * 1000);
(0, node_test_1.test)('hosts by phase, and the oldest in each phase by KernelRolloutProgressedAt', () => {
    const hosts = [
        { workflowId: 'kernel-upgrade/a', phase: 'await', progressedAt: ago(40) },
        { workflowId: 'kernel-upgrade/b', phase: 'await', progressedAt: ago(1900) },
        { workflowId: 'kernel-upgrade/c', phase: 'stability', progressedAt: ago(5) },
        // A run recorded before the attribute: counted, but its age is unknown (not guessed).
        { workflowId: 'kernel-upgrade/d', phase: 'reboot' },
        // A run that has not published a phase yet.
        { workflowId: 'kernel-upgrade/e' },
    ];
    const g = (0, metrics_1.fleetGauges)(hosts, [], NOW);
    strict_1.default.equal(g.hostsInFlight.get('await'), 2);
    strict_1.default.equal(g.hostsInFlight.get('stability'), 1);
    strict_1.default.equal(g.hostsInFlight.get('reboot'), 1);
    strict_1.default.equal(g.hostOldestPhaseAge.get('await'), 1900);
    strict_1.default.equal(g.hostOldestPhaseAge.get('stability'), 5);
    strict_1.default.equal(g.hostOldestPhaseAge.get('reboot'), 0);
    // Every phase has a value, so a gauge set while a host was in it goes back to 0.
    strict_1.default.equal(g.hostsInFlight.get('needs-attention'), 0);
    strict_1.default.equal(g.hostOldestPhaseAge.get('power-cycle'), 0);
    // A clock behind the server's does not make a negative age.
    strict_1.default.equal((0, metrics_1.fleetGauges)([{ workflowId: 'x', phase: 'verify', progressedAt: ago(-3) }], [], NOW).hostOldestPhaseAge.get('verify'), 0);
});
(0, node_test_1.test)("a rollout's last progress: its own, or its running hosts' phase changes, whichever is later", () => {
    const hosts = [
        {
            workflowId: 'kernel-upgrade/a',
            phase: 'stability',
            progressedAt: ago(300),
            parentWorkflowId: 'kernel-rollout/moving',
        },
        {
            workflowId: 'kernel-upgrade/b',
            phase: 'await',
            progressedAt: ago(5000),
            parentWorkflowId: 'kernel-rollout/stuck',
        },
        {
            workflowId: 'kernel-upgrade/c',
            phase: 'await',
            progressedAt: ago(9000),
            parentWorkflowId: 'kernel-rollout/stuck',
        },
    ];
    const rollouts = [
        { workflowId: 'kernel-rollout/moving', phase: 'running', progressedAt: ago(7200) },
        { workflowId: 'kernel-rollout/stuck', phase: 'running', progressedAt: ago(8000) },
        { workflowId: 'kernel-rollout/waiting', phase: 'waiting-for-approval', progressedAt: ago(60) },
        { workflowId: 'kernel-rollout/old', phase: 'paused' },
    ];
    const g = (0, metrics_1.fleetGauges)(hosts, rollouts, NOW);
    strict_1.default.equal(g.rollouts.get('running'), 2);
    strict_1.default.equal(g.rollouts.get('paused'), 1);
    // moving: its host changed phase 300 s ago; stuck: nothing moved for 5000 s.
    strict_1.default.equal(g.rolloutNoProgress.get('running'), 5000);
    strict_1.default.equal(g.rolloutNoProgress.get('waiting-for-approval'), 60);
    strict_1.default.equal(g.rolloutNoProgress.get('paused'), 0);
    strict_1.default.equal(g.rolloutNoProgress.get('between-batches'), 0);
});
//# sourceMappingURL=fleet-gauges.test.js.map