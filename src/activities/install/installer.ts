/**
 * A kernel installer puts kernel `release` on the host from one kind of source: an apt package
 * (./apt.ts), a .deb uploaded from the worker (./deb-upload.ts) or one fetched from an artifact
 * host (./artifact.ts). Each driver module exports its `kind`, its zod `schema` (the source as the
 * operator gives it, defined in src/shared/options/install-source.ts with the one-line
 * `describeInstallSource`, so that parsing a source loads no installer) and `create` (the
 * installer, over a package manager). A new source is its schema there, its file here and one line
 * in the registry below (test/unit/driver-options.test.ts checks that the two lists agree).
 */
import { installSourceKinds, type InstallSource } from '../../shared/options/install-source';
import type { PackageManager } from './package-manager';
import * as apt from './apt';
import * as artifact from './artifact';
import * as debUpload from './deb-upload';
import type { KernelInstaller, InstallerModule } from './installer-interface';

export type { KernelInstaller, InstallerModule };

/** The registry: one line per kind of source. */
const INSTALLERS = [apt, debUpload, artifact] as const;

export type { InstallSource };
export { describeInstallSource, installSourceKinds } from '../../shared/options/install-source';

/** The kinds of the registry, in its order (the list of schemas in src/shared/options must match). */
export const installerKinds: readonly string[] = INSTALLERS.map((m) => m.kind);

function moduleFor(source: InstallSource): InstallerModule<InstallSource> {
  const found = INSTALLERS.find((m) => m.kind === source.kind);
  if (!found) throw new Error(`source.kind: ${source.kind} must be one of ${installSourceKinds.join(', ')}`);
  // Chosen by the source's own kind, so it takes this source.
  return found as unknown as InstallerModule<InstallSource>;
}

/** The installer for a (validated) source, over the package manager a request names (else the source's own). */
export function installerFor(source: InstallSource, packageManager?: PackageManager): KernelInstaller<InstallSource> {
  return moduleFor(source).create(packageManager ? { packageManager } : {});
}
