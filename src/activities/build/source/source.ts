/**
 * Where a kernel build's source comes from: Debian's `linux-source-<version>` package
 * (./debian-source.ts), a tarball (./tarball.ts) or an unpacked tree (./tree.ts), all on the
 * build host. Each driver module exports its `kind`, its zod `schema` (defined in
 * src/shared/options/build-source.ts, which the source union in src/shared/build-schemas.ts is
 * built from), `describe` and `create`. A new kind of source is its schema there, one file here
 * and one line below (test/unit/driver-options.test.ts checks that the lists agree).
 */
import { buildSourceKinds, type BuildSource } from '../../../shared/options/build-source';
import * as debianSource from './debian-source';
import * as tarball from './tarball';
import * as tree from './tree';
import type { PreparedSource, KernelSource, SourceModule } from './source-interface';

export type { PreparedSource, KernelSource, SourceModule };

/** The registry: one line per kind of source. */
const SOURCES = [debianSource, tarball, tree] as const;

export type { BuildSource };

/** The kinds of the registry, in its order (the list of schemas in src/shared/options must match). */
export const sourceModuleKinds: readonly string[] = SOURCES.map((m) => m.kind);

function moduleFor(source: BuildSource): SourceModule<BuildSource> {
  const found = SOURCES.find((m) => m.kind === source.kind);
  if (!found) throw new Error(`source.kind: ${source.kind} must be one of ${buildSourceKinds.join(', ')}`);
  return found as unknown as SourceModule<BuildSource>;
}

export const kernelSourceFor = (source: BuildSource): KernelSource<BuildSource> => moduleFor(source).create();
export const describeBuildSource = (source: BuildSource): string => moduleFor(source).describe(source);
