"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.nativeInventorySchema = exports.nativeInventoryHostSchema = exports.nativeInventoryGroupSchema = exports.nativeInventoryDefaultsSchema = exports.INVENTORY_GROUP_RE = exports.addHostsArgsSchema = exports.skipHostArgsSchema = exports.resumeArgsSchema = exports.pauseArgsSchema = exports.rolloutRequestSchema = exports.rolloutStrategySchema = exports.rolloutHostSchema = exports.rolloutTemplateSchema = exports.sshOverridesSchema = exports.sshSettingsSchema = exports.rolloutIdSchema = exports.InvalidInputError = exports.configSchema = exports.clientOptionsSchema = exports.taskQueueSchema = exports.namespaceSchema = exports.temporalAddressSchema = exports.resolveArgsSchema = exports.rolloutDecisionArgsSchema = exports.abortArgsSchema = exports.approveArgsSchema = exports.preflightInputSchema = exports.upgradeHostInputSchema = exports.timeoutsSchema = exports.healthCheckSchema = exports.powerConfigSchema = exports.installSourceSchema = exports.operatorTextSchema = exports.actorSchema = exports.epochMsSchema = exports.trialBootRefSchema = exports.bootIdSchema = exports.kernelReleaseSchema = exports.sshTargetSchema = exports.sshHopSchema = exports.sha256Schema = exports.packageNameSchema = exports.hostSchema = exports.fingerprintSchema = void 0;
exports.describeZodError = describeZodError;
exports.parseOrThrow = parseOrThrow;
/**
 * Every input's zod schema, in one place: CLI flags, workflow input, config file, operator
 * actions. The CLI, the client module and the activities parse with these before anything is
 * touched; the workflow bundle never imports this file (zod schemas built in a workflow's
 * module scope are re-created per cached workflow and have exhausted worker memory,
 * sdk-typescript#2227), its update validators use the plain checks in workflows/definitions.ts.
 *
 * The kinds of install source, power driver and health check, each with its own fields, are in
 * ./options/ (the modules that act on them are in src/activities/); the unions here are built
 * from the lists there. Like everything in src/shared, this file imports nothing outside it.
 *
 * Descriptions (`.describe`) feed the configuration table in docs/configuration.md (./config-table.ts
 * generates it; test/unit/docs-tables.test.ts checks that it matches).
 */
const zod_1 = require("zod");
const shell_1 = require("./shell");
const schema_fields_1 = require("./schema-fields");
Object.defineProperty(exports, "fingerprintSchema", { enumerable: true, get: function () { return schema_fields_1.fingerprintSchema; } });
Object.defineProperty(exports, "hostSchema", { enumerable: true, get: function () { return schema_fields_1.hostSchema; } });
Object.defineProperty(exports, "packageNameSchema", { enumerable: true, get: function () { return schema_fields_1.packageNameSchema; } });
Object.defineProperty(exports, "sha256Schema", { enumerable: true, get: function () { return schema_fields_1.sha256Schema; } });
Object.defineProperty(exports, "sshHopSchema", { enumerable: true, get: function () { return schema_fields_1.sshHopSchema; } });
Object.defineProperty(exports, "sshTargetSchema", { enumerable: true, get: function () { return schema_fields_1.sshTargetSchema; } });
const install_source_1 = require("./options/install-source");
const rollout_plan_1 = require("./rollout-plan");
const power_1 = require("./options/power");
const health_check_1 = require("./options/health-check");
const safePath = schema_fields_1.safePathSchema;
exports.kernelReleaseSchema = zod_1.z
    .string()
    .regex(shell_1.KERNEL_RELEASE_RE, 'must be a kernel release as `uname -r` prints it, e.g. 6.1.0-47-cloud-amd64');
/** A boot id as /proc/sys/kernel/random/boot_id has it, or as the journal prints it (no dashes). */
exports.bootIdSchema = zod_1.z
    .string()
    .regex(/^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/, 'must be a boot id as /proc/sys/kernel/random/boot_id prints it');
