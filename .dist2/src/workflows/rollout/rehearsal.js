"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.rehearseBeforeFirstBatch = rehearseBeforeFirstBatch;
/**
 * `rehearseInVm`: before the first batch, the template's upgrade on a throwaway VM. Anything but
 * `upgraded` there halts the rollout before any host starts.
 */
const workflow_1 = require("@temporalio/workflow");
const rehearsal_1 = require("../rehearsal");
async function rehearseBeforeFirstBatch(rollout) {
    rollout.rehearsing = true;
    rollout.refreshDetails();
    const r = await (0, rehearsal_1.rehearse)((0, workflow_1.workflowInfo)().runId, (0, rehearsal_1.rehearsedUpgrade)(rollout.input.template));
    rollout.rehearsing = false;
    if (r.outcome !== 'upgraded') {
        rollout.rehearsalFailed = (0, rehearsal_1.describeRehearsal)(r);
        rollout.halted = true;
    }
    rollout.refreshDetails();
}
//# sourceMappingURL=rehearsal.js.map