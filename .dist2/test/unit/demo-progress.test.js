"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * The demo's output layer (scripts/demo.ts): the image builder's stderr becomes one terminal
 * line per `== step` with its elapsed time, everything else goes to the log file; what the demo
 * says it will install is read from the builder script; the cached-image path is the builder's.
 * Against a real child process and the real build-image.sh (its cached image, if built here).
 */
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const node_child_process_1 = require("node:child_process");
const node_fs_1 = require("node:fs");
const node_os_1 = require("node:os");
const path = __importStar(require("node:path"));
const demo_1 = require("../../scripts/demo");
/** Runs `bash -c script` and feeds its stderr lines to `line`, as testbed/vm.ts feeds the builder's. */
function feed(script, line) {
    return new Promise((resolve, reject) => {
        const child = (0, node_child_process_1.spawn)('bash', ['-c', script], { stdio: ['ignore', 'ignore', 'pipe'] });
        let partial = '';
        child.stderr.setEncoding('utf8').on('data', (d) => {
            const lines = (partial + d).split('\n');
            partial = lines.pop() ?? '';
            lines.forEach(line);
        });
        child.on('error', reject);
        child.on('close', (code) => {
            if (partial)
                line(partial);
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
(0, node_test_1.describe)('demo: the image build progress layer', () => {
    (0, node_test_1.test)('a real child: one line per step with its elapsed time; all 500+ lines in the log', async () => {
        const dir = (0, node_fs_1.mkdtempSync)(path.join((0, node_os_1.tmpdir)(), 'kr-demo-progress-'));
        const logPath = path.join(dir, 'build-image.log');
        let terminal = '';
        const progress = new demo_1.BuildProgress((s) => (terminal += s), logPath);
        strict_1.default.equal(await feed(BUILDER_LIKE, (l) => progress.line(l)), 0);
        progress.end(true);
        const lines = terminal.split('\n');
        strict_1.default.equal(lines.pop(), '', 'ends with a complete line');
        strict_1.default.equal(lines.length, 3, terminal);
        strict_1.default.match(lines[0] ?? '', /^ {4}host dependencies … \d+\.\d s$/);
        strict_1.default.match(lines[1] ?? '', /^ {4}debootstrap bookworm … \d+\.\d s$/);
        strict_1.default.match(lines[2] ?? '', /^ {4}first boot … \d+\.\d s$/);
        strict_1.default.doesNotMatch(terminal, /unsandboxed|Get:|Unpacking/);
        const log = (0, node_fs_1.readFileSync)(logPath, 'utf8');
        strict_1.default.ok(log.includes(NOISE), 'the warning is in the log');
        strict_1.default.equal(log.split('\n').filter((l) => /^(Get:|I: Unpacking)/.test(l)).length, 500);
    });
    (0, node_test_1.test)('a failed build closes the open step with "failed after"', async () => {
        const dir = (0, node_fs_1.mkdtempSync)(path.join((0, node_os_1.tmpdir)(), 'kr-demo-progress-'));
        let terminal = '';
        const progress = new demo_1.BuildProgress((s) => (terminal += s), path.join(dir, 'build.log'));
        const code = await feed(`echo '[build-image 10:00:00] == choose kernels' >&2; echo 'E: no' >&2; exit 3`, (l) => progress.line(l));
        strict_1.default.equal(code, 3);
        progress.end(false);
        strict_1.default.match(terminal, /^ {4}choose kernels … failed after \d+\.\d s\n$/);
    });
    (0, node_test_1.test)('step labels keep the words before the details', () => {
        strict_1.default.equal((0, demo_1.stepLabel)('self-test: boot through GRUB (throwaway overlay) and log in over SSH'), 'self-test');
        strict_1.default.equal((0, demo_1.stepLabel)('assemble disk (msdos label, 1 MiB gap for GRUB core.img)'), 'assemble disk');
        strict_1.default.equal((0, demo_1.stepLabel)('download linux-image-6.1.0-56-cloud-amd64'), 'download linux-image-6.1.0-56-cloud-amd64');
    });
});
(0, node_test_1.describe)('demo: what it says before building', () => {
    const script = (0, demo_1.builderScript)();
    (0, node_test_1.test)("the host packages are the real builder's list", () => {
        const pkgs = (0, demo_1.builderHostPackages)((0, node_fs_1.readFileSync)(script, 'utf8'));
        for (const p of ['debootstrap', 'qemu-system-x86', 'qemu-utils'])
            strict_1.default.ok(pkgs.includes(p), `${p} in ${pkgs.join(' ')}`);
        strict_1.default.throws(() => (0, demo_1.builderHostPackages)('step "host dependencies"\necho nothing\n'), /host package list/);
    });
    (0, node_test_1.test)('missing means what the builder tests: dpkg says "install ok installed"', () => {
        strict_1.default.deepEqual((0, demo_1.missingHostPackages)(['coreutils', 'kernel-rollout-no-such-package']), [
            'kernel-rollout-no-such-package',
        ]);
    });
    (0, node_test_1.test)("the cached image: the builder's own directory, reused with its elapsed time", async (t) => {
        const dir = (0, demo_1.imageCacheDir)(script);
        if (!(0, demo_1.imageIsCached)(dir)) {
            t.skip(`no cached testbed image at ${dir} (built by npm run demo or test:e2e)`);
            return;
        }
        const tmp = (0, node_fs_1.mkdtempSync)(path.join((0, node_os_1.tmpdir)(), 'kr-demo-image-'));
        const said = [];
        let written = '';
        const image = await (0, demo_1.prepareImage)((s) => said.push(s), (s) => (written += s), path.join(tmp, 'build-image.log'));
        strict_1.default.equal(image.dir, dir, 'the directory the builder printed is the one the demo computed');
        strict_1.default.deepEqual(said[0], `1/4 testbed image: cached in ${dir}`);
        strict_1.default.match(said[1] ?? '', /^ {4}kernels: \S+ \(installed\) → \S+ \(\.deb\); reused in \d+\.\d s$/);
        strict_1.default.equal(said.length, 2);
        strict_1.default.equal(written, '', 'no step lines for a cached image');
        strict_1.default.match((0, node_fs_1.readFileSync)(path.join(tmp, 'build-image.log'), 'utf8'), /cached image for builder hash/);
    });
});
//# sourceMappingURL=demo-progress.test.js.map