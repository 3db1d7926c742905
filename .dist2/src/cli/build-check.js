"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.PIN_FLAG = void 0;
exports.open = open;
exports.checkBuildHosts = checkBuildHosts;
/**
 * What `kernelctl build` checks on the build host (and the config's host) before it starts the
 * workflow, so a wrong flag is refused at once, naming the flag (exit 2), rather than as a failed
 * build: the build host answers over SSH with a known key, the source is there, the config's base
 * can be read. Nothing is changed on either host.
 */
const config_base_1 = require("../activities/build/config/config-base");
const source_1 = require("../activities/build/source/source");
const connect_1 = require("../activities/ssh/connect");
const schemas_1 = require("../shared/schemas");
/** The flag that pins each host's key: the generic `--host-key-sha256` of the SSH errors is not one of build's. */
exports.PIN_FLAG = { '--build-host': '--build-host-key-sha256', '--config': '--config-host-key-sha256' };
async function open(flag, target) {
    try {
        return await (0, connect_1.connectTo)(target, { connectTimeoutMs: 20_000 });
    }
    catch (err) {
        const msg = err.message
            .replace(/--host-key-sha256/g, exports.PIN_FLAG[flag])
            .replace(/opt in to trust-on-first-use/g, 'pass --trust-on-first-use')
            .replace(/give privateKeyPath or agentSocket/g, `give -i${flag === '--config' ? ' (or --config-identity)' : ''} or --agent`);
        throw new schemas_1.InvalidInputError(`${flag}: cannot use ${target.host} over SSH: ${msg}`);
    }
}
async function checkBuildHosts(spec) {
    const build = await open('--build-host', spec.buildHost);
    try {
        const source = await (0, source_1.kernelSourceFor)(spec.source).precheck(build, spec.source);
        if (source)
            throw new schemas_1.InvalidInputError(`--source: ${source}`);
        const withHost = async (target, fn) => {
            const s = await open('--config', target);
            try {
                return await fn(s);
            }
            finally {
                s.close();
            }
        };
        const config = await (0, config_base_1.configBaseFor)(spec.config).precheck({ build, withHost }, spec.config);
        if (config)
            throw new schemas_1.InvalidInputError(`--config: ${config}`);
    }
    finally {
        build.close();
    }
}
//# sourceMappingURL=build-check.js.map