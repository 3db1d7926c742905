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
 * runBuild on a real build host: OpenSSH's sshd on loopback (root), the real build script
 * (./script.ts) under setsid and flock, and a real make. The kernel tree is a stand-in: a
 * Makefile with kbuild's interface (`-C tree O=obj LOCALVERSION=… bindeb-pkg`) that prints kbuild's
 * CC lines and builds a real (tiny) linux-image .deb with dpkg-deb, so these tests run in seconds;
 * test/e2e/source-build.test.ts builds real kernels. Its recipes wait for files the tests create
 * (conditions, not sleeps).
 */
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const node_crypto_1 = require("node:crypto");
const node_fs_1 = require("node:fs");
const node_os_1 = require("node:os");
const path = __importStar(require("node:path"));
const activity_1 = require("@temporalio/activity");
const testing_1 = require("@temporalio/testing");
const sshd_1 = require("../../../testbed/sshd");
const session_1 = require("../session");
const script_1 = require("./script");
const prune_1 = require("./prune");
const run_1 = require("./run");
const RELEASE = '6.1.192-krtest';
/** kbuild's interface, no kernel: N objects "compiled", then a real .deb in O's parent. */
const MAKEFILE = `
N ?= 5
bindeb-pkg:
\t@test -z "$(FAIL)" || { echo "  CC      $(O)/tools/objtool/str_error_r.o"; echo "  BTF     .btf.vmlinux.bin.o"; echo "BTF: .tmp_vmlinux.btf: pahole (pahole) is not available"; echo "Failed to generate BTF for vmlinux"; echo "make[2]: *** [scripts/Makefile.vmlinux:35: vmlinux] Error 1"; echo "make[1]: *** [Makefile:1249: vmlinux] Error 2"; exit 2; }
\t@test ! -f $(CURDIR)/hold || { while [ ! -f $(O)/go ]; do sleep 0.05; done; }
\t@for i in $$(seq 1 $(N)); do echo "  CC      obj$$i.o"; done
\t@rm -rf $(O)/pkg && mkdir -p $(O)/pkg/DEBIAN $(O)/pkg/boot
\t@echo kernel > $(O)/pkg/boot/vmlinuz-$(KERNELRELEASE)
\t@printf 'Package: linux-image-$(KERNELRELEASE)\\nVersion: 1\\nArchitecture: all\\nMaintainer: t <t@example.invalid>\\nDescription: test\\n' > $(O)/pkg/DEBIAN/control
\t@echo "dpkg-deb: building package 'linux-image-$(KERNELRELEASE)'"
\t@dpkg-deb --build $(O)/pkg $(O)/../linux-image-$(KERNELRELEASE)_1_all.deb >/dev/null
KERNELRELEASE = 6.1.192$(LOCALVERSION)
`;
(0, node_test_1.describe)('runBuild on a real build host (stand-in kernel tree)', () => {
    let sshd;
    let root;
    let tree;
    const buildHost = () => (0, sshd_1.sshdTarget)(sshd, 'build-host');
    const withHost = (0, session_1.hostAccess)(session_1.realDeps);
    /** A key's directory as prepareBuild leaves it: obj/, config, build.sh. */
    function prepared(key, opts = {}) {
        const dir = path.join(root, key);
        (0, node_fs_1.mkdirSync)(path.join(dir, 'obj'), { recursive: true });
        (0, node_fs_1.writeFileSync)(path.join(dir, 'config'), 'CONFIG_64BIT=y\n');
        (0, node_fs_1.writeFileSync)(path.join(dir, 'build.sh'), (0, script_1.buildScript)({ dir, tree, jobs: 1, localVersion: '-krtest', release: RELEASE }));
        if (opts.hold)
            (0, node_fs_1.writeFileSync)(path.join(tree, 'hold'), '');
        else
            (0, node_fs_1.rmSync)(path.join(tree, 'hold'), { force: true });
        return dir;
    }
    (0, node_test_1.before)(async () => {
        sshd = await (0, sshd_1.startSshd)({ users: ['root'] });
        root = (0, node_fs_1.mkdtempSync)(path.join((0, node_os_1.tmpdir)(), 'kr-runbuild-'));
        tree = path.join(root, 'tree');
        (0, node_fs_1.mkdirSync)(tree);
        (0, node_fs_1.writeFileSync)(path.join(tree, 'Makefile'), MAKEFILE);
    });
    (0, node_test_1.after)(async () => {
        await sshd?.stop();
        if (root)
            (0, node_fs_1.rmSync)(root, { recursive: true, force: true });
    });
    (0, node_test_1.test)('starts make once, reports progress, returns the package with its sha256', async () => {
        const key = 'a000000000000001';
        const dir = prepared(key);
        const env = new testing_1.MockActivityEnvironment();
        const beats = [];
        env.on('heartbeat', (d) => beats.push(d));
        const r = (await env.run(run_1.runBuild, withHost, {
            buildHost: buildHost(),
            buildRoot: root,
            key,
            release: RELEASE,
        }));
        const deb = path.join(dir, `linux-image-${RELEASE}_1_all.deb`);
        strict_1.default.equal(r.deb.path, deb);
        strict_1.default.equal(r.deb.sha256, (0, node_crypto_1.createHash)('sha256').update((0, node_fs_1.readFileSync)(deb)).digest('hex'));
        strict_1.default.equal(r.launches, 1);
        strict_1.default.equal(r.configPath, path.join(dir, 'config'));
        strict_1.default.ok(beats.length >= 1, 'heartbeats carry progress');
        strict_1.default.match((0, node_fs_1.readFileSync)(path.join(dir, 'build.log'), 'utf8'), /^kernel-rollout: make ended with 0/m);
    });
    (0, node_test_1.test)('a build already running is watched, not started again', async () => {
        const key = 'a000000000000002';
        const dir = prepared(key, { hold: true });
        // As if an earlier attempt (a worker since killed) had started it.
        await withHost(buildHost(), (s) => s.run((0, script_1.launchCommand)(dir)));
        const env = new testing_1.MockActivityEnvironment();
        let released = false;
        env.on('heartbeat', () => {
            // Released once runBuild has looked at the running build at least once.
            if (!released)
                (0, node_fs_1.writeFileSync)(path.join(dir, 'obj', 'go'), '');
            released = true;
        });
        const r = (await env.run(run_1.runBuild, withHost, {
            buildHost: buildHost(),
            buildRoot: root,
            key,
            release: RELEASE,
        }));
        strict_1.default.equal(r.launches, 1, 'one make');
        strict_1.default.equal((0, node_fs_1.readFileSync)(path.join(dir, 'launches'), 'utf8').trim().split('\n').length, 1);
    });
    (0, node_test_1.test)("a failed make ends with the log's lines that say why (not object names) and the log's path", async () => {
        const key = 'a000000000000003';
        const dir = prepared(key);
        (0, node_fs_1.writeFileSync)(path.join(dir, 'build.sh'), (0, node_fs_1.readFileSync)(path.join(dir, 'build.sh'), 'utf8').replace(' bindeb-pkg >>', ' FAIL=1 bindeb-pkg >>'));
        const env = new testing_1.MockActivityEnvironment();
        await strict_1.default.rejects(env.run(run_1.runBuild, withHost, { buildHost: buildHost(), buildRoot: root, key, release: RELEASE }), (err) => {
            strict_1.default.equal(err.name, 'BuildFailedError');
            strict_1.default.equal(err.message, `make bindeb-pkg failed on ${buildHost().host} (exit 2; log ${dir}/build.log):\n` +
                'BTF: .tmp_vmlinux.btf: pahole (pahole) is not available\n' +
                'Failed to generate BTF for vmlinux\n' +
                'make[2]: *** [scripts/Makefile.vmlinux:35: vmlinux] Error 1');
            return true;
        });
    });
    (0, node_test_1.test)('a failed key is answered with its failure, saying so; with rebuild, make runs again', async () => {
        const key = 'a000000000000005';
        const dir = prepared(key);
        const good = (0, node_fs_1.readFileSync)(path.join(dir, 'build.sh'), 'utf8');
        (0, node_fs_1.writeFileSync)(path.join(dir, 'build.sh'), good.replace(' bindeb-pkg >>', ' FAIL=1 bindeb-pkg >>'));
        const req = { buildHost: buildHost(), buildRoot: root, key, release: RELEASE };
        await strict_1.default.rejects(new testing_1.MockActivityEnvironment().run(run_1.runBuild, withHost, req));
        // The build host is fixed (the stand-in stops failing); asking again without rebuild:
        (0, node_fs_1.writeFileSync)(path.join(dir, 'build.sh'), good);
        await strict_1.default.rejects(withHost(buildHost(), (b) => (0, run_1.settleEarlierFailure)(b, 'build-host', dir, false)), (err) => {
            strict_1.default.equal(err.type ?? err.name, 'BuildFailedError');
            strict_1.default.match(err.message, /^this build failed before \(\d{4}-\d\d-\d\d \d\d:\d\d UTC\) and was not started again/);
            strict_1.default.match(err.message, /rerun with --rebuild/);
            strict_1.default.match(err.message, /pahole \(pahole\) is not available/);
            return true;
        });
        strict_1.default.equal((0, node_fs_1.readFileSync)(path.join(dir, 'launches'), 'utf8').trim().split('\n').length, 1, 'not started again');
        await withHost(buildHost(), (b) => (0, run_1.settleEarlierFailure)(b, 'build-host', dir, true));
        const r = (await new testing_1.MockActivityEnvironment().run(run_1.runBuild, withHost, req));
        strict_1.default.equal(r.launches, 2, 'make ran again');
        strict_1.default.match((0, node_fs_1.readFileSync)(path.join(dir, 'build.log'), 'utf8'), /^kernel-rollout: rebuild requested \(the last launch ended with 2\)/m);
        // Succeeded: settling is a no-op either way, the package stays the answer.
        await withHost(buildHost(), (b) => (0, run_1.settleEarlierFailure)(b, 'build-host', dir, true));
        strict_1.default.equal((0, node_fs_1.existsSync)(path.join(dir, 'result.json')), true);
    });
    (0, node_test_1.test)('prune: objects and debug packages go (or whole keys), a build in progress is never touched', async () => {
        const prune = (0, node_fs_1.mkdtempSync)(path.join((0, node_os_1.tmpdir)(), 'kr-prune-'));
        try {
            const req = (key) => ({ buildHost: buildHost(), buildRoot: prune, key, release: RELEASE });
            const inRoot = (key, hold = false) => {
                const dir = path.join(prune, key);
                (0, node_fs_1.mkdirSync)(path.join(dir, 'obj'), { recursive: true });
                (0, node_fs_1.writeFileSync)(path.join(dir, 'build.sh'), (0, script_1.buildScript)({ dir, tree, jobs: 1, localVersion: '-krtest', release: RELEASE }));
                if (hold)
                    (0, node_fs_1.writeFileSync)(path.join(tree, 'hold'), '');
                else
                    (0, node_fs_1.rmSync)(path.join(tree, 'hold'), { force: true });
                return dir;
            };
            const done = inRoot('b000000000000001');
            await new testing_1.MockActivityEnvironment().run(run_1.runBuild, withHost, req('b000000000000001'));
            (0, node_fs_1.writeFileSync)(path.join(done, 'obj', 'vmlinux.o'), Buffer.alloc(64 * 1024));
            (0, node_fs_1.writeFileSync)(path.join(done, `linux-image-${RELEASE}-dbg_1_amd64.deb`), Buffer.alloc(32 * 1024));
            const running = inRoot('b000000000000002', true);
            await withHost(buildHost(), (b) => b.run((0, script_1.launchCommand)(running)));
            await withHost(buildHost(), (b) => b.run(`cd ${running} && for i in $(seq 1 100); do flock -n build.lock true || exit 0; sleep 0.05; done; exit 1`));
            (0, node_fs_1.writeFileSync)(path.join(running, 'obj', 'partial.o'), 'x');
            (0, node_fs_1.mkdirSync)(path.join(prune, 'sources'));
            const trimmed = await withHost(buildHost(), (b) => (0, prune_1.pruneBuilds)(b, prune, true));
            strict_1.default.deepEqual(trimmed.map((e) => [e.key, e.action]), [
                ['b000000000000001', 'trimmed'],
                ['b000000000000002', 'busy'],
            ]);
            strict_1.default.ok((trimmed[0]?.freedBytes ?? 0) >= 96 * 1024, 'the objects and the debug package were freed');
            strict_1.default.deepEqual((0, node_fs_1.readdirSync)(done).filter((f) => f.endsWith('.deb')), [`linux-image-${RELEASE}_1_all.deb`]);
            strict_1.default.equal((0, node_fs_1.existsSync)(path.join(done, 'obj')), false);
            strict_1.default.equal((0, node_fs_1.existsSync)(path.join(done, 'result.json')), true, 'the key still answers with its package');
            strict_1.default.equal((0, node_fs_1.existsSync)(path.join(running, 'obj', 'partial.o')), true, 'the running build untouched');
            const removed = await withHost(buildHost(), (b) => (0, prune_1.pruneBuilds)(b, prune, false));
            strict_1.default.deepEqual(removed.map((e) => [e.key, e.action]), [
                ['b000000000000001', 'removed'],
                ['b000000000000002', 'busy'],
            ]);
            strict_1.default.equal((0, node_fs_1.existsSync)(done), false);
            strict_1.default.equal((0, node_fs_1.existsSync)(path.join(running, 'obj', 'partial.o')), true);
            strict_1.default.equal((0, node_fs_1.existsSync)(path.join(prune, 'sources')), true, 'sources are left alone');
            (0, node_fs_1.writeFileSync)(path.join(running, 'obj', 'go'), '');
            await new testing_1.MockActivityEnvironment().run(run_1.runBuild, withHost, req('b000000000000002'));
        }
        finally {
            // Let a held build end even if a broken prune removed its directory: nothing is left running.
            const running = path.join(prune, 'b000000000000002');
            (0, node_fs_1.mkdirSync)(path.join(running, 'obj'), { recursive: true });
            (0, node_fs_1.writeFileSync)(path.join(running, 'obj', 'go'), '');
            await withHost(buildHost(), (b) => b.exec(`cd ${running} && for i in $(seq 1 200); do flock -n build.lock true && exit 0; sleep 0.05; done`));
            (0, node_fs_1.rmSync)(path.join(tree, 'hold'), { force: true });
            (0, node_fs_1.rmSync)(prune, { recursive: true, force: true });
        }
    });
    (0, node_test_1.test)('cancelled: the build on the build host is stopped (its process group killed)', async () => {
        const key = 'a000000000000004';
        const dir = prepared(key, { hold: true });
        const env = new testing_1.MockActivityEnvironment();
        env.on('heartbeat', () => env.cancel());
        await strict_1.default.rejects(env.run(run_1.runBuild, withHost, { buildHost: buildHost(), buildRoot: root, key, release: RELEASE }), (err) => err instanceof activity_1.CancelledFailure);
        const pgid = (0, node_fs_1.readFileSync)(path.join(dir, 'pgid'), 'utf8').trim();
        // Processes of the group that still run (zombies waiting for a reaper have stopped).
        const alive = await withHost(buildHost(), (s) => s.run(`ps -o stat= -g ${pgid} | grep -vc '^Z' || true`));
        strict_1.default.equal(alive.trim(), '0', 'no process of the build is left');
        strict_1.default.match((0, node_fs_1.readFileSync)(path.join(dir, 'build.log'), 'utf8'), /^kernel-rollout: cancelled/m);
        strict_1.default.equal((0, node_fs_1.existsSync)(path.join(dir, 'result.json')), false);
    });
});
//# sourceMappingURL=run.ssh.test.js.map