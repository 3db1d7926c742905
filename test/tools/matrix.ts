/**
 * `npm run test:matrix`: every VM scenario of test/e2e/tiers.ts on every platform it lists, the
 * gate's and the rest. Writes test-artifacts/matrix/results.json and results.md (scenario,
 * platform, outcome, wall seconds, VM-minutes, commit and whether the tree was dirty, date)
 * after each run of a file, so an interrupted matrix keeps every row it finished.
 *
 * Resuming: a scenario that passed on this very tree (same commit, same uncommitted changes) is
 * not run again; the runner says so, with the earlier result. Failed, missing and other-commit
 * rows run again. `--fresh` runs everything; `--only=1,conformance` runs those scenarios.
 * `--e2e` is `npm run test:e2e`: the scenarios KERNEL_ROLLOUT_E2E selects (the gate's when
 * unset), all run now, their rows recorded here like the matrix's own.
 *
 * Like `npm run test:e2e`, the scenarios of one file on one platform run in one `node --test`
 * process (so scenarios 2-6 share one installed layer) with KERNEL_ROLLOUT_E2E naming them and
 * KERNEL_ROLLOUT_PLATFORM the platform, every file on every platform at once; their VMs queue for
 * the machine's VM slots by rank (testbed/vm.ts). Each test's outcome comes from
 * test/tools/matrix-reporter.ts, each VM's time from the KERNEL_ROLLOUT_VM_USAGE file
 * testbed/vm.ts appends to.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { pairKey, parseSelection, scenarios as allScenarios, type Platform, type Scenario } from '../e2e/tiers';

export type Outcome = 'passed' | 'failed' | 'did-not-run';

/** What is under test: the commit, and a digest of uncommitted changes when there are any. */
export interface Tree {
  commit: string;
  dirty: boolean;
  /** sha256 of `git diff HEAD` and the untracked files, when dirty. */
  changes: string | null;
}

export interface TestResult {
  name: string;
  outcome: 'passed' | 'failed';
  seconds: number;
  error?: string;
}

/** One scenario's result on one platform, as a run of its file found it. */
export interface ScenarioResult {
  scenario: string;
  outcome: Outcome;
  /** Its tests' own durations (a wait for a VM slot included; scenarios run side by side). */
  wallSeconds: number;
  /** Its VMs' slot time, plus its share of VMs it shares with others of the same run. */
  vmMinutes: number;
  /** The same, in seconds. */
  vmSeconds: number;
  tests: TestResult[];
  /** Why it is not `passed`, when it is not. */
  note?: string;
}

export interface Row extends ScenarioResult, Tree {
  platform: Platform;
  /** When it was recorded (ISO 8601). */
  date: string;
  /** The run's spec-reporter log, relative to the repository. */
  log: string;
}

export interface Results {
  rows: Row[];
}

/** One `node --test` run: one file's scenarios on one platform. */
export interface Group {
  file: string;
  platform: Platform;
  scenarios: Scenario[];
}

/** Runs a group's scenarios; resolves with one result per scenario of the group. */
export type GroupRunner = (group: Group) => Promise<{ results: ScenarioResult[]; log: string }>;

export const sameTree = (a: Tree, b: Tree): boolean =>
  a.commit === b.commit && a.dirty === b.dirty && a.changes === b.changes;

export interface Plan {
  run: { scenario: Scenario; platform: Platform; why: string }[];
  skip: { scenario: Scenario; platform: Platform; earlier: Row }[];
}

const short = (commit: string): string => commit.slice(0, 10);
const treeText = (t: Tree): string => `${short(t.commit)}${t.dirty ? ' (dirty)' : ''}`;

/** Every scenario × platform pair of `list`, or only those `chosen` names (`name@platform`). */
export function pairsOf(
  list: readonly Scenario[],
  chosen?: ReadonlySet<string>,
): { scenario: Scenario; platform: Platform }[] {
  return list.flatMap((scenario) =>
    scenario.platforms
      .filter((platform) => chosen === undefined || chosen.has(`${scenario.name}@${platform}`))
      .map((platform) => ({ scenario, platform })),
  );
}

