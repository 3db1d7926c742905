"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.grubDebian = exports.TRIAL_BLOCK_END = exports.TRIAL_BLOCK_BEGIN = exports.DEFAULT_GRUB_BACKUP_PATH = exports.TRIAL_ENTRY_ID = exports.TRIAL_SCRIPT_PATH = exports.CUSTOM_CFG_PATH = exports.DEFAULT_GRUB_PATH = exports.GRUB_CFG_PATH = exports.GRUBENV_PATH = void 0;
exports.parseGrubCfg = parseGrubCfg;
exports.entryForRelease = entryForRelease;
exports.parseGrubenv = parseGrubenv;
exports.parseDefaultGrub = parseDefaultGrub;
exports.fixDefaultGrubCommand = fixDefaultGrubCommand;
exports.setSavedDefaultCommand = setSavedDefaultCommand;
exports.setOneShotCommand = setOneShotCommand;
exports.clearOneShotCommand = clearOneShotCommand;
exports.trialMenuEntry = trialMenuEntry;
exports.trialEntryBlock = trialEntryBlock;
exports.writeTrialBlockCommand = writeTrialBlockCommand;
exports.removeTrialBlockCommand = removeTrialBlockCommand;
exports.trialEntryScript = trialEntryScript;
exports.sourcesCustomCfg = sourcesCustomCfg;
exports.honoursSavedDefault = honoursSavedDefault;
exports.literalDefaultRelease = literalDefaultRelease;
exports.grubenvWritability = grubenvWritability;
exports.parseGrubPackages = parseGrubPackages;
exports.parseEfiStubs = parseEfiStubs;
exports.grubDirOnFilesystem = grubDirOnFilesystem;
exports.efiStubProblem = efiStubProblem;
exports.parseEfiImagePrefixes = parseEfiImagePrefixes;
exports.efiImageProblem = efiImageProblem;
exports.readGrubFacts = readGrubFacts;
exports.assessGrub = assessGrub;
exports.grubPlatformLine = grubPlatformLine;
/**
 * The bootloader driver for GRUB 2 as Debian and Ubuntu ship it, on BIOS (grub-pc) and on UEFI
 * (grub-efi-amd64), with its files in /boot/grub: parsers of the files it writes, builders of the
 * commands that change them, and the driver (`grubDebian`) that runs them over SSH for the
 * activities.
 *
 * On UEFI the firmware starts GRUB's EFI image from the EFI system partition (ESP); Debian's
 * grub-install writes a small stub /boot/efi/EFI/<distributor>/grub.cfg next to it that finds the
 * root filesystem by UUID, sets `prefix` to its /boot/grub and runs `configfile $prefix/grub.cfg`:
 * from there on it is the same grub.cfg and grubenv as on BIOS, the same saved default and
 * one-shot. An image grub-install built without shim has no stub: its prefix, such as
 * `(,gpt2)/boot/grub`, is built into the image (read with grep). Preflight checks that every stub,
 * or else every image's built-in prefix, does point there (readGrubFacts, `efiStubs`) and
 * refuses otherwise: a GRUB that reads another grub.cfg and grubenv would not see the one-shot
 * or the saved default kernel-rollout writes.
 *
 * How the trial works on this bootloader:
 *  - `/etc/default/grub` gets `GRUB_DEFAULT=saved` (Debian ships `0`, under which the newest
 *    kernel, the trial one, would be the default) and `GRUB_SAVEDEFAULT=false` (else GRUB would
 *    save whatever booted, the trial, as the new default).
 *  - `grub-set-default <known-good id>` writes `saved_entry` to /boot/grub/grubenv.
 *  - The trial entry `kernel-rollout-trial` (a copy of the new kernel's entry with `panic=N
 *    oops=panic kernel_rollout.trial=TOKEN` appended) is a marked block in /boot/grub/custom.cfg,
 *    which Debian's grub.cfg sources at boot (its 41_custom section): no `update-grub` is needed
 *    to add or remove it. A grub.cfg without that section gets the older way instead, a script
 *    /etc/grub.d/42_kernel_rollout_trial and `update-grub`.
 *  - `grub-reboot kernel-rollout-trial` writes `next_entry`; Debian's grub.cfg clears it as it
 *    boots it, so the boot after the trial is the saved default again.
 *  - `update-grub` runs at most once per upgrade, and only when grub.cfg must change: when it
 *    does not yet read the saved default (`set default="${saved_entry}"`) at the moment that
 *    matters, or has no entry for a kernel it must name. Before the install, a grub.cfg whose
 *    default (`0`) already boots the known-good kernel is left as it is: the kernel package's own
 *    hook regenerates it, by then with GRUB_DEFAULT=saved; staging checks it did.
 */
