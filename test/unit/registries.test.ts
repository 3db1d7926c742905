/**
 * Every seam keeps the one registry idiom of src/shared/registry.ts, typed without casts: its file
 * has one `export const <name> = defineRegistry([...])` whose entries are driver module objects,
 * each imported by name from its own file beside the seam (no `import * as`) and exported there as
 * a plain `export const` (annotated with the seam's interface, or built by a typed factory). No
 * type assertion (`as …`, `<T>…`, `!`) in the seam files, their interface files or the generic
 * registry, and no file outside the seams below calls `defineRegistry` (a new seam is listed here).
 * Read with the TypeScript compiler's parser, so comments and strings cannot fool it.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import * as ts from 'typescript';

const root = path.join(__dirname, '..', '..', '..');

/** The seams: their registry file, the registry's exported name and the drivers' interface. */
export const SEAMS = [
  {
    seam: 'bootloader',
    file: 'src/activities/bootloader/bootloader.ts',
    name: 'bootloaders',
    iface: 'BootloaderDriver',
  },
  {
    seam: 'package manager',
    file: 'src/activities/install/package-manager.ts',
    name: 'packageManagers',
    iface: 'PackageManager',
  },
  { seam: 'installer', file: 'src/activities/install/installer.ts', name: 'installers', iface: 'InstallerModule' },
  { seam: 'power', file: 'src/activities/power/driver.ts', name: 'powerDrivers', iface: 'PowerDriverModule' },
  { seam: 'health check', file: 'src/activities/health/check.ts', name: 'healthChecks', iface: 'HealthCheckModule' },
  { seam: 'build source', file: 'src/activities/build/source/source.ts', name: 'sources', iface: 'SourceModule' },
  {
    seam: 'build config',
    file: 'src/activities/build/config/config-base.ts',
    name: 'configBases',
    iface: 'ConfigBaseModule',
  },
] as const;

const parse = (rel: string): ts.SourceFile =>
  ts.createSourceFile(rel, readFileSync(path.join(root, rel), 'utf8'), ts.ScriptTarget.Latest, true);

const where = (sf: ts.SourceFile, node: ts.Node): string =>
  `${sf.fileName}:${sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1}`;

/** Every node of a file, depth first. */
function nodes(sf: ts.SourceFile): ts.Node[] {
  const all: ts.Node[] = [];
  const visit = (n: ts.Node): void => {
    all.push(n);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return all;
}

/** The type assertions of a file: `x as T` (also `as const` and `as unknown as T`), `<T>x`, `x!`. */
export function typeAssertions(sf: ts.SourceFile): string[] {
  return nodes(sf)
    .filter((n) => ts.isAsExpression(n) || ts.isTypeAssertionExpression(n) || ts.isNonNullExpression(n))
    .map((n) => `${where(sf, n)}: ${n.getText(sf)}`);
}

const isDefineRegistry = (n: ts.Node): n is ts.CallExpression =>
  ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'defineRegistry';

/** Relative specifier → the file it names, from `fromRel`'s folder. */
const resolveRel = (fromRel: string, spec: string): string =>
  path.posix.join(path.posix.dirname(fromRel), spec.replace(/^\.\//, '')) + '.ts';

/**
 * What is wrong with a seam's idiom, one line per problem (empty: the seam keeps it). Also checks
 * the drivers' own files: each entry is a named import from `./<file>` of the seam's folder that
 * exports it as `export const <entry>` with no type assertion, annotated with `iface` if at all.
 */
export function idiomProblems(sf: ts.SourceFile, name: string, iface: string, read = parse): string[] {
  const problems: string[] = [];
  const calls = nodes(sf).filter(isDefineRegistry);
  if (calls.length !== 1) problems.push(`${sf.fileName}: ${calls.length} defineRegistry calls, expected one`);
  const imports = new Map<string, string>();
  for (const st of sf.statements) {
    if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier)) continue;
    const bindings = st.importClause?.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) {
      problems.push(`${where(sf, st)}: \`import * as ${bindings.name.text}\`: import each driver module by name`);
    } else if (bindings && ts.isNamedImports(bindings) && !st.importClause?.isTypeOnly) {
      for (const el of bindings.elements) imports.set(el.name.text, st.moduleSpecifier.text);
    }
  }
  const registry = sf.statements
    .filter(ts.isVariableStatement)
    .flatMap((st) =>
      st.declarationList.declarations
        .filter((d) => ts.isIdentifier(d.name) && d.name.text === name)
        .map((d) => ({ st, d })),
    )[0];
  if (!registry) return [...problems, `${sf.fileName}: no \`export const ${name}\``];
  const { st, d } = registry;
  if (
    !st.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) ||
    !(st.declarationList.flags & ts.NodeFlags.Const)
  )
    problems.push(`${where(sf, st)}: ${name} is not an \`export const\``);
  if (d.type) problems.push(`${where(sf, d)}: ${name} is annotated; its type is the one defineRegistry infers`);
  const init = d.initializer;
  if (!init || !isDefineRegistry(init))
    return [...problems, `${where(sf, d)}: ${name} is not \`defineRegistry([...])\``];
  const list = init.arguments[0];
  if (init.arguments.length !== 1 || !list || !ts.isArrayLiteralExpression(list))
    return [...problems, `${where(sf, init)}: defineRegistry takes one array literal of driver modules`];
  for (const el of list.elements) {
    if (!ts.isIdentifier(el)) {
      problems.push(`${where(sf, el)}: registry entry \`${el.getText(sf)}\` is not a driver module's name`);
      continue;
    }
    const spec = imports.get(el.text);
    if (!spec || !/^\.\/[a-z0-9-]+$/.test(spec)) {
      problems.push(`${where(sf, el)}: ${el.text} is not imported by name from a driver file beside the registry`);
      continue;
    }
    const driverFile = read(resolveRel(sf.fileName, spec));
    problems.push(...driverExportProblems(driverFile, el.text, iface));
  }
  return problems;
}

