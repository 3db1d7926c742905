/**
 * `kernelctl build`: a kernel built on a build host through the buildKernel workflow, and
 * `build status|watch|cancel <id>`. Every flag is checked before anything connects.
 */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { ParseArgsConfig } from 'node:util';
import { CancelledFailure, WorkflowFailedError } from '@temporalio/client';
import type { ClientOptions } from '../client';
import {
  BUILD_ID_RE,
  buildResult,
  buildState,
  buildWorkflowId,
  formatProgress,
  formatResult,
  startBuild,
} from '../client/build';
import {
  DEFAULT_BUILD_ROOT,
  buildKernelInputSchema,
  buildRootSchema,
  type BuildKernelSpec,
} from '../shared/build-schemas';
import { checkBuildHosts, open } from './build-check';
import { pruneBuilds, type PruneEntry } from '../activities/build/prune';
import { sshTargetSchema } from '../shared/schema-fields';
import type { BuildResult } from '../shared/build-types';
import { InvalidInputError, parseOrThrow } from '../shared/schemas';
import {
  EXIT,
  UsageError,
  clientOptionsFromFlags,
  int,
  out,
  parse,
  parseHostSpec,
  withClient,
  type Values,
} from './common';

export const BUILD_HELP = `kernelctl build — compile a kernel on a build host, once per source + config + toolchain

Usage:
  kernelctl build --build-host [USER@]HOST[:PORT] --source SOURCE --config BASE [options]
  kernelctl build status <id>      the build's state, or its result
  kernelctl build watch <id>       progress until it ends
  kernelctl build cancel <id>      stop it (the make on the build host is killed)
  kernelctl build prune --build-host HOST [--build-root DIR] [--keep-packages]
                                   free the build root over SSH: each build's directory (its
                                   package too: asking again rebuilds), or with --keep-packages
                                   only its objects (about 3.7 GB for Debian's config) and debug
                                   package (about 100 MB). A build in progress is never touched;
                                   unpacked sources stay

Exit codes: 0 built (build cancel: cancelled), 1 the build failed, 2 bad input (nothing
started), 5 the build was cancelled (status, watch, --wait), 7 Temporal unreachable or lost.

Source (on the build host):
  --source debian:6.1              Debian's linux-source-6.1 package (apt-get install linux-source-6.1)
  --source tarball:/PATH.tar.xz    a kernel tarball
  --source tree:/PATH              an unpacked tree (built out of tree, never written to)

Config:
  --config running:[USER@]HOST[:PORT]        that host's /boot/config-$(uname -r), read over SSH
  --config localmodconfig:[USER@]HOST[:PORT] the same, cut to the modules the host has loaded
  --config file:/PATH                        a .config on the build host
  --config make:TARGET[+FRAGMENT...]         tinyconfig, defconfig or allnoconfig, then the tree's
                                             fragments (kvm_guest.config, xen.config, …)
  --fragment 'CONFIG_X=y'          a config line applied after the base (repeatable)
  --fragment-file FILE             config lines from a local file (one per line, # comments)
  Then make olddefconfig; a fragment line that does not take is refused, naming it.

Before the build starts, kernelctl connects to the build host (and the config's host) and checks
that the source and the config's base are there: a wrong --build-host, --source or --config is
refused at once (exit 2, naming the flag), nothing started.

Options:
  --localversion=-NAME             LOCALVERSION (default -kr<8 hex digits of the build key); the
                                   release must differ from the one the hosts run
  --jobs N                         make -jN (default the build host's nproc)
  --build-root DIR                 where builds live on the build host (default
                                   /var/cache/kernel-rollout/builds); one directory per key
  -i, --identity FILE              SSH key for the build host, and for the config's host (running:,
                                   localmodconfig:) unless --config-identity gives it its own
  --config-identity FILE           SSH key for the config's host
  --agent SOCKET                   ssh-agent socket instead (both hosts)
  --known-hosts FILE               known_hosts for both (host keys are always checked)
  --build-host-key-sha256 SHA256:… pin the build host's key instead of known_hosts
  --config-host-key-sha256 SHA256:… pin the config's host's key
  --trust-on-first-use             record an unknown host key (a changed key is refused; both hosts)
  --rebuild                        build a key whose build failed again (see below)
  --wait                           watch the build and print its result
  --json                           machine-readable output

The result is a linux-image-<release>.deb on the build host, with its sha256, the effective
.config and the build log beside it. Install it with: kernelctl upgrade HOST --build <id>.
A build of the same key again returns the earlier package at once. A key whose build failed
returns that failure again, saying so, without compiling: the same source, config and toolchain
fail the same way. After fixing the cause (on the build host: a missing tool, disk space), add
--rebuild to start make again for it. A key that succeeded is never rebuilt.
`;