const shell_1 = require("../../shared/shell");
const sections_1 = require("../sections");
const host_1 = require("../host");
exports.GRUBENV_PATH = '/boot/grub/grubenv';
exports.GRUB_CFG_PATH = '/boot/grub/grub.cfg';
exports.DEFAULT_GRUB_PATH = '/etc/default/grub';
exports.CUSTOM_CFG_PATH = '/boot/grub/custom.cfg';
/** The older way to add the trial entry (a grub.cfg that does not source custom.cfg); removed on disarm. */
exports.TRIAL_SCRIPT_PATH = '/etc/grub.d/42_kernel_rollout_trial';
exports.TRIAL_ENTRY_ID = 'kernel-rollout-trial';
exports.DEFAULT_GRUB_BACKUP_PATH = '/etc/default/grub.kernel-rollout.bak';
const ENTRY_RE = /^\s*(menuentry|submenu)\s+(?:'([^']*)'|"([^"]*)")(.*)\{\s*$/;
const ID_RE = /\$menuentry_id_option\s+'([^']+)'/;
const LINUX_RE = /^\s*linux\s+(\S*\/vmlinuz-(\S+))/;
/** Menu entries of a generated grub.cfg, with submenu-qualified ids. */
function parseGrubCfg(text) {
    const lines = text.split('\n');
    const entries = [];
    const stack = [];
    lines.forEach((line, i) => {
        const m = ENTRY_RE.exec(line);
        if (m) {
            const title = m[2] ?? m[3] ?? '';
            const id = ID_RE.exec(m[4] ?? '')?.[1] ?? title;
            stack.push({ kind: m[1], id, title, start: i, release: null });
            return;
        }
        if (/\{\s*$/.test(line) && !/^\s*#/.test(line)) {
            stack.push({ kind: 'other', id: '', title: '', start: i, release: null });
            return;
        }
        const linux = LINUX_RE.exec(line);
        if (linux) {
            const top = stack[stack.length - 1];
            if (top && top.kind === 'menuentry')
                top.release = linux[2] ?? null;
            return;
        }
        if (/^\s*\}\s*$/.test(line)) {
            const open = stack.pop();
            if (open?.kind === 'menuentry') {
                const parents = stack.filter((s) => s.kind === 'submenu').map((s) => s.id);
                entries.push({
                    id: [...parents, open.id].join('>'),
                    title: open.title,
                    release: open.release,
                    recovery: /recovery/i.test(open.title) || /-recovery-/.test(open.id),
                    block: lines.slice(open.start, i + 1).join('\n'),
                });
            }
        }
    });
    return entries;
}
/**
 * The entry to use as the saved default for a release: Debian's "Advanced options" entry (its
 * id names the release, so it stays right when other kernels are added), never recovery mode,
 * never the top "simple" entry (that one always boots the newest kernel).
 */
function entryForRelease(entries, release) {
    const candidates = entries.filter((e) => e.release === release && !e.recovery && e.id !== exports.TRIAL_ENTRY_ID);
    return candidates.find((e) => e.id.includes('>')) ?? candidates.find((e) => !e.id.includes('simple')) ?? null;
}
/** grubenv file or `grub-editenv list` output → variables. Comments and `#` padding are skipped. */
function parseGrubenv(text) {
    const vars = {};
    for (const line of text.split('\n')) {
        if (line.startsWith('#') || !line.includes('='))
            continue;
        const at = line.indexOf('=');
        vars[line.slice(0, at)] = line.slice(at + 1);
    }
    return vars;
}
/** Assignments in /etc/default/grub (a shell fragment): the last one wins, quotes removed. */
function parseDefaultGrub(text) {
    const vars = {};
    for (const raw of text.split('\n')) {
        const m = /^\s*(?:export\s+)?([A-Z_][A-Z0-9_]*)=(.*)$/.exec(raw);
        if (!m || !m[1])
            continue;
        let value = (m[2] ?? '').trim();
        const dq = /^"((?:[^"\\]|\\.)*)"/.exec(value);
        const sq = /^'([^']*)'/.exec(value);
        if (dq)
            value = (dq[1] ?? '').replace(/\\(.)/g, '$1');
        else if (sq)
            value = sq[1] ?? '';
        else
            value = value.split(/\s+#/)[0]?.trim() ?? '';
        vars[m[1]] = value;
    }
    return vars;
}
/** Shell commands (run as root) that set GRUB_DEFAULT=saved and GRUB_SAVEDEFAULT=false, keeping one backup. */
function fixDefaultGrubCommand() {
    const f = exports.DEFAULT_GRUB_PATH;
    const b = exports.DEFAULT_GRUB_BACKUP_PATH;
    return [
        `[ -e ${b} ] || cp -p ${f} ${b}`,
        `if grep -q '^GRUB_DEFAULT=' ${f}; then sed -i 's/^GRUB_DEFAULT=.*/GRUB_DEFAULT=saved/' ${f}; else echo GRUB_DEFAULT=saved >> ${f}; fi`,
        `sed -i 's/^GRUB_SAVEDEFAULT=.*/GRUB_SAVEDEFAULT=false/' ${f}`,
    ].join(' && ');
}
function setSavedDefaultCommand(entryId) {
    (0, shell_1.assertMatches)('entryId', entryId, shell_1.GRUB_ENTRY_ID_RE, 'GRUB menu entry id');
    return `grub-set-default ${(0, shell_1.shellQuote)(entryId)}`;
}
function setOneShotCommand(entryId) {
    (0, shell_1.assertMatches)('entryId', entryId, shell_1.GRUB_ENTRY_ID_RE, 'GRUB menu entry id');
    return `grub-reboot ${(0, shell_1.shellQuote)(entryId)}`;
}
function clearOneShotCommand() {
    return `grub-editenv ${exports.GRUBENV_PATH} unset next_entry`;
}
/**
 * The trial entry: the new kernel's own entry with the trial arguments appended to its `linux`
 * line, a fixed id (`kernel-rollout-trial`) and no `savedefault` (the trial never saves itself).
 */
