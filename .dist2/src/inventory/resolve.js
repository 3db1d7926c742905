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
exports.resolveHosts = resolveHosts;
exports.expandInventoryPath = expandInventoryPath;
/**
 * Turns the hosts a format reader found into validated SshTargetInputs. Precedence, highest
 * first: values written in the inventory (native fields, ansible_* vars) > ~/.ssh/config >
 * the caller's defaults > the schema's defaults (user root, port 22). Every value keeps the
 * place it came from, so a value that fails sshTargetSchema is reported at its own file:line
 * (the inventory, the ssh_config line, or the caller's defaults).
 *
 * ProxyJump chains are flattened the way `ssh -J a,b target` runs: the target is reached through
 * a then b; a (the first hop) is itself connected with its own settings, including its own
 * ProxyJump, whose hops come first; b's own ProxyJump is not used (OpenSSH passes it `-J a`).
 * A hop named in the inventory file may be another inventory host (its settings are used,
 * `user@`/`:port` in the hop override them); hops from ssh_config are resolved through
 * ssh_config only, as ssh would.
 */
const node_fs_1 = require("node:fs");
const path = __importStar(require("node:path"));
const schemas_1 = require("../shared/schemas");
const errors_1 = require("./errors");
const ssh_config_1 = require("./ssh-config");
const MAX_HOPS = 4;
function resolveHosts(file, hosts, ctx) {
    const byName = new Map(hosts.map((h) => [h.name, h]));
    const inventoryEndpoints = new Map();
    const warned = new Set();
    const warn = (origin, message) => {
        const key = `${origin.file}:${origin.line}`;
        if (warned.has(key))
            return;
        warned.add(key);
        ctx.warnings.push({ ...origin, file: (0, errors_1.printable)(origin.file), field: (0, errors_1.printable)(origin.field), message });
    };
    const endpoint = (name, key, explicit, fallback) => resolveEndpoint(name, key, explicit, fallback, ctx, warn);
    const endpointOfHost = (h) => {
        let e = inventoryEndpoints.get(h.name);
        if (!e) {
            e = endpoint(h.name, h.sshConfigKey, h.settings, {
                file: h.file ?? file,
                line: h.line,
                field: `hosts.${h.name}`,
            });
            inventoryEndpoints.set(h.name, e);
        }
        return e;
    };
    const hopEndpoint = (spec, proxy) => {
        const overrides = {
            ...(spec.user !== undefined ? { user: { value: spec.user, origin: proxy.origin } } : {}),
            ...(spec.port !== undefined ? { port: { value: spec.port, origin: proxy.origin } } : {}),
            ...(spec.identityFile !== undefined
                ? { privateKeyPath: { value: spec.identityFile, origin: proxy.origin } }
                : {}),
        };
        const h = proxy.inventory ? byName.get(spec.host) : undefined;
        if (h && Object.keys(overrides).length === 0)
            return endpointOfHost(h);
        if (h)
            return endpoint(h.name, h.sshConfigKey, { ...h.settings, ...overrides }, proxy.origin);
        return endpoint(spec.host, spec.host, overrides, proxy.origin);
    };
    /** The hops before `e`, first hop first; null when the chain cannot be built (reported). */
    const chainOf = (e, visiting, forHost) => {
        const p = e.proxy;
        if (!p || p.kind === 'none')
            return [];
        if (p.kind === 'command') {
            ctx.problems.add(p.origin, 'ProxyCommand is not supported; use ProxyJump ([user@]host[:port], several separated by commas)', `for ${forHost}`);
            return null;
        }
        const hops = p.hops.map((spec) => hopEndpoint(spec, { value: spec, origin: p.origin, inventory: p.inventory }));
        const first = hops[0];
        if (visiting.includes(first.name)) {
            ctx.problems.add(p.origin, `ProxyJump loop: ${[...visiting, first.name].join(' → ')}; give the bastion no jump host (ProxyJump none)`, `for ${forHost}`);
            return null;
        }
        const before = chainOf(first, [...visiting, first.name], forHost);
        if (before === null)
            return null;
        const chain = [...before, ...hops];
        if (chain.length > MAX_HOPS) {
            ctx.problems.add(p.origin, `ProxyJump chain ${chain.map((h) => h.name).join(' → ')} has ${chain.length} hops; at most ${MAX_HOPS} are supported`, `for ${forHost}`);
            return null;
        }
        return chain;
    };
    const out = [];
    for (const h of hosts) {
        const e = endpointOfHost(h);
        const chain = chainOf(e, [h.name], h.name);
        if (chain === null)
            continue;
        const target = validateTarget(h, e, chain, ctx.problems);
        const power = h.power ? validatePower(h, h.power, ctx.problems) : undefined;
        if (target === null || power === null)
            continue;
        out.push({ name: h.name, groups: h.groups, target, ...(power ? { power } : {}), line: h.line });
    }
    return out;
}
/** `~/x` → home/x; a relative path → against the inventory's directory; absolute unchanged. */
function expandInventoryPath(value, baseDir, home) {
    if (value === '~')
        return home;
    if (value.startsWith('~/'))
        return path.join(home, value.slice(2));
    return path.resolve(baseDir, value);
}
function resolveEndpoint(name, key, explicit, fallback, ctx, warn) {
    const cfg = ctx.sshConfig.lookup(key, {
        ...(explicit.user ? { user: explicit.user.value } : {}),
        ...(explicit.address && explicit.address.value !== key ? { hostName: explicit.address.value } : {}),
        localUser: ctx.localUser,
        problem: (origin, message) => ctx.problems.add(origin, message, `for ${name}`),
    });
    const d = ctx.defaults;
    const dflt = (field) => ({
        file: '(defaults)',
        line: 0,
        field: `defaults.${field}`,
    });
    const { fromCfg, expanded } = configReader(cfg, name, ctx);
    const canonicalize = fromCfg('canonicalizehostname');
    if (canonicalize && canonicalize.value.toLowerCase() !== 'no')
        ctx.problems.add(canonicalize.origin, 'CanonicalizeHostname is not supported (it resolves names through DNS search domains); give the full name in HostName', `for ${name}`);
    const values = {};
    // ssh_config's HostName applies to the name ssh is given: the inventory name, or for Ansible
    // the ansible_host it hands to ssh (the key). A native inventory's own address wins.
    const hostName = explicit.address && explicit.address.value !== key ? undefined : expanded('hostname', { h: key }, [], false);
    const address = hostName ?? explicit.address;
    if (address)
        values.address = address;
    const cfgUser = fromCfg('user');
    values.user =
        explicit.user ??
            cfgUser ??
            (d.user !== undefined ? { value: d.user, origin: dflt('user') } : { value: 'root', origin: fallback });
    const cfgPort = portOfConfig(fromCfg('port'), (origin, message) => ctx.problems.add(origin, message, `for ${name}`));
    values.port =
        explicit.port ??
            cfgPort ??
            (d.port !== undefined ? { value: d.port, origin: dflt('port') } : { value: 22, origin: fallback });
    const tokens = {
        d: ctx.home,
        u: ctx.localUser,
        h: String(address?.value ?? key),
        n: key,
        r: String(values.user.value),
        p: String(values.port.value),
    };
    const key1 = explicit.privateKeyPath ??
        expanded('identityfile', tokens, ['none']) ??
        (d.privateKeyPath !== undefined ? { value: d.privateKeyPath, origin: dflt('privateKeyPath') } : undefined);
    if (key1)
        values.privateKeyPath = key1;
    const agent = explicit.agentSocket ??
        expanded('identityagent', tokens, ['none', 'ssh_auth_sock']) ??
        (d.agentSocket !== undefined ? { value: d.agentSocket, origin: dflt('agentSocket') } : undefined);
    if (agent)
        values.agentSocket = agent;
    const known = knownHostsOf(explicit.knownHostsPath ?? expanded('userknownhostsfile', tokens, ['none']), fromCfg('userknownhostsfile'), d.knownHostsPath !== undefined ? { value: d.knownHostsPath, origin: dflt('knownHostsPath') } : undefined);
    if (known) {
        const why = notAKnownHostsFile(known.value, (ctx.knownHostsChecked ??= new Map()));
        if (why)
            ctx.problems.add(known.origin, `${known.value} ${why}; give a known_hosts file`, `for ${name}`);
        values.knownHostsPath = known;
    }
    if (explicit.hostKeySha256)
        values.hostKeySha256 = explicit.hostKeySha256;
    const trustOnFirstUse = explicit.trustOnFirstUse ?? trustOnFirstUseOf(fromCfg('stricthostkeychecking'), warn);
    if (trustOnFirstUse)
        values.trustOnFirstUse = trustOnFirstUse;
    if (values.trustOnFirstUse?.value && values.knownHostsPath?.value === '/dev/null') {
        // Nothing is ever recorded, so every connection meets an "unknown" key and accepts it.
        ctx.problems.add(values.knownHostsPath.origin, 'StrictHostKeyChecking accept-new with a known_hosts file of /dev/null trusts every key on every connection: host key checking would be off; give a real known_hosts file', `for ${name}`);
    }
    const proxy = explicit.proxy
        ? { ...explicit.proxy, inventory: true }
        : proxyOfConfig(cfg, (origin, message) => ctx.problems.add(origin, message, `for ${name}`));
    return { name, values, fallback, ...(proxy ? { proxy } : {}) };
}
/** An endpoint's ssh_config values: a keyword's first argument, and the same with its %-tokens expanded. */
function configReader(cfg, name, ctx) {
    const fromCfg = (keyword) => {
        const v = cfg.get(keyword);
        return v && v.args[0] !== undefined ? { value: v.args[0], origin: v.origin } : undefined;
    };
    const expanded = (keyword, tokens, skip = [], isPath = true) => {
        const v = fromCfg(keyword);
        if (!v || skip.includes(v.value.toLowerCase()))
            return undefined;
        const s = (0, ssh_config_1.expandTokens)(v.value, tokens, ctx.home);
        if (s instanceof Error) {
            ctx.problems.add(v.origin, s.message, `for ${name}`);
            return undefined;
        }
        // Relative paths are relative to the working directory, as for ssh.
        return { value: !isPath || s.startsWith('/') ? s : path.resolve(s), origin: v.origin };
    };
    return { fromCfg, expanded };
}
/** ssh_config's Port, if it is one (else a problem). */
function portOfConfig(portText, problem) {
    let cfgPort;
    if (portText) {
        const n = /^\d{1,5}$/.test(portText.value) ? Number(portText.value) : NaN;
        if (n >= 1 && n <= 65535)
            cfgPort = { value: n, origin: portText.origin };
        else
            problem(portText.origin, 'must be 1-65535');
    }
    return cfgPort;
}
/** The known_hosts file: as given or expanded; `UserKnownHostsFile none` → /dev/null; else the default. */
function knownHostsOf(given, fromConfig, dflt) {
    let known = given;
    const knownNone = fromConfig;
    if (!known && knownNone?.value.toLowerCase() === 'none')
        known = { value: '/dev/null', origin: knownNone.origin };
    known ??= dflt;
    return known;
}
/** ssh_config's StrictHostKeyChecking: accept-new is trust on first use; no/off is warned about, never honoured. */
function trustOnFirstUseOf(strict, warn) {
    const mode = strict?.value.toLowerCase();
    if (strict && mode === 'accept-new')
        return { value: true, origin: strict.origin };
    else if (strict && (mode === 'no' || mode === 'off')) {
        warn(strict.origin, 'StrictHostKeyChecking no is not honoured: kernel-rollout always verifies host keys (accept-new gives trust on first use)');
    }
    return undefined;
}
/** ssh_config's ProxyJump / ProxyCommand (the first of them) for an endpoint the inventory gives none. */
function proxyOfConfig(cfg, problem) {
    let proxy;
    const p = cfg.get('proxy');
    if (p) {
        const text = p.args.join(' ');
        if (text.toLowerCase() === 'none')
            proxy = { kind: 'none', origin: p.origin, inventory: false };
        else if (p.keyword === 'proxycommand')
            proxy = { kind: 'command', origin: p.origin, inventory: false };
        else {
            const hops = (0, ssh_config_1.parseProxyJump)(text);
            if (typeof hops === 'string')
                problem(p.origin, hops);
            else
                proxy = { kind: 'jump', hops, origin: p.origin, inventory: false };
        }
    }
    return proxy;
}
/**
 * Why a path cannot be a known_hosts file, or undefined: /dev/null (no keys known) and regular
 * files (or none yet) are; a device, FIFO, directory or anything under /dev (but a regular file in
 * /dev/shm), /proc or /sys is not
 * (`/dev/stdout` would print the keys kernel-rollout records instead of keeping them).
 */
