/**
 * The bad-input corpus (test/fixtures/bad-inputs.json) against every edge where input enters:
 * kernelctl (in process, exactly as bin/kernelctl.js runs it), the per-host input schema and the
 * activities, the rollout client, inventories (the loader and `kernelctl rollout`), --limit,
 * operator updates (the client's zod schema and the workflow's plain validator) and the config
 * schema. Every entry must be refused with an error naming its `expectField`; hosts and
 * inventories point at simulated hosts and kernelctl at a fake Temporal port, and afterwards
 * the simulator's command log must be empty for every host and the fake Temporal must have seen
 * no connection: nothing was sent anywhere.
 *
 * Entry fields: `input` strings may hold placeholders ({h1} {h2} {h3}: simulated host names,
 * {p1}: the first host's SSH port, {key}, {kh}: the simulator's client key and known_hosts,
 * {inv}: a valid inventory of the simulated hosts, {tmp}: a scratch directory, {notdeb},
 * {spacedeb}: existing files that are not acceptable .debs), and `{"$repeat": [text, n]}` /
 * `{"$concat": [...]}` build long values. `set` entries override fields of a valid input by
 * dotted path. An entry with `knownBug` documents input that is not yet refused as it should
 * be; it runs as a todo test, is listed in the printed summary and is left out of the zero counts.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';

import { createActivities } from '../../src/activities';
import { main as kernelctlMain } from '../../src/cli/kernelctl';
import { parseRolloutRequest } from '../../src/client/rollout';
import { InventoryError, loadInventory, selectHosts, LimitPatternError } from '../../src/inventory';
import {
  InvalidInputError,
  abortArgsSchema,
  addHostsArgsSchema,
  approveArgsSchema,
  configSchema,
  parseOrThrow,
  pauseArgsSchema,
  resolveArgsSchema,
  resumeArgsSchema,
  rolloutDecisionArgsSchema,
  skipHostArgsSchema,
  upgradeHostInputSchema,
} from '../../src/shared/schemas';
import { checkActor, checkRolloutDecisionArgs, checkText } from '../../src/workflows/definitions';
import {
  checkAbortRolloutArgs,
  checkAddHostsArgs,
  checkApproveRolloutArgs,
  checkPauseArgs,
  checkResumeArgs,
  checkRolloutInput,
  checkSkipHostArgs,
} from '../../src/workflows/rollout-definitions';
import {
  describeProblems,
  powerCredentialProblem,
  rolloutCredentialProblems,
  upgradeHostInputProblems,
} from '../../src/workflows/input-check';
import { startSimulator, type Simulator } from '../../sim/simulator';
import { NEW, OLD } from './helpers';

export const EDGES = [
  'cli',
  'upgrade-input',
  'rollout-request',
  'inventory-ini',
  'inventory-yaml',
  'inventory-native',
  'limit',
  'update-args',
  'config',
] as const;
type Edge = (typeof EDGES)[number];

interface Entry {
  id: string;
  edge: Edge;
  input: unknown;
  expectField: string;
  /** Also run this activity with the input against a simulated host: it must refuse before connecting. */
  activity?: 'preflight' | 'stageTrialBoot' | 'verifyKernel' | 'powerCycle';
  /** kernelctl: a usage error (exit 2 without "nothing was started"). */
  usage?: boolean;
  knownBug?: string;
  note?: string;
  /** Also refused by the workflow's own check of its input (src/workflows/input-check.ts). */
  workflow?: boolean;
}

const corpusPath = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'bad-inputs.json');
const corpus = (JSON.parse(readFileSync(corpusPath, 'utf8')) as { entries: Entry[] }).entries;

