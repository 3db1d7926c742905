"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.installKernel = installKernel;
/** The installKernel activity: the source's installer, skipped when that artifact is installed already. */
const activity_1 = require("@temporalio/activity");
const schemas_1 = require("../../shared/schemas");
const installer_1 = require("../install/installer");
const package_manager_1 = require("../install/package-manager");
async function installKernel(withHost, req) {
    const toRelease = (0, schemas_1.parseOrThrow)(schemas_1.kernelReleaseSchema, req.toRelease, 'toRelease');
    const source = (0, schemas_1.parseOrThrow)(schemas_1.installSourceSchema, req.source, 'source');
    // The package manager preflight used, named by the request: never a default.
    const packageManager = (0, package_manager_1.packageManagerFor)(req.packageManager);
    const installer = (0, installer_1.installerFor)(source, packageManager);
    const started = Date.now();
    return withHost(req.target, async (s) => {
        const pkg = installer.packageName(source, toRelease);
        const state = await packageManager.probe(s, toRelease);
        if (state.installed && installer.isInstalledFrom(source, state.recorded)) {
            return { alreadyInstalled: true, packageName: pkg, seconds: 0 };
        }
        const result = await installer.install(s, source, toRelease);
        if (result.code !== 0) {
            throw new Error(`${req.target.host}: install of ${pkg} failed (exit ${result.code}): ${result.stderr.slice(-1500)}`);
        }
        const missing = await packageManager.recordInstalled(s, toRelease, installer.recordOf(source));
        if (missing) {
            throw activity_1.ApplicationFailure.nonRetryable(`${req.target.host}: ${pkg} installed, but ${missing} is missing; does the package provide kernel ${toRelease}?`, 'InvalidInputError');
        }
        return { alreadyInstalled: false, packageName: pkg, seconds: Math.round((Date.now() - started) / 1000) };
    });
}
//# sourceMappingURL=install.js.map