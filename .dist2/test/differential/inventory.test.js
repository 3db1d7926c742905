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
 * Differential test of the inventory import against the real tools (see oracles.ts): every
 * inventory under test/fixtures/inventories/corpus (real files from public projects, sources in
 * sources.json) and test/fixtures/inventories/differential (targeted edge cases) is read by
 * kernel-rollout and by ansible-core; the host set, and per host the address, port, user, key,
 * jump hosts and host-key policy are compared with what Ansible would hand to ssh (evaluated by
 * `ssh -G`); --limit patterns are compared with Ansible's own selection; every ssh_config under
 * test/fixtures/inventories/ssh-config-corpus is compared with `ssh -G -F FILE HOST` for each of
 * its Host names.
 *
 * A difference is either fixed or a deliberate refusal listed in docs/inventories.md
 * ("Deliberate differences", one `id` per row): this test reads that table, classifies each
 * difference it finds, and fails on any that is not listed (or listed but never seen, so the list
 * cannot rot). It prints how many files, hosts and patterns it compared.
 */
const strict_1 = __importDefault(require("node:assert/strict"));
const node_fs_1 = require("node:fs");
const os = __importStar(require("node:os"));
const path = __importStar(require("node:path"));
const node_test_1 = require("node:test");
const inventory_1 = require("../../src/inventory");
const oracles_1 = require("./oracles");
const ROOT = path.join(__dirname, '..', '..', '..');
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'inventories');
const DOC = path.join(ROOT, 'docs', 'inventories.md');
/** The ids in docs/inventories.md's "Deliberate differences" table. */
function documentedIds() {
    const text = (0, node_fs_1.readFileSync)(DOC, 'utf8');
    const section = text.split(/^## Deliberate differences/m)[1]?.split(/^## /m)[0] ?? '';
    const ids = [...section.matchAll(/^\| `([a-z0-9-]+)` \|/gm)].map((m) => m[1]);
    strict_1.default.ok(ids.length > 0, `${DOC} has no "Deliberate differences" table`);
    return new Set(ids);
}
/** Our refusal messages → the documented id they are an instance of. */
const REFUSALS = [
    [/password/, 'password'],
    [/connection "[^"]+" is not supported/, 'non-ssh-connection'],
    [/host key checking|StrictHostKeyChecking|known_hosts file is \/dev\/null/, 'host-key-checking-off'],
    [/ansible_ssh_private_key\b.*(content|the key itself)/, 'private-key-content'],
    [/Jinja/, 'jinja'],
    [/ProxyCommand .* is not supported|ProxyCommand is not supported/, 'proxy-command'],
    [/characters of an inventory name/, 'inventory-name'],
    [
        /is not an ssh option|is not supported; give the address in ansible_host|needs an argument|not Keyword=value/,
        'ssh-args',
    ],
    [/give a known_hosts file/, 'known-hosts-not-a-file'],
    [/cannot be evaluated by kernel-rollout|CanonicalizeHostname is not supported/, 'ssh-config-not-evaluated'],
    [/inventory script/, 'inventory-script'],
    [/only sudo is supported|becomes root; another user/, 'become'],
];
// ssh expands ~ and finds its default files in the passwd entry's home, not $HOME: both sides use it.
const home = os.userInfo().homedir;
const localUser = os.userInfo().username;
function policyOf(g) {
    const v = g.get('stricthostkeychecking')?.[0] ?? 'ask';
    return v === 'accept-new' ? 'accept-new' : v === 'false' || v === 'no' || v === 'off' ? 'off' : 'strict';
}
const DEFAULT_KNOWN = path.join(home, '.ssh', 'known_hosts');
function knownOf(g) {
    const v = g.get('userknownhostsfile')?.[0]?.split(' ')[0];
    return v === undefined || v === DEFAULT_KNOWN ? undefined : v;
}
/** What ssh would do with Ansible's argv, jump hosts included. */
async function ansibleView(venv, argv, sshConfig) {
    const g = await (0, oracles_1.sshG)((0, oracles_1.sshGArgsOfAnsible)(argv, sshConfig));
    const key = keyOf(g);
    const view = {
        address: g.get('hostname')[0],
        port: Number(g.get('port')[0]),
        user: g.get('user')[0],
        ...(key ? { key } : {}),
        policy: policyOf(g),
        ...(knownOf(g) ? { knownHosts: knownOf(g) } : {}),
        jump: [],
    };
    const jump = g.get('proxyjump')?.[0];
    const command = g.get('proxycommand')?.[0];
    if (jump && jump !== 'none') {
        for (const hop of jump.split(',')) {
            const h = await (0, oracles_1.sshG)(['-F', sshConfig, hop.includes('://') ? hop : `ssh://${hop}`]);
            view.jump.push(`${h.get('user')[0]}@${h.get('hostname')[0]}:${h.get('port')[0]}`);
        }
    }
    else if (command && command !== 'none') {
        const words = await (0, oracles_1.shlexSplitByPython)(venv, command);
        const w = words.indexOf('-W');
        if (words[0] !== 'ssh' || w < 0 || !['%h:%p', '[%h]:%p'].includes(words[w + 1] ?? ''))
            return `ProxyCommand ${command}`;
        const rest = [...words.slice(1, w), ...words.slice(w + 2)];
        const h = await (0, oracles_1.sshG)(['-F', '/dev/null', ...rest]);
        const key = rest.some((a) => /^IdentityFile=/i.test(a) || a === '-i') ? ` key=${h.get('identityfile')[0]}` : '';
        view.jump.push(`${h.get('user')[0]}@${h.get('hostname')[0]}:${h.get('port')[0]}${key}`);
    }
    return view;
}
/** ssh's default identity files: what `ssh -G` lists when nothing names a key. */
const DEFAULT_IDS = ['rsa', 'ecdsa', 'ecdsa_sk', 'ed25519', 'ed25519_sk', 'xmss', 'dsa'].map((t) => `~/.ssh/id_${t}`);
/** The key ssh would offer first: its first IdentityFile that is not `none`, unless only the defaults. */
function keyOf(g) {
    const ids = g.get('identityfile') ?? [];
    if (JSON.stringify(ids) === JSON.stringify(DEFAULT_IDS))
        return undefined;
    const first = ids.find((i) => i.toLowerCase() !== 'none');
    return first?.startsWith('~/') ? path.join(home, first.slice(2)) : first;
}
function ourView(inv, name) {
    const t = inv.hosts.find((h) => h.name === name).target;
    const hop = (j) => `${j.user}@${j.address ?? j.host}:${j.port}${j.privateKeyPath ? ` key=${j.privateKeyPath}` : ''}`;
    return {
        address: t.address ?? t.host,
        port: t.port,
        user: t.user,
        ...(t.privateKeyPath ? { key: t.privateKeyPath } : {}),
        policy: t.trustOnFirstUse ? 'accept-new' : 'strict',
        ...(t.knownHostsPath ? { knownHosts: t.knownHostsPath } : {}),
        jump: (t.jumpHosts ?? []).map(hop),
    };
}
/** --limit patterns tried on every file: its groups, hosts and the pattern grammar's corners. */
function limitsFor(groups, hosts) {
    const g = groups.filter((x) => x !== 'ungrouped');
    const out = ['all', '*'];
    if (g[0])
        out.push(g[0], `${g[0]}[0]`, `${g[0]}[-1]`, `${g[0]}[1:]`, `${g[0]}[0-1]`, `all:!${g[0]}`);
    if (g[0] && g[1])
        out.push(`${g[0]}:&${g[1]}`, `${g[0]},${g[1]}`);
    if (hosts[0]) {
        out.push(hosts[0], `~^${hosts[0].slice(0, 3).replace(/[.[\]()*+?^$\\|{}]/g, '\\$&')}`);
        const first = hosts[0][0];
        out.push(`[${first}]*`, `[!${first}]*`, `${hosts[0].slice(0, -1)}?`);
    }
    return out;
}
let venv;
let scratch;
const differences = [];
const counts = { files: 0, hosts: 0, limits: 0, sshConfigs: 0, sshHosts: 0 };
(0, node_test_1.before)(() => {
    venv = (0, oracles_1.ensureAnsible)();
    scratch = (0, node_fs_1.mkdtempSync)(path.join(os.tmpdir(), 'kr-differential-'));
});
(0, node_test_1.after)(() => (0, node_fs_1.rmSync)(scratch, { recursive: true, force: true }));
/** KR_DIFFERENTIAL_ONLY=text compares only the files whose name holds it (while working on one). */
const ONLY = process.env['KR_DIFFERENTIAL_ONLY'];
function inventoryFiles() {
    const out = [];
    for (const dir of ['corpus', 'differential']) {
        for (const f of (0, node_fs_1.readdirSync)(path.join(FIXTURES, dir)).sort()) {
            if (f === 'sources.json' || f.endsWith('.md'))
                continue;
            if (ONLY !== undefined && !f.includes(ONLY))
                continue;
            const full = path.join(FIXTURES, dir, f);
            if (!(0, node_fs_1.statSync)(full).isDirectory()) {
                out.push({ file: full, sshConfig: '/dev/null' });
                continue;
            }
            const named = path.join(full, '.inventory');
            const cfg = path.join(full, '.ssh_config');
            out.push({
                file: (0, node_fs_1.existsSync)(named) ? path.join(full, (0, node_fs_1.readFileSync)(named, 'utf8').trim()) : full,
                sshConfig: (0, node_fs_1.existsSync)(cfg) ? cfg : '/dev/null',
            });
        }
    }
    return out;
}
function classifyRefusal(message) {
    return REFUSALS.find(([re]) => re.test(message))?.[1];
}
async function readOurs({ file, sshConfig }) {
    let ours;
    try {
        ours = await (0, inventory_1.loadInventory)(file, {
            sshConfigPath: sshConfig === '/dev/null' ? null : sshConfig,
            homeDir: home,
            localUser,
        });
    }
    catch (e) {
        if (!(e instanceof inventory_1.InventoryError))
            throw e;
        ours = e;
    }
    const hostNames = ours instanceof inventory_1.InventoryError ? [] : ours.hosts.map((h) => h.name);
    const groupNames = ours instanceof inventory_1.InventoryError ? [] : Object.keys(ours.groups);
    return { file, sshConfig, ours, limits: limitsFor(groupNames, hostNames) };
}
async function compareInventory({ file, sshConfig, ours, limits }, ansible) {
    const rel = path.relative(FIXTURES, file);
    const hostNames = ours instanceof inventory_1.InventoryError ? [] : ours.hosts.map((h) => h.name);
    counts.files++;
    if (ansible.error !== undefined) {
        if (!(ours instanceof inventory_1.InventoryError))
            differences.push({ file: rel, what: `Ansible refuses it (${ansible.error}), kernel-rollout reads it` });
        return;
    }
    const argv = await (0, oracles_1.ansibleSshArgv)(venv, file, ansible.hosts, scratch);
    if (ours instanceof inventory_1.InventoryError) {
        // Every problem must be a documented refusal, and Ansible must have had something to refuse
        // or to do differently for it.
        // A targeted fixture is refused only when its name says so (refused-*): a refusal of the
        // others is a bug, however well its message matches a documented one.
        const fixture = rel.split(path.sep)[1] ?? '';
        const mayRefuse = !rel.startsWith(`differential${path.sep}`) || fixture.startsWith('refused-');
        for (const p of ours.problems) {
            const id = mayRefuse ? classifyRefusal(p.message) : undefined;
            differences.push({ file: rel, what: `refused: ${p.field}: ${p.message}`, ...(id ? { id } : {}) });
        }
        return;
    }
    counts.hosts += ansible.hosts.length;
    const a = new Set(ansible.hosts);
    const o = new Set(hostNames);
    for (const h of a)
        if (!o.has(h))
            differences.push({ file: rel, host: h, what: 'only Ansible has this host' });
    for (const h of o)
        if (!a.has(h))
            differences.push({ file: rel, host: h, what: 'only kernel-rollout has this host' });
    for (const h of hostNames) {
        if (!a.has(h))
            continue;
        const recorded = argv.get(h);
        if (!recorded) {
            differences.push({ file: rel, host: h, what: 'Ansible would not run ssh for it; kernel-rollout would' });
            continue;
        }
        const theirs = await ansibleView(venv, recorded, sshConfig);
        const mine = ourView(ours, h);
        if (typeof theirs === 'string') {
            differences.push({ file: rel, host: h, what: `Ansible uses ${theirs}; kernel-rollout does not refuse it` });
            continue;
        }
        for (const k of ['address', 'port', 'user', 'key', 'policy', 'knownHosts', 'jump']) {
            // DNS names are case-insensitive; ssh lower-cases the destination it was given.
            const x = JSON.stringify(k === 'address' ? theirs[k].toLowerCase() : theirs[k]);
            const y = JSON.stringify(k === 'address' ? mine[k].toLowerCase() : mine[k]);
            if (x === y)
                continue;
            const defaultUser = (k === 'user' && theirs.user === localUser && mine.user === 'root') ||
                (k === 'jump' && x.replaceAll(`"${localUser}@`, '"root@') === y);
            differences.push({
                file: rel,
                host: h,
                what: `${k}: Ansible ${x}, kernel-rollout ${y}`,
                ...(defaultUser ? { id: 'default-user' } : {}),
            });
        }
    }
    for (const pattern of limits) {
        const expected = ansible.limits[pattern];
        if (expected === undefined || !Array.isArray(expected))
            continue;
        counts.limits++;
        let got;
        try {
            got = (0, inventory_1.selectHosts)(ours, pattern).map((h) => h.name);
        }
        catch (e) {
            got = e.message;
        }
        if (typeof got === 'string') {
            if (/select(s)? no host/.test(got)) {
                differences.push({ file: rel, what: `--limit ${pattern}: ${got}`, id: 'limit-no-match' });
                continue;
            }
            differences.push({
                file: rel,
                what: `--limit ${pattern}: Ansible ${JSON.stringify(expected)}, kernel-rollout: ${got}`,
            });
        }
        else if (JSON.stringify([...got].sort()) !== JSON.stringify([...expected].sort())) {
            differences.push({
                file: rel,
                what: `--limit ${pattern}: Ansible ${JSON.stringify(expected)}, kernel-rollout ${JSON.stringify(got)}`,
            });
        }
    }
}
(0, node_test_1.test)('inventories: kernel-rollout reads them as ansible-core does', { timeout: 15 * 60_000 }, async () => {
    const files = inventoryFiles();
    if (ONLY === undefined) {
        strict_1.default.ok(files.filter((f) => f.file.includes(`${path.sep}corpus${path.sep}`)).length >= 25, 'at least 25 real inventories');
    }
    const reads = await Promise.all(files.map(readOurs));
    const views = await (0, oracles_1.ansibleInventories)(venv, reads.map(({ file, limits }) => ({ file, limits })), scratch);
    // Three at a time: the machine is shared, and each file is one `ansible` run.
    const queue = reads.map((r, i) => [r, views[i]]);
    await Promise.all([0, 1, 2].map(async () => {
        for (let job = queue.shift(); job; job = queue.shift())
            await compareInventory(...job);
    }));
    report('inventories');
});
(0, node_test_1.test)('ssh_config: kernel-rollout resolves Host blocks as `ssh -G` does', { timeout: 5 * 60_000 }, async () => {
    const dir = path.join(FIXTURES, 'ssh-config-corpus');
    for (const f of (0, node_fs_1.readdirSync)(dir).sort()) {
        if (!f.endsWith('.config'))
            continue;
        const file = path.join(dir, f);
        counts.sshConfigs++;
        const config = await (0, inventory_1.loadSshConfig)(file, { home, localUser });
        const names = new Set();
        for (const line of (0, node_fs_1.readFileSync)(file, 'utf8').split('\n')) {
            // Host names, and the names of Match host/originalhost criteria.
            const m = /^\s*(?:Host\s+(.*)|Match\s.*?\b(?:host|originalhost)\s+(\S+))/i.exec(line);
            if (!m)
                continue;
            for (const p of (m[1] ?? m[2]).split(/[\s,]+/))
                if (p && !/[*?!"]/.test(p))
                    names.add(p);
        }
        names.add('Unlisted.Example.NET');
        for (const name of [...names, ...[...names].map((n) => n.toUpperCase())]) {
            counts.sshHosts++;
            const g = await (0, oracles_1.sshG)(['-F', file, name]);
            let v;
            try {
                v = config.lookup(name, { localUser });
            }
            catch (e) {
                if (!(e instanceof inventory_1.InventoryError))
                    throw e;
                const id = classifyRefusal(e.message);
                differences.push({
                    file: `ssh-config-corpus/${f}`,
                    host: name,
                    what: `refused: ${e.message}`,
                    ...(id ? { id } : {}),
                });
                continue;
            }
            const first = (k) => v.get(k)?.args[0];
            const key = first('identityfile');
            const ours = {
                hostname: (first('hostname')?.replace('%h', name) ?? name).toLowerCase(),
                user: first('user') ?? localUser,
                port: first('port') ?? '22',
                key: key?.startsWith('~/') ? path.join(home, key.slice(2)) : key,
            };
            const theirs = {
                // ssh -G lower-cases the name it connects to.
                hostname: g.get('hostname')[0].toLowerCase(),
                user: g.get('user')[0],
                port: g.get('port')[0],
                key: keyOf(g),
            };
            for (const k of ['hostname', 'user', 'port', 'key']) {
                if (ours[k] !== theirs[k])
                    differences.push({
                        file: `ssh-config-corpus/${f}`,
                        host: name,
                        what: `${k}: ssh ${theirs[k]}, kernel-rollout ${ours[k]}`,
                    });
            }
        }
    }
    report('ssh_config');
});
function report(stage) {
    const documented = documentedIds();
    const unexplained = differences.filter((d) => d.id === undefined || !documented.has(d.id));
    const deliberate = differences.filter((d) => d.id !== undefined && documented.has(d.id));
    const line = (d) => `  ${d.file}${d.host ? ` ${d.host}` : ''}: ${d.what}${d.id ? ` [${d.id}]` : ''}`;
    process.stdout.write(`# differential (${stage}): ${counts.files} inventory files, ${counts.hosts} hosts, ${counts.limits} --limit patterns, ` +
        `${counts.sshConfigs} ssh_config files, ${counts.sshHosts} ssh_config host names compared; ` +
        `${deliberate.length} deliberate differences, ${unexplained.length} not on the list\n`);
    for (const d of deliberate)
        process.stdout.write(`# deliberate:${line(d)}\n`);
    strict_1.default.deepEqual(unexplained.map(line), [], 'differences from the real tools that docs/inventories.md does not list');
    if (stage === 'ssh_config' && ONLY === undefined) {
        const seen = new Set(deliberate.map((d) => d.id));
        const unused = [...documented].filter((id) => !seen.has(id) && !NOT_IN_FIXTURES.has(id));
        strict_1.default.deepEqual(unused, [], 'documented differences that no fixture shows (remove them or add a fixture)');
    }
}
/**
 * Documented differences no fixture can show here: as root, ssh's default user (the local login
 * name) is kernel-rollout's default user too.
 */
const NOT_IN_FIXTURES = new Set(os.userInfo().username === 'root' ? ['default-user'] : []);
//# sourceMappingURL=inventory.test.js.map