/**
 * `kernelctl rollout …`: fleet rollouts from an inventory. Everything is parsed and checked — the
 * inventory (file:line: field), every host's complete input, the strategy — before anything is
 * started; `rollout plan` only runs preflights (changes nothing) and prints what would happen.
 */
import * as path from 'node:path';
import { WorkflowFailedError, type Client } from '@temporalio/client';
import { InventoryError, loadInventory, selectHosts, type Inventory, type InventoryHost } from '../inventory';
import { LimitPatternError } from '../inventory/limit';
import { RolloutControl, parseRolloutRequest } from '../client/rollout';
import { planBatches, type RolloutStrategy } from '../shared/rollout-plan';
import { InvalidInputError, parseOrThrow, upgradeHostInputSchema } from '../shared/schemas';
import type { HostFacts, SshTargetInput } from '../shared/types';
import { statusQuery, upgradeWorkflowId } from '../workflows/definitions';
import type { RolloutHost, RolloutInput, RolloutProgress, RolloutResult } from '../workflows/rollout-definitions';
import { newPlainState, plainLines, renderFleetView, type InFlight } from './fleet-view';

export const ROLLOUT_EXIT = {
  ok: 0,
  /** Completed, but some hosts did not upgrade (within the failure budget). */
  someFailed: 3,
  aborted: 5,
  refused: 6,
  /** Halted: more hosts failed than the budget allows. */
  halted: 9,
} as const;

type Values = Record<string, string | boolean | string[] | undefined>;

export const ROLLOUT_OPTIONS = {
  inventory: { type: 'string' },
  limit: { type: 'string' },
  'ssh-config': { type: 'string' },
  'no-ssh-config': { type: 'boolean' },
  canary: { type: 'string' },
  batch: { type: 'string', multiple: true },
  'max-unavailable': { type: 'string' },
  'max-failures': { type: 'string' },
  window: { type: 'string' },
  'approve-after-canary': { type: 'boolean' },
  'prepare-ahead': { type: 'boolean' },
  'pause-between': { type: 'string' },
  id: { type: 'string' },
  concurrency: { type: 'string' },
  rollout: { type: 'string' },
  by: { type: 'string' },
  reason: { type: 'string' },
  comment: { type: 'string' },
  host: { type: 'string', multiple: true },
} as const;

export const ROLLOUT_HELP = `Usage:
  kernelctl rollout --inventory FILE --to RELEASE [options]   start a fleet rollout
  kernelctl rollout plan --inventory FILE --to RELEASE [options]
                                  dry run: preflight of every host, a table of what would happen
  kernelctl rollout watch|status ID          live multi-host view / one snapshot
  kernelctl rollout pause ID [--reason TEXT] | resume ID | approve ID [--comment TEXT]
  kernelctl rollout abort ID --reason TEXT   no new host starts; in-flight hosts finish or roll back
  kernelctl rollout skip ID --host NAME [--reason TEXT]
  kernelctl rollout add ID --inventory FILE --host NAME…   add inventory hosts to a running rollout

Hosts:
  --inventory FILE        native YAML (kernelRollout: 1), Ansible INI or Ansible YAML inventory
  --limit PATTERN         Ansible-style: web,db  'web:&eu'  'all:!db-3'  'web-*'
  --ssh-config FILE       honour this ssh_config (default ~/.ssh/config when it exists)
  --no-ssh-config         ignore ~/.ssh/config
  --user --port -i/--identity --agent --known-hosts   defaults below the inventory and ssh_config
Strategy:
  --canary N              hosts in the first batch (default 1; 0 for none)
  --batch SIZE            batch size after the canary, a count or a percent; repeat or comma-separate
                          for a series like 1,10%,25% (the last repeats; default 10%)
  --max-unavailable N     never more than N hosts upgrading at once
  --max-failures N|P%     failure budget: halt when more hosts fail (default 0)
  --window 'Mon-Fri 02:00-05:00 Europe/Berlin'   batches start only inside it
  --approve-after-canary  wait for 'kernelctl rollout approve ID' after the canary
  --pause-between N       seconds between batches
  --prepare-ahead         while a batch reboots, install and stage the next one; it reboots on its
                          turn (a halt or abort undoes its staging; the new package stays installed)
  --id ID                 rollout id (default <release>-<UTC timestamp>); workflow kernel-rollout/<id>
  --wait                  watch until the rollout ends and exit with its code
  --rehearse-in-vm        before the first batch, the upgrade on a throwaway VM (a worker with
                          --rehearsal-image runs it); anything but upgraded there halts the rollout
                          with no host started (needs --build ID or --artifact-host)
Per host: every 'kernelctl upgrade' option (--package/--deb/--build ID, --kexec, --panic, --revert-after,
  --stability, --boot-deadline, --health-*, --power*, --trial-arg, --approve-before-reboot).
Plan:
  --concurrency N         preflights at once (default 16)

Exit codes: 0 every host upgraded   3 completed, some hosts failed within the budget
  5 aborted   6 plan: some host would be refused   9 halted: failure budget exceeded`;

