"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
exports.ROLLOUT_HELP = exports.ROLLOUT_OPTIONS = exports.ROLLOUT_EXIT = void 0;
exports.strategyFromFlags = strategyFromFlags;
exports.inventoryHosts = inventoryHosts;
exports.toRolloutHost = toRolloutHost;
exports.rolloutInputFromFlags = rolloutInputFromFlags;
exports.planRollout = planRollout;
exports.formatPlanTable = formatPlanTable;
exports.rolloutExitCode = rolloutExitCode;
exports.watchRollout = watchRollout;
exports.formatProgress = formatProgress;
/**
 * `kernelctl rollout …`: fleet rollouts from an inventory. Everything is parsed and checked — the
 * inventory (file:line: field), every host's complete input, the strategy — before anything is
 * started; `rollout plan` only runs preflights (changes nothing) and prints what would happen.
 */
const path = __importStar(require("node:path"));
const client_1 = require("@temporalio/client");
const inventory_1 = require("../inventory");
const limit_1 = require("../inventory/limit");
const rollout_1 = require("../client/rollout");
const rollout_plan_1 = require("../shared/rollout-plan");
const schemas_1 = require("../shared/schemas");
const definitions_1 = require("../workflows/definitions");
const fleet_view_1 = require("./fleet-view");
exports.ROLLOUT_EXIT = {
    ok: 0,
    /** Completed, but some hosts did not upgrade (within the failure budget). */
    someFailed: 3,
    aborted: 5,
    refused: 6,
    /** Halted: more hosts failed than the budget allows. */
    halted: 9,
};
exports.ROLLOUT_OPTIONS = {
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
};
exports.ROLLOUT_HELP = `Usage:
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
function int(name, v) {
    if (v === undefined)
        return undefined;
    if (!/^\d+$/.test(v))
        throw new schemas_1.InvalidInputError(`${name}: ${JSON.stringify(v)} is not a whole number`);
    return Number(v);
}
function strategyFromFlags(v) {
    const batches = (v['batch'] ?? ['10%'])
        .flatMap((b) => b.split(','))
        .map((b) => b.trim())
        .map((b) => (/^\d+$/.test(b) ? Number(b) : b));
    const strategy = { canary: int('--canary', v['canary']) ?? 1, batches };
    const maxUnavailable = int('--max-unavailable', v['max-unavailable']);
    if (maxUnavailable !== undefined)
        strategy.maxUnavailable = maxUnavailable;
    return strategy;
}
/** The inventory, read with the CLI's SSH flags as lowest-precedence defaults, then --limit. */
async function inventoryHosts(v) {
    const file = v['inventory'];
    if (!file)
        throw new schemas_1.InvalidInputError('--inventory: give the inventory file (YAML or Ansible INI/YAML)');
    const port = int('--port', v['port']);
    const defaults = {
        ...(v['user'] ? { user: v['user'] } : {}),
        ...(port !== undefined ? { port } : {}),
        ...(v['identity'] ? { privateKeyPath: path.resolve(v['identity']) } : {}),
        ...(v['agent'] ? { agentSocket: path.resolve(v['agent']) } : {}),
        ...(v['known-hosts'] ? { knownHostsPath: path.resolve(v['known-hosts']) } : {}),
    };
    const sshConfigPath = v['no-ssh-config']
        ? null
        : v['ssh-config']
            ? path.resolve(v['ssh-config'])
            : undefined;
    try {
        const inventory = await (0, inventory_1.loadInventory)(path.resolve(file), { defaults, sshConfigPath });
        const limit = v['limit'];
        const hosts = limit ? (0, inventory_1.selectHosts)(inventory, limit) : inventory.hosts;
        if (hosts.length === 0)
            throw new schemas_1.InvalidInputError(`--limit: ${JSON.stringify(limit)} selects no host`);
        return { inventory, hosts };
    }
    catch (err) {
        if (err instanceof inventory_1.InventoryError)
            throw new schemas_1.InvalidInputError(err.message);
        if (err instanceof limit_1.LimitPatternError)
            throw new schemas_1.InvalidInputError(`--limit: ${err.message}`);
        throw err;
    }
}
function toRolloutHost(h) {
    const { host, address, ...ssh } = h.target;
    void host;
    const out = { host: h.name, ssh };
    if (address !== undefined)
        out.address = address;
    if (h.power)
        out.power = h.power;
    return out;
}
function defaultRolloutId(release) {
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
    return `${release}-${stamp}`;
}
/**
 * Flags + inventory → the rollout input, validated host by host. `upgradeInput` builds the per-host
 * settings from the same flags as `kernelctl upgrade` (the template is one host's input minus its
 * target).
 */
async function rolloutInputFromFlags(v, upgradeInput) {
    const { hosts } = await inventoryHosts(v);
    const first = hosts[0];
    const sample = (0, schemas_1.parseOrThrow)(schemas_1.upgradeHostInputSchema, await upgradeInput(first.name, { ...v, 'ssh-address': undefined }));
    // The rehearsal is the rollout's, before its first batch; not each host's.
    const { target, rehearseInVm, ...settings } = sample;
    void target;
    const strategy = strategyFromFlags(v);
    const input = (0, rollout_1.parseRolloutRequest)({
        rolloutId: v['id'] ?? defaultRolloutId(sample.toRelease),
        template: { ...settings, ssh: { port: 22, user: 'root', trustOnFirstUse: false } },
        hosts: hosts.map(toRolloutHost),
        strategy,
        failureBudget: v['max-failures'] ?? '0',
        approveAfterCanary: v['approve-after-canary'] === true,
        prepareAhead: v['prepare-ahead'] === true,
        ...(rehearseInVm ? { rehearseInVm: true } : {}),
        pauseBetweenBatchesSeconds: int('--pause-between', v['pause-between']) ?? 0,
        ...(v['window'] ? { window: v['window'] } : {}),
    });
    return { input, hosts };
}
async function pool(items, limit, fn) {
    const results = new Array(items.length);
    let next = 0;
    const lane = async () => {
        while (next < items.length) {
            const i = next++;
            results[i] = await fn(items[i]);
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
    return results;
}
async function planRollout(plan, input, concurrency) {
    const batches = (0, rollout_plan_1.planBatches)(input.hosts, input.strategy);
    const batchOf = new Map();
    batches.forEach((b, i) => b.forEach((h) => batchOf.set(h.host, i + 1)));
    return pool(input.hosts, concurrency, async (h) => {
        const target = { ...input.template.ssh, ...(h.ssh ?? {}), host: h.host };
        if (h.address !== undefined)
            target.address = h.address;
        const row = { batch: batchOf.get(h.host) ?? 0, host: h.host, address: h.address ?? h.host };
        try {
            const f = await plan({
                target,
                toRelease: input.template.toRelease,
                source: input.template.source,
                useKexec: input.template.useKexec,
            });
            if (f.refusals.length > 0)
                return { ...row, running: f.runningKernel, action: 'refused', notes: f.refusals };
            const notes = [...f.fixes.map((x) => `fix: ${x}`), ...f.warnings.map((x) => `warning: ${x}`)];
            if (f.runningKernel === input.template.toRelease) {
                return { ...row, running: f.runningKernel, action: 'verify-only', notes: ['already runs it', ...notes] };
            }
            return { ...row, running: f.runningKernel, action: 'upgrade', notes };
        }
        catch (err) {
            const e = err;
            const why = err instanceof client_1.WorkflowFailedError ? (e.cause?.cause?.message ?? e.cause?.message) : e.message;
            return { ...row, running: null, action: 'unreachable', notes: [why ?? String(err)] };
        }
    });
}
function formatPlanTable(rows, input) {
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
    const line = (c) => c
        .map((x, i) => (i === c.length - 1 ? x : x.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd();
    const count = (a) => rows.filter((r) => r.action === a).length;
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
function rolloutExitCode(r) {
    if (r.outcome === 'aborted')
        return exports.ROLLOUT_EXIT.aborted;
    if (r.outcome === 'halted')
        return exports.ROLLOUT_EXIT.halted;
    return r.failures > 0 ? exports.ROLLOUT_EXIT.someFailed : exports.ROLLOUT_EXIT.ok;
}
async function inFlightStatus(client, p, limit) {
    const hosts = p.hosts.filter((h) => h.phase === 'upgrading').slice(0, limit);
    return Promise.all(hosts.map(async (h) => {
        try {
            const s = await client.workflow.getHandle((0, definitions_1.upgradeWorkflowId)(h.host)).query(definitions_1.statusQuery);
            return { host: h.host, phase: s.phase, details: s.details };
        }
        catch {
            return { host: h.host, phase: 'starting', details: 'its workflow is starting' };
        }
    }));
}
const ENDED = new Set(['completed', 'halted', 'aborted']);
/**
 * Polls the rollout (about once a second) until it ends. On a TTY the view is redrawn in place;
 * otherwise one line per change. Returns the exit code for the rollout's result.
 */
async function watchRollout(client, rolloutId, opts) {
    const control = rollout_1.RolloutControl.get(client, rolloutId);
    const plain = (0, fleet_view_1.newPlainState)();
    let drawn = 0;
    for (;;) {
        let p;
        try {
            p = await control.progress({ hosts: 'all' });
        }
        catch (err) {
            // Between runs of a continueAsNew the query can miss; the next poll finds the new run.
            if (err.name === 'QueryNotRegisteredError')
                throw err;
            const d = await control.handle.describe().catch(() => null);
            if (d && d.status.name !== 'RUNNING' && d.status.name !== 'CONTINUED_AS_NEW')
                break;
            await new Promise((r) => setTimeout(r, opts.intervalMs ?? 1000));
            continue;
        }
        const inFlight = await inFlightStatus(client, p, opts.tty ? 20 : 200);
        if (opts.json) {
            opts.write(`${JSON.stringify({ ...p, inFlight })}\n`);
        }
        else if (opts.tty) {
            const lines = (0, fleet_view_1.renderFleetView)(p, inFlight, process.stdout.columns || 100);
            opts.write(`${drawn > 0 ? `\x1b[${drawn}A\x1b[0J` : ''}${lines.join('\n')}\n`);
            drawn = lines.length;
        }
        else {
            const at = new Date().toISOString().slice(11, 19);
            for (const l of (0, fleet_view_1.plainLines)(plain, p, inFlight))
                opts.write(`${at} ${l}\n`);
        }
        if (ENDED.has(p.phase))
            break;
        await new Promise((r) => setTimeout(r, opts.intervalMs ?? 1000));
    }
    const result = await control.result();
    if (!opts.json)
        opts.write(`rollout ${result.rolloutId}: ${result.outcome} — ${result.reason}\n`);
    return rolloutExitCode(result);
}
function formatProgress(p) {
    const lines = [`rollout ${p.rolloutId}: ${p.phase} — ${p.details}`];
    for (const h of p.hosts) {
        lines.push(`  ${h.host.padEnd(24)} ${h.phase.padEnd(9)} ${h.batch ? `batch ${h.batch}` : '       '}  ${h.outcome ?? ''}` +
            (h.reason ? ` — ${h.reason}` : ''));
    }
    return lines.join('\n');
}
//# sourceMappingURL=rollout.js.map