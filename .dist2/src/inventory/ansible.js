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
exports.AnsibleModel = void 0;
exports.expandHostRange = expandHostRange;
exports.shlexSplit = shlexSplit;
exports.readAnsibleIni = readAnsibleIni;
exports.parseAnsibleIni = parseAnsibleIni;
exports.pythonLiteral = pythonLiteral;
exports.splitHostPort = splitHostPort;
exports.readAnsibleYaml = readAnsibleYaml;
exports.parseAnsibleYaml = parseAnsibleYaml;
exports.finishAnsible = finishAnsible;
exports.sshGetopt = sshGetopt;
/**
 * Ansible inventories, read as Ansible reads them (INI and YAML), so an existing inventory
 * works unchanged:
 * - groups, `[g:children]` / `children:`, `[g:vars]` / `vars:`, hosts before any section and the
 *   implicit `all` and `ungrouped` groups; host ranges `web[01:20].example.com`, `db-[a:c]`,
 *   with an optional stride `[1:9:2]`; `host:port` in a host line.
 * - variable precedence: host vars > child group vars > parent group vars > `all` vars (groups
 *   of one depth by ansible_group_priority, then name, like Ansible).
 * - connection vars: ansible_host, ansible_port, ansible_user, ansible_ssh_private_key_file
 *   (and their ansible_ssh_* aliases), ansible_connection (ssh only), and in
 *   ansible_ssh_common_args / _extra_args / ansible_ssh_args: `-o ProxyJump=`, `-J`,
 *   `-o ProxyCommand="ssh -W %h:%p [-p port] [user@]bastion"`, `-o StrictHostKeyChecking=accept-new`,
 *   `-o UserKnownHostsFile=`, `-i`, `-p`, `-l`.
 * - what would connect differently from Ansible and cannot be honoured (passwords, become
 *   passwords, non-ssh connections, disabled host key checking, Jinja templates in connection
 *   vars, other ProxyCommands) is an error at file:line naming the variable; other variables are
 *   ignored.
 * ~/.ssh/config is matched against ansible_host when it is set, else the inventory name — the
 * name Ansible hands to ssh.
 */
const path = __importStar(require("node:path"));
const yaml_1 = require("yaml");
const native_1 = require("./native");
const resolve_1 = require("./resolve");
const ssh_config_1 = require("./ssh-config");
const yaml_lines_1 = require("./yaml-lines");
/**
 * What both syntaxes are read into before variables are merged. Several files (an inventory
 * folder) are read into one model, in order, as Ansible merges its sources: a later file's
 * variables replace an earlier one's, hosts and groups keep their first place.
 */
