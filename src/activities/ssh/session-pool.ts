/**
 * SSH connections kept between one host's activities. An upgrade runs its activities one after
 * the other, each a few milliseconds after the last; each opening its own connection cost a key
 * exchange and a login per step, 1–2 s on a slow host. A connection an activity finished with
 * cleanly waits here a few seconds for the next activity to the same target, then closes.
 *
 * Why this keeps every rule of docs/safety.md: a connection is lent to one activity at a time;
 * it is reused only for the very same target input (address, port, user, credentials, known_hosts,
 * pins, jump hosts: the whole validated input is the key), and its host key was verified when it
 * was opened, seconds earlier — an established SSH connection cannot change hosts. It never
 * outlives the boot it was opened in: the reboot and power-cycle steps throw away the host's
 * connections before acting, a connection that closed (the host went down) is dropped, and one
 * whose activity failed is closed, not kept. Idle connections close after `idleMs`, so a host
 * waiting for approval or a batch holds none.
 */
import type { HostSession } from '../host';

/** How long a finished activity's connection waits for the next activity to the same target. */
export const IDLE_MS = 5_000;
/** At most this many idle connections in one worker: the oldest is closed to make room. */
export const MAX_IDLE = 64;

interface Idle {
  readonly key: string;
  readonly host: string;
  readonly session: HostSession;
  readonly timer: NodeJS.Timeout;
}

/** A session that can say whether its connection is still up (SshSession can; fakes need not). */
function stillOpen(s: HostSession): boolean {
  return typeof s.isOpen === 'function' && s.isOpen();
}

/** The same JSON for the same input whatever its keys' order. */
function keyOf(target: object): string {
  return JSON.stringify(target, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

export class SessionPool {
  private readonly idle: Idle[] = [];

  constructor(
    private readonly idleMs = IDLE_MS,
    private readonly maxIdle = MAX_IDLE,
  ) {}

  /** An idle, still open connection to exactly this target, taken out of the pool; else undefined. */
  take<T extends { host: string }>(target: T): HostSession | undefined {
    const key = keyOf(target);
    for (let i = this.idle.length - 1; i >= 0; i--) {
      const entry = this.idle[i] as Idle;
      if (entry.key !== key) continue;
      this.idle.splice(i, 1);
      clearTimeout(entry.timer);
      if (stillOpen(entry.session)) return entry.session;
      entry.session.close();
    }
    return undefined;
  }

  /** Keeps a connection an activity finished with cleanly; one that is closed already is dropped. */
  give<T extends { host: string }>(target: T, session: HostSession): void {
    if (!stillOpen(session) || this.maxIdle <= 0) {
      session.close();
      return;
    }
    while (this.idle.length >= this.maxIdle) this.drop(0);
    const entry: Idle = {
      key: keyOf(target),
      host: target.host,
      session,
      timer: setTimeout(() => this.drop(this.idle.indexOf(entry)), this.idleMs).unref(),
    };
    this.idle.push(entry);
  }

  /** Closes every idle connection to the host of this name (before a reboot or a power cycle). */
  forget(host: string): void {
    for (let i = this.idle.length - 1; i >= 0; i--) if ((this.idle[i] as Idle).host === host) this.drop(i);
  }

  /** Idle connections now (for tests and the worker's shutdown). */
  get size(): number {
    return this.idle.length;
  }

  /** Closes every idle connection. */
  closeAll(): void {
    while (this.idle.length > 0) this.drop(0);
  }

  private drop(i: number): void {
    if (i < 0) return;
    const [entry] = this.idle.splice(i, 1);
    if (!entry) return;
    clearTimeout(entry.timer);
    entry.session.close();
  }
}
