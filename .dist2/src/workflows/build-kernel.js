"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.buildKernel = buildKernel;
/**
 * buildKernel: one kernel built on a build host, once per key. prepareBuild names the build
 * (source, effective config, toolchain) and answers at once when that key was built before;
 * otherwise runBuild starts the detached make and watches it to the end, heartbeating its
 * progress. A worker that dies mid-build is replaced after the heartbeat timeout and the retry
 * watches the same make. Cancelling the workflow stops the build on the build host.
 */
const workflow_1 = require("@temporalio/workflow");
const build_types_1 = require("../shared/build-types");
const types_1 = require("../shared/types");
const nonRetryableErrorTypes = [...types_1.NON_RETRYABLE_ERRORS, ...build_types_1.BUILD_NON_RETRYABLE_ERRORS];
/** Unpacking the source and configuring: minutes. */
const prepare = (0, workflow_1.proxyActivities)({
    startToCloseTimeout: '1 hour',
    heartbeatTimeout: '1 minute',
    retry: { initialInterval: '5s', maximumInterval: '1 minute', maximumAttempts: 3, nonRetryableErrorTypes },
});
/** The compile: hours at most; each retry re-attaches to the running make. */
const compile = (0, workflow_1.proxyActivities)({
    startToCloseTimeout: '12 hours',
    heartbeatTimeout: '1 minute',
    cancellationType: workflow_1.ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
    retry: { initialInterval: '5s', maximumInterval: '1 minute', maximumAttempts: 10, nonRetryableErrorTypes },
});
async function buildKernel(input) {
    const buildHost = input.buildHost.host;
    (0, workflow_1.setCurrentDetails)(`preparing the source and config on ${buildHost}`);
    const plan = await prepare.prepareBuild.executeWithOptions({ summary: `prepare on ${buildHost}` }, [input]);
    (0, workflow_1.setCurrentDetails)(plan.cached
        ? `${plan.release}: built before (key ${plan.key})`
        : `building ${plan.release} on ${buildHost} (key ${plan.key}, make -j${plan.jobs})`);
    const artifacts = plan.cached ??
        (await compile.runBuild.executeWithOptions({ summary: `make bindeb-pkg ${plan.release}` }, [
            { buildHost: input.buildHost, buildRoot: plan.buildRoot, key: plan.key, release: plan.release },
        ]));
    (0, workflow_1.setCurrentDetails)(`${plan.release}: ${artifacts.deb.path} (sha256 ${artifacts.deb.sha256.slice(0, 12)}…)`);
    return {
        ...artifacts,
        buildHost,
        buildTarget: input.buildHost,
        cached: plan.cached !== undefined,
        source: plan.source,
        configFrom: plan.configFrom,
    };
}
//# sourceMappingURL=build-kernel.js.map