/** Which boot was the trial, as the workflow tells undoTrial (TrialBootRef). */
exports.trialBootRefSchema = zod_1.z.discriminatedUnion('kind', [
    zod_1.z.object({ kind: zod_1.z.literal('no-reboot') }),
    zod_1.z.object({ kind: zod_1.z.literal('seen'), trialBootId: exports.bootIdSchema }),
    zod_1.z.object({ kind: zod_1.z.literal('between'), bootIdBefore: exports.bootIdSchema, fallbackBootId: exports.bootIdSchema }),
]);
/** A moment as ms since the epoch (a workflow's clock sent to an activity). */
exports.epochMsSchema = zod_1.z.number().int().positive();
exports.actorSchema = zod_1.z
    .string()
    .min(1)
    .max(100)
    .refine((v) => !shell_1.CONTROL_CHARS_RE.test(v), 'must be printable (no control characters)');
/** Operator text kept in the timeline and printed to terminals: one line, printable. */
exports.operatorTextSchema = zod_1.z
    .string()
    .max(1000)
    .refine((v) => !shell_1.CONTROL_CHARS_RE.test(v), 'must be one line of printable text (no control characters)');
/** One option per kind of source (./options/install-source.ts lists them). */
exports.installSourceSchema = zod_1.z.discriminatedUnion('kind', install_source_1.installSourceSchemas, {
    error: (issue) => (issue.code === 'invalid_union' ? `must be one of ${install_source_1.installSourceKinds.join(', ')}` : undefined),
});
/** One of the power drivers in ./options/power.ts, each with its own fields. */
exports.powerConfigSchema = zod_1.z.discriminatedUnion('driver', power_1.powerConfigSchemas);
/** One of the checks in ./options/health-check.ts, each with its own fields. */
exports.healthCheckSchema = zod_1.z.discriminatedUnion('kind', health_check_1.healthCheckSchemas);
exports.timeoutsSchema = zod_1.z
    .object({
    bootDeadlineSeconds: zod_1.z
        .number()
        .int()
        .min(10)
        .max(7200)
        .default(600)
        .describe('Reboot → SSH back with a new boot id'),
    powerCycleDeadlineSeconds: zod_1.z
        .number()
        .int()
        .min(10)
        .max(7200)
        .default(900)
        .describe('After a power reset, how long to wait again'),
    approvalTimeoutSeconds: zod_1.z
        .number()
        .int()
        .min(10)
        .max(7 * 86400)
        .default(86400)
        .describe('Unapproved staging is undone after this'),
    heartbeatSeconds: zod_1.z
        .number()
        .int()
        .min(1)
        .max(600)
        .default(30)
        .describe('A worker that stops heartbeating is replaced after this'),
    pollCapSeconds: zod_1.z.number().min(0.1).max(60).default(0.5).describe('Longest pause between boot-id polls'),
})
    .strict();
/** Everything of an upgrade but the host: shared by the per-host input and a rollout's template. */
const upgradeSettingsShape = {
    toRelease: exports.kernelReleaseSchema.describe('Kernel release to run afterwards (uname -r)'),
    source: exports.installSourceSchema.describe('apt package, a .deb uploaded from the worker, or a build artifact'),
    useKexec: zod_1.z.boolean().default(false).describe('Boot the trial with kexec instead of a firmware reboot'),
    approveBeforeReboot: zod_1.z.boolean().default(false).describe('Wait for an approve update after staging'),
    panicSeconds: zod_1.z.number().int().min(1).max(3600).default(10).describe('panic=N on the trial boot'),
    trialKernelArgs: zod_1.z
        .array(zod_1.z
        .string()
        .regex(shell_1.KERNEL_ARG_RE, 'must be a kernel argument like key or key=value (letters, digits and ._-,:/+=@)')
        .superRefine((arg, ctx) => {
        const bad = (0, shell_1.trialArgProblem)(arg);
        if (bad?.kind === 'override')
            ctx.addIssue({ code: 'custom', message: `refused: ${bad.reason}` });
    }))
        .max(16)
        .default([])
        .describe('Extra kernel arguments for the trial boot only'),
    revertAfterSeconds: zod_1.z
        .number()
        .int()
        .min(60)
        .max(86400)
        .default(600)
        .describe('Host-side revert timer on the trial boot'),
    stabilitySeconds: zod_1.z
        .number()
        .int()
        .min(0)
        .max(86400)
        .default(60)
        .describe('New kernel must stay up this long before commit'),
    healthChecks: zod_1.z
        .array(exports.healthCheckSchema)
        .max(32)
        .default([{ kind: 'system-running', allowDegraded: true }])
        .describe(`Checks on the new kernel: ${health_check_1.healthCheckKinds.join(', ')}`),
    power: exports.powerConfigSchema.default({ driver: 'none' }).describe('Out-of-band power driver'),
    timeouts: exports.timeoutsSchema.default(exports.timeoutsSchema.parse({})).describe('See the timeouts.* rows'),
    removeFailedKernel: zod_1.z.boolean().default(false).describe('Remove the kernel package after a failed trial'),
};
const rehearseInVmSchema = zod_1.z
    .boolean()
    .optional()
    .describe('First upgrade a throwaway VM on the rehearsal task queue; go on only if it ends upgraded');
