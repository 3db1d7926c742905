/** What a kernel source is and what its module exports (./source.ts holds the registry). */
import type { z } from 'zod';
import type { Driver } from '../../../shared/registry';
import type { buildSourceSchemas } from '../../../shared/options/build-source';
import type { HostSession } from '../../host';

/** What preparing a source gives the build. */
export interface PreparedSource {
  /** Changes whenever the source's contents change: part of the build key. */
  identity: string;
  /** The kernel tree to build from (out of tree: it is never written to). */
  tree: string;
}

export interface KernelSource<S extends { kind: string }> {
  /**
   * Makes the tree available under `root` (unpacked once, atomically) and names the source.
   * Idempotent: a second call with the same source finds the tree and unpacks nothing.
   */
  prepare(s: HostSession, source: S, root: string): Promise<PreparedSource>;
  /**
   * A quick look, changing nothing, that the source is there (kernelctl build asks before it
   * starts the workflow): why it is not, or undefined.
   */
  precheck(s: HostSession, source: S): Promise<string | undefined>;
}

/** The schema of one kind of build source (src/shared/options/build-source.ts). */
export type BuildSourceSchema = (typeof buildSourceSchemas)[number];

/** What a driver module exports: one object, its `kind` the literal of its schema's `kind`. */
export interface SourceModule<Schema extends BuildSourceSchema = BuildSourceSchema> extends Driver<
  z.output<Schema>['kind']
> {
  readonly schema: Schema;
  describe(source: z.output<Schema>): string;
  create(): KernelSource<z.output<Schema>>;
}
