import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { bundleWorkflowsApart } from './bundle';

describe('bundleWorkflowsApart', () => {
  test('builds the real workflows in a child and returns code that registers them', async () => {
    const code = await bundleWorkflowsApart(require.resolve('../workflows'));
    // The SDK's bundle exports the workflows' module through __TEMPORAL__; each workflow by name.
    assert.match(code, /__TEMPORAL__/);
    for (const name of ['upgradeHostKernel', 'rolloutKernel']) assert.match(code, new RegExp(`\\b${name}\\b`), name);
  });

  test('a workflows path that does not build is refused (webpack’s own errors go to stderr, as in the worker)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kr-bundle-'));
    try {
      const entry = path.join(dir, 'index.js');
      fs.writeFileSync(entry, "export { missing } from './no-such-module';\n");
      await assert.rejects(bundleWorkflowsApart(entry), /^Error: workflow bundle: Webpack finished with errors/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