function trialMenuEntry(entry, release, args) {
    (0, shell_1.assertMatches)('release', release, shell_1.KERNEL_RELEASE_RE, 'kernel release');
    for (const arg of args)
        (0, shell_1.assertMatches)('trialKernelArgs', arg, shell_1.KERNEL_ARG_RE, 'kernel argument');
    const lines = entry.block.split('\n');
    let linuxSeen = false;
    const body = lines.flatMap((line, i) => {
        if (i === 0) {
            return [
                `menuentry 'kernel-rollout trial: ${release}' --class gnu-linux --class os $menuentry_id_option '${exports.TRIAL_ENTRY_ID}' {`,
            ];
        }
        if (LINUX_RE.test(line)) {
            linuxSeen = true;
            const cleaned = line.replace(/\s(panic|oops)=\S+/g, '');
            return [`${cleaned.replace(/^\t/, '')} ${args.join(' ')}`];
        }
        if (/^\s*savedefault\s*$/.test(line))
            return [];
        return [line.replace(/^\t/, '')];
    });
    if (!linuxSeen)
        throw new Error(`the GRUB entry ${entry.id} has no linux line to extend`);
    if (body.some((l) => l.includes('KERNEL_ROLLOUT_EOF') || l.startsWith('### '))) {
        throw new Error('unexpected marker in the GRUB entry');
    }
    return body;
}
exports.TRIAL_BLOCK_BEGIN = '### BEGIN kernel-rollout trial (removed when the trial ends) ###';
exports.TRIAL_BLOCK_END = '### END kernel-rollout trial ###';
/** The block kernel-rollout keeps in custom.cfg while a trial is staged. */
function trialEntryBlock(entry, release, args) {
    return [exports.TRIAL_BLOCK_BEGIN, ...trialMenuEntry(entry, release, args), exports.TRIAL_BLOCK_END, ''].join('\n');
}
/** awk program that prints custom.cfg without kernel-rollout's block (the operator's lines stay). */
const WITHOUT_TRIAL_BLOCK = `awk '$0 == "${exports.TRIAL_BLOCK_BEGIN}" {skip = 1} !skip {print} $0 == "${exports.TRIAL_BLOCK_END}" {skip = 0}'`;
/**
 * Shell (as root) that puts the block on stdin into custom.cfg in place of an earlier one,
 * keeping every other line, and replaces the file whole (a reader sees the old or the new one).
 */
function writeTrialBlockCommand(path = exports.CUSTOM_CFG_PATH) {
    const tmp = `${path}.kernel-rollout-new`;
    return `{ if [ -e ${path} ]; then ${WITHOUT_TRIAL_BLOCK} ${path}; fi; cat; } > ${tmp} && mv -f ${tmp} ${path}`;
}
/**
 * Shell (as root) that takes kernel-rollout's block out of custom.cfg and prints
 * `removed-trial-block` when there was one; a file left with nothing else in it is removed.
 * Safe to repeat.
 */
function removeTrialBlockCommand(path = exports.CUSTOM_CFG_PATH) {
    const tmp = `${path}.kernel-rollout-new`;
    return (`if [ -e ${path} ] && grep -qxF '${exports.TRIAL_BLOCK_BEGIN}' ${path}; then ` +
        `${WITHOUT_TRIAL_BLOCK} ${path} > ${tmp} && ` +
        `if grep -q '[^[:space:]]' ${tmp}; then mv -f ${tmp} ${path}; else rm -f ${tmp} ${path}; fi && ` +
        `echo removed-trial-block; fi`);
}
/**
 * The /etc/grub.d script that emits the trial entry, for a grub.cfg that does not source
 * custom.cfg (its 41_custom section was removed): needs `update-grub` to add and to remove.
 */
function trialEntryScript(entry, release, args) {
    return [
        '#! /bin/sh',
        '# Written by kernel-rollout: a one-shot trial boot of a new kernel with panic=N.',
        '# Removed when the trial is committed or rolled back. Safe to delete by hand.',
        "cat <<'KERNEL_ROLLOUT_EOF'",
        ...trialMenuEntry(entry, release, args),
        'KERNEL_ROLLOUT_EOF',
        '',
    ].join('\n');
}
/** Whether grub.cfg sources custom.cfg at boot (Debian's 41_custom section). */
function sourcesCustomCfg(cfg) {
    return /^\s*source\s+\$\{?config_directory\}?\/custom\.cfg\s*$/m.test(cfg);
}
/** Whether grub.cfg boots grubenv's saved_entry when no one-shot is set (GRUB_DEFAULT=saved when generated). */
function honoursSavedDefault(cfg) {
    return /^\s*set default="\$\{saved_entry\}"\s*$/m.test(cfg);
}
/**
 * The kernel release grub.cfg boots when neither grubenv nor a one-shot decide: only for the
 * literal default `0` (Debian's) whose first menu item is an entry; null otherwise (not worked out).
 */
function literalDefaultRelease(cfg) {
    const defaults = [...cfg.matchAll(/^\s*set default="([^"]*)"\s*$/gm)].map((m) => m[1]);
    if (defaults.length === 0 || defaults.some((d) => d !== '0' && d !== '${next_entry}'))
        return null;
    const lines = cfg.split('\n');
    const first = lines.findIndex((l) => ENTRY_RE.test(l));
    if (first < 0 || ENTRY_RE.exec(lines[first] ?? '')?.[1] !== 'menuentry')
        return null;
    const entry = parseGrubCfg(lines.slice(first).join('\n'))[0];
    return entry && !entry.id.includes('>') ? entry.release : null;
}
/** Filesystems on which GRUB's save_env rewrites grubenv in place at boot (BIOS and EFI alike). */
const GRUBENV_WRITABLE_FS = ['ext2', 'ext3', 'ext4', 'xfs', 'vfat'];
/**
 * Why GRUB cannot write grubenv at boot on this storage, or null. GRUB (on BIOS and on EFI alike)
 * clears the one-shot with save_env, which overwrites grubenv's own blocks on the disk: only on a
 * plain partition (or whole disk) with a filesystem whose file blocks it can find and rewrite.
 */
