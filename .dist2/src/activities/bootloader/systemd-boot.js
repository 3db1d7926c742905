"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.systemdBoot = exports.SD_ENTRY_FILE_RE = exports.ESP_SPACE_NEEDED_BYTES = exports.BLESS_DROPIN = exports.BLESS_DROPIN_PATH = exports.BLESS_DROPIN_DIR = exports.TRIAL_ENTRY_FILE = exports.TRIAL_ENTRY_BASE = exports.EFIVARS_DIR = exports.LOADER_GUID = void 0;
exports.parseCounter = parseCounter;
exports.parseEntry = parseEntry;
exports.parseEntries = parseEntries;
exports.isTrialEntry = isTrialEntry;
exports.entryForRelease = entryForRelease;
exports.parseEfiVars = parseEfiVars;
exports.loaderConfDefault = loaderConfDefault;
exports.loaderVersion = loaderVersion;
exports.trialOneShotId = trialOneShotId;
exports.readSystemdBootFacts = readSystemdBootFacts;
exports.assessSystemdBoot = assessSystemdBoot;
exports.trialEntryText = trialEntryText;
exports.pinCommand = pinCommand;
exports.markBadCommand = markBadCommand;
exports.stageTrialCommand = stageTrialCommand;
exports.removeTrialCommand = removeTrialCommand;
exports.clearOneShotCommand = clearOneShotCommand;
/**
 * The bootloader driver for systemd-boot as Debian 12 ships it (systemd 252, package
 * systemd-boot): entries written by kernel-install on the EFI system partition (ESP), the
 * loader's EFI variables, and the driver (`systemdBoot`) that drives them over SSH.
 *
 * How the trial works on this bootloader:
 *  - The known-good kernel's own entry (`<machine-id>-<release>.conf`, kernel-install's) is the
 *    default twice over: `bootctl set-default <id>` (EFI variable LoaderEntryDefault) and the
 *    `default` line of `<ESP>/loader/loader.conf` (backup kept once), which the loader uses when
 *    NVRAM has lost the variable; without it the loader would boot the newest entry, the new
 *    kernel without panic=N (docs/safety.md).
 *  - The trial entry is kernel-rollout's own file `<ESP>/loader/entries/kernel-rollout-trial+1.conf`:
 *    the new kernel's entry with `panic=N oops=panic kernel_rollout.trial=TOKEN` appended to its
 *    `options`, and a boot counter of one try (`+1`).
 *  - `bootctl set-oneshot <id>` (LoaderEntryOneShot): the loader removes the variable as it boots
 *    the entry, and renames the counted entry `+0-1` (no tries left: "bad", sorted last, never
 *    its own choice again). The id is the loader's: systemd-boot up to 257 keeps the counter in
 *    the id (`kernel-rollout-trial+1.conf`), later ones strip it (`kernel-rollout-trial.conf`):
 *    `trialOneShotId` picks by the version LoaderInfo reports.
 *  - A drop-in `systemd-bless-boot.service.d/kernel-rollout-trial.conf` keeps
 *    systemd-bless-boot from marking the trial entry good when userspace comes up: only
 *    kernel-rollout's commit, after verification, decides. Commit and disarm remove the trial
 *    entry (whatever its counter) and the drop-in.
 *  - The new kernel's own entry is renamed `+0` (no tries left) as the trial is staged: until the
 *    commit the loader never picks it by itself, even with no default at all (boot counting as
 *    the second net); a rolled-back kernel's entry stays so.
 *  - An entry of a kernel that carries a counter (a host with /etc/kernel/tries, or the new
 *    kernel's own `+0`) is renamed without it (blessed) before it becomes the default: it runs now
 *    or was verified, and an id with a counter changes at every boot.
 *
 * Detection claims a host only when this boot was booted by systemd-boot (the LoaderInfo EFI
 * variable the loader sets names it) and the ESP has entries; with no EFI variables to read, on
 * `bootctl is-installed` and entries, and then assess refuses (nothing could be checked or set).
 */
