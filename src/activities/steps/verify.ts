/** The verifyKernel activity: read-only; uname -r, boot id, then the health checks. */
import { z } from 'zod';
import type { VerifyRequest, VerifyResult } from '../../shared/types';
import { healthCheckSchema, kernelReleaseSchema, parseOrThrow } from '../../shared/schemas';
import { runHealthChecks } from '../health/check';
import { readRunningKernelAndBoot } from '../host';
import type { WithHost } from '../session';

export async function verifyKernel(withHost: WithHost, req: VerifyRequest): Promise<VerifyResult> {
  const expected = parseOrThrow(kernelReleaseSchema, req.expectedRelease, 'expectedRelease');
  const checks = parseOrThrow(z.array(healthCheckSchema), req.healthChecks, 'healthChecks');
  return withHost(req.target, async (s) => {
    const { running: runningKernel, bootId } = await readRunningKernelAndBoot(s);
    const failures: string[] = [];
    if (runningKernel !== expected) failures.push(`uname -r is ${runningKernel}, expected ${expected}`);
    if (bootId !== req.expectedBootId) failures.push(`boot id is ${bootId}, expected ${req.expectedBootId}`);
    if (failures.length === 0) failures.push(...(await runHealthChecks(s, checks)));
    return { ok: failures.length === 0, runningKernel, bootId, failures };
  });
}
