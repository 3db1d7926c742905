"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.prepareNextBatchDuringReboots = prepareNextBatchDuringReboots;
exports.endHold = endHold;
/**
 * prepareAhead: while a batch reboots, the next batch preflights, installs and stages, then holds
 * before its own reboot (holdForRollout) until its turn. Only reboots are serialised; a halt or
 * abort tells the held runs no go, and each undoes its staging (the new kernel stays installed,
 * the known-good kernel stays the default).
 */
const workflow_1 = require("@temporalio/workflow");
const rollout_plan_1 = require("../../shared/rollout-plan");
const hosts_1 = require("./hosts");
/**
 * Once this batch's hosts are rebooting (or done), prepares the next batch during their boot.
 * Not sooner, so it does not slow this batch's own steps; not across the approval after the
 * canary, nor when a continueAsNew is due. Not `async`: the batch loop awaits the very promise.
 */
function prepareNextBatchDuringReboots(r, hosts, historyLong) {
    const { input } = r;
    const approvalNext = input.approveAfterCanary && input.strategy.canary > 0 && r.batchesStarted === 1;
    if (input.prepareAhead !== true || approvalNext || historyLong)
        return Promise.resolve();
    const batchIndex = r.batchesStarted;
    const away = (h) => {
        const e = r.entries.get(h);
        // Rebooting, done, or back to pending (a held run that gave up waiting).
        return e === undefined || e.phase !== 'upgrading' || e.rebooting === true;
    };
    return (async () => {
        await (0, workflow_1.condition)(() => hosts.every(away) || r.isAborted() || r.isHalted());
        // Paused: no new host starts, prepared or not; the next batch starts after resume.
        if (r.isAborted() || r.isHalted() || r.isPaused())
            return;
        const inThis = new Set(hosts);
        const next = r
            .pendingHosts()
            .filter((h) => !inThis.has(h))
            .slice(0, (0, rollout_plan_1.batchSizeAt)(input.strategy, batchIndex, r.order.length));
        if (next.length > 0)
            r.ahead = prepareBatch(r, next, batchIndex + 1);
        r.refreshDetails();
    })();
}
/** Starts the next batch's runs now, each held after staging until the batch's turn. */
function prepareBatch(r, hosts, batch) {
    const runs = new Map();
    for (const h of hosts)
        runs.set(h, (0, hosts_1.startHost)(r, h, batch, true));
    return { batch, hosts, runs };
}
/**
 * Ends the prepared batch's hold: go (its turn: every held run reboots) or no go (the rollout
 * stops: each undoes its staging and is recorded as not started); then records the outcomes.
 */
async function endHold(r, a, go, reason) {
    await Promise.all(a.hosts.map(async (host) => {
        const run = await a.runs.get(host);
        if (!run)
            return;
        await (0, hosts_1.decide)(run, go, reason);
        await (0, hosts_1.finishHost)(r, host, run, true, !go);
    }));
}
//# sourceMappingURL=prepare-ahead.js.map