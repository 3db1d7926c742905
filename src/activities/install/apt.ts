/**
 * Installer: a kernel package from the host's apt sources (`linux-image-…`, optionally
 * `=version`). The package lists are refreshed only when apt knows no candidate for it.
 */
import { shellQuote } from '../../shared/shell';
import { aptSourceSchema, type AptSource } from '../../shared/options/install-source';
import { sudo } from '../host';
import { dpkg } from './dpkg';
import type { InstallerModule, KernelInstaller } from './installer-interface';
import type { PackageManager } from './package-manager';

const kind = 'apt';
export type { AptSource };

/** The package name without its `=version`. */
const packageOf = (source: AptSource) => source.packageName.split('=')[0] ?? '';

export function create(opts: { packageManager?: PackageManager } = {}): KernelInstaller<AptSource> {
  const packageManager = opts.packageManager ?? dpkg;
  return {
    packageManager,
    packageName: packageOf,
    // apt's package names the kernel; which build apt had is not recorded.
    recordOf: () => kind,
    isInstalledFrom: () => true,
    install: (s, source) =>
      s.exec(
        `export DEBIAN_FRONTEND=noninteractive; ` +
          `apt-cache policy ${shellQuote(packageOf(source))} | grep -q 'Candidate: [0-9]' || apt-get update -q; ` +
          `dpkg --configure -a; apt-get -o DPkg::Lock::Timeout=600 -q install -y --no-install-recommends ${shellQuote(source.packageName)}`,
        { ...sudo, timeoutMs: 80 * 60_000 },
      ),
  };
}

/** The registry's entry (./installer.ts). */
export const aptInstaller: InstallerModule<typeof aptSourceSchema> = { kind, schema: aptSourceSchema, create };
