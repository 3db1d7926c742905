/**
 * Source: Debian's `linux-source-<version>` package, installed on the build host
 * (/usr/src/linux-source-<version>.tar.xz). Its identity is the package's version.
 */
import type { z } from 'zod';
import { debianSourceSchema } from '../../../shared/options/build-source';
import { shellQuote } from '../../../shared/shell';
import { BuildHostNotReadyError } from '../errors';
import type { HostSession } from '../../host';
import type { KernelSource, SourceModule } from './source-interface';
import { unpackOnce } from './unpack';

const kind = 'debian-source';
const schema = debianSourceSchema;

export type DebianSource = z.infer<typeof schema>;

const describe = (source: DebianSource): string => `linux-source-${source.version}`;

/** The installed package's version, or why there is none. */
async function installed(s: HostSession, version: string): Promise<{ version: string } | { why: string }> {
  const pkg = `linux-source-${version}`;
  const tarball = `/usr/src/${pkg}.tar.xz`;
  const r = await s.exec(
    `dpkg-query -W -f '\${Status} \${Version}\\n' ${shellQuote(pkg)} 2>/dev/null; test -f ${shellQuote(tarball)}`,
  );
  const m = /^install ok installed (\S+)$/m.exec(r.stdout);
  if (r.code === 0 && m) return { version: m[1] as string };
  const known = await s.exec(`apt-cache show --no-all-versions ${shellQuote(pkg)} >/dev/null 2>&1`);
  return {
    why:
      known.code === 0
        ? `${pkg} is not installed on the build host (no ${tarball}); install it there: apt-get install ${pkg}`
        : `${pkg} is not installed on the build host, and its package sources have no such package ` +
          `(apt-cache search --names-only '^linux-source-' lists the versions there are)`,
  };
}

function create(): KernelSource<DebianSource> {
  return {
    async precheck(s, source) {
      const r = await installed(s, source.version);
      return 'why' in r ? r.why : undefined;
    },
    async prepare(s, source, root) {
      const pkg = `linux-source-${source.version}`;
      const tarball = `/usr/src/${pkg}.tar.xz`;
      const r = await installed(s, source.version);
      if ('why' in r) throw new BuildHostNotReadyError(r.why);
      const version = r.version;
      const tree = await unpackOnce(s, tarball, root, `${pkg}_${version.replace(/[^A-Za-z0-9.+-]/g, '_')}`);
      return { identity: `${pkg}=${version}`, tree };
    },
  };
}

/** The registry's entry. */
export const debianSource: SourceModule<typeof debianSourceSchema> = { kind, schema, describe, create };
