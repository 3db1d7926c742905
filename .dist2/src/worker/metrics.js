"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.GAUGE = void 0;
exports.fleetGauges = fleetGauges;
exports.checkMetricsAddress = checkMetricsAddress;
exports.installMetricsRuntime = installMetricsRuntime;
exports.startVisibilityGauges = startVisibilityGauges;
/**
 * `kernelctl worker --metrics-address HOST:PORT`: Prometheus metrics from the worker's runtime —
 * the SDK's own (workflow and activity task latencies, poll counts, …) and kernel-rollout's. The
 * workflows record their events themselves (src/workflows/metrics.ts); what is a state of the
 * fleet rather than an event — hosts in flight by phase and how long the oldest has been in it,
 * hosts waiting for an operator, rollouts by phase and how long since one last made progress — is
 * read here from Temporal's visibility (the search attributes the workflows keep, among them
 * KernelRolloutProgressedAt), so it is right whichever worker ran what and survives worker
 * restarts. A host stuck in a phase records no event (the phase histogram is recorded when a
 * phase ends): these gauges are what shows it. Names and alert examples: docs/operations.md.
 */
const client_1 = require("@temporalio/client");
const worker_1 = require("@temporalio/worker");
const metrics_1 = require("../workflows/metrics");
const search_attributes_1 = require("../workflows/search-attributes");
exports.GAUGE = {
    needsAttention: 'kernel_rollout_hosts_needs_attention',
    rollouts: 'kernel_rollout_rollouts',
    hostsInFlight: 'kernel_rollout_hosts_in_flight',
    hostOldestPhaseAge: 'kernel_rollout_hosts_oldest_phase_age_seconds',
    rolloutNoProgress: 'kernel_rollout_rollouts_no_progress_seconds',
};
/** The rollout phases a running rollout can be in (its search attribute's values). */
const RUNNING_ROLLOUT_PHASES = ['running', 'waiting-for-approval', 'waiting-for-window', 'between-batches', 'paused'];
/** The phases a running per-host run can be in: each gets a sample, 0 when no host is in it. */
const RUNNING_HOST_PHASES = [
    'preflight',
    'install',
    'stage',
    'awaiting-approval',
    'reboot',
    'await',
    'verify',
    'stability',
    'commit',
    'rollback',
    'power-cycle',
    'needs-attention',
];
/**
 * The gauges' values from the running runs. Every phase of RUNNING_*_PHASES gets a value (a
 * gauge keeps its last value until set again), and so does any other phase seen.
 */
function fleetGauges(hosts, rollouts, nowMs) {
    const zeros = (phases) => new Map(phases.map((p) => [p, 0]));
    const g = {
        hostsInFlight: zeros(RUNNING_HOST_PHASES),
        hostOldestPhaseAge: zeros(RUNNING_HOST_PHASES),
        rollouts: zeros(RUNNING_ROLLOUT_PHASES),
        rolloutNoProgress: zeros(RUNNING_ROLLOUT_PHASES),
    };
    const ageOf = (at) => Math.max(0, (nowMs - at) / 1000);
    const maxInto = (m, key, v) => m.set(key, Math.max(m.get(key) ?? 0, v));
    // The latest progress of each rollout's running hosts, by the rollout's workflow id.
    const childProgress = new Map();
    for (const h of hosts) {
        if (h.phase === undefined)
            continue;
        g.hostsInFlight.set(h.phase, (g.hostsInFlight.get(h.phase) ?? 0) + 1);
        g.hostOldestPhaseAge.set(h.phase, g.hostOldestPhaseAge.get(h.phase) ?? 0);
        if (h.progressedAt === undefined)
            continue;
        maxInto(g.hostOldestPhaseAge, h.phase, ageOf(h.progressedAt.getTime()));
        if (h.parentWorkflowId !== undefined)
            maxInto(childProgress, h.parentWorkflowId, h.progressedAt.getTime());
    }
    for (const r of rollouts) {
        if (r.phase === undefined)
            continue;
        g.rollouts.set(r.phase, (g.rollouts.get(r.phase) ?? 0) + 1);
        g.rolloutNoProgress.set(r.phase, g.rolloutNoProgress.get(r.phase) ?? 0);
        if (r.progressedAt === undefined)
            continue;
        const last = Math.max(r.progressedAt.getTime(), childProgress.get(r.workflowId) ?? 0);
        maxInto(g.rolloutNoProgress, r.phase, ageOf(last));
    }
    return g;
}
/** HOST:PORT to bind the exporter to; refused unless it is one. */
function checkMetricsAddress(address) {
    const m = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]{1,253}):([0-9]{1,5})$/.exec(address);
    if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535)
        return 'must be HOST:PORT, e.g. 127.0.0.1:9464';
    return null;
}
/** Installs the runtime with the Prometheus exporter; call before anything else uses the runtime. */
function installMetricsRuntime(bindAddress, logger) {
    worker_1.Runtime.install({
        ...(logger ? { logger } : {}),
        telemetryOptions: {
            metrics: {
                prometheus: {
                    bindAddress,
                    countersTotalSuffix: true,
                    useSecondsForDurations: true,
                    histogramBucketOverrides: { [metrics_1.METRIC.phaseSeconds]: metrics_1.PHASE_SECONDS_BUCKETS },
                },
            },
        },
    });
}
/**
 * Sets the visibility gauges every `intervalMs` until the returned stop is called: two listings of
 * the running runs (per-host runs, rollouts) with their search attributes, in pages of 1,000: a
 * fleet's runs in flight (its batches, the hosts waiting for an operator) cost a page or two. A failed listing (a server without advanced visibility, a
 * network blip) leaves the last values and is logged.
 */