function grubenvWritability(findmnt, blockTypes) {
    const [source = '', fstype = ''] = findmnt.trim().split(/\s+/);
    const types = blockTypes.split(/\s+/).filter(Boolean);
    if (fstype === '')
        return 'the filesystem of /boot/grub could not be read (findmnt)';
    if (fstype === 'btrfs' || fstype === 'zfs')
        return `/boot/grub is on ${fstype}`;
    if (types.includes('crypt'))
        return '/boot/grub is on an encrypted device';
    if (types.includes('lvm') || source.startsWith('/dev/mapper/'))
        return '/boot/grub is on LVM or device-mapper';
    if (types.some((t) => /^raid/.test(t)) || /^\/dev\/md/.test(source))
        return '/boot/grub is on md-raid';
    if (types.includes('mpath') || types.includes('dm'))
        return '/boot/grub is on device-mapper (multipath)';
    if (!GRUBENV_WRITABLE_FS.includes(fstype))
        return `/boot/grub is on ${fstype}, which GRUB does not write`;
    return null;
}
/** The GRUB platform packages preflight asks dpkg about (the first installed one names the platform). */
const GRUB_PACKAGES = ['grub-efi-amd64', 'grub-efi-arm64', 'grub-efi-ia32', 'grub-efi-amd64-signed', 'grub-pc'];
/**
 * The GRUB platform package installed, from `dpkg-query -W -f='${Package} ${Version} ${Status}\n'`
 * (not-installed rows have an empty version): a grub-efi-* package → efi, grub-pc → pc. The
 * version is the upstream part (2.06 of 2.06-13+deb12u2).
 */
function parseGrubPackages(text) {
    const installed = new Map();
    for (const line of text.split('\n')) {
        const m = /^(\S+) (\S*) .*\binstalled$/.exec(line.trim());
        if (m?.[1] && m[2] && !/not-installed$/.test(line.trim()))
            installed.set(m[1], m[2]);
    }
    const name = GRUB_PACKAGES.find((p) => installed.has(p));
    if (!name)
        return { platform: null, package: null, version: null };
    // grub-efi-amd64 2.06-13+deb12u2 → 2.06; the signed package's 1+2.06+13+deb12u2 → 2.06.
    const full = (installed.get(name) ?? '').replace(/^\d+:/, '').replace(/^1\+/, '');
    const upstream = /^\d+(?:\.\d+)*/.exec(full)?.[0] ?? null;
    return { platform: name === 'grub-pc' ? 'pc' : 'efi', package: name, version: upstream };
}
/**
 * The ESP stubs as the `efi-stubs` section prints them (`== <path>` then the file), in the form
 * Debian's grub-install writes them:
 *   search.fs_uuid <uuid> root <hint>
 *   set prefix=($root)'/boot/grub'
 *   configfile $prefix/grub.cfg
 */
function parseEfiStubs(text) {
    const stubs = [];
    for (const block of text.split(/^== /m).slice(1)) {
        const [path = '', ...body] = block.split('\n');
        const cfg = body.join('\n');
        const uuid = /^\s*search\.fs_uuid\s+(\S+)\s+root\b/m.exec(cfg)?.[1] ??
            /^\s*search\s+(?:--no-floppy\s+)?--fs-uuid\s+--set=root\s+(\S+)/m.exec(cfg)?.[1] ??
            null;
        const prefix = /^\s*set\s+prefix=\(\$root\)(?:'([^']*)'|"([^"]*)"|(\S+))\s*$/m.exec(cfg);
        stubs.push({
            path: path.trim(),
            fsUuid: uuid,
            prefix: prefix ? (prefix[1] ?? prefix[2] ?? prefix[3] ?? null) : null,
            loadsPrefixConfig: /^\s*configfile\s+(?:\$prefix|\$\{prefix\})\/grub\.cfg\s*$/m.test(cfg),
        });
    }
    return stubs;
}
/**
 * The filesystem holding /boot/grub (`findmnt -n -o UUID,TARGET -T /boot/grub`) and the path of
 * /boot/grub on it: the prefix a stub must set to load /boot/grub/grub.cfg.
 */
