"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.BUILD_ID_RE = void 0;
exports.buildWorkflowId = buildWorkflowId;
exports.buildIdOf = buildIdOf;
exports.startBuild = startBuild;
exports.buildState = buildState;
exports.buildResult = buildResult;
exports.formatProgress = formatProgress;
exports.formatResult = formatResult;
/**
 * Kernel builds through Temporal, for kernelctl and other TypeScript services: start (or join)
 * the buildKernel workflow for a spec, read its progress, its result, cancel it. A build's id is
 * derived from its validated spec, so asking for the same spec again finds the same workflow
 * (while it runs) or starts a run that answers from the build cache.
 */
const node_crypto_1 = require("node:crypto");
const client_1 = require("@temporalio/client");
const common_1 = require("@temporalio/common");
const build_schemas_1 = require("../shared/build-schemas");
const schemas_1 = require("../shared/schemas");
exports.BUILD_ID_RE = /^[0-9a-f]{16}$/;
function buildWorkflowId(id) {
    return `kernel-build/${id}`;
}
/**
 * The id of a (validated) spec: the first 16 hex digits of its JSON's sha256. `rebuild` is not
 * part of it: a retry of a failed build has the failed build's id.
 */
function buildIdOf(input) {
    const { rebuild: _rebuild, ...spec } = (0, schemas_1.parseOrThrow)(build_schemas_1.buildKernelInputSchema, input);
    return (0, node_crypto_1.createHash)('sha256').update(JSON.stringify(spec)).digest('hex').slice(0, 16);
}
async function startBuild(client, taskQueue, input) {
    const spec = (0, schemas_1.parseOrThrow)(build_schemas_1.buildKernelInputSchema, input);
    const id = buildIdOf(spec);
    const handle = await client.workflow.start('buildKernel', {
        taskQueue,
        workflowId: buildWorkflowId(id),
        workflowIdConflictPolicy: client_1.WorkflowIdConflictPolicy.USE_EXISTING,
        args: [spec],
    });
    return { id, handle };
}
/** The workflow's status, and the running build's last heartbeat (what the web UI shows too). */
async function buildState(client, id) {
    const d = await client.workflow.getHandle(buildWorkflowId(id)).describe();
    const pending = d.raw.pendingActivities?.find((a) => a.activityType?.name === 'runBuild');
    const payload = pending?.heartbeatDetails?.payloads?.[0];
    const progress = payload ? common_1.defaultPayloadConverter.fromPayload(payload) : undefined;
    return { id, status: d.status.name, ...(progress ? { progress } : {}) };
}
async function buildResult(client, id) {
    return client.workflow.getHandle(buildWorkflowId(id)).result();
}
function formatProgress(p) {
    const t = `${Math.floor(p.elapsedSeconds / 60)}m${String(p.elapsedSeconds % 60).padStart(2, '0')}s`;
    const total = p.total ? ` of about ${p.total}` : '';
    return `${p.phase}: ${p.compiled}${total} objects compiled, ${t}${p.lastLine ? ` — ${p.lastLine.trim()}` : ''}`;
}
function formatResult(r) {
    return [
        `${r.release}: ${r.cached ? 'built before (cache hit), nothing compiled' : `built in ${r.buildSeconds} s`} on ${r.buildHost}`,
        `  package ${r.deb.path} (${Math.round(r.deb.bytes / 1048576)} MiB, sha256 ${r.deb.sha256})`,
        `  source ${r.source}; config from ${r.configFrom}; effective config ${r.configPath}; log ${r.logPath}`,
        `  key ${r.key}; make started ${r.launches} time(s)`,
    ].join('\n');
}
//# sourceMappingURL=build.js.map