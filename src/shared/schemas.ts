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
import { z } from 'zod';
import { HOST_RE, KERNEL_ARG_RE, trialArgProblem, KERNEL_RELEASE_RE, USER_RE, CONTROL_CHARS_RE } from './shell';
import {
  fingerprintSchema,
  hostSchema,
  packageNameSchema,
  safePathSchema,
  sha256Schema,
  sshHopSchema,
  sshTargetSchema,
} from './schema-fields';
import { installSourceKinds, installSourceSchemas } from './options/install-source';
import { checkFailureBudget, checkStrategy, checkWindow } from './rollout-plan';
import type { UpgradeHostInput } from './types';
import { powerConfigSchemas } from './options/power';
import { healthCheckKinds, healthCheckSchemas } from './options/health-check';

const safePath = safePathSchema;
export { fingerprintSchema, hostSchema, packageNameSchema, sha256Schema, sshHopSchema, sshTargetSchema };

export const kernelReleaseSchema = z
  .string()
  .regex(KERNEL_RELEASE_RE, 'must be a kernel release as `uname -r` prints it, e.g. 6.1.0-47-cloud-amd64');
/** A boot id as /proc/sys/kernel/random/boot_id has it, or as the journal prints it (no dashes). */
export const bootIdSchema = z
  .string()
  .regex(
    /^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/,
    'must be a boot id as /proc/sys/kernel/random/boot_id prints it',
  );
/** Which boot was the trial, as the workflow tells undoTrial (TrialBootRef). */
export const trialBootRefSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('no-reboot') }),
  z.object({ kind: z.literal('seen'), trialBootId: bootIdSchema }),
  z.object({ kind: z.literal('between'), bootIdBefore: bootIdSchema, fallbackBootId: bootIdSchema }),
]);
/** A moment as ms since the epoch (a workflow's clock sent to an activity). */
export const epochMsSchema = z.number().int().positive();
export const actorSchema = z
  .string()
  .min(1)
  .max(100)
  .refine((v) => !CONTROL_CHARS_RE.test(v), 'must be printable (no control characters)');
/** Operator text kept in the timeline and printed to terminals: one line, printable. */
export const operatorTextSchema = z
  .string()
  .max(1000)
  .refine((v) => !CONTROL_CHARS_RE.test(v), 'must be one line of printable text (no control characters)');

/** One option per kind of source (./options/install-source.ts lists them). */
export const installSourceSchema = z.discriminatedUnion('kind', installSourceSchemas, {
  error: (issue) => (issue.code === 'invalid_union' ? `must be one of ${installSourceKinds.join(', ')}` : undefined),
});

/** One of the power drivers in ./options/power.ts, each with its own fields. */
export const powerConfigSchema = z.discriminatedUnion('driver', powerConfigSchemas);

/** One of the checks in ./options/health-check.ts, each with its own fields. */
export const healthCheckSchema = z.discriminatedUnion('kind', healthCheckSchemas);

export const timeoutsSchema = z
  .object({
    bootDeadlineSeconds: z
      .number()
      .int()
      .min(10)
      .max(7200)
      .default(600)
      .describe('Reboot → SSH back with a new boot id'),
    powerCycleDeadlineSeconds: z
      .number()
      .int()
      .min(10)
      .max(7200)
      .default(900)
      .describe('After a power reset, how long to wait again'),
    approvalTimeoutSeconds: z
      .number()
      .int()
      .min(10)
      .max(7 * 86400)
      .default(86400)
      .describe('Unapproved staging is undone after this'),
    heartbeatSeconds: z
      .number()
      .int()
      .min(1)
      .max(600)
      .default(30)
      .describe('A worker that stops heartbeating is replaced after this'),
    pollCapSeconds: z.number().min(0.1).max(60).default(0.5).describe('Longest pause between boot-id polls'),
  })
  .strict();

