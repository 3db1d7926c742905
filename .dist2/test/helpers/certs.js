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
exports.SERVER_AND_CLIENT = void 0;
exports.makeCertificates = makeCertificates;
/**
 * Test certificates made by openssl (ECDSA P-256, valid 2 days): a CA and certificates it signs.
 * Used by the profile test (a TLS terminator in-process) and the production topology test (the
 * Temporal server's frontend and internode mTLS, its system workers, the UI server, kernelctl).
 */
const node_child_process_1 = require("node:child_process");
const node_fs_1 = require("node:fs");
const path = __importStar(require("node:path"));
/** A server certificate for localhost/127.0.0.1 and a client certificate: the common case. */
exports.SERVER_AND_CLIENT = [
    { name: 'server', extensions: 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth' },
    { name: 'client', extensions: 'extendedKeyUsage=clientAuth' },
];
function openssl(dir, args) {
    (0, node_child_process_1.execFileSync)('openssl', args, { cwd: dir, stdio: 'pipe' });
}
/** Writes ca.pem/ca.key and every spec's `<name>.pem`/`<name>.key` into `dir`. */
function makeCertificates(dir, specs = exports.SERVER_AND_CLIENT) {
    const key = (name) => openssl(dir, ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', name]);
    key('ca.key');
    openssl(dir, [
        'req',
        '-x509',
        '-new',
        '-key',
        'ca.key',
        '-subj',
        '/CN=kernel-rollout test CA',
        '-days',
        '2',
        '-out',
        'ca.pem',
    ]);
    for (const { name, extensions } of specs) {
        key(`${name}.key`);
        openssl(dir, ['req', '-new', '-key', `${name}.key`, '-subj', `/CN=${name}`, '-out', `${name}.csr`]);
        (0, node_fs_1.writeFileSync)(path.join(dir, `${name}.ext`), `${extensions}\n`);
        openssl(dir, [
            'x509',
            '-req',
            '-in',
            `${name}.csr`,
            '-CA',
            'ca.pem',
            '-CAkey',
            'ca.key',
            '-CAcreateserial',
            '-days',
            '2',
            '-extfile',
            `${name}.ext`,
            '-out',
            `${name}.pem`,
        ]);
    }
}
//# sourceMappingURL=certs.js.map