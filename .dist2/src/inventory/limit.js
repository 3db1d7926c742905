"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.LimitPatternError = void 0;
exports.selectHosts = selectHosts;
exports.fnmatchToRegExp = fnmatchToRegExp;
class LimitPatternError extends Error {
    name = 'LimitPatternError';
}
exports.LimitPatternError = LimitPatternError;
function selectHosts(inventory, pattern) {
    const terms = splitTerms(pattern);
    if (terms.length === 0)
        throw new LimitPatternError('empty --limit pattern');
    const regular = terms.filter((t) => t[0] !== '&' && t[0] !== '!');
    const ordered = [
        ...(regular.length > 0 ? regular : ['all']),
        ...terms.filter((t) => t[0] === '&'),
        ...terms.filter((t) => t[0] === '!'),
    ];
    const unmatched = [];
    let selected = [];
    for (const raw of ordered) {
        const op = raw[0] === '&' || raw[0] === '!' ? raw[0] : '';
        const term = op ? raw.slice(1) : raw;
        if (term === '')
            throw new LimitPatternError(`empty term in --limit pattern ${JSON.stringify(pattern)}`);
        const names = inventory.hosts.some((h) => h.name === term) ? [term] : matchTerm(inventory, term);
        if (names.length === 0) {
            unmatched.push(raw);
            continue;
        }
        const set = new Set(names);
        if (op === '!')
            selected = selected.filter((h) => !set.has(h));
        else if (op === '&')
            selected = selected.filter((h) => set.has(h));
        else {
            const have = new Set(selected);
            selected.push(...names.filter((h) => !have.has(h)));
        }
    }
    if (unmatched.length > 0) {
        throw new LimitPatternError(`--limit: ${unmatched.map((u) => JSON.stringify(u)).join(', ')} select${unmatched.length === 1 ? 's' : ''} no host in ${inventory.file} (names are case-sensitive)`);
    }
    const keep = new Set(selected);
    return inventory.hosts.filter((h) => keep.has(h.name));
}
/** Ansible's split_host_pattern. */
function splitTerms(pattern) {
    let terms;
    if (pattern.includes(','))
        terms = pattern.split(',');
    else if (isOneAddress(pattern.trim()))
        terms = [pattern];
    else {
        terms = pattern.match(/(?:[^\s:[\]]|\[[^\]]*\])+/g) ?? [];
        // Ansible drops what this split cannot read (`~[` becomes `~`, which selects every host);
        // a pattern not read whole is refused instead.
        if (terms.join('').replace(/[\s:]/g, '') !== pattern.replace(/[\s:]/g, ''))
            throw new LimitPatternError(`--limit: cannot read ${JSON.stringify(pattern)} (an unbalanced [ or ]?)`);
    }
    return terms.map((t) => t.trim()).filter((t) => t !== '');
}
/** A host name or address with optional ranges and port: Ansible's parse_address(allow_ranges). */
function isOneAddress(s) {
    const label = String.raw `(?:[a-z0-9_-]|\[[a-z0-9]+:[a-z0-9]+(?::[0-9]+)?\])+`;
    const name = new RegExp(String.raw `^${label}(?:\.${label})*\.?(?::[0-9]+)?$`, 'i');
    const ipv6 = /^\[?[0-9a-f:.]*:[0-9a-f:.]*\]?(?::[0-9]+)?$/i;
    return name.test(s) || (s.includes('::') && ipv6.test(s));
}
const SUBSCRIPT = /^(.+)\[(?:(-?[0-9]+)|([0-9]+)([:-])([0-9]*))\]$/;
/** Host names a term selects, in Ansible's order (empty when it matches nothing). */
function matchTerm(inventory, term) {
    let expr = term;
    let subscript;
    const m = term[0] === '~' ? null : SUBSCRIPT.exec(term);
    if (m) {
        expr = m[1];
        subscript = m[2] !== undefined ? [Number(m[2]), undefined] : [Number(m[3]), m[5] ? Number(m[5]) : -1];
    }
    const hosts = enumerate(inventory, expr);
    if (!subscript || hosts.length === 0)
        return hosts;
    const [start, end] = subscript;
    if (end === undefined) {
        const one = hosts.at(start);
        if (one === undefined || start >= hosts.length || start < -hosts.length)
            throw new LimitPatternError(`--limit: no host matched the subscripted pattern ${JSON.stringify(term)}`);
        return [one];
    }
    return hosts.slice(start, (end === -1 ? hosts.length - 1 : end) + 1);
}
function enumerate(inventory, expr) {
    const test = compile(expr);
    const out = [];
    const seen = new Set();
    const add = (h) => {
        if (!seen.has(h)) {
            seen.add(h);
            out.push(h);
        }
    };
    const groups = ['all', ...Object.keys(inventory.groups)].filter(test);
    for (const g of groups)
        for (const h of g === 'all' ? inventory.hosts.map((x) => x.name) : inventory.groups[g])
            add(h);
    if (groups.length === 0 || expr[0] === '~' || /[.?*[]/.test(expr)) {
        for (const h of inventory.hosts)
            if (test(h.name))
                add(h.name);
    }
    return out;
}
function compile(expr) {
    let re;
    if (expr[0] === '~') {
        if (expr === '~')
            throw new LimitPatternError('--limit: ~ needs a regular expression after it');
        try {
            re = new RegExp(`^(?:${expr.slice(1)})`, 's');
        }
        catch (e) {
            throw new LimitPatternError(`--limit: ${expr} is not a valid regular expression (${e.message})`);
        }
    }
    else {
        re = fnmatchToRegExp(expr);
    }
    return (name) => re.test(name);
}
/** Python's fnmatch.translate: `*`, `?`, `[seq]`, `[!seq]`; a `[` without `]` is literal. */
function fnmatchToRegExp(glob) {
    let out = '';
    for (let i = 0; i < glob.length; i++) {
        const c = glob[i];
        if (c === '*')
            out += '.*';
        else if (c === '?')
            out += '.';
        else if (c === '[') {
            let j = i + 1;
            if (glob[j] === '!')
                j++;
            if (glob[j] === ']')
                j++;
            while (j < glob.length && glob[j] !== ']')
                j++;
            if (j >= glob.length) {
                out += '\\[';
                continue;
            }
            let body = glob.slice(i + 1, j).replace(/\\/g, '\\\\');
            if (body.startsWith('!'))
                body = `^${body.slice(1)}`;
            else if (body.startsWith('^'))
                body = `\\${body}`;
            out += `[${body.replace(/\]/g, '\\]').replace(/\[/g, '\\[')}]`;
            i = j;
        }
        else
            out += c.replace(/[.+^${}()|[\]\\/]/g, '\\$&');
    }
    return new RegExp(`^${out}$`, 's');
}
//# sourceMappingURL=limit.js.map