/**
 * The per-host run's messages: the status query, the operator's approve, abort and resolve
 * updates, and the rollout's decision signal. Each validator refuses what would change nothing or
 * come too late, so the caller hears why; the handlers only change the run's state, and the main
 * sequence reacts at its next wait.
 */
import { setHandler } from '@temporalio/workflow';
import { isPatched } from '../patches';
import {
  abortUpdate,
  approveUpdate,
  checkActor,
  checkRolloutDecisionArgs,
  ROLLOUT_DECIDER_MAX,
  checkText,
  resolveUpdate,
  rolloutDecisionSignal,
  statusQuery,
} from '../definitions';
import { abortAnswerAfterReturn } from './return-commit';
import type { HostUpgrade } from './state';

export function registerHandlers(run: HostUpgrade): void {
  setHandler(statusQuery, () => run.status());
  handleApprove(run);
  handleAbort(run);
  handleRolloutDecision(run);
  handleResolve(run);
}

function handleApprove(run: HostUpgrade): void {
  setHandler(
    approveUpdate,
    (args) => {
      run.approvedBy = args.by;
      run.note(`approved by ${args.by}${args.comment ? `: ${args.comment}` : ''}`);
      return `approved: ${run.host} reboots into ${run.input.toRelease}`;
    },
    {
      validator: (args) => {
        const bad = checkActor(args?.by) ?? checkText('comment', args?.comment, false);
        if (bad) throw new Error(bad);
        if (run.waitingFor !== 'approval') {
          throw new Error(`${run.host}: nothing waits for approval (phase ${run.phase})`);
        }
      },
    },
  );
}

function handleAbort(run: HostUpgrade): void {
  setHandler(
    abortUpdate,
    (args) => {
      run.abortRequest = { by: args.by, reason: args.reason };
      run.note(`abort requested by ${args.by}: ${args.reason}`);
      // The wait for the trial boot may be committing it (./return-commit.ts): answer once it settled.
      if (run.commitOnReturn === 'in-flight') return abortAnswerAfterReturn(run);
      return run.rebootIssued
        ? `${run.host}: aborting after the reboot — rolling back to ${run.from ?? 'the known-good kernel'}`
        : `${run.host}: aborting before the reboot — staging will be undone`;
    },
    {
      validator: (args) => {
        const bad = checkActor(args?.by) ?? checkText('reason', args?.reason, true);
        if (bad) throw new Error(bad);
        if (run.outcome !== null || run.phase === 'commit' || run.phase === 'done') {
          throw new Error(`${run.host}: too late to abort (phase ${run.phase})`);
        }
        if (run.abortRequest) throw new Error(`${run.host}: abort already requested by ${run.abortRequest.by}`);
      },
    },
  );
}

/** A rolloutDecision's `by` may be as long as the rollout's workflow id. */
export const LONG_ROLLOUT_IDS_PATCH = 'rollout-decision-from-long-rollout-ids';

/** A signal cannot be refused: a bad or late one is noted in the timeline and changes nothing. */
function handleRolloutDecision(run: HostUpgrade): void {
  setHandler(rolloutDecisionSignal, (args) => {
    // A rollout's workflow id is kernel-rollout/<id of up to 200>: runs recorded before took a
    // `by` of at most 100 characters, so a rollout with an id of over 85 could never say go. Only
    // a longer `by` asks the patch: a run that never sees one records no marker for it.
    const long = typeof args?.by === 'string' && args.by.length > 100;
    const bad = checkRolloutDecisionArgs(args, long && isPatched(LONG_ROLLOUT_IDS_PATCH) ? ROLLOUT_DECIDER_MAX : 100);
    if (bad) return run.note(`ignored a rolloutDecision signal: ${bad}`);
    if (run.rolloutId !== undefined && args.by !== run.rolloutId) {
      return run.note(
        `ignored a rolloutDecision from ${args.by}: only ${run.rolloutId}, which started this run, decides`,
      );
    }
    if (
      !run.input.holdForRollout ||
      run.rebootIssued ||
      run.outcome !== null ||
      run.releasedBy !== null ||
      run.abortRequest
    ) {
      return run.note(`ignored a rolloutDecision (${args.go ? 'go' : 'no go'}) from ${args.by}: nothing waits for it`);
    }
    if (args.go) {
      run.releasedBy = args.by;
      run.note(`released by ${args.by}${args.reason ? `: ${args.reason}` : ''}`);
    } else {
      const reason = args.reason ?? 'the rollout does not go on';
      run.abortRequest = { by: args.by, reason };
      run.note(`no go from ${args.by}: ${reason}`);
    }
  });
}

function handleResolve(run: HostUpgrade): void {
  setHandler(
    resolveUpdate,
    (args) => {
      run.resolution = { action: args.action, by: args.by };
      run.note(`operator ${args.by} chose ${args.action}${args.comment ? `: ${args.comment}` : ''}`);
      return `${run.host}: ${args.action} accepted`;
    },
    {
      validator: (args) => {
        const bad = checkActor(args?.by) ?? checkText('comment', args?.comment, false);
        if (bad) throw new Error(bad);
        if (!['retry', 'mark-fixed', 'give-up'].includes(args?.action)) {
          throw new Error('action: must be retry, mark-fixed or give-up');
        }
        if (run.waitingFor !== 'operator') {
          throw new Error(`${run.host}: no operator decision is awaited (phase ${run.phase})`);
        }
      },
    },
  );
}
