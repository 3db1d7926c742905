// ESLint flat config: typescript-eslint's recommended rules, plus the one that matters most for
// Temporal workflows: no floating promises (an un-awaited activity is a silent bug).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Nothing outside test/ imports from test/: what ships, the simulator, the testbed, the benches and
// the scripts must build without the tests. (Reading fixture files under test/ by path is fine.)
const noTestImports = {
  group: ['**/test', '**/test/**', 'test/**'],
  message: 'only test/ may import from test/ (move the helper out of test/, or the importer into it)',
};

export default tseslint.config(
  { ignores: ['dist/', '.distcheck/', 'node_modules/', '.tools/', 'test-artifacts/', 'bin/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { project: './tsconfig.json', tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', name: ['test', 'describe', 'it', 'suite'], package: 'node:test' },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-control-regex': 'off',
    },
  },
  {
    files: ['**/*.ts', '**/*.js', '**/*.mjs'],
    ignores: ['test/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [noTestImports] }],
    },
  },
  {
    // Replaces the rule above for these files (a later block wins): keep noTestImports in it.
    files: ['src/workflows/**/*.ts'],
    rules: {
      // Workflow code must stay deterministic and free of I/O: these modules have no place there.
      'no-restricted-imports': [
        'error',
        {
          paths: [
            'ssh2',
            'zod',
            'node:fs',
            'fs',
            'node:child_process',
            'child_process',
            'node:net',
            'net',
            '@temporalio/activity',
          ],
          // Any depth: most workflow code lives in src/workflows/<folder>/ (checked by
          // test/unit/workflow-purity-lint.test.ts on a planted import in each folder).
          patterns: [
            {
              // `import type` is erased: a workflow's activity proxies name the activities' types.
              group: [
                '../**/activities',
                '../**/activities/**',
                '../**/shared/schemas',
                '../**/shared/options/**',
                '../**/cli/**',
                '../**/worker/**',
              ],
              allowTypeImports: true,
              message:
                'workflow code runs in the deterministic sandbox: no activities, zod schemas, CLI or worker modules',
            },
            noTestImports,
          ],
        },
      ],
    },
  },
);
