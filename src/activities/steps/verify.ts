/** The verifyKernel activity: read-only; uname -r, boot id, then the health checks. */
import { z } from 'zod';
import type { HealthCheck, VerifyRequest, VerifyResult } from '../../shared/types';
import { healthCheckSchema, kernelReleaseSchema, parseOrThrow } from '../../shared/schemas';
import { runHealthChecks } from '../health/check';
import { readRunningKernelAndBoot, type HostSession } from '../host';
import type { WithHost } from '../session';

export async function verifyKernel(withHost: WithHost, req: VerifyRequest): Promise<VerifyResult> {
  const expected = parseOrThrow(kernelReleaseSchema, req.expectedRelease, 'expectedRelease');
  const checks = parseOrThrow(z.array(healthCheckSchema), req.healthChecks, 'healthChecks');
  return withHost(req.target, async (s) => {
    const { running, bootId } = await readRunningKernelAndBoot(s);
    return verdictOn(s, { running, bootId }, { release: expected, bootId: req.expectedBootId }, checks);
  });
}

/**
 * The verdict on what the host runs (`found`, read in this session) against what the trial boot
 * must be: the health checks run only when the kernel and the boot are the expected ones. `read`:
 * the read's health sections (healthReadSections), which may have found checks healthy already.
 */
export async function verdictOn(
  s: HostSession,
  found: { running: string; bootId: string },
  expected: { release: string; bootId: string },
  checks: readonly HealthCheck[],
  read: Readonly<Record<string, string>> = {},
): Promise<VerifyResult> {
  const failures: string[] = [];
  if (found.running !== expected.release) failures.push(`uname -r is ${found.running}, expected ${expected.release}`);
  if (found.bootId !== expected.bootId) failures.push(`boot id is ${found.bootId}, expected ${expected.bootId}`);
  if (failures.length === 0) failures.push(...(await runHealthChecks(s, checks, read)));
  return { ok: failures.length === 0, runningKernel: found.running, bootId: found.bootId, failures };
}