async function startVisibilityGauges(options, intervalMs = 15_000) {
    const connection = await client_1.Connection.connect({ address: options.address, ...(options.transport ?? {}) });
    const client = new client_1.Client({ connection, namespace: options.namespace });
    const meter = worker_1.Runtime.instance().metricMeter;
    const needsAttention = meter.createGauge(exports.GAUGE.needsAttention, 'int', '1', 'Per-host runs waiting for an operator (kernelctl resolve)');
    const rollouts = meter.createGauge(exports.GAUGE.rollouts, 'int', '1', 'Running rollouts, by phase');
    const hostsInFlight = meter.createGauge(exports.GAUGE.hostsInFlight, 'int', '1', 'Running per-host runs, by phase');
    const hostOldestPhaseAge = meter.createGauge(exports.GAUGE.hostOldestPhaseAge, 'float', 's', 'By phase, the longest a running per-host run has been in it (0: no host in it)');
    const rolloutNoProgress = meter.createGauge(exports.GAUGE.rolloutNoProgress, 'float', 's', 'By phase, the longest time since a running rollout in it last made progress (0: none in it)');
    const list = async (workflowType) => {
        const runs = [];
        const query = `WorkflowType = '${workflowType}' AND ExecutionStatus = 'Running'`;
        for await (const wf of client.workflow.list({ query, pageSize: 1000 })) {
            const phase = wf.typedSearchAttributes.get(search_attributes_1.KernelRolloutPhase);
            const progressedAt = wf.typedSearchAttributes.get(search_attributes_1.KernelRolloutProgressedAt);
            runs.push({
                workflowId: wf.workflowId,
                ...(phase !== undefined ? { phase } : {}),
                ...(progressedAt !== undefined ? { progressedAt } : {}),
                ...(wf.parentExecution?.workflowId ? { parentWorkflowId: wf.parentExecution.workflowId } : {}),
            });
        }
        return runs;
    };
    const poll = async () => {
        try {
            const [hosts, rolls] = [await list('upgradeHostKernel'), await list('rolloutKernel')];
            const g = fleetGauges(hosts, rolls, Date.now());
            needsAttention.set(g.hostsInFlight.get('needs-attention') ?? 0);
            for (const [phase, n] of g.hostsInFlight)
                hostsInFlight.set(n, { phase });
            for (const [phase, s] of g.hostOldestPhaseAge)
                hostOldestPhaseAge.set(s, { phase });
            for (const [phase, n] of g.rollouts)
                rollouts.set(n, { phase });
            for (const [phase, s] of g.rolloutNoProgress)
                rolloutNoProgress.set(s, { phase });
        }
        catch (err) {
            worker_1.Runtime.instance().logger.warn(`metrics: listing running runs failed: ${err.message}`);
        }
    };
    await poll();
    let timer;
    let stopped = false;
    const loop = () => {
        timer = setTimeout(() => {
            void poll().then(() => {
                if (!stopped)
                    loop();
            });
        }, intervalMs);
    };
    loop();
    return async () => {
        stopped = true;
        clearTimeout(timer);
        await connection.close();
    };
}
//# sourceMappingURL=metrics.js.map