exports.upgradeHostInputSchema = zod_1.z
    .object({
    target: schema_fields_1.sshTargetSchema,
    ...upgradeSettingsShape,
    holdForRollout: zod_1.z
        .boolean()
        .optional()
        .describe("Set by a rollout's prepareAhead: staged, then held until the rollout says go"),
    rehearseInVm: rehearseInVmSchema,
})
    .strict()
    .superRefine((v, ctx) => {
    requirePowerForTrialArgs(v.trialKernelArgs, v.power, ctx, ['trialKernelArgs']);
    requireArtifactForRehearsal(v.rehearseInVm, v.source.kind, ctx, ['rehearseInVm']);
});
/**
 * The rehearsal worker fetches the package itself, so a rehearsal needs one kept on an artifact
 * host (a build's, or one kernelctl published): not apt (the VM has no mirror) nor a .deb on the
 * disk of whichever worker installs.
 */
function requireArtifactForRehearsal(rehearse, sourceKind, ctx, path) {
    if (rehearse && sourceKind !== 'artifact') {
        ctx.addIssue({
            code: 'custom',
            path,
            message: `needs a package on an artifact host (--build ID, or --deb with --artifact-host), not ${sourceKind}`,
        });
    }
}
/**
 * Trial arguments under which the revert timer cannot run (trialArgProblem: another init, an
 * emergency or rescue target) are allowed only with an out-of-band power driver, which can still
 * bring the host back to the known-good kernel.
 */
function requirePowerForTrialArgs(args, power, ctx, path) {
    (args ?? []).forEach((arg, i) => {
        const bad = (0, shell_1.trialArgProblem)(arg);
        if (bad?.kind === 'no-revert-timer' && (power?.driver ?? 'none') === 'none') {
            ctx.addIssue({
                code: 'custom',
                path: [...path, i],
                message: `${bad.reason}; it needs an out-of-band power driver (power.driver command or qmp) to fall back`,
            });
        }
    });
}
exports.preflightInputSchema = zod_1.z
    .object({
    target: schema_fields_1.sshTargetSchema,
    toRelease: exports.kernelReleaseSchema,
    source: exports.installSourceSchema,
    useKexec: zod_1.z.boolean().default(false),
})
    .strict();
// The parsed schema output must be assignable to the workflow's input type (and back).
const _inputMatches = (v) => v;
void _inputMatches;
exports.approveArgsSchema = zod_1.z.object({ by: exports.actorSchema, comment: exports.operatorTextSchema.optional() }).strict();
exports.abortArgsSchema = zod_1.z.object({ by: exports.actorSchema, reason: exports.operatorTextSchema.min(1) }).strict();
/** The rollout's signal to a run it holds before the reboot (rolloutDecision). */
exports.rolloutDecisionArgsSchema = zod_1.z
    .object({ go: zod_1.z.boolean(), by: exports.actorSchema, reason: exports.operatorTextSchema.optional() })
    .strict();
exports.resolveArgsSchema = zod_1.z
    .object({
    by: exports.actorSchema,
    action: zod_1.z.enum(['retry', 'mark-fixed', 'give-up']),
    comment: exports.operatorTextSchema.optional(),
})
    .strict();
/** host:port of a Temporal frontend; the port 1-65535. */
exports.temporalAddressSchema = zod_1.z
    .string()
    .max(260)
    .refine((v) => {
    const m = /^(.+):(\d{1,5})$/.exec(v);
    if (!m)
        return false;
    const host = m[1].replace(/^\[(.*)\]$/, '$1');
    const port = Number(m[2]);
    return shell_1.HOST_RE.test(host) && port >= 1 && port <= 65535;
}, 'must be host:port with a port from 1 to 65535');
exports.namespaceSchema = zod_1.z.string().regex(/^[A-Za-z0-9._-]{1,200}$/, 'must be 1-200 letters, digits and ._-');
exports.taskQueueSchema = zod_1.z.string().regex(/^[A-Za-z0-9._/-]{1,200}$/, 'must be 1-200 letters, digits and ._/-');
/** The client's connection settings (flags or environment), checked before any connection. */
exports.clientOptionsSchema = zod_1.z
    .object({ address: exports.temporalAddressSchema, namespace: exports.namespaceSchema, taskQueue: exports.taskQueueSchema })
    .strict();
