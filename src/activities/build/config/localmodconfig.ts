/**
 * Config base: a target host's running config, cut down by kbuild's `localmodconfig` to the
 * modules that host has loaded (its /proc/modules, read over SSH): much less to compile.
 */
import type { z } from 'zod';
import { localmodconfigConfigSchema } from '../../../shared/options/config-base';
import { shellQuote } from '../../../shared/shell';
import { BuildConfigError } from '../errors';
import type { ConfigBase, ConfigBaseModule } from './config-base-interface';
import { precheckTargetConfig, readTargetConfig, writeOnBuildHost } from './target-config';

const kind = 'localmodconfig';
const schema = localmodconfigConfigSchema;

export type LocalmodConfig = z.infer<typeof schema>;

const describe = (c: LocalmodConfig): string => `localmodconfig of ${c.target.host}`;

function create(): ConfigBase<LocalmodConfig> {
  return {
    precheck: (ctx, c) => precheckTargetConfig(ctx, c.target),
    async write(ctx, c) {
      const t = await readTargetConfig(ctx, c.target);
      const lsmod = `${ctx.obj}/lsmod.${c.target.host}`;
      await writeOnBuildHost(ctx, `${ctx.obj}/.config`, t.config);
      await writeOnBuildHost(ctx, lsmod, t.lsmod);
      // New options are answered with their defaults (yes ''), as olddefconfig would.
      const r = await ctx.build.exec(`yes '' | ${ctx.make} LSMOD=${shellQuote(lsmod)} localmodconfig`, {
        timeoutMs: 10 * 60_000,
      });
      if (r.code !== 0)
        throw new BuildConfigError(`make localmodconfig failed: ${(r.stderr || r.stdout).trim().slice(-800)}`);
      return { from: `${c.target.host}'s /boot/config-${t.release}, localmodconfig`, runningReleases: [t.release] };
    },
  };
}

/** The registry's entry. */
export const localmodconfigBase: ConfigBaseModule<typeof localmodconfigConfigSchema> = {
  kind,
  schema,
  describe,
  create,
};
