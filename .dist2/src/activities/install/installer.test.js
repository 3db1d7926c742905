"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/** The registry drives the install-source union: every driver's kind is accepted, others refused by name. */
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const schemas_1 = require("../../shared/schemas");
const installer_1 = require("./installer");
(0, node_test_1.describe)('installer registry', () => {
    (0, node_test_1.test)('the union has one option per registered installer', () => {
        strict_1.default.ok(installer_1.installSourceKinds.includes('apt') && installer_1.installSourceKinds.includes('deb'));
        strict_1.default.deepEqual(schemas_1.installSourceSchema.options.map((o) => o.shape.kind.value), installer_1.installSourceKinds);
    });
    (0, node_test_1.test)('an unknown kind is refused naming the field and the kinds there are', () => {
        const input = {
            target: { host: 'web-01' },
            toRelease: '6.1.0-56-cloud-amd64',
            source: { kind: 'rpm', path: '/x.rpm' },
        };
        strict_1.default.throws(() => (0, schemas_1.parseOrThrow)(schemas_1.upgradeHostInputSchema, input), (err) => err instanceof schemas_1.InvalidInputError && /^source\.kind: must be one of apt, deb(, [a-z-]+)*$/m.test(err.message));
    });
    (0, node_test_1.test)('summaries come from the source’s driver', () => {
        strict_1.default.equal((0, installer_1.describeInstallSource)({ kind: 'apt', packageName: 'linux-image-6.1.0-56-cloud-amd64' }), 'apt linux-image-6.1.0-56-cloud-amd64');
        strict_1.default.equal((0, installer_1.describeInstallSource)({ kind: 'deb', localPath: '/srv/a/k.deb', sha256: 'a'.repeat(64) }), 'deb k.deb');
    });
});
//# sourceMappingURL=installer.test.js.map