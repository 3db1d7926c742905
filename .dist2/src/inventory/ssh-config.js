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
exports.NO_SSH_CONFIG = void 0;
exports.loadSshConfig = loadSshConfig;
exports.patternListMatches = patternListMatches;
exports.globToRegExp = globToRegExp;
exports.hostPatternsMatch = hostPatternsMatch;
exports.parseProxyJump = parseProxyJump;
exports.expandTokens = expandTokens;
/**
 * A small reader of OpenSSH client configuration (~/.ssh/config), enough to connect the way
 * `ssh <alias>` would: `Host` blocks (patterns with `*`, `?`, `!negation`, several per line),
 * first obtained value wins, `Include` (globs; a relative path is read from ~/.ssh, as OpenSSH
 * does for every user config, the one given with `-F` / `--ssh-config` included), and the
 * keywords that decide where and how we connect: HostName, User, Port, IdentityFile (the first
 * one that is not `none`), IdentityAgent, ProxyJump, ProxyCommand (refused later if it applies),
 * UserKnownHostsFile, StrictHostKeyChecking, CanonicalizeHostname (refused later unless `no`).
 * Every other keyword is read and ignored.
 *
 * `Match` blocks are evaluated as `ssh -G` evaluates them (OpenSSH 9.x, without
 * CanonicalizeHostname): the criteria `all`, `canonical`, `final`, `host`, `originalhost`,
 * `user` and `localuser`, each negatable with `!`, their arguments comma lists of patterns
 * (`!pattern` excludes), all criteria of a line ANDed. `host` is the name after HostName so far
 * (compared case-insensitively), `originalhost` the name given, `user` the user so far (the
 * inventory's, else ssh_config's so far, else the local login name, as ssh). A `Match final` (or
 * `canonical`) anywhere makes a second pass, as ssh does: the same files are read again with
 * `final` and `canonical` true and `Host` lines matched against the resolved, lower-cased
 * HostName. Criteria that need a command or the network (`exec`, `localnetwork`, `tagged`, …)
 * cannot be evaluated: such a line is refused, naming its file:line, for the hosts it could
 * apply to (when another criterion of the line already fails, the line is simply inactive).
 * An unknown criterion or a malformed Match line is refused at load, as ssh refuses the file.
 */
