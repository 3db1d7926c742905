/** Config base: a target host's running config (/boot/config-$(uname -r)), read over SSH. */
import type { z } from 'zod';
import { runningConfigSchema } from '../../../shared/options/config-base';
import type { ConfigBase, ConfigBaseModule } from './config-base-interface';
import { precheckTargetConfig, readTargetConfig, writeOnBuildHost } from './target-config';

const kind = 'running';
const schema = runningConfigSchema;

export type RunningConfig = z.infer<typeof schema>;

const describe = (c: RunningConfig): string => `running config of ${c.target.host}`;

function create(): ConfigBase<RunningConfig> {
  return {
    precheck: (ctx, c) => precheckTargetConfig(ctx, c.target),
    async write(ctx, c) {
      const t = await readTargetConfig(ctx, c.target);
      await writeOnBuildHost(ctx, `${ctx.obj}/.config`, t.config);
      return { from: `${c.target.host}'s /boot/config-${t.release}`, runningReleases: [t.release] };
    },
  };
}

/** The registry's entry. */
export const runningBase: ConfigBaseModule<typeof runningConfigSchema> = { kind, schema, describe, create };
