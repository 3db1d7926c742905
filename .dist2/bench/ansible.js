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
exports.playbookYaml = playbookYaml;
exports.ansibleBench = ansibleBench;
/**
 * Against Ansible, in one run: the same upgrade of N simulated hosts (default 100, 20 s boot) by
 * kernel-rollout (rolloutKernel, batches of 10%, canary 0) and by an equivalent Ansible playbook
 * (`serial: 10%`, `forks` ≥ the batch size): wall time and CPU seconds of both, and the ratios.
 * Each side gets its own fresh fleet with the same simulator options, one after the other, and
 * both fleets are checked afterwards: every host runs the new kernel from GRUB's saved default
 * after exactly one reboot.
 *
 * The playbook (written to a temp dir; see bench/README.md) does what an operator would write
 * for this: one `raw` task pins the running kernel (GRUB_DEFAULT=saved + grub-set-default, as
 * Debian's GRUB_DEFAULT=0 would otherwise boot the newest kernel for good), installs the
 * package with apt-get and sets the one-shot `grub-reboot`; the `reboot` module (defaults, plus
 * `test_command: uname -r`); a `raw` task that checks `uname -r` and sets the default. No fact
 * gathering (nothing uses facts); SSH pipelining on (the usual speed-up).
 * ansible-core is installed from PyPI into a virtualenv under ~/.cache/kernel-rollout/bench the
 * first time (KERNEL_ROLLOUT_BENCH_VENV overrides the path).
 *
 * CPU: kernel-rollout = its worker process + the Temporal dev server (both /proc, deltas over
 * the run); Ansible = ansible-playbook's whole process tree, ssh ControlPersist masters included
 * (bench/ansible/rusage.py). The simulated hosts' CPU is reported apart (the same work is done
 * on a real fleet by the hosts themselves).
 *
 *   node dist/bench/ansible.js [--hosts 100] [--boot 20] [--percent 10] [--forks 0 (= batch size)] [--prepare-ahead 1]
 */
