/**
 * `rehearseInVm`: before preflight, the same upgrade on a throwaway VM. Anything but `upgraded`
 * there ends this run `refused` with the host untouched.
 */
import { workflowInfo } from '@temporalio/workflow';
import type { UpgradeResult } from '../../shared/types';
import { checkRehearseInVm } from '../rollout-definitions';
import { describeRehearsal, rehearsalWorkflowId, rehearse, rehearsedUpgrade } from '../rehearsal';
import type { HostUpgrade } from './state';

export async function rehearseFirst(run: HostUpgrade): Promise<UpgradeResult | null> {
  const { input, host } = run;
  const bad = checkRehearseInVm(input.rehearseInVm, input.source);
  if (bad) return run.finish('refused', `${bad}; nothing on ${host} was touched`, null);
  const rehearsalId = workflowInfo().runId;
  run.rehearsalId = rehearsalId;
  run.enter(
    'preflight',
    `rehearsing the upgrade to ${input.toRelease} on a throwaway VM before ${host} ` +
      `(rehearsal ${rehearsalId}, workflow ${rehearsalWorkflowId(rehearsalId)})`,
  );
  const r = await rehearse(rehearsalId, rehearsedUpgrade(input));
  run.note(describeRehearsal(r));
  if (r.outcome === 'upgraded') return null;
  return run.finish('refused', `${describeRehearsal(r)}; nothing on ${host} was touched`, null);
}
