"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.packageManagers = void 0;
exports.packageManagerFor = packageManagerFor;
/**
 * The package manager under a kernel installer: dpkg on Debian and Ubuntu (./dpkg.ts); an
 * rpm-based one is one more file. It answers "is this kernel installed?", installs a package
 * file, records which artifact was installed (so a retry with the same one is skipped and a
 * different one is not), and removes a failed kernel.
 */
const schemas_1 = require("../../shared/schemas");
const registry_1 = require("../../shared/registry");
const dpkg_1 = require("./dpkg");
/** The registry: one line per package manager (src/shared/registry.ts). */
exports.packageManagers = (0, registry_1.defineRegistry)([dpkg_1.dpkg]);
const kinds = () => exports.packageManagers.kinds.join(', ');
/**
 * The package manager a request names (the one preflight used). There is no default: a request
 * without a kind is refused, naming the field. (Runs recorded before requests named it are given
 * `dpkg` by the workflow, explicitly.)
 */
function packageManagerFor(kind, field = 'packageManager') {
    if (kind === undefined || kind === '') {
        throw new schemas_1.InvalidInputError(`${field}: missing; the request must name the package manager preflight used (${kinds()})`);
    }
    const found = exports.packageManagers.find(kind);
    if (!found) {
        throw new schemas_1.InvalidInputError(`${field}: ${kind} is not a package manager kernel-rollout drives (${kinds()})`);
    }
    return found;
}
//# sourceMappingURL=package-manager.js.map