const shell_1 = require("../../shared/shell");
const sections_1 = require("../sections");
const host_1 = require("../host");
/** The vendor GUID of the Boot Loader Interface's variables. */
exports.LOADER_GUID = '4a67b082-0a4c-41cf-b6c7-440b29bb8c4f';
exports.EFIVARS_DIR = '/sys/firmware/efi/efivars';
exports.TRIAL_ENTRY_BASE = 'kernel-rollout-trial';
/** The trial entry's file name: one try on the boot counter. */
exports.TRIAL_ENTRY_FILE = `${exports.TRIAL_ENTRY_BASE}+1.conf`;
exports.BLESS_DROPIN_DIR = '/etc/systemd/system/systemd-bless-boot.service.d';
exports.BLESS_DROPIN_PATH = `${exports.BLESS_DROPIN_DIR}/kernel-rollout-trial.conf`;
/** Skips systemd-bless-boot on any trial boot (a word alone matches `kernel_rollout.trial=…`). */
exports.BLESS_DROPIN = [
    '# Written by kernel-rollout: a trial boot is blessed by kernel-rollout after verification, not',
    '# because userspace came up. Removed when the trial is committed or rolled back.',
    '[Unit]',
    'ConditionKernelCommandLine=!kernel_rollout.trial',
    '',
].join('\n');
/** Below this the ESP cannot take a new kernel and initramfs (kernel-install copies both). */
exports.ESP_SPACE_NEEDED_BYTES = 100 * 1024 * 1024;
/** A loader entry file name (the loader's id up to 257): no glob or shell characters. */
exports.SD_ENTRY_FILE_RE = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,250}\.conf$/;
/** `name+LEFT[-DONE].conf` → the counter, as the loader parses it (the last `+`). */
function parseCounter(file) {
    const m = /^(.*)\+(\d+)(?:-(\d+))?\.conf$/.exec(file);
    if (!m)
        return { id: file, left: null, done: null };
    return { id: `${m[1]}.conf`, left: Number(m[2]), done: m[3] === undefined ? 0 : Number(m[3]) };
}
/** One Type #1 entry file: `key value` lines (options lines add up). */
function parseEntry(file, text) {
    const fields = {};
    const options = [];
    for (const raw of text.split('\n')) {
        const m = /^\s*([a-z-]+)\s+(.*?)\s*$/.exec(raw);
        if (!m || raw.trimStart().startsWith('#'))
            continue;
        if (m[1] === 'options')
            options.push(m[2] ?? '');
        else
            fields[m[1] ?? ''] ??= m[2] ?? '';
    }
    const counter = parseCounter(file);
    const linux = fields['linux'] ?? null;
    const fromPath = linux ? (/\/([^/]+)\/linux$/.exec(linux)?.[1] ?? /vmlinuz-([^/]+)$/.exec(linux)?.[1] ?? null) : null;
    return {
        file,
        id: counter.id,
        triesLeft: counter.left,
        triesDone: counter.done,
        title: fields['title'] ?? '',
        version: fields['version'] ?? null,
        linux,
        options: options.join(' '),
        release: fields['version'] ?? fromPath,
        text,
    };
}
const ENTRY_MARK = '### kernel-rollout entry ';
/** The entries section (`### kernel-rollout entry <file>` then its text, per file). */
function parseEntries(section) {
    const out = [];
    let file = null;
    let buf = [];
    const flush = () => {
        if (file && exports.SD_ENTRY_FILE_RE.test(file))
            out.push(parseEntry(file, buf.join('\n')));
    };
    for (const line of section.split('\n')) {
        if (line.startsWith(ENTRY_MARK)) {
            flush();
            file = line.slice(ENTRY_MARK.length).trim();
            buf = [];
        }
        else
            buf.push(line);
    }
    flush();
    return out;
}
function isTrialEntry(e) {
    return e.file === `${exports.TRIAL_ENTRY_BASE}.conf` || e.file.startsWith(`${exports.TRIAL_ENTRY_BASE}+`);
}
/** The kernel's own entry for a release (never the trial's); one without a counter first. */
function entryForRelease(entries, release) {
    const own = entries.filter((e) => e.release === release && !isTrialEntry(e));
    return own.find((e) => e.triesLeft === null) ?? own[0] ?? null;
}
/** `name=value` lines of the EFI variables section. */
function parseEfiVars(text) {
    const vars = {};
    for (const line of text.split('\n')) {
        const at = line.indexOf('=');
        if (at > 0)
            vars[line.slice(0, at)] = line.slice(at + 1).trim();
    }
    return vars;
}
/** loader.conf's `default` (the last one wins), or null. */
function loaderConfDefault(text) {
    let found = null;
    for (const line of text.split('\n')) {
        const m = /^\s*default\s+(\S+)\s*$/.exec(line);
        if (m)
            found = m[1] ?? null;
    }
    return found;
}
/** The version from LoaderInfo (`systemd-boot 252.22-1~deb12u1` → 252), or null. */
function loaderVersion(loaderInfo) {
    const m = /^systemd-boot (\d+)/.exec(loaderInfo.trim());
    return m ? Number(m[1]) : null;
}
/**
 * The id the loader knows the trial entry by: systemd-boot up to 257 keeps the counter in the id
 * (the file name, lowercased), 258 and later strip it. Unknown versions get the counted name: if
 * the loader does not know it, the one-shot matches nothing and the host boots the known-good
 * default (the trial then shows as not booted, never as a loop).
 */
