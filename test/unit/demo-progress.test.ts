/**
 * The demo's output layer (scripts/demo.ts): the image builder's stderr becomes one terminal
 * line per `== step` with its elapsed time, everything else goes to the log file; what the demo
 * says it will install is read from the builder script; the cached-image path is the builder's.
 * Against a real child process and the real build-image.sh (its cached image, if built here).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  BuildProgress,
  builderHostPackages,
  builderScript,
  imageCacheDir,
  imageIsCached,
  missingHostPackages,
  prepareImage,
  stepLabel,
} from '../../scripts/demo';

/** Runs `bash -c script` and feeds its stderr lines to `line`, as testbed/vm.ts feeds the builder's. */
function feed(script: string, line: (l: string) => void): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', script], { stdio: ['ignore', 'ignore', 'pipe'] });
    let partial = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      const lines = (partial + d).split('\n');
      partial = lines.pop() ?? '';
      lines.forEach(line);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (partial) line(partial);
      resolve(code);
    });
  });
}

const NOISE = 'W: Download is performed unsandboxed as root as file could not be accessed by user _apt';
const BUILDER_LIKE = `
log() { printf '[build-image %s] %s\\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
log "== host dependencies"
for i in $(seq 1 200); do echo "Get:$i http://deb.debian.org/debian bookworm/main amd64 pkg-$i [1 kB]" >&2; done
log "   done in 0 s"
log "== debootstrap bookworm (minbase)"
echo "${NOISE}" >&2
for i in $(seq 1 300); do echo "I: Unpacking pkg-$i..." >&2; done
log "== first boot (qemu -kernel, TCG): grub-install /dev/vda, update-initramfs, update-grub in the guest"
echo "[   12.3] Linux version 6.1.0" >&2
`;

describe('demo: the image build progress layer', () => {
  test('a real child: one line per step with its elapsed time; all 500+ lines in the log', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kr-demo-progress-'));
    const logPath = path.join(dir, 'build-image.log');
    let terminal = '';
    const progress = new BuildProgress((s) => (terminal += s), logPath);
    assert.equal(await feed(BUILDER_LIKE, (l) => progress.line(l)), 0);
    progress.end(true);
    const lines = terminal.split('\n');
    assert.equal(lines.pop(), '', 'ends with a complete line');
    assert.equal(lines.length, 3, terminal);
    assert.match(lines[0] ?? '', /^ {4}host dependencies … \d+\.\d s$/);
    assert.match(lines[1] ?? '', /^ {4}debootstrap bookworm … \d+\.\d s$/);
    assert.match(lines[2] ?? '', /^ {4}first boot … \d+\.\d s$/);
    assert.doesNotMatch(terminal, /unsandboxed|Get:|Unpacking/);
    const log = readFileSync(logPath, 'utf8');
    assert.ok(log.includes(NOISE), 'the warning is in the log');
    assert.equal(log.split('\n').filter((l) => /^(Get:|I: Unpacking)/.test(l)).length, 500);
  });

  test('a failed build closes the open step with "failed after"', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kr-demo-progress-'));
    let terminal = '';
    const progress = new BuildProgress((s) => (terminal += s), path.join(dir, 'build.log'));
    const code = await feed(`echo '[build-image 10:00:00] == choose kernels' >&2; echo 'E: no' >&2; exit 3`, (l) =>
      progress.line(l),
    );
    assert.equal(code, 3);
    progress.end(false);
    assert.match(terminal, /^ {4}choose kernels … failed after \d+\.\d s\n$/);
  });

  test('step labels keep the words before the details', () => {
    assert.equal(stepLabel('self-test: boot through GRUB (throwaway overlay) and log in over SSH'), 'self-test');
    assert.equal(stepLabel('assemble disk (msdos label, 1 MiB gap for GRUB core.img)'), 'assemble disk');
    assert.equal(stepLabel('download linux-image-6.1.0-56-cloud-amd64'), 'download linux-image-6.1.0-56-cloud-amd64');
  });
});

describe('demo: what it says before building', () => {
  const script = builderScript();

  test("the host packages are the real builder's list", () => {
    const pkgs = builderHostPackages(readFileSync(script, 'utf8'));
    for (const p of ['debootstrap', 'qemu-system-x86', 'qemu-utils'])
      assert.ok(pkgs.includes(p), `${p} in ${pkgs.join(' ')}`);
    assert.throws(() => builderHostPackages('step "host dependencies"\necho nothing\n'), /host package list/);
  });

  test('missing means what the builder tests: dpkg says "install ok installed"', () => {
    assert.deepEqual(missingHostPackages(['coreutils', 'kernel-rollout-no-such-package']), [
      'kernel-rollout-no-such-package',
    ]);
  });

  test("the cached image: the builder's own directory, reused with its elapsed time", async (t) => {
    const dir = imageCacheDir(script);
    if (!imageIsCached(dir)) {
      t.skip(`no cached testbed image at ${dir} (built by npm run demo or test:e2e)`);
      return;
    }
    const tmp = mkdtempSync(path.join(tmpdir(), 'kr-demo-image-'));
    const said: string[] = [];
    let written = '';
    const image = await prepareImage(
      (s) => said.push(s),
      (s) => (written += s),
      path.join(tmp, 'build-image.log'),
    );
    assert.equal(image.dir, dir, 'the directory the builder printed is the one the demo computed');
    assert.deepEqual(said[0], `1/4 testbed image: cached in ${dir}`);
    assert.match(said[1] ?? '', /^ {4}kernels: \S+ \(installed\) → \S+ \(\.deb\); reused in \d+\.\d s$/);
    assert.equal(said.length, 2);
    assert.equal(written, '', 'no step lines for a cached image');
    assert.match(readFileSync(path.join(tmp, 'build-image.log'), 'utf8'), /cached image for builder hash/);
  });
});
