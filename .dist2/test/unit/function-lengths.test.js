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
 * No function over MAX_LINES (100) lines (scripts/function-lengths.ts measures them). That holds
 * for every function outside test files, and in test files for the helpers and for every single
 * test's body (`test(…)`, `it(…)`: one function, split into named steps when it grows); the one
 * exemption is the callback of `describe(…)` or `suite(…)`: a suite's body is a list of its tests,
 * as long as the tests are many. STILL_LONG names the functions not split yet (none now), with
 * their length: the test fails on any other function over the limit, when a listed one grows, or
 * when it is split and its entry is left behind.
 */
const strict_1 = __importDefault(require("node:assert/strict"));
const path = __importStar(require("node:path"));
const node_test_1 = require("node:test");
const function_lengths_1 = require("../../scripts/function-lengths");
const root = path.join(__dirname, '..', '..', '..');
/** `file name` → its length today: none are left; a function that has to stay long for a while goes here. */
const STILL_LONG = {};
/** The callback of `describe('…', () => …)` or `suite(…)` in a test file: a list of tests, not one. */
function isSuiteCallback(f) {
    return (0, function_lengths_1.isTestFile)(f.file) && /^(describe|suite)(\.\w+)?(\(.*\))? callback$/.test(f.name);
}
(0, node_test_1.test)(`no function over ${function_lengths_1.MAX_LINES} lines but the ones STILL_LONG names (describe/suite callbacks exempt)`, () => {
    const measured = (0, function_lengths_1.measureRepository)(root);
    const over = measured.filter((f) => f.lines > function_lengths_1.MAX_LINES && !isSuiteCallback(f));
    const unlisted = over.filter((f) => STILL_LONG[`${f.file} ${f.name}`] === undefined);
    strict_1.default.deepEqual(unlisted.map(function_lengths_1.formatLine), [], `split these into named steps (at most ${function_lengths_1.MAX_LINES} lines each)`);
    const grown = over.filter((f) => f.lines > (STILL_LONG[`${f.file} ${f.name}`] ?? Infinity));
    strict_1.default.deepEqual(grown.map(function_lengths_1.formatLine), [], 'these grew: split them rather');
    const left = Object.keys(STILL_LONG).filter((k) => !over.some((f) => `${f.file} ${f.name}` === k));
    strict_1.default.deepEqual(left, [], 'no longer over the limit: remove their STILL_LONG entries');
});
(0, node_test_1.test)('measures nested functions on their own, by line span, under the names they are assigned to', () => {
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
    const got = (0, function_lengths_1.measureSource)('x.ts', text).map((f) => `${f.name}@${f.line}:${f.lines}`);
    strict_1.default.deepEqual(got, ['outer@2:8', 'inner@3:3', 'on callback@6:3', 'm@11:1', "test('a title') callback@13:2"]);
});
(0, node_test_1.test)('a single test body over the limit is caught; a describe body holding it is not', () => {
    const steps = Array.from({ length: function_lengths_1.MAX_LINES - 1 }, (_, i) => `    assert.ok(${i});`);
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
    const over = (0, function_lengths_1.measureSource)('test/unit/x.test.ts', text).filter((f) => f.lines > function_lengths_1.MAX_LINES);
    strict_1.default.deepEqual(over.filter((f) => !isSuiteCallback(f)).map((f) => `${f.name}:${f.lines}`), [`test('one long test') callback:${function_lengths_1.MAX_LINES + 1}`, `it('another') callback:${function_lengths_1.MAX_LINES + 1}`]);
    strict_1.default.deepEqual(over.filter(isSuiteCallback).map((f) => f.name), ["describe('a suite') callback"]);
});
(0, node_test_1.test)('the listing is longest first; test files are told apart', () => {
    const fs = [
        { file: 'a.ts', name: 'short', line: 1, lines: 3 },
        { file: 'b.ts', name: 'long', line: 9, lines: 30 },
        { file: 'a.ts', name: 'mid', line: 5, lines: 10 },
    ];
    strict_1.default.deepEqual((0, function_lengths_1.longest)(fs, 2).map((f) => f.name), ['long', 'mid']);
    strict_1.default.equal((0, function_lengths_1.isTestFile)('test/unit/x.test.ts'), true);
    strict_1.default.equal((0, function_lengths_1.isTestFile)('test/helpers/fake-host.ts'), true);
    strict_1.default.equal((0, function_lengths_1.isTestFile)('src/activities/power/command.test.ts'), true);
    strict_1.default.equal((0, function_lengths_1.isTestFile)('src/activities/power/command.ts'), false);
});
//# sourceMappingURL=function-lengths.test.js.map