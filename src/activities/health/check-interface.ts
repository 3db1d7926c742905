/** What a health check's module exports (./check.ts holds the registry). */
import type { z } from 'zod';
import type { Driver } from '../../shared/registry';
import type { healthCheckSchemas } from '../../shared/options/health-check';
import type { HostSession } from '../host';

/** The schema of one kind of check (src/shared/options/health-check.ts). */
export type HealthCheckSchema = (typeof healthCheckSchemas)[number];

/** What a check module exports: one object, its `kind` the literal of its schema's `kind`. */
export interface HealthCheckModule<Schema extends HealthCheckSchema = HealthCheckSchema> extends Driver<
  z.output<Schema>['kind']
> {
  readonly schema: Schema;
  /** Resolves with a failure message, or null when healthy; rejects only on a bad check. */
  check(s: HostSession, config: z.output<Schema>): Promise<string | null>;
  /**
   * Optional: a read-only shell command that can find the check healthy without a round trip of
   * its own. The verification runs it in its read (only in the trial boot: ./check.ts), and when
   * `healthyInRead` says no, `check` runs as always: only a pass is taken from the read.
   */
  readCommand?(config: z.output<Schema>): string;
  healthyInRead?(config: z.output<Schema>, output: string): boolean;
}
