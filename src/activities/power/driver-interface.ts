/** What a power driver is and what its module exports (./driver.ts holds the registry). */
import type { z } from 'zod';
import type { Driver } from '../../shared/registry';
import type { PowerConfig, powerConfigSchemas } from '../../shared/options/power';
import type { PowerResult } from '../../shared/types';

export interface PowerDriver {
  readonly name: PowerConfig['driver'];
  /** Reset the machine. Resolves with what happened; rejects only when the driver itself failed. */
  powerCycle(host: string): Promise<PowerResult>;
  /**
   * Optional, for a driver that has the host's console (qmp: qemu's serial log on the worker):
   * its last `lines` lines, printable text only, with anything that looks like a credential
   * masked. Rejects when the console cannot be read.
   */
  consoleTail?(host: string, lines: number): Promise<string[]>;
}

/** The schema of one power driver's configuration (src/shared/options/power.ts). */
export type PowerConfigSchema = (typeof powerConfigSchemas)[number];

/** What a driver module exports: one object, its `kind` the literal of its schema's `driver`. */
export interface PowerDriverModule<Schema extends PowerConfigSchema = PowerConfigSchema> extends Driver<
  z.output<Schema>['driver']
> {
  readonly schema: Schema;
  /** Validates what the schema cannot (a bad value is an error, never a default) and builds the driver. */
  create(config: z.output<Schema>): PowerDriver;
}
