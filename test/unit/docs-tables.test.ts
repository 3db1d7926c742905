import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { configTable } from '../../src/shared/config-table';

test("docs/configuration.md's table matches the zod schemas", () => {
  const doc = readFileSync(path.join(__dirname, '..', '..', '..', 'docs', 'configuration.md'), 'utf8');
  const m = /<!-- config-table:start -->\n([\s\S]*?)\n<!-- config-table:end -->/.exec(doc);
  assert.ok(m, 'docs/configuration.md has the config-table markers');
  assert.equal(m[1], configTable(), 'regenerate with: node dist/src/shared/config-table.js');
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