/** Which scenario × platform pairs to run, and which passed on this tree already. */
export function plan(
  list: readonly Scenario[],
  earlier: readonly Row[],
  tree: Tree,
  fresh: boolean,
  chosen?: ReadonlySet<string>,
): Plan {
  const out: Plan = { run: [], skip: [] };
  for (const { scenario, platform } of pairsOf(list, chosen)) {
    const row = earlier.find((r) => r.scenario === scenario.name && r.platform === platform);
    if (fresh) out.run.push({ scenario, platform, why: '--fresh' });
    else if (!row) out.run.push({ scenario, platform, why: 'no earlier result' });
    else if (!sameTree(row, tree))
      out.run.push({ scenario, platform, why: `last ${row.outcome} on another tree, ${treeText(row)}` });
    else if (row.outcome !== 'passed') out.run.push({ scenario, platform, why: `${row.outcome} on this tree` });
    else out.skip.push({ scenario, platform, earlier: row });
  }
  return out;
}

/** The runs for `pairs`: one per file and platform, in the list's order. */
export function groupsOf(pairs: readonly { scenario: Scenario; platform: Platform }[]): Group[] {
  const groups: Group[] = [];
  for (const { scenario, platform } of pairs) {
    let g = groups.find((x) => x.file === scenario.file && x.platform === platform);
    if (!g) groups.push((g = { file: scenario.file, platform, scenarios: [] }));
    g.scenarios.push(scenario);
  }
  return groups;
}

/** A VM's slot time, as testbed/vm.ts appends it to the KERNEL_ROLLOUT_VM_USAGE file. */
export interface VmUsage {
  vm: string;
  seconds: number;
}

/** A test that ended, as test/tools/matrix-reporter.ts writes it. */
export interface TestEnded {
  outcome: 'passed' | 'failed';
  name: string;
  nesting: number;
  suite: boolean;
  seconds: number;
  error?: string;
}

/**
 * Each scenario's result from its file's run: its tests (by name), its VMs (by name, shared ones
 * split evenly among the scenarios of the run that share them), and how the process ended. A
 * process that failed with no failed test of a scenario to show for it, or with a failed test of
 * none, fails every scenario that passed (nothing passes on a doubt).
 */
export function attribute(
  group: Group,
  ended: readonly TestEnded[],
  usage: readonly VmUsage[],
  exitCode: number | null,
): { results: ScenarioResult[]; unattributed: string[] } {
  const unattributed: string[] = [];
  const tests = ended.filter((e) => !e.suite);
  for (const t of tests)
    if (!group.scenarios.some((s) => s.tests.test(t.name))) unattributed.push(`test ${JSON.stringify(t.name)}`);
  const vmSeconds = new Map<string, number>(group.scenarios.map((s) => [s.name, 0]));
  for (const u of usage) {
    const own = group.scenarios.find((s) => s.vms?.test(u.vm));
    const sharers = group.scenarios.filter((s) => s.sharedVms?.test(u.vm));
    if (own) vmSeconds.set(own.name, (vmSeconds.get(own.name) ?? 0) + u.seconds);
    else if (sharers.length > 0)
      for (const s of sharers) vmSeconds.set(s.name, (vmSeconds.get(s.name) ?? 0) + u.seconds / sharers.length);
    else unattributed.push(`VM ${u.vm} (${u.seconds} s)`);
  }
  const ofAScenario = (t: TestEnded): boolean => group.scenarios.some((s) => s.tests.test(t.name));
  const unexplained =
    exitCode !== 0 &&
    (!tests.some((t) => t.outcome === 'failed' && ofAScenario(t)) ||
      tests.some((t) => t.outcome === 'failed' && !ofAScenario(t)));
  const results = group.scenarios.map((s): ScenarioResult => {
    const mine = tests.filter((t) => s.tests.test(t.name));
    const result: ScenarioResult = {
      scenario: s.name,
      outcome: mine.length === 0 ? 'did-not-run' : mine.some((t) => t.outcome === 'failed') ? 'failed' : 'passed',
      wallSeconds: Math.round(mine.reduce((sum, t) => sum + t.seconds, 0)),
      vmMinutes: Math.round((vmSeconds.get(s.name) ?? 0) / 6) / 10,
      vmSeconds: Math.round((vmSeconds.get(s.name) ?? 0) * 10) / 10,
      tests: mine.map((t) => ({
        name: t.name,
        outcome: t.outcome,
        seconds: t.seconds,
        ...(t.error ? { error: t.error } : {}),
      })),
    };
    if (result.outcome === 'did-not-run') result.note = `no test of it reported (process exit ${String(exitCode)})`;
    else if (result.outcome === 'failed') result.note = mine.find((t) => t.error)?.error ?? 'a test failed';
    else if (unexplained) {
      result.outcome = 'failed';
      const other = tests.find((t) => t.outcome === 'failed' && !ofAScenario(t));
      result.note = `its tests passed, but the run of ${group.file} exited ${String(exitCode)}${other ? `: ${other.name}: ${other.error ?? ''}` : ''}`;
    }
    return result;
  });
  return { results, unattributed };
}