function trialOneShotId(version) {
    return version !== null && version >= 258 ? `${exports.TRIAL_ENTRY_BASE}.conf` : exports.TRIAL_ENTRY_FILE;
}
function efiVarPath(name) {
    return `${exports.EFIVARS_DIR}/${name}-${exports.LOADER_GUID}`;
}
/** Prints `Name=value` for each set variable (UTF-16LE after a 4-byte attribute word; ASCII here). */
function readVarsCommand(names) {
    return `for v in ${names.join(' ')}; do f=${exports.EFIVARS_DIR}/$v-${exports.LOADER_GUID}; if [ -r "$f" ]; then printf '%s=%s\\n' "$v" "$(cat "$f" | tail -c +5 | tr -d '\\000')"; fi; done`;
}
const STATE_VARS = ['LoaderEntryDefault', 'LoaderEntryOneShot', 'LoaderEntrySelected', 'LoaderBootCountPath'];
const ESP = 'esp=$(bootctl -p) && [ -n "$esp" ]';
/** The preflight sections this driver reads (names prefixed `sd-`, shared with no other driver). */
const FACT_SECTIONS = [
    // No newline in an EFI variable: one is added, else the next section's marker would follow on its line.
    ['sd-loader-info', `cat ${efiVarPath('LoaderInfo')} | tail -c +5 | tr -d '\\000'; echo`],
    ['sd-efivarfs', `if [ -d ${exports.EFIVARS_DIR} ]; then if [ -w ${exports.EFIVARS_DIR} ]; then echo rw; else echo ro; fi; else echo missing; fi`],
    ['sd-installed', 'bootctl is-installed'],
    ['sd-esp', 'bootctl -p'],
    ['sd-vars', readVarsCommand(STATE_VARS)],
    ['sd-entries', `${ESP} && for f in "$esp"/loader/entries/*.conf; do [ -f "$f" ] && echo "${ENTRY_MARK}\${f##*/}" && cat "$f"; done`],
    ['sd-loader-conf', `${ESP} && cat "$esp/loader/loader.conf"`],
    ['sd-esp-free', `${ESP} && df -B1 --output=avail "$esp" | tail -n 1`],
    ['sd-pstore', '[ -d /sys/module/efi_pstore ] && echo loaded'],
]; // prettier-ignore
/**
 * systemd-boot's facts, or null when it does not boot this host. The evidence: LoaderInfo says
 * systemd-boot (the loader that booted this boot) and the ESP has entries; or, with no EFI
 * variables to read at all, `bootctl is-installed` and entries (assess refuses that host).
 */