function int(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new InvalidInputError(`${name}: ${JSON.stringify(v)} is not a whole number`);
  return Number(v);
}

export function strategyFromFlags(v: Values): RolloutStrategy {
  const batches = ((v['batch'] as string[] | undefined) ?? ['10%'])
    .flatMap((b) => b.split(','))
    .map((b) => b.trim())
    .map((b) => (/^\d+$/.test(b) ? Number(b) : (b as `${number}%`)));
  const strategy: RolloutStrategy = { canary: int('--canary', v['canary'] as string | undefined) ?? 1, batches };
  const maxUnavailable = int('--max-unavailable', v['max-unavailable'] as string | undefined);
  if (maxUnavailable !== undefined) strategy.maxUnavailable = maxUnavailable;
  return strategy;
}

/** The inventory, read with the CLI's SSH flags as lowest-precedence defaults, then --limit. */
export async function inventoryHosts(v: Values): Promise<{ inventory: Inventory; hosts: InventoryHost[] }> {
  const file = v['inventory'] as string | undefined;
  if (!file) throw new InvalidInputError('--inventory: give the inventory file (YAML or Ansible INI/YAML)');
  const port = int('--port', v['port'] as string | undefined);
  const defaults = {
    ...(v['user'] ? { user: v['user'] as string } : {}),
    ...(port !== undefined ? { port } : {}),
    ...(v['identity'] ? { privateKeyPath: path.resolve(v['identity'] as string) } : {}),
    ...(v['agent'] ? { agentSocket: path.resolve(v['agent'] as string) } : {}),
    ...(v['known-hosts'] ? { knownHostsPath: path.resolve(v['known-hosts'] as string) } : {}),
  };
  const sshConfigPath = v['no-ssh-config']
    ? null
    : v['ssh-config']
      ? path.resolve(v['ssh-config'] as string)
      : undefined;
  try {
    const inventory = await loadInventory(path.resolve(file), { defaults, sshConfigPath });
    const limit = v['limit'] as string | undefined;
    const hosts = limit ? selectHosts(inventory, limit) : inventory.hosts;
    if (hosts.length === 0) throw new InvalidInputError(`--limit: ${JSON.stringify(limit)} selects no host`);
    return { inventory, hosts };
  } catch (err) {
    if (err instanceof InventoryError) throw new InvalidInputError(err.message);
    if (err instanceof LimitPatternError) throw new InvalidInputError(`--limit: ${err.message}`);
    throw err;
  }
}

export function toRolloutHost(h: InventoryHost): RolloutHost {
  const { host, address, ...ssh } = h.target;
  void host;
  const out: RolloutHost = { host: h.name, ssh };
  if (address !== undefined) out.address = address;
  if (h.power) out.power = h.power;
  return out;
}

function defaultRolloutId(release: string): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
  return `${release}-${stamp}`;
}

/**
 * Flags + inventory → the rollout input, validated host by host. `upgradeInput` builds the per-host
 * settings from the same flags as `kernelctl upgrade` (the template is one host's input minus its
 * target).
 */
