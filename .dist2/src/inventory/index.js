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
exports.NATIVE_MARKER = exports.loadSshConfig = exports.expandHostRange = exports.LimitPatternError = exports.selectHosts = exports.formatProblem = exports.InventoryError = void 0;
exports.loadInventory = loadInventory;
/**
 * Inventories: which hosts a rollout may touch and how to reach each of them. Three formats —
 * kernel-rollout's native YAML (native.ts), Ansible INI and Ansible YAML (ansible.ts) — are read
 * into one shape, ~/.ssh/config and the caller's defaults fill what the inventory leaves open
 * (resolve.ts), and every host leaves as an SshTargetInput checked by sshTargetSchema (and its
 * PowerConfig by powerConfigSchema), or loading fails with file:line:field for each problem.
 *
 *   const inv = await loadInventory('fleet.ini');
 *   const hosts = selectHosts(inv, 'web:&prod:!web-03');
 */
const node_fs_1 = require("node:fs");
const os = __importStar(require("node:os"));
const path = __importStar(require("node:path"));
const yaml_1 = require("yaml");
const errors_1 = require("./errors");
const ansible_1 = require("./ansible");
const ansible_vars_1 = require("./ansible-vars");
const native_1 = require("./native");
const resolve_1 = require("./resolve");
const ssh_config_1 = require("./ssh-config");
const yaml_lines_1 = require("./yaml-lines");
var errors_2 = require("./errors");
Object.defineProperty(exports, "InventoryError", { enumerable: true, get: function () { return errors_2.InventoryError; } });
Object.defineProperty(exports, "formatProblem", { enumerable: true, get: function () { return errors_2.formatProblem; } });
var limit_1 = require("./limit");
Object.defineProperty(exports, "selectHosts", { enumerable: true, get: function () { return limit_1.selectHosts; } });
Object.defineProperty(exports, "LimitPatternError", { enumerable: true, get: function () { return limit_1.LimitPatternError; } });
var ansible_2 = require("./ansible");
Object.defineProperty(exports, "expandHostRange", { enumerable: true, get: function () { return ansible_2.expandHostRange; } });
var ssh_config_2 = require("./ssh-config");
Object.defineProperty(exports, "loadSshConfig", { enumerable: true, get: function () { return ssh_config_2.loadSshConfig; } });
/** The top-level key that marks a native inventory (its value is the format version, 1). */
exports.NATIVE_MARKER = 'kernelRollout';
async function loadInventory(file, options = {}) {
    const home = options.homeDir ?? os.homedir();
    const localUser = options.localUser ?? safeUserName();
    const cannotRead = (e) => new errors_1.InventoryError([
        {
            file,
            line: 0,
            field: '',
            message: `cannot read the inventory (${e.code ?? String(e)})`,
        },
    ]);
    const st = await node_fs_1.promises.stat(file).catch((e) => {
        throw cannotRead(e);
    });
    const sshConfig = await openSshConfig(options.sshConfigPath, home);
    const problems = new errors_1.ProblemList();
    let raw;
    if (st.isDirectory()) {
        raw = await readAnsibleFolder(file, problems, home);
    }
    else {
        const text = await node_fs_1.promises.readFile(file, 'utf8').catch((e) => {
            throw cannotRead(e);
        });
        const read = readAnyFormat(file, text, problems, { inFolder: false, home });
        if ('hosts' in read)
            raw = read;
        else
            raw = await finishWithVarsFiles(file, path.dirname(path.resolve(file)), read, problems, home);
    }
    const warnings = [...sshConfig.warnings];
    const hosts = (0, resolve_1.resolveHosts)(file, raw.hosts, {
        sshConfig,
        defaults: options.defaults ?? {},
        home,
        localUser,
        problems,
        warnings,
    });
    problems.throwIfAny();
    return { file, format: raw.format, hosts, groups: raw.groups, warnings };
}
async function openSshConfig(configured, home) {
    if (configured === null)
        return ssh_config_1.NO_SSH_CONFIG;
    const file = configured ?? path.join(home, '.ssh', 'config');
    try {
        await node_fs_1.promises.access(file);
    }
    catch {
        if (configured === undefined)
            return ssh_config_1.NO_SSH_CONFIG;
        throw new errors_1.InventoryError([{ file, line: 0, field: '', message: 'cannot read this ssh config file' }]);
    }
    return (0, ssh_config_1.loadSshConfig)(file, { home });
}
/** Adds group_vars/ and host_vars/ under `varsDir` and merges every host's variables. */
async function finishWithVarsFiles(file, varsDir, model, problems, home) {
    problems.throwIfAny();
    const varsFiles = await (0, ansible_vars_1.loadAnsibleVarsFiles)(varsDir, model.groups.keys(), model.hostOrder, problems);
    problems.throwIfAny();
    return (0, ansible_1.finishAnsible)(file, model, problems, { home, baseDir: varsDir, varsFiles });
}
/**
 * An inventory folder, as Ansible reads one: every file in it (see inventoryFolderFiles) is an
 * Ansible INI or YAML inventory, merged in order, then group_vars/ and host_vars/ inside it.
 */
