/**
 * Starting a VM rehearsal from a run that is about to touch real hosts: the single-host upgrade
 * (before its preflight) and the rollout (before its first batch). The rehearsal is a child on
 * the rehearsal task queue; it is abandoned rather than cancelled if its parent ends, so that it
 * still stops its VM. A rehearsal that no worker picks up, or that waits for an operator, ends
 * after REHEARSAL_TIMEOUT and counts as failed.
 */
import { ParentClosePolicy, executeChild } from '@temporalio/workflow';
import {
  REHEARSAL_TASK_QUEUE,
  type RehearsalResult,
  type RehearsedUpgrade,
  type RehearseKernelWorkflow,
} from '../shared/rehearsal-types';
import type { UpgradeHostInput } from '../shared/types';
import { describeFailure } from './failure';

export const REHEARSAL_TIMEOUT = '6 hours';

export function rehearsalWorkflowId(rehearsalId: string): string {
  return `kernel-rehearsal/${rehearsalId}`;
}

/** An upgrade without what belongs to a real host (its target, its power, holds, the rehearsal itself). */
export function rehearsedUpgrade(
  u: Omit<UpgradeHostInput, 'target'> & { ssh?: unknown; target?: unknown },
): RehearsedUpgrade {
  const { target: _t, ssh: _s, power: _p, holdForRollout: _h, rehearseInVm: _r, ...rest } = u;
  return rest;
}

/** Runs the rehearsal; a rehearsal that could not run at all is reported as failed, with why. */
export async function rehearse(rehearsalId: string, upgrade: RehearsedUpgrade): Promise<RehearsalResult> {
  try {
    return await executeChild<RehearseKernelWorkflow>('rehearseKernel', {
      workflowId: rehearsalWorkflowId(rehearsalId),
      taskQueue: REHEARSAL_TASK_QUEUE,
      workflowExecutionTimeout: REHEARSAL_TIMEOUT,
      parentClosePolicy: ParentClosePolicy.ABANDON,
      args: [{ rehearsalId, upgrade }],
    });
  } catch (err) {
    return {
      rehearsalId,
      outcome: 'vm-failed',
      reason: `the rehearsal did not finish: ${describeFailure(err)}`,
      bootedKernel: null,
      vmBootSeconds: 0,
      record: { worker: { dir: '', serialLogBytes: 0 } },
      timeline: [],
    };
  }
}

/** One line for timelines and reasons: how the rehearsal ended and where its serial log is. */
export function describeRehearsal(r: RehearsalResult): string {
  const kept = r.record.artifactHost
    ? `serial log kept on ${r.record.artifactHost.host} in ${r.record.artifactHost.dir}`
    : r.record.worker.dir
      ? `serial log kept on the rehearsal worker in ${r.record.worker.dir}`
      : 'no serial log';
  return `VM rehearsal ${r.rehearsalId}: ${r.outcome} (${r.reason}); ${kept}`;
}
