"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.createBuildActivities = createBuildActivities;
const session_1 = require("../session");
const session_pool_1 = require("../ssh/session-pool");
const prepare_1 = require("./prepare");
const run_1 = require("./run");
function createBuildActivities(deps = session_1.realDeps, pool = new session_pool_1.SessionPool()) {
    const withHost = (0, session_1.hostAccess)(deps, pool);
    return {
        /** Source, config, fragments, olddefconfig, key; the earlier result when the key was built. */
        prepareBuild: (input) => (0, prepare_1.prepareBuild)(withHost, input),
        /** Starts (or finds running) the detached make for a key and watches it to the end. */
        runBuild: (req) => (0, run_1.runBuild)(withHost, req),
    };
}
//# sourceMappingURL=index.js.map