/** The field named as a whole word: `target.port` matches in `target.port: …`, not in `target.portX`. */
function namesField(text: string, wanted: string): boolean {
  // `hosts[1].host` (the plain checks) and `hosts.1.host` (zod) name the same field.
  const message = text.replace(/\[(\d+)\]/g, '.$1');
  const field = wanted.replace(/\[(\d+)\]/g, '.$1');
  const escaped = field.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![A-Za-z0-9_])${escaped}(?![A-Za-z0-9_])`).test(message);
}

describe('bad-input corpus: refused at every edge, nothing sent', () => {
  let sim: Simulator;
  let temporal: Server;
  let temporalPort = 0;
  let temporalConnections = 0;
  let tmp = '';
  let vars: Record<string, string> = {};
  const acts = createActivities();
  // Refusals are expected here: keep the SDK's activity-failure log lines out of the report.
  const mock = new MockActivityEnvironment(undefined, { logger: new DefaultLogger('ERROR', () => undefined) });
  const results: { entry: Entry; refused: boolean; connections: number }[] = [];

  before(async () => {
    sim = await startSimulator({ hosts: [{ name: 'sim-web-1' }, { name: 'sim-web-2' }, { name: 'sim-db-1' }] });
    temporal = createServer((socket) => {
      temporalConnections += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => temporal.listen(0, '127.0.0.1', resolve));
    temporalPort = (temporal.address() as { port: number }).port;
    tmp = mkdtempSync(path.join(tmpdir(), 'kr-bad-inputs-'));
    const [h1, h2, h3] = sim.hosts;
    const hostLine = (h: typeof h1) => `${h!.name} ansible_host=127.0.0.1 ansible_port=${h!.port}`;
    writeFileSync(path.join(tmp, 'fleet.ini'), `[web]\n${hostLine(h1)}\n${hostLine(h2)}\n[db]\n${hostLine(h3)}\n`);
    writeFileSync(path.join(tmp, 'kernel.tar'), 'not a deb');
    mkdirSync(path.join(tmp, 'with space'));
    writeFileSync(path.join(tmp, 'with space', 'linux-image.deb'), 'not a deb either');
    vars = {
      h1: h1!.name,
      h2: h2!.name,
      h3: h3!.name,
      p1: String(h1!.port),
      p2: String(h2!.port),
      key: sim.clientKeyPath,
      kh: sim.knownHostsPath,
      inv: path.join(tmp, 'fleet.ini'),
      tmp,
      notdeb: path.join(tmp, 'kernel.tar'),
      spacedeb: path.join(tmp, 'with space', 'linux-image.deb'),
    };
  });

  after(async () => {
    printSummary();
    await sim?.stop();
    await new Promise((resolve) => temporal?.close(resolve));
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  /** Placeholders, `$repeat` and `$concat`, recursively. */
  function expand(v: unknown): unknown {
    if (typeof v === 'string') return v.replace(/\{([a-z0-9]+)\}/g, (all, k: string) => vars[k] ?? all);
    if (Array.isArray(v)) return v.map(expand);
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (Array.isArray(o['$repeat'])) {
        const [text, n] = o['$repeat'] as [string, number];
        return (expand(text) as string).repeat(n);
      }
      if (Array.isArray(o['$concat'])) return (o['$concat'] as unknown[]).map((p) => String(expand(p))).join('');
      return Object.fromEntries(Object.entries(o).map(([k, x]) => [expand(k) as string, expand(x)]));
    }
    return v;
  }

  /** A copy of `base` with each dotted path in `set` replaced (numeric segments index arrays). */
  function withOverrides(base: unknown, set: Record<string, unknown>): Record<string, unknown> {
    const out = structuredClone(base) as Record<string, unknown>;
    for (const [dotted, value] of Object.entries(set)) {
      const keys = dotted.split('.');
      let node = out as Record<string, unknown>;
      for (const k of keys.slice(0, -1)) {
        if (node[k] === undefined || node[k] === null) node[k] = /^\d+$/.test(k) ? [] : {};
        node = node[k] as Record<string, unknown>;
      }
      node[keys[keys.length - 1]!] = value;
    }
    return out;
  }

  const validTarget = () => ({
    host: vars['h1'],
    address: '127.0.0.1',
    port: Number(vars['p1']),
    user: 'root',
    privateKeyPath: vars['key'],
    knownHostsPath: vars['kh'],
  });
  const validUpgrade = () => ({
    target: validTarget(),
    toRelease: NEW,
    source: { kind: 'apt', packageName: `linux-image-${NEW}` },
  });
  const validRollout = () => ({
    rolloutId: 'bad-inputs',
    template: {
      toRelease: NEW,
      source: { kind: 'apt', packageName: `linux-image-${NEW}` },
      ssh: { user: 'root', privateKeyPath: vars['key'], knownHostsPath: vars['kh'] },
    },
    hosts: sim.hosts.map((h) => ({ host: h.name, address: '127.0.0.1', ssh: { port: h.port } })),
    strategy: { canary: 1, batches: [1, '50%'] },
    failureBudget: '0',
  });

  /**
   * Runs kernelctl's main() in this process, as bin/kernelctl.js does, capturing stderr (the
   * test runner reports on stdout, which is left alone).
   */
  async function kernelctl(argv: string[]): Promise<{ code: number; stderr: string }> {
    const fake = ['--address', `127.0.0.1:${temporalPort}`];
    const end = argv.indexOf('--');
    const args = argv.includes('--address')
      ? argv
      : end < 0
        ? [...argv, ...fake]
        : [...argv.slice(0, end), ...fake, ...argv.slice(end)];
    let stderr = '';
    const writeErr = process.stderr.write.bind(process.stderr);
    const savedExit = process.exitCode;
    process.stderr.write = ((chunk: string | Uint8Array) => {
      stderr += chunk.toString();
      return true;
    }) as typeof process.stderr.write;
    let code: number;
    try {
      process.exitCode = undefined;
      await kernelctlMain(args);
      code = Number(process.exitCode ?? 0);
    } finally {
      process.stderr.write = writeErr;
      process.exitCode = savedExit;
    }
    return { code, stderr };
  }

  async function expectCliRefusal(argv: string[], entry: Entry): Promise<string> {
    const r = await kernelctl(argv);
    const shown = `kernelctl ${argv.map((a) => JSON.stringify(a)).join(' ')}\n${r.stderr}`;
    assert.equal(r.code, 2, `${entry.id}: expected exit 2 (bad input), got ${r.code}:\n${shown}`);
    if (!entry.usage)
      assert.match(r.stderr, /invalid input, nothing was (started|looked up)/, `${entry.id}:\n${shown}`);
    assert.ok(namesField(r.stderr, entry.expectField), `${entry.id}: ${entry.expectField} not named:\n${shown}`);
    return r.stderr;
  }

  function expectThrows(fn: () => unknown, entry: Entry, what: string, kind?: new (...a: never[]) => Error): string {
    let caught: unknown;
    try {
      fn();
    } catch (err) {
      caught = err;
    }
    assert.ok(caught, `${entry.id}: ${what} accepted it`);
    if (kind) assert.ok(caught instanceof kind, `${entry.id}: ${what} threw ${String(caught)}`);
    const message = (caught as Error).message;
    assert.ok(
      namesField(message, entry.expectField),
      `${entry.id}: ${what} does not name ${entry.expectField}:\n${message}`,
    );
    return message;
  }

  /** The workflow's plain checks stop at the first problem and may name the entry rather than its field. */
  function expectCheck(result: string | null, entry: Entry, what: string): void {
    assert.ok(result !== null, `${entry.id}: ${what} accepted it`);
    const parent = entry.expectField.replace(/(\.[^.[]+|\[\d+\])$/, '');
    assert.ok(
      namesField(result, entry.expectField) || namesField(result, parent),
      `${entry.id}: ${what} names neither ${entry.expectField} nor ${parent}: ${result}`,
    );
  }

  async function expectActivityRefusal(entry: Entry, raw: Record<string, unknown>): Promise<void> {
    const target = raw['target'] as never;
    const toRelease = raw['toRelease'] as string;
    const run = (): Promise<unknown> => {
      switch (entry.activity) {
        case 'preflight':
          return mock.run(acts.preflight, { target, toRelease, source: raw['source'] as never, useKexec: false });
        case 'stageTrialBoot':
          return mock.run(acts.stageTrialBoot, {
            target,
            knownGoodRelease: OLD,
            toRelease,
            panicSeconds: (raw['panicSeconds'] as number | undefined) ?? 10,
            trialKernelArgs: (raw['trialKernelArgs'] as string[] | undefined) ?? [],
            revertAfterSeconds: (raw['revertAfterSeconds'] as number | undefined) ?? 600,
            trialToken: 'T0k3n',
            useKexec: false,
            bootloader: 'grub-debian',
          });
        case 'verifyKernel':
          return mock.run(acts.verifyKernel, {
            target,
            expectedRelease: toRelease,
            expectedBootId: '00000000-0000-0000-0000-000000000000',
            healthChecks: raw['healthChecks'] as never,
          });
        case 'powerCycle':
          return mock.run(acts.powerCycle, { host: vars['h1']!, power: raw['power'] as never });
        default:
          return Promise.resolve();
      }
    };
    await assert.rejects(run(), (err: Error) => {
      const m = err.message;
      // The per-host schema says panicSeconds/trialKernelArgs.0; the boot-loader guard says the same names.
      const field = entry.expectField.replace(/\.\d+$/, '');
      assert.ok(namesField(m, field), `${entry.id}: activity ${entry.activity} does not name ${field}: ${m}`);
      return true;
    });
  }

  /** Feeds one entry to its edge; throws (assert) unless it is refused with the field named. */
  async function feed(original: Entry): Promise<void> {
    const entry = { ...original, expectField: expand(original.expectField) as string };
    const input = expand(entry.input);
    switch (entry.edge) {
      case 'cli':
        await expectCliRefusal(input as string[], entry);
        return;
      case 'upgrade-input':
        return feedUpgradeInput(entry, (input as { set: Record<string, unknown> }).set);
      case 'rollout-request':
        return feedRolloutRequest(entry, (input as { set: Record<string, unknown> }).set);
      case 'inventory-ini':
      case 'inventory-yaml':
      case 'inventory-native':
        return feedInventory(entry, input as string);
      case 'limit':
        return feedLimit(entry, input as string);
      case 'update-args':
        feedUpdateArgs(entry, input as { update: string; args: Record<string, unknown> });
        return;
      case 'config':
        expectThrows(() => parseOrThrow(configSchema, input), entry, 'configSchema', InvalidInputError);
        return;
    }
  }

  /** The per-host input: its schema, the activity the entry names, the workflow's own check. */
  async function feedUpgradeInput(entry: Entry, set: Record<string, unknown>): Promise<void> {
    const raw = withOverrides(validUpgrade(), set);
    expectThrows(() => parseOrThrow(upgradeHostInputSchema, raw), entry, 'upgradeHostInputSchema', InvalidInputError);
    if (entry.activity) await expectActivityRefusal(entry, raw);
    if (entry.workflow) {
      const problems = upgradeHostInputProblems(raw);
      const credential = powerCredentialProblem(raw['power'], 'power');
      if (credential) problems.push(credential);
      expectCheck(problems.length ? describeProblems(problems) : null, entry, 'upgradeHostKernel (workflow)');
    }
  }

  /** The rollout request: the client's parser, the workflow's check of its input, its credentials check. */
  async function feedRolloutRequest(entry: Entry, set: Record<string, unknown>): Promise<void> {
    const raw = withOverrides(validRollout(), set);
    expectThrows(() => parseRolloutRequest(raw), entry, 'parseRolloutRequest', InvalidInputError);
    // The workflow's own check of its input, for the fields it checks (not the template's details).
    // (Per-host SSH and power overrides are the client's and the activities' to check.)
    const workflowChecks =
      /^(rolloutId|hosts(\.\d+\.(host|address))?|strategy\..*|failureBudget|window|pauseBetweenBatchesSeconds|maxHistoryEvents|approveAfterCanary|prepareAhead|rehearseInVm)$/;
    if (Object.keys(set).every((k) => workflowChecks.test(k))) {
      const parsed = parseRolloutRequest(validRollout());
      expectCheck(checkRolloutInput(withOverrides(parsed, set)), entry, 'checkRolloutInput (workflow)');
    }
    if (entry.workflow) {
      const parsed = parseRolloutRequest(validRollout());
      const credentials = rolloutCredentialProblems(withOverrides(parsed, set));
      expectCheck(credentials.length ? describeProblems(credentials) : null, entry, 'rolloutKernel (workflow)');
    }
  }

  /** An inventory file: loadInventory refuses it naming the file and the field, and so does the CLI. */
  async function feedInventory(entry: Entry, input: string): Promise<void> {
    const ext = entry.edge === 'inventory-ini' ? 'ini' : 'yaml';
    const file = path.join(tmp, `${entry.id}.${ext}`);
    writeFileSync(file, input);
    const loaded = loadInventory(file, { sshConfigPath: null, homeDir: tmp });
    await assert.rejects(
      loaded,
      (err: Error) => {
        assert.ok(err instanceof InventoryError, `${entry.id}: ${String(err)}`);
        assert.ok(err.message.includes(file), `${entry.id}: the file is not named: ${err.message}`);
        assert.ok(namesField(err.message, entry.expectField), `${entry.id}: no ${entry.expectField}: ${err.message}`);
        return true;
      },
      `${entry.id}: loadInventory accepted it`,
    );
    await expectCliRefusal(
      [
        'rollout',
        'plan',
        '--inventory',
        file,
        '--to',
        NEW,
        '-i',
        vars['key']!,
        '--known-hosts',
        vars['kh']!,
        '--no-ssh-config',
      ],
      entry,
    );
  }

  /** A --limit pattern that selects nothing or cannot be read: selectHosts and the CLI refuse it. */
  async function feedLimit(entry: Entry, input: string): Promise<void> {
    const inventory = await loadInventory(vars['inv']!, { sshConfigPath: null, homeDir: tmp });
    expectThrows(
      () => {
        const hosts = selectHosts(inventory, input);
        if (hosts.length === 0) throw new LimitPatternError(`--limit: selects no host`);
      },
      { ...entry, expectField: 'limit' },
      'selectHosts',
    );
    await expectCliRefusal(
      ['rollout', '--inventory', vars['inv']!, '--to', NEW, '--limit', input, '--no-ssh-config'],
      entry,
    );
  }

  /** The client's zod schema and the workflow's plain validator must both refuse. */
  function feedUpdateArgs(entry: Entry, { update, args }: { update: string; args: Record<string, unknown> }): void {
    const perHost = (bad: string | null) => bad;
    const plain: Record<string, [unknown, () => string | null]> = {
      approve: [
        approveArgsSchema,
        () => perHost(checkActor(args['by']) ?? checkText('comment', args['comment'], false)),
      ],
      abort: [abortArgsSchema, () => perHost(checkActor(args['by']) ?? checkText('reason', args['reason'], true))],
      resolve: [
        resolveArgsSchema,
        () =>
          checkActor(args['by']) ??
          checkText('comment', args['comment'], false) ??
          (['retry', 'mark-fixed', 'give-up'].includes(args['action'] as string) ? null : 'action: must be …'),
      ],
      rolloutDecision: [rolloutDecisionArgsSchema, () => checkRolloutDecisionArgs(args)],
      'rollout.pause': [pauseArgsSchema, () => checkPauseArgs(args)],
      'rollout.resume': [resumeArgsSchema, () => checkResumeArgs(args)],
      'rollout.abort': [abortArgsSchema, () => checkAbortRolloutArgs(args)],
      'rollout.approve': [approveArgsSchema, () => checkApproveRolloutArgs(args)],
      'rollout.skipHost': [skipHostArgsSchema, () => checkSkipHostArgs(args)],
      'rollout.addHosts': [addHostsArgsSchema, () => checkAddHostsArgs(args, () => false)],
    };
    const pair = plain[update];
    assert.ok(pair, `${entry.id}: unknown update ${update}`);
    const [schema, check] = pair;
    expectThrows(() => parseOrThrow(schema as never, args), entry, `${update} schema (client)`, InvalidInputError);
    expectCheck(check(), entry, `${update} validator (workflow)`);
  }

  it('the corpus has at least 100 entries, unique ids, known edges', () => {
    assert.ok(corpus.length >= 100, `only ${corpus.length} entries`);
    const ids = new Set<string>();
    for (const e of corpus) {
      assert.ok(!ids.has(e.id), `duplicate id ${e.id}`);
      ids.add(e.id);
      assert.ok((EDGES as readonly string[]).includes(e.edge), `${e.id}: unknown edge ${e.edge}`);
      assert.ok(typeof e.expectField === 'string' && e.expectField.length > 0, `${e.id}: no expectField`);
    }
  });

  for (const entry of corpus) {
    it(`${entry.edge} ${entry.id}`, { todo: entry.knownBug }, async () => {
      const before = temporalConnections;
      let refused = false;
      try {
        await feed(entry);
        refused = true;
      } finally {
        results.push({ entry, refused, connections: temporalConnections - before });
      }
    });
  }

  it('zero commands reached any simulated host, zero connections reached Temporal', () => {
    for (const h of sim.hosts) {
      assert.deepEqual(
        sim.commands(h.name).map((c) => c.command),
        [],
        `${h.name} ran commands`,
      );
    }
    const leaked = results.filter((r) => !r.entry.knownBug && r.connections > 0).map((r) => r.entry.id);
    assert.deepEqual(leaked, [], 'entries that connected to Temporal');
    assert.equal(results.filter((r) => !r.entry.knownBug).length, corpus.filter((e) => !e.knownBug).length);
  });

  function printSummary(): void {
    const commands = sim ? sim.hosts.reduce((n, h) => n + sim.commands(h.name).length, 0) : -1;
    const rows = EDGES.map((edge) => {
      const rs = results.filter((r) => r.entry.edge === edge);
      const known = rs.filter((r) => r.entry.knownBug);
      return [
        edge,
        String(rs.length),
        String(rs.filter((r) => r.refused && !r.entry.knownBug).length),
        String(known.length),
        String(rs.reduce((n, r) => n + r.connections, 0)),
      ];
    });
    const total = ['total', ...[1, 2, 3, 4].map((i) => String(rows.reduce((n, r) => n + Number(r[i]), 0)))];
    const header = ['EDGE', 'ENTRIES', 'REFUSED', 'KNOWN BUGS', 'TEMPORAL CONNS'];
    const table = [header, ...rows, total];
    const widths = header.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
    const lines = table.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  '));
    const bugs = results.filter((r) => r.entry.knownBug).map((r) => `  known bug ${r.entry.id}: ${r.entry.knownBug}`);
    process.stdout.write(
      `\nbad-input corpus (${corpusPath}):\n${lines.join('\n')}\ncommands sent to simulated hosts: ${commands}\n${bugs.join('\n')}\n`,
    );
  }
});
