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
exports.inventoryFolderFiles = inventoryFolderFiles;
exports.loadAnsibleVarsFiles = loadAnsibleVarsFiles;
/**
 * Ansible inventories as a folder, and the group_vars/ and host_vars/ folders beside an
 * inventory, read as ansible-core reads them:
 * - a folder given as the inventory (InventoryManager.parse_source): its entries in byte order,
 *   subfolders recursively, skipping hidden names, `group_vars`, `host_vars`, `vars_plugins` and
 *   the names ending in one of INVENTORY_IGNORE_EXTS (`.pyc .pyo .swp .bak ~ .rpm .md .txt .rst
 *   .orig .cfg .retry`). Every file is an inventory source, merged in that order.
 * - group_vars/<group> and host_vars/<host> (the host_group_vars vars plugin, beside the
 *   inventory file, or inside the inventory folder): the first of `<name>`, `<name>.yml`,
 *   `<name>.yaml`, `<name>.json` that exists; when that is a folder, its files with no extension
 *   or one of those, in order, subfolders without an extension recursively, skipping hidden
 *   names and names ending in `~`. Each file is a YAML (or JSON) mapping; later files replace
 *   earlier ones' variables.
 */
const node_fs_1 = require("node:fs");
const path = __importStar(require("node:path"));
const yaml_1 = require("yaml");
const yaml_lines_1 = require("./yaml-lines");
const IGNORED_NAMES = /^\.|^host_vars$|^group_vars$|^vars_plugins$/;
const IGNORED_EXTS = ['.pyc', '.pyo', '.swp', '.bak', '~', '.rpm', '.md', '.txt', '.rst', '.orig', '.cfg', '.retry'];
/** The inventory sources in an inventory folder, in the order Ansible reads them. */
async function inventoryFolderFiles(dir) {
    const out = [];
    const names = (await node_fs_1.promises.readdir(dir)).sort(byteOrder);
    for (const name of names) {
        if (IGNORED_NAMES.test(name) || IGNORED_EXTS.some((e) => name.endsWith(e)))
            continue;
        const full = path.join(dir, name);
        const st = await node_fs_1.promises.stat(full).catch(() => undefined);
        if (!st)
            continue;
        if (st.isDirectory())
            out.push(...(await inventoryFolderFiles(full)));
        else if (st.isFile())
            out.push(full);
    }
    return out;
}
/** Python's sorted() of byte strings (UTF-8 order). */
function byteOrder(a, b) {
    return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
const VARS_EXTS = ['', '.yml', '.yaml', '.json'];
/**
 * Reads the group_vars/ and host_vars/ files under `baseDir` for the given groups and hosts.
 * Problems (YAML errors, a file that is not a mapping, an ansible-vault file) are collected.
 */
async function loadAnsibleVarsFiles(baseDir, groups, hosts, problems) {
    const group = await loadKind(path.join(baseDir, 'group_vars'), groups, problems);
    const host = await loadKind(path.join(baseDir, 'host_vars'), hosts, problems);
    return { group: (n) => group.get(n), host: (n) => host.get(n) };
}
async function loadKind(dir, names, problems) {
    const out = new Map();
    let listing;
    try {
        listing = new Set(await node_fs_1.promises.readdir(dir));
    }
    catch {
        return out; // no such folder (or not a folder: Ansible skips it with a warning)
    }
    for (const name of names) {
        if (name.startsWith('/'))
            continue;
        let files = [];
        for (const ext of VARS_EXTS) {
            if (!listing.has(name + ext))
                continue;
            const full = path.join(dir, name + ext);
            const st = await node_fs_1.promises.stat(full).catch(() => undefined);
            if (!st)
                continue;
            files = st.isDirectory() ? await dirVarsFiles(full) : [full];
            break;
        }
        if (files.length === 0)
            continue;
        const vars = new Map();
        for (const f of files)
            for (const [k, v] of await readVarsFile(f, problems))
                vars.set(k, v);
        out.set(name, vars);
    }
    return out;
}
async function dirVarsFiles(dir) {
    const out = [];
    for (const name of (await node_fs_1.promises.readdir(dir)).sort(byteOrder)) {
        if (name.startsWith('.') || name.endsWith('~'))
            continue;
        const full = path.join(dir, name);
        const ext = path.extname(name);
        const st = await node_fs_1.promises.stat(full).catch(() => undefined);
        if (!st)
            continue;
        if (st.isDirectory() && ext === '')
            out.push(...(await dirVarsFiles(full)));
        else if (st.isFile() && VARS_EXTS.includes(ext))
            out.push(full);
    }
    return out;
}
async function readVarsFile(file, problems) {
    const out = new Map();
    const at = (line, field = '') => ({ file, line, field });
    let text;
    try {
        text = await node_fs_1.promises.readFile(file, 'utf8');
    }
    catch (e) {
        problems.add(at(0), `cannot read this vars file (${e.code ?? String(e)})`);
        return out;
    }
    if (text.startsWith('$ANSIBLE_VAULT')) {
        problems.add(at(1), 'this vars file is encrypted with ansible-vault, which kernel-rollout does not read; keep the connection variables in a plain file');
        return out;
    }
    const src = (0, yaml_lines_1.parseYamlSource)(file, text, problems, { version: '1.1' });
    if (src.doc.errors.length > 0)
        return out;
    const root = src.doc.contents;
    if (root === null)
        return out;
    if (!(0, yaml_1.isMap)(root)) {
        problems.add(at(1), 'a vars file must be a mapping of variable names to values');
        return out;
    }
    const js = (0, yaml_lines_1.yamlToJs)(src, problems);
    for (const [k, v] of Object.entries(js ?? {}))
        out.set(k, { value: v, origin: at((0, yaml_lines_1.lineOfPath)(src, [k], true), k) });
    return out;
}
//# sourceMappingURL=ansible-vars.js.map