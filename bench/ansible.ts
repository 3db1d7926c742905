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
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { startRollout } from '../src/client/rollout';
import { projectRoot } from '../src/dev/temporal-server';
import type { Simulator } from '../sim/simulator';
import { ANSIBLE_CORE_VERSION, ensureAnsible } from '../testbed/ansible';
import {
  NEW,
  WorkerProcess,
  notUpgraded,
  numericFlags,
  processCpuSeconds,
  round,
  rolloutHosts,
  rolloutTemplate,
  runStandalone,
  say,
  startFleet,
  withTemporal,
  type Figure,
  type Temporal,
} from './lib';

const BENCH = 'vs Ansible';

interface Run {
  wall: number;
  /** The orchestrator's CPU seconds (kernel-rollout: worker + Temporal; Ansible: its process tree). */
  cpu: number;
  cpuDetail: string;
  /** The simulated hosts' CPU seconds (the bench process and its sandboxes). */
  hostsCpu: number;
  upgraded: number;
}

export { ANSIBLE_CORE_VERSION, ensureAnsible };

function benchFile(...rel: string[]): string {
  return path.join(projectRoot(), 'bench', ...rel);
}

export function playbookYaml(percent: number): string {
  return `# Written by bench/ansible.ts: the kernel upgrade as an Ansible playbook would do it.
- name: Upgrade the kernel with a one-shot trial boot
  hosts: fleet
  gather_facts: false
  serial: '${percent}%'
  vars:
    new_release: ${NEW}
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

function inventoryIni(sim: Simulator): string {
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

function ansibleCfg(forks: number): string {
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

async function runKernelRollout(
  t: Temporal,
  hosts: number,
  boot: number,
  percent: number,
  prepareAhead: boolean,
  useKexec = false,
): Promise<Run> {
  const worker = await WorkerProcess.start(t.address);
  const { sim } = await startFleet(hosts, boot);
  const connection = await Connection.connect({ address: t.address });
  try {
    const names = sim.hosts.map((h) => h.name);
    const cpu0 = { worker: worker.cpuSeconds(), server: processCpuSeconds(t.pid), self: processCpuSeconds('self') };
    const t0 = Date.now();
    const { handle } = await startRollout(new Client({ connection }), worker.taskQueue, {
      rolloutId: `bench-vs-ansible-${Date.now()}`,
      template: { ...rolloutTemplate(sim, { pollCapSeconds: 0.5 }), useKexec },
      hosts: rolloutHosts(sim, names),
      strategy: { canary: 0, batches: [`${percent}%`] },
      failureBudget: '0',
      prepareAhead,
    });
    const result = await handle.result();
    const wall = (Date.now() - t0) / 1000;
    const workerCpu = worker.cpuSeconds() - cpu0.worker;
    const serverCpu = processCpuSeconds(t.pid) - cpu0.server;
    const hostsCpu = processCpuSeconds('self') - cpu0.self;
    const bad = notUpgraded(sim, names);
    say(
      `kernel-rollout${useKexec ? ' (kexec)' : ''}: ${result.outcome} in ${wall.toFixed(1)} s, ${result.batches} batches; CPU worker ` +
        `${workerCpu.toFixed(1)} s + Temporal ${serverCpu.toFixed(1)} s; ${names.length - bad.length}/${names.length} upgraded`,
    );
    if (bad.length > 0) say(`  not upgraded: ${bad.slice(0, 5).join('; ')}`);
    return {
      wall,
      cpu: workerCpu + serverCpu,
      cpuDetail: `worker ${workerCpu.toFixed(1)} s + Temporal ${serverCpu.toFixed(1)} s`,
      hostsCpu,
      upgraded: names.length - bad.length,
    };
  } finally {
    await connection.close();
    await worker.stop();
    await sim.stop();
  }
}

async function runAnsible(venv: string, hosts: number, boot: number, percent: number, forks: number): Promise<Run> {
  const { sim } = await startFleet(hosts, boot);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kr-bench-ansible-'));
  try {
    writeFileSync(path.join(dir, 'inventory.ini'), inventoryIni(sim));
    writeFileSync(path.join(dir, 'upgrade-kernel.yml'), playbookYaml(percent));
    writeFileSync(path.join(dir, 'ansible.cfg'), ansibleCfg(forks));
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
    const self0 = processCpuSeconds('self');
    const log = openSync(logPath, 'w');
    const child = spawn(
      'python3',
      [
        benchFile('ansible', 'rusage.py'),
        usagePath,
        path.join(venv, 'bin', 'ansible-playbook'),
        '-i',
        path.join(dir, 'inventory.ini'),
        path.join(dir, 'upgrade-kernel.yml'),
      ],
      { cwd: dir, env, stdio: ['ignore', log, log] },
    );
    const code = await new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? -1)));
    const hostsCpu = processCpuSeconds('self') - self0;
    const usage = JSON.parse(readFileSync(usagePath, 'utf8')) as {
      wallSeconds: number;
      userSeconds: number;
      systemSeconds: number;
      orphansReaped: number;
    };
    const output = readFileSync(logPath, 'utf8');
    const recap = output.split('PLAY RECAP')[1] ?? '';
    const clean = recap.split('\n').filter((l) => / failed=0 /.test(l) && / unreachable=0 /.test(l)).length;
    const bad = notUpgraded(sim, names);
    const cpu = usage.userSeconds + usage.systemSeconds;
    say(
      `Ansible: exit ${code} in ${usage.wallSeconds.toFixed(1)} s; CPU ${cpu.toFixed(1)} s (user ${usage.userSeconds.toFixed(1)}, ` +
        `sys ${usage.systemSeconds.toFixed(1)}, ${usage.orphansReaped} detached ssh masters reaped); recap clean for ` +
        `${clean} hosts; ${names.length - bad.length}/${names.length} upgraded`,
    );
    if (code !== 0 || bad.length > 0) {
      say(`  output (last lines of ${logPath}):\n${output.split('\n').slice(-40).join('\n')}`);
      say(`  not upgraded: ${bad.slice(0, 5).join('; ')}`);
    }
    return {
      wall: usage.wallSeconds,
      cpu,
      cpuDetail: `ansible-playbook tree: user ${usage.userSeconds.toFixed(1)} s + sys ${usage.systemSeconds.toFixed(1)} s`,
      hostsCpu,
      upgraded: names.length - bad.length,
    };
  } finally {
    await sim.stop();
    if (!process.env['KERNEL_ROLLOUT_BENCH_KEEP']) rmSync(dir, { recursive: true, force: true });
    else say(`kept ${dir}`);
  }
}

export async function ansibleBench(argv: string[], temporal?: Temporal): Promise<Figure[]> {
  const opts = numericFlags(argv, { hosts: 100, boot: 20, percent: 10, forks: 0, 'prepare-ahead': 1, kexec: 1 });
  const prepareAhead = opts['prepare-ahead'] !== 0;
  const batch = Math.max(1, Math.floor((opts.hosts * opts.percent) / 100));
  const forks = opts.forks || batch;
  const venv = ensureAnsible(say);
  const version = execFileSync(path.join(venv, 'bin', 'ansible-playbook'), ['--version'], { encoding: 'utf8' }).split(
    '\n',
  )[0];
  say(
    `\n## ${BENCH}: ${opts.hosts} simulated hosts each, ${opts.boot} s boot, batches of ${opts.percent}% ` +
      `(${batch} hosts); ${version}, forks ${forks}; kernel-rollout stabilitySeconds 0, canary 0, ` +
      `prepareAhead ${prepareAhead}`,
  );
  const kr = await withTemporal(temporal, (t) =>
    runKernelRollout(t, opts.hosts, opts.boot, opts.percent, prepareAhead),
  );
  const ans = await runAnsible(venv, opts.hosts, opts.boot, opts.percent, forks);
  // Beside the like-for-like comparison: kernel-rollout's kexec trial boot, which Ansible's
  // reboot module has no equivalent of. The simulator's kexec takes half the boot time.
  const kx =
    opts.kexec !== 0
      ? await withTemporal(temporal, (t) =>
          runKernelRollout(t, opts.hosts, opts.boot, opts.percent, prepareAhead, true),
        )
      : null;
  const n = `${opts.hosts} hosts`;
  const kexecFigures: Figure[] = kx
    ? [
        {
          bench: BENCH,
          name: `${n}: kernel-rollout wall with kexec`,
          value: round(kx.wall, 1),
          unit: 's',
          note: `${kx.upgraded}/${opts.hosts} upgraded and checked; the simulator's kexec boot is ${opts.boot / 2} s (half the boot: no firmware)`,
        },
        {
          bench: BENCH,
          name: `${n}: wall ratio Ansible / kernel-rollout with kexec`,
          value: round(ans.wall / kx.wall, 2),
          unit: '×',
          note: 'not like for like: the playbook reboots through the firmware',
        },
      ]
    : [];
  return [
    {
      bench: BENCH,
      name: `${n}: kernel-rollout wall`,
      value: round(kr.wall, 1),
      unit: 's',
      note: `${kr.upgraded}/${opts.hosts} upgraded and checked; prepareAhead ${prepareAhead}`,
    },
    {
      bench: BENCH,
      name: `${n}: Ansible wall`,
      value: round(ans.wall, 1),
      unit: 's',
      note: `${ans.upgraded}/${opts.hosts} upgraded and checked`,
    },
    {
      bench: BENCH,
      name: `${n}: wall ratio Ansible / kernel-rollout`,
      value: round(ans.wall / kr.wall, 2),
      unit: '×',
      // Reported, not a target: a batch cannot finish before its own boot (the fleet bench's
      // distance to the floor is the figure of merit).
      note: 'reported: a batch cannot end before its own boot',
    },
    { bench: BENCH, name: `${n}: kernel-rollout CPU`, value: round(kr.cpu, 1), unit: 's', note: kr.cpuDetail },
    { bench: BENCH, name: `${n}: Ansible CPU`, value: round(ans.cpu, 1), unit: 's', note: ans.cpuDetail },
    {
      bench: BENCH,
      name: `${n}: orchestrator CPU a host, kernel-rollout`,
      value: round(kr.cpu / opts.hosts, 3),
      unit: 'CPU s',
      // The target is Ansible's own figure in the same run, on an identical fleet.
      target: { op: '<=', value: round(ans.cpu / opts.hosts, 3) },
      note: `Ansible: ${(ans.cpu / opts.hosts).toFixed(3)} CPU s a host`,
    },
    {
      bench: BENCH,
      name: `${n}: CPU ratio Ansible / kernel-rollout`,
      value: round(ans.cpu / kr.cpu, 2),
      unit: '×',
      note: `simulated hosts' own CPU: ${kr.hostsCpu.toFixed(0)} s under kernel-rollout, ${ans.hostsCpu.toFixed(0)} s under Ansible`,
    },
    ...kexecFigures,
  ];
}

if (require.main === module) runStandalone(ansibleBench);
