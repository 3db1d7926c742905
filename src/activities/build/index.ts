/**
 * The build activities: prepareBuild (./prepare.ts: source, config, key) and runBuild
 * (./run.ts: the detached make, watched). Both run against the build host over SSH; a worker never
 * compiles.
 */
import type { BuildKernelInput, RunBuildRequest } from '../../shared/build-schemas';
import { hostAccess, realDeps, type ActivityDeps } from '../session';
import { SessionPool } from '../ssh/session-pool';
import { prepareBuild } from './prepare';
import { runBuild } from './run';

export function createBuildActivities(deps: ActivityDeps = realDeps, pool = new SessionPool()) {
  const withHost = hostAccess(deps, pool);
  return {
    /** Source, config, fragments, olddefconfig, key; the earlier result when the key was built. */
    prepareBuild: (input: BuildKernelInput) => prepareBuild(withHost, input),
    /** Starts (or finds running) the detached make for a key and watches it to the end. */
    runBuild: (req: RunBuildRequest) => runBuild(withHost, req),
  };
}

export type BuildActivities = ReturnType<typeof createBuildActivities>;