/** Everything of an upgrade but the host: shared by the per-host input and a rollout's template. */
const upgradeSettingsShape = {
  toRelease: kernelReleaseSchema.describe('Kernel release to run afterwards (uname -r)'),
  source: installSourceSchema.describe('apt package, a .deb uploaded from the worker, or a build artifact'),
  useKexec: z.boolean().default(false).describe('Boot the trial with kexec instead of a firmware reboot'),
  approveBeforeReboot: z.boolean().default(false).describe('Wait for an approve update after staging'),
  panicSeconds: z.number().int().min(1).max(3600).default(10).describe('panic=N on the trial boot'),
  trialKernelArgs: z
    .array(
      z
        .string()
        .regex(KERNEL_ARG_RE, 'must be a kernel argument like key or key=value (letters, digits and ._-,:/+=@)')
        .superRefine((arg, ctx) => {
          const bad = trialArgProblem(arg);
          if (bad?.kind === 'override') ctx.addIssue({ code: 'custom', message: `refused: ${bad.reason}` });
        }),
    )
    .max(16)
    .default([])
    .describe('Extra kernel arguments for the trial boot only'),
  revertAfterSeconds: z
    .number()
    .int()
    .min(60)
    .max(86400)
    .default(600)
    .describe('Host-side revert timer on the trial boot'),
  stabilitySeconds: z
    .number()
    .int()
    .min(0)
    .max(86400)
    .default(60)
    .describe('New kernel must stay up this long before commit'),
  healthChecks: z
    .array(healthCheckSchema)
    .max(32)
    .default([{ kind: 'system-running', allowDegraded: true }])
    .describe(`Checks on the new kernel: ${healthCheckKinds.join(', ')}`),
  power: powerConfigSchema.default({ driver: 'none' }).describe('Out-of-band power driver'),
  timeouts: timeoutsSchema.default(timeoutsSchema.parse({})).describe('See the timeouts.* rows'),
  removeFailedKernel: z.boolean().default(false).describe('Remove the kernel package after a failed trial'),
};

const rehearseInVmSchema = z
  .boolean()
  .optional()
  .describe('First upgrade a throwaway VM on the rehearsal task queue; go on only if it ends upgraded');

