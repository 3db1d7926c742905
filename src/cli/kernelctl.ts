/**
 * kernelctl: the operators' CLI. Every flag is parsed into the shared zod schemas before any
 * connection is made; a bad value exits 2 naming the flag, and nothing is started. Each command
 * is a file of ./commands (a `Command`, ./commands/command.ts) and a line of COMMANDS.
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import { EXIT, UsageError, clientOptionsFromFlags, parse, whoami, type Values } from './common';
import {
  InvalidInputError,
  actorSchema,
  hostSchema,
  operatorTextSchema,
  parseOrThrow,
  rolloutIdSchema,
} from '../shared/schemas';
import type { Command } from './commands/command';
import { abort } from './commands/abort';
import { approve } from './commands/approve';
import { dev } from './commands/dev';
import { plan } from './commands/plan';
import { resolve } from './commands/resolve';
import { runRollout } from './commands/rollout';
import { status } from './commands/status';
import { upgrade } from './commands/upgrade';
import { watch } from './commands/watch';
import { worker } from './commands/worker';
import { HELP } from './help';

export { EXIT };
export { formatStatus } from './commands/status';
export { upgradeInputFromFlags } from './commands/upgrade-input';
export { workerSlotsFromFlags } from './commands/worker';

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

const COMMANDS: Record<string, Command> = { upgrade, plan, status, watch, approve, abort, resolve, worker, dev };

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
