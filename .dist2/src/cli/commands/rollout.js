"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
exports.runRollout = runRollout;
/** `kernelctl rollout …`: a fleet rollout started, planned or steered (its flags, plan and views: ../rollout.ts). */
const rollout_1 = require("../../client/rollout");
const artifact_1 = require("../artifact");
const common_1 = require("../common");
const schemas_1 = require("../../shared/schemas");
const upgrade_input_1 = require("./upgrade-input");
async function runRollout(argv) {
    const r = await Promise.resolve().then(() => __importStar(require('../rollout')));
    const SUBCOMMANDS = ['plan', 'watch', 'status', 'pause', 'resume', 'approve', 'abort', 'skip', 'add'];
    const sub = argv[0] !== undefined && SUBCOMMANDS.includes(argv[0]) ? argv[0] : 'start';
    const { values, positionals } = (0, common_1.parse)(sub === 'start' ? argv : argv.slice(1), {
        ...upgrade_input_1.UPGRADE_OPTIONS,
        ...r.ROLLOUT_OPTIONS,
    });
    const v = values;
    if (v['help']) {
        process.stdout.write(`${r.ROLLOUT_HELP}\n`);
        return common_1.EXIT.ok;
    }
    const clientOpts = (0, common_1.clientOptionsFromFlags)(v);
    const text = (flag) => v[flag] === undefined ? undefined : (0, schemas_1.parseOrThrow)(schemas_1.operatorTextSchema, v[flag], `--${flag}`);
    const ctx = {
        r,
        v,
        positionals,
        json: v['json'] === true,
        clientOpts,
        by: (0, schemas_1.parseOrThrow)(schemas_1.actorSchema, v['by'] ?? (0, common_1.whoami)(), '--by'),
        reason: text('reason'),
        comment: text('comment'),
        tty: process.stdout.isTTY === true,
        write: (x) => process.stdout.write(x),
    };
    return sub === 'start' || sub === 'plan' ? rolloutStartOrPlan(sub, ctx) : rolloutControl(sub, ctx);
}
/** `kernelctl rollout` and `kernelctl rollout plan`: the rollout from the inventory and flags. */
async function rolloutStartOrPlan(sub, ctx) {
    const { r, v, json, clientOpts } = ctx;
    if (ctx.positionals.length > 0)
        throw new common_1.UsageError(`rollout: unexpected ${ctx.positionals.join(' ')}; see kernelctl rollout --help`);
    const built = await (0, upgrade_input_1.builtFor)(v, clientOpts);
    const { input } = await r.rolloutInputFromFlags(v, (h, vals) => (0, upgrade_input_1.upgradeInputFromFlags)(h, vals, built));
    if (sub === 'plan') {
        const concurrency = (0, common_1.int)('--concurrency', v['concurrency']) ?? 16;
        return (0, common_1.withClient)(clientOpts, async (c) => {
            const rows = await r.planRollout((req) => c.plan(req), input, Math.max(1, concurrency));
            (0, common_1.out)(json, rows, r.formatPlanTable(rows, input));
            return rows.some((x) => x.action === 'refused' || x.action === 'unreachable') ? common_1.EXIT.refused : common_1.EXIT.ok;
        });
    }
    const store = (0, artifact_1.artifactStoreFromFlags)(v);
    if (store && input.template.source.kind === 'deb') {
        input.template = { ...input.template, source: await (0, artifact_1.publishDeb)(input.template.source, store) };
    }
    return (0, common_1.withClient)(clientOpts, async (c) => {
        const { handle } = await (0, rollout_1.startRollout)(c.client, clientOpts.taskQueue, input);
        process.stderr.write(`started ${handle.workflowId}: ${input.hosts.length} hosts (kernelctl rollout watch ${input.rolloutId})\n`);
        if (!v['wait']) {
            (0, common_1.out)(json, { workflowId: handle.workflowId, rolloutId: input.rolloutId }, input.rolloutId);
            return common_1.EXIT.ok;
        }
        return r.watchRollout(c.client, input.rolloutId, { tty: ctx.tty, json, write: ctx.write });
    });
}
/** `kernelctl rollout watch|status|pause|resume|approve|abort|skip|add <ID>`. */
async function rolloutControl(sub, ctx) {
    const { r, v, json, by, reason, comment } = ctx;
    if (ctx.positionals.length !== 1)
        throw new common_1.UsageError(`rollout ${sub}: give exactly one rollout ID`);
    const id = (0, schemas_1.parseOrThrow)(schemas_1.rolloutIdSchema, ctx.positionals[0], 'rolloutId');
    // Everything is checked before connecting: a bad value never reaches Temporal.
    const hostFlags = (v['host'] ?? []).map((h) => (0, schemas_1.parseOrThrow)(schemas_1.hostSchema, h, '--host'));
    if (sub === 'abort' && !reason)
        throw new schemas_1.InvalidInputError('--reason: say why (it is recorded in the rollout)');
    if (sub === 'skip' && hostFlags.length !== 1)
        throw new schemas_1.InvalidInputError('--host: name the one host to skip');
    const toAdd = sub === 'add' ? await hostsToAdd(r, v, hostFlags, by) : [];
    return (0, common_1.withClient)(ctx.clientOpts, async (c) => {
        const control = rollout_1.RolloutControl.get(c.client, id);
        const reply = async (p) => {
            const text = await p;
            (0, common_1.out)(json, { reply: text }, text);
            return common_1.EXIT.ok;
        };
        switch (sub) {
            case 'watch':
                return r.watchRollout(c.client, id, { tty: ctx.tty, json, write: ctx.write });
            case 'status': {
                const p = await control.progress({ hosts: 'all' });
                (0, common_1.out)(json, p, r.formatProgress(p));
                return common_1.EXIT.ok;
            }
            case 'pause':
                return reply(control.pause({ by, ...(reason ? { reason } : {}) }));
            case 'resume':
                return reply(control.resume({ by }));
            case 'approve':
                return reply(control.approve({ by, ...(comment ? { comment } : {}) }));
            case 'abort':
                return reply(control.abort({ by, reason: reason }));
            case 'skip':
                return reply(control.skipHost({ by, host: hostFlags[0], ...(reason ? { reason } : {}) }));
            case 'add':
                return reply(control.addHosts({ by, hosts: toAdd }));
        }
        return common_1.EXIT.usage;
    });
}
/** `rollout add`: the inventory's hosts (or those --host names), checked as the update will be. */
async function hostsToAdd(r, v, hostFlags, by) {
    const { hosts } = await r.inventoryHosts(v);
    const chosen = hostFlags.length > 0 ? hosts.filter((h) => hostFlags.includes(h.name)) : hosts;
    const missing = hostFlags.filter((n) => !hosts.some((h) => h.name === n));
    if (missing.length)
        throw new schemas_1.InvalidInputError(`--host: not in the inventory: ${missing.join(', ')}`);
    const toAdd = chosen.map(r.toRolloutHost);
    (0, schemas_1.parseOrThrow)(schemas_1.addHostsArgsSchema, { by, hosts: toAdd });
    return toAdd;
}
//# sourceMappingURL=rollout.js.map