class AnsibleModel {
    hostOrder = [];
    hostLine = new Map();
    hostFile = new Map();
    /** `parent\0child` → where the child was listed (for group cycle errors). */
    childOrigin = new Map();
    /** The format of the first file read. */
    format;
    hostVars = new Map();
    groups = new Map([['all', { hosts: new Set(), children: [], vars: new Map() }]]);
    group(name) {
        let g = this.groups.get(name);
        if (!g) {
            g = { hosts: new Set(), children: [], vars: new Map() };
            this.groups.set(name, g);
        }
        return g;
    }
    addChild(parent, child, origin) {
        this.group(child);
        const g = this.group(parent);
        const key = `${parent}\0${child}`;
        if (!this.childOrigin.has(key)) {
            this.childOrigin.set(key, origin);
            g.children.push(child);
        }
    }
    addHost(name, group, file, line, vars) {
        if (!this.hostVars.has(name)) {
            this.hostOrder.push(name);
            this.hostLine.set(name, line);
            this.hostFile.set(name, file);
            this.hostVars.set(name, new Map());
        }
        const own = this.hostVars.get(name);
        for (const [k, v] of vars)
            own.set(k, v);
        this.group(group).hosts.add(name);
    }
}
exports.AnsibleModel = AnsibleModel;
// ---- host ranges ------------------------------------------------------------------------------
const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
/** Expands Ansible host ranges (`web[01:03]`, `[a:c]`, `[0:10:5]`, several per name). */
function expandHostRange(pattern) {
    const open = pattern.indexOf('[');
    if (open < 0)
        return [pattern];
    const close = pattern.indexOf(']', open);
    if (close < 0)
        return `unbalanced [ in ${JSON.stringify(pattern)}`;
    const head = pattern.slice(0, open);
    const tail = pattern.slice(close + 1);
    const bounds = pattern.slice(open + 1, close).split(':');
    if (bounds.length < 2 || bounds.length > 3)
        return `host range ${JSON.stringify(pattern)} must be [begin:end] or [begin:end:step]`;
    const [beg0, end, stepText] = bounds;
    const beg = beg0 === '' ? '0' : beg0;
    const step = stepText === undefined || stepText === '' ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1)
        return `host range ${JSON.stringify(pattern)}: step must be a positive integer`;
    let items;
    if (/^\d+$/.test(beg) && /^\d+$/.test(end)) {
        const width = beg.length > 1 && beg.startsWith('0') ? beg.length : 0;
        if (width && end.length !== width)
            return `host range ${JSON.stringify(pattern)}: begin and end must have the same width`;
        const a = Number(beg);
        const b = Number(end);
        if (a > b)
            return `host range ${JSON.stringify(pattern)}: begin is after end`;
        if ((b - a) / step > 100000)
            return `host range ${JSON.stringify(pattern)} is larger than 100000 hosts`;
        items = [];
        for (let i = a; i <= b; i += step)
            items.push(width ? String(i).padStart(width, '0') : String(i));
    }
    else if (/^[A-Za-z]$/.test(beg) && /^[A-Za-z]$/.test(end)) {
        const a = LETTERS.indexOf(beg);
        const b = LETTERS.indexOf(end);
        if (a > b)
            return `host range ${JSON.stringify(pattern)}: begin is after end`;
        items = [];
        for (let i = a; i <= b; i += step)
            items.push(LETTERS[i]);
    }
    else {
        return `host range ${JSON.stringify(pattern)} must be numeric ([01:20]) or one letter to one letter ([a:f])`;
    }
    const tails = expandHostRange(tail);
    if (typeof tails === 'string')
        return tails;
    return items.flatMap((i) => tails.map((t) => `${head}${i}${t}`));
}
// ---- shell-like word splitting ----------------------------------------------------------------
/** POSIX-shell-like split (Python shlex): quotes, backslashes, optional `#` comments. */
function shlexSplit(s, comments) {
    const out = [];
    let i = 0;
    while (i < s.length) {
        while (i < s.length && /\s/.test(s[i]))
            i++;
        if (i >= s.length)
            break;
        if (comments && s[i] === '#')
            break;
        let token = '';
        while (i < s.length && !/\s/.test(s[i])) {
            const c = s[i];
            if (c === "'") {
                const end = s.indexOf("'", i + 1);
                if (end < 0)
                    return null;
                token += s.slice(i + 1, end);
                i = end + 1;
            }
            else if (c === '"') {
                i++;
                while (i < s.length && s[i] !== '"') {
                    if (s[i] === '\\' && (s[i + 1] === '"' || s[i + 1] === '\\'))
                        i++;
                    token += s[i];
                    i++;
                }
                if (i >= s.length)
                    return null;
                i++;
            }
            else if (c === '\\' && i + 1 < s.length) {
                token += s[i + 1];
                i += 2;
            }
            else {
                token += c;
                i++;
            }
        }
        out.push(token);
    }
    return out;
}
// ---- INI --------------------------------------------------------------------------------------
function readAnsibleIni(file, text, problems, env) {
    const model = new AnsibleModel();
    parseAnsibleIni(file, text, model, problems);
    problems.throwIfAny();
    return finishAnsible(file, model, problems, { ...env, baseDir: path.dirname(path.resolve(file)) });
}
/** Reads one Ansible INI file into `model` (problems collected, not thrown). */
function parseAnsibleIni(file, text, model, problems) {
    model.format ??= 'ansible-ini';
    let section = { kind: 'hosts', group: 'ungrouped' };
    const rows = text.split(/\r?\n/);
    for (let n = 1; n <= rows.length; n++) {
        const row = rows[n - 1].trim();
        if (row === '' || row.startsWith('#') || row.startsWith(';'))
            continue;
        const at = (field) => ({ file, line: n, field });
        const header = /^\[([^\]]+)\]\s*([#;].*)?$/.exec(row);
        if (header) {
            const [name, kind = 'hosts', extra] = header[1].trim().split(':');
            if (!name || extra !== undefined || !['hosts', 'children', 'vars'].includes(kind)) {
                problems.add(at(''), `section [${header[1]}] must be [group], [group:children] or [group:vars]`);
                section = { kind: 'vars', group: '(invalid)' };
                continue;
            }
            section = { kind: kind, group: name };
            model.group(name);
            continue;
        }
        if (section.kind === 'vars') {
            const eq = row.indexOf('=');
            if (eq <= 0) {
                problems.add(at(''), `expected key=value in [${section.group}:vars]`);
                continue;
            }
            const key = row.slice(0, eq).trim();
            const value = pythonLiteral(row.slice(eq + 1).trim());
            model.group(section.group).vars.set(key, { value, origin: at(key) });
        }
        else if (section.kind === 'children') {
            const words = shlexSplit(row, true) ?? [];
            if (words.length !== 1) {
                problems.add(at(''), `expected one group name per line in [${section.group}:children]`);
                continue;
            }
            model.addChild(section.group, words[0], at(words[0]));
        }
        else {
            const words = shlexSplit(row, true);
            if (words === null) {
                problems.add(at(''), 'unbalanced quotes');
                continue;
            }
            if (words.length === 0)
                continue;
            const vars = new Map();
            const { pattern, port } = splitHostPort(words[0]);
            if (port !== undefined)
                vars.set('ansible_port', { value: port, origin: at('ansible_port') });
            for (const word of words.slice(1)) {
                const eq = word.indexOf('=');
                if (eq <= 0) {
                    problems.add(at(word), `expected key=value after the host name (got ${JSON.stringify(word)})`);
                    continue;
                }
                const key = word.slice(0, eq);
                vars.set(key, { value: pythonLiteral(word.slice(eq + 1)), origin: at(key) });
            }
            const names = expandHostRange(pattern);
            if (typeof names === 'string') {
                problems.add(at(pattern), names);
                continue;
            }
            for (const name of names)
                model.addHost(name, section.group, file, n, vars);
        }
    }
}
/**
 * An INI value as Ansible reads it: Python's ast.literal_eval when the text is a literal — so
 * `2222  # ssh port` is the number 2222, `"10.0.0.1" # primary` the string 10.0.0.1, and
 * `"-o ProxyCommand=\\"ssh …\\""` has its escaped quotes undone — and the text itself otherwise
 * (comment included, as Ansible keeps it). Literals read here: integers (with `_`, `0x`, `0o`,
 * `0b`), quoted strings with Python escapes, True/False/None; lists and dicts stay text (they
 * are never connection values).
 */
function pythonLiteral(text) {
    const t = text.trim();
    let i = 0;
    let value;
    const int = /^[-+]?(?:0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|[1-9](?:_?[0-9])*|0+(?:_?0)*)/.exec(t);
    const word = /^(True|False|None)\b/.exec(t);
    if (t[0] === '"' || t[0] === "'") {
        let out = '';
        let ok = false;
        // Adjacent literals concatenate, as in Python: "a" 'b' is "ab".
        while (t[i] === '"' || t[i] === "'") {
            const q = t[i];
            const triple = t.startsWith(q.repeat(3), i);
            const end = triple ? q.repeat(3) : q;
            i += end.length;
            ok = false;
            while (i < t.length) {
                if (t.startsWith(end, i)) {
                    i += end.length;
                    ok = true;
                    break;
                }
                if (t[i] === '\\' && i + 1 < t.length) {
                    const e = t[i + 1];
                    const simple = {
                        n: '\n',
                        t: '\t',
                        r: '\r',
                        '\\': '\\',
                        "'": "'",
                        '"': '"',
                        '\n': '',
                    };
                    if (simple[e] !== undefined)
                        out += simple[e];
                    else
                        out += `\\${e}`;
                    i += 2;
                    continue;
                }
                if (!triple && t[i] === '\n')
                    return text;
                out += t[i];
                i++;
            }
            if (!ok)
                return text;
            while (t[i] === ' ' || t[i] === '\t')
                i++;
        }
        value = out;
    }
    else if (int) {
        const digits = int[0].replace(/_/g, '');
        const sign = digits.startsWith('-') ? -1 : 1;
        const body = digits.replace(/^[-+]/, '');
        const n = /^0[xob]/i.test(body) ? Number(body.toLowerCase()) : Number(body);
        value = sign * n;
        i = int[0].length;
    }
    else if (word) {
        value = word[1] === 'True' ? true : word[1] === 'False' ? false : null;
        i = word[0].length;
    }
    else {
        return text;
    }
    const rest = t.slice(i).trim();
    return rest === '' || rest.startsWith('#') ? value : text;
}
/**
 * `host:port` as Ansible's parse_address reads a host pattern: `web[1:3].example.net:2222`
 * (a range's colon is not a port), `[2001:db8::1]:2222`; an IPv6 address without brackets has
 * no port.
 */
function splitHostPort(p) {
    const v6 = /^\[([0-9A-Fa-f:.]+)\](?::(\d+))?$/.exec(p);
    if (v6 && v6[1].includes(':'))
        return { pattern: v6[1], ...(v6[2] !== undefined ? { port: v6[2] } : {}) };
    const m = /^(.*?):(\d+)$/.exec(p);
    if (m && m[1] !== '' && !m[1].replace(/\[[^\]]*\]/g, '').includes(':'))
        return { pattern: m[1], port: m[2] };
    return { pattern: p };
}
// ---- YAML -------------------------------------------------------------------------------------
function readAnsibleYaml(src, problems, env) {
    const model = new AnsibleModel();
    parseAnsibleYaml(src, model, problems);
    problems.throwIfAny();
    return finishAnsible(src.file, model, problems, { ...env, baseDir: path.dirname(path.resolve(src.file)) });
}
/** Reads one Ansible YAML file into `model` (problems collected, not thrown). */
function parseAnsibleYaml(src, model, problems) {
    model.format ??= 'ansible-yaml';
    const file = src.file;
    const root = src.doc.contents;
    if (!(0, yaml_1.isMap)(root)) {
        problems.add({ file, line: 1, field: '' }, 'an Ansible YAML inventory is a mapping of groups (all: …)');
        return;
    }
    const js = (0, yaml_lines_1.yamlToJs)(src, problems);
    const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
    const walk = (name, def, p) => {
        model.group(name);
        if (def === null || def === undefined)
            return;
        if (!isObject(def)) {
            problems.add({ file, line: (0, yaml_lines_1.lineOfPath)(src, p), field: (0, yaml_lines_1.dotted)(p) }, 'a group must be a mapping of hosts:, children:, vars:');
            return;
        }
        for (const [key, value] of Object.entries(def)) {
            const kp = [...p, key];
            const at = (q, atKey = false) => ({ file, line: (0, yaml_lines_1.lineOfPath)(src, q, atKey), field: (0, yaml_lines_1.dotted)(q) });
            if (value === null)
                continue;
            if (key === 'hosts' || key === 'vars' || key === 'children') {
                if (!isObject(value)) {
                    problems.add(at(kp), `${key} must be a mapping`);
                    continue;
                }
            }
            else {
                problems.add(at(kp, true), 'unexpected key in a group (expected hosts, children or vars)');
                continue;
            }
            if (key === 'vars') {
                for (const [k, v] of Object.entries(value))
                    model.group(name).vars.set(k, { value: v, origin: at([...kp, k], true) });
            }
            else if (key === 'children') {
                for (const [child, childDef] of Object.entries(value)) {
                    model.addChild(name, child, at([...kp, child], true));
                    walk(child, childDef, [...kp, child]);
                }
            }
            else {
                for (const [pattern, hostDef] of Object.entries(value)) {
                    const hp = [...kp, pattern];
                    const line = (0, yaml_lines_1.lineOfPath)(src, hp, true);
                    if (hostDef !== null && !isObject(hostDef)) {
                        problems.add(at(hp), 'host variables must be a mapping');
                        continue;
                    }
                    const vars = new Map();
                    const { pattern: hostPattern, port } = splitHostPort(pattern);
                    if (port !== undefined)
                        vars.set('ansible_port', { value: port, origin: at(hp, true) });
                    for (const [k, v] of Object.entries(hostDef ?? {}))
                        vars.set(k, { value: v, origin: at([...hp, k], true) });
                    const names = expandHostRange(hostPattern);
                    if (typeof names === 'string') {
                        problems.add(at(hp, true), names);
                        continue;
                    }
                    for (const n of names)
                        model.addHost(n, name, file, line, vars);
                }
            }
        }
    };
    for (const [name, def] of Object.entries(js ?? {})) {
        walk(name, def, [name]);
        if (name !== 'all' && name !== 'ungrouped')
            model.addChild('all', name, { file, line: (0, yaml_lines_1.lineOfPath)(src, [name], true), field: name });
    }
    for (const item of root.items)
        if (!(0, yaml_1.isScalar)(item.key))
            problems.add({ file, line: 1, field: '' }, 'group names must be plain keys');
}
// ---- variables → settings ---------------------------------------------------------------------
/** Variables that would make Ansible connect in a way kernel-rollout cannot. */
const REFUSED_VARS = {
    ansible_password: 'password authentication is not supported; use a key (ansible_ssh_private_key_file) or ssh-agent',
    ansible_ssh_pass: 'password authentication is not supported; use a key (ansible_ssh_private_key_file) or ssh-agent',
    ansible_ssh_password: 'password authentication is not supported; use a key (ansible_ssh_private_key_file) or ssh-agent',
    ansible_become_password: 'a sudo password is not supported; the SSH user needs passwordless sudo',
    ansible_become_pass: 'a sudo password is not supported; the SSH user needs passwordless sudo',
    ansible_sudo_pass: 'a sudo password is not supported; the SSH user needs passwordless sudo',
    ansible_ssh_private_key_passphrase: 'encrypted keys need ssh-agent (agentSocket); a passphrase is not supported',
    ansible_private_key: 'ansible_private_key is the key itself (its content), which would be copied into workflow inputs; give a key file (ansible_ssh_private_key_file) or use ssh-agent',
    ansible_ssh_private_key: 'ansible_ssh_private_key is the key itself (its content), which would be copied into workflow inputs; give a key file (ansible_ssh_private_key_file) or use ssh-agent',
};
const NO_VARS_FILES = { group: () => undefined, host: () => undefined };
/**
 * Merges the variables of every host as Ansible does (VariableManager.get_vars with the default
 * VARIABLE_PRECEDENCE), lowest first: the inventory's `all` vars, its other groups' vars (by
 * depth, ansible_group_priority, name), group_vars/all, group_vars/<group> in the same order,
 * the host's inventory vars, host_vars/<host>.
 */
