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
 * kernelctl and its worker connect the way the `temporal` CLI does (@temporalio/envconfig): a
 * TOML profile, TEMPORAL_* variables, then flags. Checked against the real dev server, and, for
 * mutual TLS, behind a TLS terminator in this process (node's own TLS: it asks for a client
 * certificate signed by the test's CA and refuses any other) with certificates made by openssl:
 *
 * - a profile's address is used (the environment's address points at a closed port);
 * - with the profile's CA, server name, client certificate and key, kernelctl is served and a
 *   worker starts (it registers its search attributes through the same connection);
 * - without the client certificate, or in plaintext, kernelctl exits 7 with a message saying how
 *   the connection was secured, and the worker does not start;
 * - the same profile works for the `temporal` CLI;
 * - no key byte is in anything kernelctl printed.
 */
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const node_child_process_1 = require("node:child_process");
const node_fs_1 = require("node:fs");
const net = __importStar(require("node:net"));
const node_os_1 = require("node:os");
const path = __importStar(require("node:path"));
const tls = __importStar(require("node:tls"));
const temporal_server_1 = require("../../src/dev/temporal-server");
const free_port_1 = require("../../src/node/free-port");
const temporal_1 = require("../helpers/temporal");
const process_1 = require("../helpers/process");
const certs_1 = require("../helpers/certs");
(0, node_test_1.after)(temporal_1.stopOwnServer);
const KERNELCTL = path.join(__dirname, '..', '..', '..', 'bin', 'kernelctl.js');
const run = process_1.runProcess;
/** The environment without any Temporal setting of the machine running the test. */
function cleanEnv(extra) {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TEMPORAL_')));
    return { ...env, ...extra };
}
(0, node_test_1.describe)('Temporal profiles (envconfig), TLS and client certificates', () => {
    let dir;
    let upstream;
    let tlsPort;
    let server;
    let closedPort;
    (0, node_test_1.before)(async () => {
        dir = (0, node_fs_1.mkdtempSync)(path.join((0, node_os_1.tmpdir)(), 'kr-profile-'));
        (0, certs_1.makeCertificates)(dir);
        upstream = await (0, temporal_1.temporalAddress)();
        const [host, port] = [
            upstream.slice(0, upstream.lastIndexOf(':')),
            Number(upstream.slice(upstream.lastIndexOf(':') + 1)),
        ];
        server = tls.createServer({
            key: (0, node_fs_1.readFileSync)(path.join(dir, 'server.key')),
            cert: (0, node_fs_1.readFileSync)(path.join(dir, 'server.pem')),
            ca: (0, node_fs_1.readFileSync)(path.join(dir, 'ca.pem')),
            requestCert: true,
            rejectUnauthorized: true,
            ALPNProtocols: ['h2'],
        }, (clientSide) => {
            const toServer = net.connect({ host, port });
            clientSide.pipe(toServer).pipe(clientSide);
            const end = () => {
                clientSide.destroy();
                toServer.destroy();
            };
            clientSide.on('error', end);
            toServer.on('error', end);
        });
        server.on('tlsClientError', () => undefined);
        tlsPort = await (0, free_port_1.freePort)();
        await new Promise((resolve) => server.listen(tlsPort, '127.0.0.1', resolve));
        closedPort = await (0, free_port_1.freePort)();
        const tlsLines = (withClientCert, ca = 'ca.pem', serverName = 'localhost') => [
            `server_ca_cert_path = "${path.join(dir, ca)}"`,
            `server_name = "${serverName}"`,
            ...(withClientCert
                ? [
                    `client_cert_path = "${path.join(dir, 'client.pem')}"`,
                    `client_key_path = "${path.join(dir, 'client.key')}"`,
                ]
                : []),
        ].join('\n');
        (0, node_fs_1.writeFileSync)(path.join(dir, 'temporal.toml'), [
            '[profile.plain]',
            `address = "${upstream}"`,
            'namespace = "default"',
            '[profile.mtls]',
            `address = "127.0.0.1:${tlsPort}"`,
            'namespace = "default"',
            '[profile.mtls.tls]',
            tlsLines(true),
            '[profile.nocert]',
            `address = "127.0.0.1:${tlsPort}"`,
            '[profile.nocert.tls]',
            tlsLines(false),
            '[profile.plaintext-to-tls]',
            `address = "127.0.0.1:${tlsPort}"`,
            // The server's certificate checked against another certificate than its CA.
            '[profile.untrusted]',
            `address = "127.0.0.1:${tlsPort}"`,
            '[profile.untrusted.tls]',
            tlsLines(true, 'client.pem'),
            // The server's certificate names localhost and 127.0.0.1, not this.
            '[profile.wrong-name]',
            `address = "127.0.0.1:${tlsPort}"`,
            '[profile.wrong-name.tls]',
            tlsLines(true, 'ca.pem', 'temporal.example.net'),
            '',
        ].join('\n'));
    });
    (0, node_test_1.after)(() => new Promise((resolve) => server.close(() => resolve())));
    const env = () => cleanEnv({ TEMPORAL_CONFIG_FILE: path.join(dir, 'temporal.toml') });
    const kernelctl = (args, extraEnv = {}) => run(process.execPath, [KERNELCTL, ...args], { ...env(), ...extraEnv });
    const noKeyBytes = (r) => {
        for (const k of ['client.key', 'ca.key', 'server.key']) {
            const body = (0, node_fs_1.readFileSync)(path.join(dir, k), 'utf8')
                .split('\n')
                .filter((l) => l && !l.startsWith('-----'));
            for (const line of body)
                strict_1.default.ok(!`${r.stdout}${r.stderr}`.includes(line), `${k} leaked into kernelctl's output`);
        }
    };
    (0, node_test_1.test)('a profile names the server; TEMPORAL_ADDRESS overrides it and a flag both, as for the temporal CLI', async () => {
        const viaProfile = await kernelctl(['status', 'no-such-host', '--profile', 'plain']);
        strict_1.default.equal(viaProfile.code, 8, `served: the host has no upgrade\n${viaProfile.stderr}`);
        const envWins = await kernelctl(['status', 'no-such-host', '--profile', 'plain'], {
            TEMPORAL_ADDRESS: `127.0.0.1:${closedPort}`,
        });
        strict_1.default.equal(envWins.code, 7, envWins.stderr);
        const flagWins = await kernelctl([
            'status',
            'no-such-host',
            '--profile',
            'plain',
            '--address',
            `127.0.0.1:${closedPort}`,
        ]);
        strict_1.default.equal(flagWins.code, 7, flagWins.stderr);
        const noSuchProfile = await kernelctl(['status', 'no-such-host', '--profile', 'nonexistent']);
        strict_1.default.equal(noSuchProfile.code, 2, noSuchProfile.stderr);
        strict_1.default.match(noSuchProfile.stderr, /--profile: Profile 'nonexistent' not found/);
    });
    (0, node_test_1.test)('mutual TLS: served with the client certificate, refused (exit 7, saying so) without it', async () => {
        const served = await kernelctl(['status', 'no-such-host', '--profile', 'mtls']);
        strict_1.default.equal(served.code, 8, served.stderr);
        strict_1.default.match(served.stderr, /no upgrade|not found|no such/i);
        const noCert = await kernelctl(['status', 'no-such-host', '--profile', 'nocert']);
        strict_1.default.equal(noCert.code, 7, noCert.stderr);
        strict_1.default.match(noCert.stderr, new RegExp(`cannot reach Temporal at 127\\.0\\.0\\.1:${tlsPort} \\(TLS\\)`));
        strict_1.default.match(noCert.stderr, /--profile, --config-file, TEMPORAL_TLS_\*/);
        // The cause, not gRPC's "Failed to connect before the deadline".
        strict_1.default.match(noCert.stderr, /the server requires a client certificate and none was given/);
        const plain = await kernelctl(['status', 'no-such-host', '--profile', 'plaintext-to-tls']);
        strict_1.default.equal(plain.code, 7, plain.stderr);
        strict_1.default.match(plain.stderr, /\(plaintext\)/);
        strict_1.default.match(plain.stderr, /the server speaks TLS but the connection was plaintext/);
        for (const r of [served, noCert, plain])
            noKeyBytes(r);
    });
    (0, node_test_1.test)("a certificate problem is named: the server's certificate not trusted, a hostname mismatch", async () => {
        const untrusted = await kernelctl(['status', 'no-such-host', '--profile', 'untrusted']);
        strict_1.default.equal(untrusted.code, 7, untrusted.stderr);
        strict_1.default.match(untrusted.stderr, /TLS: the server's certificate is not trusted \([A-Z_]+\)/);
        const wrongName = await kernelctl(['status', 'no-such-host', '--profile', 'wrong-name']);
        strict_1.default.equal(wrongName.code, 7, wrongName.stderr);
        strict_1.default.match(wrongName.stderr, /TLS: hostname mismatch: the server's certificate does not name temporal\.example\.net/);
        for (const r of [untrusted, wrongName]) {
            strict_1.default.doesNotMatch(r.stderr, /Failed to connect before the deadline/);
            noKeyBytes(r);
        }
    });
    (0, node_test_1.test)('mutual TLS from the environment alone (TEMPORAL_TLS_*), as the temporal CLI takes it', async () => {
        const r = await kernelctl(['status', 'no-such-host', '--profile', 'plaintext-to-tls'], {
            TEMPORAL_TLS_SERVER_CA_CERT_PATH: path.join(dir, 'ca.pem'),
            TEMPORAL_TLS_SERVER_NAME: 'localhost',
            TEMPORAL_TLS_CLIENT_CERT_PATH: path.join(dir, 'client.pem'),
            TEMPORAL_TLS_CLIENT_KEY_PATH: path.join(dir, 'client.key'),
        });
        strict_1.default.equal(r.code, 8, r.stderr);
        noKeyBytes(r);
    });
    (0, node_test_1.test)('the same profile serves the temporal CLI', async () => {
        const r = await run((0, temporal_server_1.findTemporalBinary)(), ['workflow', 'list', '--limit', '1', '--profile', 'mtls'], {
            ...env(),
        });
        strict_1.default.equal(r.code, 0, r.stderr);
        // The two ways docs/api.md shows: the file and profile as flags, or the TLS options themselves.
        const viaFlags = await run((0, temporal_server_1.findTemporalBinary)(), ['workflow', 'list', '--limit', '1', '--config-file', path.join(dir, 'temporal.toml'), '--profile', 'mtls'], cleanEnv({}));
        strict_1.default.equal(viaFlags.code, 0, viaFlags.stderr);
        const spelledOut = await run((0, temporal_server_1.findTemporalBinary)(), [
            ...['workflow', 'list', '--limit', '1', '--address', `127.0.0.1:${tlsPort}`, '--namespace', 'default'],
            ...['--tls-ca-path', path.join(dir, 'ca.pem'), '--tls-server-name', 'localhost'],
            ...['--tls-cert-path', path.join(dir, 'client.pem'), '--tls-key-path', path.join(dir, 'client.key')],
        ], cleanEnv({}));
        strict_1.default.equal(spelledOut.code, 0, spelledOut.stderr);
        const withoutCert = await run((0, temporal_server_1.findTemporalBinary)(), [
            'workflow',
            'list',
            '--limit',
            '1',
            '--address',
            `127.0.0.1:${tlsPort}`,
            '--tls-ca-path',
            path.join(dir, 'ca.pem'),
        ], cleanEnv({}));
        strict_1.default.notEqual(withoutCert.code, 0, 'the terminator refuses a client without a certificate');
    });
    (0, node_test_1.test)('a worker with the mTLS profile starts (search attributes registered through it); without the certificate it exits 7 naming the cause', async () => {
        const startWorker = (profile) => new Promise((resolve) => {
            const child = (0, node_child_process_1.spawn)(process.execPath, [KERNELCTL, 'worker', '--profile', profile, '--task-queue', `profile-${profile}`], {
                env: env(),
                stdio: ['ignore', 'pipe', 'pipe'],
            });
            let output = '';
            const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
            const onData = (d) => {
                output += d.toString();
                if (/search attributes: .*(already in|added)/.test(output)) {
                    child.kill('SIGTERM');
                }
            };
            child.stdout.on('data', onData);
            child.stderr.on('data', onData);
            child.on('close', (code) => {
                clearTimeout(timer);
                resolve({
                    started: /search attributes: .*(already in|added)/.test(output),
                    output: `${output}\n(exit ${code})`,
                });
            });
        });
        const ok = await startWorker('mtls');
        strict_1.default.ok(ok.started, ok.output);
        const refused = await startWorker('nocert');
        strict_1.default.equal(refused.started, false, refused.output);
        // As kernelctl's commands: exit 7 and the cause, not gRPC's "Failed to connect before the deadline".
        strict_1.default.match(refused.output, /\(exit 7\)/);
        strict_1.default.match(refused.output, /the server requires a client certificate and none was given/);
        noKeyBytes({ code: 0, stdout: ok.output, stderr: refused.output });
    });
});
//# sourceMappingURL=temporal-profile.test.js.map