const node_fs_1 = require("node:fs");
const path = __importStar(require("node:path"));
const errors_1 = require("./errors");
/** An empty config, for `sshConfigPath: null` or a missing ~/.ssh/config. */
exports.NO_SSH_CONFIG = { file: '(none)', warnings: [], lookup: () => new Map() };
const MAX_INCLUDE_DEPTH = 16;
/** Reads and parses an ssh_config file and its Includes. Throws InventoryError on bad syntax. */
async function loadSshConfig(file, opts) {
    const problems = new errors_1.ProblemList();
    const warnings = [];
    // OpenSSH reads a relative Include of a user config (~/.ssh/config or -F FILE) from ~/.ssh.
    const baseDir = path.join(opts.home, '.ssh');
    const text = await node_fs_1.promises.readFile(file, 'utf8');
    const lines = await parseFile(text, file, { ...opts, baseDir, depth: 0, problems, warnings });
    problems.throwIfAny();
    return {
        file,
        warnings,
        lookup(alias, ctx) {
            return lookupIn(lines, alias, ctx ?? { localUser: opts.localUser ?? 'root' });
        },
    };
}
async function parseFile(text, file, ctx) {
    const out = [];
    const rows = text.split(/\r?\n/);
    for (let i = 0; i < rows.length; i++) {
        const row = (rows[i] ?? '').trim();
        if (row === '' || row.startsWith('#'))
            continue;
        const m = /^([^\s=]+)(?:\s*=\s*|\s+|$)(.*)$/.exec(row);
        const origin = { file, line: i + 1, field: m?.[1] ?? '' };
        if (!m || !m[1]) {
            ctx.problems.add(origin, 'cannot parse this line');
            continue;
        }
        const keyword = m[1].toLowerCase();
        const args = splitArgs(m[2] ?? '');
        if (args === null) {
            ctx.problems.add(origin, 'unbalanced quotes');
            continue;
        }
        if (keyword === 'host') {
            if (args.length === 0)
                ctx.problems.add(origin, 'Host needs at least one pattern');
            out.push({ kind: 'host', patterns: args, origin });
        }
        else if (keyword === 'match') {
            const criteria = parseMatch(args);
            if (typeof criteria === 'string')
                ctx.problems.add(origin, criteria);
            else
                out.push({ kind: 'match', criteria, origin });
        }
        else if (keyword === 'include') {
            if (ctx.depth >= MAX_INCLUDE_DEPTH) {
                ctx.problems.add(origin, `Include nested deeper than ${MAX_INCLUDE_DEPTH} files`);
                continue;
            }
            const files = [];
            for (const arg of args) {
                const pattern = arg.startsWith('~/') ? path.join(ctx.home, arg.slice(2)) : path.resolve(ctx.baseDir, arg);
                for (const included of await expandGlob(pattern)) {
                    const body = await node_fs_1.promises.readFile(included, 'utf8');
                    files.push(await parseFile(body, included, { ...ctx, depth: ctx.depth + 1 }));
                }
            }
            out.push({ kind: 'include', files, origin });
        }
        else {
            if (args.length === 0)
                ctx.problems.add(origin, 'missing value');
            out.push({ kind: 'option', key: keyword, args, origin: { ...origin, field: m[1] } });
        }
    }
    return out;
}
/** Criteria kernel-rollout evaluates; the others OpenSSH knows are refused where they matter. */
const EVALUATED = new Set(['all', 'canonical', 'final', 'host', 'originalhost', 'user', 'localuser']);
/** Criteria OpenSSH (9.2 or later) evaluates by running a command or asking the system. */
const NOT_EVALUATED = new Set(['exec', 'localnetwork', 'tagged', 'version', 'sessiontype', 'command']);
/** A Match line's criteria as OpenSSH reads them (readconf.c match_cfg_line), or why not. */
function parseMatch(args) {
    // `Match host=web` reads as `Match host web` (OpenSSH splits a word at its first `=`).
    const words = args.flatMap((a) => {
        const m = /^(!?[A-Za-z]+)=(.+)$/.exec(a);
        return m ? [m[1], m[2]] : [a];
    });
    if (words.length === 0)
        return 'Match needs at least one criterion (all, host, originalhost, user, localuser, …)';
    const out = [];
    for (let i = 0; i < words.length; i++) {
        const word = words[i];
        if (word.startsWith('#'))
            break;
        const negate = word.startsWith('!');
        const attr = (negate ? word.slice(1) : word).toLowerCase();
        if (attr === 'all') {
            const rest = words[i + 1];
            if (out.length > 1 || (rest !== undefined && !rest.startsWith('#')))
                return `'all' cannot be combined with other Match criteria (except a preceding canonical or final)`;
            out.push({ attr, negate });
            break;
        }
        if (attr === 'canonical' || attr === 'final') {
            out.push({ attr, negate });
            continue;
        }
        if (!EVALUATED.has(attr) && !NOT_EVALUATED.has(attr))
            return `unsupported Match criterion ${JSON.stringify(word)} (kernel-rollout evaluates all, canonical, final, host, originalhost, user, localuser)`;
        const arg = words[++i];
        if (arg === undefined || arg === '' || arg.startsWith('#'))
            return `Match ${attr} needs an argument`;
        out.push({ attr, negate, arg });
    }
    if (out.length === 0)
        return 'Match needs at least one criterion';
    return out;
}
/** OpenSSH argument splitting: whitespace separated, double quotes group, `#` starts a comment. */
function splitArgs(s) {
    const out = [];
    let i = 0;
    while (i < s.length) {
        while (i < s.length && /\s/.test(s[i]))
            i++;
        if (i >= s.length || s[i] === '#')
            break;
        let token = '';
        while (i < s.length && !/\s/.test(s[i])) {
            if (s[i] === '"') {
                const end = s.indexOf('"', i + 1);
                if (end < 0)
                    return null;
                token += s.slice(i + 1, end);
                i = end + 1;
            }
            else {
                token += s[i];
                i++;
            }
        }
        out.push(token);
    }
    return out;
}
function lookupIn(lines, alias, ctx) {
    const out = new Map();
    if (ctx.hostName !== undefined)
        out.set('hostname', {
            keyword: 'hostname',
            args: [ctx.hostName],
            origin: { file: '', line: 0, field: 'HostName' },
        });
    const first = { alias, final: false, hostArg: alias, ctx, out, wantFinal: false };
    evaluate(lines, first, false);
    // ssh.c: the HostName so far (with %h) or the name given, lower-cased, is the host the
    // configuration is read again for; HostName is then fixed.
    const finalHost = currentHost(first).toLowerCase();
    if (ctx.hostName !== undefined)
        out.delete('hostname');
    if (first.wantFinal)
        evaluate(lines, { ...first, final: true, hostArg: finalHost }, false);
    return out;
}
/** `%h` (and `%%`) of a HostName, as ssh expands it before matching. */
function currentHost(p) {
    const h = p.out.get('hostname')?.args[0];
    return h === undefined ? p.alias : h.replace(/%([%h])/g, (_, t) => (t === 'h' ? p.alias : '%'));
}
function evaluate(lines, p, neverMatch) {
    let active = true;
    for (const line of lines) {
        switch (line.kind) {
            case 'host':
                active = !neverMatch && hostPatternsMatch(line.patterns, p.hostArg);
                break;
            case 'match': {
                const r = matchLine(line.criteria, p);
                if (typeof r === 'string') {
                    // Only a line that could apply is refused: the others are inactive whatever the answer.
                    (p.ctx.problem ?? throwProblem)(line.origin, r);
                    active = false;
                }
                else
                    active = !neverMatch && r;
                break;
            }
            case 'include':
                // As in OpenSSH: an Include under an inactive block contributes nothing (but a
                // `Match final` in it still asks for the final pass); under an active one, its own Host
                // lines decide, and the enclosing block's state resumes after it.
                for (const f of line.files)
                    evaluate(f, p, neverMatch || !active);
                break;
            case 'option': {
                if (!active)
                    break;
                // HostName is fixed before the final pass (ssh.c sets it to the resolved name).
                if (p.final && line.key === 'hostname')
                    break;
                // IdentityFile none adds nothing (ssh skips it when loading keys); the next one counts.
                if (line.key === 'identityfile' && line.args[0]?.toLowerCase() === 'none') {
                    if (!p.out.has('identityfile-none'))
                        p.out.set('identityfile-none', { keyword: line.key, args: line.args, origin: line.origin });
                    break;
                }
                // ProxyJump and ProxyCommand exclude each other: whichever comes first wins.
                const key = line.key === 'proxyjump' || line.key === 'proxycommand' ? 'proxy' : line.key;
                if (!p.out.has(key))
                    p.out.set(key, { keyword: line.key, args: line.args, origin: line.origin });
                break;
            }
        }
    }
}
function throwProblem(origin, message) {
    throw new errors_1.InventoryError([{ ...origin, file: (0, errors_1.printable)(origin.file), message }]);
}
/**
 * One Match line for this pass: true/false, or why it cannot be told (a criterion kernel-rollout
 * does not evaluate, on a line whose other criteria all hold).
 */
