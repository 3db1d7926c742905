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
Object.defineProperty(exports, "__esModule", { value: true });
exports.ensureAnsible = exports.ANSIBLE_CORE_VERSION = void 0;
exports.ansibleInventories = ansibleInventories;
exports.ansibleSshArgv = ansibleSshArgv;
exports.sshG = sshG;
exports.sshGArgsOfAnsible = sshGArgsOfAnsible;
exports.shlexSplitByPython = shlexSplitByPython;
/**
 * The real tools as oracles for the inventory import: ansible-core (from PyPI, in a virtualenv
 * cached under ~/.cache/kernel-rollout/bench/ansible-core-<version>, made on first use) and
 * OpenSSH's `ssh -G`. Nothing connects anywhere:
 * - Ansible's host set, groups and --limit results come from its own InventoryManager
 *   (ansible-oracle.py), the code `ansible --limit` runs.
 * - The ssh command line Ansible would run for each host comes from `ansible all -m ping` with
 *   `ansible_ssh_executable` pointing at a fake ssh (one symlink per inventory name, so every
 *   recorded argv names its host) that records its arguments and exits 255.
 * - That argv is then evaluated by OpenSSH itself: `ssh -G -F /dev/null <Ansible's options> HOST`
 *   prints the address, user, port, identity files, jump host and host-key policy ssh would use.
 *   A ProxyCommand of the form `ssh … -W %h:%p bastion` is split by Python's shlex (as /bin/sh
 *   would) and its own options evaluated the same way, to get the jump host's settings.
 */
const node_child_process_1 = require("node:child_process");
const node_fs_1 = require("node:fs");
const path = __importStar(require("node:path"));
const node_util_1 = require("node:util");
const shell_1 = require("../../src/shared/shell");
const execFileAsync = (0, node_util_1.promisify)(node_child_process_1.execFile);
const END = 'END-OF-ARGV';
const ansible_1 = require("../../testbed/ansible");
Object.defineProperty(exports, "ANSIBLE_CORE_VERSION", { enumerable: true, get: function () { return ansible_1.ANSIBLE_CORE_VERSION; } });
Object.defineProperty(exports, "ensureAnsible", { enumerable: true, get: function () { return ansible_1.ensureAnsible; } });
const ORACLE_PY = path.join(__dirname, '..', '..', '..', 'test', 'differential', 'ansible-oracle.py');
const ansibleEnv = (home) => {
    // An empty configuration: no ansible.cfg of the machine or the working directory applies.
    const cfg = path.join(home, 'ansible.cfg');
    if (!(0, node_fs_1.existsSync)(cfg))
        (0, node_fs_1.writeFileSync)(cfg, '[defaults]\n');
    return {
        ...process.env,
        ANSIBLE_LOCAL_TEMP: path.join(home, 'tmp'),
        ANSIBLE_HOME: path.join(home, 'ansible-home'),
        ANSIBLE_CONFIG: cfg,
        ANSIBLE_SSH_RETRIES: '0',
        ANSIBLE_NOCOLOR: '1',
        ANSIBLE_FORCE_COLOR: '0',
        ANSIBLE_INVENTORY_UNPARSED_FAILED: 'True',
        ANSIBLE_DEPRECATION_WARNINGS: 'False',
        ANSIBLE_PYTHON_INTERPRETER: 'auto_silent',
    };
};
/** Ansible's view of several inventories in one python process (each start costs seconds). */
async function ansibleInventories(venv, requests, home) {
    const input = path.join(home, 'oracle-input.json');
    (0, node_fs_1.writeFileSync)(input, JSON.stringify(requests));
    const { stdout } = await execFileAsync(path.join(venv, 'bin', 'python'), [ORACLE_PY, input], {
        env: ansibleEnv(home),
        maxBuffer: 256 << 20,
    });
    return JSON.parse(stdout);
}
/** The argv (without the executable) Ansible ran ssh with, per inventory name; absent: no ssh. */
async function ansibleSshArgv(venv, file, hosts, home) {
    const dir = (0, node_fs_1.mkdtempSync)(path.join(home, 'fake-ssh-'));
    const records = path.join(dir, 'records');
    (0, node_fs_1.mkdirSync)(records);
    const fake = path.join(dir, 'fake-ssh');
    // A shell script (a Python one costs most of a second per host): every argument followed by a
    // NUL, the record closed by an END marker. Each ssh process writes its own file: up to 50 run
    // at once, and appends from several printf calls to one shared file interleave.
    (0, node_fs_1.writeFileSync)(fake, `#!/bin/sh\n{ printf '%s\\0' "\${0##*/}" "$@"; printf '%s\\0' ${END}; } >> ${(0, shell_1.shellQuote)(records)}/$$\nexit 255\n`, { mode: 0o755 });
    const links = path.join(dir, 'by-name');
    (0, node_fs_1.mkdirSync)(links);
    for (const h of hosts)
        if (!h.includes('/') && h !== '.' && h !== '..')
            (0, node_fs_1.symlinkSync)(fake, path.join(links, h));
    await execFileAsync(path.join(venv, 'bin', 'ansible'), ['all', '-i', file, '-m', 'ping', '-f', '50', '-e', `ansible_ssh_executable=${links}/{{ inventory_hostname }}`], { env: ansibleEnv(home), maxBuffer: 64 << 20 }).catch(() => undefined); // every host is unreachable by design: ansible exits non-zero
    const out = new Map();
    // Oldest record first: a host's first ssh run is the one compared.
    const byAge = (0, node_fs_1.readdirSync)(records)
        .map((f) => ({ f, t: (0, node_fs_1.statSync)(path.join(records, f)).mtimeMs }))
        .sort((x, y) => x.t - y.t || x.f.localeCompare(y.f));
    for (const { f } of byAge) {
        let record = [];
        for (const field of (0, node_fs_1.readFileSync)(path.join(records, f), 'utf8').split('\0')) {
            if (field !== END) {
                record.push(field);
                continue;
            }
            const [name, ...argv] = record;
            if (name !== undefined && !out.has(name))
                out.set(name, argv);
            record = [];
        }
    }
    (0, node_fs_1.rmSync)(dir, { recursive: true, force: true });
    return out;
}
async function sshG(args) {
    const { stdout } = await execFileAsync('ssh', ['-G', ...args], { maxBuffer: 16 << 20 });
    const out = new Map();
    for (const line of stdout.split('\n')) {
        const m = /^(\S+) (.*)$/.exec(line);
        if (!m)
            continue;
        out.set(m[1], [...(out.get(m[1]) ?? []), m[2]]);
    }
    return out;
}
/** Ansible's recorded argv → the options and destination for `ssh -G` (the remote command dropped). */
function sshGArgsOfAnsible(argv, sshConfig = '/dev/null') {
    // Ansible ends with the destination and the remote command.
    const args = argv.slice(0, -1);
    // -C (compression) and friends are harmless for -G; keep everything, with the fixture's
    // ssh_config (or none).
    return ['-F', sshConfig, ...args];
}
async function shlexSplitByPython(venv, command) {
    const { stdout } = await execFileAsync(path.join(venv, 'bin', 'python'), [
        '-c',
        'import json, shlex, sys; print(json.dumps(shlex.split(sys.argv[1])))',
        command,
    ]);
    return JSON.parse(stdout);
}
//# sourceMappingURL=oracles.js.map