export const upgradeHostInputSchema = z
  .object({
    target: sshTargetSchema,
    ...upgradeSettingsShape,
    holdForRollout: z
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
function requireArtifactForRehearsal(
  rehearse: boolean | undefined,
  sourceKind: string,
  ctx: z.RefinementCtx,
  path: (string | number)[],
): void {
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
function requirePowerForTrialArgs(
  args: readonly string[] | undefined,
  power: { driver: string } | undefined,
  ctx: z.RefinementCtx,
  path: (string | number)[],
): void {
  (args ?? []).forEach((arg, i) => {
    const bad = trialArgProblem(arg);
    if (bad?.kind === 'no-revert-timer' && (power?.driver ?? 'none') === 'none') {
      ctx.addIssue({
        code: 'custom',
        path: [...path, i],
        message: `${bad.reason}; it needs an out-of-band power driver (power.driver command or qmp) to fall back`,
      });
    }
  });
}

export const preflightInputSchema = z
  .object({
    target: sshTargetSchema,
    toRelease: kernelReleaseSchema,
    source: installSourceSchema,
    useKexec: z.boolean().default(false),
  })
  .strict();

export type UpgradeHostInputParsed = z.infer<typeof upgradeHostInputSchema>;
// The parsed schema output must be assignable to the workflow's input type (and back).
const _inputMatches: (v: UpgradeHostInputParsed) => UpgradeHostInput = (v) => v;
void _inputMatches;

export const approveArgsSchema = z.object({ by: actorSchema, comment: operatorTextSchema.optional() }).strict();
export const abortArgsSchema = z.object({ by: actorSchema, reason: operatorTextSchema.min(1) }).strict();
/** The rollout's signal to a run it holds before the reboot (rolloutDecision). */
export const rolloutDecisionArgsSchema = z
  .object({
    go: z.boolean(),
    // The rollout's workflow id: kernel-rollout/<id of up to 200> (ROLLOUT_DECIDER_MAX).
    by: z
      .string()
      .min(1)
      .max(215)
      .refine((v) => !CONTROL_CHARS_RE.test(v), 'must be printable (no control characters)'),
    reason: operatorTextSchema.optional(),
  })
  .strict();
/** releaseHeldRuns: the rollout's decision for the runs it holds, each by workflow id and run id. */
export const releaseHeldRunsRequestSchema = z
  .object({
    decision: rolloutDecisionArgsSchema,
    runs: z
      .array(
        z
          .object({
            workflowId: z
              .string()
              .max(300)
              .regex(/^kernel-upgrade\/[^\s]+$/, 'must be kernel-upgrade/<host>'),
            runId: z.string().uuid(),
          })
          .strict(),
      )
      .min(1)
      .max(1000),
  })
  .strict();
export const resolveArgsSchema = z
  .object({
    by: actorSchema,
    action: z.enum(['retry', 'mark-fixed', 'give-up']),
    comment: operatorTextSchema.optional(),
  })
  .strict();

/** host:port of a Temporal frontend; the port 1-65535. */
export const temporalAddressSchema = z
  .string()
  .max(260)
  .refine((v) => {
    const m = /^(.+):(\d{1,5})$/.exec(v);
    if (!m) return false;
    const host = (m[1] as string).replace(/^\[(.*)\]$/, '$1');
    const port = Number(m[2]);
    return HOST_RE.test(host) && port >= 1 && port <= 65535;
  }, 'must be host:port with a port from 1 to 65535');
export const namespaceSchema = z.string().regex(/^[A-Za-z0-9._-]{1,200}$/, 'must be 1-200 letters, digits and ._-');
export const taskQueueSchema = z.string().regex(/^[A-Za-z0-9._/-]{1,200}$/, 'must be 1-200 letters, digits and ._/-');

/** The client's connection settings (flags or environment), checked before any connection. */
export const clientOptionsSchema = z
  .object({ address: temporalAddressSchema, namespace: namespaceSchema, taskQueue: taskQueueSchema })
  .strict();

/** Worker/CLI configuration file (JSON), and the environment variables that override it. */
export const configSchema = z
  .object({
    temporalAddress: temporalAddressSchema.default('127.0.0.1:7233'),
    namespace: namespaceSchema.default('default'),
    taskQueue: taskQueueSchema.default('kernel-rollout'),
    ssh: z
      .object({
        user: z.string().regex(USER_RE).optional(),
        port: z.number().int().min(1).max(65535).optional(),
        privateKeyPath: safePath.optional(),
        knownHostsPath: safePath.optional(),
      })
      .strict()
      .default({}),
  })
  .strict();
export type Config = z.infer<typeof configSchema>;

/** Formats a zod error as `field: message` lines, naming each bad field. */
export function describeZodError(err: z.ZodError, prefix = ''): string {
  return err.issues
    .map((i) => {
      const field = [prefix, ...i.path.map(String)].filter(Boolean).join('.');
      return `${field || '(input)'}: ${i.message}`;
    })
    .join('\n');
}

export class InvalidInputError extends Error {
  override name = 'InvalidInputError';
}

/** Parses or throws InvalidInputError listing every bad field. */
export function parseOrThrow<S extends z.ZodTypeAny>(schema: S, value: unknown, prefix = ''): z.infer<S> {
  const res = schema.safeParse(value);
  if (!res.success) throw new InvalidInputError(describeZodError(res.error, prefix));
  return res.data;
}

// ---- Fleet rollouts ---------------------------------------------------------------------------

export const rolloutIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9._:@-]{1,200}$/, 'must be 1-200 letters, digits and ._:@-')
  .describe('Names the rollout; its workflow id is kernel-rollout/<id>');

/** A target's SSH settings without name and address: a rollout template's `ssh`. */
export const sshSettingsSchema = sshTargetSchema.omit({ host: true, address: true });

/** Per-host overrides of the template's SSH settings (no defaults: absent means "as the template"). */
const instead = (key: string) => `This host's own, instead of template.ssh.${key}`;
export const sshOverridesSchema = z
  .object({
    port: z.number().int().min(1).max(65535).optional().describe(instead('port')),
    user: z.string().regex(USER_RE, 'must be a Unix user name').optional().describe(instead('user')),
    privateKeyPath: safePath.optional().describe(instead('privateKeyPath')),
    agentSocket: safePath.optional().describe(instead('agentSocket')),
    knownHostsPath: safePath.optional().describe(instead('knownHostsPath')),
    hostKeySha256: fingerprintSchema.optional().describe(instead('hostKeySha256')),
    trustOnFirstUse: z.boolean().optional().describe(instead('trustOnFirstUse')),
    jumpHosts: z.array(sshHopSchema).max(4).optional().describe(instead('jumpHosts')),
  })
  .strict();

export const rolloutTemplateSchema = z
  .object({
    ssh: sshSettingsSchema
      .default(sshSettingsSchema.parse({}))
      .describe("SSH settings shared by the hosts: the upgradeHostKernel input's target without host and address"),
    ...upgradeSettingsShape,
  })
  .strict();

export const rolloutHostSchema = z
  .object({
    host: hostSchema.describe('Host name; its run is kernel-upgrade/<host>'),
    address: hostSchema.optional().describe('Address to connect to, when it differs from host'),
    ssh: sshOverridesSchema.optional().describe("This host's own SSH settings, over the template's"),
    power: powerConfigSchema.optional().describe("This host's power driver, instead of template.power"),
  })
  .strict();

/** Shapes only; checkStrategy/checkFailureBudget/checkWindow (rollout-plan.ts, shared with the workflow) say what is wrong. */
export const rolloutStrategySchema = z
  .object({
    canary: z.number().int().min(0).max(10_000).default(1).describe('Hosts in the first batch (0: none)'),
    batches: z
      .array(z.union([z.number(), z.string()]))
      .min(1)
      .max(1000)
      .default(['10%'])
      .describe('Batch sizes after the canary: counts or percents of all hosts; the last repeats'),
    maxUnavailable: z.number().int().min(1).optional().describe('No batch has more hosts than this'),
  })
  .strict();

/** What the client sends to start a rollout (before defaults); checked again host by host. */
export const rolloutRequestSchema = z
  .object({
    rolloutId: rolloutIdSchema,
    template: rolloutTemplateSchema.describe(
      'What every host gets: the upgradeHostKernel input without target, and ssh',
    ),
    hosts: z
      .array(rolloutHostSchema)
      .min(1, 'must list at least one host')
      .max(100_000)
      .describe('The hosts, in rollout order (1 to 100000), each only with what differs from the template'),
    strategy: rolloutStrategySchema
      .default(rolloutStrategySchema.parse({}))
      .describe('How the hosts are split into batches'),
    failureBudget: z
      .string()
      .max(20)
      .default('0')
      .describe("Hosts that may fail before the rollout halts: a count ('2') or a percent of all hosts ('10%')"),
    approveAfterCanary: z.boolean().default(false).describe('After the canary batch, wait for an approve update'),
    pauseBetweenBatchesSeconds: z
      .number()
      .int()
      .min(0)
      .max(7 * 86400)
      .default(0)
      .describe('Pause after each batch before the next starts'),
    window: z
      .string()
      .max(200)
      .optional()
      .describe("A batch starts only inside this window, e.g. 'Mon-Fri 02:00-05:00 Europe/Berlin'"),
    maxHistoryEvents: z
      .number()
      .int()
      .min(50)
      .max(40000)
      .optional()
      .describe('Continue as new once the history is longer than this, between batches (absent: 2000)'),
    prepareAhead: z
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
    const seen = new Map<string, number>();
    v.hosts.forEach((h, i) => {
      const first = seen.get(h.host);
      if (first !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['hosts', i, 'host'], message: `${h.host} is listed twice` });
      }
      seen.set(h.host, i);
    });
    if (v.window !== undefined) {
      const bad = checkWindow(v.window);
      if (bad) ctx.addIssue({ code: 'custom', path: ['window'], message: bad.replace(/^window: /, '') });
    }
    for (const bad of [checkStrategy(v.strategy), checkFailureBudget(v.failureBudget)]) {
      // The plain checks name the field first ('strategy.batches[1]: …'); keep that as the path.
      if (bad) {
        const at = bad.indexOf(': ');
        ctx.addIssue({ code: 'custom', path: [bad.slice(0, at)], message: bad.slice(at + 2) });
      }
    }
  });