function notAKnownHostsFile(file, checked) {
    if (file === '/dev/null')
        return undefined;
    if (checked.has(file))
        return checked.get(file);
    let why;
    // /dev/shm is a tmpfs of regular files (the simulator keeps its known_hosts there): stat decides.
    if (/^\/(dev(?!\/shm\/)|proc|sys)(\/|$)/.test(path.resolve(file)))
        why = 'is not a file';
    else {
        try {
            const st = (0, node_fs_1.statSync)(file);
            if (!st.isFile())
                why = st.isDirectory() ? 'is a directory' : 'is not a regular file';
        }
        catch (e) {
            const code = e.code;
            if (code !== 'ENOENT')
                why = `cannot be read (${code})`;
        }
    }
    checked.set(file, why);
    return why;
}
function plainEndpoint(e) {
    const o = { host: e.name };
    for (const [k, v] of Object.entries(e.values)) {
        if (k === 'address' && v.value === e.name)
            continue;
        o[k] = v.value;
    }
    return o;
}
function validateTarget(h, e, chain, problems) {
    const input = {
        ...plainEndpoint(e),
        ...(chain.length > 0 ? { jumpHosts: chain.map(plainEndpoint) } : {}),
    };
    const res = schemas_1.sshTargetSchema.safeParse(input);
    if (res.success)
        return res.data;
    for (const issue of res.error.issues) {
        const [first, index, field] = issue.path;
        if (first === 'jumpHosts' && typeof index === 'number' && chain[index]) {
            const hop = chain[index];
            const origin = originOf(hop, field) ?? hop.fallback;
            problems.add(origin, issue.message, `jump host ${hop.name} of ${h.name}`);
        }
        else {
            const origin = originOf(e, first) ?? e.fallback;
            problems.add(origin, issue.message, origin.field.includes(h.name) ? undefined : `for ${h.name}`);
        }
    }
    return null;
}
function originOf(e, field) {
    if (field === 'host')
        return e.fallback;
    const v = e.values[String(field)];
    return v?.origin;
}
function validatePower(h, power, problems) {
    const res = schemas_1.powerConfigSchema.safeParse(power.value);
    if (res.success)
        return res.data;
    for (const issue of res.error.issues) {
        problems.add({ ...power.origin, field: [power.origin.field, ...issue.path.map(String)].join('.') }, issue.message, `for ${h.name}`);
    }
    return null;
}
//# sourceMappingURL=resolve.js.map