/**
 * The out-of-band power drivers' configurations: one zod schema per driver (its `driver` value and
 * its fields, described for the configuration table). The drivers themselves are in
 * src/activities/power/ (one module per driver, each taking its schema from here, and the registry
 * in driver.ts); a unit test checks that the registry has one driver per schema here, in the same
 * order. This file depends on src/shared only.
 */
import { z } from 'zod';
import { ENV_NAME_RE, credentialInArgv, credentialMessage } from '../power-credentials';
import { safePathSchema } from '../schema-fields';

export const nonePowerSchema = z
  .object({ driver: z.literal('none') })
  .strict()
  .describe('No out-of-band power: a host that hangs waits for someone to reset it');

export const commandPowerSchema = z
  .object({
    driver: z.literal('command'),
    argv: z
      .array(
        z
          .string()
          .min(1)
          .max(4096)
          .regex(/^[^\0]*$/, 'must not contain NUL'),
      )
      .min(1)
      .max(64)
      .superRefine((argv, ctx) => {
        const c = credentialInArgv(argv);
        if (c) ctx.addIssue({ code: 'custom', path: [c.index], message: credentialMessage(c) });
      })
      .describe(
        'Program and arguments, run without a shell; `{host}` becomes the host name (also $KERNEL_ROLLOUT_HOST); no credential (see credentialsEnv)',
      ),
    timeoutSeconds: z.number().int().min(1).max(600).default(60).describe('The program is killed after this'),
    credentialsEnv: z
      .array(z.string().regex(ENV_NAME_RE, 'must be an environment variable name'))
      .max(16)
      .optional()
      .describe(
        "Variables of the worker's environment the program gets (names only, e.g. IPMI_PASSWORD for ipmitool -E); each must be set",
      ),
  })
  .strict()
  .describe('Runs a program on the worker (ipmitool, a cloud CLI, a PDU script); exit 0 means the host was reset');

export const qmpPowerSchema = z
  .object({
    driver: z.literal('qmp'),
    socketPath: safePathSchema.describe("The guest's QMP Unix socket on the worker (qemu -qmp unix:PATH,server=on)"),
    action: z
      .enum(['reset', 'power-cycle'])
      .default('reset')
      .describe('reset: system_reset; power-cycle: stop, system_reset, cont'),
    serialLogPath: safePathSchema
      .optional()
      .describe(
        "The guest's serial console log on the worker (qemu -serial file:PATH or -chardev file,path=PATH); its last lines go into a rollback's evidence",
      ),
  })
  .strict()
  .describe('Resets a qemu/libvirt guest through its QMP socket');

/** The options of `powerConfigSchema` (src/shared/schemas.ts), in the registry's order. */
export const powerConfigSchemas: [typeof nonePowerSchema, typeof commandPowerSchema, typeof qmpPowerSchema] = [
  nonePowerSchema,
  commandPowerSchema,
  qmpPowerSchema,
];

export const powerDriverKinds: readonly string[] = powerConfigSchemas.map((s) => s.shape.driver.value);

/** A parsed power configuration (`power` of the workflow input, an inventory host's `power`). */
export type PowerConfig = z.output<(typeof powerConfigSchemas)[number]>;
