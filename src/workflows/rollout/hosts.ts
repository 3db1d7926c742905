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
import {
  ChildWorkflowCancellationType,
  ChildWorkflowFailure,
  ParentClosePolicy,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { UpgradeResult } from '../../shared/types';
import { HOLD_EXPIRED_REASON, UPGRADE_WORKFLOW_TYPE, rolloutDecisionSignal, upgradeWorkflowId } from '../definitions';
import { hostInputFor, type HostRolloutOutcome } from '../rollout-definitions';
import type { upgradeHostKernel } from '../upgrade-host';
import type { HostRun, Rollout } from './state';

/** upgradeHostKernel's preflight says this when it could not reach the host at all. */
const UNREACHABLE_REASON_RE = /^preflight could not read /;

/** Starts the host's run (held before its reboot when `hold`); null when it did not start. */
export async function startHost(r: Rollout, host: string, batch: number, hold: boolean): Promise<HostRun | null> {
  const e = r.entries.get(host);
  if (!e || e.phase !== 'pending' || !e.spec) return null;
  const hostInput = hostInputFor(r.input.template, e.spec);
  if (hold) hostInput.holdForRollout = true;
  r.markUpgrading(e, batch);
  try {
    return await startChild<typeof upgradeHostKernel>(UPGRADE_WORKFLOW_TYPE, {
      workflowId: upgradeWorkflowId(host),
      args: [hostInput],
      // Never cancel or terminate a host mid-upgrade because of the rollout: its own workflow
      // knows how to finish or roll back; a cancelled reboot could strand it.
      cancellationType: ChildWorkflowCancellationType.ABANDON,
      parentClosePolicy: ParentClosePolicy.ABANDON,
      staticSummary: `${host} → ${hostInput.toRelease} (rollout ${r.input.rolloutId}, batch ${batch}${hold ? ', prepared ahead' : ''})`,
    });
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) {
      r.record(host, 'busy', `another run of ${upgradeWorkflowId(host)} is in progress; this rollout left it alone`);
      return null;
    }
    throw err;
  }
}

/**
 * Waits for the host's run and records its outcome. `held`: the run was prepared ahead;
 * `noGo`: the rollout told it not to reboot.
 */
export async function finishHost(r: Rollout, host: string, run: HostRun, held = false, noGo = false): Promise<void> {
  let result: UpgradeResult;
  try {
    result = await run.result();
  } catch (err) {
    if (!(err instanceof ChildWorkflowFailure)) throw err;
    r.record(host, 'failed', `${upgradeWorkflowId(host)} failed: ${err.cause?.message ?? err.message}`);
    return;
  }
  if (held && result.outcome === 'aborted' && (noGo || result.reason.startsWith(HOLD_EXPIRED_REASON))) {
    if (noGo) {
      r.record(host, 'not-started', `prepared ahead, never rebooted: ${result.reason}`);
    } else {
      // Held past its limit (a long pause or window): it undid its staging; start it again later.
      r.backToPending(host);
    }
    return;
  }
  const outcome: HostRolloutOutcome =
    result.outcome === 'refused' && UNREACHABLE_REASON_RE.test(result.reason) ? 'unreachable' : result.outcome;
  r.record(host, outcome, result.reason);
}

export async function runHost(r: Rollout, host: string, batch: number): Promise<void> {
  const run = await startHost(r, host, batch, false);
  if (run) await finishHost(r, host, run);
}

/** Tells a held run to reboot (go) or to undo its staging; a run that already ended ignores it. */
export async function decide(run: HostRun, go: boolean, reason: string): Promise<void> {
  try {
    await run.signal(rolloutDecisionSignal, { go, by: workflowInfo().workflowId, reason });
  } catch {
    // The run has ended (e.g. preflight refused the host): its result says what happened.
  }
}
