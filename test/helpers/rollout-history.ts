/** What a rollout's history says about how it released its held batches (prepareAhead). */
import type { temporal } from '@temporalio/proto';

/** How a rollout told its held batches: releaseHeldRuns local activities, and rolloutDecision signals of its own. */
export function decisionsSent(history: temporal.api.history.v1.IHistory): { localActivities: number; signals: number } {
  const events = history.events ?? [];
  return {
    localActivities: events.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity').length,
    signals: events.filter(
      (e) => e.signalExternalWorkflowExecutionInitiatedEventAttributes?.signalName === 'rolloutDecision',
    ).length,
  };
}
