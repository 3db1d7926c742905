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
exports.MAX_LINES = exports.FOLDERS = void 0;
exports.measureSource = measureSource;
exports.measureRepository = measureRepository;
exports.isTestFile = isTestFile;
exports.longest = longest;
exports.formatLine = formatLine;
/**
 * Lists the longest functions of the repository, measured with the TypeScript compiler's parser:
 *   node dist/scripts/function-lengths.js [N]      (N longest, default 10)
 * Every function counts on its own, nested ones too: declarations, methods, constructors,
 * accessors, arrow functions and function expressions. A function's length is its line span,
 * from the line of its first token (after any leading comment) to the line of its last.
 * test/unit/function-lengths.test.ts holds every function to MAX_LINES, test bodies (`test(…)`,
 * `it(…)`) too; only the callback of `describe(…)` or `suite(…)` in a test file, a list of tests, is exempt.
 */
const node_fs_1 = require("node:fs");
const path = __importStar(require("node:path"));
const typescript_1 = __importDefault(require("typescript"));
/** The folders measured, relative to the repository's root. */
exports.FOLDERS = ['src', 'sim', 'testbed', 'bench', 'scripts', 'test', 'bin'];
/** The most lines a function may span (a `describe`/`suite` callback in a test file aside). */
exports.MAX_LINES = 100;
function isFunctionLike(node) {
    return (typescript_1.default.isFunctionDeclaration(node) ||
        typescript_1.default.isMethodDeclaration(node) ||
        typescript_1.default.isConstructorDeclaration(node) ||
        typescript_1.default.isGetAccessorDeclaration(node) ||
        typescript_1.default.isSetAccessorDeclaration(node) ||
        typescript_1.default.isArrowFunction(node) ||
        typescript_1.default.isFunctionExpression(node));
}
function nameText(name, source) {
    return name === undefined ? undefined : name.getText(source);
}
/** The callee of a call, shortened: `test`, `x.on`, `new Promise`. */
function calleeText(call, source) {
    const text = call.expression.getText(source).replace(/\s+/g, '');
    const short = text.length > 40 ? `${text.slice(0, 37)}...` : text;
    return typescript_1.default.isNewExpression(call) ? `new ${short}` : short;
}
/** The first argument of `test('…', …)` and the like, when it is a string literal. */
function titleOf(call) {
    const first = call.arguments?.[0];
    return first !== undefined && typescript_1.default.isStringLiteralLike(first) ? first.text : undefined;
}
function functionName(node, source) {
    if (typescript_1.default.isConstructorDeclaration(node))
        return 'constructor';
    const own = nameText(node.name, source);
    if (own !== undefined)
        return own;
    const parent = node.parent;
    if (typescript_1.default.isVariableDeclaration(parent) || typescript_1.default.isPropertyAssignment(parent) || typescript_1.default.isPropertyDeclaration(parent)) {
        return nameText(parent.name, source) ?? '<anonymous>';
    }
    if (typescript_1.default.isBinaryExpression(parent) && parent.operatorToken.kind === typescript_1.default.SyntaxKind.EqualsToken) {
        return parent.left.getText(source);
    }
    if (typescript_1.default.isCallExpression(parent) || typescript_1.default.isNewExpression(parent)) {
        const title = titleOf(parent);
        return `${calleeText(parent, source)}${title === undefined ? '' : `('${title}')`} callback`;
    }
    return '<anonymous>';
}
/** Every function of one file's text. */
function measureSource(file, text) {
    const kind = file.endsWith('.js') || file.endsWith('.mjs') ? typescript_1.default.ScriptKind.JS : typescript_1.default.ScriptKind.TS;
    const source = typescript_1.default.createSourceFile(file, text, typescript_1.default.ScriptTarget.Latest, true, kind);
    const found = [];
    const visit = (node) => {
        if (isFunctionLike(node) && node.body !== undefined) {
            const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
            const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
            found.push({ file, name: functionName(node, source), line: start + 1, lines: end - start + 1 });
        }
        typescript_1.default.forEachChild(node, visit);
    };
    visit(source);
    return found;
}
function sourceFiles(dir) {
    return (0, node_fs_1.readdirSync)(dir).flatMap((name) => {
        const p = path.join(dir, name);
        if ((0, node_fs_1.statSync)(p).isDirectory())
            return name === 'node_modules' ? [] : sourceFiles(p);
        return /\.(ts|js|mjs)$/.test(name) && !name.endsWith('.d.ts') ? [p] : [];
    });
}
/** Every function under FOLDERS of the repository at `root` (test/fixtures left out: data). */
function measureRepository(root) {
    return exports.FOLDERS.flatMap((folder) => sourceFiles(path.join(root, folder)))
        .map((p) => path.relative(root, p).split(path.sep).join('/'))
        .filter((file) => !file.startsWith('test/fixtures/'))
        .flatMap((file) => measureSource(file, (0, node_fs_1.readFileSync)(path.join(root, file), 'utf8')));
}
/** A file of tests (test/, or a `*.test.ts` beside its code). */
function isTestFile(file) {
    return file.startsWith('test/') || /\.test\.[jt]s$/.test(file);
}
/** Longest first; among equals by file and line, so the listing is stable. */
function longest(all, n) {
    return [...all].sort((a, b) => b.lines - a.lines || a.file.localeCompare(b.file) || a.line - b.line).slice(0, n);
}
function formatLine(f) {
    return `${String(f.lines).padStart(5)}  ${f.file}:${f.line}  ${f.name}`;
}
function main() {
    const arg = process.argv[2];
    const n = arg === undefined ? 10 : Number(arg);
    if (!Number.isInteger(n) || n < 1) {
        process.stderr.write(`function-lengths: ${arg ?? ''} needs a whole number >= 1\n`);
        process.exit(2);
    }
    const root = path.join(__dirname, '..', '..');
    for (const f of longest(measureRepository(root), n))
        process.stdout.write(`${formatLine(f)}\n`);
}
if (require.main === module)
    main();
//# sourceMappingURL=function-lengths.js.map