function finishAnsible(file, model, problems, env) {
    const varsFiles = env.varsFiles ?? NO_VARS_FILES;
    const parents = groupParents(model);
    const directGroups = placeUngrouped(model, parents);
    const depth = groupDepths(model, parents, problems);
    problems.throwIfAny();
    const priority = groupPriorities(model, problems);
    const groupLayer = groupLayers(model, parents, (a, b) => {
        const byDepth = (depth.get(a) ?? 0) - (depth.get(b) ?? 0);
        return byDepth || priority(a) - priority(b) || (a < b ? -1 : a > b ? 1 : 0);
    }, varsFiles);
    const hosts = [];
    const refused = new Set();
    for (const name of model.hostOrder) {
        const line = model.hostLine.get(name);
        const hostFile = model.hostFile.get(name) ?? file;
        if (!INVENTORY_NAME_RE.test(name)) {
            refused.add(name);
            problems.add({ file: hostFile, line, field: name }, 'the characters of an inventory name are letters, digits and . _ - : (it becomes the workflow id kernel-upgrade/<name>); give the host another name and its address in ansible_host');
            continue;
        }
        const layer = groupLayer(directGroups.get(name) ?? []);
        const vars = new Map(layer.vars);
        for (const [k, v] of model.hostVars.get(name))
            vars.set(k, v);
        for (const [k, v] of varsFiles.host(name) ?? [])
            vars.set(k, v);
        const settings = connectionSettings(name, vars, problems, env.baseDir, env.home);
        hosts.push({
            name,
            file: hostFile,
            line,
            groups: layer.groups.filter((g) => g !== 'all'),
            settings,
            sshConfigKey: settings.address?.value ?? name,
        });
    }
    problems.throwIfAny();
    return { file, format: model.format ?? 'ansible-ini', hosts, groups: groupMembers(model, refused) };
}
/** Each group's parents, as listed; every group but `all` that no group lists is a child of `all`. */
function groupParents(model) {
    const parents = new Map();
    for (const [name, g] of model.groups) {
        for (const c of g.children) {
            const ps = parents.get(c);
            if (ps)
                ps.push(name);
            else
                parents.set(c, [name]);
        }
    }
    for (const name of model.groups.keys()) {
        if (name !== 'all' && !parents.has(name))
            parents.set(name, ['all']);
    }
    return parents;
}
/**
 * Each host's direct groups, with `ungrouped` as Ansible keeps it: the hosts only in `all` (and
 * only those) are in `ungrouped`, itself a child of `all`.
 */
