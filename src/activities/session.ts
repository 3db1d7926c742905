/**
 * What every activity shares: the SSH session it runs commands in, the connection to the host
 * (opened and closed around one activity), and the translation of thrown errors into failures
 * whose type says whether Temporal should retry.
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { SshTargetInput } from '../shared/types';
import { NON_RETRYABLE_ERRORS } from '../shared/types';
import { parseOrThrow, sshTargetSchema } from '../shared/schemas';
import type { HostSession } from './host';
import { connectTo } from './connect';

export interface ActivityDeps {
  connect(target: SshTargetInput, opts?: { connectTimeoutMs?: number; bannerTimeoutMs?: number }): Promise<HostSession>;
}

export const realDeps: ActivityDeps = { connect: connectTo };

/** Turns thrown errors into ApplicationFailures whose type and retryability are explicit. */
export function asFailure(err: unknown): Error {
  if (err instanceof ApplicationFailure) return err;
  const e = err instanceof Error ? err : new Error(String(err));
  const type = e.name && e.name !== 'Error' ? e.name : 'HostCommandError';
  const nonRetryable = (NON_RETRYABLE_ERRORS as readonly string[]).includes(type);
  return ApplicationFailure.create({ message: e.message, type, nonRetryable, cause: e });
}

/** Runs `fn` in a session to the validated target, closes it, and types what it throws. */
export type WithHost = <T>(target: SshTargetInput, fn: (s: HostSession) => Promise<T>) => Promise<T>;

export function hostAccess(deps: ActivityDeps): WithHost {
  return async (targetInput, fn) => {
    const target = parseOrThrow(sshTargetSchema, targetInput, 'target');
    let session: HostSession | undefined;
    try {
      session = await deps.connect(target);
      return await fn(session);
    } catch (err) {
      throw asFailure(err);
    } finally {
      session?.close();
    }
  };
}
