/**
 * The health checks' configurations: one zod schema per kind (its `kind` and its fields,
 * described for the configuration table). The checks themselves are in src/activities/health/
 * (one module per kind, each taking its schema from here, and the registry in check.ts); a unit
 * test checks that the registry has one check per schema here, in the same order. This file
 * depends on src/shared only.
 */
import { z } from 'zod';
import { SYSTEMD_UNIT_RE } from '../shell';

export const commandCheckSchema = z
  .object({
    kind: z.literal('command'),
    command: z
      .string()
      .min(1)
      .max(4096)
      .regex(/^[^\0\n]*$/, 'must be one line')
      .describe("One line of shell, run on the host as the SSH user (the operator's own command)"),
    timeoutSeconds: z.number().int().min(1).max(600).default(30).describe('The check fails after this'),
  })
  .strict()
  .describe('A shell command on the host; healthy when it exits 0');

export const systemdUnitCheckSchema = z
  .object({
    kind: z.literal('systemd-unit'),
    unit: z.string().regex(SYSTEMD_UNIT_RE, 'must be a systemd unit name').describe('Unit name, e.g. nginx.service'),
  })
  .strict()
  .describe('Healthy when `systemctl is-active` says the unit is active');

export const systemRunningCheckSchema = z
  .object({
    kind: z.literal('system-running'),
    allowDegraded: z
      .boolean()
      .default(true)
      .describe('Also healthy when degraded (a unit has failed, e.g. one unrelated to the kernel)'),
  })
  .strict()
  .describe('Healthy when `systemctl is-system-running` says running; waits while the system starts');

export const httpCheckSchema = z
  .object({
    kind: z.literal('http'),
    url: z
      .string()
      .url()
      .regex(/^https?:\/\//, 'must be http(s)')
      .describe('http(s) URL, fetched from the worker'),
    expectStatus: z.number().int().min(100).max(599).default(200).describe('The status that means healthy'),
    timeoutSeconds: z.number().int().min(1).max(120).default(10).describe('The check fails after this'),
  })
  .strict()
  .describe('A GET from the worker; healthy when it answers with the expected status');

/** The options of `healthCheckSchema` (src/shared/schemas.ts), in the registry's order. */
export const healthCheckSchemas: [
  typeof commandCheckSchema,
  typeof systemdUnitCheckSchema,
  typeof systemRunningCheckSchema,
  typeof httpCheckSchema,
] = [commandCheckSchema, systemdUnitCheckSchema, systemRunningCheckSchema, httpCheckSchema];

export const healthCheckKinds: readonly string[] = healthCheckSchemas.map((s) => s.shape.kind.value);

/** A parsed health check (one entry of the workflow input's `healthChecks`). */
export type HealthCheck = z.output<(typeof healthCheckSchemas)[number]>;
