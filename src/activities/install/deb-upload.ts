/**
 * Installer: a .deb on the worker, checked against its sha256, uploaded over SFTP (checked again
 * on the host) and installed with the package manager. The sha256 is recorded, so a retry with
 * the same file is skipped and a different build of the same release is installed.
 */
import { ApplicationFailure } from '@temporalio/common';
import { debUploadSourceSchema, type DebUploadSource } from '../../shared/options/install-source';
import { sha256File } from '../../node/sha256-file';
import { STATE_DIR, sudo } from '../host';
import { dpkg } from './dpkg';
import type { InstallerModule, KernelInstaller } from './installer-interface';
import type { PackageManager } from './package-manager';

const kind = 'deb';
export type { DebUploadSource };

/** Where uploads go on the host. */
export const UPLOAD_DIR = '/var/cache/kernel-rollout';

/** `uploadDir` and `stateDir` differ only in tests. */
export function create(
  opts: { packageManager?: PackageManager; uploadDir?: string; stateDir?: string } = {},
): KernelInstaller<DebUploadSource> {
  const packageManager = opts.packageManager ?? dpkg;
  const uploadDir = opts.uploadDir ?? UPLOAD_DIR;
  const stateDir = opts.stateDir ?? STATE_DIR;
  return {
    packageManager,
    packageName: (_source, release) => packageManager.kernelPackage(release),
    recordOf: (source) => source.sha256,
    isInstalledFrom: (source, recorded) => recorded === source.sha256,
    async install(s, source) {
      const localSha = await sha256File(source.localPath);
      if (localSha !== source.sha256) {
        throw ApplicationFailure.nonRetryable(
          `${source.localPath} has sha256 ${localSha}, expected ${source.sha256}; refusing to upload it`,
          'UploadChecksumError',
        );
      }
      const remote = `${uploadDir}/${source.localPath.split('/').pop() ?? 'kernel.deb'}`;
      await s.run(`mkdir -p ${uploadDir} ${stateDir}`, sudo);
      await s.upload(source.localPath, remote, { expectedSha256: source.sha256, sudo: true });
      return packageManager.installFile(s, remote);
    },
  };
}

/** The registry's entry (./installer.ts). */
export const debUploadInstaller: InstallerModule<typeof debUploadSourceSchema> = {
  kind,
  schema: debUploadSourceSchema,
  create,
};
