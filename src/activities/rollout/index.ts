/**
 * The rollout's own activity: releaseHeldRuns (./release.ts) tells the batch it prepared ahead to
 * reboot, or not to, through the worker's Temporal client. It touches no host.
 */
import type { ReleaseHeldRunsRequest } from '../../shared/types';
import { releaseHeldRuns } from './release';

export function createRolloutActivities() {
  return {
    /** Signals every held run of a batch at once; a run that already ended is reported, not retried. */
    releaseHeldRuns: (req: ReleaseHeldRunsRequest) => releaseHeldRuns(req),
  };
}

export type RolloutActivities = ReturnType<typeof createRolloutActivities>;
