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
import type { FactSection } from '../sections';
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
  // Chosen by the check's own kind, so it takes this check.
  return moduleOf(check).check(s, check);
}

/** The module of a check's kind (the registry's kinds are unique). */
function moduleOf(check: HealthCheck): HealthCheckModule {
  const module: HealthCheckModule | undefined = healthChecks.find(check.kind);
  if (!module) {
    throw new Error(
      `healthChecks: unknown kind ${JSON.stringify(check.kind)}; known: ${healthChecks.kinds.join(', ')}`,
    );
  }
  return module;
}

/** The section of a read that may find check `i` healthy. */
const readSectionName = (i: number) => `health-${i}`;

/**
 * Sections for a read of the host: one for each check whose module has a `readCommand`, each
 * wrapped by `guard` (the caller's condition for running a check at all: the trial boot).
 */
export function healthReadSections(checks: readonly HealthCheck[], guard: (cmd: string) => string): FactSection[] {
  const sections: FactSection[] = [];
  checks.forEach((check, i) => {
    const command = moduleOf(check).readCommand?.(check);
    if (command !== undefined) sections.push([readSectionName(i), guard(command)]);
  });
  return sections;
}

/**
 * Runs the checks one after the other, in the order given; returns the failures in that order.
 * A check `read` (the sections of healthReadSections, read in this boot) found healthy is not
 * run again; any other runs as always.
 */
export async function runHealthChecks(
  s: HostSession,
  checks: readonly HealthCheck[],
  read: Readonly<Record<string, string>> = {},
): Promise<string[]> {
  const failures: string[] = [];
  for (const [i, check] of checks.entries()) {
    const output = read[readSectionName(i)];
    const module = moduleOf(check);
    if (output !== undefined && module.healthyInRead?.(check, output) === true) continue;
    const failure = await module.check(s, check);
    if (failure) failures.push(failure);
  }
  return failures;
}
