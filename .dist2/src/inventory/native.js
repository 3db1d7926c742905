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
exports.reportZodIssues = reportZodIssues;
exports.readNativeInventory = readNativeInventory;
exports.ancestry = ancestry;
exports.findCycle = findCycle;
/**
 * kernel-rollout's own inventory format: YAML, marked by `kernelRollout: 1` at the top level,
 * checked by nativeInventorySchema (src/shared/schemas.ts); unknown keys are refused so a typo
 * is an error, not a silently ignored setting. test/fixtures/inventories/example.yaml is the
 * annotated example.
 *
 *   kernelRollout: 1                 # format marker and version
 *   defaults:                        # every host, below group and host values
 *     user: deploy
 *     privateKeyPath: ~/.ssh/fleet_ed25519
 *   groups:
 *     web: { proxyJump: bastion-1 }  # group values; `children: [group, …]` nests groups
 *     prod: { children: [web] }
 *   hosts:
 *     bastion-1: { address: 203.0.113.10, hostKeySha256: 'SHA256:…' }
 *     web-1:
 *       groups: [web]
 *       address: 10.0.0.11
 *       port: 2222
 *       power: { driver: qmp, socketPath: /run/qemu/web-1.qmp }
 *
 * Fields (defaults, groups and hosts): user, port, privateKeyPath, agentSocket, knownHostsPath,
 * trustOnFirstUse, proxyJump (`none`, `[user@]host[:port]`, a comma chain or a list; a hop may
 * name another inventory host), power (a PowerConfig). Hosts only: address, hostKeySha256,
 * groups. A host's value comes from the host, else from the first of its groups that sets it
 * (in the host's `groups:` order, each group before its parent groups), else from `defaults:`;
 * all of these beat ~/.ssh/config, which is matched against the host's inventory name.
 */
