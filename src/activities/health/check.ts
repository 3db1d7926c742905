/**
 * Health checks run on the new kernel before it is committed. One small interface, one file per
 * kind, and the registry below (src/shared/registry.ts): each module exports one
 * `HealthCheckModule` (its kind, its zod schema and the check). The schemas are in src/shared/options/health-check.ts (so the CLI and
 * the client parse a check without loading one); the configuration schema (`healthCheckSchema`),
 * the `HealthCheck` type and the README table are built from the list there. A new kind is its
 * schema there, its file and test here and one line below (test/unit/driver-options.test.ts
 * checks that the lists agree, test/unit/registries.test.ts that the registry keeps the one idiom).
 *
 * A check returns a failure message or null; the verdict is the list of failures (empty = healthy).
 */
import type { HealthCheck } from '../../shared/options/health-check';
import { defineRegistry } from '../../shared/registry';
import type { HostSession } from '../host';
import { commandCheck } from './command';
import { httpCheck } from './http';
import { systemRunningCheck } from './system-running';
import { systemdUnitCheck } from './systemd-unit';
import type { HealthCheckModule } from './check-interface';

export type { HealthCheckModule };

/** The registry: one line per kind. */
export const healthChecks = defineRegistry([commandCheck, systemdUnitCheck, systemRunningCheck, httpCheck]);

export type { HealthCheck };

export async function runHealthCheck(s: HostSession, check: HealthCheck): Promise<string | null> {
  // Chosen by the check's own kind (the registry's kinds are unique), so it takes this check.
  const module: HealthCheckModule | undefined = healthChecks.find(check.kind);
  if (!module) {
    throw new Error(
      `healthChecks: unknown kind ${JSON.stringify(check.kind)}; known: ${healthChecks.kinds.join(', ')}`,
    );
  }
  return module.check(s, check);
}

/** Runs the checks one after the other, in the order given; returns the failures in that order. */
export async function runHealthChecks(s: HostSession, checks: readonly HealthCheck[]): Promise<string[]> {
  const failures: string[] = [];
  for (const check of checks) {
    const failure = await runHealthCheck(s, check);
    if (failure) failures.push(failure);
  }
  return failures;
}