function matchLine(criteria, p) {
    let result = true;
    let unknown;
    for (const c of criteria) {
        let r;
        switch (c.attr) {
            case 'all':
                r = true;
                break;
            case 'canonical':
            case 'final':
                if (c.attr === 'final')
                    p.wantFinal = true;
                r = p.final;
                break;
            case 'host':
                r = patternListMatches(currentHostForMatch(p).toLowerCase(), c.arg.toLowerCase());
                break;
            case 'originalhost':
                r = patternListMatches(p.alias.toLowerCase(), c.arg.toLowerCase());
                break;
            case 'user':
                r = patternListMatches(p.ctx.user ?? p.out.get('user')?.args[0] ?? p.ctx.localUser, c.arg);
                break;
            case 'localuser':
                r = patternListMatches(p.ctx.localUser, c.arg);
                break;
            default:
                unknown ??= c;
                continue;
        }
        if (r === c.negate)
            result = false;
    }
    if (!result)
        return false;
    if (unknown) {
        return `Match ${unknown.negate ? '!' : ''}${unknown.attr} cannot be evaluated by kernel-rollout (it ${unknown.attr === 'exec' ? 'runs a command' : 'depends on the local system'}); move the settings into a Host block or the inventory`;
    }
    return true;
}
function currentHostForMatch(p) {
    return p.final ? p.hostArg : currentHost(p);
}
/**
 * OpenSSH's match_pattern_list: a comma list of `*`/`?` patterns; true when some pattern matches
 * and no `!pattern` does.
 */
