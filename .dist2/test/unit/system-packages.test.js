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
 * scripts/system-packages.sh, the one list of what each suite needs from the machine, against a
 * made-up file tree (KR_PROBE_ROOT stands for /; with it set the script never installs anything).
 * The case that matters: openssh-server present without its SFTP server (what an install with
 * --no-install-recommends leaves) must be named, with the command that installs it.
 */
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const node_child_process_1 = require("node:child_process");
const node_fs_1 = require("node:fs");
const os = __importStar(require("node:os"));
const path = __importStar(require("node:path"));
const temporal_server_1 = require("../../src/dev/temporal-server");
const SCRIPT = path.join((0, temporal_server_1.projectRoot)(), 'scripts', 'system-packages.sh');
const tmp = (0, node_fs_1.mkdtempSync)(path.join(os.tmpdir(), 'system-packages-'));
(0, node_test_1.after)(() => (0, node_fs_1.rmSync)(tmp, { recursive: true, force: true }));
const EXECUTABLES = [
    '/usr/sbin/sshd',
    '/usr/lib/openssh/sftp-server',
    '/usr/lib/postgresql/15/bin/postgres',
    ...['ssh-keygen', 'ssh-agent', 'ssh', 'sudo', 'openssl', 'qemu-system-x86_64', 'make', 'dpkg-deb', 'bwrap']
        .concat(['chromium', 'prometheus', 'promtool', 'qemu-img', 'debootstrap', 'zstd', 'python3', 'docker-compose'])
        .map((c) => `/usr/bin/${c}`),
    ...['visudo', 'sfdisk', 'mkfs.ext4', 'mkfs.vfat'].map((c) => `/usr/sbin/${c}`),
];
/** Debian's ovmf: the UEFI testbed VMs' firmware (data files, not executables). */
const OVMF_FILES = ['/usr/share/OVMF/OVMF_CODE_4M.fd', '/usr/share/OVMF/OVMF_VARS_4M.fd'];
/** What scripts/setup-build-host.sh installs, as the e2e suite probes it. */
const BUILD_HOST_FILES = [
    '/usr/src/linux-source-6.1.tar.xz',
    '/usr/bin/flex',
    '/usr/bin/bison',
    '/usr/include/libelf.h',
    '/usr/bin/pahole',
];
/** A tree with everything every suite needs, minus `without`. */
function tree(without = []) {
    const root = (0, node_fs_1.mkdtempSync)(path.join(tmp, 'root-'));
    const put = (file, text, mode) => {
        if (without.includes(file))
            return;
        (0, node_fs_1.mkdirSync)(path.join(root, path.dirname(file)), { recursive: true });
        (0, node_fs_1.writeFileSync)(path.join(root, file), text);
        (0, node_fs_1.chmodSync)(path.join(root, file), mode);
    };
    for (const f of EXECUTABLES)
        put(f, '#!/bin/sh\n', 0o755);
    put('/usr/lib/python3.11/ensurepip/__init__.py', '', 0o644);
    for (const f of BUILD_HOST_FILES)
        put(f, '', 0o644);
    for (const f of OVMF_FILES)
        put(f, '', 0o644);
    put('/etc/passwd', 'root:x:0:0::/root:/bin/bash\nkrtest:x:1000:1000::/home/krtest:/bin/bash\n', 0o644);
    put('/etc/sudoers.d/krtest', 'krtest ALL=(ALL) NOPASSWD:ALL\n', 0o440);
    return root;
}
function run(root, ...args) {
    const r = (0, node_child_process_1.spawnSync)('bash', [SCRIPT, ...args], { env: { ...process.env, KR_PROBE_ROOT: root }, encoding: 'utf8' });
    return { status: r.status, out: r.stdout + r.stderr };
}
(0, node_test_1.describe)('scripts/system-packages.sh', () => {
    (0, node_test_1.test)('a machine with everything: nothing missing for any suite', () => {
        const r = run(tree(), 'all');
        strict_1.default.equal(r.status, 0, r.out);
        strict_1.default.match(r.out, /nothing missing/);
    });
    (0, node_test_1.test)('sshd without its SFTP server: check names openssh-sftp-server and the command', () => {
        const r = run(tree(['/usr/lib/openssh/sftp-server']), 'check');
        strict_1.default.equal(r.status, 1, r.out);
        strict_1.default.match(r.out, /openssh-sftp-server: \/usr\/lib\/openssh\/sftp-server/);
        strict_1.default.match(r.out, /apt-get install -y --no-install-recommends openssh-sftp-server$/m);
        strict_1.default.doesNotMatch(r.out, /openssh-server:/);
    });
    (0, node_test_1.test)('no test user: check names krtest and scripts/setup-test-host.sh', () => {
        const r = run(tree(['/etc/sudoers.d/krtest']), 'check');
        strict_1.default.equal(r.status, 1, r.out);
        strict_1.default.match(r.out, /test user krtest/);
        strict_1.default.match(r.out, /bash scripts\/setup-test-host\.sh/);
    });
    (0, node_test_1.test)('each suite names its own needs', () => {
        const cases = [
            ['sim', '/usr/bin/bwrap', 'bubblewrap'],
            ['chaos', '/usr/lib/openssh/sftp-server', 'openssh-sftp-server'],
            ['ui', '/usr/bin/chromium', 'chromium'],
            ['prod', '/usr/lib/postgresql/15/bin/postgres', 'postgresql'],
            ['prod', '/usr/bin/prometheus', 'prometheus'],
            ['prod', '/usr/bin/promtool', 'prometheus'],
            ['e2e', '/usr/bin/qemu-system-x86_64', 'qemu-system-x86'],
            ['e2e', '/usr/sbin/mkfs.vfat', 'dosfstools'],
            ['e2e', '/usr/share/OVMF/OVMF_CODE_4M.fd', 'ovmf'],
            ['e2e', '/usr/share/OVMF/OVMF_VARS_4M.fd', 'ovmf'],
            ['differential', '/usr/lib/python3.11/ensurepip/__init__.py', 'python3-venv'],
            ['image', '/usr/bin/docker-compose', 'docker-compose'],
        ];
        for (const [suite, file, pkg] of cases) {
            const r = run(tree([file]), suite);
            strict_1.default.equal(r.status, 1, `${suite} without ${file}: ${r.out}`);
            strict_1.default.match(r.out, new RegExp(`^  ${pkg}: `, 'm'), `${suite} without ${file}`);
            // --dry-run names the same and changes nothing.
            const d = run(tree([file]), '--dry-run', suite);
            strict_1.default.equal(d.status, 0, d.out);
            strict_1.default.match(d.out, new RegExp(`apt-get install -y( --no-install-recommends)? ${pkg}$`, 'm'));
        }
    });
    (0, node_test_1.test)('e2e without a build host package: names scripts/setup-build-host.sh, which installs them', () => {
        for (const file of BUILD_HOST_FILES) {
            const r = run(tree([file]), 'e2e');
            strict_1.default.equal(r.status, 1, `e2e without ${file}: ${r.out}`);
            strict_1.default.match(r.out, /kernel build host's packages/, file);
            strict_1.default.match(r.out, /^ {2}bash scripts\/setup-build-host\.sh$/m, file);
            strict_1.default.doesNotMatch(r.out, /apt-get/, `${file}: setup-build-host.sh runs APT itself`);
            // Only e2e compiles a kernel.
            strict_1.default.equal(run(tree([file]), 'check').status, 0, `check without ${file}`);
        }
    });
    (0, node_test_1.test)('an unknown suite exits 2', () => {
        strict_1.default.equal(run(tree(), 'nope').status, 2);
    });
});
//# sourceMappingURL=system-packages.test.js.map