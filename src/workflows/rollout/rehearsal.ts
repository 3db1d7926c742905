/**
 * `rehearseInVm`: before the first batch, the template's upgrade on a throwaway VM. Anything but
 * `upgraded` there halts the rollout before any host starts.
 */
import { workflowInfo } from '@temporalio/workflow';
import { describeRehearsal, rehearse, rehearsedUpgrade } from '../rehearsal';
import type { Rollout } from './state';

export async function rehearseBeforeFirstBatch(rollout: Rollout): Promise<void> {
  rollout.rehearsing = true;
  rollout.refreshDetails();
  const r = await rehearse(workflowInfo().runId, rehearsedUpgrade(rollout.input.template));
  rollout.rehearsing = false;
  if (r.outcome !== 'upgraded') {
    rollout.rehearsalFailed = describeRehearsal(r);
    rollout.halted = true;
  }
  rollout.refreshDetails();
}