export type RolloutRequest = z.infer<typeof rolloutRequestSchema>;

export const pauseArgsSchema = z.object({ by: actorSchema, reason: operatorTextSchema.optional() }).strict();
export const resumeArgsSchema = z.object({ by: actorSchema }).strict();
export const skipHostArgsSchema = z
  .object({ by: actorSchema, host: hostSchema, reason: operatorTextSchema.optional() })
  .strict();
export const addHostsArgsSchema = z
  .object({ by: actorSchema, hosts: z.array(rolloutHostSchema).min(1, 'must list at least one host').max(10_000) })
  .strict()
  .superRefine((v, ctx) => {
    const seen = new Set<string>();
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

const inventoryPathSchema = z
  .string()
  .regex(
    /^(~\/|\/)?(?!.*(^|\/)\.\.(\/|$))[A-Za-z0-9._+@/-]+$/,
    'must be a path (absolute, ~/… or relative to the inventory) of letters, digits and ._+@/- (no ..)',
  );
const inventoryPortSchema = z
  .number({ error: 'must be 1-65535' })
  .int('must be 1-65535')
  .min(1, 'must be 1-65535')
  .max(65535, 'must be 1-65535');
/** Group names: no pattern characters (`:` `,` `!` `&` `*`), so --limit can name them. */
export const INVENTORY_GROUP_RE = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;
const inventoryGroupNameSchema = z
  .string()
  .regex(INVENTORY_GROUP_RE, 'must be a group name (letters, digits, _ and -, starting with a letter or _)')
  .refine((g) => g !== 'all' && g !== 'ungrouped', 'all and ungrouped are built-in groups');
const HOP_RE_SOURCE = '(?:[a-z_][a-z0-9_-]*\\$?@)?(?:[A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+\\])(?::\\d{1,5})?';
const PROXY_JUMP_MESSAGE =
  'must be "none", "[user@]host[:port]" (several separated by commas) or a list of up to 4 of them';
const inventoryProxyJumpSchema = z.union(
  [
    z.string().regex(new RegExp(`^(none|${HOP_RE_SOURCE}(,${HOP_RE_SOURCE})*)$`), PROXY_JUMP_MESSAGE),
    z
      .array(z.string().regex(new RegExp(`^${HOP_RE_SOURCE}$`), 'must be [user@]host[:port]'))
      .min(1, PROXY_JUMP_MESSAGE)
      .max(4, PROXY_JUMP_MESSAGE),
  ],
  { error: PROXY_JUMP_MESSAGE },
);

const inventoryConnectionShape = {
  user: z.string({ error: 'must be a Unix user name' }).regex(USER_RE, 'must be a Unix user name').optional(),
  port: inventoryPortSchema.optional(),
  privateKeyPath: inventoryPathSchema.optional(),
  agentSocket: inventoryPathSchema.optional(),
  knownHostsPath: inventoryPathSchema.optional(),
  trustOnFirstUse: z.boolean({ error: 'must be true or false' }).optional(),
  proxyJump: inventoryProxyJumpSchema.optional(),
  power: powerConfigSchema.optional(),
};

export const nativeInventoryDefaultsSchema = z.object(inventoryConnectionShape).strict();
export const nativeInventoryGroupSchema = z
  .object({ children: z.array(inventoryGroupNameSchema).optional(), ...inventoryConnectionShape })
  .strict();
export const nativeInventoryHostSchema = z
  .object({
    address: hostSchema.optional(),
    hostKeySha256: fingerprintSchema.optional(),
    groups: z.array(inventoryGroupNameSchema).optional(),
    ...inventoryConnectionShape,
  })
  .strict();
export const nativeInventorySchema = z
  .object({
    kernelRollout: z.literal(1, { error: 'must be 1 (the format version)' }),
    defaults: nativeInventoryDefaultsSchema.nullable().optional(),
    groups: z.record(inventoryGroupNameSchema, nativeInventoryGroupSchema.nullable()).optional(),
    hosts: z.record(hostSchema, nativeInventoryHostSchema.nullable()),
  })
  .strict();
export type NativeInventory = z.infer<typeof nativeInventorySchema>;
