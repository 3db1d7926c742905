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
Object.defineProperty(exports, "__esModule", { value: true });
exports.artifactInstaller = void 0;
exports.create = create;
/**
 * Installer: a .deb kept on an artifact host that every worker can reach over SSH (the build
 * host that built it, or a store the operator's kernelctl uploaded it to). The worker that runs
 * the install fetches it over SFTP (sha256 checked), uploads it to the target (checked again
 * there) and installs it: workers share no disk. The sha256 is recorded, so a retry with the same
 * artifact is skipped and a different build of the same release is installed.
 */
const promises_1 = require("node:fs/promises");
const node_os_1 = require("node:os");
const path = __importStar(require("node:path"));
const install_source_1 = require("../../shared/options/install-source");
const connect_1 = require("../ssh/connect");
const deb_upload_1 = require("./deb-upload");
const kind = 'artifact';
function create(opts = {}) {
    // Once fetched, the package is a .deb on this worker: the .deb installer takes it from there.
    const fromWorker = (0, deb_upload_1.create)(opts);
    return {
        packageManager: fromWorker.packageManager,
        packageName: (_source, release) => fromWorker.packageManager.kernelPackage(release),
        recordOf: (source) => source.sha256,
        isInstalledFrom: (source, recorded) => recorded === source.sha256,
        async install(s, source, release) {
            const dir = await (0, promises_1.mkdtemp)(path.join((0, node_os_1.tmpdir)(), 'kr-artifact-'));
            try {
                const local = path.join(dir, path.posix.basename(source.path));
                const from = await (0, connect_1.connectTo)(source.host);
                try {
                    await from.download(source.path, local, { expectedSha256: source.sha256 });
                }
                finally {
                    from.close();
                }
                return await fromWorker.install(s, { kind: 'deb', localPath: local, sha256: source.sha256 }, release);
            }
            finally {
                await (0, promises_1.rm)(dir, { recursive: true, force: true });
            }
        },
    };
}
/** The registry's entry (./installer.ts). */
exports.artifactInstaller = {
    kind,
    schema: install_source_1.artifactSourceSchema,
    create,
};
//# sourceMappingURL=artifact.js.map