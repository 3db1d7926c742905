/**
 * Runs node's test runner on every *.test.js under the given folders of dist/test (node 20's
 * --test has no globs, and would treat every .js under a `test` folder as a test file). The
 * folder `src` means dist/src: the tests that sit beside the drivers they test.
 *   node dist/scripts/run-tests.js src unit ssh workflow
 * `--files-at-once=N` runs N files side by side (default 1). The e2e files all start at once:
 * their VMs wait for one of the machine's VM slots inside testbed/vm.ts, ranked so the longest
 * start first (node 20 runs the files in sorted order whatever order they are named in).
 */
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';

function find(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) return find(p);
    return name.endsWith('.test.js') ? [p] : [];
  });
}

const dist = path.join(__dirname, '..');
const args = process.argv.slice(2);
const option = args.find((a) => a.startsWith('--files-at-once='));
const filesAtOnce = option === undefined ? 1 : Number(option.slice('--files-at-once='.length));
if (!Number.isInteger(filesAtOnce) || filesAtOnce < 1) {
  process.stderr.write(`run-tests: ${option ?? ''} needs a whole number >= 1\n`);
  process.exit(2);
}
const folders = args.filter((a) => a !== option);
const files = folders
  .flatMap((f) => find(f === 'src' || f.startsWith('src/') ? path.join(dist, f) : path.join(dist, 'test', f)))
  .sort();
if (files.length === 0) {
  process.stderr.write(`no test files under ${folders.join(', ')}\n`);
  process.exit(1);
}
const child = spawn(process.execPath, ['--test', `--test-concurrency=${filesAtOnce}`, ...files], { stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
