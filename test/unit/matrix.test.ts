/**
 * `npm run test:matrix`'s bookkeeping (test/tools/matrix.ts), without a VM: what a resumed run
 * skips and reruns (a stand-in group runner, for that only), each scenario's outcome and
 * VM-minutes from its tests and VMs, and the real runner (`node --test` with the matrix
 * reporter and testbed/vm.ts's VM slots in a temp dir) on a small stand-in test file.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Scenario } from '../e2e/tiers';
import {
  attribute,
  markdown,
  nodeTestRunner,
  plan,
  runMatrix,
  type Group,
  type Results,
  type Row,
  type ScenarioResult,
  type Tree,
} from '../tools/matrix';

const scenario = (name: string, file: string, extra: Partial<Scenario> = {}): Scenario => ({
  name,
  file,
  title: name,
  platforms: ['bios-grub'],
  layers: [],
  gate: ['bios-grub'],
  tests: new RegExp(`^${name}: `),
  vms: new RegExp(`^vm-${name}-`),
  ...extra,
});
const A = scenario('a', 'one.test.ts');
const B = scenario('b', 'one.test.ts');
const C = scenario('c', 'two.test.ts');
const list = [A, B, C];

const here: Tree = { commit: 'c0ffee'.padEnd(40, '0'), dirty: false, changes: null };
const before: Tree = { commit: 'bead'.padEnd(40, '0'), dirty: false, changes: null };
const row = (name: string, outcome: Row['outcome'], tree: Tree, date = '2026-12-01T10:00:00.000Z'): Row => ({
  scenario: name,
  platform: 'bios-grub',
  outcome,
  wallSeconds: 100,
  vmMinutes: 1.5,
  vmSeconds: 90,
  tests: [],
  ...tree,
  date,
  log: 'earlier.log',
});
const result = (name: string, outcome: ScenarioResult['outcome'] = 'passed'): ScenarioResult => ({
  scenario: name,
  outcome,
  wallSeconds: 7,
  vmMinutes: 0.1,
  vmSeconds: 6,
  tests: [],
});

describe('resuming', () => {
  test('passed on this tree: skipped; failed, missing, another commit or other changes: run', () => {
    const dirty: Tree = { ...here, dirty: true, changes: 'aa' };
    const earlier = [row('a', 'passed', here), row('b', 'failed', here), row('c', 'passed', before)];
    const p = plan(list, earlier, here, false);
    assert.deepEqual(
      p.skip.map((s) => s.scenario.name),
      ['a'],
    );
    assert.deepEqual(
      p.run.map((r) => `${r.scenario.name}: ${r.why}`),
      ['b: failed on this tree', `c: last passed on another tree, ${before.commit.slice(0, 10)}`],
    );
    assert.deepEqual(
      plan(list, earlier, dirty, false).run.map((r) => r.scenario.name),
      ['a', 'b', 'c'],
      'the same commit with uncommitted changes is another tree',
    );
    assert.deepEqual(
      plan(list, [row('a', 'passed', dirty)], { ...dirty, changes: 'bb' }, false).run.map((r) => r.scenario.name),
      ['a', 'b', 'c'],
    );
    assert.deepEqual(
      plan(list, [row('a', 'passed', dirty)], dirty, false).skip.map((r) => r.scenario.name),
      ['a'],
      'the same uncommitted changes again: skipped',
    );
    assert.deepEqual(
      plan(list, [], here, false).run.map((r) => r.why),
      ['no earlier result', 'no earlier result', 'no earlier result'],
    );
    assert.deepEqual(plan(list, earlier, here, true).skip, [], '--fresh runs everything');
  });

  test('pairs: a scenario on each of its platforms, or only the chosen name@platform pairs', () => {
    const multi = scenario('m', 'one.test.ts', { platforms: ['bios-grub', 'systemd-boot'] });
    const earlier = [row('m', 'passed', here)];
    assert.deepEqual(
      plan([multi], earlier, here, false).run.map((r) => `${r.scenario.name}@${r.platform}: ${r.why}`),
      ['m@systemd-boot: no earlier result'],
      'passed on bios-grub only: the systemd-boot pair still runs',
    );
    assert.deepEqual(
      plan([multi], [], here, false, new Set(['m@systemd-boot'])).run.map((r) => `${r.scenario.name}@${r.platform}`),
      ['m@systemd-boot'],
    );
  });

  test('a resumed run says what it skips with the earlier result, runs the rest, keeps the skipped rows', async () => {
    const earlier: Results = {
      rows: [row('a', 'passed', here), row('b', 'failed', here), row('c', 'passed', before)],
    };
    const said: string[] = [];
    const ran: string[] = [];
    const saved: Results[] = [];
    const results = await runMatrix({
      list,
      earlier,
      tree: here,
      fresh: false,
      runGroup: async (g: Group) => {
        ran.push(`${g.file}: ${g.scenarios.map((s) => s.name).join(',')}`);
        return { results: g.scenarios.map((s) => result(s.name)), log: `${g.file}.log` };
      },
      save: (r) => saved.push(structuredClone(r)),
      say: (l) => said.push(l),
      now: () => new Date('2026-12-04T12:00:00.000Z'),
    });
    assert.deepEqual(ran.sort(), ['one.test.ts: b', 'two.test.ts: c']);
    assert.ok(
      said.includes(
        'skipped a on bios-grub: passed on this tree (c0ffee0000) at 2026-12-01T10:00:00.000Z, 100 s, 1.5 VM-min (--fresh runs it again)',
      ),
      said.join('\n'),
    );
    assert.deepEqual(
      results.rows.map((r) => `${r.scenario} ${r.outcome} ${r.commit.slice(0, 6)} ${r.date}`),
      [
        'a passed c0ffee 2026-12-01T10:00:00.000Z',
        'b passed c0ffee 2026-12-04T12:00:00.000Z',
        'c passed c0ffee 2026-12-04T12:00:00.000Z',
      ],
    );
    assert.deepEqual(saved.at(-1), results);
    const md = markdown(list, results, here);
    assert.match(md, /\| a \| bios-grub \| yes \| passed \| 100 \| 1\.5 \| c0ffee0000 \| 2026-12-01 10:00 \|/);
    assert.match(md, /\| all \| \| \| 3\/3 passed \| \| 1\.7 \| \| \|/);
  });

  test('rows are saved as each run ends: a run cut off later keeps them', async () => {
    const saved: Results[] = [];
    let release: () => void = () => undefined;
    const hanging = new Promise<void>((r) => (release = r));
    const done = runMatrix({
      list,
      earlier: { rows: [] },
      tree: here,
      fresh: false,
      runGroup: async (g) => {
        if (g.file === 'two.test.ts') await hanging;
        return { results: g.scenarios.map((s) => result(s.name, s.name === 'b' ? 'failed' : 'passed')), log: '' };
      },
      save: (r) => saved.push(structuredClone(r)),
      say: () => undefined,
    });
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(
      saved.at(-1)?.rows.map((r) => `${r.scenario} ${r.outcome}`),
      ['a passed', 'b failed'],
      'one.test.ts recorded while two.test.ts still runs',
    );
    // Resumed from what was saved: a is skipped, b and c run.
    assert.deepEqual(
      plan(list, saved.at(-1)!.rows, here, false).run.map((r) => r.scenario.name),
      ['b', 'c'],
    );
    release();
    await done;
  });
});

describe('attributing a run', () => {
  const shared = /^installed-layer$/;
  const group: Group = {
    file: 'one.test.ts',
    platform: 'bios-grub',
    scenarios: [
      scenario('1', 'one.test.ts', { tests: /^1\. /, vms: /^s1-/ }),
      scenario('2', 'one.test.ts', { tests: /^2\. /, vms: /^s2-/, sharedVms: shared }),
      scenario('3', 'one.test.ts', { tests: /^3\. /, vms: /^s3-/, sharedVms: shared }),
      scenario('4', 'one.test.ts', { tests: /^4\. /, vms: /^s4-/ }),
    ],
  };
  const t = (name: string, outcome: 'passed' | 'failed', seconds: number, error?: string) => ({
    outcome,
    name,
    nesting: 1,
    suite: false,
    seconds,
    ...(error ? { error } : {}),
  });
  const ended = [
    t('1. upgrade', 'passed', 400.4),
    t('2. panics', 'passed', 300),
    t('3. no network', 'failed', 200, 'rolled-back expected'),
    { ...t('real VM scenarios', 'failed', 900, '1 subtest failed'), suite: true, nesting: 0 },
  ];
  const usage = [
    { vm: 'installed-layer', seconds: 360 },
    { vm: 's1-ab12cd', seconds: 420 },
    { vm: 's2-ab12cd', seconds: 240 },
    { vm: 's3-ab12cd', seconds: 180 },
    { vm: 's3-ab12cd', seconds: 6 },
  ];

  test('outcomes by test name, VM time by VM name, a shared VM split among its sharers', () => {
    const { results, unattributed } = attribute(group, ended, usage, 1);
    assert.deepEqual(
      results.map((r) => [r.scenario, r.outcome, r.wallSeconds, r.vmSeconds, r.vmMinutes]),
      [
        ['1', 'passed', 400, 420, 7],
        ['2', 'passed', 300, 420, 7],
        ['3', 'failed', 200, 366, 6.1],
        ['4', 'did-not-run', 0, 0, 0],
      ],
    );
    assert.equal(results[2]?.note, 'rolled-back expected');
    assert.match(results[3]?.note ?? '', /no test of it reported/);
    assert.deepEqual(unattributed, []);
  });

  test('a failed run that no failed test of a scenario explains fails the passes', () => {
    const hookFailed = { ...t('/e2e/one.test.js', 'failed', 1, 'after hook: ENOSPC'), nesting: 0 };
    for (const [events, code] of [
      [[t('1. upgrade', 'passed', 10)], 1],
      [[t('1. upgrade', 'passed', 10)], null],
      [[t('1. upgrade', 'passed', 10), t('3. no network', 'failed', 1), hookFailed], 1],
    ] as const) {
      const { results } = attribute(group, events, [], code);
      assert.equal(results[0]?.outcome, 'failed', JSON.stringify(events));
      assert.match(results[0]?.note ?? '', /^its tests passed, but the run of one\.test\.ts exited/);
    }
    assert.match(
      attribute(group, [t('1. upgrade', 'passed', 10), hookFailed], [], 1).results[0]?.note ?? '',
      /exited 1: \/e2e\/one\.test\.js: after hook: ENOSPC$/,
    );
  });

  test('a clean exit keeps passes; a test or VM of no scenario is named', () => {
    const { results, unattributed } = attribute(
      group,
      [t('1. upgrade', 'passed', 10), t('stray', 'passed', 1)],
      [{ vm: 'mystery', seconds: 5 }],
      0,
    );
    assert.equal(results[0]?.outcome, 'passed');
    assert.equal(results[0]?.note, undefined);
    assert.deepEqual(unattributed, ['test "stray"', 'VM mystery (5 s)']);
  });
});

test('the real runner: node --test with the matrix reporter, VM slot time from testbed/vm.ts', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kr-matrix-'));
  try {
    const vmModule = path.join(__dirname, '..', '..', 'testbed', 'vm.js');
    // A stand-in e2e file: the same selection variable, real VM slots (files in its own TMPDIR).
    writeFileSync(
      path.join(dir, 'stand-in.test.js'),
      `process.env.TMPDIR = ${JSON.stringify(dir)};
const { test } = require('node:test');
const vm = require(${JSON.stringify(vmModule)});
const selected = process.env.KERNEL_ROLLOUT_E2E.split(',');
if (selected.includes('x')) test('x: holds a VM slot', async () => {
  const slot = await vm.takeVmSlot('vm-x-1', () => {});
  await new Promise((r) => setTimeout(r, 400));
  vm.releaseVmSlot(slot);
});
if (selected.includes('y')) test('y: fails', () => { throw new Error('y broke'); });
if (selected.includes('z')) test('z: not asked for', () => {});
if (process.env.KERNEL_ROLLOUT_PLATFORM !== 'bios-grub') throw new Error('no platform');
`,
    );
    const said: string[] = [];
    const run = nodeTestRunner(
      path.join(__dirname, '..', '..', '..'),
      path.join(dir, 'runs'),
      (l) => said.push(l),
      dir,
    );
    const x = scenario('x', 'stand-in.test.ts');
    const y = scenario('y', 'stand-in.test.ts');
    const { results, log } = await run({ file: 'stand-in.test.ts', platform: 'bios-grub', scenarios: [x, y] });
    assert.deepEqual(
      results.map((r) => [r.scenario, r.outcome, r.tests.map((t) => t.name)]),
      [
        ['x', 'passed', ['x: holds a VM slot']],
        ['y', 'failed', ['y: fails']],
      ],
    );
    assert.ok((results[0]?.vmSeconds ?? 0) >= 0.4 && (results[0]?.vmSeconds ?? 9) < 5, `${results[0]?.vmSeconds} s`);
    assert.equal(results[1]?.note, 'y broke');
    assert.match(readFileSync(path.join(__dirname, '..', '..', '..', log), 'utf8'), /y broke/);
    assert.match(said[0] ?? '', /^started stand-in\.test\.ts on bios-grub: KERNEL_ROLLOUT_E2E=x,y \(log /);
  } finally {
    if (!process.env['KEEP']) rmSync(dir, { recursive: true, force: true });
  }
});
