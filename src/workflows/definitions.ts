/**
 * Signals, updates and queries of the per-host workflow, defined once. The workflow registers
 * handlers for them; the client module and the CLI (and other services) import the same
 * definitions, so a renamed handler is a compile error rather than a silent no-op.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { UpgradeStatus } from '../shared/types';
import { CONTROL_CHARS_RE } from '../shared/shell';

export const UPGRADE_WORKFLOW_TYPE = 'upgradeHostKernel';
export const TASK_QUEUE_DEFAULT = 'kernel-rollout';

export function upgradeWorkflowId(host: string): string {
  return `kernel-upgrade/${host}`;
}

export interface ApproveArgs {
  by: string;
  comment?: string;
}
export interface AbortArgs {
  by: string;
  reason: string;
}
export type ResolveAction = 'retry' | 'mark-fixed' | 'give-up';
export interface ResolveArgs {
  by: string;
  action: ResolveAction;
  comment?: string;
}

/** The rollout's word to a run it holds before the reboot (`holdForRollout`). */
export interface RolloutDecisionArgs {
  /** true: reboot now; false: undo the staging and end as aborted. */
  go: boolean;
  /** Who decides: the rollout's workflow id. */
  by: string;
  reason?: string;
}

export const statusQuery = defineQuery<UpgradeStatus>('status');
/** Lets a run waiting before its reboot go on. Rejected unless the run waits for approval. */
export const approveUpdate = defineUpdate<string, [ApproveArgs]>('approve');
/** Stops the run: staging undone before the reboot, rolled back after it. */
export const abortUpdate = defineUpdate<string, [AbortArgs]>('abort');
/** An operator's answer to needs-attention. Rejected unless the run waits for one. */
export const resolveUpdate = defineUpdate<string, [ResolveArgs]>('resolve');

/** How a held run's reason starts when no decision came in time (the rollout starts it again later). */
export const HOLD_EXPIRED_REASON = 'the rollout did not let it reboot within';

/**
 * From the rollout that started the run (a workflow cannot send updates). Ignored unless it comes
 * from that rollout (`by` is its workflow id) while the run holds for it before the reboot; a
 * no-go works like abort.
 */
export const rolloutDecisionSignal = defineSignal<[RolloutDecisionArgs]>('rolloutDecision');

/**
 * Plain checks for update arguments, used by the workflow's validators (zod stays out of the
 * workflow bundle) and mirrored by the zod schemas the client uses.
 */
export function checkActor(by: unknown, max = 100): string | null {
  if (typeof by !== 'string' || by.length < 1 || by.length > max || CONTROL_CHARS_RE.test(by)) {
    return `by: must be 1-${max} printable characters naming who acts`;
  }
  return null;
}

/** The longest `by` of a rolloutDecision: the rollout's workflow id, kernel-rollout/<id of up to 200>. */
export const ROLLOUT_DECIDER_MAX = 'kernel-rollout/'.length + 200;

export function checkText(field: string, value: unknown, required: boolean): string | null {
  if (value === undefined && !required) return null;
  if (typeof value !== 'string' || (required && value.length === 0) || value.length > 1000) {
    return `${field}: must be ${required ? '1' : '0'}-1000 characters`;
  }
  if (CONTROL_CHARS_RE.test(value)) return `${field}: must be one line of printable text (no control characters)`;
  return null;
}

/** `byMax`: 100 in runs recorded before a rollout's own workflow id counted (any id of over 85 characters was refused). */
export function checkRolloutDecisionArgs(args: unknown, byMax = ROLLOUT_DECIDER_MAX): string | null {
  const a = typeof args === 'object' && args !== null ? (args as Record<string, unknown>) : {};
  if (typeof a['go'] !== 'boolean') return 'go: must be true or false';
  return checkActor(a['by'], byMax) ?? checkText('reason', a['reason'], false);
}