const BUILD_OPTIONS = {
  'build-host': { type: 'string' },
  source: { type: 'string' },
  config: { type: 'string' },
  fragment: { type: 'string', multiple: true },
  'fragment-file': { type: 'string' },
  localversion: { type: 'string' },
  jobs: { type: 'string' },
  'build-root': { type: 'string' },
  identity: { type: 'string', short: 'i' },
  'config-identity': { type: 'string' },
  'build-host-key-sha256': { type: 'string' },
  'config-host-key-sha256': { type: 'string' },
  agent: { type: 'string' },
  'known-hosts': { type: 'string' },
  'trust-on-first-use': { type: 'boolean' },
  rebuild: { type: 'boolean' },
  wait: { type: 'boolean' },
} as const satisfies ParseArgsConfig['options'];

/**
 * `[user@]host[:port]` plus the SSH flags, as an SSH target (validated by the schema later). `-i`,
 * `--agent`, `--known-hosts` and `--trust-on-first-use` serve both hosts; `--config-identity`
 * gives the config's host its own key, and each host's key pin has its own flag.
 */
function sshTargetOf(flag: '--build-host' | '--config', spec: string, v: Values): Record<string, unknown> {
  const identity = (flag === '--config' ? v['config-identity'] : undefined) ?? v['identity'];
  const pin = v[flag === '--config' ? 'config-host-key-sha256' : 'build-host-key-sha256'];
  return {
    ...parseHostSpec(flag, spec),
    ...(identity ? { privateKeyPath: path.resolve(identity as string) } : {}),
    ...(pin ? { hostKeySha256: pin } : {}),
    ...(v['agent'] ? { agentSocket: v['agent'] } : {}),
    ...(v['known-hosts'] ? { knownHostsPath: path.resolve(v['known-hosts'] as string) } : {}),
    ...(v['trust-on-first-use'] ? { trustOnFirstUse: true } : {}),
  };
}

function sourceOf(spec: string): Record<string, unknown> {
  const [kind, rest = ''] = spec.split(/:(.*)/s);
  if (kind === 'debian') return { kind: 'debian-source', version: rest };
  if (kind === 'tarball' || kind === 'tree') return { kind, path: rest };
  throw new InvalidInputError(`--source: ${JSON.stringify(spec)} must be debian:VERSION, tarball:PATH or tree:PATH`);
}

function configOf(spec: string, v: Values): Record<string, unknown> {
  const [kind, rest = ''] = spec.split(/:(.*)/s);
  if (kind === 'running' || kind === 'localmodconfig') return { kind, target: sshTargetOf('--config', rest, v) };
  if (v['config-identity'] !== undefined || v['config-host-key-sha256'] !== undefined)
    throw new InvalidInputError(
      `--config-identity, --config-host-key-sha256: only with --config running:HOST or localmodconfig:HOST`,
    );
  if (kind === 'file') return { kind, path: rest };
  if (kind === 'make') {
    const [target, ...treeFragments] = rest.split('+');
    return { kind, target, treeFragments };
  }
  throw new InvalidInputError(
    `--config: ${JSON.stringify(spec)} must be running:HOST, localmodconfig:HOST, file:PATH or make:TARGET`,
  );
}

