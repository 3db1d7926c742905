/**
 * needs-attention: what a run does when retrying cannot help (a changed host key, refused
 * credentials, retries exhausted, a host on a kernel nobody expected). It says so in the UI and the
 * status, and waits without a deadline for an operator: `kernelctl resolve <host> --retry |
 * --mark-fixed | --give-up`.
 */
import { condition } from '@temporalio/workflow';
import type { UpgradeResult } from '../../shared/types';
import type { ResolveAction } from '../definitions';
import { describeFailure } from '../failure';
import type { HostUpgrade } from './state';

/** Ends the run with needs-attention after the operator gave up. */
export class OperatorGaveUp extends Error {}

/** Waits for an operator's decision; throws OperatorGaveUp when it is give-up. */
export async function needsAttention(run: HostUpgrade, reason: string): Promise<ResolveAction> {
  run.enter(
    'needs-attention',
    `${reason} — waiting for an operator: kernelctl resolve ${run.host} --retry | --mark-fixed | --give-up`,
  );
  run.resolution = null;
  run.waitingFor = 'operator';
  await condition(() => run.resolution !== null);
  run.waitingFor = null;
  const chosen = (run.resolution as { action: ResolveAction } | null)?.action ?? 'give-up';
  if (chosen === 'give-up') throw new OperatorGaveUp(reason);
  return chosen;
}

/**
 * Runs one step; a failure that retrying cannot fix or retries exhausted turn into
 * needs-attention, and the operator's retry runs it again. `done` notes what the step found,
 * `failed` what a failure says before the operator is asked.
 */
export async function step<T>(
  run: HostUpgrade,
  what: string,
  activity: () => Promise<T>,
  done?: (result: T) => void,
  failed?: (err: unknown) => void,
): Promise<T> {
  for (;;) {
    let result: T;
    try {
      result = await activity();
    } catch (err) {
      failed?.(err);
      await needsAttention(run, `${what} failed: ${describeFailure(err)}`);
      continue;
    }
    done?.(result);
    return result;
  }
}

/** Ends the run as needs-attention once an operator looked at it (gave up, or fixed it by hand). */
export async function endInNeedsAttention(
  run: HostUpgrade,
  reason: string,
  booted: string | null,
): Promise<UpgradeResult> {
  try {
    await needsAttention(run, reason);
  } catch (err) {
    if (err instanceof OperatorGaveUp) return run.finish('needs-attention', reason, booted);
    throw err;
  }
  return run.finish('needs-attention', `${reason} (operator resolved it by hand)`, booted);
}
