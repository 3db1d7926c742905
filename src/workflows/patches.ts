/**
 * Every behaviour change of the workflows is asked through isPatched, not `patched()` itself.
 *
 * `patched(id)` records a marker in the history and, with it, an upsert of the
 * TemporalChangeVersion search attribute (the SDK adds it; each one a visibility write on the
 * server). A run of upgradeHostKernel asked up to a dozen of them, each on the way of its host.
 * A run started now asks one: PATCH_SET_2026_12_06, whose marker stands for every patch in
 * IN_PATCH_SET_2026_12_06, so `isPatched(id)` for those ids is that one marker's answer.
 *
 * Replay stays exact:
 * - A run recorded with the set's marker asks for it at the same point (the first isPatched of
 *   the run) and gets true again; it never asks the single patches, so their absence from its
 *   history is what replay expects.
 * - A run recorded before the set (one marker per patch) does not have the set's marker: on replay
 *   `patched()` of the set is false and issues no command, and each single patch is asked as
 *   before, true where its marker is.
 * - A run in flight across the upgrade asks the set's marker live at its next isPatched and takes
 *   every patch from there on, as it would have taken each one live before (a live `patched()` is
 *   always true); the marker is recorded at that point, so its replay takes the same turn.
 *
 * The set is closed: a patch added after it gets its own marker (it must be false for the runs
 * recorded with the set, which did not have it). List such ids in PATCHES_AFTER_THE_SET; a later
 * set may take them in. test/unit/patch-set.test.ts holds both lists to the ids the workflows
 * declare and to no other call of `patched()`.
 */
import { patched } from '@temporalio/workflow';

/** The marker that stands for every patch in IN_PATCH_SET_2026_12_06. */
export const PATCH_SET_2026_12_06 = 'patch-set-2026-12-06';

/** The patches the set's marker stands for: every patch the workflows had on 2026-12-06. */
export const IN_PATCH_SET_2026_12_06: ReadonlySet<string> = new Set([
  'power-argv-no-credentials',
  'search-attributes',
  'progress-search-attribute',
  'progress-upsert-once-a-minute',
  'report-reboot-to-rollout',
  'driver-kinds-from-preflight',
  'pin-install-stage-in-one-activity',
  'verify-confirm-commit-in-one-activity',
  'no-zero-stability-window',
  'no-rebooting-false-signal-before-the-end',
  'report-rebooting-once-the-reboot-is-issued',
  'reboot-count-owns-lost-attempts',
  'await-counts-from-reboot',
  'trial-boot-evidence',
  'console-evidence',
  'release-held-batch-at-once',
  'rollout-decision-from-long-rollout-ids',
]);

/** Patches added after the set: each asked with its own marker. */
export const PATCHES_AFTER_THE_SET: ReadonlySet<string> = new Set<string>();

/** Whether this run takes the change `id` (see the module's comment). */
export function isPatched(id: string): boolean {
  return (IN_PATCH_SET_2026_12_06.has(id) && patched(PATCH_SET_2026_12_06)) || patched(id);
}
