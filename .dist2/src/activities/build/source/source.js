"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.describeBuildSource = exports.kernelSourceFor = exports.sources = void 0;
/**
 * Where a kernel build's source comes from: Debian's `linux-source-<version>` package
 * (./debian-source.ts), a tarball (./tarball.ts) or an unpacked tree (./tree.ts), all on the
 * build host. Each driver file exports one `SourceModule` (./source-interface.ts): its `kind`, its
 * zod `schema` (defined in src/shared/options/build-source.ts, which the source union in
 * src/shared/build-schemas.ts is built from), `describe` and `create`. A new kind of source is its
 * schema there, one file and its test here and one line below (test/unit/driver-options.test.ts
 * checks that the lists agree, test/unit/registries.test.ts that the registry keeps the one
 * idiom of src/shared/registry.ts).
 */
const build_source_1 = require("../../../shared/options/build-source");
const registry_1 = require("../../../shared/registry");
const debian_source_1 = require("./debian-source");
const tarball_1 = require("./tarball");
const tree_1 = require("./tree");
/** The registry: one line per kind of source. */
exports.sources = (0, registry_1.defineRegistry)([debian_source_1.debianSource, tarball_1.tarballSource, tree_1.treeSource]);
function moduleFor(source) {
    const found = exports.sources.find(source.kind);
    if (!found)
        throw new Error(`source.kind: ${source.kind} must be one of ${build_source_1.buildSourceKinds.join(', ')}`);
    return found;
}
const kernelSourceFor = (source) => moduleFor(source).create();
exports.kernelSourceFor = kernelSourceFor;
const describeBuildSource = (source) => moduleFor(source).describe(source);
exports.describeBuildSource = describeBuildSource;
//# sourceMappingURL=source.js.map