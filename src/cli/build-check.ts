/**
 * What `kernelctl build` checks on the build host (and the config's host) before it starts the
 * workflow, so a wrong flag is refused at once, naming the flag (exit 2), rather than as a failed
 * build: the build host answers over SSH with a known key, the source is there, the config's base
 * can be read. Nothing is changed on either host.
 */
import { configBaseFor } from '../activities/build/config/config-base';
import { kernelSourceFor } from '../activities/build/source/source';
import { connectTo } from '../activities/ssh/connect';
import type { HostSession } from '../activities/host';
import type { BuildKernelSpec } from '../shared/build-schemas';
import { InvalidInputError } from '../shared/schemas';
import type { SshTargetInput } from '../shared/types';

/** The flag that pins each host's key: the generic `--host-key-sha256` of the SSH errors is not one of build's. */
export const PIN_FLAG = { '--build-host': '--build-host-key-sha256', '--config': '--config-host-key-sha256' } as const;

type Flag = keyof typeof PIN_FLAG;

export async function open(flag: Flag, target: SshTargetInput): Promise<HostSession & { close(): void }> {
  try {
    return await connectTo(target, { connectTimeoutMs: 20_000 });
  } catch (err) {
    const msg = (err as Error).message
      .replace(/--host-key-sha256/g, PIN_FLAG[flag])
      .replace(/opt in to trust-on-first-use/g, 'pass --trust-on-first-use')
      .replace(
        /give privateKeyPath or agentSocket/g,
        `give -i${flag === '--config' ? ' (or --config-identity)' : ''} or --agent`,
      );
    throw new InvalidInputError(`${flag}: cannot use ${target.host} over SSH: ${msg}`);
  }
}

export async function checkBuildHosts(spec: BuildKernelSpec): Promise<void> {
  const build = await open('--build-host', spec.buildHost);
  try {
    const source = await kernelSourceFor(spec.source).precheck(build, spec.source);
    if (source) throw new InvalidInputError(`--source: ${source}`);
    const withHost = async <T>(target: SshTargetInput, fn: (s: HostSession) => Promise<T>): Promise<T> => {
      const s = await open('--config', target);
      try {
        return await fn(s);
      } finally {
        s.close();
      }
    };
    const config = await configBaseFor(spec.config).precheck({ build, withHost }, spec.config);
    if (config) throw new InvalidInputError(`--config: ${config}`);
  } finally {
    build.close();
  }
}
