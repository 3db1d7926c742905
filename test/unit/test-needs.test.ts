/**
 * `npm run test:unit` needs nothing but node and the npm packages: every test file under `src`
 * and `test/unit` that starts a real sshd (testbed/sshd.ts, testbed/tool-host.ts), the fleet
 * simulator (bubblewrap) or qemu says so in its name (`x.ssh.test.ts`, `x.sim.test.ts`,
 * `x.qemu.test.ts`; scripts/run-tests.ts), so that `--needs-nothing` leaves it out and `npm test`
 * runs it. A Temporal server is for test/workflow and the suites after it, never these folders.
 * Read from the sources, so a new test that starts an sshd under a plain name fails here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { NEEDS, needOf } from '../../scripts/run-tests';

const root = path.join(__dirname, '..', '..', '..');

/** Test files that need something but cannot be renamed yet: none now. */
const NOT_YET_RENAMED: Record<string, keyof typeof NEEDS> = {};

function testFiles(dir: string): string[] {
  return readdirSync(path.join(root, dir)).flatMap((name) => {
    const rel = path.join(dir, name);
    if (statSync(path.join(root, rel)).isDirectory()) return testFiles(rel);
    return name.endsWith('.test.ts') ? [rel] : [];
  });
}

/** What a test's source shows it needs: the heaviest first (an sshd test may also use the simulator). */
export function neededBy(source: string): keyof typeof NEEDS | 'temporal' | undefined {
  if (/TEMPORAL_ADDRESS|helpers\/temporal'|TestWorkflowEnvironment|with-temporal/.test(source)) return 'temporal';
  if (/from '[./]*testbed\/(sshd|tool-host)'/.test(source)) return 'ssh';
  if (/from '[./]*sim\/simulator'/.test(source)) return 'sim';
  if (/qemu-system-x86_64/.test(source)) return 'qemu';
  return undefined;
}

test('what a source needs is read from what it starts', () => {
  assert.equal(neededBy("import { startSshd } from '../../../testbed/sshd';"), 'ssh');
  assert.equal(neededBy("import { startToolHost } from '../../../testbed/tool-host';"), 'ssh');
  assert.equal(
    neededBy("import { startSshd } from '../../testbed/sshd';\nimport { startSimulator } from '../../sim/simulator';"),
    'ssh',
  );
  assert.equal(neededBy("import { startSimulator } from '../../../sim/simulator';"), 'sim');
  assert.equal(neededBy("const QEMU = 'qemu-system-x86_64';"), 'qemu');
  assert.equal(neededBy("const address = process.env['TEMPORAL_ADDRESS'];"), 'temporal');
  assert.equal(neededBy("import { parseFacts } from '../../src/activities/steps/host-facts';"), undefined);
  assert.equal(needOf('dist/src/activities/steps/reboot.ssh.test.js'), 'ssh');
  assert.equal(needOf('src/activities/install/apt.sim.test.ts'), 'sim');
  assert.equal(needOf('src/activities/build/run.test.ts'), undefined);
  assert.equal(needOf('test/unit/deb-archive.test.js'), undefined);
});

test('every test under src and test/unit that needs an sshd, the simulator or qemu is named for it', () => {
  // This file's own samples above would read as needs; system-packages.test.ts names the
  // programs as data (stand-in files in a made-up tree) and runs none of them.
  const namesOnly = [
    path.join('test', 'unit', 'test-needs.test.ts'),
    path.join('test', 'unit', 'system-packages.test.ts'),
  ];
  const files = [...testFiles('src'), ...testFiles(path.join('test', 'unit'))].filter((f) => !namesOnly.includes(f));
  assert.ok(files.length > 40, `found ${files.length} test files`);
  const wrong: string[] = [];
  for (const file of files) {
    const needs = neededBy(readFileSync(path.join(root, file), 'utf8'));
    const named = needOf(file) ?? NOT_YET_RENAMED[file];
    if (needs === 'temporal') wrong.push(`${file}: needs a Temporal server, which belongs in test/workflow`);
    else if (needs !== named)
      wrong.push(`${file}: needs ${needs ?? 'nothing'}, named for ${named ?? 'nothing'} (x.${needs}.test.ts)`);
  }
  assert.deepEqual(wrong, []);
});
