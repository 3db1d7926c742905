"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.rehearseFirst = rehearseFirst;
/**
 * `rehearseInVm`: before preflight, the same upgrade on a throwaway VM. Anything but `upgraded`
 * there ends this run `refused` with the host untouched.
 */
const workflow_1 = require("@temporalio/workflow");
const rollout_definitions_1 = require("../rollout-definitions");
const rehearsal_1 = require("../rehearsal");
async function rehearseFirst(run) {
    const { input, host } = run;
    const bad = (0, rollout_definitions_1.checkRehearseInVm)(input.rehearseInVm, input.source);
    if (bad)
        return run.finish('refused', `${bad}; nothing on ${host} was touched`, null);
    const rehearsalId = (0, workflow_1.workflowInfo)().runId;
    run.rehearsalId = rehearsalId;
    run.enter('preflight', `rehearsing the upgrade to ${input.toRelease} on a throwaway VM before ${host} ` +
        `(rehearsal ${rehearsalId}, workflow ${(0, rehearsal_1.rehearsalWorkflowId)(rehearsalId)})`);
    const r = await (0, rehearsal_1.rehearse)(rehearsalId, (0, rehearsal_1.rehearsedUpgrade)(input));
    run.note((0, rehearsal_1.describeRehearsal)(r));
    if (r.outcome === 'upgraded')
        return null;
    return run.finish('refused', `${(0, rehearsal_1.describeRehearsal)(r)}; nothing on ${host} was touched`, null);
}
//# sourceMappingURL=rehearsal.js.map