/** Worker/CLI configuration file (JSON), and the environment variables that override it. */
exports.configSchema = zod_1.z
    .object({
    temporalAddress: exports.temporalAddressSchema.default('127.0.0.1:7233'),
    namespace: exports.namespaceSchema.default('default'),
    taskQueue: exports.taskQueueSchema.default('kernel-rollout'),
    ssh: zod_1.z
        .object({
        user: zod_1.z.string().regex(shell_1.USER_RE).optional(),
        port: zod_1.z.number().int().min(1).max(65535).optional(),
        privateKeyPath: safePath.optional(),
        knownHostsPath: safePath.optional(),
    })
        .strict()
        .default({}),
})
    .strict();
/** Formats a zod error as `field: message` lines, naming each bad field. */
function describeZodError(err, prefix = '') {
    return err.issues
        .map((i) => {
        const field = [prefix, ...i.path.map(String)].filter(Boolean).join('.');
        return `${field || '(input)'}: ${i.message}`;
    })
        .join('\n');
}
class InvalidInputError extends Error {
    name = 'InvalidInputError';
}
exports.InvalidInputError = InvalidInputError;
/** Parses or throws InvalidInputError listing every bad field. */
function parseOrThrow(schema, value, prefix = '') {
    const res = schema.safeParse(value);
    if (!res.success)
        throw new InvalidInputError(describeZodError(res.error, prefix));
    return res.data;
}
// ---- Fleet rollouts ---------------------------------------------------------------------------
exports.rolloutIdSchema = zod_1.z
    .string()
    .regex(/^[A-Za-z0-9._:@-]{1,200}$/, 'must be 1-200 letters, digits and ._:@-')
    .describe('Names the rollout; its workflow id is kernel-rollout/<id>');
/** A target's SSH settings without name and address: a rollout template's `ssh`. */
exports.sshSettingsSchema = schema_fields_1.sshTargetSchema.omit({ host: true, address: true });
/** Per-host overrides of the template's SSH settings (no defaults: absent means "as the template"). */
const instead = (key) => `This host's own, instead of template.ssh.${key}`;
exports.sshOverridesSchema = zod_1.z
    .object({
    port: zod_1.z.number().int().min(1).max(65535).optional().describe(instead('port')),
    user: zod_1.z.string().regex(shell_1.USER_RE, 'must be a Unix user name').optional().describe(instead('user')),
    privateKeyPath: safePath.optional().describe(instead('privateKeyPath')),
    agentSocket: safePath.optional().describe(instead('agentSocket')),
    knownHostsPath: safePath.optional().describe(instead('knownHostsPath')),
    hostKeySha256: schema_fields_1.fingerprintSchema.optional().describe(instead('hostKeySha256')),
    trustOnFirstUse: zod_1.z.boolean().optional().describe(instead('trustOnFirstUse')),
    jumpHosts: zod_1.z.array(schema_fields_1.sshHopSchema).max(4).optional().describe(instead('jumpHosts')),
})
    .strict();
exports.rolloutTemplateSchema = zod_1.z
    .object({
    ssh: exports.sshSettingsSchema
        .default(exports.sshSettingsSchema.parse({}))
        .describe("SSH settings shared by the hosts: the upgradeHostKernel input's target without host and address"),
    ...upgradeSettingsShape,
})
    .strict();
exports.rolloutHostSchema = zod_1.z
    .object({
    host: schema_fields_1.hostSchema.describe('Host name; its run is kernel-upgrade/<host>'),
    address: schema_fields_1.hostSchema.optional().describe('Address to connect to, when it differs from host'),
    ssh: exports.sshOverridesSchema.optional().describe("This host's own SSH settings, over the template's"),
    power: exports.powerConfigSchema.optional().describe("This host's power driver, instead of template.power"),
})
    .strict();
