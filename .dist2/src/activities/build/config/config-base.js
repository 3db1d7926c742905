"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.describeConfigBase = exports.configBaseFor = exports.configBases = void 0;
/**
 * Where a build's .config starts: a target host's running config (./running.ts), that config cut
 * down to the modules the target has loaded (./localmodconfig.ts), a file on the build host
 * (./file.ts), or one of kbuild's own targets such as tinyconfig (./make-target.ts). Fragments and
 * `make olddefconfig` follow whatever the base was (../prepare.ts). Each driver file exports one
 * `ConfigBaseModule` (./config-base-interface.ts): `kind`, `schema` (defined in
 * src/shared/options/config-base.ts, which the union in src/shared/build-schemas.ts is built
 * from), `describe` and `create`. A new base is its schema there, one file and its test here and
 * one line below (test/unit/driver-options.test.ts checks that the lists agree,
 * test/unit/registries.test.ts that the registry keeps the one idiom of src/shared/registry.ts).
 */
const config_base_1 = require("../../../shared/options/config-base");
const registry_1 = require("../../../shared/registry");
const file_1 = require("./file");
const localmodconfig_1 = require("./localmodconfig");
const make_target_1 = require("./make-target");
const running_1 = require("./running");
/** The registry: one line per kind of base. */
exports.configBases = (0, registry_1.defineRegistry)([running_1.runningBase, localmodconfig_1.localmodconfigBase, file_1.fileBase, make_target_1.makeTargetBase]);
function moduleFor(config) {
    const found = exports.configBases.find(config.kind);
    if (!found)
        throw new Error(`config.kind: ${config.kind} must be one of ${config_base_1.configBaseKinds.join(', ')}`);
    return found;
}
const configBaseFor = (config) => moduleFor(config).create();
exports.configBaseFor = configBaseFor;
const describeConfigBase = (config) => moduleFor(config).describe(config);
exports.describeConfigBase = describeConfigBase;
//# sourceMappingURL=config-base.js.map