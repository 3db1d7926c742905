/** Config base: a target host's running config (/boot/config-$(uname -r)), read over SSH. */
import { z } from 'zod';
import { sshTargetSchema } from '../../../shared/schema-fields';
import type { ConfigBase } from './config-base';
import { precheckTargetConfig, readTargetConfig, writeOnBuildHost } from './target-config';

export const kind = 'running';

export const schema = z
  .object({ kind: z.literal(kind), target: sshTargetSchema })
  .strict()
  .describe("A target host's /boot/config-$(uname -r), brought up to date with olddefconfig");

export type RunningConfig = z.infer<typeof schema>;

export const describe = (c: RunningConfig): string => `running config of ${c.target.host}`;

export function create(): ConfigBase<RunningConfig> {
  return {
    precheck: (ctx, c) => precheckTargetConfig(ctx, c.target),
    async write(ctx, c) {
      const t = await readTargetConfig(ctx, c.target);
      await writeOnBuildHost(ctx, `${ctx.obj}/.config`, t.config);
      return { from: `${c.target.host}'s /boot/config-${t.release}`, runningReleases: [t.release] };
    },
  };
}
