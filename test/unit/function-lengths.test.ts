/**
 * No function over MAX_LINES (100) lines (scripts/function-lengths.ts measures them). That holds
 * for every function outside test files, and in test files for the helpers and for every single
 * test's body (`test(…)`, `it(…)`: one function, split into named steps when it grows); the one
 * exemption is the callback of `describe(…)` or `suite(…)`: a suite's body is a list of its tests,
 * as long as the tests are many. STILL_LONG names the functions not split yet (none now), with
 * their length: the test fails on any other function over the limit, when a listed one grows, or
 * when it is split and its entry is left behind.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import {
  formatLine,
  isTestFile,
  longest,
  MAX_LINES,
  measureRepository,
  measureSource,
} from '../../scripts/function-lengths';

const root = path.join(__dirname, '..', '..', '..');

/** `file name` → its length today: none are left; a function that has to stay long for a while goes here. */
const STILL_LONG: Record<string, number> = {};

/** The callback of `describe('…', () => …)` or `suite(…)` in a test file: a list of tests, not one. */
function isSuiteCallback(f: { file: string; name: string }): boolean {
  return isTestFile(f.file) && /^(describe|suite)(\.\w+)?(\(.*\))? callback$/.test(f.name);
}

test(`no function over ${MAX_LINES} lines but the ones STILL_LONG names (describe/suite callbacks exempt)`, () => {
  const measured = measureRepository(root);
  const over = measured.filter((f) => f.lines > MAX_LINES && !isSuiteCallback(f));
  const unlisted = over.filter((f) => STILL_LONG[`${f.file} ${f.name}`] === undefined);
  assert.deepEqual(unlisted.map(formatLine), [], `split these into named steps (at most ${MAX_LINES} lines each)`);
  const grown = over.filter((f) => f.lines > (STILL_LONG[`${f.file} ${f.name}`] ?? Infinity));
  assert.deepEqual(grown.map(formatLine), [], 'these grew: split them rather');
  const left = Object.keys(STILL_LONG).filter((k) => !over.some((f) => `${f.file} ${f.name}` === k));
  assert.deepEqual(left, [], 'no longer over the limit: remove their STILL_LONG entries');
});

test('measures nested functions on their own, by line span, under the names they are assigned to', () => {
  const text = [
    '// a comment above is not counted',
    'export function outer(): void {', // 2
    '  const inner = (x: number) => {', // 3
    '    return x;',
    '  };', // 5
    '  on(function () {', // 6
    '    inner(1);',
    '  });', // 8
    '}', // 9
    'class C {',
    '  m(): void {}', // 11
    '}',
    "test('a title', async () => {", // 13
    '});', // 14
  ].join('\n');
  const got = measureSource('x.ts', text).map((f) => `${f.name}@${f.line}:${f.lines}`);
  assert.deepEqual(got, ['outer@2:8', 'inner@3:3', 'on callback@6:3', 'm@11:1', "test('a title') callback@13:2"]);
});

test('a single test body over the limit is caught; a describe body holding it is not', () => {
  const steps = Array.from({ length: MAX_LINES - 1 }, (_, i) => `    assert.ok(${i});`);
  const text = [
    "describe('a suite', () => {", // 1
    "  test('one long test', () => {", // 2: its body spans MAX_LINES + 1 lines
    ...steps,
    '  });',
    "  it('another', async () => {", // its body too
    ...steps,
    '  });',
    '});',
  ].join('\n');
  const over = measureSource('test/unit/x.test.ts', text).filter((f) => f.lines > MAX_LINES);
  assert.deepEqual(
    over.filter((f) => !isSuiteCallback(f)).map((f) => `${f.name}:${f.lines}`),
    [`test('one long test') callback:${MAX_LINES + 1}`, `it('another') callback:${MAX_LINES + 1}`],
  );
  assert.deepEqual(
    over.filter(isSuiteCallback).map((f) => f.name),
    ["describe('a suite') callback"],
  );
});

test('the listing is longest first; test files are told apart', () => {
  const fs = [
    { file: 'a.ts', name: 'short', line: 1, lines: 3 },
    { file: 'b.ts', name: 'long', line: 9, lines: 30 },
    { file: 'a.ts', name: 'mid', line: 5, lines: 10 },
  ];
  assert.deepEqual(
    longest(fs, 2).map((f) => f.name),
    ['long', 'mid'],
  );
  assert.equal(isTestFile('test/unit/x.test.ts'), true);
  assert.equal(isTestFile('test/helpers/fake-host.ts'), true);
  assert.equal(isTestFile('src/activities/power/command.test.ts'), true);
  assert.equal(isTestFile('src/activities/power/command.ts'), false);
});
