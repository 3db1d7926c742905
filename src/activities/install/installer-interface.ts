/** What a kernel installer is and what its module exports (./installer.ts holds the registry). */
import type { z } from 'zod';
import type { Driver } from '../../shared/registry';
import type { installSourceSchemas } from '../../shared/options/install-source';
import type { ExecResult } from '../ssh';
import type { HostSession } from '../host';
import type { PackageManager } from './package-manager-interface';

export interface KernelInstaller<S extends { kind: string }> {
  readonly packageManager: PackageManager;
  /** The package that provides the kernel, for messages and the result. */
  packageName(source: S, release: string): string;
  /** What the install records, to know next time which artifact is installed. */
  recordOf(source: S): string;
  /** Whether an installed kernel, with what its install recorded, is this source's. */
  isInstalledFrom(source: S, recorded: string | null): boolean;
  /** Installs; a non-zero exit is reported by the caller with the output. */
  install(s: HostSession, source: S, release: string): Promise<ExecResult>;
}

/** The schema of one kind of install source (src/shared/options/install-source.ts). */
export type InstallSourceSchema = (typeof installSourceSchemas)[number];

/** What a driver module exports: one object, its `kind` the literal of its schema's `kind`. */
export interface InstallerModule<Schema extends InstallSourceSchema = InstallSourceSchema> extends Driver<
  z.output<Schema>['kind']
> {
  readonly schema: Schema;
  /** The installer; over `packageManager` when given (the one preflight used), else its own. */
  create(opts?: { packageManager?: PackageManager }): KernelInstaller<z.output<Schema>>;
}
