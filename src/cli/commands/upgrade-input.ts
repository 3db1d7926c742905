/** The flags of `upgrade` (and `plan`, `rollout`) → the workflow input they describe. */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { ParseArgsConfig } from 'node:util';
import type { ClientOptions } from '../../client';
import { BUILD_ID_RE, buildResult } from '../../client/build';
import type { BuildResult } from '../../shared/build-types';
import { ARTIFACT_OPTIONS } from '../artifact';
import { int, withClient, type Values } from '../common';
import { sha256File } from '../../node/sha256-file';
import { debKernelProblem } from '../../node/deb-archive';
import { KERNEL_RELEASE_RE } from '../../shared/shell';
import { InvalidInputError, healthCheckSchema } from '../../shared/schemas';

export const TARGET_OPTIONS = {
  to: { type: 'string' },
  package: { type: 'string' },
  deb: { type: 'string' },
  kexec: { type: 'boolean' },
  user: { type: 'string' },
  port: { type: 'string' },
  identity: { type: 'string', short: 'i' },
  agent: { type: 'string' },
  'known-hosts': { type: 'string' },
  'host-key-sha256': { type: 'string' },
  'trust-on-first-use': { type: 'boolean' },
  'ssh-address': { type: 'string' },
  jump: { type: 'string', multiple: true },
} as const satisfies ParseArgsConfig['options'];

export const UPGRADE_OPTIONS = {
  ...TARGET_OPTIONS,
  ...ARTIFACT_OPTIONS,
  build: { type: 'string' },
  'rehearse-in-vm': { type: 'boolean' },
  'approve-before-reboot': { type: 'boolean' },
  wait: { type: 'boolean' },
  panic: { type: 'string' },
  'revert-after': { type: 'string' },
  stability: { type: 'string' },
  'boot-deadline': { type: 'string' },
  'trial-arg': { type: 'string', multiple: true },
  'health-cmd': { type: 'string', multiple: true },
  'health-unit': { type: 'string', multiple: true },
  'health-url': { type: 'string', multiple: true },
  power: { type: 'string' },
  'power-command': { type: 'string', multiple: true },
  'power-credentials-env': { type: 'string', multiple: true },
  'qmp-socket': { type: 'string' },
  'remove-failed-kernel': { type: 'boolean' },
} as const satisfies ParseArgsConfig['options'];

export async function buildTarget(host: string | undefined, v: Values) {
  return {
    host: host ?? '',
    ...(v['ssh-address'] ? { address: v['ssh-address'] } : {}),
    port: int('--port', v['port'] as string | undefined) ?? 22,
    user: (v['user'] as string | undefined) ?? 'root',
    ...(v['identity'] ? { privateKeyPath: path.resolve(v['identity'] as string) } : {}),
    ...(v['agent'] ? { agentSocket: path.resolve(v['agent'] as string) } : {}),
    ...(v['known-hosts'] ? { knownHostsPath: path.resolve(v['known-hosts'] as string) } : {}),
    ...(v['host-key-sha256'] ? { hostKeySha256: v['host-key-sha256'] } : {}),
    trustOnFirstUse: v['trust-on-first-use'] === true,
    ...(v['jump'] ? { jumpHosts: (v['jump'] as string[]).map((j) => parseJump(j, v)) } : {}),
  };
}

/** `[user@]host[:port]` → one hop; the hop's key is checked in the same known_hosts file. */
function parseJump(spec: string, v: Values) {
  const m = /^(?:([^@:]+)@)?([^@:]+)(?::(\d+))?$/.exec(spec);
  if (!m) throw new InvalidInputError(`--jump: ${JSON.stringify(spec)} must be [user@]host[:port]`);
  return {
    host: m[2] as string,
    port: m[3] !== undefined ? Number(m[3]) : 22,
    user: m[1] ?? (v['user'] as string | undefined) ?? 'root',
    ...(v['identity'] ? { privateKeyPath: path.resolve(v['identity'] as string) } : {}),
    ...(v['agent'] ? { agentSocket: path.resolve(v['agent'] as string) } : {}),
    ...(v['known-hosts'] ? { knownHostsPath: path.resolve(v['known-hosts'] as string) } : {}),
  };
}

export async function buildSource(release: string, v: Values) {
  if (v['package'] && v['deb']) throw new InvalidInputError('--package and --deb: give one of them, not both');
  if (v['deb']) {
    const file = path.resolve(v['deb'] as string);
    if (!existsSync(file)) throw new InvalidInputError(`--deb: ${file} does not exist`);
    // Before anything starts: the file must be a Debian package that installs the kernel --to names.
    if (KERNEL_RELEASE_RE.test(release)) {
      const problem = await debKernelProblem(file, release);
      if (problem) throw new InvalidInputError(`--deb: ${problem}`);
    }
    return { kind: 'deb' as const, localPath: file, sha256: await sha256File(file) };
  }
  return { kind: 'apt' as const, packageName: (v['package'] as string | undefined) ?? `linux-image-${release}` };
}

