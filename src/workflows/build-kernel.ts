/**
 * buildKernel: one kernel built on a build host, once per key. prepareBuild names the build
 * (source, effective config, toolchain) and answers at once when that key was built before;
 * otherwise runBuild starts the detached make and watches it to the end, heartbeating its
 * progress. A worker that dies mid-build is replaced after the heartbeat timeout and the retry
 * watches the same make. Cancelling the workflow stops the build on the build host.
 */
import { ActivityCancellationType, proxyActivities, setCurrentDetails } from '@temporalio/workflow';
import type { BuildActivities } from '../activities';
import type { BuildKernelSpec } from '../shared/build-schemas';
import { BUILD_NON_RETRYABLE_ERRORS, type BuildResult } from '../shared/build-types';
import { NON_RETRYABLE_ERRORS } from '../shared/types';

const nonRetryableErrorTypes = [...NON_RETRYABLE_ERRORS, ...BUILD_NON_RETRYABLE_ERRORS];

/** Unpacking the source and configuring: minutes. */
const prepare = proxyActivities<BuildActivities>({
  startToCloseTimeout: '1 hour',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '5s', maximumInterval: '1 minute', maximumAttempts: 3, nonRetryableErrorTypes },
});

/** The compile: hours at most; each retry re-attaches to the running make. */
const compile = proxyActivities<BuildActivities>({
  startToCloseTimeout: '12 hours',
  heartbeatTimeout: '1 minute',
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  retry: { initialInterval: '5s', maximumInterval: '1 minute', maximumAttempts: 10, nonRetryableErrorTypes },
});

export async function buildKernel(input: BuildKernelSpec): Promise<BuildResult> {
  const buildHost = input.buildHost.host;
  setCurrentDetails(`preparing the source and config on ${buildHost}`);
  const plan = await prepare.prepareBuild.executeWithOptions({ summary: `prepare on ${buildHost}` }, [input]);
  setCurrentDetails(
    plan.cached
      ? `${plan.release}: built before (key ${plan.key})`
      : `building ${plan.release} on ${buildHost} (key ${plan.key}, make -j${plan.jobs})`,
  );
  const artifacts =
    plan.cached ??
    (await compile.runBuild.executeWithOptions({ summary: `make bindeb-pkg ${plan.release}` }, [
      { buildHost: input.buildHost, buildRoot: plan.buildRoot, key: plan.key, release: plan.release },
    ]));
  setCurrentDetails(`${plan.release}: ${artifacts.deb.path} (sha256 ${artifacts.deb.sha256.slice(0, 12)}…)`);
  return {
    ...artifacts,
    buildHost,
    buildTarget: input.buildHost,
    cached: plan.cached !== undefined,
    source: plan.source,
    configFrom: plan.configFrom,
  };
}
