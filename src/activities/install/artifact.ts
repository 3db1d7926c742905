/**
 * Installer: a .deb kept on an artifact host that every worker can reach over SSH (the build
 * host that built it, or a store the operator's kernelctl uploaded it to). The worker that runs
 * the install fetches it over SFTP (sha256 checked), uploads it to the target (checked again
 * there) and installs it: workers share no disk. The sha256 is recorded, so a retry with the same
 * artifact is skipped and a different build of the same release is installed.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { artifactSourceSchema, type ArtifactSource } from '../../shared/options/install-source';
import { connectTo } from '../ssh/connect';
import { create as createDebUpload } from './deb-upload';
import type { InstallerModule, KernelInstaller } from './installer-interface';
import type { PackageManager } from './package-manager';

const kind = 'artifact';
export type { ArtifactSource };

export function create(
  opts: { packageManager?: PackageManager; uploadDir?: string; stateDir?: string } = {},
): KernelInstaller<ArtifactSource> {
  // Once fetched, the package is a .deb on this worker: the .deb installer takes it from there.
  const fromWorker = createDebUpload(opts);
  return {
    packageManager: fromWorker.packageManager,
    packageName: (_source, release) => fromWorker.packageManager.kernelPackage(release),
    recordOf: (source) => source.sha256,
    isInstalledFrom: (source, recorded) => recorded === source.sha256,
    async install(s, source, release) {
      const dir = await mkdtemp(path.join(tmpdir(), 'kr-artifact-'));
      try {
        const local = path.join(dir, path.posix.basename(source.path));
        const from = await connectTo(source.host);
        try {
          await from.download(source.path, local, { expectedSha256: source.sha256 });
        } finally {
          from.close();
        }
        return await fromWorker.install(s, { kind: 'deb', localPath: local, sha256: source.sha256 }, release);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}

/** The registry's entry (./installer.ts). */
export const artifactInstaller: InstallerModule<typeof artifactSourceSchema> = {
  kind,
  schema: artifactSourceSchema,
  create,
};