async function fragmentsOf(v: Values): Promise<string[]> {
  const lines = [...((v['fragment'] as string[] | undefined) ?? [])];
  const file = v['fragment-file'] as string | undefined;
  if (file !== undefined) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      throw new InvalidInputError(`--fragment-file: cannot read ${file}: ${(err as Error).message}`);
    }
    for (const raw of text.split('\n')) {
      const line = raw.trim();
      if (line === '' || (line.startsWith('#') && !/^# CONFIG_\S+ is not set$/.test(line))) continue;
      lines.push(line);
    }
  }
  return lines;
}

/** The build spec from the flags, validated (exit 2 naming the field; nothing connects). */
export async function buildInputFromFlags(v: Values): Promise<unknown> {
  for (const f of ['build-host', 'source', 'config'] as const) {
    if (v[f] === undefined) throw new InvalidInputError(`--${f}: required (see kernelctl build --help)`);
  }
  const input = {
    buildHost: sshTargetOf('--build-host', v['build-host'] as string, v),
    source: sourceOf(v['source'] as string),
    config: configOf(v['config'] as string, v),
    fragments: await fragmentsOf(v),
    ...(v['localversion'] !== undefined ? { localVersion: v['localversion'] } : {}),
    ...(v['jobs'] !== undefined ? { jobs: int('--jobs', v['jobs'] as string) } : {}),
    ...(v['build-root'] !== undefined ? { buildRoot: v['build-root'] } : {}),
    ...(v['rebuild'] ? { rebuild: true } : {}),
  };
  return parseOrThrow(buildKernelInputSchema, input);
}

async function watchBuild(c: { client: import('@temporalio/client').Client }, id: string, json: boolean) {
  let last = '';
  for (;;) {
    const s = await buildState(c.client, id);
    if (s.status !== 'RUNNING') break;
    const line = s.progress ? formatProgress(s.progress) : 'preparing the source and config';
    if (line !== last) {
      process.stdout.write(json ? `${JSON.stringify(s)}\n` : `${new Date().toISOString().slice(11, 19)}  ${line}\n`);
      last = line;
    }
    await new Promise((r) => setTimeout(r, 2000));
  }
  return finish(c, id, json);
}

/** How a build that did not succeed ended: cancelled, or failed with why. */
export function endOf(err: WorkflowFailedError): { outcome: 'cancelled' | 'failed'; reason: string } {
  const cause = err.cause as (Error & { cause?: Error }) | undefined;
  if (cause instanceof CancelledFailure) return { outcome: 'cancelled', reason: 'cancelled' };
  return { outcome: 'failed', reason: cause?.cause?.message ?? cause?.message ?? err.message };
}

/**
 * Prints how the build ended. A cancelled build exits 5 (aborted), except for `build cancel`,
 * which asked for it (0); a failed one 1.
 */
async function finish(
  c: { client: import('@temporalio/client').Client },
  id: string,
  json: boolean,
  cancelledIsOk = false,
) {
  let r: BuildResult;
  try {
    r = await buildResult(c.client, id);
  } catch (err) {
    if (!(err instanceof WorkflowFailedError)) throw err;
    const end = endOf(err);
    if (end.outcome === 'cancelled') {
      out(json, { id, outcome: 'cancelled' }, `build ${id}: cancelled (its make on the build host was stopped)`);
      return cancelledIsOk ? EXIT.ok : EXIT.aborted;
    }
    out(json, { id, outcome: 'failed', reason: end.reason }, `build ${id}: failed — ${end.reason}`);
    return EXIT.error;
  }
  out(json, { id, ...r }, `build ${id}: ${formatResult(r)}`);
  return EXIT.ok;
}

