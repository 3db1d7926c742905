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
const strict_1 = __importDefault(require("node:assert/strict"));
const node_child_process_1 = require("node:child_process");
const node_fs_1 = require("node:fs");
const os = __importStar(require("node:os"));
const path = __importStar(require("node:path"));
const node_test_1 = require("node:test");
const node_util_1 = require("node:util");
const ssh_1 = require("../../src/activities/ssh");
const sshd_1 = require("../../testbed/sshd");
const execFileP = (0, node_util_1.promisify)(node_child_process_1.execFile);
function line(k) {
    return k.publicKey.split(/\s+/).slice(0, 2).join(' ');
}
(0, node_test_1.describe)('known_hosts', () => {
    let dir;
    let a;
    let b;
    let rsa;
    (0, node_test_1.before)(async () => {
        dir = await node_fs_1.promises.mkdtemp(path.join(os.tmpdir(), 'kr-kh-'));
        a = await (0, sshd_1.generateKeyPair)(dir, 'a');
        b = await (0, sshd_1.generateKeyPair)(dir, 'b');
        const rsaPath = path.join(dir, 'rsa');
        await execFileP('ssh-keygen', ['-q', '-t', 'rsa', '-b', '2048', '-N', '', '-C', 'rsa', '-f', rsaPath]);
        const pub = (await node_fs_1.promises.readFile(`${rsaPath}.pub`, 'utf8')).trim();
        rsa = {
            privateKeyPath: rsaPath,
            publicKeyPath: `${rsaPath}.pub`,
            publicKey: pub,
            keyBlob: Buffer.from(pub.split(/\s+/)[1] ?? '', 'base64'),
        };
    });
    (0, node_test_1.after)(async () => {
        await node_fs_1.promises.rm(dir, { recursive: true, force: true });
    });
    (0, node_test_1.it)('fingerprintSha256 equals ssh-keygen -lf for ed25519, RSA and ECDSA keys', async () => {
        const ecdsaPath = path.join(dir, 'ecdsa');
        await execFileP('ssh-keygen', ['-q', '-t', 'ecdsa', '-b', '256', '-N', '', '-f', ecdsaPath]);
        const ecdsaBlob = Buffer.from((await node_fs_1.promises.readFile(`${ecdsaPath}.pub`, 'utf8')).split(/\s+/)[1] ?? '', 'base64');
        for (const [blob, pubPath] of [
            [a.keyBlob, a.publicKeyPath],
            [rsa.keyBlob, rsa.publicKeyPath],
            [ecdsaBlob, `${ecdsaPath}.pub`],
        ]) {
            const fp = (0, ssh_1.fingerprintSha256)(blob);
            strict_1.default.match(fp, /^SHA256:[A-Za-z0-9+/]{43}$/);
            strict_1.default.equal(fp, await (0, sshd_1.sshKeygenFingerprint)(pubPath));
        }
        strict_1.default.notEqual((0, ssh_1.fingerprintSha256)(a.keyBlob), (0, ssh_1.fingerprintSha256)(b.keyBlob));
        strict_1.default.equal((0, ssh_1.keyTypeFromBlob)(a.keyBlob), 'ssh-ed25519');
        strict_1.default.equal((0, ssh_1.keyTypeFromBlob)(rsa.keyBlob), 'ssh-rsa');
    });
    (0, node_test_1.it)('plain patterns and comma lists; port 22 only for bare names; case-insensitive', () => {
        const text = `# comment\n\n   \nexample.com,10.0.0.1 ${line(a)} some comment\n`;
        strict_1.default.equal((0, ssh_1.checkHostKey)(text, 'example.com', 22, a.keyBlob), 'match');
        strict_1.default.equal((0, ssh_1.checkHostKey)(text, 'EXAMPLE.com', 22, a.keyBlob), 'match');
        strict_1.default.equal((0, ssh_1.checkHostKey)(text, '10.0.0.1', 22, a.keyBlob), 'match');
        strict_1.default.equal((0, ssh_1.checkHostKey)(text, 'example.com', 22, b.keyBlob), 'mismatch');
        strict_1.default.equal((0, ssh_1.checkHostKey)(text, 'other.com', 22, a.keyBlob), 'unknown');
        strict_1.default.equal((0, ssh_1.checkHostKey)(text, 'example.com', 2222, a.keyBlob), 'unknown');
        const parsed = (0, ssh_1.parseKnownHosts)(text);
        strict_1.default.equal(parsed.entries.length, 1);
        strict_1.default.equal(parsed.entries[0]?.line, 4);
        strict_1.default.equal(parsed.entries[0]?.comment, 'some comment');
    });
    (0, node_test_1.it)('[host]:port entries', () => {
        const text = `[example.com]:2222 ${line(a)}\n[10.1.1.1]:22 ${line(b)}\n`;
        strict_1.default.equal((0, ssh_1.checkHostKey)(text, 'example.com', 2222, a.keyBlob), 'match');
        strict_1.default.equal((0, ssh_1.checkHostKey)(text, 'example.com', 2222, b.keyBlob), 'mismatch');
        strict_1.default.equal((0, ssh_1.checkHostKey)(text, 'example.com', 22, a.keyBlob), 'unknown');
        strict_1.default.equal((0, ssh_1.checkHostKey)(text, 'example.com', 2223, a.keyBlob), 'unknown');
        // OpenSSH looks up port 22 as the bare name, so a "[h]:22" line never matches.
        strict_1.default.equal((0, ssh_1.checkHostKey)(text, '10.1.1.1', 22, b.keyBlob), 'unknown');
        strict_1.default.equal((0, ssh_1.knownHostsName)('Host.Example', 22), 'host.example');
        strict_1.default.equal((0, ssh_1.knownHostsName)('h', 2200), '[h]:2200');
    });
    (0, node_test_1.it)('wildcards * and ?', () => {
        const text = `*.example.org ${line(a)}\nweb?.corp ${line(b)}\n[*.lab]:* ${line(a)}\n`;
        strict_1.default.equal((0, ssh_1.checkHostKey)(text, 'a.example.org', 22, a.keyBlob), 'match');
        strict_1.default.equal((0, ssh_1.checkHostKey)(text, 'x.y.example.org', 22, a.keyBlob), 'match');
        strict_1.default.equal((0, ssh_1.checkHostKey)(text, 'example.org', 22, a.keyBlob), 'unknown');
        strict_1.default.equal((0, ssh_1.checkHostKey)(text, 'web1.corp', 22, b.keyBlob), 'match');
        strict_1.default.equal((0, ssh_1.checkHostKey)(text, 'web10.corp', 22, b.keyBlob), 'unknown');
        strict_1.default.equal((0, ssh_1.checkHostKey)(text, 'db.lab', 2201, a.keyBlob), 'match');
        strict_1.default.equal((0, ssh_1.checkHostKey)(text, 'db.lab', 22, a.keyBlob), 'unknown');
        strict_1.default.ok((0, ssh_1.matchPattern)('abc', 'a*c'));
        strict_1.default.ok((0, ssh_1.matchPattern)('ac', 'a*c'));
        strict_1.default.ok((0, ssh_1.matchPattern)('abcbc', '*bc'));
        strict_1.default.ok(!(0, ssh_1.matchPattern)('abcb', '*bc'));
        strict_1.default.ok((0, ssh_1.matchPattern)('anything', '*'));
        strict_1.default.ok(!(0, ssh_1.matchPattern)('', '?'));
    });
    (0, node_test_1.it)('negated patterns exclude a host even when another pattern matches', () => {
        const text = `*.corp,!secret.corp ${line(a)}\n`;
        strict_1.default.equal((0, ssh_1.checkHostKey)(text, 'a.corp', 22, a.keyBlob), 'match');
        strict_1.default.equal((0, ssh_1.checkHostKey)(text, 'secret.corp', 22, a.keyBlob), 'unknown');
        strict_1.default.ok(!(0, ssh_1.matchHostPatternList)('x', '!y'), 'a list with only negations matches nothing');
        strict_1.default.ok(!(0, ssh_1.matchHostPatternList)('secret.corp', '!secret.corp,*'));
    });
    (0, node_test_1.it)('@revoked wins over a matching line, in any order; other keys unaffected', () => {
        const revokedFirst = `@revoked * ${line(a)}\nhost ${line(a)}\n`;
        const revokedLast = `host ${line(a)}\n@revoked host ${line(a)}\n`;
        strict_1.default.equal((0, ssh_1.checkHostKey)(revokedFirst, 'host', 22, a.keyBlob), 'revoked');
        strict_1.default.equal((0, ssh_1.checkHostKey)(revokedLast, 'host', 22, a.keyBlob), 'revoked');
        const other = `@revoked * ${line(b)}\nhost ${line(a)}\n`;
        strict_1.default.equal((0, ssh_1.checkHostKey)(other, 'host', 22, a.keyBlob), 'match');
        strict_1.default.equal((0, ssh_1.checkHostKey)(other, 'elsewhere', 22, b.keyBlob), 'revoked');
        const d = (0, ssh_1.checkHostKeyDetailed)(revokedLast, 'host', 22, a.keyBlob);
        strict_1.default.equal(d.matchedLine, 2);
    });
    (0, node_test_1.it)('@cert-authority lines are ignored; malformed lines are skipped', () => {
        const text = `@cert-authority *.example.com ${line(a)}\n@bogus x ${line(a)}\nhost ssh-ed25519 !!!notbase64\nhost ssh-rsa ${line(a).split(' ')[1]}\nonlyonefield\n`;
        const parsed = (0, ssh_1.parseKnownHosts)(text);
        strict_1.default.equal(parsed.entries.length, 1);
        strict_1.default.equal(parsed.entries[0]?.marker, 'cert-authority');
        strict_1.default.equal(parsed.invalid.length, 4);
        strict_1.default.equal((0, ssh_1.checkHostKey)(text, 'a.example.com', 22, a.keyBlob), 'unknown');
        strict_1.default.equal((0, ssh_1.checkHostKey)(text, 'host', 22, a.keyBlob), 'unknown');
    });
    (0, node_test_1.it)('a host known only with another key type is a mismatch, not unknown', () => {
        const text = `host ${line(rsa)}\n`;
        const d = (0, ssh_1.checkHostKeyDetailed)(text, 'host', 22, a.keyBlob);
        strict_1.default.equal(d.result, 'mismatch');
        strict_1.default.equal(d.otherKeyTypesOnly, true);
        strict_1.default.deepEqual(d.expected.map((x) => x.fingerprint), [(0, ssh_1.fingerprintSha256)(rsa.keyBlob)]);
    });
    (0, node_test_1.it)('hashed entries written by ssh-keygen -H are matched', async () => {
        const file = path.join(dir, 'kh_hash');
        await node_fs_1.promises.writeFile(file, `host.example ${line(a)}\n[127.0.0.1]:2200 ${line(b)}\n`);
        await execFileP('ssh-keygen', ['-H', '-f', file]);
        const text = await node_fs_1.promises.readFile(file, 'utf8');
        strict_1.default.ok(!text.includes('host.example'), 'names must be hashed');
        const parsed = (0, ssh_1.parseKnownHosts)(text);
        strict_1.default.equal(parsed.entries.length, 2);
        strict_1.default.ok(parsed.entries.every((e) => e.hashed && e.hostField.startsWith('|1|')));
        strict_1.default.equal((0, ssh_1.checkHostKey)(text, 'host.example', 22, a.keyBlob), 'match');
        strict_1.default.equal((0, ssh_1.checkHostKey)(text, 'HOST.example', 22, a.keyBlob), 'match');
        strict_1.default.equal((0, ssh_1.checkHostKey)(text, 'host.example', 22, b.keyBlob), 'mismatch');
        strict_1.default.equal((0, ssh_1.checkHostKey)(text, 'host.example', 2200, a.keyBlob), 'unknown');
        strict_1.default.equal((0, ssh_1.checkHostKey)(text, '127.0.0.1', 2200, b.keyBlob), 'match');
        strict_1.default.equal((0, ssh_1.checkHostKey)(text, '127.0.0.1', 22, b.keyBlob), 'unknown');
    });
    (0, node_test_1.it)('hashes we compute are found by ssh-keygen -F', async () => {
        const file = path.join(dir, 'kh_ours');
        const salt = Buffer.from('0123456789abcdefghij');
        const h1 = (0, ssh_1.hashKnownHostsName)('host.example', salt);
        const h2 = (0, ssh_1.hashKnownHostsName)('[127.0.0.1]:2200');
        await node_fs_1.promises.writeFile(file, `${h1} ${line(a)}\n${h2} ${line(b)}\n`);
        const r1 = await execFileP('ssh-keygen', ['-F', 'host.example', '-f', file]);
        strict_1.default.ok(r1.stdout.includes(h1), r1.stdout);
        const r2 = await execFileP('ssh-keygen', ['-F', '[127.0.0.1]:2200', '-f', file]);
        strict_1.default.ok(r2.stdout.includes(h2), r2.stdout);
        await strict_1.default.rejects(execFileP('ssh-keygen', ['-F', 'nothere.example', '-f', file]));
        const text = await node_fs_1.promises.readFile(file, 'utf8');
        strict_1.default.equal((0, ssh_1.checkHostKey)(text, 'host.example', 22, a.keyBlob), 'match');
    });
    (0, node_test_1.it)('appendKnownHost creates dir 0700 and file 0600, writes [host]:port for non-22 ports', async () => {
        const file = path.join(dir, 'newdir', 'sub', 'known_hosts');
        await (0, ssh_1.appendKnownHost)(file, 'h.example', 2222, a.keyBlob);
        strict_1.default.equal((await node_fs_1.promises.stat(path.dirname(file))).mode & 0o777, 0o700);
        strict_1.default.equal((await node_fs_1.promises.stat(file)).mode & 0o777, 0o600);
        let text = await node_fs_1.promises.readFile(file, 'utf8');
        strict_1.default.equal(text, `[h.example]:2222 ${line(a)}\n`);
        // appending after a last line without a newline keeps lines separate
        await node_fs_1.promises.appendFile(file, `# no newline`);
        await (0, ssh_1.appendKnownHost)(file, 'plain.example', 22, b.keyBlob);
        text = await node_fs_1.promises.readFile(file, 'utf8');
        strict_1.default.ok(text.endsWith(`# no newline\nplain.example ${line(b)}\n`), text);
        strict_1.default.equal((0, ssh_1.checkHostKey)(text, 'h.example', 2222, a.keyBlob), 'match');
        strict_1.default.equal((0, ssh_1.checkHostKey)(text, 'plain.example', 22, b.keyBlob), 'match');
        // ssh-keygen agrees with what we wrote
        const r = await execFileP('ssh-keygen', ['-F', '[h.example]:2222', '-f', file]);
        strict_1.default.ok(r.stdout.includes(line(a)));
    });
});
//# sourceMappingURL=known-hosts.test.js.map