export async function rolloutInputFromFlags(
  v: Values,
  upgradeInput: (host: string, v: Values) => Promise<unknown>,
): Promise<{ input: RolloutInput; hosts: InventoryHost[] }> {
  const { hosts } = await inventoryHosts(v);
  const first = hosts[0] as InventoryHost;
  const sample = parseOrThrow(
    upgradeHostInputSchema,
    await upgradeInput(first.name, { ...v, 'ssh-address': undefined }),
  );
  // The rehearsal is the rollout's, before its first batch; not each host's.
  const { target, rehearseInVm, ...settings } = sample;
  void target;
  const strategy = strategyFromFlags(v);
  const input = parseRolloutRequest({
    rolloutId: (v['id'] as string | undefined) ?? defaultRolloutId(sample.toRelease),
    template: { ...settings, ssh: { port: 22, user: 'root', trustOnFirstUse: false } },
    hosts: hosts.map(toRolloutHost),
    strategy,
    failureBudget: (v['max-failures'] as string | undefined) ?? '0',
    approveAfterCanary: v['approve-after-canary'] === true,
    prepareAhead: v['prepare-ahead'] === true,
    ...(rehearseInVm ? { rehearseInVm: true } : {}),
    pauseBetweenBatchesSeconds: int('--pause-between', v['pause-between'] as string | undefined) ?? 0,
    ...(v['window'] ? { window: v['window'] } : {}),
  });
  return { input, hosts };
}

// ---- plan -----------------------------------------------------------------------------------

export interface PlanRow {
  batch: number;
  host: string;
  address: string;
  running: string | null;
  action: 'upgrade' | 'verify-only' | 'refused' | 'unreachable';
  notes: string[];
}

async function pool<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}

export async function planRollout(
  plan: (req: unknown) => Promise<HostFacts>,
  input: RolloutInput,
  concurrency: number,
): Promise<PlanRow[]> {
  const batches = planBatches(input.hosts, input.strategy);
  const batchOf = new Map<string, number>();
  batches.forEach((b, i) => b.forEach((h) => batchOf.set(h.host, i + 1)));
  return pool(input.hosts, concurrency, async (h): Promise<PlanRow> => {
    const target: SshTargetInput = { ...input.template.ssh, ...(h.ssh ?? {}), host: h.host };
    if (h.address !== undefined) target.address = h.address;
    const row = { batch: batchOf.get(h.host) ?? 0, host: h.host, address: h.address ?? h.host };
    try {
      const f = await plan({
        target,
        toRelease: input.template.toRelease,
        source: input.template.source,
        useKexec: input.template.useKexec,
      });
      if (f.refusals.length > 0) return { ...row, running: f.runningKernel, action: 'refused', notes: f.refusals };
      const notes = [...f.fixes.map((x) => `fix: ${x}`), ...f.warnings.map((x) => `warning: ${x}`)];
      if (f.runningKernel === input.template.toRelease) {
        return { ...row, running: f.runningKernel, action: 'verify-only', notes: ['already runs it', ...notes] };
      }
      return { ...row, running: f.runningKernel, action: 'upgrade', notes };
    } catch (err) {
      const e = err as Error & { cause?: Error & { cause?: Error } };
      const why = err instanceof WorkflowFailedError ? (e.cause?.cause?.message ?? e.cause?.message) : e.message;
      return { ...row, running: null, action: 'unreachable', notes: [why ?? String(err)] };
    }
  });
}