function patternListMatches(value, list) {
    return hostPatternsMatch(list.split(','), value);
}
const patternCache = new Map();
/**
 * `*` and `?` globs, compared case-sensitively: OpenSSH matches `Host` patterns against the
 * name exactly as given on the command line (`ssh -G -F f WEB` does not apply `Host web`).
 */
function globToRegExp(glob) {
    let re = patternCache.get(glob);
    if (!re) {
        const body = glob
            .replace(/[.+^${}()|[\]\\]/g, '\\$&')
            .replace(/\*/g, '.*')
            .replace(/\?/g, '.');
        re = new RegExp(`^${body}$`);
        patternCache.set(glob, re);
    }
    return re;
}
/** A Host line matches when some pattern matches and no `!pattern` does. */
function hostPatternsMatch(patterns, alias) {
    let matched = false;
    for (const p of patterns) {
        if (p.startsWith('!')) {
            if (globToRegExp(p.slice(1)).test(alias))
                return false;
        }
        else if (globToRegExp(p).test(alias)) {
            matched = true;
        }
    }
    return matched;
}
/** Expands `*`/`?` in any path segment; sorted like glob(3); no match → nothing (as OpenSSH). */
async function expandGlob(pattern) {
    if (!/[*?]/.test(pattern)) {
        return (await exists(pattern)) ? [pattern] : [];
    }
    const parts = pattern.split('/');
    let bases = [parts[0] === '' ? '/' : parts[0]];
    for (const part of parts.slice(1)) {
        if (part === '')
            continue;
        const next = [];
        for (const base of bases) {
            if (!/[*?]/.test(part)) {
                next.push(path.join(base, part));
                continue;
            }
            const re = new RegExp(`^${part
                .replace(/[.+^${}()|[\]\\]/g, '\\$&')
                .replace(/\*/g, '.*')
                .replace(/\?/g, '.')}$`);
            let names;
            try {
                names = await node_fs_1.promises.readdir(base);
            }
            catch {
                continue;
            }
            for (const n of names.sort())
                if (!n.startsWith('.') && re.test(n))
                    next.push(path.join(base, n));
        }
        bases = next;
    }
    const files = [];
    for (const b of bases)
        if (await exists(b))
            files.push(b);
    return files;
}
async function exists(p) {
    try {
        return (await node_fs_1.promises.stat(p)).isFile();
    }
    catch {
        return false;
    }
}
/** Parses a ProxyJump value (comma chain). Returns an error message instead of throwing. */
function parseProxyJump(value) {
    const hops = [];
    for (const raw of value.split(',')) {
        const text = raw.trim();
        const m = /^(?:ssh:\/\/)?(?:([^@\s]+)@)?(\[[0-9A-Fa-f:.]+\]|[^:@\s[\]]+)(?::(\d{1,5}))?$/.exec(text);
        if (!m || !m[2])
            return `${JSON.stringify(text)} is not [user@]host[:port]`;
        const port = m[3] !== undefined ? Number(m[3]) : undefined;
        if (port !== undefined && (port < 1 || port > 65535))
            return `${JSON.stringify(text)}: port must be 1-65535`;
        hops.push({
            text,
            host: m[2].replace(/^\[|\]$/g, ''),
            ...(m[1] !== undefined ? { user: m[1] } : {}),
            ...(port !== undefined ? { port } : {}),
        });
    }
    return hops;
}
/**
 * Expands `~` and OpenSSH's %-tokens (`%%` and the ones given). An unknown token is an error:
 * a path we would guess at is worse than a refusal.
 */
function expandTokens(value, tokens, home) {
    let bad;
    let s = value.replace(/%(.)/g, (whole, t) => {
        if (t === '%')
            return '%';
        const v = tokens[t];
        if (v === undefined) {
            bad = whole;
            return whole;
        }
        return v;
    });
    if (bad !== undefined)
        return new Error(`unsupported token ${bad} (supported: %% ${Object.keys(tokens)
            .map((t) => `%${t}`)
            .join(' ')})`);
    if (s === '~')
        s = home;
    else if (s.startsWith('~/'))
        s = path.join(home, s.slice(2));
    return s;
}
//# sourceMappingURL=ssh-config.js.map