const HEALTH_FLAGS = [
  ['health-cmd', 'command', 'command'],
  ['health-unit', 'systemd-unit', 'unit'],
  ['health-url', 'http', 'url'],
] as const;

/**
 * --health-cmd, --health-unit, --health-url → checks, each validated on its own so that a bad one
 * is named as given (`--health-unit #1`), not by its place in the workflow input, where the
 * default system-running check comes first.
 */
function healthChecksFromFlags(v: Values): { kind: string }[] {
  const problems: string[] = [];
  const checks = HEALTH_FLAGS.flatMap(([flag, kind, field]) =>
    ((v[flag] as string[] | undefined) ?? []).map((value, i) => {
      const check = { kind, [field]: value };
      const parsed = healthCheckSchema.safeParse(check);
      if (!parsed.success) {
        problems.push(
          ...parsed.error.issues.map((x) => `--${flag} #${i + 1} (${JSON.stringify(value)}): ${x.message}`),
        );
      }
      return check;
    }),
  );
  if (problems.length > 0) throw new InvalidInputError(problems.join('\n'));
  return checks;
}

/** Flags → raw workflow input (validated by the caller with upgradeHostInputSchema). */
export async function upgradeInputFromFlags(
  host: string | undefined,
  v: Values,
  built?: BuildResult,
): Promise<unknown> {
  if (built && v['to'] !== undefined && v['to'] !== built.release) {
    throw new InvalidInputError(`--to: build ${v['build']} made ${built.release}, not ${v['to']}`);
  }
  const release = built?.release ?? (v['to'] as string | undefined) ?? '';
  const power =
    v['power'] === 'command'
      ? {
          driver: 'command',
          argv: (v['power-command'] as string[] | undefined) ?? [],
          ...(v['power-credentials-env'] ? { credentialsEnv: v['power-credentials-env'] as string[] } : {}),
        }
      : v['power'] === 'qmp'
        ? { driver: 'qmp', socketPath: v['qmp-socket'] ? path.resolve(v['qmp-socket'] as string) : '' }
        : v['power'] === undefined || v['power'] === 'none'
          ? { driver: 'none' }
          : { driver: v['power'] };
  const health = healthChecksFromFlags(v);
  const bootDeadline = int('--boot-deadline', v['boot-deadline'] as string | undefined);
  return {
    target: await buildTarget(host, v),
    toRelease: release,
    source: built
      ? { kind: 'artifact', host: built.buildTarget, path: built.deb.path, sha256: built.deb.sha256 }
      : await buildSource(release, v),
    useKexec: v['kexec'] === true,
    approveBeforeReboot: v['approve-before-reboot'] === true,
    ...(v['rehearse-in-vm'] === true ? { rehearseInVm: true } : {}),
    ...(v['panic'] !== undefined ? { panicSeconds: int('--panic', v['panic'] as string) } : {}),
    ...(v['revert-after'] !== undefined
      ? { revertAfterSeconds: int('--revert-after', v['revert-after'] as string) }
      : {}),
    ...(v['stability'] !== undefined ? { stabilitySeconds: int('--stability', v['stability'] as string) } : {}),
    ...(v['trial-arg'] ? { trialKernelArgs: v['trial-arg'] } : {}),
    // The checks given add to the default one: the system must have finished booting (a degraded
    // unit is allowed), whatever the operator's own checks look at.
    ...(health.length > 0 ? { healthChecks: [{ kind: 'system-running' }, ...health] } : {}),
    power,
    ...(bootDeadline !== undefined ? { timeouts: { bootDeadlineSeconds: bootDeadline } } : {}),
    removeFailedKernel: v['remove-failed-kernel'] === true,
  };
}

/** `--build ID`: the build's result (its package is what gets installed). */
export async function builtFor(v: Values, clientOpts: ClientOptions): Promise<BuildResult | undefined> {
  const id = v['build'] as string | undefined;
  if (id === undefined) return undefined;
  if (!BUILD_ID_RE.test(id))
    throw new InvalidInputError(`--build: ${JSON.stringify(id)} must be a build id (16 hex digits)`);
  if (v['package'] || v['deb']) throw new InvalidInputError('--build: give one of --build, --package, --deb');
  return withClient(clientOpts, async (c) => {
    try {
      return await buildResult(c.client, id);
    } catch (err) {
      throw new InvalidInputError(`--build: build ${id} has no package (${(err as Error).message})`);
    }
  });
}
