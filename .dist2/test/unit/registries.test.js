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
exports.SEAMS = void 0;
exports.typeAssertions = typeAssertions;
exports.idiomProblems = idiomProblems;
/**
 * Every seam keeps the one registry idiom of src/shared/registry.ts, typed without casts: its file
 * has one `export const <name> = defineRegistry([...])` whose entries are driver module objects,
 * each imported by name from its own file beside the seam (no `import * as`) and exported there as
 * a plain `export const` (annotated with the seam's interface, or built by a typed factory). No
 * type assertion (`as …`, `<T>…`, `!`) in the seam files, their interface files or the generic
 * registry, and no file outside the seams below calls `defineRegistry` (a new seam is listed here).
 * Read with the TypeScript compiler's parser, so comments and strings cannot fool it.
 */
const strict_1 = __importDefault(require("node:assert/strict"));
const node_fs_1 = require("node:fs");
const path = __importStar(require("node:path"));
const node_test_1 = require("node:test");
const ts = __importStar(require("typescript"));
const root = path.join(__dirname, '..', '..', '..');
/** The seams: their registry file, the registry's exported name and the drivers' interface. */
exports.SEAMS = [
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
];
const parse = (rel) => ts.createSourceFile(rel, (0, node_fs_1.readFileSync)(path.join(root, rel), 'utf8'), ts.ScriptTarget.Latest, true);
const where = (sf, node) => `${sf.fileName}:${sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1}`;
/** Every node of a file, depth first. */
function nodes(sf) {
    const all = [];
    const visit = (n) => {
        all.push(n);
        ts.forEachChild(n, visit);
    };
    visit(sf);
    return all;
}
/** The type assertions of a file: `x as T` (also `as const` and `as unknown as T`), `<T>x`, `x!`. */
function typeAssertions(sf) {
    return nodes(sf)
        .filter((n) => ts.isAsExpression(n) || ts.isTypeAssertionExpression(n) || ts.isNonNullExpression(n))
        .map((n) => `${where(sf, n)}: ${n.getText(sf)}`);
}
const isDefineRegistry = (n) => ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'defineRegistry';
/** Relative specifier → the file it names, from `fromRel`'s folder. */
const resolveRel = (fromRel, spec) => path.posix.join(path.posix.dirname(fromRel), spec.replace(/^\.\//, '')) + '.ts';
/**
 * What is wrong with a seam's idiom, one line per problem (empty: the seam keeps it). Also checks
 * the drivers' own files: each entry is a named import from `./<file>` of the seam's folder that
 * exports it as `export const <entry>` with no type assertion, annotated with `iface` if at all.
 */
function idiomProblems(sf, name, iface, read = parse) {
    const problems = [];
    const calls = nodes(sf).filter(isDefineRegistry);
    if (calls.length !== 1)
        problems.push(`${sf.fileName}: ${calls.length} defineRegistry calls, expected one`);
    const imports = new Map();
    for (const st of sf.statements) {
        if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier))
            continue;
        const bindings = st.importClause?.namedBindings;
        if (bindings && ts.isNamespaceImport(bindings)) {
            problems.push(`${where(sf, st)}: \`import * as ${bindings.name.text}\`: import each driver module by name`);
        }
        else if (bindings && ts.isNamedImports(bindings) && !st.importClause?.isTypeOnly) {
            for (const el of bindings.elements)
                imports.set(el.name.text, st.moduleSpecifier.text);
        }
    }
    const registry = sf.statements
        .filter(ts.isVariableStatement)
        .flatMap((st) => st.declarationList.declarations
        .filter((d) => ts.isIdentifier(d.name) && d.name.text === name)
        .map((d) => ({ st, d })))[0];
    if (!registry)
        return [...problems, `${sf.fileName}: no \`export const ${name}\``];
    const { st, d } = registry;
    if (!st.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) ||
        !(st.declarationList.flags & ts.NodeFlags.Const))
        problems.push(`${where(sf, st)}: ${name} is not an \`export const\``);
    if (d.type)
        problems.push(`${where(sf, d)}: ${name} is annotated; its type is the one defineRegistry infers`);
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
function driverExportProblems(sf, name, iface) {
    for (const st of sf.statements) {
        if (!ts.isVariableStatement(st))
            continue;
        for (const d of st.declarationList.declarations) {
            if (!ts.isIdentifier(d.name) || d.name.text !== name)
                continue;
            const problems = [];
            if (!st.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) ||
                !(st.declarationList.flags & ts.NodeFlags.Const))
                problems.push(`${where(sf, st)}: ${name} is not an \`export const\``);
            if (d.type && !(ts.isTypeReferenceNode(d.type) && d.type.typeName.getText(sf) === iface))
                problems.push(`${where(sf, d)}: ${name} is typed ${d.type.getText(sf)}, not the seam's ${iface}`);
            if (!d.initializer ||
                ts.isAsExpression(d.initializer) ||
                ts.isTypeAssertionExpression(d.initializer) ||
                ts.isSatisfiesExpression(d.initializer))
                problems.push(`${where(sf, d)}: ${name} is not a plain value of the seam's interface`);
            return problems;
        }
    }
    return [`${sf.fileName}: does not \`export const ${name}\` (a driver file exports its module object)`];
}
function srcFiles(dir) {
    return (0, node_fs_1.readdirSync)(dir)
        .map((n) => path.join(dir, n))
        .flatMap((p) => (0, node_fs_1.statSync)(p).isDirectory() ? srcFiles(p) : p.endsWith('.ts') && !p.endsWith('.test.ts') ? [p] : []);
}
/** The seam files' own interface imports (`./x-interface`), which must be cast-free too. */
function interfaceFiles(sf) {
    return sf.statements
        .filter(ts.isImportDeclaration)
        .map((st) => st.moduleSpecifier)
        .filter(ts.isStringLiteral)
        .map((s) => s.text)
        .filter((s) => /^\.\/[a-z-]+-interface$/.test(s))
        .map((s) => resolveRel(sf.fileName, s));
}
(0, node_test_1.test)('every seam keeps the one registry idiom', () => {
    const problems = exports.SEAMS.flatMap(({ file, name, iface }) => idiomProblems(parse(file), name, iface));
    strict_1.default.deepEqual(problems, []);
});
(0, node_test_1.test)('no type assertion in the registries, their interfaces or src/shared/registry.ts', () => {
    const files = ['src/shared/registry.ts', ...exports.SEAMS.flatMap(({ file }) => [file, ...interfaceFiles(parse(file))])];
    strict_1.default.ok(files.length >= exports.SEAMS.length + 1 + 7, `the interface files were found too (${files.join(', ')})`);
    strict_1.default.deepEqual(files.flatMap((f) => typeAssertions(parse(f))), []);
});
(0, node_test_1.test)('defineRegistry is called by the seams listed here and nowhere else in src/', () => {
    const callers = srcFiles(path.join(root, 'src'))
        .map((f) => path.relative(root, f).split(path.sep).join('/'))
        .filter((rel) => nodes(parse(rel)).some(isDefineRegistry))
        .sort();
    strict_1.default.deepEqual(callers, exports.SEAMS.map((s) => s.file).sort());
});
(0, node_test_1.test)('the checks fail on the old idioms', () => {
    const planted = (text) => ts.createSourceFile('src/activities/x/seam.ts', text, ts.ScriptTarget.Latest, true);
    const driver = (name) => ts.createSourceFile('', `export const ${name}: XModule<S> = { kind: 'k' };`, ts.ScriptTarget.Latest, true);
    // A tuple of namespace modules, found with a cast.
    const castTuple = planted(`import * as apt from './apt';\nconst INSTALLERS = [apt] as const;\n` +
        `function moduleFor(s: S) { return INSTALLERS.find((m) => m.kind === s.kind) as unknown as M; }`);
    strict_1.default.equal(typeAssertions(castTuple).length, 3); // `as const`, and `as unknown as` is two
    strict_1.default.ok(idiomProblems(castTuple, 'installers', 'XModule', () => driver('apt')).length >= 2);
    // A plain array.
    const plain = planted(`import { dpkg } from './dpkg';\nexport const packageManagers: readonly P[] = [dpkg];`);
    strict_1.default.match(idiomProblems(plain, 'packageManagers', 'XModule', () => driver('dpkg')).join('\n'), /defineRegistry/);
    // The idiom itself passes; a driver exported through a cast does not.
    const good = planted(`import { dpkg } from './dpkg';\nexport const packageManagers = defineRegistry([dpkg]);`);
    strict_1.default.deepEqual(idiomProblems(good, 'packageManagers', 'XModule', () => driver('dpkg')), []);
    const castDriver = () => ts.createSourceFile('', `export const dpkg = {} as unknown as XModule<S>;`, ts.ScriptTarget.Latest, true);
    strict_1.default.equal(idiomProblems(good, 'packageManagers', 'XModule', castDriver).length, 1);
});
//# sourceMappingURL=registries.test.js.map