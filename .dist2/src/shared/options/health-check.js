"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.healthCheckKinds = exports.healthCheckSchemas = exports.httpCheckSchema = exports.systemRunningCheckSchema = exports.systemdUnitCheckSchema = exports.commandCheckSchema = void 0;
/**
 * The health checks' configurations: one zod schema per kind (its `kind` and its fields,
 * described for the configuration table). The checks themselves are in src/activities/health/
 * (one module per kind, each taking its schema from here, and the registry in check.ts); a unit
 * test checks that the registry has one check per schema here, in the same order. This file
 * depends on src/shared only.
 */
const zod_1 = require("zod");
const shell_1 = require("../shell");
exports.commandCheckSchema = zod_1.z
    .object({
    kind: zod_1.z.literal('command'),
    command: zod_1.z
        .string()
        .min(1)
        .max(4096)
        .regex(/^[^\0\n]*$/, 'must be one line')
        .describe("One line of shell, run on the host as the SSH user (the operator's own command)"),
    timeoutSeconds: zod_1.z.number().int().min(1).max(600).default(30).describe('The check fails after this'),
})
    .strict()
    .describe('A shell command on the host; healthy when it exits 0');
exports.systemdUnitCheckSchema = zod_1.z
    .object({
    kind: zod_1.z.literal('systemd-unit'),
    unit: zod_1.z.string().regex(shell_1.SYSTEMD_UNIT_RE, 'must be a systemd unit name').describe('Unit name, e.g. nginx.service'),
})
    .strict()
    .describe('Healthy when `systemctl is-active` says the unit is active');
exports.systemRunningCheckSchema = zod_1.z
    .object({
    kind: zod_1.z.literal('system-running'),
    allowDegraded: zod_1.z
        .boolean()
        .default(true)
        .describe('Also healthy when degraded (a unit has failed, e.g. one unrelated to the kernel)'),
})
    .strict()
    .describe('Healthy when `systemctl is-system-running` says running; waits while the system starts');
exports.httpCheckSchema = zod_1.z
    .object({
    kind: zod_1.z.literal('http'),
    url: zod_1.z
        .string()
        .url()
        .regex(/^https?:\/\//, 'must be http(s)')
        .describe('http(s) URL, fetched from the worker'),
    expectStatus: zod_1.z.number().int().min(100).max(599).default(200).describe('The status that means healthy'),
    timeoutSeconds: zod_1.z.number().int().min(1).max(120).default(10).describe('The check fails after this'),
})
    .strict()
    .describe('A GET from the worker; healthy when it answers with the expected status');
/** The options of `healthCheckSchema` (src/shared/schemas.ts), in the registry's order. */
exports.healthCheckSchemas = [exports.commandCheckSchema, exports.systemdUnitCheckSchema, exports.systemRunningCheckSchema, exports.httpCheckSchema];
exports.healthCheckKinds = exports.healthCheckSchemas.map((s) => s.shape.kind.value);
//# sourceMappingURL=health-check.js.map