function placeUngrouped(model, parents) {
    const directGroups = new Map();
    for (const [name, g] of model.groups) {
        for (const h of g.hosts) {
            const d = directGroups.get(h);
            if (d)
                d.push(name);
            else
                directGroups.set(h, [name]);
        }
    }
    const ungrouped = model.group('ungrouped');
    for (const h of model.hostOrder) {
        const direct = directGroups.get(h) ?? [];
        const real = direct.filter((g) => g !== 'all' && g !== 'ungrouped');
        if (real.length === 0 && !ungrouped.hosts.has(h)) {
            ungrouped.hosts.add(h);
            directGroups.set(h, [...direct, 'ungrouped']);
        }
        else if (real.length > 0 && direct.includes('ungrouped')) {
            ungrouped.hosts.delete(h);
            directGroups.set(h, direct.filter((g) => g !== 'ungrouped'));
        }
    }
    if (!parents.has('ungrouped'))
        parents.set('ungrouped', ['all']);
    return directGroups;
}
/** Each group's ansible_group_priority (default 1); a value that is not an integer is a problem. */
function groupPriorities(model, problems) {
    const priorities = new Map();
    for (const [name, g] of model.groups) {
        const v = g.vars.get('ansible_group_priority');
        if (v === undefined)
            continue;
        // Ansible: int(value); 0 and negative numbers are priorities like any other.
        const text = String(v.value).trim();
        if (/^[-+]?\d+$/.test(text))
            priorities.set(name, Number(text));
        else
            problems.add(v.origin, 'must be an integer', `group ${name}`);
    }
    return (g) => priorities.get(g) ?? 1;
}
/**
 * The groups of a host with these direct groups (all their ancestors) and their variables merged
 * in `order` (inventory vars, then group_vars/ files). Hosts with the same direct groups share one.
 */
