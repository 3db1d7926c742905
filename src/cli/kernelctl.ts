/**
 * kernelctl: the operators' CLI. Every flag is parsed into the shared zod schemas before any
 * connection is made; a bad value exits 2 naming the flag, and nothing is started.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import * as path from 'node:path';
import type { ParseArgsConfig } from 'node:util';
import { WorkflowFailedError, WorkflowNotFoundError } from '@temporalio/client';
import { ActivityFailure } from '@temporalio/common';
import { HostUpgradeClient, type ClientOptions } from '../client';
import { RolloutControl, startRollout } from '../client/rollout';
import { BUILD_ID_RE, buildResult } from '../client/build';
import type { BuildResult } from '../shared/build-types';
import { ARTIFACT_OPTIONS, artifactStoreFromFlags, publishDeb } from './artifact';
import { EXIT, UsageError, clientOptionsFromFlags, int, out, parse, whoami, withClient, type Values } from './common';
import { sha256File } from '../node/sha256-file';
import { debKernelProblem } from '../node/deb-archive';
import { KERNEL_RELEASE_RE, SAFE_ABSOLUTE_PATH_RE } from '../shared/shell';
import { REHEARSAL_STATE_DIR_DEFAULT, REHEARSAL_TASK_QUEUE } from '../shared/rehearsal-types';
import type { RehearsalConfig } from '../activities/rehearsal';
import type { WorkerSlots } from '../worker';
import {
  InvalidInputError,
  actorSchema,
  addHostsArgsSchema,
  healthCheckSchema,
  hostSchema,
  operatorTextSchema,
  parseOrThrow,
  preflightInputSchema,
  rolloutIdSchema,
  upgradeHostInputSchema,
} from '../shared/schemas';
import { preflightFailedReason } from '../workflows/failure';
import type { RolloutHost } from '../workflows/rollout-definitions';
import type { HostFacts, Outcome, UpgradeStatus } from '../shared/types';

export { EXIT };

const OUTCOME_EXIT: Record<Outcome, number> = {
  upgraded: EXIT.ok,
  'rolled-back': EXIT.rolledBack,
  'needs-attention': EXIT.needsAttention,
  aborted: EXIT.aborted,
  refused: EXIT.refused,
};

const TARGET_OPTIONS = {
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

const UPGRADE_OPTIONS = {
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

const HELP: Record<string, string> = {
  main: `kernelctl — reversible Linux kernel upgrades over SSH, orchestrated by Temporal

Usage: kernelctl <command> [options]

Commands:
  upgrade <host> --to <release>   start a durable upgrade of one host (see kernelctl upgrade --help)
  plan <host> --to <release>      preflight only: what would happen, nothing is changed
  build --build-host H --source S --config C
                                  compile a kernel on a build host, once (see kernelctl build --help)
  status <host>                   phase, outcome and timeline of the host's upgrade
  watch <host>                    live progress until the upgrade ends
  approve <host>                  let an upgrade waiting for approval reboot
  abort <host> --reason TEXT      stop: undo staging before the reboot, roll back after it
  resolve <host> --retry|--mark-fixed|--give-up
                                  answer an upgrade that needs attention
  rollout --inventory FILE --to <release>
                                  fleet rollout: canary, batches, failure budget, windows
  rollout plan|watch|status|pause|resume|approve|abort|skip|add …
                                  see kernelctl rollout --help
  watch --rollout ID              live multi-host view of a rollout
  worker                          run a worker (workflows + activities) on the task queue
  dev                             embedded Temporal dev server (SQLite in the state dir) + worker

Temporal connection (as the temporal CLI finds it: the profile, then TEMPORAL_* variables, then flags):
  --profile NAME        profile of the Temporal config file (env TEMPORAL_PROFILE, default default)
  --config-file PATH    the Temporal config file (env TEMPORAL_CONFIG_FILE,
                        default ~/.config/temporalio/temporal.toml); a profile sets address,
                        namespace, api_key, and [profile.NAME.tls] server_ca_cert_path,
                        server_name, client_cert_path, client_key_path (or *_data)
  --address HOST:PORT   Temporal frontend (env TEMPORAL_ADDRESS, default 127.0.0.1:7233)
  --namespace NAME      Temporal namespace (env TEMPORAL_NAMESPACE, default default)
  Also TEMPORAL_API_KEY, TEMPORAL_TLS, TEMPORAL_TLS_SERVER_CA_CERT_PATH, TEMPORAL_TLS_SERVER_NAME,
  TEMPORAL_TLS_CLIENT_CERT_PATH, TEMPORAL_TLS_CLIENT_KEY_PATH. Keys and certificates are read
  from files or the environment, and never printed, logged or put into a workflow.
Global options:
  --task-queue NAME     task queue (env KERNEL_ROLLOUT_TASK_QUEUE, default kernel-rollout)
  --json                machine-readable output (read commands)
  -h, --help            this help

Exit codes:
  0 ok / upgraded   1 error   2 bad input (nothing started)   3 rolled-back
  4 needs-attention   5 aborted   6 refused by preflight   7 Temporal unreachable
  8 no such upgrade or rollout   9 rollout halted (failure budget exceeded)`,
  upgrade: `Usage: kernelctl upgrade <host> --to <release> [options]

Upgrades one host: preflight → pin the running kernel as GRUB's saved default → install →
stage a one-shot trial (panic=N, revert timer) → [approval] → reboot or kexec → await →
verify (uname -r, boot id, health, stability window) → commit, or roll back.

Kernel:
  --to RELEASE               kernel release to run afterwards, as uname -r prints it (required)
  --package NAME             apt package to install (default linux-image-<release>)
  --deb FILE                 upload this .deb (sha256 checked) and dpkg -i it
  --artifact-host [USER@]HOST[:PORT]
                             with --deb: put the file on this SSH host first (sha256 checked;
                             --artifact-dir, default /var/cache/kernel-rollout/artifacts), and let
                             the worker that installs fetch it from there (workers on other machines)
  --build ID                 the package a kernelctl build made (fetched from the build host,
                             sha256 checked end to end); --to defaults to its release
  --rehearse-in-vm           first the same upgrade on a throwaway VM (a worker started with
                             --rehearsal-image runs it); only if it ends upgraded is the host
                             touched, else the run ends refused (needs --build or --artifact-host)
  --kexec                    boot the trial with kexec (skips firmware POST)
  --approve-before-reboot    stop after staging until 'kernelctl approve'
  --wait                     wait for the outcome and exit with its code
Trial safety:
  --panic N                  panic=N on the trial boot (default 10)
  --revert-after N           host-side revert timer, seconds after boot (default 600)
  --stability N              seconds the new kernel must stay up before commit (default 60)
  --boot-deadline N          seconds for the host to come back (default 600)
  --trial-arg ARG            extra kernel argument for the trial boot only (repeatable)
  --health-cmd CMD           health check: command must exit 0 (repeatable)
  --health-unit UNIT         health check: systemd unit must be active (repeatable)
  --health-url URL           health check: GET from the worker must answer 200 (repeatable)
                             Always checked first, with or without these: systemctl
                             is-system-running must say running (degraded allowed)
  --remove-failed-kernel     remove the kernel package after a failed trial
Power (for a host that never comes back):
  --power none|command|qmp   out-of-band power driver (default none)
  --power-command ARG        program and arguments, one flag per argument ({host} is replaced);
                             no password or token in them (refused: the input is kept in history)
  --power-credentials-env NAME
                             a variable of the worker's environment the command gets, e.g.
                             IPMI_PASSWORD with --power-command=-E (repeatable; names only)
  --qmp-socket PATH          QMP socket of a qemu/libvirt guest
SSH (paths on the worker; secrets never enter Temporal):
  --user NAME  --port N  -i, --identity KEYFILE  --agent SOCKET
  --ssh-address ADDR         connect here instead of <host>
  --known-hosts FILE         (default ~/.ssh/known_hosts)
  --host-key-sha256 SHA256:…  pin the host key instead of known_hosts
  --trust-on-first-use       record an unknown host key (a changed key is always refused)
  --jump [USER@]HOST[:PORT]  reach the host through this bastion (ProxyJump; repeat for a chain,
                             first hop first); its key is checked in the same known_hosts`,
  plan: `Usage: kernelctl plan <host> --to <release> [--package NAME | --deb FILE] [--kexec] [SSH options] [--json]

Runs the preflight on a worker and prints what an upgrade would do, what it would fix
(GRUB_DEFAULT=saved, …) and what it refuses. Changes nothing. Exit 6 when it would refuse, or
when preflight cannot read the host (an unknown host key, refused credentials): the reason and
its fix are printed as 'kernelctl upgrade' words them.`,
  status: 'Usage: kernelctl status <host> [--json]',
  watch: `Usage: kernelctl watch <host> [--json]   (prints the timeline as it grows; exits with the outcome code)
       kernelctl watch --rollout ID [--json]
         a progress bar per batch and a line per in-flight host, redrawn in place on a terminal;
         one line per change when stdout is not a terminal; exits with the rollout's code`,
  approve: 'Usage: kernelctl approve <host> [--by NAME] [--comment TEXT]',
  abort: 'Usage: kernelctl abort <host> --reason TEXT [--by NAME]',
  resolve: 'Usage: kernelctl resolve <host> --retry | --mark-fixed | --give-up [--by NAME] [--comment TEXT]',
  worker: `Usage: kernelctl worker [--address HOST:PORT] [--namespace NAME] [--task-queue NAME]
                       [--metrics-address HOST:PORT]
                       [--max-concurrent-activities N] [--max-concurrent-workflow-tasks N]
                       [--rehearsal-image DIR [--rehearsal-dir DIR] [--rehearsal-memory MiB]
                        [--rehearsal-cpus N] [--rehearsal-boot-timeout SECONDS]]

Runs the workflows and activities of the task queue until SIGINT/SIGTERM.

--max-concurrent-activities N (default 100) bounds the activities this worker runs at once: each
host in flight holds at most one. --max-concurrent-workflow-tasks N (default 40, at least 2)
bounds its workflow tasks. More workers on the same task queue share the work.

With --metrics-address, serves Prometheus metrics on http://HOST:PORT/metrics: the Temporal
SDK's own and kernel-rollout's (kernel_rollout_upgrades_started_total,
kernel_rollout_upgrades_ended_total{outcome}, kernel_rollout_phase_seconds{phase},
kernel_rollout_rollouts_ended_total{outcome}, kernel_rollout_hosts_needs_attention,
kernel_rollout_hosts_in_flight{phase}, kernel_rollout_hosts_oldest_phase_age_seconds{phase},
kernel_rollout_rollouts{phase}, kernel_rollout_rollouts_no_progress_seconds{phase});
docs/operations.md lists them; deploy/prometheus/kernel-rollout-rules.yml has the alert rules.

With --rehearsal-image, the worker also runs VM rehearsals (--rehearse-in-vm) and serves the
task queue ${REHEARSAL_TASK_QUEUE} unless --task-queue says otherwise. It needs qemu-system-x86_64
and qemu-img. DIR holds base.qcow2 (a disk that boots by itself through its own bootloader),
id_ed25519 (a key root accepts) and ssh_host_ed25519_key.pub: the testbed image's layout
(testbed/build-image.sh), or your own image in the same layout.
  --rehearsal-dir DIR            one directory per rehearsal VM (default ${REHEARSAL_STATE_DIR_DEFAULT})
  --rehearsal-memory MiB         guest memory (default 1536)
  --rehearsal-cpus N             guest vCPUs (default 1)
  --rehearsal-boot-timeout S     qemu start to SSH (default 900)`,
  dev: `Usage: kernelctl dev [--state-dir DIR] [--port 7233] [--ui-port 8233]

Starts the Temporal CLI's dev server with its SQLite file in the state dir
($XDG_STATE_HOME/kernel-rollout, else ~/.local/state/kernel-rollout), waits until it answers,
runs a worker beside it and prints the web UI address. Ctrl-C stops both; the state stays.`,
};

const FLAG_FOR_FIELD: Record<string, string> = {
  address: '--address',
  rolloutId: '<ID>',
  namespace: '--namespace',
  taskQueue: '--task-queue',
  'target.host': '<host>',
  'target.address': '--ssh-address',
  'target.port': '--port',
  'target.user': '--user',
  'target.privateKeyPath': '--identity',
  'target.agentSocket': '--agent',
  'target.knownHostsPath': '--known-hosts',
  'target.hostKeySha256': '--host-key-sha256',
  'target.jumpHosts': '--jump',
  toRelease: '--to',
  'source.packageName': '--package',
  'source.localPath': '--deb',
  panicSeconds: '--panic',
  revertAfterSeconds: '--revert-after',
  stabilitySeconds: '--stability',
  'timeouts.bootDeadlineSeconds': '--boot-deadline',
  'power.socketPath': '--qmp-socket',
  'power.argv': '--power-command',
  'power.credentialsEnv': '--power-credentials-env',
  rehearseInVm: '--rehearse-in-vm',
  '--artifact-host': '--artifact-host',
  // kernelctl build
  buildHost: '--build-host',
  'source.version': '--source',
  'source.path': '--source',
  config: '--config',
  fragments: '--fragment',
  localVersion: '--localversion',
  jobs: '--jobs',
  buildRoot: '--build-root',
};

/** Re-labels `field: message` lines with the CLI flag that set the field. */
function labelFields(message: string): string {
  return message
    .split('\n')
    .map((line) => {
      const at = line.indexOf(': ');
      // The longest known prefix names the flag: target.jumpHosts.0.host → --jump.
      const parts = line.slice(0, at).split('.');
      let field = parts.join('.');
      for (let n = parts.length; n > 0; n--) {
        const prefix = parts.slice(0, n).join('.');
        if (FLAG_FOR_FIELD[prefix]) {
          field = prefix;
          break;
        }
      }
      const flag =
        FLAG_FOR_FIELD[field] ??
        (field.startsWith('trialKernelArgs')
          ? '--trial-arg'
          : field.startsWith('healthChecks')
            ? '--health-*'
            : undefined);
      return flag ? `${flag} (${line.slice(0, at)}): ${line.slice(at + 2)}` : line;
    })
    .join('\n');
}

