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
exports.EXIT_UNREACHABLE = void 0;
exports.describeTlsError = describeTlsError;
exports.diagnoseConnection = diagnoseConnection;
exports.unreachableError = unreachableError;
/**
 * Why a connection to Temporal failed, when gRPC only says "Failed to connect before the
 * deadline": one TLS handshake of our own to the same address with the same settings (CA, server
 * name, client certificate), and the certificate problem it meets, in words that name the profile
 * setting to change. Nothing secret is printed: the settings are named, never their contents.
 */
const net = __importStar(require("node:net"));
const tls = __importStar(require("node:tls"));
const index_1 = require("./index");
/** `host:port` or `[v6]:port`. */
function splitAddress(address) {
    const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(address);
    if (!m)
        return null;
    return { host: (m[1] ?? m[2]), port: Number(m[3]) };
}
const UNTRUSTED = new Set([
    'SELF_SIGNED_CERT_IN_CHAIN',
    'DEPTH_ZERO_SELF_SIGNED_CERT',
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    'UNABLE_TO_GET_ISSUER_CERT',
    'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
    'CERT_SIGNATURE_FAILURE',
    'CERT_UNTRUSTED',
    'INVALID_CA',
]);
/** The words for one handshake error; `withClientCert`: the connection presented one. */
function describeTlsError(err, serverName, withClientCert) {
    const code = err.code ?? '';
    const ca = 'the CA in the profile (tls.server_ca_cert_path, TEMPORAL_TLS_SERVER_CA_CERT_PATH)';
    if (code === 'ECONNREFUSED')
        return 'connection refused: nothing listens there';
    if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
        return `TLS: hostname mismatch: the server's certificate does not name ${serverName} (${err.message}); set the name it has in tls.server_name (TEMPORAL_TLS_SERVER_NAME)`;
    }
    if (UNTRUSTED.has(code))
        return `TLS: the server's certificate is not trusted (${code}): ${ca} did not sign it`;
    if (code === 'CERT_HAS_EXPIRED')
        return "TLS: the server's certificate has expired";
    if (code === 'CERT_NOT_YET_VALID')
        return "TLS: the server's certificate is not valid yet";
    if (/CERTIFICATE_REQUIRED/.test(code) || (!withClientCert && /HANDSHAKE_FAILURE/.test(code))) {
        return `TLS: the server requires a client certificate and none was given (${code}); set tls.client_cert_path and tls.client_key_path (TEMPORAL_TLS_CLIENT_CERT_PATH, TEMPORAL_TLS_CLIENT_KEY_PATH)`;
    }
    if (withClientCert &&
        /ALERT_(UNKNOWN_CA|BAD_CERTIFICATE|CERTIFICATE_UNKNOWN|UNSUPPORTED_CERTIFICATE|DECRYPT_ERROR|HANDSHAKE_FAILURE|CERTIFICATE_EXPIRED|CERTIFICATE_REVOKED|ACCESS_DENIED)/.test(code)) {
        return `TLS: the server refused the client certificate (${code}): is it signed by the CA the server trusts, and still valid?`;
    }
    if (/WRONG_VERSION_NUMBER|PACKET_LENGTH_TOO_LONG|RECORD_LAYER_FAILURE|HTTP_REQUEST/.test(code)) {
        return `TLS: the server does not speak TLS (${code}): connect in plaintext (no tls in the profile)`;
    }
    return `TLS handshake failed: ${code ? `${code}: ` : ''}${err.message}`;
}
/**
 * One handshake to `address` as `transport` would do it: the cause of a failed connection in
 * words, or null when the handshake succeeds (the cause is elsewhere) or nothing is learnt.
 * A plaintext transport: says so when the server answers TLS.
 */
async function diagnoseConnection(address, transport, timeoutMs = 3000) {
    const where = splitAddress(address);
    if (!where)
        return null;
    const t = transport?.tls;
    const cfg = typeof t === 'object' && t !== null ? t : {};
    const secured = t !== undefined && t !== false;
    const serverName = cfg.serverNameOverride ?? where.host;
    const withClientCert = cfg.clientCertPair !== undefined;
    return new Promise((resolve) => {
        let settled = false;
        let socket = null;
        const done = (v) => {
            if (settled)
                return;
            settled = true;
            clearTimeout(timer);
            socket?.destroy();
            resolve(v);
        };
        const timer = setTimeout(() => done(null), timeoutMs);
        socket = tls.connect({
            host: where.host,
            port: where.port,
            ...(net.isIP(serverName) ? {} : { servername: serverName }),
            // The name checked is the one gRPC checks: the override, else the address's host.
            checkServerIdentity: (_host, cert) => tls.checkServerIdentity(serverName, cert),
            ...(cfg.serverRootCACertificate ? { ca: Buffer.from(cfg.serverRootCACertificate) } : {}),
            ...(cfg.clientCertPair
                ? { cert: Buffer.from(cfg.clientCertPair.crt), key: Buffer.from(cfg.clientCertPair.key) }
                : {}),
            ALPNProtocols: ['h2'],
            // A plaintext connection only asks whether the server speaks TLS at all.
            rejectUnauthorized: secured,
        });
        socket.on('secureConnect', () => {
            if (!secured) {
                done('the server speaks TLS but the connection was plaintext: give the profile a tls section (or TEMPORAL_TLS=true)');
                return;
            }
            // TLS 1.3: a server that wants a client certificate says so after the handshake, on the
            // first read; an HTTP/2 preface makes it answer.
            socket?.write('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');
            setTimeout(() => done(null), Math.min(1000, timeoutMs));
        });
        socket.on('error', (err) => {
            if (!secured && err.code !== 'ECONNREFUSED')
                done(null);
            else
                done(describeTlsError(err, serverName, withClientCert));
        });
    });
}
/** kernelctl's exit code for a Temporal that cannot be reached or was lost (docs/operations.md). */
exports.EXIT_UNREACHABLE = 7;
/**
 * The error for a connection that failed: the address, how it was secured and the cause our own
 * handshake names (else gRPC's words), with `exitCode` 7. kernelctl's commands and its worker
 * both throw it.
 */
async function unreachableError(address, transport, err, hint) {
    const cause = (await diagnoseConnection(address, transport)) ?? err.message;
    const e = new Error(`cannot reach Temporal at ${address} (${(0, index_1.describeTransport)(transport)}): ${cause}\n${hint}`);
    e.exitCode = exports.EXIT_UNREACHABLE;
    return e;
}
//# sourceMappingURL=tls-diagnosis.js.map