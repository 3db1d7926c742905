/**
 * Source: a kernel tarball already on the build host (kernel.org's linux-x.y.z.tar.xz, or one
 * the operator made). Its identity is the tarball's sha256.
 */
import type { z } from 'zod';
import { tarballSourceSchema } from '../../../shared/options/build-source';
import { shellQuote } from '../../../shared/shell';
import { BuildHostNotReadyError } from '../errors';
import type { KernelSource, SourceModule } from './source-interface';
import { unpackOnce } from './unpack';

const kind = 'tarball';
const schema = tarballSourceSchema;

export type TarballSource = z.infer<typeof schema>;

const describe = (source: TarballSource): string => `tarball ${source.path}`;

function create(): KernelSource<TarballSource> {
  return {
    async precheck(s, source) {
      const r = await s.exec(`test -f ${shellQuote(source.path)} && test -r ${shellQuote(source.path)}`);
      return r.code === 0 ? undefined : `${source.path} does not exist on the build host (or is not readable there)`;
    },
    async prepare(s, source, root) {
      const r = await s.exec(`sha256sum -- ${shellQuote(source.path)}`, { timeoutMs: 10 * 60_000 });
      const sha = /^([0-9a-f]{64})\s/.exec(r.stdout)?.[1];
      if (r.code !== 0 || !sha) throw new BuildHostNotReadyError(`${source.path}: not readable on the build host`);
      const tree = await unpackOnce(s, source.path, root, `tarball-${sha.slice(0, 16)}`);
      return { identity: `tarball sha256:${sha}`, tree };
    },
  };
}

/** The registry's entry. */
export const tarballSource: SourceModule<typeof tarballSourceSchema> = { kind, schema, describe, create };
