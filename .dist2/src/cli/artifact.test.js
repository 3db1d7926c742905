"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * `--deb FILE --artifact-host HOST`: the flags. The publication on a real sshd:
 * artifact.ssh.test.ts.
 */
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const schemas_1 = require("../shared/schemas");
const artifact_1 = require("./artifact");
(0, node_test_1.describe)('--artifact-host flags', () => {
    (0, node_test_1.test)('absent: none; with --deb: the host and the default directory', () => {
        strict_1.default.equal((0, artifact_1.artifactStoreFromFlags)({ deb: '/x.deb' }), undefined);
        const s = (0, artifact_1.artifactStoreFromFlags)({ deb: '/x.deb', 'artifact-host': 'ops@store1:2222' });
        strict_1.default.equal(s?.host.host, 'store1');
        strict_1.default.equal(s?.host.user, 'ops');
        strict_1.default.equal(s?.host.port, 2222);
        strict_1.default.equal(s?.dir, '/var/cache/kernel-rollout/artifacts');
    });
    (0, node_test_1.test)('refused, naming the flag: without --deb, a bad host, a directory with ..', () => {
        const refused = (v, re) => strict_1.default.throws(() => (0, artifact_1.artifactStoreFromFlags)(v), (e) => e instanceof schemas_1.InvalidInputError && re.test(e.message));
        refused({ 'artifact-host': 'store1' }, /^--artifact-host: only with --deb/);
        refused({ deb: '/x.deb', 'artifact-host': 'store1;reboot' }, /--artifact-host/);
        refused({ deb: '/x.deb', 'artifact-host': 'store1', 'artifact-dir': '/srv/../etc' }, /--artifact-dir/);
        refused({ 'artifact-dir': '/srv/a' }, /^--artifact-dir: only with --artifact-host/);
    });
});
//# sourceMappingURL=artifact.test.js.map