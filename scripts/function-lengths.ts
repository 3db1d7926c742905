/**
 * Lists the longest functions of the repository, measured with the TypeScript compiler's parser:
 *   node dist/scripts/function-lengths.js [N]      (N longest, default 10)
 * Every function counts on its own, nested ones too: declarations, methods, constructors,
 * accessors, arrow functions and function expressions. A function's length is its line span,
 * from the line of its first token (after any leading comment) to the line of its last.
 * test/unit/function-lengths.test.ts holds every function to MAX_LINES, test bodies (`test(…)`,
 * `it(…)`) too; only the callback of `describe(…)` or `suite(…)` in a test file, a list of tests, is exempt.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';

/** The folders measured, relative to the repository's root. */
export const FOLDERS = ['src', 'sim', 'testbed', 'bench', 'scripts', 'test', 'bin'] as const;

/** The most lines a function may span (a `describe`/`suite` callback in a test file aside). */
export const MAX_LINES = 100;

export interface FunctionLength {
  /** Path relative to the repository's root, with forward slashes. */
  file: string;
  /** The name it is declared or assigned under; `<callee> callback` for an argument; else `<anonymous>`. */
  name: string;
  /** 1-based line of its first token. */
  line: number;
  lines: number;
}

function isFunctionLike(node: ts.Node): node is ts.FunctionLikeDeclaration {
  return (
    ts.isFunctionDeclaration(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isConstructorDeclaration(node) ||
    ts.isGetAccessorDeclaration(node) ||
    ts.isSetAccessorDeclaration(node) ||
    ts.isArrowFunction(node) ||
    ts.isFunctionExpression(node)
  );
}

function nameText(name: ts.Node | undefined, source: ts.SourceFile): string | undefined {
  return name === undefined ? undefined : name.getText(source);
}

/** The callee of a call, shortened: `test`, `x.on`, `new Promise`. */
function calleeText(call: ts.CallExpression | ts.NewExpression, source: ts.SourceFile): string {
  const text = call.expression.getText(source).replace(/\s+/g, '');
  const short = text.length > 40 ? `${text.slice(0, 37)}...` : text;
  return ts.isNewExpression(call) ? `new ${short}` : short;
}

/** The first argument of `test('…', …)` and the like, when it is a string literal. */
function titleOf(call: ts.CallExpression | ts.NewExpression): string | undefined {
  const first = call.arguments?.[0];
  return first !== undefined && ts.isStringLiteralLike(first) ? first.text : undefined;
}

function functionName(node: ts.FunctionLikeDeclaration, source: ts.SourceFile): string {
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  const own = nameText(node.name, source);
  if (own !== undefined) return own;
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) {
    return nameText(parent.name, source) ?? '<anonymous>';
  }
  if (ts.isBinaryExpression(parent) && parent.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    return parent.left.getText(source);
  }
  if (ts.isCallExpression(parent) || ts.isNewExpression(parent)) {
    const title = titleOf(parent);
    return `${calleeText(parent, source)}${title === undefined ? '' : `('${title}')`} callback`;
  }
  return '<anonymous>';
}

/** Every function of one file's text. */
export function measureSource(file: string, text: string): FunctionLength[] {
  const kind = file.endsWith('.js') || file.endsWith('.mjs') ? ts.ScriptKind.JS : ts.ScriptKind.TS;
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, kind);
  const found: FunctionLength[] = [];
  const visit = (node: ts.Node): void => {
    if (isFunctionLike(node) && node.body !== undefined) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      found.push({ file, name: functionName(node, source), line: start + 1, lines: end - start + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) return name === 'node_modules' ? [] : sourceFiles(p);
    return /\.(ts|js|mjs)$/.test(name) && !name.endsWith('.d.ts') ? [p] : [];
  });
}

/** Every function under FOLDERS of the repository at `root` (test/fixtures left out: data). */
export function measureRepository(root: string): FunctionLength[] {
  return FOLDERS.flatMap((folder) => sourceFiles(path.join(root, folder)))
    .map((p) => path.relative(root, p).split(path.sep).join('/'))
    .filter((file) => !file.startsWith('test/fixtures/'))
    .flatMap((file) => measureSource(file, readFileSync(path.join(root, file), 'utf8')));
}

/** A file of tests (test/, or a `*.test.ts` beside its code). */
export function isTestFile(file: string): boolean {
  return file.startsWith('test/') || /\.test\.[jt]s$/.test(file);
}

/** Longest first; among equals by file and line, so the listing is stable. */
export function longest(all: FunctionLength[], n: number): FunctionLength[] {
  return [...all].sort((a, b) => b.lines - a.lines || a.file.localeCompare(b.file) || a.line - b.line).slice(0, n);
}

export function formatLine(f: FunctionLength): string {
  return `${String(f.lines).padStart(5)}  ${f.file}:${f.line}  ${f.name}`;
}

function main(): void {
  const arg = process.argv[2];
  const n = arg === undefined ? 10 : Number(arg);
  if (!Number.isInteger(n) || n < 1) {
    process.stderr.write(`function-lengths: ${arg ?? ''} needs a whole number >= 1\n`);
    process.exit(2);
  }
  const root = path.join(__dirname, '..', '..');
  for (const f of longest(measureRepository(root), n)) process.stdout.write(`${formatLine(f)}\n`);
}

if (require.main === module) main();
