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
exports.ESP_IN_BOOT = exports.SDBOOT_TOOL_NAMES = exports.LOADER_INFO = exports.LOADER_GUID = void 0;
exports.encodeEfiVar = encodeEfiVar;
exports.decodeEfiVar = decodeEfiVar;
exports.readVar = readVar;
exports.writeVar = writeVar;
exports.entryText = entryText;
exports.initSystemdBootHost = initSystemdBootHost;
exports.fnmatch = fnmatch;
exports.sdbootSelect = sdbootSelect;
exports.blessAtBootComplete = blessAtBootComplete;
/**
 * The simulator's systemd-boot host (HostSpec.bootloader 'systemd-boot'): the ESP under
 * /boot/efi, the loader's EFI variables as efivarfs files, what the loader does at power-on and
 * what systemd-bless-boot does when userspace comes up. Pure file work on the host's state
 * directory, written independently of src/ (a shared parser would hide a shared bug). The shell
 * half (bootctl, kernel-install) is sim/tools/krsim-sdboot; both are
 * documented in sim/MODEL.md.
 */
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
exports.LOADER_GUID = '4a67b082-0a4c-41cf-b6c7-440b29bb8c4f';
/** What Debian 12's systemd-boot (252.x) puts in LoaderInfo (as the testbed's VM showed it). */
exports.LOADER_INFO = 'systemd-boot 252.39-1~deb12u2';
exports.SDBOOT_TOOL_NAMES = ['bootctl', 'kernel-install'];
/** The host's ESP (mounted at /boot/efi) inside its /boot state directory. */
exports.ESP_IN_BOOT = 'efi';
/** efivarfs file: 4-byte attributes (NV|BS|RT, or BS|RT for volatile ones), UTF-16LE, NUL. */
function encodeEfiVar(value, volatile = false) {
    return Buffer.concat([Buffer.from([volatile ? 6 : 7, 0, 0, 0]), Buffer.from(`${value}\0`, 'utf16le')]);
}
function decodeEfiVar(data) {
    return data.subarray(4).toString('utf16le').replace(/\0+$/, '');
}
const varFile = (p, name) => path.join(p.efivars, `${name}-${exports.LOADER_GUID}`);
function readVar(p, name) {
    const f = varFile(p, name);
    return fs.existsSync(f) ? decodeEfiVar(fs.readFileSync(f)) : null;
}
function writeVar(p, name, value, volatile = false) {
    const f = varFile(p, name);
    if (value === null)
        fs.rmSync(f, { force: true });
    else
        fs.writeFileSync(f, encodeEfiVar(value, volatile));
}
/**
 * kernel-install's entry text for a release (Debian 12: 90-loaderentry.install). The entries are
 * named after the machine id, so `options` ends with `systemd.machine_id=<id>` (added once).
 */
