"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.installSourceKinds = exports.describeInstallSource = exports.installers = void 0;
exports.installerFor = installerFor;
/**
 * A kernel installer puts kernel `release` on the host from one kind of source: an apt package
 * (./apt.ts), a .deb uploaded from the worker (./deb-upload.ts) or one fetched from an artifact
 * host (./artifact.ts). Each driver file exports one `InstallerModule` (./installer-interface.ts):
 * its `kind`, its zod `schema` (the source as the operator gives it, defined in
 * src/shared/options/install-source.ts with the one-line `describeInstallSource`, so that parsing
 * a source loads no installer) and `create` (the installer, over a package manager). A new source
 * is its schema there, its file and test here and one line in the registry below
 * (test/unit/driver-options.test.ts checks that the two lists agree, test/unit/registries.test.ts
 * that the registry keeps the one idiom of src/shared/registry.ts).
 */
const install_source_1 = require("../../shared/options/install-source");
const registry_1 = require("../../shared/registry");
const apt_1 = require("./apt");
const artifact_1 = require("./artifact");
const deb_upload_1 = require("./deb-upload");
/** The registry: one line per kind of source. */
exports.installers = (0, registry_1.defineRegistry)([apt_1.aptInstaller, deb_upload_1.debUploadInstaller, artifact_1.artifactInstaller]);
var install_source_2 = require("../../shared/options/install-source");
Object.defineProperty(exports, "describeInstallSource", { enumerable: true, get: function () { return install_source_2.describeInstallSource; } });
Object.defineProperty(exports, "installSourceKinds", { enumerable: true, get: function () { return install_source_2.installSourceKinds; } });
/** The installer for a (validated) source, over the package manager a request names (else the source's own). */
function installerFor(source, packageManager) {
    // Chosen by the source's own kind, so it takes this source.
    const found = exports.installers.find(source.kind);
    if (!found)
        throw new Error(`source.kind: ${source.kind} must be one of ${install_source_1.installSourceKinds.join(', ')}`);
    return found.create(packageManager ? { packageManager } : {});
}
//# sourceMappingURL=installer.js.map