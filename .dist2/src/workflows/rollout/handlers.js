"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.registerHandlers = registerHandlers;
/**
 * The rollout's messages: the progress query, the hosts' reboot reports, and the operator's pause,
 * resume, abort, approve, addHosts and skipHost updates. Validators refuse what comes too late or
 * changes nothing, so kernelctl can say why; handlers only change the rollout's state, and the
 * batches react at their next wait.
 */
const workflow_1 = require("@temporalio/workflow");
const rollout_definitions_1 = require("../rollout-definitions");
function registerHandlers(r) {
    (0, workflow_1.setHandler)(rollout_definitions_1.rolloutProgressQuery, (options) => progress(r, options));
    (0, workflow_1.setHandler)(rollout_definitions_1.hostRebootingSignal, (args) => {
        const e = typeof args?.host === 'string' ? r.entries.get(args.host) : undefined;
        // Only hosts in flight; a late signal from a host already recorded is dropped.
        if (!e || e.phase !== 'upgrading' || typeof args.rebooting !== 'boolean')
            return;
        if (args.rebooting === (e.rebooting ?? false))
            return;
        e.rebooting = args.rebooting;
        r.rebooting += args.rebooting ? 1 : -1;
        r.refreshDetails();
    });
    handlePauseAndResume(r);
    handleAbortAndApprove(r);
    handleHostListChanges(r);
}
function progress(r, options) {
    const b = r.budget();
    return {
        rolloutId: r.input.rolloutId,
        phase: r.phase,
        currentBatch: r.batchesStarted,
        totalBatches: r.totalBatches(),
        counts: { ...r.counts },
        pending: r.pendingCount,
        upgrading: r.upgrading,
        rebooting: r.rebooting,
        failures: r.failures,
        budget: b,
        budgetLeft: Math.max(0, b - r.failures),
        hosts: progressHosts(r, options?.hosts ?? 'all'),
        paused: r.paused !== null,
        pausedBy: r.paused?.by ?? null,
        waitingFor: r.waitingFor,
        windowOpensInMs: r.windowOpensAt === null ? null : Math.max(0, r.windowOpensAt - Date.now()),
        approvedBy: r.approvedBy,
        abortedBy: r.abort?.by ?? null,
        runs: r.runs,
        details: r.details,
    };
}
function progressHosts(r, which) {
    const hosts = [];
    if (which === 'none')
        return hosts;
    for (const h of r.order) {
        const e = r.entries.get(h);
        if (which === 'unfinished' && (e.outcome === 'upgraded' || e.outcome === 'skipped'))
            continue;
        const item = { host: h, phase: e.phase };
        if (e.outcome !== undefined)
            item.outcome = e.outcome;
        if (e.reason !== undefined)
            item.reason = e.reason;
        if (e.batch !== undefined)
            item.batch = e.batch;
        if (e.rebooting)
            item.rebooting = true;
        hosts.push(item);
    }
    return hosts;
}
function refuse(bad) {
    if (bad)
        throw new Error(bad);
}
function refuseWhenOver(r, what) {
    const id = r.input.rolloutId;
    if (r.ended)
        throw new Error(`rollout ${id} has ended (${r.phase}); nothing to ${what}`);
    if (r.abort)
        throw new Error(`rollout ${id} was aborted by ${r.abort.by}; nothing to ${what}`);
    if (r.halted) {
        const why = r.rehearsalFailed ? 'the VM rehearsal failed' : 'failure budget exceeded';
        throw new Error(`rollout ${id} halted (${why}); nothing to ${what}`);
    }
}
function handlePauseAndResume(r) {
    const id = r.input.rolloutId;
    (0, workflow_1.setHandler)(rollout_definitions_1.pauseRolloutUpdate, (args) => {
        r.paused = { by: args.by, ...(args.reason ? { reason: args.reason } : {}) };
        r.refreshDetails();
        return `rollout ${id} paused: no new host starts; ${r.upgrading} in flight finish`;
    }, {
        validator: (args) => {
            refuse((0, rollout_definitions_1.checkPauseArgs)(args));
            refuseWhenOver(r, 'pause');
            if (r.paused)
                throw new Error(`rollout ${id} is already paused by ${r.paused.by}`);
        },
    });
    (0, workflow_1.setHandler)(rollout_definitions_1.resumeRolloutUpdate, (args) => {
        r.paused = null;
        r.refreshDetails();
        return `rollout ${id} resumed by ${args.by}`;
    }, {
        validator: (args) => {
            refuse((0, rollout_definitions_1.checkResumeArgs)(args));
            refuseWhenOver(r, 'resume');
            if (!r.paused)
                throw new Error(`rollout ${id} is not paused`);
        },
    });
}
function handleAbortAndApprove(r) {
    const id = r.input.rolloutId;
    (0, workflow_1.setHandler)(rollout_definitions_1.abortRolloutUpdate, (args) => {
        r.abort = { by: args.by, reason: args.reason };
        r.refreshDetails();
        return `rollout ${id} aborting: no new host starts; ${r.upgrading} in flight finish or roll back`;
    }, {
        validator: (args) => {
            refuse((0, rollout_definitions_1.checkAbortRolloutArgs)(args));
            refuseWhenOver(r, 'abort');
        },
    });
    (0, workflow_1.setHandler)(rollout_definitions_1.approveRolloutUpdate, (args) => {
        r.approvedBy = args.by;
        return `rollout ${id} approved by ${args.by}: continuing after the canary`;
    }, {
        validator: (args) => {
            refuse((0, rollout_definitions_1.checkApproveRolloutArgs)(args));
            if (r.waitingFor !== 'approval') {
                throw new Error(`rollout ${id}: nothing waits for approval (phase ${r.phase})`);
            }
        },
    });
}
function handleHostListChanges(r) {
    const id = r.input.rolloutId;
    (0, workflow_1.setHandler)(rollout_definitions_1.addHostsUpdate, (args) => {
        for (const h of args.hosts)
            r.addEntry({ host: h.host, spec: h, phase: 'pending' });
        r.refreshDetails();
        return `added ${args.hosts.length} host(s) to rollout ${id}; ${r.order.length} in total`;
    }, {
        validator: (args) => {
            refuseWhenOver(r, 'add hosts to');
            refuse((0, rollout_definitions_1.checkAddHostsArgs)(args, (h) => r.entries.has(h)));
        },
    });
    (0, workflow_1.setHandler)(rollout_definitions_1.skipHostUpdate, (args) => {
        r.record(args.host, 'skipped', `skipped by ${args.by}${args.reason ? `: ${args.reason}` : ''}`);
        return `${args.host} skipped in rollout ${id}`;
    }, {
        validator: (args) => {
            refuse((0, rollout_definitions_1.checkSkipHostArgs)(args));
            refuseWhenOver(r, 'skip');
            const e = r.entries.get(args.host);
            if (!e)
                throw new Error(`${args.host} is not in rollout ${id}`);
            if (e.phase !== 'pending') {
                throw new Error(`${args.host}: too late to skip (${e.phase}${e.outcome ? `, ${e.outcome}` : ''})`);
            }
        },
    });
}
//# sourceMappingURL=handlers.js.map