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
exports.fingerprintSha256 = fingerprintSha256;
exports.normalizeFingerprint = normalizeFingerprint;
exports.keyTypeFromBlob = keyTypeFromBlob;
exports.knownHostsName = knownHostsName;
exports.hashKnownHostsName = hashKnownHostsName;
exports.parseKnownHosts = parseKnownHosts;
exports.matchPattern = matchPattern;
exports.matchHostPatternList = matchHostPatternList;
exports.entryMatchesHost = entryMatchesHost;
exports.checkHostKeyDetailed = checkHostKeyDetailed;
exports.checkHostKey = checkHostKey;
exports.readKnownHostsFile = readKnownHostsFile;
exports.checkHostKeyFile = checkHostKeyFile;
exports.knownKeyTypesForHost = knownKeyTypesForHost;
exports.appendKnownHost = appendKnownHost;
/**
 * OpenSSH known_hosts handling: parsing, host-pattern matching (plain, comma lists, `[host]:port`,
 * hashed `|1|salt|hmac`, `*`/`?` wildcards, `!` negation), `@revoked` keys, fingerprints, and the
 * trust-on-first-use append.
 *
 * The format is described in sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT"; the matching rules follow
 * OpenSSH's match.c / hostfile.c.
 */
const node_crypto_1 = require("node:crypto");
const node_fs_1 = require("node:fs");
const path = __importStar(require("node:path"));
/** OpenSSH's fingerprint: `SHA256:` + base64 (no padding) of SHA-256 over the key blob. */
function fingerprintSha256(keyBlob) {
    return 'SHA256:' + (0, node_crypto_1.createHash)('sha256').update(keyBlob).digest('base64').replace(/=+$/, '');
}
/** Normalise a user-supplied fingerprint (`SHA256:abc`, `abc`, with or without `=` padding). */
function normalizeFingerprint(fp) {
    let s = fp.trim();
    if (/^sha256:/i.test(s))
        s = s.slice(7);
    s = s.replace(/=+$/, '');
    return 'SHA256:' + s;
}
/** The key type string embedded at the start of an SSH public key blob. */
function keyTypeFromBlob(keyBlob) {
    if (keyBlob.length < 4)
        throw new Error('public key blob too short');
    const len = keyBlob.readUInt32BE(0);
    if (len === 0 || len > 64 || 4 + len > keyBlob.length)
        throw new Error('malformed public key blob');
    return keyBlob.subarray(4, 4 + len).toString('latin1');
}
/** The name a host is looked up under: `host` for port 22, `[host]:port` otherwise (lower-cased). */
function knownHostsName(host, port) {
    const h = host.toLowerCase();
    return port === 22 ? h : `[${h}]:${port}`;
}
/** `|1|base64(salt)|base64(HMAC-SHA1(salt, name))`, as `ssh-keygen -H` / HashKnownHosts write it. */
function hashKnownHostsName(name, salt = (0, node_crypto_1.randomBytes)(20)) {
    const mac = (0, node_crypto_1.createHmac)('sha1', salt).update(name).digest();
    return `|1|${salt.toString('base64')}|${mac.toString('base64')}`;
}
/** Parse known_hosts text. Comments, blank lines and malformed lines are skipped. */
function parseKnownHosts(text) {
    const entries = [];
    const invalid = [];
    const lines = text.split(/\r?\n/);
    for (let i = 0; i < lines.length; i++) {
        const lineNo = i + 1;
        const raw = (lines[i] ?? '').trim();
        if (raw === '' || raw.startsWith('#'))
            continue;
        const fields = raw.split(/[ \t]+/);
        let marker = null;
        if (fields[0]?.startsWith('@')) {
            const m = fields.shift();
            if (m === '@revoked')
                marker = 'revoked';
            else if (m === '@cert-authority')
                marker = 'cert-authority';
            else {
                invalid.push({ line: lineNo, reason: `unknown marker ${m}` });
                continue;
            }
        }
        const [hostField, keyType, keyB64, ...rest] = fields;
        if (hostField === undefined || keyType === undefined || keyB64 === undefined) {
            invalid.push({ line: lineNo, reason: 'expected: [marker] hostpatterns keytype base64-key [comment]' });
            continue;
        }
        if (!/^[A-Za-z0-9+/]+={0,2}$/.test(keyB64)) {
            invalid.push({ line: lineNo, reason: 'key is not base64' });
            continue;
        }
        const keyBlob = Buffer.from(keyB64, 'base64');
        let blobType;
        try {
            blobType = keyTypeFromBlob(keyBlob);
        }
        catch (e) {
            invalid.push({ line: lineNo, reason: e.message });
            continue;
        }
        if (blobType !== keyType) {
            invalid.push({ line: lineNo, reason: `key type ${keyType} does not match the key's own type ${blobType}` });
            continue;
        }
        entries.push({
            line: lineNo,
            marker,
            hostField,
            hashed: hostField.startsWith('|'),
            keyType,
            keyBlob,
            comment: rest.join(' '),
        });
    }
    return { entries, invalid };
}
/** OpenSSH match_pattern: `*` any run, `?` one character; case-insensitive for host names. */
function matchPattern(name, pattern) {
    const s = name.toLowerCase();
    const p = pattern.toLowerCase();
    // Iterative glob with backtracking over the last `*`.
    let si = 0;
    let pi = 0;
    let starP = -1;
    let starS = 0;
    while (si < s.length) {
        const pc = p[pi];
        if (pc === '*') {
            starP = pi++;
            starS = si;
        }
        else if (pc !== undefined && (pc === '?' || pc === s[si])) {
            pi++;
            si++;
        }
        else if (starP >= 0) {
            pi = starP + 1;
            si = ++starS;
        }
        else {
            return false;
        }
    }
    while (p[pi] === '*')
        pi++;
    return pi === p.length;
}
/**
 * Does a comma-separated pattern list match `name`? A matching negated pattern (`!pat`) makes the
 * whole list fail, whatever else matches (OpenSSH match_hostname semantics).
 */
