/**
 * The host as activities and drivers see it: an SSH session that runs commands (as root with
 * `sudo`), kernel-rollout's directories on it, and the reads every step starts with. No zod and
 * no connection code here: the drivers import it, and the schemas import the drivers.
 */
import type { ExecResult } from './ssh';

/** What activities and drivers need from an SSH connection; SshSession provides it. */
export interface HostSession {
  exec(command: string, opts?: { timeoutMs?: number; sudo?: boolean; stdin?: string | Buffer }): Promise<ExecResult>;
  run(command: string, opts?: { timeoutMs?: number; sudo?: boolean; stdin?: string | Buffer }): Promise<string>;
  upload(
    localPath: string,
    remotePath: string,
    opts?: { expectedSha256?: string; mode?: number; sudo?: boolean },
  ): Promise<{ sha256: string; bytes: number }>;
  close(): void;
  /** Whether the connection is still up; a session without it is never kept for a next activity. */
  isOpen?(): boolean;
}

/** kernel-rollout's own files on the host: install records, the committed release. */
export const STATE_DIR = '/var/lib/kernel-rollout';
/** Per-boot markers (gone with the boot): the reboot request, the trial's confirmation. */
export const RUN_DIR = '/run/kernel-rollout';

export const sudo = { sudo: true } as const;

/** The host is not in a state in which the step is safe; a retry does not change that. */
export class UnsafeHostError extends Error {
  override name = 'UnsafeHostError';
}

export async function readBootId(s: HostSession): Promise<string> {
  return (await s.run('cat /proc/sys/kernel/random/boot_id')).trim();
}

/** `uname -r` and the boot id, in one round trip (the commands and their order are fixed). */
export async function readRunningKernelAndBoot(s: HostSession): Promise<{ running: string; bootId: string }> {
  const out = await s.run('uname -r; cat /proc/sys/kernel/random/boot_id');
  const [running = '', bootId = ''] = out
    .trim()
    .split('\n')
    .map((l) => l.trim());
  return { running, bootId };
}
