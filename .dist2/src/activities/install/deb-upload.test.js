"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * The .deb installer: its source. Against a real shell (OpenSSH's sshd on loopback, a simulated
 * Debian host): deb-upload.ssh.test.ts.
 */
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const install_source_1 = require("../../shared/options/install-source");
const deb_upload_1 = require("./deb-upload");
const { schema } = deb_upload_1.debUploadInstaller;
(0, node_test_1.describe)('.deb installer: the source', () => {
    (0, node_test_1.test)('an absolute .deb path and its sha256; each bad field named', () => {
        const ok = { kind: 'deb', localPath: '/srv/k/linux-image.deb', sha256: 'a'.repeat(64) };
        strict_1.default.ok(schema.safeParse(ok).success);
        strict_1.default.deepEqual(schema.safeParse({ ...ok, localPath: '/srv/k/x.rpm' }).error?.issues[0]?.path, ['localPath']);
        strict_1.default.deepEqual(schema.safeParse({ ...ok, sha256: 'A1' }).error?.issues[0]?.path, ['sha256']);
        strict_1.default.equal((0, install_source_1.describeInstallSource)({ kind: 'deb', localPath: '/srv/k/linux-image.deb', sha256: 'a'.repeat(64) }), 'deb linux-image.deb');
    });
    (0, node_test_1.test)('installed from this source only when the recorded sha256 is its own', () => {
        const source = { kind: 'deb', localPath: '/srv/k.deb', sha256: 'b'.repeat(64) };
        strict_1.default.equal((0, deb_upload_1.create)().isInstalledFrom(source, 'b'.repeat(64)), true);
        strict_1.default.equal((0, deb_upload_1.create)().isInstalledFrom(source, 'c'.repeat(64)), false);
        strict_1.default.equal((0, deb_upload_1.create)().isInstalledFrom(source, null), false);
        strict_1.default.equal((0, deb_upload_1.create)().recordOf(source), 'b'.repeat(64));
    });
});
//# sourceMappingURL=deb-upload.test.js.map