function matchHostPatternList(name, patternList) {
    let positive = false;
    for (const raw of patternList.split(',')) {
        if (raw === '')
            continue;
        if (raw.startsWith('!')) {
            if (matchPattern(name, raw.slice(1)))
                return false;
        }
        else if (matchPattern(name, raw)) {
            positive = true;
        }
    }
    return positive;
}
function hashedFieldMatches(name, field) {
    const parts = field.split('|');
    // ['', '1', salt, hash]
    if (parts.length !== 4 || parts[0] !== '' || parts[1] !== '1')
        return false;
    const salt = Buffer.from(parts[2] ?? '', 'base64');
    const want = Buffer.from(parts[3] ?? '', 'base64');
    if (salt.length === 0 || want.length !== 20)
        return false;
    const got = (0, node_crypto_1.createHmac)('sha1', salt).update(name).digest();
    return got.equals(want);
}
/** Does this entry's host field apply to the given host and port? */
function entryMatchesHost(entry, host, port) {
    const name = knownHostsName(host, port);
    if (entry.hashed)
        return hashedFieldMatches(name, entry.hostField);
    return matchHostPatternList(name, entry.hostField);
}
/**
 * Check a presented host key against known_hosts content.
 *  - 'revoked': an `@revoked` line for this host (or `*`) carries exactly this key: always refuse.
 *  - 'match': a plain line for the host carries this key.
 *  - 'mismatch': the host has known keys and the presented one is not among them (including the
 *    case where only keys of other types are known; a man in the middle can choose the type).
 *  - 'unknown': no line for this host.
 * `@cert-authority` lines are ignored (we do not accept host certificates).
 */
function checkHostKeyDetailed(knownHostsText, host, port, keyBlob) {
    const { entries } = parseKnownHosts(knownHostsText);
    const presentedType = keyTypeFromBlob(keyBlob);
    const expected = [];
    let matchedLine;
    for (const e of entries) {
        if (e.marker === 'cert-authority')
            continue;
        if (!entryMatchesHost(e, host, port))
            continue;
        if (e.marker === 'revoked') {
            if (e.keyBlob.equals(keyBlob))
                return { result: 'revoked', expected: [], matchedLine: e.line };
            continue;
        }
        expected.push({ fingerprint: fingerprintSha256(e.keyBlob), keyType: e.keyType, line: e.line });
        if (matchedLine === undefined && e.keyBlob.equals(keyBlob))
            matchedLine = e.line;
    }
    // Revoked lines are checked over the whole file before a match is accepted (done above: a
    // revoked hit returns immediately, whatever order the lines are in).
    if (matchedLine !== undefined)
        return { result: 'match', expected, matchedLine };
    if (expected.length === 0)
        return { result: 'unknown', expected };
    return {
        result: 'mismatch',
        expected,
        otherKeyTypesOnly: expected.every((x) => x.keyType !== presentedType),
    };
}
function checkHostKey(knownHostsText, host, port, keyBlob) {
    return checkHostKeyDetailed(knownHostsText, host, port, keyBlob).result;
}
/** Read a known_hosts file; a missing file reads as empty. */
async function readKnownHostsFile(filePath) {
    try {
        return await node_fs_1.promises.readFile(filePath, 'utf8');
    }
    catch (e) {
        if (e.code === 'ENOENT')
            return '';
        throw e;
    }
}
/** Check a presented key against a known_hosts file (missing file = no entries). */
async function checkHostKeyFile(filePath, host, port, keyBlob) {
    return checkHostKeyDetailed(await readKnownHostsFile(filePath), host, port, keyBlob);
}
/** Key types (known, not revoked, not CA) recorded for this host, in file order. */
function knownKeyTypesForHost(knownHostsText, host, port) {
    const types = [];
    for (const e of parseKnownHosts(knownHostsText).entries) {
        if (e.marker !== null)
            continue;
        if (entryMatchesHost(e, host, port) && !types.includes(e.keyType))
            types.push(e.keyType);
    }
    return types;
}
/**
 * Trust on first use: append `host keytype base64` (`[host]:port` when port != 22). Creates the
 * parent directory (0700) and the file (0600) when missing.
 */
async function appendKnownHost(filePath, host, port, keyBlob) {
    const keyType = keyTypeFromBlob(keyBlob);
    const line = `${knownHostsName(host, port)} ${keyType} ${keyBlob.toString('base64')}`;
    await node_fs_1.promises.mkdir(path.dirname(filePath), { recursive: true, mode: 0o700 });
    const fh = await node_fs_1.promises.open(filePath, 'a+', 0o600);
    try {
        const { size } = await fh.stat();
        let prefix = '';
        if (size > 0) {
            const last = Buffer.alloc(1);
            await fh.read(last, 0, 1, size - 1);
            if (last[0] !== 0x0a)
                prefix = '\n';
        }
        await fh.appendFile(prefix + line + '\n');
    }
    finally {
        await fh.close();
    }
    return line;
}
//# sourceMappingURL=known-hosts.js.map