function entryText(machineId, release, options) {
    return [
        'title      Debian GNU/Linux 12 (bookworm)',
        `version    ${release}`,
        `machine-id ${machineId}`,
        'sort-key   debian',
        `options    ${/(^|\s)systemd\.machine_id=/.test(options) ? options : `${options} systemd.machine_id=${machineId}`}`,
        `linux      /${machineId}/${release}/linux`,
        `initrd     /${machineId}/${release}/initrd.img-${release}`,
        '',
    ].join('\n');
}
/** The ESP, the loader's variables and entries as a freshly installed host has them. */
function initSystemdBootHost(p, opts) {
    fs.mkdirSync(path.join(p.esp, 'loader', 'entries'), { recursive: true });
    fs.mkdirSync(path.join(p.esp, 'EFI', 'systemd'), { recursive: true });
    fs.mkdirSync(p.efivars, { recursive: true });
    fs.writeFileSync(path.join(p.esp, 'EFI', 'systemd', 'systemd-bootx64.efi'), 'simulated systemd-boot\n');
    fs.writeFileSync(path.join(p.esp, 'loader', 'loader.conf'), '#timeout 3\n#console-mode keep\n');
    fs.writeFileSync(path.join(p.esp, 'loader', 'random-seed'), 'x'.repeat(32));
    for (const rel of opts.releases) {
        const dir = path.join(p.esp, opts.machineId, rel);
        fs.mkdirSync(dir, { recursive: true });
        fs.writeFileSync(path.join(dir, 'linux'), `simulated Linux kernel image ${rel}\n`);
        fs.writeFileSync(path.join(dir, `initrd.img-${rel}`), `simulated initramfs ${rel}\n`);
        fs.writeFileSync(path.join(p.esp, 'loader', 'entries', `${opts.machineId}-${rel}.conf`), entryText(opts.machineId, rel, opts.options));
    }
}
function readEntries(esp) {
    const dir = path.join(esp, 'loader', 'entries');
    if (!fs.existsSync(dir))
        return [];
    const out = [];
    for (const file of fs.readdirSync(dir)) {
        if (!file.toLowerCase().endsWith('.conf') || file.startsWith('auto-'))
            continue;
        const keys = {};
        const options = [];
        const initrds = [];
        for (const line of fs.readFileSync(path.join(dir, file), 'utf8').split('\n')) {
            const m = /^\s*(\S+)\s+(.*?)\s*$/.exec(line);
            if (!m || line.trimStart().startsWith('#'))
                continue;
            if (m[1] === 'options')
                options.push(m[2] ?? '');
            else if (m[1] === 'initrd')
                initrds.push(m[2] ?? '');
            else
                keys[m[1] ?? ''] = m[2] ?? '';
        }
        const linux = keys['linux'] ?? null;
        // The loader skips an entry whose kernel image is missing.
        if (!linux || !fs.existsSync(path.join(esp, linux)))
            continue;
        const c = /\+(\d+)(?:-(\d+))?\.conf$/i.exec(file);
        out.push({
            file,
            id: file.toLowerCase(),
            left: c ? Number(c[1]) : null,
            done: c?.[2] ? Number(c[2]) : 0,
            sortKey: keys['sort-key'] ?? null,
            version: keys['version'] ?? '',
            linux,
            initrds,
            options: options.join(' '),
        });
    }
    const vcmp = (a, b) => a.localeCompare(b, 'en', { numeric: true });
    // systemd-boot's order: no tries left last; sort-key entries first, by key, then version
    // descending; then by id (descending when both have no sort-key, as 252 does); more tries left first.
    return out.sort((a, b) => Number(a.left === 0) - Number(b.left === 0) ||
        Number(!a.sortKey) - Number(!b.sortKey) ||
        (a.sortKey && b.sortKey ? a.sortKey.localeCompare(b.sortKey) || -vcmp(a.version, b.version) : 0) ||
        -vcmp(a.id, b.id) ||
        (b.left ?? -1) - (a.left ?? -1));
}
/** The loader's pattern match (efi_fnmatch): `*`, `?` and `[…]`, case-folded. */
function fnmatch(pattern, id) {
    const re = pattern
        .toLowerCase()
        .replace(/[.+^${}()|\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.');
    return new RegExp(`^${re}$`).test(id);
}
/**
 * systemd-boot at power-on: LoaderEntryOneShot (removed as it is read), else LoaderEntryDefault,
 * else loader.conf's `default`, else the first entry in its order (entries with no tries left
 * last). A counted entry it boots is renamed `+LEFT-1-DONE+1` and LoaderBootCountPath names it;
 * LoaderInfo and LoaderEntrySelected are set (volatile).
 */
function sdbootSelect(p) {
    for (const v of ['LoaderBootCountPath', 'LoaderEntrySelected', 'LoaderInfo'])
        writeVar(p, v, null);
    writeVar(p, 'LoaderInfo', exports.LOADER_INFO, true);
    const entries = readEntries(p.esp);
    const oneShot = readVar(p, 'LoaderEntryOneShot');
    writeVar(p, 'LoaderEntryOneShot', null);
    const def = readVar(p, 'LoaderEntryDefault');
    const confText = fs.existsSync(path.join(p.esp, 'loader', 'loader.conf'))
        ? fs.readFileSync(path.join(p.esp, 'loader', 'loader.conf'), 'utf8')
        : '';
    const confDefault = [...confText.matchAll(/^\s*default\s+(\S+)\s*$/gm)].pop()?.[1] ?? null;
    const find = (pattern) => (pattern ? entries.find((e) => fnmatch(pattern, e.id)) : undefined);
    let reason;
    let entry = find(oneShot);
    if (entry)
        reason = `LoaderEntryOneShot=${oneShot}`;
    else if ((entry = find(def)))
        reason = `LoaderEntryDefault=${def}`;
    else if ((entry = find(confDefault)))
        reason = `loader.conf default ${confDefault}`;
    else {
        entry = entries[0];
        reason = 'the first entry';
    }
    if (!entry)
        return { release: null, cmdline: '', entryId: undefined, reason: 'no entries' };
    writeVar(p, 'LoaderEntrySelected', entry.id, true);
    if (entry.left !== null) {
        const next = entry.file.replace(/\+\d+(?:-\d+)?\.conf$/i, `+${Math.max(entry.left - 1, 0)}-${entry.done + 1}.conf`);
        fs.renameSync(path.join(p.esp, 'loader', 'entries', entry.file), path.join(p.esp, 'loader', 'entries', next));
        writeVar(p, 'LoaderBootCountPath', `\\loader\\entries\\${next}`, true);
    }
    const release = /\/([^/]+)\/linux$/.exec(entry.linux ?? '')?.[1] ?? null;
    // 252 puts an `initrd=<path>` (the ESP path with backslashes) before the options for each initrd
    // line, as the testbed's VM shows in /proc/cmdline.
    const initrdArgs = entry.initrds.map((i) => `initrd=${i.replace(/\//g, '\\')}`);
    const cmdline = [...initrdArgs, ...entry.options.split(/\s+/).filter(Boolean)].join(' ');
    return { release, cmdline, entryId: entry.id, reason };
}
/**
 * systemd-bless-boot.service as userspace comes up (boot-complete.target, modelled at once):
 * pulled in when LoaderBootCountPath is set; skipped when masked or when a drop-in's
 * `ConditionKernelCommandLine=` does not hold; else the booted entry is renamed without its counter.
 */
function blessAtBootComplete(p, conditionHolds) {
    const countPath = readVar(p, 'LoaderBootCountPath');
    if (!countPath)
        return null;
    const unit = path.join(p.systemd, 'systemd-bless-boot.service');
    if (fs.existsSync(unit) && fs.lstatSync(unit).isSymbolicLink() && fs.readlinkSync(unit) === '/dev/null')
        return null;
    const dropins = path.join(p.systemd, 'systemd-bless-boot.service.d');
    if (fs.existsSync(dropins)) {
        for (const f of fs.readdirSync(dropins).filter((n) => n.endsWith('.conf'))) {
            const text = fs.readFileSync(path.join(dropins, f), 'utf8');
            for (const m of text.matchAll(/^ConditionKernelCommandLine=(.+)$/gm)) {
                if (!conditionHolds(m[1].trim()))
                    return null;
            }
        }
    }
    const rel = countPath.replace(/\\/g, '/').replace(/^\//, '');
    const from = path.join(p.esp, rel);
    if (!fs.existsSync(from))
        return null;
    const to = from.replace(/\+\d+(?:-\d+)?\.conf$/i, '.conf');
    fs.renameSync(from, to);
    return path.basename(to);
}
//# sourceMappingURL=systemd-boot.js.map