function readSystemdBootFacts(sections) {
    const info = (sections['sd-loader-info'] ?? '').trim();
    const efivarfs = (sections['sd-efivarfs'] ?? '').trim();
    const fs = efivarfs === 'rw' || efivarfs === 'ro' ? efivarfs : 'missing';
    const entries = parseEntries(sections['sd-entries'] ?? '');
    if (entries.length === 0)
        return null;
    const bootedBySdBoot = info.startsWith('systemd-boot ');
    const installedWithoutVars = !info && fs === 'missing' && (sections['sd-installed'] ?? '').trim() === 'yes';
    if (!bootedBySdBoot && !installedWithoutVars)
        return null;
    const vars = parseEfiVars(sections['sd-vars'] ?? '');
    const running = (sections['uname-r'] ?? '').trim();
    const esp = (sections['sd-esp'] ?? '').trim();
    const free = (sections['sd-esp-free'] ?? '').trim();
    const version = loaderVersion(info);
    return {
        loaderInfo: info || null,
        loaderVersion: version,
        efivarfs: fs,
        espPath: esp || null,
        espFreeBytes: /^\d+$/.test(free) ? Number(free) : null,
        defaultEntry: vars['LoaderEntryDefault'] || null,
        oneShotEntry: vars['LoaderEntryOneShot'] || null,
        loaderConfDefault: loaderConfDefault(sections['sd-loader-conf'] ?? ''),
        entries: entries.map((e) => ({ file: e.file, release: e.release, triesLeft: e.triesLeft })),
        runningKernelEntry: running ? (entryForRelease(entries, running)?.id ?? null) : null,
        hasBootCounting: bootedBySdBoot && fs === 'rw',
        efiPstore: (sections['sd-pstore'] ?? '').trim() === 'loaded',
    };
}
const NOT_FOUND_HINT = 'systemd-boot did not boot this host (no LoaderInfo EFI variable naming it) or its ESP has no loader entries; is systemd-boot installed (bootctl is-installed) and the kernel installed with kernel-install?';
function assessSystemdBoot(f, ctx) {
    const refusals = [];
    const fixes = [];
    const warnings = [];
    if (!f.espPath)
        refusals.push('bootctl -p finds no EFI system partition; mount it (e.g. at /boot/efi)');
    if (ctx.runningKernel !== ctx.toRelease && !f.runningKernelEntry) {
        refusals.push(`the running kernel ${ctx.runningKernel} has no systemd-boot entry to keep as the known-good default; run kernel-install add ${ctx.runningKernel} /boot/vmlinuz-${ctx.runningKernel} or reboot into an installed kernel first`);
    }
    const hasTarget = f.entries.some((e) => e.release === ctx.toRelease);
    if (!hasTarget && f.espFreeBytes !== null && f.espFreeBytes < exports.ESP_SPACE_NEEDED_BYTES) {
        refusals.push(`the EFI system partition has ${Math.floor(f.espFreeBytes / 1048576)} MiB free, kernel-install needs ~${exports.ESP_SPACE_NEEDED_BYTES / 1048576} MiB for the kernel and initramfs; remove old kernels`);
    }
    const pinned = f.runningKernelEntry;
    if (pinned && f.defaultEntry !== pinned) {
        fixes.push(`LoaderEntryDefault=${f.defaultEntry ?? '(unset)'} becomes ${pinned} (bootctl set-default)`);
    }
    if (pinned && f.loaderConfDefault !== pinned) {
        fixes.push(`loader.conf default ${f.loaderConfDefault ?? '(none)'} becomes ${pinned} (if NVRAM loses the variable)`);
    }
    if (f.oneShotEntry)
        warnings.push(`a one-shot entry is already set (LoaderEntryOneShot=${f.oneShotEntry}); stage replaces it`);
    if (!f.efiPstore) {
        warnings.push('efi_pstore is not loaded: a trial kernel that panics leaves no record (modprobe efi_pstore)');
    }
    const why = f.efivarfs === 'missing'
        ? `EFI variables are not available (${exports.EFIVARS_DIR} is not mounted): the loader's one-shot and default cannot be set or read back; mount efivarfs`
        : f.efivarfs === 'ro'
            ? `${exports.EFIVARS_DIR} is read-only: the loader's one-shot and default cannot be set; remount it read-write`
            : !f.loaderInfo
                ? 'no LoaderInfo EFI variable: the loader that booted this boot cannot be confirmed as systemd-boot'
                : null;
    // The default must be pinned in the EFI variable even for a kexec trial (no one-shot then).
    if (why)
        refusals.push(`the known-good default cannot be pinned: ${why}`);
    return {
        capabilities: {
            clearsOneShotAtBoot: why ? { ok: false, reason: why } : { ok: true },
            hasBootCounting: f.hasBootCounting
                ? { ok: true }
                : { ok: false, reason: why ?? 'this boot was not booted by systemd-boot' },
        },
        refusals,
        fixes,
        warnings,
    };
}
/** Entry lines for the trial: the kernel's own entry, a trial title, the trial arguments on `options`. */
function trialEntryText(entry, release, args) {
    (0, shell_1.assertMatches)('release', release, shell_1.KERNEL_RELEASE_RE, 'kernel release');
    for (const arg of args)
        (0, shell_1.assertMatches)('trialKernelArgs', arg, shell_1.KERNEL_ARG_RE, 'kernel argument');
    if (!entry.linux)
        throw new Error(`the systemd-boot entry ${entry.file} has no linux line to boot`);
    const lines = [`title      kernel-rollout trial: ${release}`];
    let optionsSeen = false;
    for (const raw of entry.text.split('\n')) {
        const m = /^\s*([a-z-]+)\s+(.*?)\s*$/.exec(raw);
        if (!m || raw.trimStart().startsWith('#') || m[1] === 'title')
            continue;
        if (m[1] === 'options') {
            if (optionsSeen)
                continue;
            optionsSeen = true;
            const own = entry.options.split(/\s+/).filter((w) => w && !/^(panic|oops|kernel_rollout\.trial)=/.test(w));
            lines.push(`options    ${[...own, ...args].join(' ')}`);
            continue;
        }
        lines.push(raw.trimEnd());
    }
    if (!optionsSeen)
        lines.push(`options    ${args.join(' ')}`);
    return `${lines.join('\n')}\n`;
}
/**
 * Shell (as root): `id` becomes the default in the EFI variable and in loader.conf (backup once,
 * only the `default` line changes); an entry of it with a counter is renamed without one first.
 */
