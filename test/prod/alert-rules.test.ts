/**
 * The shipped alert rules (deploy/prometheus/kernel-rollout-rules.yml) with Prometheus's own tool:
 * `promtool check rules` (syntax, PromQL, templates) and `promtool test rules` on
 * test/prod/kernel-rollout-rules.promtest.yml (input series → the alerts that must and must not
 * fire). promtool comes with Debian's prometheus package, which test:prod requires
 * (scripts/system-packages.sh prod). test/prod/prod.test.ts sees KernelRolloutHostStuck fire in
 * a real Prometheus for a host held in its trial reboot.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { RULES, ROOT, run } from './cluster';

const PROMTOOL = '/usr/bin/promtool';
const UNIT_TESTS = path.join(ROOT, 'test', 'prod', 'kernel-rollout-rules.promtest.yml');

test('promtool check rules: the shipped alert rules', async () => {
  assert.ok(fs.existsSync(PROMTOOL), `${PROMTOOL} is missing: apt-get install prometheus`);
  const r = await run([PROMTOOL, 'check', 'rules', RULES]);
  assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
  assert.match(r.stdout, /SUCCESS: 8 rules found/);
});

test('promtool test rules: each alert fires on its input series, and only then', async () => {
  const r = await run([PROMTOOL, 'test', 'rules', UNIT_TESTS]);
  assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
  assert.match(r.stdout, /SUCCESS/);
  // Every alert of the file has a unit test.
  const tests = fs.readFileSync(UNIT_TESTS, 'utf8');
  const alerts = [...fs.readFileSync(RULES, 'utf8').matchAll(/- alert: (\w+)/g)].map((m) => m[1] as string);
  assert.equal(alerts.length, 8);
  for (const a of alerts) assert.match(tests, new RegExp(`alertname: ${a}\\n\\s+exp_alerts:\\n\\s+- exp_labels`), a);
});