async function readAnsibleFolder(dir, problems, home) {
    const files = await (0, ansible_vars_1.inventoryFolderFiles)(dir);
    if (files.length === 0) {
        problems.add({ file: dir, line: 0, field: '' }, 'this inventory folder holds no inventory file');
        problems.throwIfAny();
    }
    const model = new ansible_1.AnsibleModel();
    for (const f of files) {
        const text = await node_fs_1.promises.readFile(f, 'utf8');
        if (text.startsWith('#!')) {
            problems.add({ file: f, line: 1, field: '' }, 'an inventory script (Ansible runs it); kernel-rollout does not run scripts: give its output as a YAML or INI file');
            continue;
        }
        const read = readAnyFormat(f, text, problems, { inFolder: true, home, model });
        if ('hosts' in read) {
            problems.add({ file: f, line: 1, field: '' }, `a kernel-rollout native inventory cannot be part of an inventory folder (the folder is read as Ansible reads it); give the file itself`);
        }
    }
    return finishWithVarsFiles(dir, path.resolve(dir), model, problems, home);
}
/**
 * One inventory file: a native inventory is read whole; an Ansible one is read into `model` (a
 * new one unless given) and returned for its variables to be merged. In an inventory folder, a
 * file whose extension is not YAML's is read as INI, as Ansible's ini plugin would.
 */
function readAnyFormat(file, text, problems, opts) {
    const model = opts.model ?? new ansible_1.AnsibleModel();
    const ext = path.extname(file).toLowerCase();
    const yamlExt = ['.yaml', '.yml', '.json'].includes(ext);
    const iniExt = ['.ini', '.cfg', ''].includes(ext);
    const looksIni = looksLikeIni(text);
    if (!yamlExt && (looksIni || ext === '.ini' || ext === '.cfg' || (opts.inFolder && ext !== ''))) {
        if (!looksIni && !opts.inFolder) {
            problems.add({ file, line: 0, field: '' }, `a ${ext} inventory must be Ansible INI ([group] sections and host lines)`);
            problems.throwIfAny();
        }
        (0, ansible_1.parseAnsibleIni)(file, text, model, problems);
        return model;
    }
    if (!yamlExt && !iniExt) {
        problems.add({ file, line: 0, field: '' }, `cannot tell the inventory format from the extension ${JSON.stringify(ext)}: use .yaml/.yml (native or Ansible YAML) or .ini/.cfg (Ansible INI)`);
        problems.throwIfAny();
    }
    const errorsBefore = problems.problems.length;
    const src = (0, yaml_lines_1.parseYamlSource)(file, text, problems);
    if (problems.problems.length > errorsBefore)
        return model;
    const format = detectYamlFormat(src, problems);
    if (problems.problems.length > errorsBefore)
        return model;
    if (format === 'native') {
        if (opts.inFolder)
            return { file, format, hosts: [], groups: {} };
        problems.throwIfAny();
        return (0, native_1.readNativeInventory)(src, problems, { home: opts.home });
    }
    // Ansible reads YAML 1.1 (PyYAML): merge keys, 0x/octal/underscore numbers, yes/no.
    const ansibleSrc = (0, yaml_lines_1.parseYamlSource)(file, text, problems, { version: '1.1' });
    if (problems.problems.length > errorsBefore)
        return model;
    (0, ansible_1.parseAnsibleYaml)(ansibleSrc, model, problems);
    return model;
}
/** INI when the first meaningful line is a `[section]` or a host line that is not YAML. */
function looksLikeIni(text) {
    for (const raw of text.split(/\r?\n/)) {
        const line = raw.trim();
        if (line === '' || line.startsWith('#') || line.startsWith(';'))
            continue;
        if (/^\[[^\]]+\]\s*([#;].*)?$/.test(line))
            return true;
        if (line === '---' || /^[^\s:#]+:(\s|$)/.test(line) || line.startsWith('{'))
            return false;
        return true;
    }
    return false;
}
function detectYamlFormat(src, problems) {
    const root = src.doc.contents;
    const at = { file: src.file, line: 1, field: '' };
    if (!(0, yaml_1.isMap)(root)) {
        problems.add(at, `an inventory is a YAML mapping: \`${exports.NATIVE_MARKER}: 1\` with hosts: (native) or all: (Ansible)`);
        return 'native';
    }
    const keys = root.items.map((i) => ((0, yaml_1.isScalar)(i.key) ? String(i.key.value) : ''));
    const native = keys.includes(exports.NATIVE_MARKER);
    const ansible = keys.includes('all') ||
        root.items.some((i) => (0, yaml_1.isMap)(i.value) &&
            i.value.items.length > 0 &&
            i.value.items.every((j) => (0, yaml_1.isScalar)(j.key) && ['hosts', 'children', 'vars'].includes(String(j.key.value))));
    if (native && keys.includes('all')) {
        problems.add(at, `ambiguous inventory: it has both \`${exports.NATIVE_MARKER}:\` (native format) and \`all:\` (Ansible format); keep one`);
    }
    else if (!native && !ansible) {
        problems.add(at, `unknown inventory format: add \`${exports.NATIVE_MARKER}: 1\` at the top for kernel-rollout's format, or use Ansible's \`all: {hosts: …, children: …}\``);
    }
    return native ? 'native' : 'ansible-yaml';
}
function safeUserName() {
    try {
        return os.userInfo().username;
    }
    catch {
        return process.env['USER'] ?? 'root';
    }
}
//# sourceMappingURL=index.js.map