function pinCommand(entry, espPath) {
    (0, shell_1.assertMatches)('espPath', espPath, shell_1.SAFE_ABSOLUTE_PATH_RE, 'ESP path');
    (0, shell_1.assertMatches)('entry', entry.file, exports.SD_ENTRY_FILE_RE, 'systemd-boot entry file');
    (0, shell_1.assertMatches)('entry', entry.id, exports.SD_ENTRY_FILE_RE, 'systemd-boot entry id');
    const dir = `${espPath}/loader/entries`;
    const conf = `${espPath}/loader/loader.conf`;
    const bak = `${conf}.kernel-rollout.bak`;
    const steps = [];
    if (entry.file !== entry.id) {
        steps.push(`mv -f ${(0, shell_1.shellQuote)(`${dir}/${entry.file}`)} ${(0, shell_1.shellQuote)(`${dir}/${entry.id}`)}`);
    }
    const q = (0, shell_1.shellQuote)(conf);
    steps.push(`{ [ -e ${(0, shell_1.shellQuote)(bak)} ] || [ ! -e ${q} ] || cp -p ${q} ${(0, shell_1.shellQuote)(bak)}; }`, `{ if [ -e ${q} ]; then grep -v '^[[:space:]]*default[[:space:]]' ${q}; fi; echo ${(0, shell_1.shellQuote)(`default ${entry.id}`)}; } > ${q}.kernel-rollout-new && mv -f ${q}.kernel-rollout-new ${q}`, `bootctl set-default ${(0, shell_1.shellQuote)(entry.id)}`);
    return steps.join(' && ');
}
/**
 * Shell (as root): the new kernel's own entry renamed with no tries left (`<id>+0.conf`), so that
 * until it is committed the loader never picks it by itself, not even when it has lost both its
 * default (EFI variable and loader.conf): a bad entry sorts last, below the known-good kernel.
 * Committing renames it without a counter (pinCommand); after a rollback it stays bad. Nothing
 * when it has no tries left already.
 */
