/**
 * Custom search attributes (docs/operations.md, web UI): operators filter fleets in the web UI and with
 * `temporal workflow list --query` by phase, target kernel and outcome, e.g.
 *   KernelRolloutPhase = "reboot"                    hosts rebooting right now
 *   KernelRolloutOutcome = "rolled-back"             every host that went back
 *   KernelRolloutTarget = "6.1.0-56-cloud-amd64"     everything aimed at one kernel
 *
 * The workflows upsert them; a namespace that does not know an attribute fails the upserting
 * workflow task, so every path that starts a server or a worker registers them first from
 * KERNEL_ROLLOUT_SEARCH_ATTRIBUTES: startDevServer (`--search-attribute` flags, fresh database),
 * the worker at startup (operator service; existing databases, where its identity may), and on
 * the production server deploy/temporal/create-namespace.sh as admin (its SEARCH_ATTRIBUTES list;
 * test/unit/compose-layout.test.ts keeps it equal to KERNEL_ROLLOUT_SEARCH_ATTRIBUTES).
 *
 * This module imports only @temporalio/common: it is part of the workflow bundle.
 */
import { SearchAttributeType, defineSearchAttributeKey } from '@temporalio/common';

/**
 * The run's current phase. Host runs: `preflight`, `install`, `stage`, `awaiting-approval`,
 * `reboot`, `await`, `verify`, `stability`, `commit`, `rollback`, `power-cycle`,
 * `needs-attention`, `done`. Rollouts: their own phases (`running`, `paused`, `halted`, …).
 */
export const KernelRolloutPhase = defineSearchAttributeKey('KernelRolloutPhase', SearchAttributeType.KEYWORD);

/** The kernel release the run upgrades to, e.g. `6.1.0-56-cloud-amd64`. */
export const KernelRolloutTarget = defineSearchAttributeKey('KernelRolloutTarget', SearchAttributeType.KEYWORD);

/**
 * How the run ended: `upgraded`, `rolled-back`, `needs-attention`, `aborted`, `refused`;
 * rollouts: `completed`, `halted`, `aborted`. Absent while the run is going.
 */
export const KernelRolloutOutcome = defineSearchAttributeKey('KernelRolloutOutcome', SearchAttributeType.KEYWORD);

/**
 * When the run last made progress (workflow time): a host run, when it entered its current phase;
 * a rollout, when its phase changed or one of its hosts ended (host ends: at most one upsert a
 * minute, so it may be up to a minute older than the last host's end). A phase that never ends emits no
 * event, so this is what shows a run stuck in it: the worker's gauges read it from visibility
 * (src/worker/metrics.ts), and `KernelRolloutProgressedAt < "2026-12-04T10:00:00Z"` lists the
 * runs that have not moved since.
 */
export const KernelRolloutProgressedAt = defineSearchAttributeKey(
  'KernelRolloutProgressedAt',
  SearchAttributeType.DATETIME,
);

/** Every attribute the workflows upsert, for registration by the dev server and the worker. */
export const KERNEL_ROLLOUT_SEARCH_ATTRIBUTES = [
  KernelRolloutPhase,
  KernelRolloutTarget,
  KernelRolloutOutcome,
  KernelRolloutProgressedAt,
] as const;

/**
 * The patch id guarding the upserts: runs whose history was recorded before the attributes
 * existed replay without them (an upsert is a command; an unexpected one breaks replay).
 */
export const SEARCH_ATTRIBUTES_PATCH = 'search-attributes';

/**
 * The patch id guarding KernelRolloutProgressedAt: runs recorded before it replay with the same
 * upserts as before (without the attribute), and rollouts without the upsert on each host's end.
 */
export const PROGRESS_ATTRIBUTE_PATCH = 'progress-search-attribute';

/**
 * The patch id that limits a rollout's KernelRolloutProgressedAt upserts on its hosts' ends to one
 * a minute (PROGRESS_UPSERT_EVERY_MS; a phase change still upserts at once). Runs recorded before
 * it replay with one upsert in each workflow task in which a host ended: 77 in a rollout of 100
 * hosts, each a visibility write, while KernelRolloutStuck waits two hours.
 */
export const PROGRESS_ONCE_A_MINUTE_PATCH = 'progress-upsert-once-a-minute';
export const PROGRESS_UPSERT_EVERY_MS = 60_000;

/** The Temporal CLI's spelling of a type (`--search-attribute Name=Keyword`, `--type Keyword`). */
export type SearchAttributeCliType = 'Keyword' | 'Text' | 'Int' | 'Double' | 'Bool' | 'Datetime' | 'KeywordList';

const CLI_TYPES: Record<SearchAttributeType, SearchAttributeCliType> = {
  KEYWORD: 'Keyword',
  TEXT: 'Text',
  INT: 'Int',
  DOUBLE: 'Double',
  BOOL: 'Bool',
  DATETIME: 'Datetime',
  KEYWORD_LIST: 'KeywordList',
};

/** KERNEL_ROLLOUT_SEARCH_ATTRIBUTES as name → CLI type, e.g. { KernelRolloutPhase: 'Keyword' }. */
export function searchAttributesForCli(): Record<string, SearchAttributeCliType> {
  return Object.fromEntries(KERNEL_ROLLOUT_SEARCH_ATTRIBUTES.map((k) => [k.name, CLI_TYPES[k.type]]));
}
