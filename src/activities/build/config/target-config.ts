/** Reads a target host's running kernel config (and optionally its loaded modules) over SSH. */
import { shellQuote } from '../../../shared/shell';
import type { SshTargetInput } from '../../../shared/types';
import type { HostSession } from '../../host';
import { BuildHostNotReadyError } from '../errors';
import type { ConfigContext } from './config-base-interface';

export interface TargetConfig {
  release: string;
  config: string;
  lsmod: string;
}

export async function readTargetConfig(ctx: ConfigContext, target: SshTargetInput): Promise<TargetConfig> {
  return ctx.withHost(target, async (t: HostSession) => {
    const release = (await t.run('uname -r')).trim();
    const path = `/boot/config-${release}`;
    const r = await t.exec(`cat -- ${shellQuote(path)}`, { timeoutMs: 60_000 });
    if (r.code !== 0 || !/^CONFIG_/m.test(r.stdout)) {
      throw new BuildHostNotReadyError(`${target.host} has no readable ${path}; give the config another way`);
    }
    const lsmod = await t.run('cat /proc/modules');
    return { release, config: r.stdout, lsmod };
  });
}

/** Writes `text` to `file` on the build host (through stdin: no size limit of a command line). */
export async function writeOnBuildHost(ctx: ConfigContext, file: string, text: string): Promise<void> {
  await ctx.build.run(`cat > ${shellQuote(file)}`, { stdin: text });
}

/** Why the target's running config cannot be read, or undefined (connects: SSH errors propagate). */
export async function precheckTargetConfig(
  ctx: Pick<ConfigContext, 'withHost'>,
  target: SshTargetInput,
): Promise<string | undefined> {
  return ctx.withHost(target, async (t: HostSession) => {
    const r = await t.exec(`f=/boot/config-$(uname -r); grep -q '^CONFIG_' "$f" && echo ok || echo "$f"`);
    return r.stdout.trim() === 'ok' ? undefined : `${target.host} has no readable ${r.stdout.trim()}`;
  });
}
