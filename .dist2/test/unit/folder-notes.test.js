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
 * Every folder says what it is for, one way: the header comment of its index.ts where it has one
 * (the module that speaks for the folder), else a short README.md. Checked for every folder under
 * src/, bench/, sim/, testbed/ and test/ (test/fixtures itself, not the captured data below it).
 */
const strict_1 = __importDefault(require("node:assert/strict"));
const node_fs_1 = require("node:fs");
const node_os_1 = require("node:os");
const path = __importStar(require("node:path"));
const node_test_1 = require("node:test");
const root = path.join(__dirname, '..', '..', '..');
/** The folders that must carry a note, relative to the repository's root. */
const TREES = ['src', 'bench', 'sim', 'testbed', 'test'];
/** Below these, folders are data (captured outputs, recorded histories), described by the folder above. */
const DATA = new Set(['test/fixtures']);
/** The fewest characters of prose a note must have to say anything. */
const MIN_NOTE = 40;
/**
 * A folder's note, or why it has none: the text of index.ts's leading comment (before any code),
 * else README.md's text.
 */
function folderNote(dir) {
    const index = path.join(dir, 'index.ts');
    if (exists(index)) {
        const m = /^\s*\/\*\*([\s\S]*?)\*\//.exec((0, node_fs_1.readFileSync)(index, 'utf8'));
        const text = m?.[1]?.replace(/^\s*\*/gm, ' ').trim() ?? '';
        return text.length >= MIN_NOTE
            ? { note: text }
            : { missing: 'index.ts does not start with a comment saying what the folder is for' };
    }
    const readme = path.join(dir, 'README.md');
    if (exists(readme)) {
        const text = (0, node_fs_1.readFileSync)(readme, 'utf8').replace(/^#.*$/gm, '').trim();
        return text.length >= MIN_NOTE ? { note: text } : { missing: 'README.md says nothing beyond its title' };
    }
    return { missing: 'neither an index.ts with a header comment nor a README.md' };
}
function exists(p) {
    try {
        (0, node_fs_1.statSync)(p);
        return true;
    }
    catch {
        return false;
    }
}
/** `rel` and every folder below it, relative to the root, not descending into DATA. */
function folders(rel) {
    if (DATA.has(rel))
        return [rel];
    const below = (0, node_fs_1.readdirSync)(path.join(root, rel), { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .flatMap((e) => folders(`${rel}/${e.name}`));
    return [rel, ...below];
}
(0, node_test_1.test)('every folder of src/, bench/, sim/, testbed/ and test/ says what it is for', () => {
    const all = TREES.flatMap(folders);
    strict_1.default.ok(all.includes('src/activities/steps') && all.includes('test/unit'), `walked: ${all.join(', ')}`);
    const missing = all.flatMap((rel) => {
        if (rel === 'src')
            return []; // README.md's layout table speaks for src/ itself
        const r = folderNote(path.join(root, rel));
        return 'missing' in r ? [`${rel}: ${r.missing}`] : [];
    });
    strict_1.default.deepEqual(missing, []);
});
(0, node_test_1.test)('a folder without a note, or with an index.ts that starts with code, is told apart', () => {
    const tmp = (0, node_fs_1.mkdtempSync)(path.join((0, node_os_1.tmpdir)(), 'kr-folder-notes-'));
    try {
        const dir = (name) => {
            (0, node_fs_1.mkdirSync)(path.join(tmp, name));
            return path.join(tmp, name);
        };
        const bare = dir('bare');
        (0, node_fs_1.writeFileSync)(path.join(bare, 'a.ts'), 'export const a = 1;\n');
        strict_1.default.ok('missing' in folderNote(bare));
        const code = dir('code');
        (0, node_fs_1.writeFileSync)(path.join(code, 'index.ts'), "export { a } from './a';\n/** too late to be the folder's note, and short */\n");
        strict_1.default.ok('missing' in folderNote(code));
        const title = dir('title');
        (0, node_fs_1.writeFileSync)(path.join(title, 'README.md'), '# title\n');
        strict_1.default.ok('missing' in folderNote(title));
        const headed = dir('headed');
        (0, node_fs_1.writeFileSync)(path.join(headed, 'index.ts'), '/**\n * The drivers of one seam, one module each, and their registry.\n */\nexport {};\n');
        strict_1.default.deepEqual(folderNote(headed), { note: 'The drivers of one seam, one module each, and their registry.' });
        const readme = dir('readme');
        (0, node_fs_1.writeFileSync)(path.join(readme, 'README.md'), "# readme\n\nThe simulated hosts' boot-layer tools, run in their sandboxes.\n");
        strict_1.default.ok('note' in folderNote(readme));
    }
    finally {
        (0, node_fs_1.rmSync)(tmp, { recursive: true, force: true });
    }
});
//# sourceMappingURL=folder-notes.test.js.map