function markBadCommand(entry, dir) {
    if (entry.triesLeft === 0)
        return [];
    (0, shell_1.assertMatches)('entry', entry.file, exports.SD_ENTRY_FILE_RE, 'systemd-boot entry file');
    (0, shell_1.assertMatches)('entry', entry.id, exports.SD_ENTRY_FILE_RE, 'systemd-boot entry id');
    const bad = `${entry.id.slice(0, -'.conf'.length)}+0.conf`;
    return [`mv -f ${(0, shell_1.shellQuote)(`${dir}/${entry.file}`)} ${(0, shell_1.shellQuote)(`${dir}/${bad}`)}`];
}
/**
 * Shell (as root) that stages the trial, the entry text on stdin: any earlier trial entry removed,
 * the trial entry written as `TRIAL_ENTRY_FILE`, the new kernel's own entry marked bad
 * (markBadCommand), the bless drop-in written, `bootctl set-oneshot <oneShotId>`.
 */
function stageTrialCommand(target, dir, oneShotId) {
    (0, shell_1.assertMatches)('espPath', dir, shell_1.SAFE_ABSOLUTE_PATH_RE, 'ESP path');
    const file = (0, shell_1.shellQuote)(`${dir}/${exports.TRIAL_ENTRY_FILE}`);
    return [
        `rm -f ${(0, shell_1.shellQuote)(dir)}/${exports.TRIAL_ENTRY_BASE}.conf ${(0, shell_1.shellQuote)(dir)}/${exports.TRIAL_ENTRY_BASE}+*.conf`,
        `cat > ${file}.kernel-rollout-new && mv -f ${file}.kernel-rollout-new ${file}`,
        ...markBadCommand(target, dir),
        `mkdir -p ${exports.BLESS_DROPIN_DIR}`,
        `printf '%s\\n' ${exports.BLESS_DROPIN.trimEnd().split('\n').map(shell_1.shellQuote).join(' ')} > ${exports.BLESS_DROPIN_PATH}`,
        `bootctl set-oneshot ${(0, shell_1.shellQuote)(oneShotId)}`,
    ].join(' && ');
}
/** Shell (as root) that removes every trial entry and the bless drop-in; safe to repeat. */
function removeTrialCommand() {
    return [
        `${ESP} && for f in "$esp"/loader/entries/${exports.TRIAL_ENTRY_BASE}.conf "$esp"/loader/entries/${exports.TRIAL_ENTRY_BASE}+*.conf; do if [ -e "$f" ]; then rm -f "$f" && echo removed-trial-entry; fi; done`,
        `rm -f ${exports.BLESS_DROPIN_PATH}`,
        `rmdir ${exports.BLESS_DROPIN_DIR} 2>/dev/null || true`,
    ].join('; ');
}
function clearOneShotCommand() {
    return 'bootctl set-oneshot ""';
}
function bootStateOf(vars) {
    return {
        defaultEntry: vars['LoaderEntryDefault'] || null,
        oneShotEntry: vars['LoaderEntryOneShot'] || null,
        readBack: `EFI variables read back LoaderEntryDefault=${vars['LoaderEntryDefault'] ?? ''} LoaderEntryOneShot=${vars['LoaderEntryOneShot'] ?? ''}`,
    };
}
async function readSections(s) {
    return (0, sections_1.splitSections)(await s.run((0, sections_1.sectionsScript)(FACT_SECTIONS), { ...host_1.sudo, timeoutMs: 60_000 }));
}
/**
 * `release`'s entry the default (EFI variable and loader.conf), read back; one write round trip at
 * most. `around.before` (chained with `&&`) runs first in it, `around.after` (a section, stdout and
 * stderr) last, only when the write succeeded; with `around`, the write round trip always happens.
 */
