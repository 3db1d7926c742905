"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.debUploadInstaller = exports.UPLOAD_DIR = void 0;
exports.create = create;
/**
 * Installer: a .deb on the worker, checked against its sha256, uploaded over SFTP (checked again
 * on the host) and installed with the package manager. The sha256 is recorded, so a retry with
 * the same file is skipped and a different build of the same release is installed.
 */
const common_1 = require("@temporalio/common");
const install_source_1 = require("../../shared/options/install-source");
const sha256_file_1 = require("../../node/sha256-file");
const host_1 = require("../host");
const dpkg_1 = require("./dpkg");
const kind = 'deb';
/** Where uploads go on the host. */
exports.UPLOAD_DIR = '/var/cache/kernel-rollout';
/** `uploadDir` and `stateDir` differ only in tests. */
function create(opts = {}) {
    const packageManager = opts.packageManager ?? dpkg_1.dpkg;
    const uploadDir = opts.uploadDir ?? exports.UPLOAD_DIR;
    const stateDir = opts.stateDir ?? host_1.STATE_DIR;
    return {
        packageManager,
        packageName: (_source, release) => packageManager.kernelPackage(release),
        recordOf: (source) => source.sha256,
        isInstalledFrom: (source, recorded) => recorded === source.sha256,
        async install(s, source) {
            const localSha = await (0, sha256_file_1.sha256File)(source.localPath);
            if (localSha !== source.sha256) {
                throw common_1.ApplicationFailure.nonRetryable(`${source.localPath} has sha256 ${localSha}, expected ${source.sha256}; refusing to upload it`, 'UploadChecksumError');
            }
            const remote = `${uploadDir}/${source.localPath.split('/').pop() ?? 'kernel.deb'}`;
            await s.run(`mkdir -p ${uploadDir} ${stateDir}`, host_1.sudo);
            await s.upload(source.localPath, remote, { expectedSha256: source.sha256, sudo: true });
            return packageManager.installFile(s, remote);
        },
    };
}
/** The registry's entry (./installer.ts). */
exports.debUploadInstaller = {
    kind,
    schema: install_source_1.debUploadSourceSchema,
    create,
};
//# sourceMappingURL=deb-upload.js.map