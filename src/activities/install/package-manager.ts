/**
 * The package manager under a kernel installer: dpkg on Debian and Ubuntu (./dpkg.ts); an
 * rpm-based one is one more file. It answers "is this kernel installed?", installs a package
 * file, records which artifact was installed (so a retry with the same one is skipped and a
 * different one is not), and removes a failed kernel.
 */
import type { ExecResult } from '../ssh';
import type { FactSection } from '../sections';
import type { HostSession } from '../host';
import { InvalidInputError } from '../../shared/schemas';
import { dpkg } from './dpkg';

export interface KernelInstallState {
  /** The kernel's package is installed and its image and initramfs are in /boot. */
  installed: boolean;
  /** What the last install recorded for this release (a sha256, or the installer's word), or null. */
  recorded: string | null;
}

export interface PackageManager {
  readonly kind: string;
  /** Preflight sections: installed kernel packages, and whether the package database is locked. */
  readonly installedKernelsSection: FactSection;
  readonly lockSection: FactSection;
  parseInstalledKernels(text: string): string[];
  parseLocked(text: string): boolean;
  /** What frees space in /boot, for the refusal when it is full. */
  readonly freeBootSpaceHint: string;
  /** The package that provides kernel `release`. */
  kernelPackage(release: string): string;
  /** Where kernel `release`'s image and initramfs are once its package is installed (kexec loads them). */
  kernelImagePaths(release: string): { kernel: string; initrd: string };
  /**
   * Why preflight refuses a host of this distribution (os-release's ID and ID_LIKE), without the
   * host name; null when this package manager drives it.
   */
  distroRefusal(os: { id: string; idLike: string[] }): string | null;
  probe(s: HostSession, release: string): Promise<KernelInstallState>;
  /** Installs a package file already on the host; the result is checked by the caller. */
  installFile(s: HostSession, remotePath: string): Promise<ExecResult>;
  /**
   * After an install: records `recorded` for the release (what the next probe reads back) only
   * if the kernel's image and initramfs are in /boot, in one round trip. Null when recorded, else
   * which of the files is missing (nothing recorded).
   */
  recordInstalled(s: HostSession, release: string, recorded: string): Promise<string | null>;
  /** Removes the kernel's package; one line of evidence saying what happened. */
  remove(s: HostSession, release: string): Promise<string>;
}

/** Every package manager: one line each. */
const PACKAGE_MANAGERS: readonly PackageManager[] = [dpkg];

const kinds = () => PACKAGE_MANAGERS.map((p) => p.kind).join(', ');

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
  const found = PACKAGE_MANAGERS.find((p) => p.kind === kind);
  if (!found) {
    throw new InvalidInputError(`${field}: ${kind} is not a package manager kernel-rollout drives (${kinds()})`);
  }
  return found;
}