function groupLayers(model, parents, order, varsFiles) {
    const byDirect = new Map();
    return (direct) => {
        const key = direct.join('\0');
        let layer = byDirect.get(key);
        if (!layer) {
            const groups = (0, native_1.ancestry)(direct, parents);
            const ordered = [...groups].sort(order);
            const vars = new Map();
            for (const g of ordered)
                for (const [k, v] of model.groups.get(g).vars)
                    vars.set(k, v);
            for (const g of ordered)
                for (const [k, v] of varsFiles.group(g) ?? [])
                    vars.set(k, v);
            layer = { groups, vars };
            byDirect.set(key, layer);
        }
        return layer;
    };
}
/** Letters, digits and `. _ - :` (host names, IPv4 and IPv6 addresses, Ansible-style aliases). */
const INVENTORY_NAME_RE = /^(?=.{1,253}$)[A-Za-z0-9_][A-Za-z0-9_.:-]*$/;
/**
 * Each group's distance from `all` (the longest parent path), which orders group variables.
 * Iterative depth-first search over the parents, each group once (a chain of thousands of child
 * groups must neither overflow the stack nor cost the square of its depth); a cycle is reported
 * at the line that lists the group closing it.
 */
function groupDepths(model, parents, problems) {
    const depth = new Map([['all', 0]]);
    const state = new Map();
    for (const start of model.groups.keys()) {
        if (state.has(start) || start === 'all')
            continue;
        state.set(start, 'open');
        const frames = [{ g: start, i: 0 }];
        while (frames.length > 0) {
            const f = frames[frames.length - 1];
            const ps = parents.get(f.g) ?? ['all'];
            if (f.i < ps.length) {
                const p = ps[f.i++];
                if (p === 'all' || state.get(p) === 'done')
                    continue;
                if (state.get(p) === 'open') {
                    // p lists f.g as a child, and p is below f.g already: frames[k] = p … f.g.
                    const k = frames.findIndex((x) => x.g === p);
                    const cycle = [
                        p,
                        ...frames
                            .slice(k)
                            .map((x) => x.g)
                            .reverse(),
                    ];
                    const origin = model.childOrigin.get(`${p}\0${f.g}`) ?? { file: '', line: 0, field: f.g };
                    problems.add(origin, `group cycle: ${cycle.join(' → ')} (each group is listed as a child of the one before)`);
                    continue;
                }
                state.set(p, 'open');
                frames.push({ g: p, i: 0 });
                continue;
            }
            let d = 0;
            for (const p of ps)
                if (state.get(p) !== 'open' || p === 'all')
                    d = Math.max(d, depth.get(p) ?? 0);
            depth.set(f.g, d + 1);
            state.set(f.g, 'done');
            frames.pop();
        }
    }
    return depth;
}
/**
 * Group → member names in Ansible's order (Group.get_hosts): the group's own hosts in the order
 * they were added, then its descendants' breadth first, without repeats. `--limit web[0]` picks
 * from this order. Groups without a host below them are left out of the walk, and a group with
 * one such child extends that child's list: a chain of groups costs its length, not its square.
 */