function grubDirOnFilesystem(findmnt) {
    const words = findmnt.trim().split(/\s+/).filter(Boolean);
    const target = words.find((w) => w.startsWith('/')) ?? null;
    const fsUuid = words.find((w) => !w.startsWith('/')) ?? null;
    if (target === null)
        return { fsUuid, prefix: null };
    const dir = '/boot/grub';
    if (target === '/')
        return { fsUuid, prefix: dir };
    if (dir === target)
        return { fsUuid, prefix: '/' };
    return { fsUuid, prefix: dir.startsWith(`${target}/`) ? dir.slice(target.length) : null };
}
/** Why an ESP stub makes GRUB read another grub.cfg than /boot/grub's, or null when it reads that one. */
function efiStubProblem(stub, grubDir) {
    if (!stub.fsUuid || !stub.prefix || !stub.loadsPrefixConfig) {
        return `${stub.path} is not the stub grub-install writes (search.fs_uuid, set prefix, configfile $prefix/grub.cfg): which grub.cfg GRUB reads cannot be told`;
    }
    if (grubDir.fsUuid === null || grubDir.prefix === null) {
        return `the filesystem of /boot/grub could not be read (findmnt), so ${stub.path} cannot be checked`;
    }
    if (stub.fsUuid.toLowerCase() !== grubDir.fsUuid.toLowerCase() || stub.prefix !== grubDir.prefix) {
        return `${stub.path} makes GRUB read (${stub.fsUuid})${stub.prefix}/grub.cfg, not /boot/grub/grub.cfg (${grubDir.fsUuid})${grubDir.prefix}`;
    }
    return null;
}
/** The preflight sections this driver reads (their names and commands are part of the facts script). */
const FACT_SECTIONS = [
    ['findmnt', 'findmnt -n -o SOURCE,FSTYPE -T /boot/grub'],
    ['lsblk-types', 'lsblk -n -s -o TYPE "$(findmnt -n -o SOURCE -T /boot/grub)"'],
    ['default-grub', 'cat /etc/default/grub; for f in /etc/default/grub.d/*.cfg; do [ -r "$f" ] && cat "$f"; done'],
    ['grubenv', `grub-editenv ${exports.GRUBENV_PATH} list`],
    ['grub-cfg', `cat ${exports.GRUB_CFG_PATH}`],
    sections_1.UEFI_SECTION,
    ['grub-packages', `dpkg-query -W -f='\${Package} \${Version} \${Status}\\n' ${GRUB_PACKAGES.join(' ')}`],
    ['grub-dir-fs', 'findmnt -n -o UUID,TARGET -T /boot/grub'],
    [
        'efi-stubs',
        'for f in /boot/efi/EFI/*/grub.cfg; do [ -r "$f" ] && { echo "== $f"; head -c 4096 "$f"; echo; }; done',
    ],
    // An unsigned GRUB image (grub-install without shim) has its prefix built in and no stub.
    [
        'efi-images',
        'for f in /boot/efi/EFI/*/grub*.efi; do [ -r "$f" ] && echo "$f $(grep -a -o -m1 \'([^()]*)/[A-Za-z0-9/._-]*grub\' "$f" | head -n 1)"; done',
    ],
    ['grub-dir-source', 'findmnt -n -o SOURCE -T /boot/grub'],
];
/** The `efi-images` section: `<image path> <built-in prefix>` per line (no prefix: none found). */
function parseEfiImagePrefixes(text) {
    return text
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean)
        .map((line) => {
        const [path = '', built = ''] = line.split(/\s+/, 2);
        const m = /^\(,(?:gpt|msdos)(\d+)\)(\/\S*)$/.exec(built);
        return { path, partition: m ? Number(m[1]) : null, prefix: m ? (m[2] ?? null) : null };
    });
}
/**
 * Why a GRUB EFI image with a built-in prefix reads another grub.cfg than /boot/grub's (on the
 * partition `source` names, e.g. /dev/vda2), or null when it reads that one.
 */
function efiImageProblem(image, grubDir, source) {
    const part = /\d+$/.exec(source.trim())?.[0];
    if (image.partition === null || image.prefix === null) {
        return `${image.path} has no stub beside it and no built-in prefix of the form (,gptN)/path: which grub.cfg GRUB reads cannot be told`;
    }
    if (part === undefined || Number(part) !== image.partition || grubDir.prefix !== image.prefix) {
        return `${image.path} reads partition ${image.partition}'s ${image.prefix}/grub.cfg, not /boot/grub/grub.cfg (${source.trim() || 'unknown device'}, ${grubDir.prefix ?? 'unknown path'})`;
    }
    return null;
}
/**
 * GRUB's facts, or null when GRUB does not boot this host. The evidence is its generated grub.cfg
 * with menu entries: /etc/default/grub or a grubenv alone is not (a host booted by another
 * loader may keep them), so they never make GRUB claim a host (bootloader.ts, the order rule).
 */
function readGrubFacts(sections) {
    const entries = parseGrubCfg(sections['grub-cfg'] ?? '');
    if (entries.length === 0)
        return null;
    const defaults = parseDefaultGrub(sections['default-grub'] ?? '');
    const env = parseGrubenv(sections['grubenv'] ?? '');
    const timeout = defaults['GRUB_TIMEOUT'];
    const running = (sections['uname-r'] ?? '').trim();
    const firmware = (sections['uefi'] ?? '').trim() === 'yes' ? 'uefi' : 'bios';
    const pkg = parseGrubPackages(sections['grub-packages'] ?? '');
    const grubDir = grubDirOnFilesystem(sections['grub-dir-fs'] ?? '');
    const stubs = firmware === 'uefi' ? parseEfiStubs(sections['efi-stubs'] ?? '') : [];
    const images = firmware === 'uefi' && stubs.length === 0 ? parseEfiImagePrefixes(sections['efi-images'] ?? '') : [];
    const source = sections['grub-dir-source'] ?? '';
    return {
        grubDefault: defaults['GRUB_DEFAULT'] ?? null,
        grubSaveDefault: defaults['GRUB_SAVEDEFAULT'] === 'true',
        grubTimeout: timeout !== undefined && /^-?\d+$/.test(timeout) ? Number(timeout) : null,
        savedEntry: env['saved_entry'] || null,
        nextEntry: env['next_entry'] || null,
        envNotWritableReason: grubenvWritability(sections['findmnt'] ?? '', sections['lsblk-types'] ?? ''),
        entries: entries
            .filter((e) => e.release && !e.recovery && e.id.includes('>'))
            .map((e) => ({ release: e.release, id: e.id, title: e.title })),
        runningKernelEntry: running ? (entryForRelease(entries, running)?.id ?? null) : null,
        firmware,
        platform: pkg.platform,
        grubPackage: pkg.package,
        grubVersion: pkg.version,
        grubenvPath: exports.GRUBENV_PATH,
        grubCfgPath: exports.GRUB_CFG_PATH,
        efiStubs: [
            ...stubs.map((stub) => ({ path: stub.path, problem: efiStubProblem(stub, grubDir) })),
            ...images.map((image) => ({ path: image.path, problem: efiImageProblem(image, grubDir, source) })),
        ],
    };
}
const NOT_FOUND_HINT = 'no GRUB 2 menu entries found in /boot/grub/grub.cfg; is grub-pc or grub-efi installed and update-grub run?';
/** What is unsafe on this host with GRUB, what pinning fixes, what is worth knowing. */
function assessGrub(grub, ctx) {
    const refusals = [];
    const fixes = [];
    const warnings = [];
    if (grub.entries.length === 0) {
        refusals.push(NOT_FOUND_HINT);
    }
    else if (ctx.runningKernel !== ctx.toRelease && !grub.runningKernelEntry) {
        refusals.push(`the running kernel ${ctx.runningKernel} has no GRUB entry to keep as the known-good default; run update-grub or reboot into an installed kernel first`);
    }
    if (grub.grubDefault !== 'saved') {
        fixes.push(`GRUB_DEFAULT=${grub.grubDefault ?? '(unset)'} becomes saved (backup: ${exports.DEFAULT_GRUB_BACKUP_PATH})`);
    }
    if (grub.grubSaveDefault)
        fixes.push('GRUB_SAVEDEFAULT=true becomes false (it would save the trial as the default)');
    if (grub.nextEntry)
        warnings.push(`a one-shot entry is already set (next_entry=${grub.nextEntry}); stage replaces it`);
    const efi = assessEfi(grub);
    refusals.push(...efi.refusals);
    warnings.push(...efi.warnings);
    const why = grub.envNotWritableReason;
    return {
        capabilities: {
            clearsOneShotAtBoot: why
                ? {
                    ok: false,
                    reason: `${why}: GRUB cannot clear its one-shot entry there, so a panicking kernel would boot again and again; move /boot to a plain ext4/xfs partition, or use --kexec (the trial is loaded by kexec and GRUB only reads the saved default)`,
                }
                : { ok: true },
            hasBootCounting: { ok: false, reason: 'GRUB has no boot counter for its entries' },
        },
        refusals,
        fixes,
        warnings,
    };
}
/**
 * UEFI: every ESP stub must make GRUB read /boot/grub (where grub-set-default and grub-reboot
 * write); a host booted through UEFI whose stub cannot be read is refused too, since which
 * grub.cfg its GRUB reads cannot be told. A platform package that does not match how the host
 * booted is worth a warning: package upgrades then do not update the GRUB that boots it.
 */
