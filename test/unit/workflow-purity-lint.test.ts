/**
 * The workflow-purity lint rule (eslint.config.mjs) fires on a forbidden import from every folder
 * of src/workflows, at any depth: ESLint lints a planted file in each folder (never written to
 * disk) and must report no-restricted-imports for each forbidden module, and nothing for the
 * allowed ones (types, the local activity proxies, shared types).
 */
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { ESLint } from 'eslint';

const root = path.join(__dirname, '..', '..', '..');
const workflows = path.join(root, 'src', 'workflows');

function folders(dir: string): string[] {
  return [
    dir,
    ...readdirSync(dir)
      .map((n) => path.join(dir, n))
      .filter((p) => statSync(p).isDirectory())
      .flatMap(folders),
  ];
}

/**
 * The project's own configuration; the planted file is not in tsconfig.json, so it is linted
 * without type information (the one rule that needs it is off for that file only).
 */
function projectEslint(): ESLint {
  return new ESLint({
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
function fromSrc(dir: string, target: string): string {
  const rel = path.relative(dir, path.join(root, 'src', target));
  return rel.startsWith('.') ? rel : `./${rel}`;
}

test('every workflow folder: activities, zod schemas, ssh2, node:fs, the CLI and the worker are refused', async () => {
  const eslint = projectEslint();
  const dirs = folders(workflows);
  assert.ok(dirs.length >= 3, `src/workflows and its subfolders (found ${dirs.join(', ')})`);
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
    assert.deepEqual(fatal, [], 'the planted file parses');
    const lines = (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.line);
    const expected = forbidden.map((_, i) => 2 * i + 1);
    assert.deepEqual(lines, expected, `${path.relative(root, dir)}: the rule fired on lines ${lines.join(', ')}`);
  }
});

test('allowed in workflow code: type-only imports of activities, shared types and options, @temporalio/workflow', async () => {
  const eslint = projectEslint();
  for (const dir of folders(workflows)) {
    const text =
      `import type { createActivities } from '${fromSrc(dir, 'activities')}';\n` +
      `import type { UpgradeResult } from '${fromSrc(dir, 'shared/types')}';\n` +
      `import type { PowerConfig } from '${fromSrc(dir, 'shared/options/power')}';\n` +
      `import { sleep } from '@temporalio/workflow';\n` +
      'export type A = ReturnType<typeof createActivities> | UpgradeResult | PowerConfig;\nexport const s = sleep;\n';
    const [result] = await eslint.lintText(text, { filePath: path.join(dir, '__planted__.ts') });
    const refused = (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports');
    assert.deepEqual(refused, [], `${path.relative(root, dir)}: ${refused.map((m) => m.message).join('; ')}`);
  }
});
