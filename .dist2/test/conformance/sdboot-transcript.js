"use strict";
/**
 * The systemd-boot conformance transcript: the same idea as test/conformance/transcript.ts (GRUB),
 * for the testbed's systemd-boot platform (OVMF + systemd-boot 252 + kernel-install's entries on the
 * ESP) and the simulator's systemd-boot host (sim/systemd-boot.ts, sim/tools/krsim-sdboot,
 * sim/MODEL.md). Run against a real VM by test/e2e/conformance.test.ts
 * (KERNEL_ROLLOUT_PLATFORM=systemd-boot) and against the recorded VM run
 * (test/fixtures/systemd-boot/conformance-transcript.json) by test/sim/conformance.test.ts.
 *
 * The steps are kernel-rollout's own, with the driver's command builders
 * (src/activities/bootloader/systemd-boot.ts): install the new kernel from a .deb (kernel-install
 * writes its entry), pin the known-good kernel (pinCommand: LoaderEntryDefault and loader.conf's
 * `default`), stage the trial as the driver does (stageTrialCommand: the trial entry
 * `kernel-rollout-trial+1.conf` with the trial arguments, the new kernel's own entry marked `+0`,
 * the bless drop-in, `bootctl set-oneshot <id>`), reboot (the loader boots the trial once and
 * counts it down to `+0-1`), reboot again (the default), commit as the driver commits (disarm:
 * clear the one-shot, remove the trial entry and the drop-in; then pinCommand for the new kernel:
 * its own entry renamed without the counter, the default moved), reboot (the new kernel, its own
 * options). One VM boot, three reboots.
 *
 * Observed after each step: `uname -r`; whether the boot id changed; /proc/cmdline; LoaderInfo;
 * the EFI variables LoaderEntryDefault, LoaderEntryOneShot, LoaderEntrySelected and
 * LoaderBootCountPath (read with `cat FILE | tail -c +5 | tr -d '\000'`: efivarfs files cannot
 * seek); the entry files in the ESP's loader/entries with each one's `options`; loader.conf's
 * `default` lines; the bless drop-ins; the installed kernel packages; the step's exit status.
 * Normalised: UUIDs become `<uuid>`, the machine id (32 hex digits: entry file names, paths)
 * `<machine-id>`; boot ids are compared only as "changed or not". The entry reading is written here
 * on purpose, apart from src/ and sim/ (a shared parser would hide a shared bug); the driver's
 * parseEntry only builds the commands' input, as the driver itself does.
 */
