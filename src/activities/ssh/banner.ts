/**
 * The first bytes an SSH server sends (its `SSH-2.0-…` identification), over whichever of a few
 * TCP connections gets them first. Used by the wait for a rebooting host: the probe that asks
 * whether its SSH server answers (./answers.ts) and the session's banner wait (bannerTimeoutMs).
 *
 * Why more than one connection: a connection opened while the host was away can stay open and
 * silent after its SSH server listens again. A hypervisor's port forward (qemu's user-mode
 * network) or a NAT in front of a booting guest accepts it at once and passes the guest a SYN the
 * guest does not take while its network is down; the guest sees that connection only on a later
 * retransmission, seconds after sshd listens, while a connection made after sshd listens is
 * answered at once. One connection held for the whole window made the wait's detection depend on
 * where in that window sshd came up: 0 to 5 s late on the testbed VM. So while none has answered,
 * a fresh connection is opened every GAP_MS; at most MAX_OPEN are open, and the oldest (the one
 * most likely stale) is closed to make room. The first to answer wins and the others are closed.
 * An SSH server that is merely slow still answers on one of them; the few others each cost it a
 * pre-auth child that ends when its connection closes.
 *
 * A connection refused, reset or closed without a word: when it is the newest one, the port
 * refuses now and the answer is `refused` at once; an older one that ends so is dropped (its
 * path through the port forward was stale).
 */
import * as net from 'node:net';

export type BannerOutcome =
  | { readonly kind: 'banner'; readonly sock: net.Socket; readonly chunk: Buffer }
  | { readonly kind: 'refused'; readonly error: NodeJS.ErrnoException | null }
  | { readonly kind: 'silent' }
  | { readonly kind: 'unreached' };

/** A fresh connection every this many ms while none has answered. */
export const GAP_MS = 500;
/** At most this many connections open at once: the oldest makes room for a fresh one. */
export const MAX_OPEN = 4;

/**
 * Within `timeoutMs`: `banner` (the socket, paused, and the bytes it received: the caller owns
 * it), `refused` (the newest connection was refused or closed), `silent` (connections were
 * accepted, none spoke) or `unreached` (none was even accepted: a connect that hangs).
 * `spread` changes the gap and the cap (tests).
 */
export function firstBanner(
  host: string,
  port: number,
  timeoutMs: number,
  spread: { gapMs?: number; maxOpen?: number } = {},
): Promise<BannerOutcome> {
  const maxOpen = spread.maxOpen ?? MAX_OPEN;
  const gapMs = spread.gapMs ?? GAP_MS;
  return new Promise((resolve) => {
    const open = new Set<net.Socket>();
    let newest: net.Socket | undefined;
    let accepted = false;
    let settled = false;

    const finish = (outcome: BannerOutcome, keep?: net.Socket): void => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      clearInterval(fresh);
      for (const s of open) {
        s.removeAllListeners('data');
        s.removeAllListeners('connect');
        if (s !== keep) s.destroy();
      }
      resolve(outcome);
    };

    // `fresh` and `deadline` are set before any connection can call finish (it runs in a later tick).
    const attempt = (): void => {
      const sock = net.connect({ host, port });
      open.add(sock);
      newest = sock;
      sock.once('connect', () => (accepted = true));
      sock.once('data', (chunk: Buffer) => {
        sock.pause();
        finish({ kind: 'banner', sock, chunk }, sock);
      });
      let error: NodeJS.ErrnoException | null = null;
      sock.on('error', (e: NodeJS.ErrnoException) => (error = e));
      sock.once('close', () => {
        open.delete(sock);
        if (sock === newest) finish({ kind: 'refused', error });
      });
    };

    // After a stall of the event loop (a worker just started, busy replaying) the timers run
    // before the connections' own events, which were ready long before: let those run first, so
    // a connection that answered is neither closed for room nor taken for one that did not.
    const fresh = setInterval(
      () =>
        setImmediate(() => {
          if (settled) return;
          if (open.size >= maxOpen) {
            const oldest = open.values().next().value;
            if (oldest !== undefined) {
              open.delete(oldest);
              oldest.destroy();
            }
          }
          attempt();
        }),
      gapMs,
    );
    const deadline = setTimeout(
      () => setImmediate(() => finish(accepted ? { kind: 'silent' } : { kind: 'unreached' })),
      timeoutMs,
    );
    attempt();
  });
}
