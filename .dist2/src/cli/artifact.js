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
exports.DEFAULT_ARTIFACT_DIR = exports.ARTIFACT_OPTIONS = void 0;
exports.artifactStoreFromFlags = artifactStoreFromFlags;
exports.publishDeb = publishDeb;
/**
 * `--deb FILE --artifact-host HOST`: kernelctl puts the operator's .deb on an artifact host every
 * worker can reach over SSH (sha256 checked there), and the run installs it as an `artifact`
 * source, fetched by whichever worker runs the install. The same delivery a build's package
 * takes (src/activities/install/artifact.ts); without `--artifact-host`, `--deb` names a file
 * the worker itself reads.
 */
const path = __importStar(require("node:path"));
const connect_1 = require("../activities/ssh/connect");
const shell_1 = require("../shared/shell");
const schema_fields_1 = require("../shared/schema-fields");
const schemas_1 = require("../shared/schemas");
const common_1 = require("./common");
exports.ARTIFACT_OPTIONS = {
    'artifact-host': { type: 'string' },
    'artifact-dir': { type: 'string' },
};
exports.DEFAULT_ARTIFACT_DIR = '/var/cache/kernel-rollout/artifacts';
function artifactStoreFromFlags(v) {
    const spec = v['artifact-host'];
    if (spec === undefined) {
        if (v['artifact-dir'] !== undefined)
            throw new schemas_1.InvalidInputError('--artifact-dir: only with --artifact-host');
        return undefined;
    }
    if (!v['deb'])
        throw new schemas_1.InvalidInputError('--artifact-host: only with --deb FILE (a build is on its build host already)');
    const host = (0, schemas_1.parseOrThrow)(schema_fields_1.sshTargetSchema, {
        ...(0, common_1.parseHostSpec)('--artifact-host', spec),
        ...(v['identity'] ? { privateKeyPath: path.resolve(v['identity']) } : {}),
        ...(v['agent'] ? { agentSocket: v['agent'] } : {}),
        ...(v['known-hosts'] ? { knownHostsPath: path.resolve(v['known-hosts']) } : {}),
    }, '--artifact-host');
    const dir = (0, schemas_1.parseOrThrow)(schema_fields_1.safePathSchema, v['artifact-dir'] ?? exports.DEFAULT_ARTIFACT_DIR, '--artifact-dir');
    return { host, dir };
}
/**
 * Uploads the (already checked) .deb to `<dir>/<sha256>/<name>` on the artifact host, unless it is
 * there already, and returns the artifact source that names it.
 */
async function publishDeb(source, store) {
    const remote = `${store.dir}/${source.sha256}/${path.basename(source.localPath)}`;
    const s = await (0, connect_1.connectTo)(store.host);
    try {
        await s.run(`mkdir -p ${(0, shell_1.shellQuote)(`${store.dir}/${source.sha256}`)}`, { sudo: true });
        await s.upload(source.localPath, remote, { expectedSha256: source.sha256, sudo: true });
    }
    finally {
        s.close();
    }
    return { kind: 'artifact', host: store.host, path: remote, sha256: source.sha256 };
}
//# sourceMappingURL=artifact.js.map