Object.defineProperty(exports, "__esModule", { value: true });
exports.SDBOOT_TRANSCRIPT = exports.noIds = exports.SDBOOT_TRANSCRIPT_STEPS = exports.SDBOOT_OBSERVE_COMMAND = void 0;
exports.parseSdObservation = parseSdObservation;
exports.entryOptions = entryOptions;
exports.normaliseSd = normaliseSd;
exports.runSdTranscript = runSdTranscript;
exports.diffSdRuns = diffSdRuns;
exports.sdTimingTable = sdTimingTable;
const systemd_boot_1 = require("../../src/activities/bootloader/systemd-boot");
const kernel_args_1 = require("../../src/activities/trial/kernel-args");
const common_1 = require("./common");
const ENTRY_MARK = '### conformance entry ';
const VARS = ['LoaderEntryDefault', 'LoaderEntryOneShot', 'LoaderEntrySelected', 'LoaderBootCountPath'];
const SECTIONS = [
    ['uname', 'uname -r'],
    ['boot_id', 'cat /proc/sys/kernel/random/boot_id'],
    ['cmdline', 'cat /proc/cmdline'],
    ['loader-info', `cat ${systemd_boot_1.EFIVARS_DIR}/LoaderInfo-${systemd_boot_1.LOADER_GUID} 2>/dev/null | tail -c +5 | tr -d '\\000'; echo`],
    ['efivars', `for v in ${VARS.join(' ')}; do f=${systemd_boot_1.EFIVARS_DIR}/$v-${systemd_boot_1.LOADER_GUID}; if [ -e "$f" ]; then printf '%s=%s\\n' "$v" "$(cat "$f" | tail -c +5 | tr -d '\\000')"; fi; done`],
    ['esp', 'bootctl -p'],
    ['entries', `esp=$(bootctl -p) && for f in "$esp"/loader/entries/*.conf; do if [ -f "$f" ]; then echo "${ENTRY_MARK}\${f##*/}"; cat "$f"; echo; fi; done; true`],
    ['loader.conf', 'cat "$(bootctl -p)/loader/loader.conf"; echo'],
    ['dropins', `ls ${systemd_boot_1.BLESS_DROPIN_DIR} 2>/dev/null; true`],
    ['packages', `dpkg-query -W -f='\${Package} \${Version} \${Status}\\n' 'linux-image-*'`],
]; // prettier-ignore
exports.SDBOOT_OBSERVE_COMMAND = (0, common_1.sectionsCommand)(SECTIONS);
function parseSdObservation(stdout) {
    const get = (0, common_1.parseSectionBlocks)(stdout, SECTIONS.map(([name]) => name));
    const entries = [];
    for (const line of (get['entries'] ?? '').split('\n')) {
        const last = entries[entries.length - 1];
        if (line.startsWith(ENTRY_MARK))
            entries.push({ file: line.slice(ENTRY_MARK.length).trim(), text: '' });
        else if (last)
            last.text += `${line}\n`;
    }
    return {
        uname: (get['uname'] ?? '').trim(),
        bootId: (get['boot_id'] ?? '').trim(),
        cmdline: (get['cmdline'] ?? '').trim(),
        loaderInfo: (get['loader-info'] ?? '').trim(),
        efiVars: get['efivars'] ?? '',
        esp: (get['esp'] ?? '').trim(),
        entries,
        loaderConf: get['loader.conf'] ?? '',
        dropins: get['dropins'] ?? '',
        packages: get['packages'] ?? '',
    };
}
// ---- the steps ---------------------------------------------------------------------------------------------
/** The release's own entry as the driver reads it (never the trial's). */
function entryOf(before, release) {
    const entry = (0, systemd_boot_1.entryForRelease)(before.entries.map((e) => (0, systemd_boot_1.parseEntry)(e.file, e.text)), release);
    if (!entry)
        throw new Error(`no systemd-boot entry boots ${release} in the host's ESP`);
    return entry;
}
function espOf(before) {
    if (!before.esp)
        throw new Error('bootctl -p printed no ESP');
    return before.esp;
}
exports.SDBOOT_TRANSCRIPT_STEPS = [
    { title: 'initial state: the testbed image as built' },
    {
        title: 'upload the newer kernel .deb to /root',
        command: (i) => `cat > /root/${i.debName}`,
        stdin: (i) => i.debBytes,
    },
    {
        title: "dpkg -i the newer kernel (systemd-boot's hooks run kernel-install add: its entry on the ESP)",
        command: (i) => `DEBIAN_FRONTEND=noninteractive dpkg -i /root/${i.debName}`,
        timeoutMs: 20 * 60_000,
    },
    {
        title: "pin: the old kernel's entry the default (bootctl set-default, loader.conf default)",
        command: (i, b) => (0, systemd_boot_1.pinCommand)(entryOf(b, i.oldRelease), espOf(b)),
    },
    {
        title: `stage: the trial entry +1 (new kernel + panic=${common_1.TRIAL_PANIC_SECONDS} oops=panic kernel_rollout.trial=${common_1.TRIAL_TOKEN}), the new kernel's own entry +0, the bless drop-in, bootctl set-oneshot`,
        command: (i, b) => (0, systemd_boot_1.stageTrialCommand)(entryOf(b, i.newRelease), `${espOf(b)}/loader/entries`, (0, systemd_boot_1.trialOneShotId)((0, systemd_boot_1.loaderVersion)(b.loaderInfo))),
        stdin: (i, b) => (0, systemd_boot_1.trialEntryText)(entryOf(b, i.newRelease), i.newRelease, (0, kernel_args_1.trialKernelArgs)(common_1.TRIAL_PANIC_SECONDS, common_1.TRIAL_TOKEN, [])),
    },
    { title: 'reboot: the loader boots the one-shot trial entry once, counting it down to +0-1', command: () => common_1.REBOOT_COMMAND, reboot: true },
    { title: 'reboot again: the one-shot is spent, the loader boots the default', command: () => common_1.REBOOT_COMMAND, reboot: true },
    {
        title: "commit: clear the one-shot, remove the trial entry and the drop-in, pin the new kernel (its own entry renamed without the counter)",
        command: (i, b) => `{ ${(0, systemd_boot_1.clearOneShotCommand)()}; ${(0, systemd_boot_1.removeTrialCommand)()}; } && ${(0, systemd_boot_1.pinCommand)(entryOf(b, i.newRelease), espOf(b))}`,
    },
    { title: 'reboot: the loader boots the new default, the new kernel with its own options', command: () => common_1.REBOOT_COMMAND, reboot: true },
]; // prettier-ignore
const MACHINE_ID_RE = /\b[0-9a-f]{32}\b/g;
/** UUIDs and the machine id (which names the entries and their directory) become placeholders. */
const noIds = (s) => (0, common_1.noUuid)(s).replace(MACHINE_ID_RE, '<machine-id>');
exports.noIds = noIds;
/** An entry file's `options` lines (the values as written, each after its key), independent of src/ and sim/. */
function entryOptions(text) {
    return [...text.matchAll(/^[ \t]*options[ \t]+(.*?)[ \t]*$/gm)].map((m) => m[1] ?? '');
}
function normaliseSd(step, exit, raw, previousBootId) {
    const vars = (0, common_1.nonEmptyLines)(raw.efiVars);
    return {
        step,
        exit,
        kernel: raw.uname,
        bootIdChanged: previousBootId !== null && raw.bootId !== previousBootId,
        cmdline: (0, exports.noIds)(raw.cmdline),
        loaderInfo: raw.loaderInfo,
        efiVars: VARS.flatMap((v) => vars.filter((l) => l.startsWith(`${v}=`))).map(exports.noIds),
        entries: [...raw.entries]
            .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))
            .map((e) => (0, exports.noIds)(`${e.file}: ${entryOptions(e.text)
            .map((o) => `options ${o}`)
            .join(' | ') || '(no options)'}`)),
        loaderConfDefault: [...raw.loaderConf.matchAll(/^[ \t]*default[ \t]+(.*?)[ \t]*$/gm)].map((m) => (0, exports.noIds)(m[1] ?? '')),
        dropins: (0, common_1.nonEmptyLines)(raw.dropins).sort(),
        packages: (0, common_1.nonEmptyLines)(raw.packages).sort(),
    };
}
const SD_FIELDS = [
    'exit',
    'kernel',
    'bootIdChanged',
    'cmdline',
    'loaderInfo',
    'efiVars',
    'entries',
    'loaderConfDefault',
    'dropins',
    'packages',
];
exports.SDBOOT_TRANSCRIPT = {
    steps: exports.SDBOOT_TRANSCRIPT_STEPS,
    observeCommand: exports.SDBOOT_OBSERVE_COMMAND,
    lastSection: 'packages',
    parse: parseSdObservation,
    normalise: normaliseSd,
    fields: SD_FIELDS,
};
/** Runs every step on the host; never throws for a failing step (its exit status is part of the state). */
function runSdTranscript(host, input, log = () => undefined, rebootTimeoutMs = 900_000) {
    return (0, common_1.runTranscriptOf)(exports.SDBOOT_TRANSCRIPT, host, input, log, rebootTimeoutMs);
}
/** Where two runs' states differ, step by step (empty when they are equal). */
function diffSdRuns(a, b) {
    return (0, common_1.diffRunsOf)(SD_FIELDS, a, b);
}
function sdTimingTable(runs) {
    return (0, common_1.timingTableOf)(exports.SDBOOT_TRANSCRIPT_STEPS, runs);
}
//# sourceMappingURL=sdboot-transcript.js.map