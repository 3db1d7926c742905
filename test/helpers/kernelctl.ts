/** Runs the real kernelctl (bin/kernelctl.js) as a child process against a test's dev server. */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { temporalAddress } from './temporal';

const kernelctl = path.join(__dirname, '..', '..', '..', 'bin', 'kernelctl.js');

export interface KernelctlRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `kernelctl ARGS --address <the dev server> --task-queue QUEUE`, to its exit. */
export async function kernelctlOn(taskQueue: string, args: string[]): Promise<KernelctlRun> {
  const address = await temporalAddress();
  const child = spawn(process.execPath, [kernelctl, ...args, '--address', address, '--task-queue', taskQueue], {
    env: { ...process.env, KERNELCTL_ACTOR: 'test-operator' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  const code = await new Promise<number | null>((r) => child.on('exit', r));
  return { code, stdout, stderr };
}
