"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.PHASE_SECONDS_BUCKETS = exports.METRIC = void 0;
exports.countUpgradeStarted = countUpgradeStarted;
exports.countUpgradeEnded = countUpgradeEnded;
exports.recordPhaseSeconds = recordPhaseSeconds;
exports.countRolloutEnded = countRolloutEnded;
/**
 * kernel-rollout's own metrics, recorded by the workflows through the SDK's workflow metric meter:
 * the worker's runtime exports them with the SDK's own (`kernelctl worker --metrics-address`,
 * Prometheus). The SDK drops what a workflow records while it replays, so each event counts once,
 * and recording adds no command to the history. Names and labels: docs/operations.md, "Metrics".
 */
const workflow_1 = require("@temporalio/workflow");
exports.METRIC = {
    upgradesStarted: 'kernel_rollout_upgrades_started',
    upgradesEnded: 'kernel_rollout_upgrades_ended',
    phaseSeconds: 'kernel_rollout_phase_seconds',
    rolloutsEnded: 'kernel_rollout_rollouts_ended',
};
/** Bucket bounds (seconds) for the phase durations: a GRUB reboot takes minutes, a hold days. */
exports.PHASE_SECONDS_BUCKETS = [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 4 * 3600, 24 * 3600];
function countUpgradeStarted() {
    workflow_1.metricMeter.createCounter(exports.METRIC.upgradesStarted, '1', 'Per-host upgrade runs started').add(1);
}
function countUpgradeEnded(outcome) {
    workflow_1.metricMeter.createCounter(exports.METRIC.upgradesEnded, '1', 'Per-host upgrade runs ended, by outcome').add(1, { outcome });
}
/** How long a run spent in a phase it has just left. */
function recordPhaseSeconds(phase, seconds) {
    workflow_1.metricMeter
        .createHistogram(exports.METRIC.phaseSeconds, 'float', 's', 'Time a per-host run spent in each phase')
        .record(Math.max(0, seconds), { phase });
}
function countRolloutEnded(outcome) {
    workflow_1.metricMeter.createCounter(exports.METRIC.rolloutsEnded, '1', 'Fleet rollouts ended, by outcome').add(1, { outcome });
}
//# sourceMappingURL=metrics.js.map