/** Shapes only; checkStrategy/checkFailureBudget/checkWindow (rollout-plan.ts, shared with the workflow) say what is wrong. */
exports.rolloutStrategySchema = zod_1.z
    .object({
    canary: zod_1.z.number().int().min(0).max(10_000).default(1).describe('Hosts in the first batch (0: none)'),
    batches: zod_1.z
        .array(zod_1.z.union([zod_1.z.number(), zod_1.z.string()]))
        .min(1)
        .max(1000)
        .default(['10%'])
        .describe('Batch sizes after the canary: counts or percents of all hosts; the last repeats'),
    maxUnavailable: zod_1.z.number().int().min(1).optional().describe('No batch has more hosts than this'),
})
    .strict();
/** What the client sends to start a rollout (before defaults); checked again host by host. */
exports.rolloutRequestSchema = zod_1.z
    .object({
    rolloutId: exports.rolloutIdSchema,
    template: exports.rolloutTemplateSchema.describe('What every host gets: the upgradeHostKernel input without target, and ssh'),
    hosts: zod_1.z
        .array(exports.rolloutHostSchema)
        .min(1, 'must list at least one host')
        .max(100_000)
        .describe('The hosts, in rollout order (1 to 100000), each only with what differs from the template'),
    strategy: exports.rolloutStrategySchema
        .default(exports.rolloutStrategySchema.parse({}))
        .describe('How the hosts are split into batches'),
    failureBudget: zod_1.z
        .string()
        .max(20)
        .default('0')
        .describe("Hosts that may fail before the rollout halts: a count ('2') or a percent of all hosts ('10%')"),
    approveAfterCanary: zod_1.z.boolean().default(false).describe('After the canary batch, wait for an approve update'),
    pauseBetweenBatchesSeconds: zod_1.z
        .number()
        .int()
        .min(0)
        .max(7 * 86400)
        .default(0)
        .describe('Pause after each batch before the next starts'),
    window: zod_1.z
        .string()
        .max(200)
        .optional()
        .describe("A batch starts only inside this window, e.g. 'Mon-Fri 02:00-05:00 Europe/Berlin'"),
    maxHistoryEvents: zod_1.z
        .number()
        .int()
        .min(50)
        .max(40000)
        .optional()
        .describe('Continue as new once the history is longer than this, between batches (absent: 2000)'),
    prepareAhead: zod_1.z
        .boolean()
        .default(false)
        .describe('Install and stage the next batch while this one reboots; it reboots on its turn'),
    rehearseInVm: rehearseInVmSchema,
})
    .strict()
    .superRefine((v, ctx) => {
    requireArtifactForRehearsal(v.rehearseInVm, v.template.source.kind, ctx, ['rehearseInVm']);
    const unpowered = v.hosts.find((h) => (h.power ?? v.template.power).driver === 'none');
    if (unpowered)
        requirePowerForTrialArgs(v.template.trialKernelArgs, unpowered.power ?? v.template.power, ctx, [
            'template',
            'trialKernelArgs',
        ]);
    const seen = new Map();
    v.hosts.forEach((h, i) => {
        const first = seen.get(h.host);
        if (first !== undefined) {
            ctx.addIssue({ code: 'custom', path: ['hosts', i, 'host'], message: `${h.host} is listed twice` });
        }
        seen.set(h.host, i);
    });
    if (v.window !== undefined) {
        const bad = (0, rollout_plan_1.checkWindow)(v.window);
        if (bad)
            ctx.addIssue({ code: 'custom', path: ['window'], message: bad.replace(/^window: /, '') });
    }
    for (const bad of [(0, rollout_plan_1.checkStrategy)(v.strategy), (0, rollout_plan_1.checkFailureBudget)(v.failureBudget)]) {
        // The plain checks name the field first ('strategy.batches[1]: …'); keep that as the path.
        if (bad) {
            const at = bad.indexOf(': ');
            ctx.addIssue({ code: 'custom', path: [bad.slice(0, at)], message: bad.slice(at + 2) });
        }
    }
});
exports.pauseArgsSchema = zod_1.z.object({ by: exports.actorSchema, reason: exports.operatorTextSchema.optional() }).strict();
exports.resumeArgsSchema = zod_1.z.object({ by: exports.actorSchema }).strict();
exports.skipHostArgsSchema = zod_1.z
    .object({ by: exports.actorSchema, host: schema_fields_1.hostSchema, reason: exports.operatorTextSchema.optional() })
    .strict();