async function pin(s, release, host, facts, around) {
    const sections = facts ?? (await readSections(s));
    const entries = parseEntries(sections['sd-entries'] ?? '');
    const esp = (sections['sd-esp'] ?? '').trim();
    if (!esp)
        throw new host_1.UnsafeHostError(`${host}: bootctl -p finds no EFI system partition`);
    const entry = entryForRelease(entries, release);
    if (!entry) {
        throw new host_1.UnsafeHostError(`${host}: no systemd-boot entry boots ${release}; run kernel-install add for it and check the ESP`);
    }
    const vars = parseEfiVars(sections['sd-vars'] ?? '');
    const conf = loaderConfDefault(sections['sd-loader-conf'] ?? '');
    const changed = around !== undefined || entry.file !== entry.id || vars['LoaderEntryDefault'] !== entry.id || conf !== entry.id;
    let afterOutput = '';
    if (changed) {
        const write = (0, shell_1.andChain)([...(around?.before ?? []), pinCommand(entry, esp)]);
        const after = around?.after.length
            ? [`if [ "$wrote" = 0 ]; then ${(0, sections_1.sectionCommandKeepingErrors)('after', around.after.join('; '))}; fi`]
            : [];
        const out = (0, sections_1.splitSections)(await s.run([
            `${(0, sections_1.sectionCommand)('pin', write)}; wrote=$?`,
            (0, sections_1.sectionCommand)('vars', readVarsCommand(STATE_VARS)),
            (0, sections_1.sectionCommand)('conf', `cat ${(0, shell_1.shellQuote)(`${esp}/loader/loader.conf`)}`),
            ...after,
        ].join('\n'), host_1.sudo));
        const back = parseEfiVars(out['vars'] ?? '');
        const backConf = loaderConfDefault(out['conf'] ?? '');
        if (back['LoaderEntryDefault'] !== entry.id || backConf !== entry.id) {
            throw new Error(`${host}: the default reads back as LoaderEntryDefault=${back['LoaderEntryDefault'] ?? '(unset)'}, loader.conf default ${backConf ?? '(none)'}; expected ${entry.id}`);
        }
        afterOutput = out['after'] ?? '';
    }
    return {
        entry,
        esp,
        entries,
        confChanged: conf !== entry.id,
        version: loaderVersion(sections['sd-loader-info'] ?? ''),
        afterOutput,
    };
}
/** What pinDefault reports of a pin. */
function pinnedDefault(entry, esp, confChanged) {
    return {
        entry: entry.id,
        fixedConfiguration: confChanged,
        ...(confChanged ? { change: `loader.conf default set to ${entry.id}` } : {}),
        backupPath: confChanged ? `${esp}/loader/loader.conf.kernel-rollout.bak` : null,
    };
}
/** disarm's command: each step safe to repeat; nothing to regenerate (the loader reads the entries at boot). */
function disarmCommand(alongWith) {
    return [clearOneShotCommand(), ...alongWith, removeTrialCommand()].join('; ');
}
function factsOf(details) {
    // Written by readSystemdBootFacts in the same worker and carried as JSON in HostFacts.
    return details;
}
exports.systemdBoot = {
    kind: 'systemd-boot',
    factSections: FACT_SECTIONS,
    // All but the ESP's free space and pstore, which only preflight's assessment reads.
    stepSections: FACT_SECTIONS.filter(([name]) => !['sd-esp-free', 'sd-pstore'].includes(name)),
    notFoundHint: NOT_FOUND_HINT,
    readFacts: readSystemdBootFacts,
    summary(details) {
        const f = factsOf(details);
        return [
            `${f.loaderInfo ?? 'systemd-boot (loader not confirmed)'}, ESP ${f.espPath ?? '(none)'}, LoaderEntryDefault=${f.defaultEntry ?? '(unset)'}, loader.conf default ${f.loaderConfDefault ?? '(none)'}, LoaderEntryOneShot=${f.oneShotEntry ?? '(unset)'}`,
            `boot counting: ${f.hasBootCounting ? 'yes (the trial entry gets one try)' : 'no'}`,
        ];
    },
    assess: (details, ctx) => assessSystemdBoot(factsOf(details), ctx),
    clearOneShotCommand,
    async pinDefault(s, release, host, facts) {
        const { entry, esp, confChanged } = await pin(s, release, host, facts);
        return pinnedDefault(entry, esp, confChanged);
    },
    async prepareTrial(s, req, facts) {
        const sections = facts ?? (await readSections(s));
        const fs = (sections['sd-efivarfs'] ?? '').trim();
        if (fs !== 'rw') {
            throw new host_1.UnsafeHostError(`${req.host}: ${exports.EFIVARS_DIR} is ${fs === 'ro' ? 'read-only' : 'not mounted'}: the one-shot cannot be set; mount efivarfs read-write`);
        }
        const { entry: knownGood, esp, entries, version } = await pin(s, req.knownGoodRelease, req.host, sections);
        const target = entryForRelease(entries, req.toRelease);
        if (!target) {
            throw new host_1.UnsafeHostError(`${req.host}: no systemd-boot entry boots ${req.toRelease}; is it installed?`);
        }
        const oneShot = trialOneShotId(version);
        const dir = `${esp}/loader/entries`;
        return {
            knownGoodEntry: knownGood.id,
            async stageOneShot(kernelArgs, alongWith) {
                const text = trialEntryText(target, req.toRelease, kernelArgs);
                const file = (0, shell_1.shellQuote)(`${dir}/${exports.TRIAL_ENTRY_FILE}`);
                const out = (0, sections_1.splitSections)(await s.run([
                    (0, shell_1.andChain)([...alongWith, stageTrialCommand(target, dir, oneShot)]),
                    (0, sections_1.sectionCommand)('entry', `cat ${file}`),
                    (0, sections_1.sectionCommand)('vars', readVarsCommand(STATE_VARS)),
                ].join('\n'), { ...host_1.sudo, stdin: text }));
                if ((out['entry'] ?? '') !== text.trim()) {
                    throw new Error(`${req.host}: ${dir}/${exports.TRIAL_ENTRY_FILE} does not read back as written`);
                }
                return { entry: oneShot, state: bootStateOf(parseEfiVars(out['vars'] ?? '')) };
            },
            async clearOneShot(alongWith) {
                const out = await s.run((0, shell_1.andChain)([...alongWith, clearOneShotCommand(), readVarsCommand(STATE_VARS)]), host_1.sudo);
                return bootStateOf(parseEfiVars(out));
            },
        };
    },
    async clearOneShot(s) {
        await s.run(clearOneShotCommand(), host_1.sudo);
    },
    async readState(s) {
        return bootStateOf(parseEfiVars(await s.run(readVarsCommand(STATE_VARS), host_1.sudo)));
    },
    async disarm(s, alongWith) {
        await s.run(disarmCommand(alongWith), host_1.sudo);
        return { regenerated: false };
    },
    async commitDefault(s, release, host, facts, steps) {
        // One round trip: the caller's guard, disarm, the new default and its read-back, the caller's last steps.
        const { entry, esp, confChanged, afterOutput } = await pin(s, release, host, facts, {
            before: [...steps.before, disarmCommand(steps.disarmAlongWith)],
            after: steps.after,
        });
        return { ...pinnedDefault(entry, esp, confChanged), afterOutput };
    },
};
//# sourceMappingURL=systemd-boot.js.map