function groupMembers(model, refused) {
    // Children before parents (post-order), iteratively.
    const order = [];
    const visited = new Set();
    for (const root of model.groups.keys()) {
        if (visited.has(root))
            continue;
        visited.add(root);
        const frames = [{ g: root, i: 0 }];
        while (frames.length > 0) {
            const f = frames[frames.length - 1];
            const children = model.groups.get(f.g).children;
            if (f.i < children.length) {
                const c = children[f.i++];
                if (!visited.has(c)) {
                    visited.add(c);
                    frames.push({ g: c, i: 0 });
                }
                continue;
            }
            order.push(f.g);
            frames.pop();
        }
    }
    const own = (g) => [...model.groups.get(g).hosts].filter((h) => !refused.has(h));
    const hasHosts = new Set();
    for (const g of order) {
        if (own(g).length > 0 || model.groups.get(g).children.some((c) => hasHosts.has(c)))
            hasHosts.add(g);
    }
    const members = new Map();
    for (const name of order) {
        const list = own(name);
        const relevant = model.groups.get(name).children.filter((c) => hasHosts.has(c));
        const seenHosts = new Set(list);
        const add = (h) => {
            if (!seenHosts.has(h)) {
                seenHosts.add(h);
                list.push(h);
            }
        };
        if (relevant.length === 1) {
            for (const h of members.get(relevant[0]))
                add(h);
        }
        else if (relevant.length > 1) {
            const seenGroups = new Set([name]);
            const queue = [name];
            for (let i = 0; i < queue.length; i++) {
                const g = model.groups.get(queue[i]);
                if (i > 0)
                    for (const h of g.hosts)
                        if (!refused.has(h))
                            add(h);
                for (const c of g.children) {
                    if (hasHosts.has(c) && !seenGroups.has(c)) {
                        seenGroups.add(c);
                        queue.push(c);
                    }
                }
            }
        }
        members.set(name, list);
    }
    const out = {};
    for (const name of model.groups.keys())
        if (name !== 'all')
            out[name] = members.get(name);
    return out;
}
function connectionSettings(host, vars, problems, baseDir, home) {
    const s = {};
    const ctx = `for ${host}`;
    const text = (v) => {
        if (typeof v.value === 'string' || typeof v.value === 'number') {
            const t = String(v.value);
            if (t.includes('{{') || t.includes('{%')) {
                problems.add(v.origin, 'Jinja templates are not evaluated; write the value itself', ctx);
                return undefined;
            }
            return t;
        }
        problems.add(v.origin, 'must be a string', ctx);
        return undefined;
    };
    const get = (...names) => {
        for (const n of names) {
            const v = vars.get(n);
            if (v !== undefined && v.value !== null) {
                const t = text(v);
                return t === undefined ? undefined : [v, t];
            }
        }
        return undefined;
    };
    for (const [name, v] of vars) {
        const refusal = REFUSED_VARS[name];
        if (refusal)
            problems.add(v.origin, refusal, ctx);
    }
    const connection = get('ansible_connection');
    if (connection && !['ssh', 'paramiko', 'smart'].includes(connection[1])) {
        problems.add(connection[0].origin, `connection ${JSON.stringify(connection[1])} is not supported; kernel-rollout connects over SSH`, ctx);
    }
    const become = get('ansible_become_method');
    if (become && become[1] !== 'sudo')
        problems.add(become[0].origin, 'only sudo is supported', ctx);
    const becomeUser = get('ansible_become_user');
    if (becomeUser && becomeUser[1] !== 'root')
        problems.add(becomeUser[0].origin, 'kernel-rollout becomes root; another user is not supported', ctx);
    for (const n of ['ansible_host_key_checking', 'ansible_ssh_host_key_checking']) {
        const v = vars.get(n);
        if (v && ['false', 'no', '0', 'off'].includes(String(v.value).toLowerCase())) {
            problems.add(v.origin, "host key checking cannot be turned off; remove it (unknown keys can be accepted once with ansible_ssh_common_args='-o StrictHostKeyChecking=accept-new')", ctx);
        }
    }
    const sourced = (v, value) => ({ value, origin: v.origin });
    const args = (name) => {
        const a = get(name);
        if (a)
            applySshArgs(a[1], a[0].origin, s, problems, ctx, baseDir, home);
    };
    // Ansible's ssh command line, whose first value of each option wins as in ssh: ansible_ssh_args,
    // then -o Port= / IdentityFile= / User= from the variables below, then
    // ansible_ssh_common_args and ansible_ssh_extra_args. The address is the destination itself.
    args('ansible_ssh_args');
    // Where both names are set, Ansible's ssh plugin takes the later one in its list of variables
    // for the option: the ansible_ssh_* alias wins over the short name, whichever group or host
    // each was set on.
    const address = get('ansible_ssh_host', 'ansible_host');
    if (address)
        s.address = sourced(address[0], address[1]);
    const port = get('ansible_ssh_port', 'ansible_port');
    if (port) {
        const n = /^\d{1,5}$/.test(port[1]) ? Number(port[1]) : NaN;
        if (n >= 1 && n <= 65535)
            s.port ??= sourced(port[0], n);
        else
            problems.add(port[0].origin, 'must be 1-65535', ctx);
    }
    const key = get('ansible_ssh_private_key_file', 'ansible_private_key_file');
    if (key)
        s.privateKeyPath ??= sourced(key[0], (0, resolve_1.expandInventoryPath)(key[1], baseDir, home));
    const user = get('ansible_ssh_user', 'ansible_user');
    if (user)
        s.user ??= sourced(user[0], user[1]);
    args('ansible_ssh_common_args');
    args('ansible_ssh_extra_args');
    return s;
}
/** ssh(1)'s options (OpenSSH 9.x getopt string): the letters without and with an argument. */
const SSH_FLAGS = new Set('1246AaCfGgKkMNnqsTtVvXxYy');
const SSH_FLAGS_WITH_ARG = new Set('BbcDEeFIiJLlmOoPpQRSWw');
/**
 * ssh's own reading of a command line (getopt: `-Ao ProxyJump=x`, `-oProxyJump=x`, `-p2222`,
 * `-i key`): the options, or why it cannot be read. Like ssh, it stops at the first word that is
 * not an option: that word would become ssh's destination, so it is an error here.
 */
