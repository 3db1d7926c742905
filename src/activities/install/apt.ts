/**
 * Installer: a kernel package from the host's apt sources (`linux-image-…`, optionally
 * `=version`). The package lists are refreshed only when apt knows no candidate for it.
 */
import { z } from 'zod';
import { shellQuote } from '../../shared/shell';
import { packageNameSchema } from '../../shared/schema-fields';
import { sudo } from '../host';
import { dpkg } from './dpkg';
import type { KernelInstaller } from './installer';
import type { PackageManager } from './package-manager';

export const kind = 'apt';

export const schema = z
  .object({
    kind: z.literal(kind),
    packageName: packageNameSchema.regex(/^linux-/, 'must be a kernel package (linux-image-…)'),
  })
  .strict();

export type AptSource = z.infer<typeof schema>;

export function describe(source: AptSource): string {
  return `${kind} ${source.packageName}`;
}

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