export interface MatrixOptions {
  list: readonly Scenario[];
  /** Only these pairs (`name@platform`) of the list; all of them when absent. */
  chosen?: ReadonlySet<string>;
  earlier: Results;
  tree: Tree;
  fresh: boolean;
  runGroup: GroupRunner;
  /** Called with every row so far after each group (and once before the first). */
  save: (results: Results) => void;
  say: (line: string) => void;
  now?: () => Date;
}

/** Plans, says what it skips and why it runs the rest, runs, records. Resolves with every row. */
export async function runMatrix(o: MatrixOptions): Promise<Results> {
  const now = o.now ?? (() => new Date());
  const p = plan(o.list, o.earlier.rows, o.tree, o.fresh, o.chosen);
  const results: Results = { rows: o.earlier.rows.map((r) => ({ ...r })) };
  for (const s of p.skip) {
    const e = s.earlier;
    o.say(
      `skipped ${s.scenario.name} on ${s.platform}: passed on this tree (${treeText(e)}) at ${e.date}, ` +
        `${e.wallSeconds} s, ${e.vmMinutes} VM-min (--fresh runs it again)`,
    );
  }
  for (const r of p.run) o.say(`to run: ${r.scenario.name} on ${r.platform} (${r.why})`);
  o.save(results);
  const groups = groupsOf(p.run);
  const record = (group: Group, outcome: { results: ScenarioResult[]; log: string }): void => {
    for (const r of outcome.results) {
      const row: Row = { ...r, platform: group.platform, ...o.tree, date: now().toISOString(), log: outcome.log };
      const i = results.rows.findIndex((x) => x.scenario === r.scenario && x.platform === group.platform);
      if (i >= 0) results.rows[i] = row;
      else results.rows.push(row);
      o.say(
        `${r.scenario} on ${group.platform}: ${r.outcome}, ${r.wallSeconds} s, ${r.vmMinutes} VM-min` +
          (r.note ? ` (${r.note})` : ''),
      );
    }
    o.save(results);
  };
  // Every run at once (each file on each platform): their VMs queue for the machine's VM slots.
  await Promise.all(groups.map(async (group) => record(group, await o.runGroup(group))));
  return results;
}

/** The rows of `results` for the current list (or its `chosen` pairs), in its order (rows of scenarios since removed are left out). */
export function currentRows(list: readonly Scenario[], results: Results, chosen?: ReadonlySet<string>): Row[] {
  return pairsOf(list, chosen).flatMap(({ scenario, platform }) =>
    results.rows.filter((r) => r.scenario === scenario.name && r.platform === platform),
  );
}

export function markdown(list: readonly Scenario[], results: Results, tree: Tree): string {
  const rows = currentRows(list, results);
  const missing = pairsOf(list)
    .filter(({ scenario, platform }) => !rows.some((r) => r.scenario === scenario.name && r.platform === platform))
    .map(({ scenario, platform }) => `${scenario.name} on ${platform}`);
  const passed = rows.filter((r) => r.outcome === 'passed').length;
  const total = pairsOf(list).length;
  const vm = Math.round(rows.reduce((n, r) => n + r.vmMinutes, 0) * 10) / 10;
  const lines = [
    '# npm run test:matrix',
    '',
    `Tree now: ${tree.commit}${tree.dirty ? ' with uncommitted changes' : ''}. ${passed} of ${total} passed; ` +
      `rows recorded on another tree are marked *.`,
    '',
    '| scenario | platform | gate | outcome | wall s | VM-min | commit | date |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map((r) => {
      const s = list.find((x) => x.name === r.scenario);
      const other = sameTree(r, tree) ? '' : '*';
      return (
        `| ${r.scenario} | ${r.platform} | ${(s?.gate as readonly string[] | undefined)?.includes(r.platform) ? 'yes' : 'no'} | ${r.outcome} | ${r.wallSeconds} | ${r.vmMinutes} | ` +
        `${short(r.commit)}${r.dirty ? ' (dirty)' : ''}${other} | ${r.date.slice(0, 16).replace('T', ' ')} |`
      );
    }),
    `| all | | | ${passed}/${total} passed | | ${vm} | | |`,
  ];
  if (missing.length > 0) lines.push('', `Not run yet: ${missing.join(', ')}.`);
  return `${lines.join('\n')}\n`;
}