function assessEfi(grub) {
    const refusals = [];
    const warnings = [];
    if (grub.firmware === 'uefi') {
        const stubs = grub.efiStubs ?? [];
        if (stubs.length === 0) {
            refusals.push('the host booted through UEFI but no GRUB stub /boot/efi/EFI/*/grub.cfg nor GRUB image /boot/efi/EFI/*/grub*.efi could be read, so which grub.cfg and grubenv its GRUB reads cannot be told; mount the EFI system partition at /boot/efi (as /etc/fstab has it on Debian), or run grub-install');
        }
        for (const stub of stubs) {
            if (stub.problem) {
                refusals.push(`${stub.problem}: the saved default and one-shot kernel-rollout writes to ${exports.GRUBENV_PATH} would not be the ones GRUB reads; run grub-install (it writes a stub that loads /boot/grub/grub.cfg)`);
            }
        }
        if (grub.platform === 'pc') {
            warnings.push('the host booted through UEFI but grub-pc is installed, not grub-efi-amd64: GRUB upgrades will not update the EFI image that boots it; apt-get install grub-efi-amd64');
        }
    }
    else if (grub.firmware === 'bios' && grub.platform === 'efi') {
        warnings.push(`the host booted through BIOS but ${grub.grubPackage ?? 'grub-efi'} is installed, not grub-pc: GRUB upgrades will not update the boot sector that boots it; apt-get install grub-pc`);
    }
    return { refusals, warnings };
}
/** `GRUB 2.06 (EFI), grubenv /boot/grub/grubenv`; facts recorded before the platform was read give null. */
function grubPlatformLine(grub) {
    if (grub.firmware === undefined)
        return null;
    const version = grub.grubVersion ? `GRUB ${grub.grubVersion}` : 'GRUB (no grub-pc/grub-efi package found)';
    return `${version} (${grubVariant(grub)}), grubenv ${grub.grubenvPath ?? exports.GRUBENV_PATH}`;
}
/** EFI or BIOS: how the host booted, as the plan and status name the bootloader (`grub-debian (EFI)`). */
function grubVariant(grub) {
    return grub.firmware === 'uefi' ? 'EFI' : 'BIOS';
}
async function readGrubState(s) {
    const sections = (0, sections_1.splitSections)(await s.run([
        (0, sections_1.sectionCommand)('defaults', `cat ${exports.DEFAULT_GRUB_PATH}`),
        (0, sections_1.sectionCommand)('env', `grub-editenv ${exports.GRUBENV_PATH} list`),
        (0, sections_1.sectionCommand)('cfg', `cat ${exports.GRUB_CFG_PATH}`),
    ].join('\n'), host_1.sudo));
    const cfg = sections['cfg'] ?? '';
    return {
        defaults: parseDefaultGrub(sections['defaults'] ?? ''),
        env: parseGrubenv(sections['env'] ?? ''),
        cfg,
        entries: parseGrubCfg(cfg),
    };
}
/** The same state from the fact sections bootloaderOnHost read (FACT_SECTIONS), with no round trip. */
function grubStateOf(facts) {
    const cfg = facts['grub-cfg'] ?? '';
    return {
        defaults: parseDefaultGrub(facts['default-grub'] ?? ''),
        env: parseGrubenv(facts['grubenv'] ?? ''),
        cfg,
        entries: parseGrubCfg(cfg),
    };
}
async function readGrubenv(s) {
    return parseGrubenv(await s.run(`grub-editenv ${exports.GRUBENV_PATH} list`, host_1.sudo));
}
function updateGrub(s) {
    return s.run('update-grub', { ...host_1.sudo, timeoutMs: 300_000 });
}
/**
 * When grub.cfg must be regenerated now for `release` to be (and stay) the default:
 *  - it has no entry for `release`;
 *  - it does not read the saved default, unless, before the install (`deferUntilInstall`), its
 *    literal default already boots `release`: then nothing changes for the host until the kernel
 *    package's hook regenerates it, with GRUB_DEFAULT=saved by then (prepareTrial checks).
 */
