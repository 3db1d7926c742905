"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.startHost = startHost;
exports.finishHost = finishHost;
exports.runHost = runHost;
exports.decide = decide;
/**
 * One host of the rollout: start its own upgradeHostKernel run as a child (workflow id
 * kernel-upgrade/<host>, so a host is never in two rollouts at once), wait for it, record its
 * outcome. In-flight hosts are never cancelled — a cancelled reboot could strand a host; their own
 * workflow finishes or rolls back safely.
 *
 * The async functions here keep the shape they had inline in the rollout (the same awaits, the
 * same nesting): hosts run concurrently, and the order in which their commands reach a workflow
 * task depends on it.
 */
const workflow_1 = require("@temporalio/workflow");
const common_1 = require("@temporalio/common");
const definitions_1 = require("../definitions");
const rollout_definitions_1 = require("../rollout-definitions");
/** upgradeHostKernel's preflight says this when it could not reach the host at all. */
const UNREACHABLE_REASON_RE = /^preflight could not read /;
/** Starts the host's run (held before its reboot when `hold`); null when it did not start. */
async function startHost(r, host, batch, hold) {
    const e = r.entries.get(host);
    if (!e || e.phase !== 'pending' || !e.spec)
        return null;
    const hostInput = (0, rollout_definitions_1.hostInputFor)(r.input.template, e.spec);
    if (hold)
        hostInput.holdForRollout = true;
    r.markUpgrading(e, batch);
    try {
        return await (0, workflow_1.startChild)(definitions_1.UPGRADE_WORKFLOW_TYPE, {
            workflowId: (0, definitions_1.upgradeWorkflowId)(host),
            args: [hostInput],
            // Never cancel or terminate a host mid-upgrade because of the rollout: its own workflow
            // knows how to finish or roll back; a cancelled reboot could strand it.
            cancellationType: workflow_1.ChildWorkflowCancellationType.ABANDON,
            parentClosePolicy: workflow_1.ParentClosePolicy.ABANDON,
            staticSummary: `${host} → ${hostInput.toRelease} (rollout ${r.input.rolloutId}, batch ${batch}${hold ? ', prepared ahead' : ''})`,
        });
    }
    catch (err) {
        if (err instanceof common_1.WorkflowExecutionAlreadyStartedError) {
            r.record(host, 'busy', `another run of ${(0, definitions_1.upgradeWorkflowId)(host)} is in progress; this rollout left it alone`);
            return null;
        }
        throw err;
    }
}
/**
 * Waits for the host's run and records its outcome. `held`: the run was prepared ahead;
 * `noGo`: the rollout told it not to reboot.
 */
async function finishHost(r, host, run, held = false, noGo = false) {
    let result;
    try {
        result = await run.result();
    }
    catch (err) {
        if (!(err instanceof workflow_1.ChildWorkflowFailure))
            throw err;
        r.record(host, 'failed', `${(0, definitions_1.upgradeWorkflowId)(host)} failed: ${err.cause?.message ?? err.message}`);
        return;
    }
    if (held && result.outcome === 'aborted' && (noGo || result.reason.startsWith(definitions_1.HOLD_EXPIRED_REASON))) {
        if (noGo) {
            r.record(host, 'not-started', `prepared ahead, never rebooted: ${result.reason}`);
        }
        else {
            // Held past its limit (a long pause or window): it undid its staging; start it again later.
            r.backToPending(host);
        }
        return;
    }
    const outcome = result.outcome === 'refused' && UNREACHABLE_REASON_RE.test(result.reason) ? 'unreachable' : result.outcome;
    r.record(host, outcome, result.reason);
}
async function runHost(r, host, batch) {
    const run = await startHost(r, host, batch, false);
    if (run)
        await finishHost(r, host, run);
}
/** Tells a held run to reboot (go) or to undo its staging; a run that already ended ignores it. */
async function decide(run, go, reason) {
    try {
        await run.signal(definitions_1.rolloutDecisionSignal, { go, by: (0, workflow_1.workflowInfo)().workflowId, reason });
    }
    catch {
        // The run has ended (e.g. preflight refused the host): its result says what happened.
    }
}
//# sourceMappingURL=hosts.js.map