const node_child_process_1 = require("node:child_process");
const node_fs_1 = require("node:fs");
const os = __importStar(require("node:os"));
const path = __importStar(require("node:path"));
const client_1 = require("@temporalio/client");
const rollout_1 = require("../src/client/rollout");
const temporal_server_1 = require("../src/dev/temporal-server");
const ansible_1 = require("../testbed/ansible");
Object.defineProperty(exports, "ANSIBLE_CORE_VERSION", { enumerable: true, get: function () { return ansible_1.ANSIBLE_CORE_VERSION; } });
Object.defineProperty(exports, "ensureAnsible", { enumerable: true, get: function () { return ansible_1.ensureAnsible; } });
const lib_1 = require("./lib");
const BENCH = 'vs Ansible';
function benchFile(...rel) {
    return path.join((0, temporal_server_1.projectRoot)(), 'bench', ...rel);
}
function playbookYaml(percent) {
    return `# Written by bench/ansible.ts: the kernel upgrade as an Ansible playbook would do it.
- name: Upgrade the kernel with a one-shot trial boot
  hosts: fleet
  gather_facts: false
  serial: '${percent}%'
  vars:
    new_release: ${lib_1.NEW}
    submenu: Advanced options for Debian GNU/Linux
    title: Debian GNU/Linux, with Linux
  tasks:
    - name: Pin the running kernel, install the new one, boot it once
      ansible.builtin.raw: |
        set -e
        sed -i 's/^GRUB_DEFAULT=.*/GRUB_DEFAULT=saved/' /etc/default/grub
        grub-set-default "{{ submenu }}>{{ title }} $(uname -r)"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q linux-image-{{ new_release }}
        grub-reboot "{{ submenu }}>{{ title }} {{ new_release }}"
    - name: Reboot into it
      ansible.builtin.reboot:
        test_command: uname -r
    - name: Make it the default once it runs
      ansible.builtin.raw: |
        set -e
        test "$(uname -r)" = "{{ new_release }}"
        grub-set-default "{{ submenu }}>{{ title }} {{ new_release }}"
`;
}
function inventoryIni(sim) {
    const hosts = sim.hosts.map((h) => `${h.name} ansible_host=127.0.0.1 ansible_port=${h.port}`);
    const sshArgs = [
        `-o UserKnownHostsFile=${sim.knownHostsPath}`,
        '-o GlobalKnownHostsFile=/dev/null',
        '-o StrictHostKeyChecking=yes',
        '-o IdentitiesOnly=yes',
    ].join(' ');
    return [
        '[fleet]',
        ...hosts,
        '',
        '[fleet:vars]',
        'ansible_user=root',
        `ansible_ssh_private_key_file=${sim.clientKeyPath}`,
        'ansible_python_interpreter=/usr/bin/python3',
        `ansible_ssh_common_args='${sshArgs}'`,
        '',
    ].join('\n');
}
function ansibleCfg(forks) {
    return [
        '[defaults]',
        `forks = ${forks}`,
        'host_key_checking = True',
        'retry_files_enabled = False',
        'nocolor = True',
        '',
        '[ssh_connection]',
        'pipelining = True',
        '',
    ].join('\n');
}
async function runKernelRollout(t, hosts, boot, percent, prepareAhead, useKexec = false) {
    const worker = await lib_1.WorkerProcess.start(t.address);
    const { sim } = await (0, lib_1.startFleet)(hosts, boot);
    const connection = await client_1.Connection.connect({ address: t.address });
    try {
        const names = sim.hosts.map((h) => h.name);
        const cpu0 = { worker: worker.cpuSeconds(), server: (0, lib_1.processCpuSeconds)(t.pid), self: (0, lib_1.processCpuSeconds)('self') };
        const t0 = Date.now();
        const { handle } = await (0, rollout_1.startRollout)(new client_1.Client({ connection }), worker.taskQueue, {
            rolloutId: `bench-vs-ansible-${Date.now()}`,
            template: { ...(0, lib_1.rolloutTemplate)(sim, { pollCapSeconds: 0.5 }), useKexec },
            hosts: (0, lib_1.rolloutHosts)(sim, names),
            strategy: { canary: 0, batches: [`${percent}%`] },
            failureBudget: '0',
            prepareAhead,
        });
        const result = await handle.result();
        const wall = (Date.now() - t0) / 1000;
        const workerCpu = worker.cpuSeconds() - cpu0.worker;
        const serverCpu = (0, lib_1.processCpuSeconds)(t.pid) - cpu0.server;
        const hostsCpu = (0, lib_1.processCpuSeconds)('self') - cpu0.self;
        const bad = (0, lib_1.notUpgraded)(sim, names);
        (0, lib_1.say)(`kernel-rollout${useKexec ? ' (kexec)' : ''}: ${result.outcome} in ${wall.toFixed(1)} s, ${result.batches} batches; CPU worker ` +
            `${workerCpu.toFixed(1)} s + Temporal ${serverCpu.toFixed(1)} s; ${names.length - bad.length}/${names.length} upgraded`);
        if (bad.length > 0)
            (0, lib_1.say)(`  not upgraded: ${bad.slice(0, 5).join('; ')}`);
        return {
            wall,
            cpu: workerCpu + serverCpu,
            cpuDetail: `worker ${workerCpu.toFixed(1)} s + Temporal ${serverCpu.toFixed(1)} s`,
            hostsCpu,
            upgraded: names.length - bad.length,
        };
    }
    finally {
        await connection.close();
        await worker.stop();
        await sim.stop();
    }
}
async function runAnsible(venv, hosts, boot, percent, forks) {
    const { sim } = await (0, lib_1.startFleet)(hosts, boot);
    const dir = (0, node_fs_1.mkdtempSync)(path.join(os.tmpdir(), 'kr-bench-ansible-'));
    try {
        (0, node_fs_1.writeFileSync)(path.join(dir, 'inventory.ini'), inventoryIni(sim));
        (0, node_fs_1.writeFileSync)(path.join(dir, 'upgrade-kernel.yml'), playbookYaml(percent));
        (0, node_fs_1.writeFileSync)(path.join(dir, 'ansible.cfg'), ansibleCfg(forks));
        const logPath = path.join(dir, 'ansible-playbook.log');
        const usagePath = path.join(dir, 'rusage.json');
        const env = {
            ...process.env,
            ANSIBLE_CONFIG: path.join(dir, 'ansible.cfg'),
            ANSIBLE_HOME: path.join(dir, 'home'),
            ANSIBLE_LOCAL_TEMP: path.join(dir, 'tmp'),
            PATH: `${path.join(venv, 'bin')}:${process.env['PATH'] ?? ''}`,
        };
        const names = sim.hosts.map((h) => h.name);
        const self0 = (0, lib_1.processCpuSeconds)('self');
        const log = (0, node_fs_1.openSync)(logPath, 'w');
        const child = (0, node_child_process_1.spawn)('python3', [
            benchFile('ansible', 'rusage.py'),
            usagePath,
            path.join(venv, 'bin', 'ansible-playbook'),
            '-i',
            path.join(dir, 'inventory.ini'),
            path.join(dir, 'upgrade-kernel.yml'),
        ], { cwd: dir, env, stdio: ['ignore', log, log] });
        const code = await new Promise((resolve) => child.on('exit', (c) => resolve(c ?? -1)));
        const hostsCpu = (0, lib_1.processCpuSeconds)('self') - self0;
        const usage = JSON.parse((0, node_fs_1.readFileSync)(usagePath, 'utf8'));
        const output = (0, node_fs_1.readFileSync)(logPath, 'utf8');
        const recap = output.split('PLAY RECAP')[1] ?? '';
        const clean = recap.split('\n').filter((l) => / failed=0 /.test(l) && / unreachable=0 /.test(l)).length;
        const bad = (0, lib_1.notUpgraded)(sim, names);
        const cpu = usage.userSeconds + usage.systemSeconds;
        (0, lib_1.say)(`Ansible: exit ${code} in ${usage.wallSeconds.toFixed(1)} s; CPU ${cpu.toFixed(1)} s (user ${usage.userSeconds.toFixed(1)}, ` +
            `sys ${usage.systemSeconds.toFixed(1)}, ${usage.orphansReaped} detached ssh masters reaped); recap clean for ` +
            `${clean} hosts; ${names.length - bad.length}/${names.length} upgraded`);
        if (code !== 0 || bad.length > 0) {
            (0, lib_1.say)(`  output (last lines of ${logPath}):\n${output.split('\n').slice(-40).join('\n')}`);
            (0, lib_1.say)(`  not upgraded: ${bad.slice(0, 5).join('; ')}`);
        }
        return {
            wall: usage.wallSeconds,
            cpu,
            cpuDetail: `ansible-playbook tree: user ${usage.userSeconds.toFixed(1)} s + sys ${usage.systemSeconds.toFixed(1)} s`,
            hostsCpu,
            upgraded: names.length - bad.length,
        };
    }
    finally {
        await sim.stop();
        if (!process.env['KERNEL_ROLLOUT_BENCH_KEEP'])
            (0, node_fs_1.rmSync)(dir, { recursive: true, force: true });
        else
            (0, lib_1.say)(`kept ${dir}`);
    }
}
async function ansibleBench(argv, temporal) {
    const opts = (0, lib_1.numericFlags)(argv, { hosts: 100, boot: 20, percent: 10, forks: 0, 'prepare-ahead': 1, kexec: 1 });
    const prepareAhead = opts['prepare-ahead'] !== 0;
    const batch = Math.max(1, Math.floor((opts.hosts * opts.percent) / 100));
    const forks = opts.forks || batch;
    const venv = (0, ansible_1.ensureAnsible)(lib_1.say);
    const version = (0, node_child_process_1.execFileSync)(path.join(venv, 'bin', 'ansible-playbook'), ['--version'], { encoding: 'utf8' }).split('\n')[0];
    (0, lib_1.say)(`\n## ${BENCH}: ${opts.hosts} simulated hosts each, ${opts.boot} s boot, batches of ${opts.percent}% ` +
        `(${batch} hosts); ${version}, forks ${forks}; kernel-rollout stabilitySeconds 0, canary 0, ` +
        `prepareAhead ${prepareAhead}`);
    const kr = await (0, lib_1.withTemporal)(temporal, (t) => runKernelRollout(t, opts.hosts, opts.boot, opts.percent, prepareAhead));
    const ans = await runAnsible(venv, opts.hosts, opts.boot, opts.percent, forks);
    // Beside the like-for-like comparison: kernel-rollout's kexec trial boot, which Ansible's
    // reboot module has no equivalent of. The simulator's kexec takes half the boot time.
    const kx = opts.kexec !== 0
        ? await (0, lib_1.withTemporal)(temporal, (t) => runKernelRollout(t, opts.hosts, opts.boot, opts.percent, prepareAhead, true))
        : null;
    const n = `${opts.hosts} hosts`;
    const kexecFigures = kx
        ? [
            {
                bench: BENCH,
                name: `${n}: kernel-rollout wall with kexec`,
                value: (0, lib_1.round)(kx.wall, 1),
                unit: 's',
                note: `${kx.upgraded}/${opts.hosts} upgraded and checked; the simulator's kexec boot is ${opts.boot / 2} s (half the boot: no firmware)`,
            },
            {
                bench: BENCH,
                name: `${n}: wall ratio Ansible / kernel-rollout with kexec`,
                value: (0, lib_1.round)(ans.wall / kx.wall, 2),
                unit: '×',
                note: 'not like for like: the playbook reboots through the firmware',
            },
        ]
        : [];
    return [
        {
            bench: BENCH,
            name: `${n}: kernel-rollout wall`,
            value: (0, lib_1.round)(kr.wall, 1),
            unit: 's',
            note: `${kr.upgraded}/${opts.hosts} upgraded and checked; prepareAhead ${prepareAhead}`,
        },
        {
            bench: BENCH,
            name: `${n}: Ansible wall`,
            value: (0, lib_1.round)(ans.wall, 1),
            unit: 's',
            note: `${ans.upgraded}/${opts.hosts} upgraded and checked`,
        },
        {
            bench: BENCH,
            name: `${n}: wall ratio Ansible / kernel-rollout`,
            value: (0, lib_1.round)(ans.wall / kr.wall, 2),
            unit: '×',
            // Reported, not a target: a batch cannot finish before its own boot (the fleet bench's
            // distance to the floor is the figure of merit).
            note: 'reported: a batch cannot end before its own boot',
        },
        { bench: BENCH, name: `${n}: kernel-rollout CPU`, value: (0, lib_1.round)(kr.cpu, 1), unit: 's', note: kr.cpuDetail },
        { bench: BENCH, name: `${n}: Ansible CPU`, value: (0, lib_1.round)(ans.cpu, 1), unit: 's', note: ans.cpuDetail },
        {
            bench: BENCH,
            name: `${n}: orchestrator CPU a host, kernel-rollout`,
            value: (0, lib_1.round)(kr.cpu / opts.hosts, 3),
            unit: 'CPU s',
            // The target is Ansible's own figure in the same run, on an identical fleet.
            target: { op: '<=', value: (0, lib_1.round)(ans.cpu / opts.hosts, 3) },
            note: `Ansible: ${(ans.cpu / opts.hosts).toFixed(3)} CPU s a host`,
        },
        {
            bench: BENCH,
            name: `${n}: CPU ratio Ansible / kernel-rollout`,
            value: (0, lib_1.round)(ans.cpu / kr.cpu, 2),
            unit: '×',
            note: `simulated hosts' own CPU: ${kr.hostsCpu.toFixed(0)} s under kernel-rollout, ${ans.hostsCpu.toFixed(0)} s under Ansible`,
        },
        ...kexecFigures,
    ];
}
if (require.main === module)
    (0, lib_1.runStandalone)(ansibleBench);
//# sourceMappingURL=ansible.js.map