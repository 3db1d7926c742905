/**
 * The light client entry point, `kernel-rollout/client` (package.json `exports`): a fresh node
 * process requires it by that name (the package's self-reference, so the exports map is what
 * resolves it) and lists every module it loaded. None is ssh2, an activity, the worker or
 * Temporal's worker SDK: a service that only starts and steers upgrades does not load the code
 * that talks SSH to hosts. The count is printed (it is the Temporal client, zod and src/shared).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';

const root = path.join(__dirname, '..', '..', '..');

/** Runs `script` in a child node in the repository's root; its last line of stdout as JSON. */
function inChild<T>(script: string): T {
  const out = execFileSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop() ?? 'null') as T;
}

const LOAD = `
const entry = require('kernel-rollout/client');
console.log(JSON.stringify({
  resolved: require.resolve('kernel-rollout/client'),
  exports: Object.keys(entry).sort(),
  modules: Object.keys(require.cache),
}));`;

test('kernel-rollout/client loads no ssh2, no activity, no worker', (t) => {
  const { resolved, exports, modules } = inChild<{ resolved: string; exports: string[]; modules: string[] }>(LOAD);
  assert.equal(resolved, path.join(root, 'dist', 'src', 'client', 'index.js'));
  for (const name of ['HostUpgradeClient', 'RolloutControl', 'startRollout', 'startBuild', 'InvalidInputError']) {
    assert.ok(exports.includes(name), `the entry exports ${name} (it exports ${exports.join(', ')})`);
  }
  const rel = modules.map((m) => path.relative(root, m).split(path.sep).join('/'));
  const forbidden = rel.filter((m) =>
    /^(node_modules\/ssh2\/|dist\/src\/activities\/|dist\/src\/worker\/|node_modules\/@temporalio\/worker\/)/.test(m),
  );
  assert.deepEqual(forbidden, [], `requiring kernel-rollout/client loaded ${forbidden.length} of them`);
  const ours = rel.filter((m) => m.startsWith('dist/'));
  t.diagnostic(`kernel-rollout/client: ${modules.length} modules loaded, ${ours.length} of them this project's`);
});

test("the entry's types are the client's source; the compiled paths still resolve by their old names", () => {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    exports: Record<string, { types: string; default: string } | string>;
  };
  const client = pkg.exports['./client'];
  assert.ok(typeof client === 'object' && existsSync(path.join(root, client.types)), 'types file exists');
  const resolved = inChild<string[]>(
    `console.log(JSON.stringify(['kernel-rollout/dist/src/client/rollout', 'kernel-rollout/dist/src/client/rollout.js', 'kernel-rollout/package.json'].map((m) => require.resolve(m))));`,
  );
  assert.deepEqual(resolved, [
    path.join(root, 'dist', 'src', 'client', 'rollout.js'),
    path.join(root, 'dist', 'src', 'client', 'rollout.js'),
    path.join(root, 'package.json'),
  ]);
});
