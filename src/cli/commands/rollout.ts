/** `kernelctl rollout …`: a fleet rollout started, planned or steered (its flags, plan and views: ../rollout.ts). */
import { RolloutControl, startRollout } from '../../client/rollout';
import type { ClientOptions } from '../../client';
import { artifactStoreFromFlags, publishDeb } from '../artifact';
import { EXIT, UsageError, clientOptionsFromFlags, int, out, parse, whoami, withClient, type Values } from '../common';
import {
  InvalidInputError,
  actorSchema,
  addHostsArgsSchema,
  hostSchema,
  operatorTextSchema,
  parseOrThrow,
  rolloutIdSchema,
} from '../../shared/schemas';
import type { RolloutHost } from '../../workflows/rollout-definitions';
import { UPGRADE_OPTIONS, builtFor, upgradeInputFromFlags } from './upgrade-input';

type RolloutModule = typeof import('../rollout');

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

export async function runRollout(argv: string[]): Promise<number> {
  const r = await import('../rollout');
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
