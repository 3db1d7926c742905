"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * The artifact installer: its source. Against real shells (OpenSSH's sshd on loopback as the
 * artifact host and the target, a simulated Debian host): artifact.ssh.test.ts.
 */
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const install_source_1 = require("../../shared/options/install-source");
const artifact_1 = require("./artifact");
const { schema } = artifact_1.artifactInstaller;
(0, node_test_1.describe)('artifact installer: the source', () => {
    (0, node_test_1.test)('an SSH host, an absolute .deb path and its sha256; each bad field named', () => {
        const ok = {
            kind: 'artifact',
            host: { host: 'build1' },
            path: '/var/cache/k/linux-image.deb',
            sha256: 'a'.repeat(64),
        };
        strict_1.default.ok(schema.safeParse(ok).success);
        strict_1.default.deepEqual(schema.safeParse({ ...ok, path: '/srv/../etc/x.deb' }).error?.issues[0]?.path, ['path']);
        strict_1.default.deepEqual(schema.safeParse({ ...ok, path: '/srv/x.rpm' }).error?.issues[0]?.path, ['path']);
        strict_1.default.deepEqual(schema.safeParse({ ...ok, host: { host: 'b;reboot' } }).error?.issues[0]?.path, ['host', 'host']);
        strict_1.default.deepEqual(schema.safeParse({ ...ok, sha256: 'A1' }).error?.issues[0]?.path, ['sha256']);
        strict_1.default.equal((0, install_source_1.describeInstallSource)(schema.parse(ok)), 'artifact build1:linux-image.deb');
    });
});
//# sourceMappingURL=artifact.test.js.map