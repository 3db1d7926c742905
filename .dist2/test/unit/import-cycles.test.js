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
exports.importGraph = importGraph;
exports.cycles = cycles;
exports.shortestLoop = shortestLoop;
/**
 * The import graph of src/ has no cycle. Every .ts file under src/ (tests beside the code
 * included; bin/ holds JavaScript only) is a node; every import of another one is an edge:
 * `import`, `import type`, `export … from`, `import x = require(…)`, `import('…')` and
 * `typeof import('…')` types. Type-only edges count: a type-level cycle ties its files together
 * just the same (a change to one re-checks all, and one value import later makes it a run-time
 * cycle). Specifiers are resolved the way tsc resolves them (the typescript compiler API, with
 * tsconfig.json's options).
 *
 * On failure the message names each cycle: the files of each strongly connected component and one
 * shortest loop through it. And src/shared, which everything imports, imports nothing outside
 * itself (the layering that keeps the graph acyclic; docs/design.md, module layout).
 */
const strict_1 = __importDefault(require("node:assert/strict"));
const node_fs_1 = require("node:fs");
const node_os_1 = require("node:os");
const path = __importStar(require("node:path"));
const node_test_1 = require("node:test");
const ts = __importStar(require("typescript"));
const root = path.join(__dirname, '..', '..', '..');
function tsFiles(dir) {
    return (0, node_fs_1.readdirSync)(dir)
        .map((n) => path.join(dir, n))
        .flatMap((p) => ((0, node_fs_1.statSync)(p).isDirectory() ? tsFiles(p) : p.endsWith('.ts') && !p.endsWith('.d.ts') ? [p] : []));
}
function compilerOptions() {
    const file = path.join(root, 'tsconfig.json');
    const read = ts.readConfigFile(file, (f) => ts.sys.readFile(f));
    strict_1.default.equal(read.error, undefined, 'tsconfig.json reads');
    return ts.parseJsonConfigFileContent(read.config, ts.sys, root).options;
}
/** The module specifiers a file names, in any of the forms above. */
function specifiers(file) {
    const source = ts.createSourceFile(file, (0, node_fs_1.readFileSync)(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const found = [];
    const literal = (node) => {
        if (node && ts.isStringLiteralLike(node))
            found.push(node.text);
    };
    const visit = (node) => {
        if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node))
            literal(node.moduleSpecifier);
        else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference))
            literal(node.moduleReference.expression);
        else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument))
            literal(node.argument.literal);
        else if (ts.isCallExpression(node) &&
            (node.expression.kind === ts.SyntaxKind.ImportKeyword ||
                (ts.isIdentifier(node.expression) && node.expression.text === 'require')))
            literal(node.arguments[0]);
        ts.forEachChild(node, visit);
    };
    visit(source);
    return found;
}
/** File → the files of the set it imports. */
function importGraph(files, options) {
    const known = new Set(files);
    const graph = new Map();
    for (const file of files) {
        const targets = new Set();
        for (const spec of specifiers(file)) {
            const resolved = ts.resolveModuleName(spec, file, options, ts.sys).resolvedModule?.resolvedFileName;
            if (resolved && known.has(path.resolve(resolved)))
                targets.add(path.resolve(resolved));
        }
        graph.set(file, [...targets].sort());
    }
    return graph;
}
/** The strongly connected components with more than one file, or one importing itself (Tarjan). */
function cycles(graph) {
    let next = 0;
    const index = new Map();
    const low = new Map();
    const stack = [];
    const onStack = new Set();
    const found = [];
    const connect = (v) => {
        index.set(v, next);
        low.set(v, next);
        next++;
        stack.push(v);
        onStack.add(v);
        for (const w of graph.get(v) ?? []) {
            if (!index.has(w)) {
                connect(w);
                low.set(v, Math.min(low.get(v), low.get(w)));
            }
            else if (onStack.has(w))
                low.set(v, Math.min(low.get(v), index.get(w)));
        }
        if (low.get(v) === index.get(v)) {
            const component = [];
            let w;
            do {
                w = stack.pop();
                onStack.delete(w);
                component.push(w);
            } while (w !== v);
            if (component.length > 1 || (graph.get(v) ?? []).includes(v))
                found.push(component.sort());
        }
    };
    for (const v of [...graph.keys()].sort())
        if (!index.has(v))
            connect(v);
    return found;
}
/** One shortest loop from the component's first file back to it, inside the component. */
function shortestLoop(graph, component) {
    const start = component[0];
    const inside = new Set(component);
    const parent = new Map();
    const queue = [start];
    while (queue.length > 0) {
        const v = queue.shift();
        for (const w of graph.get(v) ?? []) {
            if (w === start) {
                const loop = [start];
                for (let u = v; u !== start; u = parent.get(u))
                    loop.splice(1, 0, u);
                return [...loop, start];
            }
            if (inside.has(w) && !parent.has(w)) {
                parent.set(w, v);
                queue.push(w);
            }
        }
    }
    return [start];
}
function report(graph, base) {
    const rel = (f) => path.relative(base, f);
    return cycles(graph)
        .map((c) => `cycle of ${c.length} file(s): ${shortestLoop(graph, c).map(rel).join(' → ')}\n  all of them: ${c.map(rel).join(', ')}`)
        .join('\n');
}
(0, node_test_1.test)('the detector names a planted cycle, a type-only edge included, and passes a graph without one', () => {
    const dir = (0, node_fs_1.mkdtempSync)(path.join((0, node_os_1.tmpdir)(), 'import-cycles-'));
    try {
        const write = (name, text) => {
            (0, node_fs_1.writeFileSync)(path.join(dir, name), text);
            return path.join(dir, name);
        };
        const files = [
            write('a.ts', "import type { B } from './b';\nexport type A = B;\n"),
            write('b.ts', "export { c } from './c';\nexport type B = number;\n"),
            write('c.ts', "export const c: typeof import('./a') | null = null;\n"),
            write('d.ts', "import { c } from './c';\nexport const d = c;\n"),
        ];
        const graph = importGraph(files, compilerOptions());
        strict_1.default.deepEqual(cycles(graph), [files.slice(0, 3)]);
        strict_1.default.match(report(graph, dir), /cycle of 3 file\(s\): a\.ts → b\.ts → c\.ts → a\.ts/);
        (0, node_fs_1.writeFileSync)(files[2], 'export const c = null;\n');
        strict_1.default.deepEqual(cycles(importGraph(files, compilerOptions())), []);
    }
    finally {
        (0, node_fs_1.rmSync)(dir, { recursive: true, force: true });
    }
});
(0, node_test_1.test)('src/ has no import cycle (type-only imports included)', () => {
    const files = tsFiles(path.join(root, 'src')).map((f) => path.resolve(f));
    strict_1.default.ok(files.length > 100, `found ${files.length} .ts files under src/`);
    const graph = importGraph(files, compilerOptions());
    const edges = [...graph.values()].reduce((n, t) => n + t.length, 0);
    strict_1.default.ok(edges > files.length, `found ${edges} imports between them`);
    const found = cycles(graph);
    strict_1.default.equal(found.length, 0, `${found.length} import cycle(s) under src/:\n${report(graph, root)}`);
});
(0, node_test_1.test)('src/shared imports nothing outside src/shared (it is the ground floor)', () => {
    const files = tsFiles(path.join(root, 'src')).map((f) => path.resolve(f));
    const shared = path.join(root, 'src', 'shared') + path.sep;
    const graph = importGraph(files, compilerOptions());
    const upward = [...graph]
        .filter(([from]) => from.startsWith(shared))
        .flatMap(([from, targets]) => targets.filter((t) => !t.startsWith(shared)).map((t) => [from, t]))
        .map(([from, t]) => `${path.relative(root, from)} → ${path.relative(root, t)}`);
    strict_1.default.deepEqual(upward, [], `src/shared imports from above it:\n${upward.join('\n')}`);
});
//# sourceMappingURL=import-cycles.test.js.map