function sshGetopt(words) {
    const out = [];
    for (let i = 0; i < words.length; i++) {
        const w = words[i];
        if (w === '--' || !w.startsWith('-') || w === '-')
            return `${JSON.stringify(w)} is not an ssh option (ssh would take it as the host to connect to)`;
        for (let j = 1; j < w.length; j++) {
            const f = w[j];
            if (SSH_FLAGS.has(f)) {
                out.push({ flag: f });
            }
            else if (SSH_FLAGS_WITH_ARG.has(f)) {
                const rest = w.slice(j + 1);
                if (rest !== '')
                    out.push({ flag: f, arg: rest });
                else if (i + 1 < words.length)
                    out.push({ flag: f, arg: words[++i] });
                else
                    return `ssh option -${f} needs an argument`;
                break;
            }
            else {
                return `-${f} is not an ssh option`;
            }
        }
    }
    return out;
}
/**
 * The ssh options that decide where, as whom and through what kernel-rollout connects: honoured
 * (first value wins, as in ssh) or refused. Options that change none of that are ignored.
 */
function applySshArgs(args, origin, s, problems, ctx, baseDir, home) {
    const words = shlexSplit(args, false);
    if (words === null) {
        problems.add(origin, 'unbalanced quotes', ctx);
        return;
    }
    const opts = sshGetopt(words);
    if (typeof opts === 'string') {
        problems.add(origin, `${opts}; kernel-rollout cannot connect as ssh would with these arguments`, ctx);
        return;
    }
    const t = { s, origin, baseDir, home, refuse: (message) => problems.add(origin, message, ctx) };
    for (const { flag, arg } of opts) {
        if (flag === 'o')
            applySshOption(arg, t);
        else if (flag === 'J')
            applyProxyJump(arg, t);
        else if (flag === 'i')
            applySshOption(`IdentityFile=${arg}`, t);
        else if (flag === 'p')
            applySshOption(`Port=${arg}`, t);
        else if (flag === 'l')
            applySshOption(`User=${arg}`, t);
        else if (flag === 'F')
            t.refuse('-F (another ssh config file) is not supported');
        else if (flag === 'G' || flag === 'V')
            t.refuse(`-${flag} makes ssh print and exit instead of connecting`);
    }
}
/** One `-o Keyword=value` (or the option a flag such as `-p` stands for). */
function applySshOption(o, t) {
    const m = /^([A-Za-z]+)\s*(?:=|\s)\s*(.*)$/.exec(o.trim());
    if (!m || m[2].trim() === '')
        return t.refuse(`-o ${JSON.stringify(o)} is not Keyword=value`);
    const [key, value] = [m[1].toLowerCase(), m[2].trim()];
    switch (key) {
        case 'proxyjump':
            applyProxyJump(value, t);
            break;
        case 'proxycommand': {
            const hop = proxyCommandHop(value, t.baseDir, t.home);
            if (hop === 'none')
                t.s.proxy ??= { kind: 'none', origin: t.origin };
            else if (hop)
                t.s.proxy ??= { kind: 'jump', hops: [hop], origin: t.origin };
            else
                t.refuse(`ProxyCommand ${JSON.stringify(value)} is not supported; use -o ProxyJump=[user@]bastion[:port]`);
            break;
        }
        case 'stricthostkeychecking':
            if (value.toLowerCase() === 'accept-new')
                t.s.trustOnFirstUse ??= { value: true, origin: t.origin };
            else if (['no', 'off', 'false'].includes(value.toLowerCase())) {
                t.refuse('StrictHostKeyChecking=no cannot be honoured: host keys are always verified (accept-new gives trust on first use)');
            }
            break;
        case 'userknownhostsfile': {
            const first = value.split(/\s+/)[0];
            t.s.knownHostsPath ??= {
                value: first === 'none' ? '/dev/null' : (0, resolve_1.expandInventoryPath)(first, t.baseDir, t.home),
                origin: t.origin,
            };
            break;
        }
        case 'identityfile':
            // `none` adds no key; a later IdentityFile is used (ssh skips `none` when loading keys).
            if (value.toLowerCase() !== 'none')
                t.s.privateKeyPath ??= { value: (0, resolve_1.expandInventoryPath)(value, t.baseDir, t.home), origin: t.origin };
            break;
        case 'identityagent':
            if (!['none', 'ssh_auth_sock'].includes(value.toLowerCase()))
                t.s.agentSocket ??= { value: (0, resolve_1.expandInventoryPath)(value, t.baseDir, t.home), origin: t.origin };
            break;
        case 'port':
            if (/^\d{1,5}$/.test(value) && Number(value) >= 1 && Number(value) <= 65535)
                t.s.port ??= { value: Number(value), origin: t.origin };
            else
                t.refuse(`Port ${JSON.stringify(value)} must be 1-65535`);
            break;
        case 'user':
            t.s.user ??= { value, origin: t.origin };
            break;
        case 'hostkeyalias':
            t.refuse('HostKeyAlias is not supported (known_hosts is looked up by the address)');
            break;
        case 'hostname':
            t.refuse('-o HostName is not supported; give the address in ansible_host');
            break;
        case 'canonicalizehostname':
            if (value.toLowerCase() !== 'no')
                t.refuse('CanonicalizeHostname is not supported; give the full name');
            break;
        case 'include':
        case 'host':
        case 'match':
            t.refuse(`-o ${m[1]} is not allowed on ssh's command line`);
            break;
    }
}
/** `-J` / `-o ProxyJump=`: the jump chain, or none. */
function applyProxyJump(value, t) {
    if (value.toLowerCase() === 'none') {
        t.s.proxy ??= { kind: 'none', origin: t.origin };
        return;
    }
    const hops = (0, ssh_config_1.parseProxyJump)(value);
    if (typeof hops === 'string')
        t.refuse(hops);
    else
        t.s.proxy ??= { kind: 'jump', hops, origin: t.origin };
}
/**
 * `ssh [-q] [-A] [-p port] [-l user] [-i key] [-o Key=Value …] -W %h:%p [user@]bastion` → that
 * bastion as a hop (with its port, user and key). `-o` options other than Port, User,
 * IdentityFile and the ones that change nothing about where and as whom (ForwardAgent,
 * ServerAlive*, ConnectTimeout, …) make it unreadable, as does host-key checking turned off.
 */
