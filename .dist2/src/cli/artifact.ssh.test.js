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
 * `--deb FILE --artifact-host HOST`: the publication on a real sshd (loopback, root), after which
 * the artifact installer's fetch finds the same bytes. The flags: artifact.test.ts.
 */
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const node_crypto_1 = require("node:crypto");
const node_fs_1 = require("node:fs");
const node_os_1 = require("node:os");
const path = __importStar(require("node:path"));
const sshd_1 = require("../../testbed/sshd");
const artifact_1 = require("./artifact");
(0, node_test_1.describe)('publishDeb on a real sshd', () => {
    let sshd;
    let dir;
    (0, node_test_1.before)(async () => {
        sshd = await (0, sshd_1.startSshd)({ users: ['root'] });
        dir = (0, node_fs_1.mkdtempSync)(path.join((0, node_os_1.tmpdir)(), 'kr-publish-'));
    });
    (0, node_test_1.after)(async () => {
        await sshd?.stop();
        if (dir)
            (0, node_fs_1.rmSync)(dir, { recursive: true, force: true });
    });
    (0, node_test_1.test)('the file lands under <dir>/<sha256>/ intact; publishing again transfers nothing new', async () => {
        const local = path.join(dir, 'linux-image-6.1.192-web_1_amd64.deb');
        (0, node_fs_1.writeFileSync)(local, 'a package\n');
        const sha256 = (0, node_crypto_1.createHash)('sha256').update('a package\n').digest('hex');
        const store = {
            host: (0, sshd_1.sshdTarget)(sshd, 'store'),
            dir: path.join(dir, 'store'),
        };
        const source = await (0, artifact_1.publishDeb)({ localPath: local, sha256 }, store);
        strict_1.default.equal(source.kind, 'artifact');
        strict_1.default.equal(source.path, path.join(dir, 'store', sha256, path.basename(local)));
        strict_1.default.equal((0, node_fs_1.readFileSync)(source.path, 'utf8'), 'a package\n');
        strict_1.default.deepEqual(await (0, artifact_1.publishDeb)({ localPath: local, sha256 }, store), source);
    });
});
//# sourceMappingURL=artifact.ssh.test.js.map