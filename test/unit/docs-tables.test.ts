import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { configTable, inputReference } from '../../src/shared/config-table';

test("docs/configuration.md's table matches the zod schemas", () => {
  const doc = readFileSync(path.join(__dirname, '..', '..', '..', 'docs', 'configuration.md'), 'utf8');
  const m = /<!-- config-table:start -->\n([\s\S]*?)\n<!-- config-table:end -->/.exec(doc);
  assert.ok(m, 'docs/configuration.md has the config-table markers');
  assert.equal(m[1], configTable(), 'regenerate with: node dist/src/shared/config-table.js');
});

test("docs/api.md's input reference (upgradeHostKernel, rolloutKernel) matches the zod schemas", () => {
  const doc = readFileSync(path.join(__dirname, '..', '..', '..', 'docs', 'api.md'), 'utf8');
  const m = /<!-- input-reference:start -->\n([\s\S]*?)\n<!-- input-reference:end -->/.exec(doc);
  assert.ok(m, 'docs/api.md has the input-reference markers');
  assert.equal(m[1], inputReference(), 'regenerate with: node dist/src/shared/config-table.js --api');
  // Every field of both inputs is there (the rollout's own fields included).
  for (const field of ['timeouts.heartbeatSeconds', 'rolloutId', 'hosts[].ssh.port', 'failureBudget', 'window']) {
    assert.match(m[1], new RegExp(`^\\| \`${field.replace(/[.[\]]/g, '\\$&')}\` \\|`, 'm'), field);
  }
});

test("the README's Ansible inventory example is the fixture the inventory tests import", () => {
  const readme = readFileSync(path.join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
  const fixture = readFileSync(
    path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'inventories', 'ansible-example.ini'),
    'utf8',
  );
  const m = /```ini\n([\s\S]*?)```/.exec(readme);
  assert.ok(m, 'README has an ```ini block');
  assert.equal(m[1], fixture);
});