function mustRegenerate(state, release, deferUntilInstall) {
    if (!entryForRelease(state.entries, release))
        return true;
    if (honoursSavedDefault(state.cfg))
        return false;
    return !(deferUntilInstall && literalDefaultRelease(state.cfg) === release);
}
/**
 * saved default := `release`'s entry, fixing /etc/default/grub first if a saved default would not
 * hold; `update-grub` only when mustRegenerate says so. One round trip to read, one to write and
 * read back (two more when grub.cfg is regenerated). `before` (chained with `&&`) runs first in
 * each write round trip, and `after` (a section, stdout and stderr) last in the write's, only
 * when it succeeded; with either, the write round trip happens even when the default is in place.
 * `lead`: what the write round trips printed before `after` (their own lines and `before`'s);
 * `regenerated`: update-grub ran, after `before`.
 */
async function pinSavedDefault(s, release, host, opts = {}) {
    const deferUntilInstall = opts.deferUntilInstall ?? false;
    let state = opts.facts ? grubStateOf(opts.facts) : await readGrubState(s);
    const fix = state.defaults['GRUB_DEFAULT'] !== 'saved' || state.defaults['GRUB_SAVEDEFAULT'] === 'true';
    const around = opts.before !== undefined || opts.after !== undefined;
    let steps = [...(opts.before ?? [])];
    let lead = '';
    const regenerated = mustRegenerate(state, release, deferUntilInstall);
    if (regenerated) {
        steps.push(...(fix ? [fixDefaultGrubCommand()] : []), 'update-grub');
        lead += await s.run((0, shell_1.andChain)(steps), { ...host_1.sudo, timeoutMs: 300_000 });
        // `before` again in the write's round trip: a caller's guard holds there too (its steps are safe to repeat).
        steps = [...(opts.before ?? [])];
        state = await readGrubState(s);
    }
    else if (fix) {
        steps.push(fixDefaultGrubCommand());
    }
    const entry = entryForRelease(state.entries, release);
    if (!entry)
        throw new host_1.UnsafeHostError(`${host}: no GRUB entry boots ${release}; run update-grub and check /boot`);
    const set = state.env['saved_entry'] !== entry.id || around;
    if (set)
        steps.push(setSavedDefaultCommand(entry.id), `grub-editenv ${exports.GRUBENV_PATH} list`);
    let afterOutput = '';
    if (steps.length > 0) {
        const after = opts.after?.length ? ` && { ${(0, sections_1.sectionCommandKeepingErrors)('after', opts.after.join('; '))}; }` : '';
        const out = (0, sections_1.splitLeadAndSections)(await s.run(`${(0, shell_1.andChain)(steps)}${after}`, host_1.sudo));
        lead += out.lead;
        afterOutput = out.sections['after'] ?? '';
        const savedEntry = parseGrubenv(out.lead)['saved_entry'];
        if (set && savedEntry !== entry.id) {
            throw new Error(`${host}: saved_entry reads back as ${savedEntry ?? '(unset)'}, expected ${entry.id}`);
        }
    }
    return { entry, fixed: fix, state, lead, afterOutput, regenerated };
}
/** What pinDefault reports of a pin. */
function pinnedDefault(entry, fixed) {
    return {
        entry: entry.id,
        fixedConfiguration: fixed,
        backupPath: fixed ? exports.DEFAULT_GRUB_BACKUP_PATH : null,
        ...(fixed ? { change: 'GRUB_DEFAULT set to saved' } : {}),
    };
}
const REMOVED_TRIAL_SCRIPT = 'removed-trial-script';
/**
 * disarm's command: each step safe to repeat. The custom.cfg block goes without update-grub; a
 * trial entry staged the older way (a grub.d script) is reported, for grub.cfg to be regenerated.
 */
function disarmCommand(alongWith) {
    return [
        clearOneShotCommand(),
        ...alongWith,
        removeTrialBlockCommand(),
        `if [ -e ${exports.TRIAL_SCRIPT_PATH} ]; then rm -f ${exports.TRIAL_SCRIPT_PATH} && echo ${REMOVED_TRIAL_SCRIPT}; fi`,
    ].join('; ');
}
/** grubenv's saved_entry and next_entry as a BootState. */
function bootStateOf(env) {
    return {
        defaultEntry: env['saved_entry'] ?? null,
        oneShotEntry: env['next_entry'] || null,
        readBack: `grubenv reads back saved_entry=${env['saved_entry'] ?? ''} next_entry=${env['next_entry'] ?? ''}`,
    };
}
/**
 * Adds the trial entry to custom.cfg and sets the one-shot after `alongWith`, and reads both back,
 * in one round trip.
 */
