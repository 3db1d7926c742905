/**
 * A host for driver tests: a real OpenSSH sshd on 127.0.0.1 (./sshd.ts) and a kernel-rollout
 * HostSession over the product's own SSH transport, every command of which finds the files in
 * `toolDir` first on its PATH (pipes included), as if those fake tools (systemctl, journalctl…)
 * were installed on the host. Real shell, real quoting, real exit codes; only the named tools
 * are stand-ins.
 */
import { shellQuote } from '../src/shared/shell';
import type { HostSession } from '../src/activities';
import { SshSession } from '../src/activities/ssh';
import { startSshd, type SshdHandle } from './sshd';

export interface ToolHost {
  sshd: SshdHandle;
  session: HostSession;
  /** Closes the session and stops sshd. */
  stop(): Promise<void>;
}

export async function startToolHost(toolDir: string): Promise<ToolHost> {
  const sshd = await startSshd({ users: ['root'] });
  const ssh = await SshSession.connect({
    host: '127.0.0.1',
    port: sshd.port,
    user: 'root',
    trustOnFirstUse: false,
    privateKeyPath: sshd.clientKeyPath,
    knownHostsPath: sshd.knownHostsPath,
  });
  const onPath = (command: string) => `PATH=${shellQuote(toolDir)}:"$PATH"; ${command}`;
  const session: HostSession = {
    exec: (command, opts) => ssh.exec(onPath(command), opts),
    run: (command, opts) => ssh.run(onPath(command), opts),
    upload: (...args) => ssh.upload(...args),
    close: () => ssh.close(),
  };
  return {
    sshd,
    session,
    stop: async () => {
      ssh.close();
      await sshd.stop();
    },
  };
}
