/** What a power driver is and what its module exports (./driver.ts holds the registry). */
import type { z } from 'zod';
import type { PowerConfig } from '../../shared/options/power';
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

/** What a driver module exports; `schema` is a strict object whose `driver` is the literal `kind`. */
export interface PowerDriverModule<Kind extends string, Schema extends z.ZodObject> {
  readonly kind: Kind;
  readonly schema: Schema;
  /** Validates what the schema cannot (a bad value is an error, never a default) and builds the driver. */
  create(config: z.output<Schema>): PowerDriver;
}
