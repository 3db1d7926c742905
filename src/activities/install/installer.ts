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
import { installSourceKinds, type InstallSource } from '../../shared/options/install-source';
import { defineRegistry } from '../../shared/registry';
import type { PackageManager } from './package-manager';
import { aptInstaller } from './apt';
import { artifactInstaller } from './artifact';
import { debUploadInstaller } from './deb-upload';
import type { KernelInstaller, InstallerModule } from './installer-interface';

export type { KernelInstaller, InstallerModule };

/** The registry: one line per kind of source. */
export const installers = defineRegistry([aptInstaller, debUploadInstaller, artifactInstaller]);

export type { InstallSource };
export { describeInstallSource, installSourceKinds } from '../../shared/options/install-source';

/** The installer for a (validated) source, over the package manager a request names (else the source's own). */
export function installerFor(source: InstallSource, packageManager?: PackageManager): KernelInstaller<InstallSource> {
  // Chosen by the source's own kind, so it takes this source.
  const found: InstallerModule | undefined = installers.find(source.kind);
  if (!found) throw new Error(`source.kind: ${source.kind} must be one of ${installSourceKinds.join(', ')}`);
  return found.create(packageManager ? { packageManager } : {});
}
