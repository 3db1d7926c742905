"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.RolloutControl = void 0;
exports.parseRolloutRequest = parseRolloutRequest;
exports.compactHost = compactHost;
exports.startRollout = startRollout;
const install_source_1 = require("../shared/options/install-source");
const rollout_definitions_1 = require("../workflows/rollout-definitions");
const schemas_1 = require("../shared/schemas");
/**
 * Parses a rollout request: the whole request with zod, then every host's complete input (the
 * template plus its entry) with the per-host schema, so a bad host is named before anything
 * starts. Returns the input the workflow gets, with each host's overrides trimmed to what
 * differs from the template (a 10,000-host rollout stays far below Temporal's payload limit).
 */
function parseRolloutRequest(raw) {
    const req = (0, schemas_1.parseOrThrow)(schemas_1.rolloutRequestSchema, raw);
    const template = req.template;
    const problems = [];
    for (const [i, h] of req.hosts.entries()) {
        const res = schemas_1.upgradeHostInputSchema.safeParse((0, rollout_definitions_1.hostInputFor)(template, h));
        if (!res.success) {
            for (const issue of res.error.issues) {
                problems.push(`hosts[${i}] (${h.host}).${issue.path.join('.')}: ${issue.message}`);
            }
            if (problems.length >= 20)
                break;
        }
    }
    if (problems.length > 0)
        throw new schemas_1.InvalidInputError(problems.join('\n'));
    const hosts = req.hosts.map((h) => compactHost(template, h));
    const input = {
        rolloutId: req.rolloutId,
        template,
        hosts,
        strategy: req.strategy, // checkStrategy ran in the schema
        failureBudget: req.failureBudget,
        approveAfterCanary: req.approveAfterCanary,
        pauseBetweenBatchesSeconds: req.pauseBetweenBatchesSeconds,
    };
    if (req.window !== undefined)
        input.window = req.window;
    if (req.maxHistoryEvents !== undefined)
        input.maxHistoryEvents = req.maxHistoryEvents;
    if (req.prepareAhead)
        input.prepareAhead = true;
    return input;
}
/** Drops overrides equal to the template's value. */
function compactHost(template, h) {
    const out = { host: h.host };
    if (h.address !== undefined && h.address !== h.host)
        out.address = h.address;
    if (h.ssh) {
        const ssh = {};
        for (const [k, v] of Object.entries(h.ssh)) {
            const base = template.ssh[k];
            if (v !== undefined && JSON.stringify(v) !== JSON.stringify(base))
                ssh[k] = v;
        }
        if (Object.keys(ssh).length > 0)
            out.ssh = ssh;
    }
    if (h.power && JSON.stringify(h.power) !== JSON.stringify(template.power))
        out.power = h.power;
    return out;
}
/** Starts a rollout after checking every host; the workflow id is kernel-rollout/<rolloutId>. */
async function startRollout(client, taskQueue, raw) {
    const input = parseRolloutRequest(raw);
    const t = input.template;
    const handle = await client.workflow.start('rolloutKernel', {
        taskQueue,
        workflowId: (0, rollout_definitions_1.rolloutWorkflowId)(input.rolloutId),
        args: [input],
        staticSummary: `Kernel rollout ${input.rolloutId}: ${input.hosts.length} hosts to ${t.toRelease}`,
        staticDetails: [
            `source: ${(0, install_source_1.describeInstallSource)(t.source)}; trial: ${t.useKexec ? 'kexec' : 'GRUB one-shot'}, panic=${t.panicSeconds}`,
            `canary ${input.strategy.canary}, then batches of ${input.strategy.batches.join(', ')}` +
                (input.strategy.maxUnavailable ? `, at most ${input.strategy.maxUnavailable} at once` : ''),
            `failure budget ${input.failureBudget}; approval after canary: ${input.approveAfterCanary ? 'yes' : 'no'}` +
                `; next batch prepared ahead: ${input.prepareAhead ? 'yes' : 'no'}`,
            input.window ? `window: ${input.window}` : 'window: any time',
        ]
            .map((line) => `- ${line}`)
            .join('\n'), // a Markdown list: the web UI renders details as Markdown
    });
    return { input, handle };
}
/** A running (or finished) rollout, steered with validated updates. */
class RolloutControl {
    handle;
    constructor(handle) {
        this.handle = handle;
    }
    static get(client, rolloutId) {
        const id = (0, schemas_1.parseOrThrow)(schemas_1.rolloutIdSchema, rolloutId, 'rolloutId');
        return new RolloutControl(client.workflow.getHandle((0, rollout_definitions_1.rolloutWorkflowId)(id)));
    }
    progress(options = {}) {
        return this.handle.query(rollout_definitions_1.rolloutProgressQuery, options);
    }
    result() {
        return this.handle.result();
    }
    pause(args) {
        return this.handle.executeUpdate(rollout_definitions_1.pauseRolloutUpdate, { args: [(0, schemas_1.parseOrThrow)(schemas_1.pauseArgsSchema, args)] });
    }
    resume(args) {
        return this.handle.executeUpdate(rollout_definitions_1.resumeRolloutUpdate, { args: [(0, schemas_1.parseOrThrow)(schemas_1.resumeArgsSchema, args)] });
    }
    /** No new host starts; in-flight hosts finish or roll back by their own rules. */
    abort(args) {
        return this.handle.executeUpdate(rollout_definitions_1.abortRolloutUpdate, { args: [(0, schemas_1.parseOrThrow)(schemas_1.abortArgsSchema, args)] });
    }
    approve(args) {
        return this.handle.executeUpdate(rollout_definitions_1.approveRolloutUpdate, { args: [(0, schemas_1.parseOrThrow)(schemas_1.approveArgsSchema, args)] });
    }
    /** Added hosts get the rollout's template; a host already in the rollout is refused. */
    addHosts(args) {
        const parsed = (0, schemas_1.parseOrThrow)(schemas_1.addHostsArgsSchema, args);
        return this.handle.executeUpdate(rollout_definitions_1.addHostsUpdate, { args: [parsed] });
    }
    skipHost(args) {
        return this.handle.executeUpdate(rollout_definitions_1.skipHostUpdate, { args: [(0, schemas_1.parseOrThrow)(schemas_1.skipHostArgsSchema, args)] });
    }
}
exports.RolloutControl = RolloutControl;
//# sourceMappingURL=rollout.js.map