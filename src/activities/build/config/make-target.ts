/**
 * Config base: one of kbuild's own configuration targets (tinyconfig, defconfig, allnoconfig,
 * optionally followed by the tree's fragments such as kvm_guest.config).
 */
import type { z } from 'zod';
import { makeTargetConfigSchema } from '../../../shared/options/config-base';
import { BuildConfigError } from '../errors';
import type { ConfigBase, ConfigBaseModule } from './config-base-interface';

const kind = 'make';
const schema = makeTargetConfigSchema;

export type MakeTargetConfig = z.infer<typeof schema>;

const describe = (c: MakeTargetConfig): string => ['make', c.target, ...c.treeFragments].join(' ');

function create(): ConfigBase<MakeTargetConfig> {
  return {
    precheck: () => Promise.resolve(undefined),
    async write(ctx, c) {
      // On x86, ARCH=x86 (kbuild's default) lets tinyconfig and allnoconfig answer "no" to 64BIT:
      // an i386 kernel. ARCH=x86_64 has no such question; the .config is the same x86 tree's.
      const x86_64 = (await ctx.build.run('uname -m')).trim() === 'x86_64';
      const r = await ctx.build.exec(
        `${ctx.make}${x86_64 ? ' ARCH=x86_64' : ''} ${[c.target, ...c.treeFragments].join(' ')}`,
        {
          timeoutMs: 10 * 60_000,
        },
      );
      if (r.code !== 0)
        throw new BuildConfigError(`make ${c.target} failed: ${(r.stderr || r.stdout).trim().slice(-800)}`);
      return { from: describe(c), runningReleases: [] };
    },
  };
}

/** The registry's entry. */
export const makeTargetBase: ConfigBaseModule<typeof makeTargetConfigSchema> = { kind, schema, describe, create };
