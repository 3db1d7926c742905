/**
 * The kernel arguments of a trial boot, whichever way it is booted (a bootloader's one-shot entry
 * or kexec): `panic=N oops=panic` make a failing kernel fall back by itself, and the trial token
 * lets the revert timer fire on that boot only.
 */
import { KERNEL_ARG_RE, assertMatches, trialArgProblem } from '../../shared/shell';

/** Kernel arguments that make a trial boot fall back by itself. */
export function trialKernelArgs(panicSeconds: number, trialToken: string, extra: readonly string[]): string[] {
  if (!Number.isInteger(panicSeconds) || panicSeconds < 1 || panicSeconds > 3600) {
    throw new Error(`panicSeconds: ${panicSeconds} must be a whole number of seconds from 1 to 3600`);
  }
  assertMatches('trialToken', trialToken, /^[A-Za-z0-9]{1,64}$/, 'trial token');
  for (const arg of extra) {
    assertMatches('trialKernelArgs', arg, KERNEL_ARG_RE, 'kernel argument');
    const bad = trialArgProblem(arg);
    if (bad?.kind === 'override') throw new Error(`trialKernelArgs: refused: ${bad.reason}`);
  }
  return [`panic=${panicSeconds}`, 'oops=panic', `kernel_rollout.trial=${trialToken}`, ...extra];
}

/**
 * The command line for a kexec trial: the running one (/proc/cmdline) without the arguments a
 * bootloader or an earlier trial put there, plus the trial's.
 */
export function kexecCommandLine(currentCmdline: string, trialArgs: readonly string[]): string {
  const kept = currentCmdline
    .trim()
    .split(/\s+/)
    .filter((a) => a && !/^(BOOT_IMAGE|panic|oops|kernel_rollout\.trial)=/.test(a));
  return [...kept, ...trialArgs].join(' ');
}
