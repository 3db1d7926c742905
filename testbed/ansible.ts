/**
 * ansible-core from PyPI in a cached virtualenv: the real Ansible that the inventory differential
 * test asks (test/differential/) and the Ansible comparison bench runs (bench/ansible.ts). One
 * release and one virtualenv for both, made on first use.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const ANSIBLE_CORE_VERSION = '2.19.14';

/** The virtualenv's directory ($KERNEL_ROLLOUT_ANSIBLE_VENV, or one under ~/.cache/kernel-rollout). */
export function ensureAnsible(log: (line: string) => void = (l) => process.stdout.write(`# ${l}\n`)): string {
  const venv =
    process.env['KERNEL_ROLLOUT_ANSIBLE_VENV'] ??
    process.env['KERNEL_ROLLOUT_BENCH_VENV'] ??
    path.join(os.homedir(), '.cache', 'kernel-rollout', 'bench', `ansible-core-${ANSIBLE_CORE_VERSION}`);
  const playbook = path.join(venv, 'bin', 'ansible-playbook');
  if (existsSync(playbook) && existsSync(path.join(venv, 'bin', 'ansible'))) return venv;
  log(`installing ansible-core ${ANSIBLE_CORE_VERSION} into ${venv} (python3 -m venv + pip, once) …`);
  mkdirSync(path.dirname(venv), { recursive: true });
  execFileSync('python3', ['-m', 'venv', venv], { stdio: 'inherit' });
  execFileSync(
    path.join(venv, 'bin', 'pip'),
    ['install', '--disable-pip-version-check', '-q', `ansible-core==${ANSIBLE_CORE_VERSION}`],
    { stdio: 'inherit' },
  );
  if (!existsSync(playbook)) throw new Error(`pip install ansible-core did not provide ${playbook}`);
  return venv;
}
