/**
 * Whether something on HOST:PORT sends an SSH banner within a time limit. qemu's user-mode network
 * accepts a TCP connection on the host side while the guest's sshd is not up yet, so a plain
 * connect proves nothing and an SSH client would sit in its banner timeout: this reads the banner
 * with a short limit first.
 */
import * as net from 'node:net';

export function readSshBanner(port: number, timeoutMs: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ host, port });
    let buf = '';
    let done = false;
    const finish = (ok: boolean): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    sock.setEncoding('latin1');
    sock.on('data', (d: string) => {
      buf += d;
      if (buf.includes('SSH-')) finish(true);
    });
    sock.on('error', () => finish(false));
    sock.on('close', () => finish(false));
  });
}