/** The driver file exports `name` as a plain `export const`, without a type assertion. */
function driverExportProblems(sf: ts.SourceFile, name: string, iface: string): string[] {
  for (const st of sf.statements) {
    if (!ts.isVariableStatement(st)) continue;
    for (const d of st.declarationList.declarations) {
      if (!ts.isIdentifier(d.name) || d.name.text !== name) continue;
      const problems: string[] = [];
      if (
        !st.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) ||
        !(st.declarationList.flags & ts.NodeFlags.Const)
      )
        problems.push(`${where(sf, st)}: ${name} is not an \`export const\``);
      if (d.type && !(ts.isTypeReferenceNode(d.type) && d.type.typeName.getText(sf) === iface))
        problems.push(`${where(sf, d)}: ${name} is typed ${d.type.getText(sf)}, not the seam's ${iface}`);
      if (
        !d.initializer ||
        ts.isAsExpression(d.initializer) ||
        ts.isTypeAssertionExpression(d.initializer) ||
        ts.isSatisfiesExpression(d.initializer)
      )
        problems.push(`${where(sf, d)}: ${name} is not a plain value of the seam's interface`);
      return problems;
    }
  }
  return [`${sf.fileName}: does not \`export const ${name}\` (a driver file exports its module object)`];
}

function srcFiles(dir: string): string[] {
  return readdirSync(dir)
    .map((n) => path.join(dir, n))
    .flatMap((p) =>
      statSync(p).isDirectory() ? srcFiles(p) : p.endsWith('.ts') && !p.endsWith('.test.ts') ? [p] : [],
    );
}

/** The seam files' own interface imports (`./x-interface`), which must be cast-free too. */
function interfaceFiles(sf: ts.SourceFile): string[] {
  return sf.statements
    .filter(ts.isImportDeclaration)
    .map((st) => st.moduleSpecifier)
    .filter(ts.isStringLiteral)
    .map((s) => s.text)
    .filter((s) => /^\.\/[a-z-]+-interface$/.test(s))
    .map((s) => resolveRel(sf.fileName, s));
}

test('every seam keeps the one registry idiom', () => {
  const problems = SEAMS.flatMap(({ file, name, iface }) => idiomProblems(parse(file), name, iface));
  assert.deepEqual(problems, []);
});

test('no type assertion in the registries, their interfaces or src/shared/registry.ts', () => {
  const files = ['src/shared/registry.ts', ...SEAMS.flatMap(({ file }) => [file, ...interfaceFiles(parse(file))])];
  assert.ok(files.length >= SEAMS.length + 1 + 7, `the interface files were found too (${files.join(', ')})`);
  assert.deepEqual(
    files.flatMap((f) => typeAssertions(parse(f))),
    [],
  );
});

test('defineRegistry is called by the seams listed here and nowhere else in src/', () => {
  const callers = srcFiles(path.join(root, 'src'))
    .map((f) => path.relative(root, f).split(path.sep).join('/'))
    .filter((rel) => nodes(parse(rel)).some(isDefineRegistry))
    .sort();
  assert.deepEqual(callers, SEAMS.map((s) => s.file).sort());
});

test('the checks fail on the old idioms', () => {
  const planted = (text: string): ts.SourceFile =>
    ts.createSourceFile('src/activities/x/seam.ts', text, ts.ScriptTarget.Latest, true);
  const driver = (name: string) =>
    ts.createSourceFile('', `export const ${name}: XModule<S> = { kind: 'k' };`, ts.ScriptTarget.Latest, true);
  // A tuple of namespace modules, found with a cast.
  const castTuple = planted(
    `import * as apt from './apt';\nconst INSTALLERS = [apt] as const;\n` +
      `function moduleFor(s: S) { return INSTALLERS.find((m) => m.kind === s.kind) as unknown as M; }`,
  );
  assert.equal(typeAssertions(castTuple).length, 3); // `as const`, and `as unknown as` is two
  assert.ok(idiomProblems(castTuple, 'installers', 'XModule', () => driver('apt')).length >= 2);
  // A plain array.
  const plain = planted(`import { dpkg } from './dpkg';\nexport const packageManagers: readonly P[] = [dpkg];`);
  assert.match(idiomProblems(plain, 'packageManagers', 'XModule', () => driver('dpkg')).join('\n'), /defineRegistry/);
  // The idiom itself passes; a driver exported through a cast does not.
  const good = planted(`import { dpkg } from './dpkg';\nexport const packageManagers = defineRegistry([dpkg]);`);
  assert.deepEqual(
    idiomProblems(good, 'packageManagers', 'XModule', () => driver('dpkg')),
    [],
  );
  const castDriver = () =>
    ts.createSourceFile('', `export const dpkg = {} as unknown as XModule<S>;`, ts.ScriptTarget.Latest, true);
  assert.equal(idiomProblems(good, 'packageManagers', 'XModule', castDriver).length, 1);
});