async function buildTarget(host: string | undefined, v: Values) {
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

async function buildSource(release: string, v: Values) {
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

function formatTimeline(s: { timeline: UpgradeStatus['timeline'] }): string {
  return s.timeline.map((t) => `  ${t.at}  ${t.phase.padEnd(17)} ${t.message}`).join('\n');
}

export function formatStatus(s: UpgradeStatus): string {
  // The running kernel is read at preflight, which a VM rehearsal comes before.
  const from = s.from ?? '(running kernel not read yet)';
  return [
    `${s.host}: ${s.phase}${s.outcome ? ` (${s.outcome})` : ''} — ${s.details}`,
    `  kernel ${from} → ${s.to}${s.bootloader ? `; bootloader ${s.bootloader}` : ''}${s.waitingFor ? `; waiting for ${s.waitingFor}` : ''}`,
    ...(s.rehearsalId ? [`  VM rehearsal ${s.rehearsalId} (workflow kernel-rehearsal/${s.rehearsalId})`] : []),
    formatTimeline(s),
  ].join('\n');
}

function formatPlan(f: HostFacts, to: string): string {
  const lines = [
    `${f.host}: ${f.distroId} ${f.distroVersion}, running ${f.runningKernel}, boot id ${f.bootId}`,
    `  bootloader ${f.bootloader.kind ?? '(none found)'}${f.bootloader.summary.length ? `: ${f.bootloader.summary.join('; ')}` : ''}`,
    `  installed kernels: ${f.installedKernels.join(', ') || '(none found)'}; /boot free ${Math.round(f.bootFreeBytes / 1048576)} MiB; kexec ${f.kexecAvailable ? 'available' : 'missing'}`,
  ];
  if (f.refusals.length) lines.push('REFUSED:', ...f.refusals.map((r) => `  - ${r}`));
  else if (f.runningKernel === to) {
    lines.push(
      `Would: verify ${to}, which already runs (uname -r, boot id, health checks, the stability window), then make it the saved default; no install, no reboot.`,
    );
  } else {
    lines.push(
      `Would: pin ${f.runningKernel} as the saved default, install ${to}, stage a one-shot trial with panic=N and the revert timer, reboot, verify, commit.`,
    );
  }
  if (f.fixes.length) lines.push('Would fix:', ...f.fixes.map((x) => `  - ${x}`));
  if (f.warnings.length) lines.push('Warnings:', ...f.warnings.map((x) => `  - ${x}`));
  return lines.join('\n');
}

function stateDir(): string {
  const base = process.env['XDG_STATE_HOME'] || path.join(homedir(), '.local', 'state');
  return path.join(base, 'kernel-rollout');
}

async function watch(client: HostUpgradeClient, host: string, json: boolean): Promise<number> {
  let printed = 0;
  for (;;) {
    const s = await client.status(host);
    for (const t of s.timeline.slice(printed)) {
      process.stdout.write(json ? `${JSON.stringify(t)}\n` : `${t.at}  ${t.phase.padEnd(17)} ${t.message}\n`);
    }
    printed = s.timeline.length;
    if (s.outcome) return OUTCOME_EXIT[s.outcome];
    await new Promise((r) => setTimeout(r, 1000));
  }
}

type RolloutModule = typeof import('./rollout');

/** What every rollout subcommand gets once its flags are parsed and checked. */
interface RolloutContext {
  r: RolloutModule;
  v: Values;
  positionals: string[];
  json: boolean;
  clientOpts: ClientOptions;
  by: string;
  reason: string | undefined;
  comment: string | undefined;
  tty: boolean;
  write: (x: string) => boolean;
}

async function runRollout(argv: string[]): Promise<number> {
  const r = await import('./rollout');
  const SUBCOMMANDS = ['plan', 'watch', 'status', 'pause', 'resume', 'approve', 'abort', 'skip', 'add'];
  const sub = argv[0] !== undefined && SUBCOMMANDS.includes(argv[0]) ? argv[0] : 'start';
  const { values, positionals } = parse(sub === 'start' ? argv : argv.slice(1), {
    ...UPGRADE_OPTIONS,
    ...r.ROLLOUT_OPTIONS,
  });
  const v = values as Values;
  if (v['help']) {
    process.stdout.write(`${r.ROLLOUT_HELP}\n`);
    return EXIT.ok;
  }
  const clientOpts = clientOptionsFromFlags(v);
  const text = (flag: string) =>
    v[flag] === undefined ? undefined : parseOrThrow(operatorTextSchema, v[flag], `--${flag}`);
  const ctx: RolloutContext = {
    r,
    v,
    positionals,
    json: v['json'] === true,
    clientOpts,
    by: parseOrThrow(actorSchema, (v['by'] as string | undefined) ?? whoami(), '--by'),
    reason: text('reason'),
    comment: text('comment'),
    tty: process.stdout.isTTY === true,
    write: (x: string): boolean => process.stdout.write(x),
  };
  return sub === 'start' || sub === 'plan' ? rolloutStartOrPlan(sub, ctx) : rolloutControl(sub, ctx);
}

/** `kernelctl rollout` and `kernelctl rollout plan`: the rollout from the inventory and flags. */
async function rolloutStartOrPlan(sub: 'start' | 'plan', ctx: RolloutContext): Promise<number> {
  const { r, v, json, clientOpts } = ctx;
  if (ctx.positionals.length > 0)
    throw new UsageError(`rollout: unexpected ${ctx.positionals.join(' ')}; see kernelctl rollout --help`);
  const built = await builtFor(v, clientOpts);
  const { input } = await r.rolloutInputFromFlags(v, (h, vals) => upgradeInputFromFlags(h, vals, built));
  if (sub === 'plan') {
    const concurrency = int('--concurrency', v['concurrency'] as string | undefined) ?? 16;
    return withClient(clientOpts, async (c) => {
      const rows = await r.planRollout((req) => c.plan(req), input, Math.max(1, concurrency));
      out(json, rows, r.formatPlanTable(rows, input));
      return rows.some((x) => x.action === 'refused' || x.action === 'unreachable') ? EXIT.refused : EXIT.ok;
    });
  }
  const store = artifactStoreFromFlags(v);
  if (store && input.template.source.kind === 'deb') {
    input.template = { ...input.template, source: await publishDeb(input.template.source, store) };
  }
  return withClient(clientOpts, async (c) => {
    const { handle } = await startRollout(c.client, clientOpts.taskQueue, input);
    process.stderr.write(
      `started ${handle.workflowId}: ${input.hosts.length} hosts (kernelctl rollout watch ${input.rolloutId})\n`,
    );
    if (!v['wait']) {
      out(json, { workflowId: handle.workflowId, rolloutId: input.rolloutId }, input.rolloutId);
      return EXIT.ok;
    }
    return r.watchRollout(c.client, input.rolloutId, { tty: ctx.tty, json, write: ctx.write });
  });
}

/** `kernelctl rollout watch|status|pause|resume|approve|abort|skip|add <ID>`. */
async function rolloutControl(sub: string, ctx: RolloutContext): Promise<number> {
  const { r, v, json, by, reason, comment } = ctx;
  if (ctx.positionals.length !== 1) throw new UsageError(`rollout ${sub}: give exactly one rollout ID`);
  const id = parseOrThrow(rolloutIdSchema, ctx.positionals[0], 'rolloutId');
  // Everything is checked before connecting: a bad value never reaches Temporal.
  const hostFlags = ((v['host'] as string[] | undefined) ?? []).map((h) => parseOrThrow(hostSchema, h, '--host'));
  if (sub === 'abort' && !reason) throw new InvalidInputError('--reason: say why (it is recorded in the rollout)');
  if (sub === 'skip' && hostFlags.length !== 1) throw new InvalidInputError('--host: name the one host to skip');
  const toAdd = sub === 'add' ? await hostsToAdd(r, v, hostFlags, by) : [];
  return withClient(ctx.clientOpts, async (c) => {
    const control = RolloutControl.get(c.client, id);
    const reply = async (p: Promise<string>): Promise<number> => {
      const text = await p;
      out(json, { reply: text }, text);
      return EXIT.ok;
    };
    switch (sub) {
      case 'watch':
        return r.watchRollout(c.client, id, { tty: ctx.tty, json, write: ctx.write });
      case 'status': {
        const p = await control.progress({ hosts: 'all' });
        out(json, p, r.formatProgress(p));
        return EXIT.ok;
      }
      case 'pause':
        return reply(control.pause({ by, ...(reason ? { reason } : {}) }));
      case 'resume':
        return reply(control.resume({ by }));
      case 'approve':
        return reply(control.approve({ by, ...(comment ? { comment } : {}) }));
      case 'abort':
        return reply(control.abort({ by, reason: reason as string }));
      case 'skip':
        return reply(control.skipHost({ by, host: hostFlags[0] as string, ...(reason ? { reason } : {}) }));
      case 'add':
        return reply(control.addHosts({ by, hosts: toAdd }));
    }
    return EXIT.usage;
  });
}

/** `rollout add`: the inventory's hosts (or those --host names), checked as the update will be. */
async function hostsToAdd(r: RolloutModule, v: Values, hostFlags: string[], by: string): Promise<RolloutHost[]> {
  const { hosts } = await r.inventoryHosts(v);
  const chosen = hostFlags.length > 0 ? hosts.filter((h) => hostFlags.includes(h.name)) : hosts;
  const missing = hostFlags.filter((n) => !hosts.some((h) => h.name === n));
  if (missing.length) throw new InvalidInputError(`--host: not in the inventory: ${missing.join(', ')}`);
  const toAdd = chosen.map(r.toRolloutHost);
  parseOrThrow(addHostsArgsSchema, { by, hosts: toAdd });
  return toAdd;
}

/** What every per-host command gets once its flags are parsed and checked. */
interface CommandContext {
  v: Values;
  host: string;
  json: boolean;
  clientOpts: ClientOptions;
  by: string;
  comment: string | undefined;
  reason: string | undefined;
}

/** One kernelctl command: its flags (besides the global ones), and what it does. */
interface Command {
  options: ParseArgsConfig['options'];
  /** Whether it takes exactly one <host> (checked before anything connects). */
  needsHost: (v: Values) => boolean;
  run: (ctx: CommandContext) => Promise<number>;
}

const ONE_HOST = () => true;

/** `--build ID`: the build's result (its package is what gets installed). */
async function builtFor(v: Values, clientOpts: ClientOptions): Promise<BuildResult | undefined> {
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

async function upgradeCommand({ v, host, json, clientOpts }: CommandContext): Promise<number> {
  const built = await builtFor(v, clientOpts);
  const store = artifactStoreFromFlags(v);
  let input = parseOrThrow(upgradeHostInputSchema, await upgradeInputFromFlags(host, v, built));
  // Published only once everything else was checked: bad input uploads nothing.
  if (store && input.source.kind === 'deb') input = { ...input, source: await publishDeb(input.source, store) };
  return withClient(clientOpts, async (c) => {
    const handle = await c.startUpgrade(input);
    process.stderr.write(`started ${handle.workflowId} (kernelctl watch ${input.target.host})\n`);
    if (!v['wait']) {
      out(json, { workflowId: handle.workflowId, runId: handle.firstExecutionRunId }, handle.workflowId);
      return EXIT.ok;
    }
    const code = await watch(c, input.target.host, json);
    const r = await handle.result();
    out(json, r, `${r.host}: ${r.outcome} — ${r.reason}`);
    return code;
  });
}

async function planCommand({ v, host, json, clientOpts }: CommandContext): Promise<number> {
  const release = (v['to'] as string | undefined) ?? '';
  const input = parseOrThrow(preflightInputSchema, {
    target: await buildTarget(host, v),
    toRelease: release,
    source: await buildSource(release, v),
    useKexec: v['kexec'] === true,
  });
  return withClient(clientOpts, async (c) => {
    let facts: HostFacts;
    try {
      facts = await c.plan(input);
    } catch (err) {
      // Preflight could not read the host (an unknown host key, refused credentials, …):
      // refused, in the very words `upgrade` uses for the same failure.
      if (!(err instanceof WorkflowFailedError && err.cause instanceof ActivityFailure)) throw err;
      const { host: name } = input.target;
      const reason = preflightFailedReason(name, err.cause);
      out(json, { host: name, outcome: 'refused', reason }, `${name}: refused — ${reason}`);
      return EXIT.refused;
    }
    out(json, facts, formatPlan(facts, input.toRelease));
    return facts.refusals.length ? EXIT.refused : EXIT.ok;
  });
}

async function watchCommand({ v, host, json, clientOpts }: CommandContext): Promise<number> {
  if (v['rollout'] === undefined) return withClient(clientOpts, (c) => watch(c, host, json));
  const { watchRollout } = await import('./rollout');
  return withClient(clientOpts, (c) =>
    watchRollout(c.client, v['rollout'] as string, {
      tty: process.stdout.isTTY === true,
      json,
      write: (x) => process.stdout.write(x),
    }),
  );
}

async function resolveCommand({ v, host, json, clientOpts, by, comment }: CommandContext): Promise<number> {
  const chosen = (['retry', 'mark-fixed', 'give-up'] as const).filter((a) => v[a] === true);
  if (chosen.length !== 1) throw new InvalidInputError('action: give exactly one of --retry, --mark-fixed, --give-up');
  return withClient(clientOpts, async (c) => {
    const reply = await c.resolve(host, { by, action: chosen[0] as 'retry', ...(comment ? { comment } : {}) });
    out(json, { reply }, reply);
    return EXIT.ok;
  });
}

async function workerCommand({ v, clientOpts }: CommandContext): Promise<number> {
  const { runWorker } = await import('../worker');
  const rehearsal = await rehearsalConfigFromFlags(v);
  // A rehearsal worker serves the rehearsal queue unless told otherwise.
  const explicitQueue = v['task-queue'] !== undefined || process.env['KERNEL_ROLLOUT_TASK_QUEUE'] !== undefined;
  const opts = rehearsal && !explicitQueue ? { ...clientOpts, taskQueue: REHEARSAL_TASK_QUEUE } : clientOpts;
  const slots = workerSlotsFromFlags(v);
  const metricsAddress = v['metrics-address'] as string | undefined;
  if (metricsAddress !== undefined) {
    const { checkMetricsAddress, installMetricsRuntime } = await import('../worker/metrics');
    const bad = checkMetricsAddress(metricsAddress);
    if (bad) throw new InvalidInputError(`--metrics-address: ${bad}`);
    installMetricsRuntime(metricsAddress);
  }
  process.stderr.write(
    `worker on ${opts.address}, namespace ${opts.namespace}, task queue ${opts.taskQueue}` +
      `${rehearsal ? `, VM rehearsals from ${rehearsal.imageDir} (state in ${rehearsal.stateDir})` : ''}` +
      `${metricsAddress ? `, Prometheus metrics on http://${metricsAddress}/metrics` : ''}\n`,
  );
  await runWorker(opts, {
    ...(rehearsal ? { rehearsal } : {}),
    metrics: metricsAddress !== undefined,
    slots,
  });
  return EXIT.ok;
}

/** `--max-concurrent-activities N`, `--max-concurrent-workflow-tasks N`: 1 to 10000 each. */
export function workerSlotsFromFlags(v: Values): WorkerSlots {
  const slots: WorkerSlots = {};
  for (const [flag, key] of [
    ['max-concurrent-activities', 'maxConcurrentActivityTaskExecutions'],
    ['max-concurrent-workflow-tasks', 'maxConcurrentWorkflowTaskExecutions'],
  ] as const) {
    const n = int(`--${flag}`, v[flag] as string | undefined);
    if (n === undefined) continue;
    // The SDK would raise a workflow-task limit below 2 to 2 (its sticky and normal queues): refused here instead.
    const min = key === 'maxConcurrentWorkflowTaskExecutions' ? 2 : 1;
    if (n < min || n > 10000) throw new InvalidInputError(`--${flag}: must be from ${min} to 10000`);
    slots[key] = n;
  }
  return slots;
}

/** `--rehearsal-image DIR` and its companions; undefined without it. */
async function rehearsalConfigFromFlags(v: Values): Promise<RehearsalConfig | undefined> {
  const image = v['rehearsal-image'] as string | undefined;
  const companions = ['rehearsal-dir', 'rehearsal-memory', 'rehearsal-cpus', 'rehearsal-boot-timeout'];
  if (image === undefined) {
    const stray = companions.find((f) => v[f] !== undefined);
    if (stray) throw new InvalidInputError(`--${stray}: only with --rehearsal-image DIR`);
    return undefined;
  }
  const dir = path.resolve((v['rehearsal-dir'] as string | undefined) ?? REHEARSAL_STATE_DIR_DEFAULT);
  // <dir>/<rehearsal id, up to 40>/qmp.sock must fit a Unix socket path (107 bytes).
  if (!SAFE_ABSOLUTE_PATH_RE.test(dir) || dir.length > 55) {
    throw new InvalidInputError(
      `--rehearsal-dir: ${JSON.stringify(dir)} must be a plain absolute path of at most 55 characters (it holds a QMP socket)`,
    );
  }
  const bounded = (flag: string, min: number, max: number, dflt: number): number => {
    const n = int(`--${flag}`, v[flag] as string | undefined) ?? dflt;
    if (n < min || n > max) throw new InvalidInputError(`--${flag}: must be from ${min} to ${max}`);
    return n;
  };
  const { loadRehearsalImage } = await import('../activities/rehearsal');
  try {
    loadRehearsalImage(image);
  } catch (err) {
    throw new InvalidInputError((err as Error).message);
  }
  return {
    imageDir: path.resolve(image),
    stateDir: dir,
    memoryMiB: bounded('rehearsal-memory', 1024, 65536, 1536),
    cpus: bounded('rehearsal-cpus', 1, 64, 1),
    bootTimeoutSeconds: bounded('rehearsal-boot-timeout', 60, 7200, 900),
  };
}

async function devCommand({ v, clientOpts }: CommandContext): Promise<number> {
  const { startDevServer } = await import('../dev/temporal-server');
  const { createWorker } = await import('../worker');
  // The worker's INFO lines (about 20 of bundler statistics at start) would bury the addresses
  // printed below; warnings and errors still reach stderr. Installed before anything creates
  // the Runtime.
  const { DefaultLogger, Runtime } = await import('@temporalio/worker');
  const { devLogFunction } = await import('../dev/worker-log');
  // An expected failure (a refused host, a failed build) is one line, not its stack.
  Runtime.install({ logger: new DefaultLogger('WARN', devLogFunction) });
  const dir = path.resolve((v['state-dir'] as string | undefined) ?? stateDir());
  mkdirSync(dir, { recursive: true });
  const server = await startDevServer({
    dbFile: path.join(dir, 'temporal.sqlite'),
    port: int('--port', v['port'] as string | undefined) ?? 7233,
    uiPort: int('--ui-port', v['ui-port'] as string | undefined) ?? 8233,
    logPath: path.join(dir, 'temporal.log'),
    pidFile: path.join(dir, 'temporal.pid'),
  });
  if (server.stoppedLeftover !== undefined) {
    process.stderr.write(
      `kernelctl dev: stopped the Temporal dev server (pid ${server.stoppedLeftover}) an earlier kernelctl dev left running on ${dir}\n`,
    );
  }
  let created: Awaited<ReturnType<typeof createWorker>>;
  try {
    // The embedded server speaks plaintext: a profile's TLS or API key is not for it.
    created = await createWorker({ ...clientOpts, address: server.address, transport: undefined });
  } catch (err) {
    await server.stop();
    throw err;
  }
  const { worker, connection } = created;
  // Printed once the worker exists (bundling takes a while), so the addresses mean "ready".
  process.stdout.write(
    `Temporal dev server ${server.address} (pid ${server.pid}, state ${dir})\nWeb UI: ${server.uiUrl}\nWorker on task queue ${clientOpts.taskQueue}; Ctrl-C stops both.\n`,
  );
  try {
    await worker.run();
  } finally {
    await connection.close();
    await server.stop();
  }
  return EXIT.ok;
}

const COMMANDS: Record<string, Command> = {
  upgrade: { options: UPGRADE_OPTIONS, needsHost: ONE_HOST, run: upgradeCommand },
  plan: { options: TARGET_OPTIONS, needsHost: ONE_HOST, run: planCommand },
  status: {
    options: {},
    needsHost: ONE_HOST,
    run: ({ host, json, clientOpts }) =>
      withClient(clientOpts, async (c) => {
        const s = await c.status(host);
        out(json, s, formatStatus(s));
        if (s.outcome) return OUTCOME_EXIT[s.outcome];
        // Still open but waiting for an operator's `kernelctl resolve`: needs-attention, not ok.
        return s.waitingFor === 'operator' ? EXIT.needsAttention : EXIT.ok;
      }),
  },
  watch: { options: { rollout: { type: 'string' } }, needsHost: (v) => v['rollout'] === undefined, run: watchCommand },
  approve: {
    options: { by: { type: 'string' }, comment: { type: 'string' } },
    needsHost: ONE_HOST,
    run: ({ host, json, clientOpts, by, comment }) =>
      withClient(clientOpts, async (c) => {
        const reply = await c.approve(host, { by, ...(comment ? { comment } : {}) });
        out(json, { reply }, reply);
        return EXIT.ok;
      }),
  },
  abort: {
    options: { by: { type: 'string' }, reason: { type: 'string' } },
    needsHost: ONE_HOST,
    run: async ({ host, json, clientOpts, by, reason }) => {
      if (!reason) throw new InvalidInputError('--reason: say why (it goes into the timeline)');
      return withClient(clientOpts, async (c) => {
        const reply = await c.abort(host, { by, reason });
        out(json, { reply }, reply);
        return EXIT.ok;
      });
    },
  },
  resolve: {
    options: {
      by: { type: 'string' },
      comment: { type: 'string' },
      retry: { type: 'boolean' },
      'mark-fixed': { type: 'boolean' },
      'give-up': { type: 'boolean' },
    },
    needsHost: ONE_HOST,
    run: resolveCommand,
  },
  worker: {
    options: {
      'metrics-address': { type: 'string' },
      'max-concurrent-activities': { type: 'string' },
      'max-concurrent-workflow-tasks': { type: 'string' },
      'rehearsal-image': { type: 'string' },
      'rehearsal-dir': { type: 'string' },
      'rehearsal-memory': { type: 'string' },
      'rehearsal-cpus': { type: 'string' },
      'rehearsal-boot-timeout': { type: 'string' },
    },
    needsHost: () => false,
    run: workerCommand,
  },
  dev: {
    options: { 'state-dir': { type: 'string' }, port: { type: 'string' }, 'ui-port': { type: 'string' } },
    needsHost: () => false,
    run: devCommand,
  },
};

export async function run(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${HELP['main']}\n`);
    return command ? EXIT.ok : EXIT.usage;
  }
  if (command === 'rollout') return runRollout(rest);
  if (command === 'build') return (await import('./build')).runBuildCommand(rest);
  const spec = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!spec) throw new UsageError(`unknown command ${JSON.stringify(command)}; see kernelctl --help`);
  const { values, positionals } = parse(rest, spec.options);
  const v = values as Values;
  if (v['help']) {
    process.stdout.write(`${HELP[command] ?? HELP['main']}\n`);
    return EXIT.ok;
  }
  // Checked before any connection: a bad value never reaches Temporal.
  const clientOpts = clientOptionsFromFlags(v);
  const host = positionals[0];
  const needsHost = spec.needsHost(v);
  if (needsHost && positionals.length !== 1) throw new UsageError(`${command}: give exactly one <host>`);
  if (needsHost && command !== 'upgrade' && command !== 'plan') parseOrThrow(hostSchema, host, '<host>');
  if (v['rollout'] !== undefined) parseOrThrow(rolloutIdSchema, v['rollout'], '--rollout');
  const optionalText = (flag: string) =>
    v[flag] === undefined ? undefined : parseOrThrow(operatorTextSchema, v[flag], `--${flag}`);
  return spec.run({
    v,
    host: host as string,
    json: v['json'] === true,
    clientOpts,
    by: parseOrThrow(actorSchema, (v['by'] as string | undefined) ?? whoami(), '--by'),
    comment: optionalText('comment'),
    reason: optionalText('reason'),
  });
}

/**
 * The first line of a bad-input refusal, worded for the command: `status` and `watch` only read,
 * so "nothing was started" would suggest they might have started something.
 */
export function refusal(argv: string[]): string {
  const [command = '', sub] = argv;
  const name =
    (command === 'rollout' || command === 'build') && sub !== undefined && /^[a-z]+$/.test(sub)
      ? `${command} ${sub}`
      : command;
  const readOnly = ['status', 'watch', 'rollout status', 'rollout watch', 'build status', 'build watch'].includes(name);
  const known = /^[a-z]+( [a-z]+)?$/.test(name) ? `kernelctl ${name}` : 'kernelctl';
  return `${known}: invalid input, ${readOnly ? 'nothing was looked up' : 'nothing was started'}`;
}

export async function main(argv = process.argv.slice(2)): Promise<void> {
  let code: number;
  try {
    code = await run(argv);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`kernelctl: ${err.message}\n`);
      code = EXIT.usage;
    } else if (err instanceof InvalidInputError) {
      process.stderr.write(`${refusal(argv)}:\n${labelFields(err.message).replace(/^/gm, '  ')}\n`);
      code = EXIT.usage;
    } else if (err instanceof WorkflowNotFoundError && /already completed/.test(err.message)) {
      process.stderr.write(`kernelctl: it has already ended; nothing to do (${err.message})\n`);
      code = EXIT.error;
    } else if (err instanceof WorkflowNotFoundError) {
      process.stderr.write(`kernelctl: no such upgrade or rollout (${err.message})\n`);
      code = EXIT.notFound;
    } else {
      const e = err as Error & { exitCode?: number; cause?: Error };
      const detail = e.cause?.message && !e.message.includes(e.cause.message) ? `: ${e.cause.message}` : '';
      process.stderr.write(`kernelctl: ${e.message}${detail}\n`);
      code = e.exitCode ?? EXIT.error;
    }
  }
  process.exitCode = code;
}
