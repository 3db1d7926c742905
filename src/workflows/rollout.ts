/**
 * rolloutKernel: a fleet rollout (docs/design.md, fleet workflow). Each host is upgraded by its own
 * `upgradeHostKernel` run, started here as a child with the workflow id kernel-upgrade/<host>,
 * so a host is never in two rollouts at once: a host whose run is already going is reported
 * `busy` and left alone.
 *
 * Order of things: canary batch, optional approval, then the batches (rollout-plan.ts), each
 * started only inside the maintenance window and while not paused; hosts of a batch run
 * concurrently, at most maxUnavailable at once. Any outcome but `upgraded` is a failure; once
 * failures exceed the budget no new host starts and the rollout halts after the hosts in flight
 * finish. `abort` stops starting hosts the same way. In-flight hosts are never cancelled — a
 * cancelled reboot could strand a host; their own workflow finishes or rolls back safely — and
 * they are started with ABANDON policies so even terminating the rollout leaves them running.
 *
 * History stays bounded: between batches (never with a child running) the run continues as new
 * when the history is long, carrying the outcomes and operator state (RolloutCarry); the next
 * run's input lists only the hosts not yet started.
 *
 * This file is the batch loop; the steps are in ./rollout/ (state.ts holds everything the rollout
 * knows). Every wait of the loop is awaited here, on the promise a step returns.
 */
import { ApplicationFailure, allHandlersFinished, condition, continueAsNew, workflowInfo } from '@temporalio/workflow';
import { isPatched } from './patches';
import { POWER_CREDENTIALS_PATCH, describeProblems, rolloutCredentialProblems } from './input-check';
import { checkRolloutInput, type RolloutCarry, type RolloutInput, type RolloutResult } from './rollout-definitions';
import { startNextBatch, waitAtNextGate } from './rollout/batches';
import { registerHandlers } from './rollout/handlers';
import { endHold, prepareNextBatchDuringReboots } from './rollout/prepare-ahead';
import { rehearseBeforeFirstBatch } from './rollout/rehearsal';
import { countRolloutEnded } from './metrics';
import { Rollout } from './rollout/state';

export async function rolloutKernel(input: RolloutInput, carried?: RolloutCarry): Promise<RolloutResult> {
  const carriedHosts = new Set((carried?.finished ?? []).map((r) => r.host));
  const badInput = checkRolloutInput(input, carried ? { alreadyIn: (h) => carriedHosts.has(h) } : undefined);
  if (badInput) throw ApplicationFailure.nonRetryable(badInput, 'InvalidInputError');
  // No credential in a power command's argv (it would stay in this history and each host's);
  // rollouts recorded before the rule replay without it.
  if (isPatched(POWER_CREDENTIALS_PATCH)) {
    const credentials = rolloutCredentialProblems(input);
    if (credentials.length) throw ApplicationFailure.nonRetryable(describeProblems(credentials), 'InvalidInputError');
  }
  const rollout = new Rollout(input, carried);
  registerHandlers(rollout);

  rollout.refreshDetails();
  // A continued run carries the rehearsal's verdict: it rehearsed before its first batch.
  if (input.rehearseInVm && !carried) await rehearseBeforeFirstBatch(rollout);
  for (;;) {
    if (rollout.isAborted() || rollout.isHalted()) break;
    const pending = rollout.pendingHosts();
    if (pending.length === 0 && rollout.preparedAhead() === null) break;

    // Between batches nothing is in flight (a prepared batch is run first): the one safe place
    // to continue as new.
    const info = workflowInfo();
    const historyLong = info.historyLength > rollout.maxHistoryEvents || info.continueAsNewSuggested;
    if (historyLong && rollout.preparedAhead() === null) {
      await condition(allHandlersFinished);
      return continueAsNew<typeof rolloutKernel>({ ...input, hosts: rollout.unstartedHosts() }, rollout.carry());
    }

    // The approval after the canary, the pause between batches, an operator's pause, the window:
    // after any wait everything is looked at again (an abort or a new host may have come).
    const gate = waitAtNextGate(rollout);
    if (gate !== null) {
      await gate;
      rollout.windowOpensAt = null; // only the window's wait sets it
      continue;
    }

    // prepareAhead: the next batch installs and stages while this one reboots, then holds.
    const batch = startNextBatch(rollout, pending);
    const preparing = prepareNextBatchDuringReboots(rollout, batch.hosts, historyLong);
    await batch.running;
    await preparing;
    rollout.pauseOwed = true;
  }

  // Halted or aborted with a batch held before its reboot: no go, each undoes its staging.
  const prepared = rollout.preparedAhead();
  if (prepared !== null) {
    await endHold(
      rollout,
      prepared,
      false,
      rollout.abort
        ? `rollout aborted by ${rollout.abort.by}: ${rollout.abort.reason}`
        : 'rollout halted: failure budget exceeded',
    );
    rollout.ahead = null;
  }
  const { outcome, reason, budget } = endRollout(rollout);
  await condition(allHandlersFinished);
  return rollout.result(outcome, reason, budget);
}

/** Records every host not started, and enters the rollout's last phase. */
function endRollout(r: Rollout): { outcome: RolloutResult['outcome']; reason: string; budget: number } {
  const { abort } = r;
  for (const h of r.pendingHosts()) {
    r.record(h, 'not-started', abort ? `rollout aborted by ${abort.by}: ${abort.reason}` : 'rollout halted');
  }
  const outcome: RolloutResult['outcome'] = abort ? 'aborted' : r.halted ? 'halted' : 'completed';
  const budget = r.budget();
  const reason =
    outcome === 'aborted'
      ? `aborted by ${abort?.by}: ${abort?.reason}`
      : outcome === 'halted' && r.rehearsalFailed
        ? `${r.rehearsalFailed}; no host started`
        : outcome === 'halted'
          ? `${r.failures} host(s) failed, more than the budget of ${budget} (${r.input.failureBudget}); no new host started`
          : `${r.counts.upgraded} of ${r.order.length} host(s) upgraded, ${r.failures} failed (budget ${budget})`;
  r.ended = true;
  r.enter(outcome, null);
  countRolloutEnded(outcome);
  return { outcome, reason, budget };
}
