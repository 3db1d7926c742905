"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * `kernelctl plan` against a real OpenSSH sshd on loopback, through the dev server and a worker
 * with the real activities: a host whose key cannot be checked (no known_hosts file, or one
 * without the host) is refused with exit 6 and the reason and fix that `upgrade` gives for the
 * same input — not "Workflow execution failed" and exit 1.
 */
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const node_crypto_1 = require("node:crypto");
const node_fs_1 = require("node:fs");
const path = __importStar(require("node:path"));
const activities_1 = require("../../src/activities");
const sshd_1 = require("../../testbed/sshd");
const kernelctl_1 = require("../helpers/kernelctl");
const temporal_1 = require("../helpers/temporal");
(0, node_test_1.describe)('kernelctl plan: a host key that cannot be checked', () => {
    let sshd;
    (0, node_test_1.before)(async () => {
        sshd = await (0, sshd_1.startSshd)();
    });
    (0, node_test_1.after)(async () => {
        await sshd?.stop();
        await (0, temporal_1.stopOwnServer)();
    });
    /** The same target flags for plan and upgrade: this sshd, known_hosts at `knownHosts`. */
    const target = (host, knownHosts) => [
        host,
        '--to',
        temporal_1.NEW,
        '--ssh-address',
        '127.0.0.1',
        '--port',
        String(sshd.port),
        '-i',
        sshd.clientKeyPath,
        '--known-hosts',
        knownHosts,
    ];
    for (const [what, knownHosts] of [
        ['a missing known_hosts file', async () => path.join(sshd.dir, 'no-such-known_hosts')],
        [
            'a known_hosts file without the host',
            async () => {
                const file = path.join(sshd.dir, 'empty_known_hosts');
                await node_fs_1.promises.writeFile(file, '');
                return file;
            },
        ],
    ]) {
        (0, node_test_1.test)(`${what}: exit 6 with the reason and the fix, as upgrade says it`, async () => {
            const file = await knownHosts();
            const host = `web-${(0, node_crypto_1.randomUUID)().slice(0, 8)}`;
            const [plan, upgrade] = await (0, temporal_1.withWorker)((0, activities_1.createActivities)(), async ({ taskQueue }) => [
                await (0, kernelctl_1.kernelctlOn)(taskQueue, ['plan', ...target(host, file)]),
                await (0, kernelctl_1.kernelctlOn)(taskQueue, ['upgrade', ...target(host, file), '--wait']),
            ]);
            strict_1.default.equal(plan.code, 6, `plan exits 6 (refused):\n${plan.stdout}${plan.stderr}`);
            const said = plan.stdout.trim();
            strict_1.default.match(said, new RegExp(`^${host}: refused — preflight could not read ${host}: UnknownHostKeyError: `));
            strict_1.default.match(said, new RegExp(`host key ${sshd.hostFingerprint.replace(/[+/]/g, '\\$&')} \\(ssh-ed25519\\) is not known`));
            strict_1.default.ok(said.includes(`ssh-keyscan -p ${sshd.port} 127.0.0.1 >> ${file}`), said);
            strict_1.default.ok(said.includes(`--host-key-sha256 ${sshd.hostFingerprint}`), said);
            strict_1.default.match(said, /; nothing was changed$/);
            strict_1.default.doesNotMatch(plan.stderr, /Workflow execution failed|Activity task failed/);
            strict_1.default.equal(upgrade.code, 6, `upgrade exits 6 (refused):\n${upgrade.stdout}${upgrade.stderr}`);
            strict_1.default.equal(upgrade.stdout.trim().split('\n').at(-1), said, 'the same words as upgrade');
        });
    }
});
//# sourceMappingURL=kernelctl-plan.test.js.map