export function formatPlanTable(rows: PlanRow[], input: RolloutInput): string {
  const header = ['BATCH', 'HOST', 'ADDRESS', 'RUNNING', 'WOULD', 'NOTES'];
  const cells = rows.map((r) => [
    String(r.batch),
    r.host,
    r.address,
    r.running ?? '?',
    r.action === 'upgrade' ? `upgrade → ${input.template.toRelease}` : r.action,
    r.notes.join('; '),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => Math.min(48, (c[i] ?? '').length))));
  const line = (c: string[]): string =>
    c
      .map((x, i) => (i === c.length - 1 ? x : x.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const count = (a: PlanRow['action']): number => rows.filter((r) => r.action === a).length;
  const batches = Math.max(0, ...rows.map((r) => r.batch));
  const budget = input.failureBudget;
  return [
    line(header),
    ...cells.map(line),
    '',
    `${rows.length} host(s) in ${batches} batch(es): ${count('upgrade')} would upgrade, ${count('verify-only')} already run ` +
      `${input.template.toRelease}, ${count('refused')} refused, ${count('unreachable')} unreachable; failure budget ${budget}.`,
  ].join('\n');
}

// ---- watch ----------------------------------------------------------------------------------

export function rolloutExitCode(r: Pick<RolloutResult, 'outcome' | 'failures'>): number {
  if (r.outcome === 'aborted') return ROLLOUT_EXIT.aborted;
  if (r.outcome === 'halted') return ROLLOUT_EXIT.halted;
  return r.failures > 0 ? ROLLOUT_EXIT.someFailed : ROLLOUT_EXIT.ok;
}

async function inFlightStatus(client: Client, p: RolloutProgress, limit: number): Promise<InFlight[]> {
  const hosts = p.hosts.filter((h) => h.phase === 'upgrading').slice(0, limit);
  return Promise.all(
    hosts.map(async (h): Promise<InFlight> => {
      try {
        const s = await client.workflow.getHandle(upgradeWorkflowId(h.host)).query(statusQuery);
        return { host: h.host, phase: s.phase, details: s.details };
      } catch {
        return { host: h.host, phase: 'starting', details: 'its workflow is starting' };
      }
    }),
  );
}

const ENDED = new Set(['completed', 'halted', 'aborted']);

/**
 * Polls the rollout (about once a second) until it ends. On a TTY the view is redrawn in place;
 * otherwise one line per change. Returns the exit code for the rollout's result.
 */
export async function watchRollout(
  client: Client,
  rolloutId: string,
  opts: { tty: boolean; json: boolean; write: (s: string) => void; intervalMs?: number },
): Promise<number> {
  const control = RolloutControl.get(client, rolloutId);
  const plain = newPlainState();
  let drawn = 0;
  for (;;) {
    let p: RolloutProgress;
    try {
      p = await control.progress({ hosts: 'all' });
    } catch (err) {
      // Between runs of a continueAsNew the query can miss; the next poll finds the new run.
      if ((err as Error).name === 'QueryNotRegisteredError') throw err;
      const d = await control.handle.describe().catch(() => null);
      if (d && d.status.name !== 'RUNNING' && d.status.name !== 'CONTINUED_AS_NEW') break;
      await new Promise((r) => setTimeout(r, opts.intervalMs ?? 1000));
      continue;
    }
    const inFlight = await inFlightStatus(client, p, opts.tty ? 20 : 200);
    if (opts.json) {
      opts.write(`${JSON.stringify({ ...p, inFlight })}\n`);
    } else if (opts.tty) {
      const lines = renderFleetView(p, inFlight, process.stdout.columns || 100);
      opts.write(`${drawn > 0 ? `\x1b[${drawn}A\x1b[0J` : ''}${lines.join('\n')}\n`);
      drawn = lines.length;
    } else {
      const at = new Date().toISOString().slice(11, 19);
      for (const l of plainLines(plain, p, inFlight)) opts.write(`${at} ${l}\n`);
    }
    if (ENDED.has(p.phase)) break;
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 1000));
  }
  const result = await control.result();
  if (!opts.json) opts.write(`rollout ${result.rolloutId}: ${result.outcome} — ${result.reason}\n`);
  return rolloutExitCode(result);
}

export function formatProgress(p: RolloutProgress): string {
  const lines = [`rollout ${p.rolloutId}: ${p.phase} — ${p.details}`];
  for (const h of p.hosts) {
    lines.push(
      `  ${h.host.padEnd(24)} ${h.phase.padEnd(9)} ${h.batch ? `batch ${h.batch}` : '       '}  ${h.outcome ?? ''}` +
        (h.reason ? ` — ${h.reason}` : ''),
    );
  }
  return lines.join('\n');
}
