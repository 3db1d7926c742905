"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.startToolHost = startToolHost;
/**
 * A host for driver tests: a real OpenSSH sshd on 127.0.0.1 (./sshd.ts) and a kernel-rollout
 * HostSession over the product's own SSH transport, every command of which finds the files in
 * `toolDir` first on its PATH (pipes included), as if those fake tools (systemctl, journalctl…)
 * were installed on the host. Real shell, real quoting, real exit codes; only the named tools
 * are stand-ins.
 */
const shell_1 = require("../src/shared/shell");
const ssh_1 = require("../src/activities/ssh");
const sshd_1 = require("./sshd");
async function startToolHost(toolDir) {
    const sshd = await (0, sshd_1.startSshd)({ users: ['root'] });
    const ssh = await ssh_1.SshSession.connect({
        host: '127.0.0.1',
        port: sshd.port,
        user: 'root',
        trustOnFirstUse: false,
        privateKeyPath: sshd.clientKeyPath,
        knownHostsPath: sshd.knownHostsPath,
    });
    const onPath = (command) => `PATH=${(0, shell_1.shellQuote)(toolDir)}:"$PATH"; ${command}`;
    const session = {
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
//# sourceMappingURL=tool-host.js.map