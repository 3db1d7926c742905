"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.PROGRESS_ATTRIBUTE_PATCH = exports.SEARCH_ATTRIBUTES_PATCH = exports.KERNEL_ROLLOUT_SEARCH_ATTRIBUTES = exports.KernelRolloutProgressedAt = exports.KernelRolloutOutcome = exports.KernelRolloutTarget = exports.KernelRolloutPhase = void 0;
exports.searchAttributesForCli = searchAttributesForCli;
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
const common_1 = require("@temporalio/common");
/**
 * The run's current phase. Host runs: `preflight`, `install`, `stage`, `awaiting-approval`,
 * `reboot`, `await`, `verify`, `stability`, `commit`, `rollback`, `power-cycle`,
 * `needs-attention`, `done`. Rollouts: their own phases (`running`, `paused`, `halted`, …).
 */
exports.KernelRolloutPhase = (0, common_1.defineSearchAttributeKey)('KernelRolloutPhase', common_1.SearchAttributeType.KEYWORD);
/** The kernel release the run upgrades to, e.g. `6.1.0-56-cloud-amd64`. */
exports.KernelRolloutTarget = (0, common_1.defineSearchAttributeKey)('KernelRolloutTarget', common_1.SearchAttributeType.KEYWORD);
/**
 * How the run ended: `upgraded`, `rolled-back`, `needs-attention`, `aborted`, `refused`;
 * rollouts: `completed`, `halted`, `aborted`. Absent while the run is going.
 */
exports.KernelRolloutOutcome = (0, common_1.defineSearchAttributeKey)('KernelRolloutOutcome', common_1.SearchAttributeType.KEYWORD);
/**
 * When the run last made progress (workflow time): a host run, when it entered its current phase;
 * a rollout, when its phase changed or one of its hosts ended. A phase that never ends emits no
 * event, so this is what shows a run stuck in it: the worker's gauges read it from visibility
 * (src/worker/metrics.ts), and `KernelRolloutProgressedAt < "2026-12-04T10:00:00Z"` lists the
 * runs that have not moved since.
 */
exports.KernelRolloutProgressedAt = (0, common_1.defineSearchAttributeKey)('KernelRolloutProgressedAt', common_1.SearchAttributeType.DATETIME);
/** Every attribute the workflows upsert, for registration by the dev server and the worker. */
exports.KERNEL_ROLLOUT_SEARCH_ATTRIBUTES = [
    exports.KernelRolloutPhase,
    exports.KernelRolloutTarget,
    exports.KernelRolloutOutcome,
    exports.KernelRolloutProgressedAt,
];
/**
 * The patch id guarding the upserts: runs whose history was recorded before the attributes
 * existed replay without them (an upsert is a command; an unexpected one breaks replay).
 */
exports.SEARCH_ATTRIBUTES_PATCH = 'search-attributes';
/**
 * The patch id guarding KernelRolloutProgressedAt: runs recorded before it replay with the same
 * upserts as before (without the attribute), and rollouts without the upsert on each host's end.
 */
exports.PROGRESS_ATTRIBUTE_PATCH = 'progress-search-attribute';
const CLI_TYPES = {
    KEYWORD: 'Keyword',
    TEXT: 'Text',
    INT: 'Int',
    DOUBLE: 'Double',
    BOOL: 'Bool',
    DATETIME: 'Datetime',
    KEYWORD_LIST: 'KeywordList',
};
/** KERNEL_ROLLOUT_SEARCH_ATTRIBUTES as name → CLI type, e.g. { KernelRolloutPhase: 'Keyword' }. */
function searchAttributesForCli() {
    return Object.fromEntries(exports.KERNEL_ROLLOUT_SEARCH_ATTRIBUTES.map((k) => [k.name, CLI_TYPES[k.type]]));
}
//# sourceMappingURL=search-attributes.js.map