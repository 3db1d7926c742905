/** What a package manager is (./package-manager.ts holds the registry). */
import type { Driver } from '../../shared/registry';
import type { ExecResult } from '../ssh';
import type { FactSection } from '../sections';
import type { HostSession } from '../host';

export interface KernelInstallState {
  /** The kernel's package is installed and its image and initramfs are in /boot. */
  installed: boolean;
  /** What the last install recorded for this release (a sha256, or the installer's word), or null. */
  recorded: string | null;
}

/** A package manager; `Kind` is its kind's literal (the registry infers the union of them). */
export interface PackageManager<Kind extends string = string> extends Driver<Kind> {
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
