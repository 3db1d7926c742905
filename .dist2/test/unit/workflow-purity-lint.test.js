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
 * The workflow-purity lint rule (eslint.config.mjs) fires on a forbidden import from every folder
 * of src/workflows, at any depth: ESLint lints a planted file in each folder (never written to
 * disk) and must report no-restricted-imports for each forbidden module, and nothing for the
 * allowed ones (types, the local activity proxies, shared types).
 */
const strict_1 = __importDefault(require("node:assert/strict"));
const node_fs_1 = require("node:fs");
const path = __importStar(require("node:path"));
const node_test_1 = require("node:test");
const eslint_1 = require("eslint");
const root = path.join(__dirname, '..', '..', '..');
const workflows = path.join(root, 'src', 'workflows');
function folders(dir) {
    return [
        dir,
        ...(0, node_fs_1.readdirSync)(dir)
            .map((n) => path.join(dir, n))
            .filter((p) => (0, node_fs_1.statSync)(p).isDirectory())
            .flatMap(folders),
    ];
}
/**
 * The project's own configuration; the planted file is not in tsconfig.json, so it is linted
 * without type information (the one rule that needs it is off for that file only).
 */
function projectEslint() {
    return new eslint_1.ESLint({
        cwd: root,
        overrideConfig: [
            {
                files: ['**/__planted__.ts'],
                languageOptions: { parserOptions: { project: null } },
                rules: { '@typescript-eslint/no-floating-promises': 'off' },
            },
        ],
    });
}
/** From `dir`, the relative specifier of a path under src/. */
function fromSrc(dir, target) {
    const rel = path.relative(dir, path.join(root, 'src', target));
    return rel.startsWith('.') ? rel : `./${rel}`;
}
(0, node_test_1.test)('every workflow folder: activities, zod schemas, ssh2, node:fs, the CLI and the worker are refused', async () => {
    const eslint = projectEslint();
    const dirs = folders(workflows);
    strict_1.default.ok(dirs.length >= 3, `src/workflows and its subfolders (found ${dirs.join(', ')})`);
    for (const dir of dirs) {
        const forbidden = [
            fromSrc(dir, 'activities/install'),
            fromSrc(dir, 'activities'),
            fromSrc(dir, 'shared/schemas'),
            fromSrc(dir, 'shared/options/power'),
            fromSrc(dir, 'cli/kernelctl'),
            fromSrc(dir, 'worker/worker'),
            'ssh2',
            'node:fs',
            'zod',
        ];
        const text = forbidden.map((m, i) => `import * as m${i} from '${m}';\nexport const v${i} = m${i};\n`).join('');
        const [result] = await eslint.lintText(text, { filePath: path.join(dir, '__planted__.ts') });
        const fatal = (result?.messages ?? []).filter((m) => m.fatal);
        strict_1.default.deepEqual(fatal, [], 'the planted file parses');
        const lines = (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.line);
        const expected = forbidden.map((_, i) => 2 * i + 1);
        strict_1.default.deepEqual(lines, expected, `${path.relative(root, dir)}: the rule fired on lines ${lines.join(', ')}`);
    }
});
(0, node_test_1.test)('allowed in workflow code: type-only imports of activities, shared types and options, @temporalio/workflow', async () => {
    const eslint = projectEslint();
    for (const dir of folders(workflows)) {
        const text = `import type { createActivities } from '${fromSrc(dir, 'activities')}';\n` +
            `import type { UpgradeResult } from '${fromSrc(dir, 'shared/types')}';\n` +
            `import type { PowerConfig } from '${fromSrc(dir, 'shared/options/power')}';\n` +
            `import { sleep } from '@temporalio/workflow';\n` +
            'export type A = ReturnType<typeof createActivities> | UpgradeResult | PowerConfig;\nexport const s = sleep;\n';
        const [result] = await eslint.lintText(text, { filePath: path.join(dir, '__planted__.ts') });
        const refused = (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports');
        strict_1.default.deepEqual(refused, [], `${path.relative(root, dir)}: ${refused.map((m) => m.message).join('; ')}`);
    }
});
//# sourceMappingURL=workflow-purity-lint.test.js.map