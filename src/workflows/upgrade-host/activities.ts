/**
 * The per-host run's failure model, per activity: read-only steps retry freely; steps that change
 * the host are idempotent (each checks the host's state first), so a retry after a crash is safe.
 * What retrying cannot fix, or retries exhausted, becomes needs-attention (./attention.ts).
 */
import { proxyActivities, type ActivityOptions } from '@temporalio/workflow';
import type { createActivities } from '../../activities';
import { NON_RETRYABLE_ERRORS } from '../../shared/types';
import type { HostUpgrade } from './state';

type Activities = ReturnType<typeof createActivities>;

/** What an activity resolves to, by name. */
export type ActivityResult<Name extends keyof Activities> = Awaited<ReturnType<Activities[Name]>>;

export const nonRetryableErrorTypes = [...NON_RETRYABLE_ERRORS];

/** preflight, verifyKernel. */
export const readOnly = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '2s', maximumInterval: '30s', maximumAttempts: 5, nonRetryableErrorTypes },
});
/** pinKnownGood, stageTrialBoot, rebootHost, confirmTrial, commitKernel, undoTrial. */
export const hostChanges = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '5s', maximumInterval: '1 minute', maximumAttempts: 5, nonRetryableErrorTypes },
});
/** installKernel; awaitHostReturn, whose timeouts follow the run's boot deadline (./reboot.ts). */
export const longRunning = proxyActivities<Activities>({
  startToCloseTimeout: '90 minutes',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '10s', maximumInterval: '2 minutes', maximumAttempts: 3, nonRetryableErrorTypes },
});
/** powerCycle through the host's power driver. */
export const power = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '5s', maximumInterval: '30s', maximumAttempts: 3, nonRetryableErrorTypes },
});

/** Every activity heartbeats (keepAlive): a dead worker is noticed after heartbeatSeconds. */
export function heartbeating(run: HostUpgrade, summary: string): ActivityOptions {
  return { heartbeatTimeout: `${run.input.timeouts.heartbeatSeconds}s`, summary };
}
