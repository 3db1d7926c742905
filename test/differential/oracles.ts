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
import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { shellQuote } from '../../src/shared/shell';

const execFileAsync = promisify(execFile);
const END = 'END-OF-ARGV';

import { ANSIBLE_CORE_VERSION, ensureAnsible } from '../../testbed/ansible';

export { ANSIBLE_CORE_VERSION, ensureAnsible };

const ORACLE_PY = path.join(__dirname, '..', '..', '..', 'test', 'differential', 'ansible-oracle.py');

export interface AnsibleView {
  error?: string;
  hosts: string[];
  groups: Record<string, string[]>;
  limits: Record<string, string[] | { error: string }>;
}

const ansibleEnv = (home: string): NodeJS.ProcessEnv => {
  // An empty configuration: no ansible.cfg of the machine or the working directory applies.
  const cfg = path.join(home, 'ansible.cfg');
  if (!existsSync(cfg)) writeFileSync(cfg, '[defaults]\n');
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
export async function ansibleInventories(
  venv: string,
  requests: { file: string; limits: string[] }[],
  home: string,
): Promise<AnsibleView[]> {
  const input = path.join(home, 'oracle-input.json');
  writeFileSync(input, JSON.stringify(requests));
  const { stdout } = await execFileAsync(path.join(venv, 'bin', 'python'), [ORACLE_PY, input], {
    env: ansibleEnv(home),
    maxBuffer: 256 << 20,
  });
  return JSON.parse(stdout) as AnsibleView[];
}

/** The argv (without the executable) Ansible ran ssh with, per inventory name; absent: no ssh. */
export async function ansibleSshArgv(
  venv: string,
  file: string,
  hosts: string[],
  home: string,
): Promise<Map<string, string[]>> {
  const dir = mkdtempSync(path.join(home, 'fake-ssh-'));
  const records = path.join(dir, 'records');
  mkdirSync(records);
  const fake = path.join(dir, 'fake-ssh');
  // A shell script (a Python one costs most of a second per host): every argument followed by a
  // NUL, the record closed by an END marker. Each ssh process writes its own file: up to 50 run
  // at once, and appends from several printf calls to one shared file interleave.
  writeFileSync(
    fake,
    `#!/bin/sh\n{ printf '%s\\0' "\${0##*/}" "$@"; printf '%s\\0' ${END}; } >> ${shellQuote(records)}/$$\nexit 255\n`,
    { mode: 0o755 },
  );
  const links = path.join(dir, 'by-name');
  mkdirSync(links);
  for (const h of hosts) if (!h.includes('/') && h !== '.' && h !== '..') symlinkSync(fake, path.join(links, h));
  await execFileAsync(
    path.join(venv, 'bin', 'ansible'),
    ['all', '-i', file, '-m', 'ping', '-f', '50', '-e', `ansible_ssh_executable=${links}/{{ inventory_hostname }}`],
    { env: ansibleEnv(home), maxBuffer: 64 << 20 },
  ).catch(() => undefined); // every host is unreachable by design: ansible exits non-zero
  const out = new Map<string, string[]>();
  // Oldest record first: a host's first ssh run is the one compared.
  const byAge = readdirSync(records)
    .map((f) => ({ f, t: statSync(path.join(records, f)).mtimeMs }))
    .sort((x, y) => x.t - y.t || x.f.localeCompare(y.f));
  for (const { f } of byAge) {
    let record: string[] = [];
    for (const field of readFileSync(path.join(records, f), 'utf8').split('\0')) {
      if (field !== END) {
        record.push(field);
        continue;
      }
      const [name, ...argv] = record;
      if (name !== undefined && !out.has(name)) out.set(name, argv);
      record = [];
    }
  }
  rmSync(dir, { recursive: true, force: true });
  return out;
}

/** `ssh -G` output as keyword → values (keywords that repeat, like identityfile, keep all). */
export type SshEffective = Map<string, string[]>;

export async function sshG(args: string[]): Promise<SshEffective> {
  const { stdout } = await execFileAsync('ssh', ['-G', ...args], { maxBuffer: 16 << 20 });
  const out: SshEffective = new Map();
  for (const line of stdout.split('\n')) {
    const m = /^(\S+) (.*)$/.exec(line);
    if (!m) continue;
    out.set(m[1]!, [...(out.get(m[1]!) ?? []), m[2]!]);
  }
  return out;
}

/** Ansible's recorded argv → the options and destination for `ssh -G` (the remote command dropped). */
export function sshGArgsOfAnsible(argv: string[], sshConfig = '/dev/null'): string[] {
  // Ansible ends with the destination and the remote command.
  const args = argv.slice(0, -1);
  // -C (compression) and friends are harmless for -G; keep everything, with the fixture's
  // ssh_config (or none).
  return ['-F', sshConfig, ...args];
}

export async function shlexSplitByPython(venv: string, command: string): Promise<string[]> {
  const { stdout } = await execFileAsync(path.join(venv, 'bin', 'python'), [
    '-c',
    'import json, shlex, sys; print(json.dumps(shlex.split(sys.argv[1])))',
    command,
  ]);
  return JSON.parse(stdout) as string[];
}
