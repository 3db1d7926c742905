/**
 * Whether an SSH server answers on a port: a TCP connection that receives the server's first bytes
 * (its `SSH-2.0-…` identification) within `timeoutMs`, over a fresh connection every so often
 * while none has (./banner.ts says why). No handshake, no key, no credentials: the wait for a
 * rebooting host asks this every 100 ms while it is away and opens a real session (host key
 * verified, boot id read) once it answers. A port that refuses, resets or closes without a word
 * (a port forward whose guest is not listening yet) says `no`. One that accepts and stays silent
 * for `timeoutMs` says `silent`: a slow sshd (one re-executing itself on an emulated CPU) or a
 * port forward still waiting for its guest; only a session can tell which.
 */
import { firstBanner } from './banner';

export type SshAnswer = 'answers' | 'no' | 'silent';

export async function sshServerAnswers(host: string, port: number, timeoutMs: number): Promise<SshAnswer> {
  const outcome = await firstBanner(host, port, timeoutMs);
  switch (outcome.kind) {
    case 'banner':
      outcome.sock.destroy();
      return 'answers';
    case 'silent':
      return 'silent';
    default:
      return 'no';
  }
}
