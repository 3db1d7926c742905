/** Shared by the simulator tests: a real OpenSSH client against a simulated host. */
import { execFile } from 'node:child_process';

import type { Simulator } from '../../sim/simulator';
import type { SshTargetInput } from '../../src/shared/types';

export interface SshResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** OpenSSH client options and destination for a simulated host: its known_hosts, strict checking. */
export function simSshArgs(sim: Simulator, host: string, extraOptions: string[] = []): string[] {
  const h = sim.host(host);
  return [
    '-o', 'BatchMode=yes',
    '-o', 'StrictHostKeyChecking=yes',
    '-o', `UserKnownHostsFile=${sim.knownHostsPath}`,
    '-o', 'GlobalKnownHostsFile=/dev/null',
    '-o', 'IdentitiesOnly=yes',
    '-o', 'ConnectTimeout=5',
    ...extraOptions,
    '-i', sim.clientKeyPath,
    '-p', String(h.port),
    `root@${h.address}`,
  ]; // prettier-ignore
}

/** `ssh` with StrictHostKeyChecking=yes and the simulator's known_hosts; never throws on exit codes. */
export function ssh(sim: Simulator, host: string, command: string, timeoutMs = 20_000): Promise<SshResult> {
  const args = [...simSshArgs(sim, host), command];
  return new Promise((resolve) => {
    execFile('ssh', args, { timeout: timeoutMs, encoding: 'utf8' }, (err, stdout, stderr) => {
      const code = err
        ? typeof (err as { code?: unknown }).code === 'number'
          ? (err as { code: number }).code
          : -1
        : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

export async function sshOk(sim: Simulator, host: string, command: string): Promise<string> {
  const r = await ssh(sim, host, command);
  if (r.code !== 0) throw new Error(`${host}: \`${command}\` exited ${r.code}: ${r.stderr}`);
  return r.stdout;
}

export const OLD = '6.1.0-55-cloud-amd64';
export const NEW = '6.1.0-56-cloud-amd64';
export const UUID = 'caa8d92e-fad6-4218-9359-c050c6c3efbd';
export const entryOf = (release: string) => `gnulinux-advanced-${UUID}>gnulinux-${release}-advanced-${UUID}`;

/** How kernel-rollout's own SSH transport reaches a simulated host (the simulator's key and known_hosts). */
export function simTarget(sim: Simulator, host: string): SshTargetInput {
  return {
    host,
    address: '127.0.0.1',
    port: sim.host(host).port,
    user: 'root',
    privateKeyPath: sim.clientKeyPath,
    knownHostsPath: sim.knownHostsPath,
    trustOnFirstUse: false,
  };
}
