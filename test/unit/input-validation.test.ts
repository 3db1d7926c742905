/**
 * Bad input is refused before anything is touched, with the field named: the zod schemas, the
 * shell quoting, and kernelctl end to end (exit 2, and not one connection to Temporal).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import * as path from 'node:path';
import { InvalidInputError, parseOrThrow, upgradeHostInputSchema, abortArgsSchema } from '../../src/shared/schemas';
import { shellJoin, shellQuote } from '../../src/shared/shell';
import { upgradeInputFromFlags } from '../../src/cli/kernelctl';

const kernelctl = path.join(__dirname, '..', '..', '..', 'bin', 'kernelctl.js');

const valid = {
  target: { host: 'web-01.example.org', user: 'deploy', privateKeyPath: '/home/op/.ssh/id_ed25519' },
  toRelease: '6.1.0-56-cloud-amd64',
  source: { kind: 'apt', packageName: 'linux-image-6.1.0-56-cloud-amd64' },
};

describe('zod schemas', () => {
  test('a valid input gets defaults', () => {
    const v = parseOrThrow(upgradeHostInputSchema, valid);
    assert.equal(v.panicSeconds, 10);
    assert.equal(v.target.port, 22);
    assert.equal(v.power.driver, 'none');
    assert.equal(v.timeouts.bootDeadlineSeconds, 600);
  });

  const bad: [string, unknown, RegExp][] = [
    ['host with shell characters', { ...valid, target: { ...valid.target, host: 'web;reboot' } }, /^target\.host:/m],
    ['release with a command', { ...valid, toRelease: '6.1; rm -rf /' }, /^toRelease:/m],
    [
      'package with spaces',
      { ...valid, source: { kind: 'apt', packageName: 'linux-image-6 && reboot' } },
      /^source\.packageName:/m,
    ],
    [
      'relative key path',
      { ...valid, target: { ...valid.target, privateKeyPath: '../id_rsa' } },
      /^target\.privateKeyPath:/m,
    ],
    [
      'path traversal',
      { ...valid, target: { ...valid.target, knownHostsPath: '/etc/../root/x' } },
      /^target\.knownHostsPath:/m,
    ],
    [
      'key material instead of a path',
      { ...valid, target: { ...valid.target, privateKey: '-----BEGIN' } },
      /privateKey/,
    ],
    ['bad fingerprint', { ...valid, target: { ...valid.target, hostKeySha256: 'MD5:aa' } }, /^target\.hostKeySha256:/m],
    ['trial arg with $()', { ...valid, trialKernelArgs: ['init=$(reboot)'] }, /^trialKernelArgs\.0:/m],
    ['panic 0', { ...valid, panicSeconds: 0 }, /^panicSeconds:/m],
    ['deb without sha', { ...valid, source: { kind: 'deb', localPath: '/tmp/k.deb' } }, /^source\.sha256:/m],
    ['unknown power driver', { ...valid, power: { driver: 'ipmi-magic' } }, /^power\.driver:/m],
    [
      'non-kernel package',
      { ...valid, source: { kind: 'apt', packageName: 'openssh-server' } },
      /^source\.packageName:/m,
    ],
  ];
  for (const [name, input, field] of bad) {
    test(`refused: ${name}`, () => {
      assert.throws(
        () => parseOrThrow(upgradeHostInputSchema, input),
        (err: Error) => {
          assert.ok(err instanceof InvalidInputError);
          assert.match(err.message, field);
          return true;
        },
      );
    });
  }

  test('operator actions are validated too', () => {
    assert.throws(() => parseOrThrow(abortArgsSchema, { by: 'x', reason: '' }), /reason/);
    assert.throws(() => parseOrThrow(abortArgsSchema, { by: 'x\u0007', reason: 'r' }), /by/);
  });
});

describe('shell quoting', () => {
  test('plain words stay, everything else is single-quoted', () => {
    assert.equal(shellQuote('linux-image-6.1.0-56-cloud-amd64'), 'linux-image-6.1.0-56-cloud-amd64');
    assert.equal(shellQuote("it's"), `'it'\\''s'`);
    assert.equal(shellJoin(['echo', '$(reboot)', 'a b']), `echo '$(reboot)' 'a b'`);
    assert.throws(() => shellQuote('a\0b'), /NUL/);
  });

  test('a quoted value reaches the program as one literal argument', () => {
    const nasty = `a'b"c $(touch /tmp/kr-pwned) \`id\` ; | & > <`;
    const r = spawnSync('/bin/sh', ['-c', `printf %s ${shellQuote(nasty)}`]);
    assert.equal(r.stdout.toString(), nasty);
  });
});

describe('kernelctl refuses bad input before connecting', () => {
  test("upgrade 'bad host!' --to '6.1; rm -rf /': exit 2, each bad field named, no connection", async () => {
    let connections = 0;
    const server = createServer((s) => {
      connections += 1;
      s.destroy();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    const child = spawn(process.execPath, [
      kernelctl,
      'upgrade',
      'bad host!',
      '--to',
      '6.1; rm -rf /',
      '--address',
      `127.0.0.1:${port}`,
    ]);
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    server.close();
    assert.equal(code, 2);
    assert.match(stderr, /<host> \(target\.host\): must be a host name/);
    assert.match(stderr, /--to \(toRelease\): must be a kernel release/);
    assert.match(stderr, /nothing was started/);
    assert.equal(connections, 0, 'no connection to Temporal');
  });

  test('help lists the commands and upgrade options', () => {
    const main = spawnSync(process.execPath, [kernelctl, '--help']).stdout.toString();
    for (const c of ['upgrade', 'plan', 'status', 'watch', 'approve', 'abort', 'resolve', 'worker', 'dev']) {
      assert.match(main, new RegExp(`^  ${c}\\b`, 'm'), c);
    }
    const up = spawnSync(process.execPath, [kernelctl, 'upgrade', '--help']).stdout.toString();
    for (const o of ['--to', '--package', '--deb', '--kexec', '--approve-before-reboot', '--wait']) {
      assert.ok(up.includes(o), o);
    }
  });

  test('a bad health check is named by its flag and its place among that flag, as given', () => {
    const r = spawnSync(process.execPath, [
      kernelctl,
      'upgrade',
      'web-01',
      '--to',
      '6.1.0-56-cloud-amd64',
      '--health-cmd',
      'true',
      '--health-unit',
      'nginx service',
      '--health-unit',
      'ok.service',
      '--health-unit',
      'x;reboot',
      '--health-url',
      'ftp://x',
      '--address',
      '127.0.0.1:1',
    ]);
    const stderr = r.stderr.toString();
    assert.equal(r.status, 2, stderr);
    assert.match(stderr, /^ {2}--health-unit #1 \("nginx service"\): must be a systemd unit name$/m);
    assert.match(stderr, /^ {2}--health-unit #3 \("x;reboot"\): must be a systemd unit name$/m);
    assert.match(stderr, /^ {2}--health-url #1 \("ftp:\/\/x"\): /m);
    assert.doesNotMatch(stderr, /--health-cmd|--health-unit #2|healthChecks/);
  });

  test('one health flag adds to the default system-running check, which stays first', async () => {
    const input = (await upgradeInputFromFlags('web-01', {
      to: '6.1.0-56-cloud-amd64',
      'health-unit': ['nginx.service'],
    })) as { healthChecks: unknown };
    assert.deepEqual(input.healthChecks, [{ kind: 'system-running' }, { kind: 'systemd-unit', unit: 'nginx.service' }]);
    // No health flag: the input leaves healthChecks out, and the schema's default is that one check.
    const none = (await upgradeInputFromFlags('web-01', { to: '6.1.0-56-cloud-amd64' })) as object;
    assert.ok(!('healthChecks' in none));
    assert.deepEqual(parseOrThrow(upgradeHostInputSchema, valid).healthChecks, [
      { kind: 'system-running', allowDegraded: true },
    ]);
  });

  test('unknown flags and missing host are usage errors', () => {
    assert.equal(
      spawnSync(process.execPath, [kernelctl, 'upgrade', 'h', '--to', '6.1.0-1-amd64', '--frobnicate']).status,
      2,
    );
    assert.equal(spawnSync(process.execPath, [kernelctl, 'status']).status, 2);
    assert.equal(spawnSync(process.execPath, [kernelctl, 'resolve', 'h', '--retry', '--give-up']).status, 2);
  });
});
