/** What a health check's module exports (./check.ts holds the registry). */
import type { z } from 'zod';
import type { HostSession } from '../host';

/** What a check module exports; `schema` is a strict object whose `kind` is the literal `kind`. */
export interface HealthCheckModule<Kind extends string, Schema extends z.ZodObject> {
  readonly kind: Kind;
  readonly schema: Schema;
  /** Resolves with a failure message, or null when healthy; rejects only on a bad check. */
  check(s: HostSession, config: z.output<Schema>): Promise<string | null>;
}
