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
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import * as ts from 'typescript';

const root = path.join(__dirname, '..', '..', '..');

function tsFiles(dir: string): string[] {
  return readdirSync(dir)
    .map((n) => path.join(dir, n))
    .flatMap((p) => (statSync(p).isDirectory() ? tsFiles(p) : p.endsWith('.ts') && !p.endsWith('.d.ts') ? [p] : []));
}

function compilerOptions(): ts.CompilerOptions {
  const file = path.join(root, 'tsconfig.json');
  const read = ts.readConfigFile(file, (f) => ts.sys.readFile(f));
  assert.equal(read.error, undefined, 'tsconfig.json reads');
  return ts.parseJsonConfigFileContent(read.config, ts.sys, root).options;
}

/** The module specifiers a file names, in any of the forms above. */
function specifiers(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const literal = (node: ts.Node | undefined): void => {
    if (node && ts.isStringLiteralLike(node)) found.push(node.text);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) literal(node.moduleSpecifier);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference))
      literal(node.moduleReference.expression);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) literal(node.argument.literal);
    else if (
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword ||
        (ts.isIdentifier(node.expression) && node.expression.text === 'require'))
    )
      literal(node.arguments[0]);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** File → the files of the set it imports. */
export function importGraph(files: readonly string[], options: ts.CompilerOptions): Map<string, string[]> {
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const targets = new Set<string>();
    for (const spec of specifiers(file)) {
      const resolved = ts.resolveModuleName(spec, file, options, ts.sys).resolvedModule?.resolvedFileName;
      if (resolved && known.has(path.resolve(resolved))) targets.add(path.resolve(resolved));
    }
    graph.set(file, [...targets].sort());
  }
  return graph;
}

/** The strongly connected components with more than one file, or one importing itself (Tarjan). */
export function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const connect = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) connect(v);
  return found;
}

/** One shortest loop from the component's first file back to it, inside the component. */
export function shortestLoop(graph: ReadonlyMap<string, readonly string[]>, component: readonly string[]): string[] {
  const start = component[0]!;
  const inside = new Set(component);
  const parent = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift()!;
    for (const w of graph.get(v) ?? []) {
      if (w === start) {
        const loop = [start];
        for (let u = v; u !== start; u = parent.get(u)!) loop.splice(1, 0, u);
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

function report(graph: ReadonlyMap<string, readonly string[]>, base: string): string {
  const rel = (f: string): string => path.relative(base, f);
  return cycles(graph)
    .map(
      (c) =>
        `cycle of ${c.length} file(s): ${shortestLoop(graph, c).map(rel).join(' → ')}\n  all of them: ${c.map(rel).join(', ')}`,
    )
    .join('\n');
}

test('the detector names a planted cycle, a type-only edge included, and passes a graph without one', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'import-cycles-'));
  try {
    const write = (name: string, text: string): string => {
      writeFileSync(path.join(dir, name), text);
      return path.join(dir, name);
    };
    const files = [
      write('a.ts', "import type { B } from './b';\nexport type A = B;\n"),
      write('b.ts', "export { c } from './c';\nexport type B = number;\n"),
      write('c.ts', "export const c: typeof import('./a') | null = null;\n"),
      write('d.ts', "import { c } from './c';\nexport const d = c;\n"),
    ];
    const graph = importGraph(files, compilerOptions());
    assert.deepEqual(cycles(graph), [files.slice(0, 3)]);
    assert.match(report(graph, dir), /cycle of 3 file\(s\): a\.ts → b\.ts → c\.ts → a\.ts/);
    writeFileSync(files[2]!, 'export const c = null;\n');
    assert.deepEqual(cycles(importGraph(files, compilerOptions())), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('src/ has no import cycle (type-only imports included)', () => {
  const files = tsFiles(path.join(root, 'src')).map((f) => path.resolve(f));
  assert.ok(files.length > 100, `found ${files.length} .ts files under src/`);
  const graph = importGraph(files, compilerOptions());
  const edges = [...graph.values()].reduce((n, t) => n + t.length, 0);
  assert.ok(edges > files.length, `found ${edges} imports between them`);
  const found = cycles(graph);
  assert.equal(found.length, 0, `${found.length} import cycle(s) under src/:\n${report(graph, root)}`);
});

test('src/shared imports nothing outside src/shared (it is the ground floor)', () => {
  const files = tsFiles(path.join(root, 'src')).map((f) => path.resolve(f));
  const shared = path.join(root, 'src', 'shared') + path.sep;
  const graph = importGraph(files, compilerOptions());
  const upward = [...graph]
    .filter(([from]) => from.startsWith(shared))
    .flatMap(([from, targets]) => targets.filter((t) => !t.startsWith(shared)).map((t) => [from, t] as const))
    .map(([from, t]) => `${path.relative(root, from)} → ${path.relative(root, t)}`);
  assert.deepEqual(upward, [], `src/shared imports from above it:\n${upward.join('\n')}`);
});
