"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * The apt installer: its schema and summary. An install over real SSH on a simulated Debian
 * host: apt.sim.test.ts.
 */
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const install_source_1 = require("../../shared/options/install-source");
const apt_1 = require("./apt");
const { schema } = apt_1.aptInstaller;
const NEW = '6.1.0-56-cloud-amd64';
(0, node_test_1.describe)('apt installer: the source', () => {
    (0, node_test_1.test)('a kernel package, optionally pinned to a version; anything else refused naming the field', () => {
        strict_1.default.ok(schema.safeParse({ kind: 'apt', packageName: `linux-image-${NEW}=6.1.192-2` }).success);
        const bad = schema.safeParse({ kind: 'apt', packageName: 'openssh-server' });
        strict_1.default.equal(bad.success, false);
        strict_1.default.deepEqual(bad.error?.issues[0]?.path, ['packageName']);
        strict_1.default.equal(schema.safeParse({ kind: 'apt', packageName: 'linux-image-x; reboot' }).success, false);
    });
    (0, node_test_1.test)('summary and package name (without the version)', () => {
        const source = { kind: 'apt', packageName: `linux-image-${NEW}=6.1.192-2` };
        strict_1.default.equal((0, install_source_1.describeInstallSource)(source), `apt linux-image-${NEW}=6.1.192-2`);
        strict_1.default.equal((0, apt_1.create)().packageName(source, NEW), `linux-image-${NEW}`);
        strict_1.default.equal((0, apt_1.create)().isInstalledFrom(source, null), true);
    });
});
//# sourceMappingURL=apt.test.js.map