exports.addHostsArgsSchema = zod_1.z
    .object({ by: exports.actorSchema, hosts: zod_1.z.array(exports.rolloutHostSchema).min(1, 'must list at least one host').max(10_000) })
    .strict()
    .superRefine((v, ctx) => {
    const seen = new Set();
    v.hosts.forEach((h, i) => {
        if (seen.has(h.host)) {
            ctx.addIssue({ code: 'custom', path: ['hosts', i, 'host'], message: `${h.host} is listed twice` });
        }
        seen.add(h.host);
    });
});
// ---- Inventories: the native YAML format (src/inventory/native.ts documents it) --------------
// Paths may be absolute, `~/…` or relative to the inventory file; the loader makes them absolute
// and checks every resulting target again with sshTargetSchema.
const inventoryPathSchema = zod_1.z
    .string()
    .regex(/^(~\/|\/)?(?!.*(^|\/)\.\.(\/|$))[A-Za-z0-9._+@/-]+$/, 'must be a path (absolute, ~/… or relative to the inventory) of letters, digits and ._+@/- (no ..)');
const inventoryPortSchema = zod_1.z
    .number({ error: 'must be 1-65535' })
    .int('must be 1-65535')
    .min(1, 'must be 1-65535')
    .max(65535, 'must be 1-65535');
/** Group names: no pattern characters (`:` `,` `!` `&` `*`), so --limit can name them. */
exports.INVENTORY_GROUP_RE = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;
const inventoryGroupNameSchema = zod_1.z
    .string()
    .regex(exports.INVENTORY_GROUP_RE, 'must be a group name (letters, digits, _ and -, starting with a letter or _)')
    .refine((g) => g !== 'all' && g !== 'ungrouped', 'all and ungrouped are built-in groups');
const HOP_RE_SOURCE = '(?:[a-z_][a-z0-9_-]*\\$?@)?(?:[A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+\\])(?::\\d{1,5})?';
const PROXY_JUMP_MESSAGE = 'must be "none", "[user@]host[:port]" (several separated by commas) or a list of up to 4 of them';
const inventoryProxyJumpSchema = zod_1.z.union([
    zod_1.z.string().regex(new RegExp(`^(none|${HOP_RE_SOURCE}(,${HOP_RE_SOURCE})*)$`), PROXY_JUMP_MESSAGE),
    zod_1.z
        .array(zod_1.z.string().regex(new RegExp(`^${HOP_RE_SOURCE}$`), 'must be [user@]host[:port]'))
        .min(1, PROXY_JUMP_MESSAGE)
        .max(4, PROXY_JUMP_MESSAGE),
], { error: PROXY_JUMP_MESSAGE });
const inventoryConnectionShape = {
    user: zod_1.z.string({ error: 'must be a Unix user name' }).regex(shell_1.USER_RE, 'must be a Unix user name').optional(),
    port: inventoryPortSchema.optional(),
    privateKeyPath: inventoryPathSchema.optional(),
    agentSocket: inventoryPathSchema.optional(),
    knownHostsPath: inventoryPathSchema.optional(),
    trustOnFirstUse: zod_1.z.boolean({ error: 'must be true or false' }).optional(),
    proxyJump: inventoryProxyJumpSchema.optional(),
    power: exports.powerConfigSchema.optional(),
};
exports.nativeInventoryDefaultsSchema = zod_1.z.object(inventoryConnectionShape).strict();
exports.nativeInventoryGroupSchema = zod_1.z
    .object({ children: zod_1.z.array(inventoryGroupNameSchema).optional(), ...inventoryConnectionShape })
    .strict();
exports.nativeInventoryHostSchema = zod_1.z
    .object({
    address: schema_fields_1.hostSchema.optional(),
    hostKeySha256: schema_fields_1.fingerprintSchema.optional(),
    groups: zod_1.z.array(inventoryGroupNameSchema).optional(),
    ...inventoryConnectionShape,
})
    .strict();
exports.nativeInventorySchema = zod_1.z
    .object({
    kernelRollout: zod_1.z.literal(1, { error: 'must be 1 (the format version)' }),
    defaults: exports.nativeInventoryDefaultsSchema.nullable().optional(),
    groups: zod_1.z.record(inventoryGroupNameSchema, exports.nativeInventoryGroupSchema.nullable()).optional(),
    hosts: zod_1.z.record(schema_fields_1.hostSchema, exports.nativeInventoryHostSchema.nullable()),
})
    .strict();
//# sourceMappingURL=schemas.js.map