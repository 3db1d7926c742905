/**
 * Whether an SSH server answers on a port: a TCP connection that receives the server's first bytes
 * (its `SSH-2.0-…` identification) within `timeoutMs`. No handshake, no key, no credentials: the
 * wait for a rebooting host asks this every 100 ms while it is away and opens a real session
 * (host key verified, boot id read) once it answers. A port that refuses, resets or closes
 * without a word (a port forward whose guest is not listening yet) says `no`. One that accepts and
 * stays silent for `timeoutMs` says `silent`: a slow sshd (one re-executing itself on an emulated
 * CPU) or a port forward still waiting for its guest; only a session can tell which.
 */
import * as net from 'node:net';

export type SshAnswer = 'answers' | 'no' | 'silent';

export function sshServerAnswers(host: string, port: number, timeoutMs: number): Promise<SshAnswer> {
  return new Promise((resolve) => {
    const sock = net.connect({ host, port });
    let settled = false;
    let connected = false;
    const done = (answer: SshAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      sock.destroy();
      resolve(answer);
    };
    // After a stall of the event loop (a worker just started, busy replaying) the timer runs
    // before the connection's own events, which were ready long before: let those run first, so
    // a host that accepted is not taken for one that refused (then power-cycled as lost).
    const timer = setTimeout(() => setImmediate(() => done(connected ? 'silent' : 'no')), timeoutMs);
    sock.once('connect', () => (connected = true));
    sock.once('data', () => done('answers'));
    sock.once('error', () => done('no'));
    sock.once('close', () => done('no'));
  });
}
