/**
 * Why an activity failed, in the words of its innermost error. The per-host workflow writes it
 * into a run refused at preflight, and `kernelctl plan` prints the same sentence when its
 * preflight fails the same way, so both commands give the operator the cause and its fix.
 *
 * This module imports only @temporalio/common: it is part of the workflow bundle and of the CLI.
 */
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';

export function describeFailure(err: unknown): string {
  let cur: unknown = err;
  // ActivityFailure wraps the activity's ApplicationFailure: report the innermost message.
  while (cur instanceof ActivityFailure && cur.cause) cur = cur.cause;
  if (cur instanceof ApplicationFailure) return `${cur.type ?? 'Error'}: ${cur.message}`;
  if (cur instanceof Error) return cur.message;
  return String(cur);
}

/** The type of the innermost ApplicationFailure (e.g. `UnsafeHostError`), or undefined. */
export function failureType(err: unknown): string | undefined {
  let cur: unknown = err;
  while (cur instanceof ActivityFailure && cur.cause) cur = cur.cause;
  return cur instanceof ApplicationFailure ? (cur.type ?? undefined) : undefined;
}

/** The reason of a run (or a plan) whose preflight could not read the host: nothing was changed. */
export function preflightFailedReason(host: string, err: unknown): string {
  return `preflight could not read ${host}: ${describeFailure(err)}; nothing was changed`;
}

/** Which part of a combined activity failed (`details[0].part`: `pin`, `install`, …), or undefined. */
export function failedPart(err: unknown): string | undefined {
  let cur: unknown = err;
  while (cur instanceof ActivityFailure && cur.cause) cur = cur.cause;
  if (!(cur instanceof ApplicationFailure)) return undefined;
  const detail = cur.details?.[0] as { part?: unknown } | undefined;
  return typeof detail?.part === 'string' ? detail.part : undefined;
}
