/**
 * The package manager under a kernel installer: dpkg on Debian and Ubuntu (./dpkg.ts); an
 * rpm-based one is one more file. It answers "is this kernel installed?", installs a package
 * file, records which artifact was installed (so a retry with the same one is skipped and a
 * different one is not), and removes a failed kernel.
 */
import { InvalidInputError } from '../../shared/schemas';
import { defineRegistry } from '../../shared/registry';
import { dpkg } from './dpkg';
import type { KernelInstallState, PackageManager } from './package-manager-interface';

export type { KernelInstallState, PackageManager };

/** The registry: one line per package manager (src/shared/registry.ts). */
export const packageManagers = defineRegistry([dpkg]);

const kinds = () => packageManagers.kinds.join(', ');

/**
 * The package manager a request names (the one preflight used). There is no default: a request
 * without a kind is refused, naming the field. (Runs recorded before requests named it are given
 * `dpkg` by the workflow, explicitly.)
 */
export function packageManagerFor(kind: string | undefined, field = 'packageManager'): PackageManager {
  if (kind === undefined || kind === '') {
    throw new InvalidInputError(
      `${field}: missing; the request must name the package manager preflight used (${kinds()})`,
    );
  }
  const found = packageManagers.find(kind);
  if (!found) {
    throw new InvalidInputError(`${field}: ${kind} is not a package manager kernel-rollout drives (${kinds()})`);
  }
  return found;
}