const PRUNE_OPTIONS = {
  'build-host': { type: 'string' },
  'build-root': { type: 'string' },
  'keep-packages': { type: 'boolean' },
  identity: { type: 'string', short: 'i' },
  agent: { type: 'string' },
  'known-hosts': { type: 'string' },
  'build-host-key-sha256': { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

/** `kernelctl build prune`: over SSH to the build host, no workflow (nothing to retry or record). */
async function pruneCommand(v: Values, json: boolean): Promise<number> {
  if (v['build-host'] === undefined) throw new InvalidInputError('--build-host: required (see kernelctl build --help)');
  const target = parseOrThrow(
    sshTargetSchema,
    sshTargetOf('--build-host', v['build-host'] as string, v),
    '--build-host',
  );
  const root = parseOrThrow(
    buildRootSchema,
    (v['build-root'] as string | undefined) ?? DEFAULT_BUILD_ROOT,
    '--build-root',
  );
  const keep = v['keep-packages'] === true;
  const b = await open('--build-host', target);
  let entries: PruneEntry[];
  try {
    entries = await pruneBuilds(b, root, keep);
  } finally {
    b.close();
  }
  const freed = entries.reduce((n, e) => n + e.freedBytes, 0);
  const mib = (n: number) => `${Math.round(n / 1048576)} MiB`;
  const lines = [
    ...entries.map((e) =>
      e.action === 'busy'
        ? `${e.key}: building now, left alone`
        : `${e.key}: ${e.action === 'removed' ? 'removed' : 'objects and debug package removed, package kept'} (${mib(e.freedBytes)})`,
    ),
    `${target.host}:${root}: ${mib(freed)} freed from ${entries.filter((e) => e.action !== 'busy').length} build(s)`,
  ];
  out(
    json,
    { buildHost: target.host, buildRoot: root, keepPackages: keep, freedBytes: freed, builds: entries },
    lines.join('\n'),
  );
  return EXIT.ok;
}

export async function runBuildCommand(argv: string[]): Promise<number> {
  const SUBCOMMANDS = ['status', 'watch', 'cancel', 'prune'];
  const sub = argv[0] !== undefined && SUBCOMMANDS.includes(argv[0]) ? argv[0] : 'start';
  const options = sub === 'start' ? BUILD_OPTIONS : sub === 'prune' ? PRUNE_OPTIONS : {};
  const { values, positionals } = parse(sub === 'start' ? argv : argv.slice(1), options);
  const v = values as Values;
  if (v['help']) {
    process.stdout.write(BUILD_HELP);
    return EXIT.ok;
  }
  const json = v['json'] === true;
  if (sub === 'prune') {
    if (positionals.length > 0) throw new UsageError(`build prune: unexpected ${JSON.stringify(positionals[0])}`);
    return pruneCommand(v, json);
  }
  const clientOpts: ClientOptions = clientOptionsFromFlags(v);
  if (sub === 'start') {
    if (positionals.length > 0) throw new UsageError(`build: unexpected ${JSON.stringify(positionals[0])}`);
    const input = (await buildInputFromFlags(v)) as BuildKernelSpec;
    await checkBuildHosts(input);
    return withClient(clientOpts, async (c) => {
      const { id } = await startBuild(c.client, clientOpts.taskQueue, input as never);
      process.stderr.write(`build ${id} (${buildWorkflowId(id)}; kernelctl build watch ${id})\n`);
      if (!v['wait']) {
        out(json, { id, workflowId: buildWorkflowId(id) }, id);
        return EXIT.ok;
      }
      return watchBuild(c, id, json);
    });
  }
  const id = positionals[0];
  if (positionals.length !== 1 || id === undefined) throw new UsageError(`build ${sub}: give exactly one <id>`);
  if (!BUILD_ID_RE.test(id))
    throw new InvalidInputError(`<id>: ${JSON.stringify(id)} must be a build id (16 hex digits)`);
  return withClient(clientOpts, async (c) => {
    if (sub === 'watch') return watchBuild(c, id, json);
    if (sub === 'cancel') {
      await c.client.workflow.getHandle(buildWorkflowId(id)).cancel();
      return finish(c, id, json, true);
    }
    const s = await buildState(c.client, id);
    if (s.status !== 'RUNNING') return finish(c, id, json);
    out(json, s, `build ${id}: ${s.progress ? formatProgress(s.progress) : 'preparing the source and config'}`);
    return EXIT.ok;
  });
}
