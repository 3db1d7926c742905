/**
 * Where a kernel build's source comes from: Debian's `linux-source-<version>` package
 * (./debian-source.ts), a tarball (./tarball.ts) or an unpacked tree (./tree.ts), all on the
 * build host. Each driver file exports one `SourceModule` (./source-interface.ts): its `kind`, its
 * zod `schema` (defined in src/shared/options/build-source.ts, which the source union in
 * src/shared/build-schemas.ts is built from), `describe` and `create`. A new kind of source is its
 * schema there, one file and its test here and one line below (test/unit/driver-options.test.ts
 * checks that the lists agree, test/unit/registries.test.ts that the registry keeps the one
 * idiom of src/shared/registry.ts).
 */
import { buildSourceKinds, type BuildSource } from '../../../shared/options/build-source';
import { defineRegistry } from '../../../shared/registry';
import { debianSource } from './debian-source';
import { tarballSource } from './tarball';
import { treeSource } from './tree';
import type { PreparedSource, KernelSource, SourceModule } from './source-interface';

export type { PreparedSource, KernelSource, SourceModule };

/** The registry: one line per kind of source. */
export const sources = defineRegistry([debianSource, tarballSource, treeSource]);

export type { BuildSource };

function moduleFor(source: BuildSource): SourceModule {
  const found: SourceModule | undefined = sources.find(source.kind);
  if (!found) throw new Error(`source.kind: ${source.kind} must be one of ${buildSourceKinds.join(', ')}`);
  return found;
}

export const kernelSourceFor = (source: BuildSource): KernelSource<BuildSource> => moduleFor(source).create();
export const describeBuildSource = (source: BuildSource): string => moduleFor(source).describe(source);
