/** Config base: a config file the operator put on the build host. */
import type { z } from 'zod';
import { fileConfigSchema } from '../../../shared/options/config-base';
import { shellQuote } from '../../../shared/shell';
import { BuildHostNotReadyError } from '../errors';
import type { ConfigBase, ConfigBaseModule } from './config-base-interface';

const kind = 'file';
const schema = fileConfigSchema;

export type FileConfig = z.infer<typeof schema>;

const describe = (c: FileConfig): string => `config file ${c.path}`;

function create(): ConfigBase<FileConfig> {
  return {
    async precheck(ctx, c) {
      const r = await ctx.build.exec(`grep -q '^CONFIG_' -- ${shellQuote(c.path)}`);
      return r.code === 0 ? undefined : `${c.path} is not a kernel config on the build host (or is not there)`;
    },
    async write(ctx, c) {
      const r = await ctx.build.exec(
        `grep -q '^CONFIG_' -- ${shellQuote(c.path)} && cp -- ${shellQuote(c.path)} ${shellQuote(`${ctx.obj}/.config`)}`,
      );
      if (r.code !== 0) throw new BuildHostNotReadyError(`${c.path} is not a kernel config on the build host`);
      return { from: c.path, runningReleases: [] };
    },
  };
}

/** The registry's entry. */
export const fileBase: ConfigBaseModule<typeof fileConfigSchema> = { kind, schema, describe, create };