function proxyCommandHop(command, baseDir, home) {
    if (command.toLowerCase() === 'none')
        return 'none';
    const words = shlexSplit(command, false);
    if (!words || words[0] !== 'ssh')
        return null;
    let host;
    let port;
    let user;
    let key;
    let sawW = false;
    const option = (o) => {
        const m = /^([A-Za-z]+)\s*(?:=|\s)\s*(.*)$/.exec(o.trim());
        if (!m)
            return false;
        const [k, v] = [m[1].toLowerCase(), m[2].trim()];
        if (k === 'port')
            port ??= v;
        else if (k === 'user')
            user ??= v;
        else if (k === 'identityfile')
            key ??= v;
        else if (k === 'stricthostkeychecking')
            return !['no', 'off', 'false'].includes(v.toLowerCase());
        else if (!HARMLESS_SSH_OPTIONS.has(k))
            return false;
        return true;
    };
    for (let i = 1; i < words.length; i++) {
        const w = words[i];
        if (w === '-W')
            sawW = ['%h:%p', '[%h]:%p'].includes(words[++i] ?? '');
        else if (w === '-p')
            port ??= words[++i];
        else if (w === '-l')
            user ??= words[++i];
        else if (w === '-i')
            key ??= words[++i];
        else if (w === '-o') {
            if (!option(words[++i] ?? ''))
                return null;
        }
        else if (w.startsWith('-o') && w.length > 2) {
            if (!option(w.slice(2)))
                return null;
        }
        else if (/^-[qATCxXaNnv]+$/.test(w))
            continue;
        else if (w.startsWith('-'))
            return null;
        else if (host === undefined)
            host = w;
        else
            return null;
    }
    if (!sawW || host === undefined)
        return null;
    const parsed = (0, ssh_config_1.parseProxyJump)(`${user && !host.includes('@') ? `${user}@` : ''}${host}${port ? `:${port}` : ''}`);
    if (typeof parsed === 'string' || parsed.length !== 1)
        return null;
    return { ...parsed[0], ...(key !== undefined ? { identityFile: (0, resolve_1.expandInventoryPath)(key, baseDir, home) } : {}) };
}
/** ssh options that change neither the address, the user, the key nor host-key checking. */
const HARMLESS_SSH_OPTIONS = new Set([
    'forwardagent',
    'serveraliveinterval',
    'serveralivecountmax',
    'connecttimeout',
    'connectionattempts',
    'tcpkeepalive',
    'compression',
    'loglevel',
    'batchmode',
    'identitiesonly',
    'preferredauthentications',
    'controlmaster',
    'controlpath',
    'controlpersist',
]);
//# sourceMappingURL=ansible.js.map