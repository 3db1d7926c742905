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
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * `npm run test:matrix`'s bookkeeping (test/tools/matrix.ts), without a VM: what a resumed run
 * skips and reruns (a stand-in group runner, for that only), each scenario's outcome and
 * VM-minutes from its tests and VMs, and the real runner (`node --test` with the matrix
 * reporter and testbed/vm.ts's VM slots in a temp dir) on a small stand-in test file.
 */
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const node_fs_1 = require("node:fs");
const node_os_1 = require("node:os");
const path = __importStar(require("node:path"));
const matrix_1 = require("../tools/matrix");
const scenario = (name, file, extra = {}) => ({
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
const here = { commit: 'c0ffee'.padEnd(40, '0'), dirty: false, changes: null };
const before = { commit: 'bead'.padEnd(40, '0'), dirty: false, changes: null };
const row = (name, outcome, tree, date = '2026-12-01T10:00:00.000Z') => ({
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
const result = (name, outcome = 'passed') => ({
    scenario: name,
    outcome,
    wallSeconds: 7,
    vmMinutes: 0.1,
    vmSeconds: 6,
    tests: [],
});
(0, node_test_1.describe)('resuming', () => {
    (0, node_test_1.test)('passed on this tree: skipped; failed, missing, another commit or other changes: run', () => {
        const dirty = { ...here, dirty: true, changes: 'aa' };
        const earlier = [row('a', 'passed', here), row('b', 'failed', here), row('c', 'passed', before)];
        const p = (0, matrix_1.plan)(list, earlier, here, false);
        strict_1.default.deepEqual(p.skip.map((s) => s.scenario.name), ['a']);
        strict_1.default.deepEqual(p.run.map((r) => `${r.scenario.name}: ${r.why}`), ['b: failed on this tree', `c: last passed on another tree, ${before.commit.slice(0, 10)}`]);
        strict_1.default.deepEqual((0, matrix_1.plan)(list, earlier, dirty, false).run.map((r) => r.scenario.name), ['a', 'b', 'c'], 'the same commit with uncommitted changes is another tree');
        strict_1.default.deepEqual((0, matrix_1.plan)(list, [row('a', 'passed', dirty)], { ...dirty, changes: 'bb' }, false).run.map((r) => r.scenario.name), ['a', 'b', 'c']);
        strict_1.default.deepEqual((0, matrix_1.plan)(list, [row('a', 'passed', dirty)], dirty, false).skip.map((r) => r.scenario.name), ['a'], 'the same uncommitted changes again: skipped');
        strict_1.default.deepEqual((0, matrix_1.plan)(list, [], here, false).run.map((r) => r.why), ['no earlier result', 'no earlier result', 'no earlier result']);
        strict_1.default.deepEqual((0, matrix_1.plan)(list, earlier, here, true).skip, [], '--fresh runs everything');
    });
    (0, node_test_1.test)('pairs: a scenario on each of its platforms, or only the chosen name@platform pairs', () => {
        const multi = scenario('m', 'one.test.ts', { platforms: ['bios-grub', 'systemd-boot'] });
        const earlier = [row('m', 'passed', here)];
        strict_1.default.deepEqual((0, matrix_1.plan)([multi], earlier, here, false).run.map((r) => `${r.scenario.name}@${r.platform}: ${r.why}`), ['m@systemd-boot: no earlier result'], 'passed on bios-grub only: the systemd-boot pair still runs');
        strict_1.default.deepEqual((0, matrix_1.plan)([multi], [], here, false, new Set(['m@systemd-boot'])).run.map((r) => `${r.scenario.name}@${r.platform}`), ['m@systemd-boot']);
    });
    (0, node_test_1.test)('a resumed run says what it skips with the earlier result, runs the rest, keeps the skipped rows', async () => {
        const earlier = {
            rows: [row('a', 'passed', here), row('b', 'failed', here), row('c', 'passed', before)],
        };
        const said = [];
        const ran = [];
        const saved = [];
        const results = await (0, matrix_1.runMatrix)({
            list,
            earlier,
            tree: here,
            fresh: false,
            runGroup: async (g) => {
                ran.push(`${g.file}: ${g.scenarios.map((s) => s.name).join(',')}`);
                return { results: g.scenarios.map((s) => result(s.name)), log: `${g.file}.log` };
            },
            save: (r) => saved.push(structuredClone(r)),
            say: (l) => said.push(l),
            now: () => new Date('2026-12-04T12:00:00.000Z'),
        });
        strict_1.default.deepEqual(ran.sort(), ['one.test.ts: b', 'two.test.ts: c']);
        strict_1.default.ok(said.includes('skipped a on bios-grub: passed on this tree (c0ffee0000) at 2026-12-01T10:00:00.000Z, 100 s, 1.5 VM-min (--fresh runs it again)'), said.join('\n'));
        strict_1.default.deepEqual(results.rows.map((r) => `${r.scenario} ${r.outcome} ${r.commit.slice(0, 6)} ${r.date}`), [
            'a passed c0ffee 2026-12-01T10:00:00.000Z',
            'b passed c0ffee 2026-12-04T12:00:00.000Z',
            'c passed c0ffee 2026-12-04T12:00:00.000Z',
        ]);
        strict_1.default.deepEqual(saved.at(-1), results);
        const md = (0, matrix_1.markdown)(list, results, here);
        strict_1.default.match(md, /\| a \| bios-grub \| yes \| passed \| 100 \| 1\.5 \| c0ffee0000 \| 2026-12-01 10:00 \|/);
        strict_1.default.match(md, /\| all \| \| \| 3\/3 passed \| \| 1\.7 \| \| \|/);
    });
    (0, node_test_1.test)('rows are saved as each run ends: a run cut off later keeps them', async () => {
        const saved = [];
        let release = () => undefined;
        const hanging = new Promise((r) => (release = r));
        const done = (0, matrix_1.runMatrix)({
            list,
            earlier: { rows: [] },
            tree: here,
            fresh: false,
            runGroup: async (g) => {
                if (g.file === 'two.test.ts')
                    await hanging;
                return { results: g.scenarios.map((s) => result(s.name, s.name === 'b' ? 'failed' : 'passed')), log: '' };
            },
            save: (r) => saved.push(structuredClone(r)),
            say: () => undefined,
        });
        await new Promise((r) => setImmediate(r));
        strict_1.default.deepEqual(saved.at(-1)?.rows.map((r) => `${r.scenario} ${r.outcome}`), ['a passed', 'b failed'], 'one.test.ts recorded while two.test.ts still runs');
        // Resumed from what was saved: a is skipped, b and c run.
        strict_1.default.deepEqual((0, matrix_1.plan)(list, saved.at(-1).rows, here, false).run.map((r) => r.scenario.name), ['b', 'c']);
        release();
        await done;
    });
});
(0, node_test_1.describe)('attributing a run', () => {
    const shared = /^installed-layer$/;
    const group = {
        file: 'one.test.ts',
        platform: 'bios-grub',
        scenarios: [
            scenario('1', 'one.test.ts', { tests: /^1\. /, vms: /^s1-/ }),
            scenario('2', 'one.test.ts', { tests: /^2\. /, vms: /^s2-/, sharedVms: shared }),
            scenario('3', 'one.test.ts', { tests: /^3\. /, vms: /^s3-/, sharedVms: shared }),
            scenario('4', 'one.test.ts', { tests: /^4\. /, vms: /^s4-/ }),
        ],
    };
    const t = (name, outcome, seconds, error) => ({
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
    (0, node_test_1.test)('outcomes by test name, VM time by VM name, a shared VM split among its sharers', () => {
        const { results, unattributed } = (0, matrix_1.attribute)(group, ended, usage, 1);
        strict_1.default.deepEqual(results.map((r) => [r.scenario, r.outcome, r.wallSeconds, r.vmSeconds, r.vmMinutes]), [
            ['1', 'passed', 400, 420, 7],
            ['2', 'passed', 300, 420, 7],
            ['3', 'failed', 200, 366, 6.1],
            ['4', 'did-not-run', 0, 0, 0],
        ]);
        strict_1.default.equal(results[2]?.note, 'rolled-back expected');
        strict_1.default.match(results[3]?.note ?? '', /no test of it reported/);
        strict_1.default.deepEqual(unattributed, []);
    });
    (0, node_test_1.test)('a failed run that no failed test of a scenario explains fails the passes', () => {
        const hookFailed = { ...t('/e2e/one.test.js', 'failed', 1, 'after hook: ENOSPC'), nesting: 0 };
        for (const [events, code] of [
            [[t('1. upgrade', 'passed', 10)], 1],
            [[t('1. upgrade', 'passed', 10)], null],
            [[t('1. upgrade', 'passed', 10), t('3. no network', 'failed', 1), hookFailed], 1],
        ]) {
            const { results } = (0, matrix_1.attribute)(group, events, [], code);
            strict_1.default.equal(results[0]?.outcome, 'failed', JSON.stringify(events));
            strict_1.default.match(results[0]?.note ?? '', /^its tests passed, but the run of one\.test\.ts exited/);
        }
        strict_1.default.match((0, matrix_1.attribute)(group, [t('1. upgrade', 'passed', 10), hookFailed], [], 1).results[0]?.note ?? '', /exited 1: \/e2e\/one\.test\.js: after hook: ENOSPC$/);
    });
    (0, node_test_1.test)('a clean exit keeps passes; a test or VM of no scenario is named', () => {
        const { results, unattributed } = (0, matrix_1.attribute)(group, [t('1. upgrade', 'passed', 10), t('stray', 'passed', 1)], [{ vm: 'mystery', seconds: 5 }], 0);
        strict_1.default.equal(results[0]?.outcome, 'passed');
        strict_1.default.equal(results[0]?.note, undefined);
        strict_1.default.deepEqual(unattributed, ['test "stray"', 'VM mystery (5 s)']);
    });
});
(0, node_test_1.test)('the real runner: node --test with the matrix reporter, VM slot time from testbed/vm.ts', async () => {
    const dir = (0, node_fs_1.mkdtempSync)(path.join((0, node_os_1.tmpdir)(), 'kr-matrix-'));
    try {
        const vmModule = path.join(__dirname, '..', '..', 'testbed', 'vm.js');
        // A stand-in e2e file: the same selection variable, real VM slots (files in its own TMPDIR).
        (0, node_fs_1.writeFileSync)(path.join(dir, 'stand-in.test.js'), `process.env.TMPDIR = ${JSON.stringify(dir)};
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
`);
        const said = [];
        const run = (0, matrix_1.nodeTestRunner)(path.join(__dirname, '..', '..', '..'), path.join(dir, 'runs'), (l) => said.push(l), dir);
        const x = scenario('x', 'stand-in.test.ts');
        const y = scenario('y', 'stand-in.test.ts');
        const { results, log } = await run({ file: 'stand-in.test.ts', platform: 'bios-grub', scenarios: [x, y] });
        strict_1.default.deepEqual(results.map((r) => [r.scenario, r.outcome, r.tests.map((t) => t.name)]), [
            ['x', 'passed', ['x: holds a VM slot']],
            ['y', 'failed', ['y: fails']],
        ]);
        strict_1.default.ok((results[0]?.vmSeconds ?? 0) >= 0.4 && (results[0]?.vmSeconds ?? 9) < 5, `${results[0]?.vmSeconds} s`);
        strict_1.default.equal(results[1]?.note, 'y broke');
        strict_1.default.match((0, node_fs_1.readFileSync)(path.join(__dirname, '..', '..', '..', log), 'utf8'), /y broke/);
        strict_1.default.match(said[0] ?? '', /^started stand-in\.test\.ts on bios-grub: KERNEL_ROLLOUT_E2E=x,y \(log /);
    }
    finally {
        if (!process.env['KEEP'])
            (0, node_fs_1.rmSync)(dir, { recursive: true, force: true });
    }
});
//# sourceMappingURL=matrix.test.js.map