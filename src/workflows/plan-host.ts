/**
 * planHostKernel: preflight only, for `kernelctl plan`. Runs on a worker because the worker has
 * the SSH credentials and the network path to the host; changes nothing.
 */
import { proxyActivities, setCurrentDetails } from '@temporalio/workflow';
import type { createActivities } from '../activities';
import type { HostFacts, PreflightRequest } from '../shared/types';
import { NON_RETRYABLE_ERRORS } from '../shared/types';

const { preflight } = proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '30s',
  retry: { maximumAttempts: 2, nonRetryableErrorTypes: [...NON_RETRYABLE_ERRORS] },
});

export async function planHostKernel(req: PreflightRequest): Promise<HostFacts> {
  setCurrentDetails(`preflight of ${req.target.host} for ${req.toRelease}`);
  return preflight.executeWithOptions({ summary: `preflight ${req.target.host}` }, [req]);
}