async function stageInCustomCfg(s, host, block, alongWith) {
    const out = (0, sections_1.splitSections)(await s.run([
        (0, shell_1.andChain)([...alongWith, writeTrialBlockCommand(), setOneShotCommand(exports.TRIAL_ENTRY_ID)]),
        (0, sections_1.sectionCommand)('custom', `cat ${exports.CUSTOM_CFG_PATH}`),
        (0, sections_1.sectionCommand)('env', `grub-editenv ${exports.GRUBENV_PATH} list`),
    ].join('\n'), { ...host_1.sudo, stdin: block }));
    const written = parseGrubCfg(out['custom'] ?? '').find((e) => e.id === exports.TRIAL_ENTRY_ID);
    const wanted = parseGrubCfg(block).find((e) => e.id === exports.TRIAL_ENTRY_ID);
    if (!written || written.block !== wanted?.block) {
        throw new Error(`${host}: ${exports.CUSTOM_CFG_PATH} does not read back with the trial entry ${exports.TRIAL_ENTRY_ID}`);
    }
    return bootStateOf(parseGrubenv(out['env'] ?? ''));
}
/** The older way, for a grub.cfg without 41_custom: a grub.d script and update-grub. */
async function stageInGrubD(s, host, script, alongWith) {
    await s.run((0, shell_1.andChain)([...alongWith, `cat > ${exports.TRIAL_SCRIPT_PATH}`, `chmod 755 ${exports.TRIAL_SCRIPT_PATH}`]), {
        ...host_1.sudo,
        stdin: script,
    });
    await updateGrub(s);
    const after = await readGrubState(s);
    if (!after.entries.some((e) => e.id === exports.TRIAL_ENTRY_ID)) {
        throw new Error(`${host}: update-grub did not emit the trial entry ${exports.TRIAL_ENTRY_ID}`);
    }
    return bootStateOf(parseGrubenv(await s.run(`${setOneShotCommand(exports.TRIAL_ENTRY_ID)} && grub-editenv ${exports.GRUBENV_PATH} list`, host_1.sudo)));
}
function grubFactsOf(details) {
    // Written by readGrubFacts in the same worker and carried as JSON in HostFacts.
    return details;
}
exports.grubDebian = {
    kind: 'grub-debian',
    factSections: FACT_SECTIONS,
    // Detection reads grub.cfg's entries; pin, stage and commit the three files grubStateOf reads.
    stepSections: FACT_SECTIONS.filter(([name]) => ['default-grub', 'grubenv', 'grub-cfg'].includes(name)),
    notFoundHint: NOT_FOUND_HINT,
    readFacts: readGrubFacts,
    summary(details) {
        const grub = grubFactsOf(details);
        const platform = grubPlatformLine(grub);
        return [
            ...(platform ? [platform] : []),
            `GRUB_DEFAULT=${grub.grubDefault ?? '(unset)'}, saved_entry=${grub.savedEntry ?? '(unset)'}, next_entry=${grub.nextEntry ?? '(unset)'}`,
        ];
    },
    variant(details) {
        const grub = grubFactsOf(details);
        return grub.firmware === undefined ? null : grubVariant(grub);
    },
    assess: (details, ctx) => assessGrub(grubFactsOf(details), ctx),
    clearOneShotCommand,
    async pinDefault(s, release, host, facts) {
        // Before the install (and at commit and undo, where grub.cfg already reads the saved
        // default): regenerating can wait for the kernel package's own hook, see mustRegenerate.
        const { entry, fixed } = await pinSavedDefault(s, release, host, {
            deferUntilInstall: true,
            ...(facts ? { facts } : {}),
        });
        return pinnedDefault(entry, fixed);
    },
    async prepareTrial(s, req, facts) {
        // The trial needs grub.cfg to read the saved default now: a panicking trial falls back to it.
        const { entry: knownGood, state } = await pinSavedDefault(s, req.knownGoodRelease, req.host, facts ? { facts } : {});
        if (!honoursSavedDefault(state.cfg)) {
            throw new host_1.UnsafeHostError(`${req.host}: ${exports.GRUB_CFG_PATH} does not boot the saved default even after update-grub (is GRUB_DEFAULT set again in /etc/default/grub.d?); a trial that panicked could boot again: set GRUB_DEFAULT=saved there`);
        }
        const target = entryForRelease(state.entries, req.toRelease);
        if (!target)
            throw new host_1.UnsafeHostError(`${req.host}: no GRUB entry boots ${req.toRelease}; is it installed?`);
        return {
            knownGoodEntry: knownGood.id,
            async stageOneShot(kernelArgs, alongWith) {
                const after = sourcesCustomCfg(state.cfg)
                    ? await stageInCustomCfg(s, req.host, trialEntryBlock(target, req.toRelease, kernelArgs), alongWith)
                    : await stageInGrubD(s, req.host, trialEntryScript(target, req.toRelease, kernelArgs), alongWith);
                return { entry: exports.TRIAL_ENTRY_ID, state: after };
            },
            async clearOneShot(alongWith) {
                const cmd = (0, shell_1.andChain)([...alongWith, clearOneShotCommand(), `grub-editenv ${exports.GRUBENV_PATH} list`]);
                return bootStateOf(parseGrubenv(await s.run(cmd, host_1.sudo)));
            },
        };
    },
    async clearOneShot(s) {
        await s.run(clearOneShotCommand(), host_1.sudo);
    },
    async readState(s) {
        return bootStateOf(await readGrubenv(s));
    },
    async disarm(s, alongWith) {
        const regenerated = (await s.run(disarmCommand(alongWith), host_1.sudo)).includes(REMOVED_TRIAL_SCRIPT);
        if (regenerated)
            await updateGrub(s);
        return { regenerated };
    },
    async commitDefault(s, release, host, facts, steps) {
        // One round trip: the caller's guard, disarm, grub-set-default and its read-back, the caller's
        // last steps. The new kernel's entry in grub.cfg is the same before and after the trial's
        // custom.cfg block goes. Only a trial staged the older way (a grub.d script) leaves its entry
        // in grub.cfg until update-grub, run then (the one-shot is cleared already).
        const { entry, fixed, lead, afterOutput, regenerated } = await pinSavedDefault(s, release, host, {
            deferUntilInstall: true,
            facts,
            before: [...steps.before, disarmCommand(steps.disarmAlongWith)],
            after: steps.after,
        });
        if (lead.includes(REMOVED_TRIAL_SCRIPT) && !regenerated)
            await updateGrub(s);
        return { ...pinnedDefault(entry, fixed), afterOutput };
    },
};
//# sourceMappingURL=grub-debian.js.map