const path = __importStar(require("node:path"));
const schemas_1 = require("../shared/schemas");
const errors_1 = require("./errors");
const resolve_1 = require("./resolve");
const ssh_config_1 = require("./ssh-config");
const yaml_lines_1 = require("./yaml-lines");
const SETTING_KEYS = [
    'user',
    'port',
    'privateKeyPath',
    'agentSocket',
    'knownHostsPath',
    'trustOnFirstUse',
    'proxyJump',
    'power',
];
const KNOWN_KEYS = {
    top: ['kernelRollout', 'defaults', 'groups', 'hosts'],
    defaults: SETTING_KEYS,
    groups: ['children', ...SETTING_KEYS],
    hosts: ['address', 'hostKeySha256', 'groups', ...SETTING_KEYS],
    power: ['driver', 'argv', 'timeoutSeconds', 'credentialsEnv', 'socketPath', 'action'],
};
function knownKeysAt(p) {
    if (p.length === 0)
        return KNOWN_KEYS['top'];
    if (p[p.length - 1] === 'power')
        return KNOWN_KEYS['power'];
    if (p[0] === 'defaults')
        return KNOWN_KEYS['defaults'];
    return KNOWN_KEYS[String(p[0])] ?? [];
}
/** Reports zod issues at the line of the node they are about. */
function reportZodIssues(src, issues, problems) {
    for (const issue of issues) {
        if (issue.code === 'unrecognized_keys') {
            for (const key of issue.keys) {
                const p = [...issue.path, key];
                const hint = (0, errors_1.closest)(key, knownKeysAt(issue.path));
                problems.add({ file: src.file, line: (0, yaml_lines_1.lineOfPath)(src, p, true), field: (0, yaml_lines_1.dotted)(p) }, `unknown key${hint ? ` (did you mean ${hint}?)` : ''}; known keys: ${knownKeysAt(issue.path).join(', ')}`);
            }
        }
        else if (issue.code === 'invalid_key') {
            problems.add({ file: src.file, line: (0, yaml_lines_1.lineOfPath)(src, issue.path, true), field: (0, yaml_lines_1.dotted)(issue.path) }, issue.issues[0]?.message ?? issue.message);
        }
        else {
            problems.add({ file: src.file, line: (0, yaml_lines_1.lineOfPath)(src, issue.path), field: (0, yaml_lines_1.dotted)(issue.path) }, issue.message);
        }
    }
}
function readNativeInventory(src, problems, env) {
    const parsed = schemas_1.nativeInventorySchema.safeParse((0, yaml_lines_1.yamlToJs)(src, problems));
    if (!parsed.success) {
        reportZodIssues(src, parsed.error.issues, problems);
        problems.throwIfAny();
        throw new Error('unreachable: schema failed without issues');
    }
    const inv = parsed.data;
    const file = src.file;
    const at = (p) => ({ file, line: (0, yaml_lines_1.lineOfPath)(src, p), field: (0, yaml_lines_1.dotted)(p) });
    const groups = inv.groups ?? {};
    const hostNames = Object.keys(inv.hosts);
    // Group graph: parents of each group, checked for unknown names and cycles.
    const parents = new Map();
    for (const [g, def] of Object.entries(groups)) {
        (def?.children ?? []).forEach((child, i) => {
            if (!(child in groups))
                problems.add(at(['groups', g, 'children', i]), `unknown group ${JSON.stringify(child)}`);
            parents.set(child, [...(parents.get(child) ?? []), g]);
        });
    }
    for (const g of Object.keys(groups)) {
        const cycle = findCycle(g, parents);
        if (cycle)
            problems.add(at(['groups', g, 'children']), `group cycle: ${cycle.join(' → ')}`);
    }
    for (const [h, def] of Object.entries(inv.hosts)) {
        (def?.groups ?? []).forEach((g, i) => {
            if (!(g in groups)) {
                const hint = (0, errors_1.closest)(g, Object.keys(groups));
                problems.add(at(['hosts', h, 'groups', i]), `unknown group ${JSON.stringify(g)}${hint ? ` (did you mean ${hint}?)` : ''}; declare it under groups:`);
            }
        });
    }
    problems.throwIfAny();
    const membership = Object.fromEntries(Object.keys(groups).map((g) => [g, []]));
    membership['ungrouped'] = [];
    const baseDir = path.dirname(path.resolve(file));
    const hosts = [];
    for (const name of hostNames) {
        const def = inv.hosts[name] ?? {};
        const hostGroups = ancestry(def.groups ?? [], parents);
        for (const g of hostGroups)
            membership[g].push(name);
        if (hostGroups.length === 0)
            membership['ungrouped'].push(name);
        // First that sets a field wins: the host, its groups in order, then defaults.
        const layers = [
            [def, ['hosts', name]],
            ...hostGroups.map((g) => [groups[g] ?? {}, ['groups', g]]),
            [inv.defaults ?? {}, ['defaults']],
        ];
        const pick = (key) => {
            for (const [layer, p] of layers) {
                const v = layer[key];
                if (v !== undefined)
                    return { value: v, origin: at([...p, key]) };
            }
            return undefined;
        };
        const settings = {};
        const str = (key) => pick(key);
        const pathOf = (key) => {
            const v = pick(key);
            return v && { value: (0, resolve_1.expandInventoryPath)(v.value, baseDir, env.home), origin: v.origin };
        };
        assign(settings, 'address', str('address'));
        assign(settings, 'user', str('user'));
        assign(settings, 'hostKeySha256', str('hostKeySha256'));
        assign(settings, 'port', pick('port'));
        assign(settings, 'trustOnFirstUse', pick('trustOnFirstUse'));
        assign(settings, 'privateKeyPath', pathOf('privateKeyPath'));
        assign(settings, 'agentSocket', pathOf('agentSocket'));
        assign(settings, 'knownHostsPath', pathOf('knownHostsPath'));
        const jump = pick('proxyJump');
        if (jump) {
            const proxy = proxySetting(jump, problems);
            if (proxy)
                settings.proxy = proxy;
        }
        const power = pick('power');
        hosts.push({
            name,
            line: (0, yaml_lines_1.lineOfPath)(src, ['hosts', name], true),
            groups: hostGroups,
            settings,
            ...(power ? { power } : {}),
            sshConfigKey: name,
        });
    }
    problems.throwIfAny();
    return { file, format: 'native', hosts, groups: membership };
}
function assign(s, key, v) {
    if (v !== undefined)
        s[key] = v;
}
function proxySetting(jump, problems) {
    const text = Array.isArray(jump.value) ? jump.value.join(',') : jump.value;
    if (text === 'none')
        return { kind: 'none', origin: jump.origin };
    const hops = (0, ssh_config_1.parseProxyJump)(text);
    if (typeof hops === 'string') {
        problems.add(jump.origin, hops);
        return undefined;
    }
    return { kind: 'jump', hops, origin: jump.origin };
}
/** The groups in order, each followed by its parent groups (breadth first), without repeats. */
function ancestry(direct, parents) {
    const out = [];
    const seen = new Set();
    const queue = [...direct];
    while (queue.length > 0) {
        const g = queue.shift();
        if (seen.has(g))
            continue;
        seen.add(g);
        out.push(g);
        queue.push(...(parents.get(g) ?? []));
    }
    return out;
}
/** A cycle through `start` in the parent graph, as names, or null. */
function findCycle(start, parents) {
    const walk = (g, trail) => {
        for (const p of parents.get(g) ?? []) {
            if (p === start)
                return [...trail, p];
            if (trail.includes(p))
                continue;
            const found = walk(p, [...trail, p]);
            if (found)
                return found;
        }
        return null;
    };
    return walk(start, [start]);
}
//# sourceMappingURL=native.js.map