"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.entryOf = exports.UUID = exports.NEW = exports.OLD = void 0;
exports.simSshArgs = simSshArgs;
exports.ssh = ssh;
exports.sshOk = sshOk;
exports.simTarget = simTarget;
/** Shared by the simulator tests: a real OpenSSH client against a simulated host. */
const node_child_process_1 = require("node:child_process");
/** OpenSSH client options and destination for a simulated host: its known_hosts, strict checking. */
function simSshArgs(sim, host, extraOptions = []) {
    const h = sim.host(host);
    return [
        '-o', 'BatchMode=yes',
        '-o', 'StrictHostKeyChecking=yes',
        '-o', `UserKnownHostsFile=${sim.knownHostsPath}`,
        '-o', 'GlobalKnownHostsFile=/dev/null',
        '-o', 'IdentitiesOnly=yes',
        '-o', 'ConnectTimeout=5',
        ...extraOptions,
        '-i', sim.clientKeyPath,
        '-p', String(h.port),
        `root@${h.address}`,
    ]; // prettier-ignore
}
/** `ssh` with StrictHostKeyChecking=yes and the simulator's known_hosts; never throws on exit codes. */
function ssh(sim, host, command, timeoutMs = 20_000) {
    const args = [...simSshArgs(sim, host), command];
    return new Promise((resolve) => {
        (0, node_child_process_1.execFile)('ssh', args, { timeout: timeoutMs, encoding: 'utf8' }, (err, stdout, stderr) => {
            const code = err
                ? typeof err.code === 'number'
                    ? err.code
                    : -1
                : 0;
            resolve({ code, stdout, stderr });
        });
    });
}
async function sshOk(sim, host, command) {
    const r = await ssh(sim, host, command);
    if (r.code !== 0)
        throw new Error(`${host}: \`${command}\` exited ${r.code}: ${r.stderr}`);
    return r.stdout;
}
exports.OLD = '6.1.0-55-cloud-amd64';
exports.NEW = '6.1.0-56-cloud-amd64';
exports.UUID = 'caa8d92e-fad6-4218-9359-c050c6c3efbd';
const entryOf = (release) => `gnulinux-advanced-${exports.UUID}>gnulinux-${release}-advanced-${exports.UUID}`;
exports.entryOf = entryOf;
/** How kernel-rollout's own SSH transport reaches a simulated host (the simulator's key and known_hosts). */
function simTarget(sim, host) {
    return {
        host,
        address: '127.0.0.1',
        port: sim.host(host).port,
        user: 'root',
        privateKeyPath: sim.clientKeyPath,
        knownHostsPath: sim.knownHostsPath,
        trustOnFirstUse: false,
    };
}
//# sourceMappingURL=helpers.js.map