/**
 * Every behaviour change of the workflows is asked through isPatched, not `patched()` itself.
 *
 * `patched(id)` records a marker in the history and, with it, an upsert of the
 * TemporalChangeVersion search attribute (the SDK adds it; each one a visibility write on the
 * server). A run of upgradeHostKernel asked up to a dozen of them, each on the way of its host.
 * A run started now asks one: the newest set's marker (PATCH_SETS[0]), which stands for every
 * patch in its ids, so `isPatched(id)` for those ids is that one marker's answer.
 *
 * Replay stays exact:
 * - A run recorded with a set's marker asks for it at the same point (the first isPatched of the
 *   run) and gets true again. It asks every newer set's marker first: false on replay (its history
 *   has none) and no command. It never asks the single patches its set stands for, so their
 *   absence from its history is what replay expects.
 * - A run recorded before the sets (one marker per patch) has none of their markers: on replay
 *   `patched()` of each set is false and issues no command, and each single patch is asked as
 *   before, true where its marker is.
 * - A run in flight across an upgrade asks the newest set's marker live at its next isPatched and
 *   takes every patch from there on, as it would have taken each one live before (a live
 *   `patched()` is always true); the marker is recorded at that point, so its replay takes the
 *   same turn. A set holds every id of the set before it, so no answer it gave turns back.
 *
 * A set is closed once released: a patch added after it must be false for the runs recorded
 * with it, which did not have it. Such a patch either gets its own marker (PATCHES_AFTER_THE_SETS)
 * or goes into a new set, listed first, that holds every id of the one before and the new ones.
 * test/unit/patch-set.test.ts holds the lists to the ids the workflows declare, each set to the one
 * before it, and the modules to no other call of `patched()`.
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

/** The second set: the first one's patches and the wait and commit of the trial as one activity. */
export const PATCH_SET_2026_12_06_2 = 'patch-set-2026-12-06-2';
export const IN_PATCH_SET_2026_12_06_2: ReadonlySet<string> = new Set([
  ...IN_PATCH_SET_2026_12_06,
  'await-verify-commit-in-one-activity',
]);

/** The sets, newest first: a run started now records the first one's marker. */
export const PATCH_SETS: readonly { readonly marker: string; readonly ids: ReadonlySet<string> }[] = [
  { marker: PATCH_SET_2026_12_06_2, ids: IN_PATCH_SET_2026_12_06_2 },
  { marker: PATCH_SET_2026_12_06, ids: IN_PATCH_SET_2026_12_06 },
];

/** Patches added after the newest set: each asked with its own marker. */
export const PATCHES_AFTER_THE_SETS: ReadonlySet<string> = new Set<string>();

/** Whether this run takes the change `id` (see the module's comment). */
export function isPatched(id: string): boolean {
  for (const set of PATCH_SETS) {
    if (set.ids.has(id) && patched(set.marker)) return true;
  }
  return patched(id);
}
