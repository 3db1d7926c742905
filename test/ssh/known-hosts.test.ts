import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';

import {
  appendKnownHost,
  checkHostKey,
  checkHostKeyDetailed,
  fingerprintSha256,
  hashKnownHostsName,
  keyTypeFromBlob,
  knownHostsName,
  matchHostPatternList,
  matchPattern,
  parseKnownHosts,
} from '../../src/activities/ssh';
import { generateKeyPair, sshKeygenFingerprint, type KeyPair } from '../../testbed/sshd';

const execFileP = promisify(execFile);

function line(k: KeyPair): string {
  return k.publicKey.split(/\s+/).slice(0, 2).join(' ');
}

describe('known_hosts', () => {
  let dir: string;
  let a: KeyPair;
  let b: KeyPair;
  let rsa: KeyPair;

  before(async () => {
    dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'kr-kh-'));
    a = await generateKeyPair(dir, 'a');
    b = await generateKeyPair(dir, 'b');
    const rsaPath = path.join(dir, 'rsa');
    await execFileP('ssh-keygen', ['-q', '-t', 'rsa', '-b', '2048', '-N', '', '-C', 'rsa', '-f', rsaPath]);
    const pub = (await fsp.readFile(`${rsaPath}.pub`, 'utf8')).trim();
    rsa = {
      privateKeyPath: rsaPath,
      publicKeyPath: `${rsaPath}.pub`,
      publicKey: pub,
      keyBlob: Buffer.from(pub.split(/\s+/)[1] ?? '', 'base64'),
    };
  });
  after(async () => {
    await fsp.rm(dir, { recursive: true, force: true });
  });

  it('fingerprintSha256 equals ssh-keygen -lf for ed25519, RSA and ECDSA keys', async () => {
    const ecdsaPath = path.join(dir, 'ecdsa');
    await execFileP('ssh-keygen', ['-q', '-t', 'ecdsa', '-b', '256', '-N', '', '-f', ecdsaPath]);
    const ecdsaBlob = Buffer.from((await fsp.readFile(`${ecdsaPath}.pub`, 'utf8')).split(/\s+/)[1] ?? '', 'base64');
    for (const [blob, pubPath] of [
      [a.keyBlob, a.publicKeyPath],
      [rsa.keyBlob, rsa.publicKeyPath],
      [ecdsaBlob, `${ecdsaPath}.pub`],
    ] as const) {
      const fp = fingerprintSha256(blob);
      assert.match(fp, /^SHA256:[A-Za-z0-9+/]{43}$/);
      assert.equal(fp, await sshKeygenFingerprint(pubPath));
    }
    assert.notEqual(fingerprintSha256(a.keyBlob), fingerprintSha256(b.keyBlob));
    assert.equal(keyTypeFromBlob(a.keyBlob), 'ssh-ed25519');
    assert.equal(keyTypeFromBlob(rsa.keyBlob), 'ssh-rsa');
  });

  it('plain patterns and comma lists; port 22 only for bare names; case-insensitive', () => {
    const text = `# comment\n\n   \nexample.com,10.0.0.1 ${line(a)} some comment\n`;
    assert.equal(checkHostKey(text, 'example.com', 22, a.keyBlob), 'match');
    assert.equal(checkHostKey(text, 'EXAMPLE.com', 22, a.keyBlob), 'match');
    assert.equal(checkHostKey(text, '10.0.0.1', 22, a.keyBlob), 'match');
    assert.equal(checkHostKey(text, 'example.com', 22, b.keyBlob), 'mismatch');
    assert.equal(checkHostKey(text, 'other.com', 22, a.keyBlob), 'unknown');
    assert.equal(checkHostKey(text, 'example.com', 2222, a.keyBlob), 'unknown');
    const parsed = parseKnownHosts(text);
    assert.equal(parsed.entries.length, 1);
    assert.equal(parsed.entries[0]?.line, 4);
    assert.equal(parsed.entries[0]?.comment, 'some comment');
  });

  it('[host]:port entries', () => {
    const text = `[example.com]:2222 ${line(a)}\n[10.1.1.1]:22 ${line(b)}\n`;
    assert.equal(checkHostKey(text, 'example.com', 2222, a.keyBlob), 'match');
    assert.equal(checkHostKey(text, 'example.com', 2222, b.keyBlob), 'mismatch');
    assert.equal(checkHostKey(text, 'example.com', 22, a.keyBlob), 'unknown');
    assert.equal(checkHostKey(text, 'example.com', 2223, a.keyBlob), 'unknown');
    // OpenSSH looks up port 22 as the bare name, so a "[h]:22" line never matches.
    assert.equal(checkHostKey(text, '10.1.1.1', 22, b.keyBlob), 'unknown');
    assert.equal(knownHostsName('Host.Example', 22), 'host.example');
    assert.equal(knownHostsName('h', 2200), '[h]:2200');
  });

  it('wildcards * and ?', () => {
    const text = `*.example.org ${line(a)}\nweb?.corp ${line(b)}\n[*.lab]:* ${line(a)}\n`;
    assert.equal(checkHostKey(text, 'a.example.org', 22, a.keyBlob), 'match');
    assert.equal(checkHostKey(text, 'x.y.example.org', 22, a.keyBlob), 'match');
    assert.equal(checkHostKey(text, 'example.org', 22, a.keyBlob), 'unknown');
    assert.equal(checkHostKey(text, 'web1.corp', 22, b.keyBlob), 'match');
    assert.equal(checkHostKey(text, 'web10.corp', 22, b.keyBlob), 'unknown');
    assert.equal(checkHostKey(text, 'db.lab', 2201, a.keyBlob), 'match');
    assert.equal(checkHostKey(text, 'db.lab', 22, a.keyBlob), 'unknown');
    assert.ok(matchPattern('abc', 'a*c'));
    assert.ok(matchPattern('ac', 'a*c'));
    assert.ok(matchPattern('abcbc', '*bc'));
    assert.ok(!matchPattern('abcb', '*bc'));
    assert.ok(matchPattern('anything', '*'));
    assert.ok(!matchPattern('', '?'));
  });

  it('negated patterns exclude a host even when another pattern matches', () => {
    const text = `*.corp,!secret.corp ${line(a)}\n`;
    assert.equal(checkHostKey(text, 'a.corp', 22, a.keyBlob), 'match');
    assert.equal(checkHostKey(text, 'secret.corp', 22, a.keyBlob), 'unknown');
    assert.ok(!matchHostPatternList('x', '!y'), 'a list with only negations matches nothing');
    assert.ok(!matchHostPatternList('secret.corp', '!secret.corp,*'));
  });

  it('@revoked wins over a matching line, in any order; other keys unaffected', () => {
    const revokedFirst = `@revoked * ${line(a)}\nhost ${line(a)}\n`;
    const revokedLast = `host ${line(a)}\n@revoked host ${line(a)}\n`;
    assert.equal(checkHostKey(revokedFirst, 'host', 22, a.keyBlob), 'revoked');
    assert.equal(checkHostKey(revokedLast, 'host', 22, a.keyBlob), 'revoked');
    const other = `@revoked * ${line(b)}\nhost ${line(a)}\n`;
    assert.equal(checkHostKey(other, 'host', 22, a.keyBlob), 'match');
    assert.equal(checkHostKey(other, 'elsewhere', 22, b.keyBlob), 'revoked');
    const d = checkHostKeyDetailed(revokedLast, 'host', 22, a.keyBlob);
    assert.equal(d.matchedLine, 2);
  });

  it('@cert-authority lines are ignored; malformed lines are skipped', () => {
    const text = `@cert-authority *.example.com ${line(a)}\n@bogus x ${line(a)}\nhost ssh-ed25519 !!!notbase64\nhost ssh-rsa ${
      line(a).split(' ')[1]
    }\nonlyonefield\n`;
    const parsed = parseKnownHosts(text);
    assert.equal(parsed.entries.length, 1);
    assert.equal(parsed.entries[0]?.marker, 'cert-authority');
    assert.equal(parsed.invalid.length, 4);
    assert.equal(checkHostKey(text, 'a.example.com', 22, a.keyBlob), 'unknown');
    assert.equal(checkHostKey(text, 'host', 22, a.keyBlob), 'unknown');
  });

  it('a host known only with another key type is a mismatch, not unknown', () => {
    const text = `host ${line(rsa)}\n`;
    const d = checkHostKeyDetailed(text, 'host', 22, a.keyBlob);
    assert.equal(d.result, 'mismatch');
    assert.equal(d.otherKeyTypesOnly, true);
    assert.deepEqual(
      d.expected.map((x) => x.fingerprint),
      [fingerprintSha256(rsa.keyBlob)],
    );
  });

  it('hashed entries written by ssh-keygen -H are matched', async () => {
    const file = path.join(dir, 'kh_hash');
    await fsp.writeFile(file, `host.example ${line(a)}\n[127.0.0.1]:2200 ${line(b)}\n`);
    await execFileP('ssh-keygen', ['-H', '-f', file]);
    const text = await fsp.readFile(file, 'utf8');
    assert.ok(!text.includes('host.example'), 'names must be hashed');
    const parsed = parseKnownHosts(text);
    assert.equal(parsed.entries.length, 2);
    assert.ok(parsed.entries.every((e) => e.hashed && e.hostField.startsWith('|1|')));
    assert.equal(checkHostKey(text, 'host.example', 22, a.keyBlob), 'match');
    assert.equal(checkHostKey(text, 'HOST.example', 22, a.keyBlob), 'match');
    assert.equal(checkHostKey(text, 'host.example', 22, b.keyBlob), 'mismatch');
    assert.equal(checkHostKey(text, 'host.example', 2200, a.keyBlob), 'unknown');
    assert.equal(checkHostKey(text, '127.0.0.1', 2200, b.keyBlob), 'match');
    assert.equal(checkHostKey(text, '127.0.0.1', 22, b.keyBlob), 'unknown');
  });

  it('hashes we compute are found by ssh-keygen -F', async () => {
    const file = path.join(dir, 'kh_ours');
    const salt = Buffer.from('0123456789abcdefghij');
    const h1 = hashKnownHostsName('host.example', salt);
    const h2 = hashKnownHostsName('[127.0.0.1]:2200');
    await fsp.writeFile(file, `${h1} ${line(a)}\n${h2} ${line(b)}\n`);
    const r1 = await execFileP('ssh-keygen', ['-F', 'host.example', '-f', file]);
    assert.ok(r1.stdout.includes(h1), r1.stdout);
    const r2 = await execFileP('ssh-keygen', ['-F', '[127.0.0.1]:2200', '-f', file]);
    assert.ok(r2.stdout.includes(h2), r2.stdout);
    await assert.rejects(execFileP('ssh-keygen', ['-F', 'nothere.example', '-f', file]));
    const text = await fsp.readFile(file, 'utf8');
    assert.equal(checkHostKey(text, 'host.example', 22, a.keyBlob), 'match');
  });

  it('appendKnownHost creates dir 0700 and file 0600, writes [host]:port for non-22 ports', async () => {
    const file = path.join(dir, 'newdir', 'sub', 'known_hosts');
    await appendKnownHost(file, 'h.example', 2222, a.keyBlob);
    assert.equal((await fsp.stat(path.dirname(file))).mode & 0o777, 0o700);
    assert.equal((await fsp.stat(file)).mode & 0o777, 0o600);
    let text = await fsp.readFile(file, 'utf8');
    assert.equal(text, `[h.example]:2222 ${line(a)}\n`);
    // appending after a last line without a newline keeps lines separate
    await fsp.appendFile(file, `# no newline`);
    await appendKnownHost(file, 'plain.example', 22, b.keyBlob);
    text = await fsp.readFile(file, 'utf8');
    assert.ok(text.endsWith(`# no newline\nplain.example ${line(b)}\n`), text);
    assert.equal(checkHostKey(text, 'h.example', 2222, a.keyBlob), 'match');
    assert.equal(checkHostKey(text, 'plain.example', 22, b.keyBlob), 'match');
    // ssh-keygen agrees with what we wrote
    const r = await execFileP('ssh-keygen', ['-F', '[h.example]:2222', '-f', file]);
    assert.ok(r.stdout.includes(line(a)));
  });
});
