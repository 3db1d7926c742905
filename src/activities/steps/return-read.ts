/**
 * The verification's read, taken by the poll that found the trial boot. When the workflow says
 * that a verification and commit follow the wait (commitVerifiedTrial: no stability window), the
 * poll that finds a new boot running the expected kernel reads what that verification reads, in
 * the same command, and leaves the read here with its connection; commitVerifiedTrial, lent that
 * connection by the session pool, uses it instead of reading again. One round trip a host less.
 *
 * A read is used at most once, only by the same connection (so the same host and the same boot:
 * a connection never outlives its boot), only for the boot id, kernel and health checks it was
 * taken for, and only for a short while. It lives in the worker's memory, never in history, and
 * goes when its connection does.
 */
import type { HostSession } from '../host';

/** A read older than this is not used: the verification reads again. */
export const RETURN_READ_MAX_AGE_MS = 10_000;

interface ReturnRead {
  readonly bootId: string;
  readonly release: string;
  /** The health checks (as validated) whose read sections it holds. */
  readonly checks: string;
  readonly read: Readonly<Record<string, string>>;
  readonly atMs: number;
}

const reads = new WeakMap<HostSession, ReturnRead>();

/** Keeps the read the poll took over `s` in the boot `bootId` running `release`. */
export function keepReturnRead(
  s: HostSession,
  taken: { bootId: string; release: string; checks: readonly unknown[]; read: Readonly<Record<string, string>> },
): void {
  reads.set(s, { ...taken, checks: JSON.stringify(taken.checks), atMs: Date.now() });
}

/**
 * The read kept on `s` for exactly this boot, kernel and checks, taken out (used once); else
 * undefined. The read's own boot id and kernel sections must say the same.
 */
export function takeReturnRead(
  s: HostSession,
  trial: { bootId: string; release: string },
  checks: readonly unknown[],
): Readonly<Record<string, string>> | undefined {
  const kept = reads.get(s);
  if (kept === undefined) return undefined;
  reads.delete(s);
  const { read } = kept;
  const fits =
    kept.bootId === trial.bootId &&
    kept.release === trial.release &&
    (read['boot-id'] ?? '').trim() === trial.bootId &&
    (read['uname-r'] ?? '').trim() === trial.release &&
    kept.checks === JSON.stringify(checks) &&
    Date.now() - kept.atMs <= RETURN_READ_MAX_AGE_MS;
  return fits ? read : undefined;
}
