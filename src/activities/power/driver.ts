/**
 * Out-of-band power: the last resort for a host that neither panics nor answers
 * (docs/safety.md, defence in depth). One small
 * interface, one file per driver, and the registry below (kured's shape). A driver module
 * exports one `PowerDriverModule`: its kind (the `driver` value of the configuration), its zod
 * schema (which describes its fields for the README's configuration table) and its constructor.
 * The configuration schema (`powerConfigSchema`), the `PowerConfig` type, the README table and
 * `createPowerDriver` are all built from `powerDrivers`: a new driver is its file, its test and
 * one line there.
 */
import type { z } from 'zod';
import type { PowerResult } from '../../shared/types';
import { commandPower } from './command';
import { nonePower } from './none';
import { qmpPower } from './qmp';

export interface PowerDriver {
  readonly name: PowerConfig['driver'];
  /** Reset the machine. Resolves with what happened; rejects only when the driver itself failed. */
  powerCycle(host: string): Promise<PowerResult>;
}

/** What a driver module exports; `schema` is a strict object whose `driver` is the literal `kind`. */
export interface PowerDriverModule<Kind extends string, Schema extends z.ZodObject> {
  readonly kind: Kind;
  readonly schema: Schema;
  /** Validates what the schema cannot (a bad value is an error, never a default) and builds the driver. */
  create(config: z.output<Schema>): PowerDriver;
}

/** The registry: one line per driver. */
export const powerDrivers = [nonePower, commandPower, qmpPower] as const;

type RegisteredDriver = (typeof powerDrivers)[number];

/** A parsed power configuration (`power` of the workflow input, an inventory host's `power`). */
export type PowerConfig = z.output<RegisteredDriver['schema']>;

/** The drivers' schemas, for `z.discriminatedUnion('driver', …)` in src/shared/schemas.ts. */
export const powerDriverSchemas = powerDrivers.map((d) => d.schema) as [
  RegisteredDriver['schema'],
  ...RegisteredDriver['schema'][],
];

export function createPowerDriver(config: PowerConfig): PowerDriver {
  const driver = powerDrivers.find((d) => d.kind === config.driver);
  if (!driver) {
    throw new Error(
      `power.driver: unknown driver ${JSON.stringify(config.driver)}; known: ${powerDrivers.map((d) => d.kind).join(', ')}`,
    );
  }
  // The kinds are unique (a unit test checks it), so this module's schema is the one `config` matched.
  return (driver.create as (c: PowerConfig) => PowerDriver)(config);
}
