/**
 * What every activity shares: the SSH session it runs commands in, the connection to the host
 * (opened for one activity, or kept a few seconds for the next: ssh/session-pool.ts), and the translation of thrown errors into failures
 * whose type says whether Temporal should retry.
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { SshTargetInput } from '../shared/types';
import { NON_RETRYABLE_ERRORS } from '../shared/types';
import { parseOrThrow, sshTargetSchema } from '../shared/schemas';
import type { HostSession } from './host';
import { sshServerAnswers, type SshAnswer } from './ssh/answers';
import { connectTo } from './ssh/connect';
import type { SessionPool } from './ssh/session-pool';

export interface ActivityDeps {
  connect(target: SshTargetInput, opts?: { connectTimeoutMs?: number; bannerTimeoutMs?: number }): Promise<HostSession>;
  /**
   * Whether an SSH server answers at an address and port (ssh/answers.ts): how the wait for a
   * rebooting host watches it while it is away. Without it, the wait connects each time.
   */
  sshAnswers?(host: string, port: number, timeoutMs: number): Promise<SshAnswer>;
}

export const realDeps: ActivityDeps = { connect: connectTo, sshAnswers: sshServerAnswers };

/** Turns thrown errors into ApplicationFailures whose type and retryability are explicit. */
export function asFailure(err: unknown): Error {
  if (err instanceof ApplicationFailure) return err;
  const e = err instanceof Error ? err : new Error(String(err));
  const type = e.name && e.name !== 'Error' ? e.name : 'HostCommandError';
  const nonRetryable = (NON_RETRYABLE_ERRORS as readonly string[]).includes(type);
  return ApplicationFailure.create({ message: e.message, type, nonRetryable, cause: e });
}

/**
 * Runs `fn` in a session to the validated target and types what it throws. With a pool, the
 * session is one an earlier activity left to this same target if it is still open, and goes back
 * to the pool when `fn` returns (unless `keep: false`: the reboot's connection dies with the
 * boot); a session whose `fn` threw is closed.
 */
export type WithHost = <T>(
  target: SshTargetInput,
  fn: (s: HostSession) => Promise<T>,
  opts?: { keep?: boolean },
) => Promise<T>;

export function hostAccess(deps: ActivityDeps, pool?: SessionPool): WithHost {
  return async (targetInput, fn, opts) => {
    const target = parseOrThrow(sshTargetSchema, targetInput, 'target');
    let session: HostSession | undefined;
    let keep = false;
    try {
      session = pool?.take(target) ?? (await deps.connect(target));
      const out = await fn(session);
      keep = pool !== undefined && opts?.keep !== false;
      return out;
    } catch (err) {
      throw asFailure(err);
    } finally {
      if (session && keep) pool?.give(target, session);
      else session?.close();
    }
  };
}
