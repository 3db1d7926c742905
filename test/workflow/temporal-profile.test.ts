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
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as tls from 'node:tls';
import { findTemporalBinary } from '../../src/dev/temporal-server';
import { freePort } from '../../src/node/free-port';
import { stopOwnServer, temporalAddress } from '../helpers/temporal';
import { runProcess, type ProcessResult } from '../helpers/process';
import { makeCertificates } from '../helpers/certs';

after(stopOwnServer);

const KERNELCTL = path.join(__dirname, '..', '..', '..', 'bin', 'kernelctl.js');

type Run = ProcessResult;
const run = runProcess;

/** The environment without any Temporal setting of the machine running the test. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TEMPORAL_')));
  return { ...env, ...extra };
}

describe('Temporal profiles (envconfig), TLS and client certificates', () => {
  let dir: string;
  let upstream: string;
  let tlsPort: number;
  let server: tls.Server;
  let closedPort: number;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'kr-profile-'));
    makeCertificates(dir);
    upstream = await temporalAddress();
    const [host, port] = [
      upstream.slice(0, upstream.lastIndexOf(':')),
      Number(upstream.slice(upstream.lastIndexOf(':') + 1)),
    ];
    server = tls.createServer(
      {
        key: readFileSync(path.join(dir, 'server.key')),
        cert: readFileSync(path.join(dir, 'server.pem')),
        ca: readFileSync(path.join(dir, 'ca.pem')),
        requestCert: true,
        rejectUnauthorized: true,
        ALPNProtocols: ['h2'],
      },
      (clientSide) => {
        const toServer = net.connect({ host, port });
        clientSide.pipe(toServer).pipe(clientSide);
        const end = () => {
          clientSide.destroy();
          toServer.destroy();
        };
        clientSide.on('error', end);
        toServer.on('error', end);
      },
    );
    server.on('tlsClientError', () => undefined);
    tlsPort = await freePort();
    await new Promise<void>((resolve) => server.listen(tlsPort, '127.0.0.1', resolve));
    closedPort = await freePort();
    const tlsLines = (withClientCert: boolean, ca = 'ca.pem', serverName = 'localhost') =>
      [
        `server_ca_cert_path = "${path.join(dir, ca)}"`,
        `server_name = "${serverName}"`,
        ...(withClientCert
          ? [
              `client_cert_path = "${path.join(dir, 'client.pem')}"`,
              `client_key_path = "${path.join(dir, 'client.key')}"`,
            ]
          : []),
      ].join('\n');
    writeFileSync(
      path.join(dir, 'temporal.toml'),
      [
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
      ].join('\n'),
    );
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const env = () => cleanEnv({ TEMPORAL_CONFIG_FILE: path.join(dir, 'temporal.toml') });
  const kernelctl = (args: string[], extraEnv: Record<string, string> = {}) =>
    run(process.execPath, [KERNELCTL, ...args], { ...env(), ...extraEnv });
  const noKeyBytes = (r: Run) => {
    for (const k of ['client.key', 'ca.key', 'server.key']) {
      const body = readFileSync(path.join(dir, k), 'utf8')
        .split('\n')
        .filter((l) => l && !l.startsWith('-----'));
      for (const line of body)
        assert.ok(!`${r.stdout}${r.stderr}`.includes(line), `${k} leaked into kernelctl's output`);
    }
  };

  test('a profile names the server; TEMPORAL_ADDRESS overrides it and a flag both, as for the temporal CLI', async () => {
    const viaProfile = await kernelctl(['status', 'no-such-host', '--profile', 'plain']);
    assert.equal(viaProfile.code, 8, `served: the host has no upgrade\n${viaProfile.stderr}`);
    const envWins = await kernelctl(['status', 'no-such-host', '--profile', 'plain'], {
      TEMPORAL_ADDRESS: `127.0.0.1:${closedPort}`,
    });
    assert.equal(envWins.code, 7, envWins.stderr);
    const flagWins = await kernelctl([
      'status',
      'no-such-host',
      '--profile',
      'plain',
      '--address',
      `127.0.0.1:${closedPort}`,
    ]);
    assert.equal(flagWins.code, 7, flagWins.stderr);
    const noSuchProfile = await kernelctl(['status', 'no-such-host', '--profile', 'nonexistent']);
    assert.equal(noSuchProfile.code, 2, noSuchProfile.stderr);
    assert.match(noSuchProfile.stderr, /--profile: Profile 'nonexistent' not found/);
  });

  test('mutual TLS: served with the client certificate, refused (exit 7, saying so) without it', async () => {
    const served = await kernelctl(['status', 'no-such-host', '--profile', 'mtls']);
    assert.equal(served.code, 8, served.stderr);
    assert.match(served.stderr, /no upgrade|not found|no such/i);

    const noCert = await kernelctl(['status', 'no-such-host', '--profile', 'nocert']);
    assert.equal(noCert.code, 7, noCert.stderr);
    assert.match(noCert.stderr, new RegExp(`cannot reach Temporal at 127\\.0\\.0\\.1:${tlsPort} \\(TLS\\)`));
    assert.match(noCert.stderr, /--profile, --config-file, TEMPORAL_TLS_\*/);
    // The cause, not gRPC's "Failed to connect before the deadline".
    assert.match(noCert.stderr, /the server requires a client certificate and none was given/);

    const plain = await kernelctl(['status', 'no-such-host', '--profile', 'plaintext-to-tls']);
    assert.equal(plain.code, 7, plain.stderr);
    assert.match(plain.stderr, /\(plaintext\)/);
    assert.match(plain.stderr, /the server speaks TLS but the connection was plaintext/);
    for (const r of [served, noCert, plain]) noKeyBytes(r);
  });

  test("a certificate problem is named: the server's certificate not trusted, a hostname mismatch", async () => {
    const untrusted = await kernelctl(['status', 'no-such-host', '--profile', 'untrusted']);
    assert.equal(untrusted.code, 7, untrusted.stderr);
    assert.match(untrusted.stderr, /TLS: the server's certificate is not trusted \([A-Z_]+\)/);
    const wrongName = await kernelctl(['status', 'no-such-host', '--profile', 'wrong-name']);
    assert.equal(wrongName.code, 7, wrongName.stderr);
    assert.match(
      wrongName.stderr,
      /TLS: hostname mismatch: the server's certificate does not name temporal\.example\.net/,
    );
    for (const r of [untrusted, wrongName]) {
      assert.doesNotMatch(r.stderr, /Failed to connect before the deadline/);
      noKeyBytes(r);
    }
  });

  test('mutual TLS from the environment alone (TEMPORAL_TLS_*), as the temporal CLI takes it', async () => {
    const r = await kernelctl(['status', 'no-such-host', '--profile', 'plaintext-to-tls'], {
      TEMPORAL_TLS_SERVER_CA_CERT_PATH: path.join(dir, 'ca.pem'),
      TEMPORAL_TLS_SERVER_NAME: 'localhost',
      TEMPORAL_TLS_CLIENT_CERT_PATH: path.join(dir, 'client.pem'),
      TEMPORAL_TLS_CLIENT_KEY_PATH: path.join(dir, 'client.key'),
    });
    assert.equal(r.code, 8, r.stderr);
    noKeyBytes(r);
  });

  test('the same profile serves the temporal CLI', async () => {
    const r = await run(findTemporalBinary(), ['workflow', 'list', '--limit', '1', '--profile', 'mtls'], {
      ...env(),
    });
    assert.equal(r.code, 0, r.stderr);
    // The two ways docs/api.md shows: the file and profile as flags, or the TLS options themselves.
    const viaFlags = await run(
      findTemporalBinary(),
      ['workflow', 'list', '--limit', '1', '--config-file', path.join(dir, 'temporal.toml'), '--profile', 'mtls'],
      cleanEnv({}),
    );
    assert.equal(viaFlags.code, 0, viaFlags.stderr);
    const spelledOut = await run(
      findTemporalBinary(),
      [
        ...['workflow', 'list', '--limit', '1', '--address', `127.0.0.1:${tlsPort}`, '--namespace', 'default'],
        ...['--tls-ca-path', path.join(dir, 'ca.pem'), '--tls-server-name', 'localhost'],
        ...['--tls-cert-path', path.join(dir, 'client.pem'), '--tls-key-path', path.join(dir, 'client.key')],
      ],
      cleanEnv({}),
    );
    assert.equal(spelledOut.code, 0, spelledOut.stderr);
    const withoutCert = await run(
      findTemporalBinary(),
      [
        'workflow',
        'list',
        '--limit',
        '1',
        '--address',
        `127.0.0.1:${tlsPort}`,
        '--tls-ca-path',
        path.join(dir, 'ca.pem'),
      ],
      cleanEnv({}),
    );
    assert.notEqual(withoutCert.code, 0, 'the terminator refuses a client without a certificate');
  });

  test('a worker with the mTLS profile starts (search attributes registered through it); without the certificate it exits 7 naming the cause', async () => {
    const startWorker = (profile: string) =>
      new Promise<{ started: boolean; output: string }>((resolve) => {
        const child = spawn(
          process.execPath,
          [KERNELCTL, 'worker', '--profile', profile, '--task-queue', `profile-${profile}`],
          {
            env: env(),
            stdio: ['ignore', 'pipe', 'pipe'],
          },
        );
        let output = '';
        const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
        const onData = (d: Buffer) => {
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
    assert.ok(ok.started, ok.output);
    const refused = await startWorker('nocert');
    assert.equal(refused.started, false, refused.output);
    // As kernelctl's commands: exit 7 and the cause, not gRPC's "Failed to connect before the deadline".
    assert.match(refused.output, /\(exit 7\)/);
    assert.match(refused.output, /the server requires a client certificate and none was given/);
    noKeyBytes({ code: 0, stdout: ok.output, stderr: refused.output });
  });
});