function git(args: string[], cwd: string): string {
  const r = spawnSync('git', args, { cwd, encoding: 'buffer', maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr.toString().trim()}`);
  return r.stdout.toString('latin1');
}

export function treeOf(root: string): Tree {
  const commit = git(['rev-parse', 'HEAD'], root).trim();
  const status = git(['status', '--porcelain'], root);
  if (status.trim() === '') return { commit, dirty: false, changes: null };
  const h = createHash('sha256').update(git(['diff', 'HEAD', '--binary'], root), 'latin1');
  for (const f of git(['ls-files', '--others', '--exclude-standard', '-z'], root).split('\0').filter(Boolean)) {
    h.update(`\0${f}\0`);
    h.update(readFileSync(path.join(root, f)));
  }
  return { commit, dirty: true, changes: h.digest('hex') };
}

function readJsonLines<T>(file: string): T[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as T);
}

const children = new Set<number>();

/** The real runner: `node --test` on the file's compiled test with KERNEL_ROLLOUT_E2E naming the group. */
export function nodeTestRunner(
  root: string,
  runsDir: string,
  say: (line: string) => void,
  testDir = path.join(root, 'dist', 'test', 'e2e'),
): GroupRunner {
  return async (group) => {
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const dir = path.join(runsDir, `${stamp}-${group.platform}-${group.file.replace(/\.test\.ts$/, '')}`);
    mkdirSync(dir, { recursive: true });
    const specLog = path.join(dir, 'spec.log');
    const events = path.join(dir, 'tests.jsonl');
    const usage = path.join(dir, 'vm-usage.jsonl');
    const testFile = path.join(testDir, group.file.replace(/\.ts$/, '.js'));
    const reporter = path.join(root, 'dist', 'test', 'tools', 'matrix-reporter.js');
    const names = group.scenarios.map((s) => s.name).join(',');
    say(
      `started ${group.file} on ${group.platform}: KERNEL_ROLLOUT_E2E=${names} (log ${path.relative(root, specLog)})`,
    );
    const child = spawn(
      process.execPath,
      [
        '--test',
        '--test-reporter=spec',
        `--test-reporter-destination=${specLog}`,
        `--test-reporter=${pathToFileURL(reporter).href}`,
        `--test-reporter-destination=${events}`,
        testFile,
      ],
      {
        cwd: root,
        // Its own process group: an interrupted matrix ends it with everything it started (qemu too).
        detached: true,
        stdio: ['ignore', 'inherit', 'inherit'],
        env: {
          ...process.env,
          // Set when this runs under node --test itself (its unit test): the child would report to it.
          NODE_TEST_CONTEXT: undefined,
          KERNEL_ROLLOUT_E2E: names,
          KERNEL_ROLLOUT_PLATFORM: group.platform,
          KERNEL_ROLLOUT_VM_USAGE: usage,
          KERNEL_ROLLOUT_VM_CPUS: process.env['KERNEL_ROLLOUT_VM_CPUS'] ?? '1',
        },
      },
    );
    if (child.pid !== undefined) children.add(child.pid);
    const code = await new Promise<number | null>((resolve) => {
      child.on('error', (err) => {
        say(`${group.file}: ${err.message}`);
        resolve(null);
      });
      child.on('exit', (c) => resolve(c));
    });
    if (child.pid !== undefined) children.delete(child.pid);
    const { results, unattributed } = attribute(
      group,
      readJsonLines<TestEnded>(events),
      readJsonLines<VmUsage>(usage),
      code,
    );
    for (const u of unattributed) say(`${group.file} on ${group.platform}: ${u} belongs to no scenario of the list`);
    return { results, log: path.relative(root, specLog) };
  };
}

function writeAtomically(file: string, text: string): void {
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
}

function readResults(file: string): Results {
  if (!existsSync(file)) return { rows: [] };
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<Results>;
  if (!Array.isArray(parsed.rows)) throw new Error(`${file}: no "rows" array; move it away or run with --fresh`);
  return { rows: parsed.rows };
}

async function main(): Promise<void> {
  const root = path.join(__dirname, '..', '..', '..');
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => a !== '--fresh' && a !== '--e2e' && !a.startsWith('--only='));
  if (unknown.length > 0) {
    throw new Error(`test:matrix: unknown argument ${unknown.join(' ')} (--fresh, --only=NAMES, --e2e)`);
  }
  // --e2e is `npm run test:e2e`: KERNEL_ROLLOUT_E2E's selection (the gate's when unset), every one
  // of them run now, its rows recorded beside the matrix's so that a later `npm run test:matrix`
  // on the same tree runs only the rest.
  const e2e = args.includes('--e2e');
  const fresh = e2e || args.includes('--fresh');
  const only = args.find((a) => a.startsWith('--only='));
  const chosen = e2e
    ? parseSelection(process.env['KERNEL_ROLLOUT_E2E'])
    : only === undefined
      ? undefined
      : parseSelection(only.slice('--only='.length), '--only');
  const list = allScenarios.filter(
    (s) => chosen === undefined || s.platforms.some((p) => chosen.has(pairKey(s.name, p))),
  );
  const dir = path.join(root, 'test-artifacts', 'matrix');
  mkdirSync(dir, { recursive: true });
  const jsonFile = path.join(dir, 'results.json');
  const mdFile = path.join(dir, 'results.md');
  const tree = treeOf(root);
  const say = (line: string): void => void process.stdout.write(`[matrix] ${line}\n`);
  say(`tree ${tree.commit}${tree.dirty ? ' with uncommitted changes' : ''}; results in ${path.relative(root, dir)}/`);
  const save = (results: Results): void => {
    writeAtomically(jsonFile, `${JSON.stringify(results, null, 2)}\n`);
    writeAtomically(mdFile, markdown(allScenarios, results, tree));
  };
  const stop = (signal: NodeJS.Signals): void => {
    say(`${signal}: ending ${children.size} run(s); rows recorded so far stay in results.json`);
    const groups = [...children];
    const signalGroup = (pid: number, sig: NodeJS.Signals | 0): boolean => {
      try {
        process.kill(-pid, sig);
        return true;
      } catch {
        return false; // the group is gone
      }
    };
    for (const pid of groups) signalGroup(pid, 'SIGTERM');
    // A test process whose Temporal worker is running treats SIGTERM as "shut the worker down" and
    // goes on (it may even start its next VM): after 10 s its group, qemu included, is killed.
    const deadline = Date.now() + 10_000;
    const check = setInterval(() => {
      const left = groups.filter((pid) => signalGroup(pid, 0));
      if (left.length > 0 && Date.now() < deadline) return;
      for (const pid of left) signalGroup(pid, 'SIGKILL');
      if (left.length > 0) say(`killed ${left.length} run(s) still there 10 s after ${signal}`);
      clearInterval(check);
      process.exit(130);
    }, 200);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const results = await runMatrix({
    list,
    earlier: readResults(jsonFile),
    tree,
    fresh,
    ...(chosen ? { chosen } : {}),
    runGroup: nodeTestRunner(root, path.join(dir, 'runs'), say),
    save,
    say,
  });
  process.stdout.write(`\n${markdown(allScenarios, results, tree)}`);
  const rows = currentRows(list, results, chosen);
  // A failed scenario's own words in the job's log, not only in its spec log's file.
  for (const r of rows.filter((row) => row.outcome !== 'passed' && existsSync(path.join(root, row.log)))) {
    const lines = readFileSync(path.join(root, r.log), 'utf8').split('\n');
    process.stdout.write(`\n--- ${r.scenario} on ${r.platform}: ${r.outcome}; the last 120 lines of ${r.log}\n`);
    process.stdout.write(`${lines.slice(-120).join('\n')}\n`);
  }
  const expected = pairsOf(list, chosen).length;
  const ok = rows.length === expected && rows.every((r) => r.outcome === 'passed' && sameTree(r, tree));
  process.exit(ok ? 0 : 1);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(2);
  });
}
