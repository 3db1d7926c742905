"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.powerDriverKinds = exports.powerConfigSchemas = exports.qmpPowerSchema = exports.commandPowerSchema = exports.nonePowerSchema = void 0;
/**
 * The out-of-band power drivers' configurations: one zod schema per driver (its `driver` value and
 * its fields, described for the configuration table). The drivers themselves are in
 * src/activities/power/ (one module per driver, each taking its schema from here, and the registry
 * in driver.ts); a unit test checks that the registry has one driver per schema here, in the same
 * order. This file depends on src/shared only.
 */
const zod_1 = require("zod");
const power_credentials_1 = require("../power-credentials");
const schema_fields_1 = require("../schema-fields");
exports.nonePowerSchema = zod_1.z
    .object({ driver: zod_1.z.literal('none') })
    .strict()
    .describe('No out-of-band power: a host that hangs waits for someone to reset it');
exports.commandPowerSchema = zod_1.z
    .object({
    driver: zod_1.z.literal('command'),
    argv: zod_1.z
        .array(zod_1.z
        .string()
        .min(1)
        .max(4096)
        .regex(/^[^\0]*$/, 'must not contain NUL'))
        .min(1)
        .max(64)
        .superRefine((argv, ctx) => {
        const c = (0, power_credentials_1.credentialInArgv)(argv);
        if (c)
            ctx.addIssue({ code: 'custom', path: [c.index], message: (0, power_credentials_1.credentialMessage)(c) });
    })
        .describe('Program and arguments, run without a shell; `{host}` becomes the host name (also $KERNEL_ROLLOUT_HOST); no credential (see credentialsEnv)'),
    timeoutSeconds: zod_1.z.number().int().min(1).max(600).default(60).describe('The program is killed after this'),
    credentialsEnv: zod_1.z
        .array(zod_1.z.string().regex(power_credentials_1.ENV_NAME_RE, 'must be an environment variable name'))
        .max(16)
        .optional()
        .describe("Variables of the worker's environment the program gets (names only, e.g. IPMI_PASSWORD for ipmitool -E); each must be set"),
})
    .strict()
    .describe('Runs a program on the worker (ipmitool, a cloud CLI, a PDU script); exit 0 means the host was reset');
exports.qmpPowerSchema = zod_1.z
    .object({
    driver: zod_1.z.literal('qmp'),
    socketPath: schema_fields_1.safePathSchema.describe("The guest's QMP Unix socket on the worker (qemu -qmp unix:PATH,server=on)"),
    action: zod_1.z
        .enum(['reset', 'power-cycle'])
        .default('reset')
        .describe('reset: system_reset; power-cycle: stop, system_reset, cont'),
    serialLogPath: schema_fields_1.safePathSchema
        .optional()
        .describe("The guest's serial console log on the worker (qemu -serial file:PATH or -chardev file,path=PATH); its last lines go into a rollback's evidence"),
})
    .strict()
    .describe('Resets a qemu/libvirt guest through its QMP socket');
/** The options of `powerConfigSchema` (src/shared/schemas.ts), in the registry's order. */
exports.powerConfigSchemas = [
    exports.nonePowerSchema,
    exports.commandPowerSchema,
    exports.qmpPowerSchema,
];
exports.powerDriverKinds = exports.powerConfigSchemas.map((s) => s.shape.driver.value);
//# sourceMappingURL=power.js.map