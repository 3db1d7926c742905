/** Config base: a config file the operator put on the build host. */
import type { z } from 'zod';
import { fileConfigSchema } from '../../../shared/options/config-base';
import { shellQuote } from '../../../shared/shell';
import { BuildHostNotReadyError } from '../errors';
import type { ConfigBase } from './config-base-interface';

export const kind = 'file';
export const schema = fileConfigSchema;

export type FileConfig = z.infer<typeof schema>;

export const describe = (c: FileConfig): string => `config file ${c.path}`;

export function create(): ConfigBase<FileConfig> {
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
