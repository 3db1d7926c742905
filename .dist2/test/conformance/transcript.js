"use strict";
/**
 * The conformance transcript: one scripted sequence of shell steps and reboots, run
 * against a real testbed VM (test/e2e/conformance.test.ts) and against a simulated host set up
 * like the testbed image (both there and, against a recorded VM run, in
 * test/sim/conformance.test.ts). After every step the host's observable state is read with the
 * same command and normalised; the two sequences must be equal, so the simulator's boot model
 * (sim/model.ts, sim/tools/krsim, sim/MODEL.md) cannot drift from real GRUB, dpkg and Linux.
 *
 * The steps are the ones kernel-rollout itself runs on a host (its own command builders and
 * trial entry), in its order: pin the known-good kernel as the saved default (no update-grub:
 * grub.cfg's default 0 boots it), install the new kernel from a .deb (its hook regenerates
 * grub.cfg with the saved default), stage a one-shot trial entry with panic=N and the trial marker
 * in custom.cfg, reboot (GRUB boots next_entry once), reboot again (next_entry spent: the saved
 * default), clear and commit. One VM boot, two reboots.
 *
 * Observed after each step: `uname -r`; whether the boot id changed; /proc/cmdline; the grubenv
 * variables (`grub-editenv list`); the `set default=` lines and the menu (entry id paths and their
 * `linux` lines) of /boot/grub/grub.cfg, and the menu of /boot/grub/custom.cfg; /etc/default/grub's settings; the installed kernel
 * packages (dpkg-query); the step's exit status. Normalised: every UUID becomes `<uuid>` (the
 * root filesystem's differs between the image and the simulator); boot ids are compared only as
 * "changed or not". The normaliser's grub.cfg reading is written here on purpose, apart from
 * src/ and sim/ (a shared parser would hide a shared bug).
 */
Object.defineProperty(exports, "__esModule", { value: true });
exports.GRUB_TRANSCRIPT = exports.OBSERVE_COMMAND = exports.TRANSCRIPT = exports.vmConformanceHost = exports.testbedLikeHost = exports.simConformanceHost = exports.recordRun = exports.TRIAL_TOKEN = exports.TRIAL_PANIC_SECONDS = void 0;
exports.parseObservation = parseObservation;
exports.menuOf = menuOf;
exports.normalise = normalise;
exports.runTranscript = runTranscript;
exports.diffRuns = diffRuns;
exports.timingTable = timingTable;
const grub_debian_1 = require("../../src/activities/bootloader/grub-debian");
const kernel_args_1 = require("../../src/activities/trial/kernel-args");
const common_1 = require("./common");
// The host plumbing, the twin and the recording are common to every transcript (./common.ts).
var common_2 = require("./common");
Object.defineProperty(exports, "TRIAL_PANIC_SECONDS", { enumerable: true, get: function () { return common_2.TRIAL_PANIC_SECONDS; } });
Object.defineProperty(exports, "TRIAL_TOKEN", { enumerable: true, get: function () { return common_2.TRIAL_TOKEN; } });
Object.defineProperty(exports, "recordRun", { enumerable: true, get: function () { return common_2.recordRun; } });
Object.defineProperty(exports, "simConformanceHost", { enumerable: true, get: function () { return common_2.simConformanceHost; } });
Object.defineProperty(exports, "testbedLikeHost", { enumerable: true, get: function () { return common_2.testbedLikeHost; } });
Object.defineProperty(exports, "vmConformanceHost", { enumerable: true, get: function () { return common_2.vmConformanceHost; } });
function entryId(before, release) {
    const entry = (0, grub_debian_1.entryForRelease)((0, grub_debian_1.parseGrubCfg)(before.grubCfg), release);
    if (!entry)
        throw new Error(`no GRUB entry boots ${release} in the host's grub.cfg`);
    return entry.id;
}
exports.TRANSCRIPT = [
    { title: 'initial state: the testbed image as built' },
    {
        title: "pin: GRUB_DEFAULT=saved, grub-set-default <old kernel entry>; no update-grub (grub.cfg's default 0 boots the old kernel)",
        command: (i, b) => `${(0, grub_debian_1.fixDefaultGrubCommand)()} && ${(0, grub_debian_1.setSavedDefaultCommand)(entryId(b, i.oldRelease))}`,
    },
    {
        title: 'upload the newer kernel .deb to /root',
        command: (i) => `cat > /root/${i.debName}`,
        stdin: (i) => i.debBytes,
    },
    {
        title: 'dpkg -i the newer kernel (its zz-update-grub hook regenerates grub.cfg, now with GRUB_DEFAULT=saved)',
        command: (i) => `DEBIAN_FRONTEND=noninteractive dpkg -i /root/${i.debName}`,
        timeoutMs: 20 * 60_000,
    },
    {
        title: `stage: the trial entry (new kernel + panic=${common_1.TRIAL_PANIC_SECONDS} oops=panic kernel_rollout.trial=${common_1.TRIAL_TOKEN}) in ${grub_debian_1.CUSTOM_CFG_PATH}, grub-reboot ${grub_debian_1.TRIAL_ENTRY_ID}; no update-grub`,
        command: () => `${(0, grub_debian_1.writeTrialBlockCommand)()} && ${(0, grub_debian_1.setOneShotCommand)(grub_debian_1.TRIAL_ENTRY_ID)}`,
        stdin: (i, b) => {
            const entry = (0, grub_debian_1.entryForRelease)((0, grub_debian_1.parseGrubCfg)(b.grubCfg), i.newRelease);
            if (!entry)
                throw new Error(`no GRUB entry boots ${i.newRelease} in the host's grub.cfg`);
            return (0, grub_debian_1.trialEntryBlock)(entry, i.newRelease, (0, kernel_args_1.trialKernelArgs)(common_1.TRIAL_PANIC_SECONDS, common_1.TRIAL_TOKEN, []));
        },
    },
    { title: 'reboot: GRUB boots next_entry once (the trial entry from custom.cfg)', command: () => common_1.REBOOT_COMMAND, reboot: true },
    { title: 'reboot again: next_entry is spent, GRUB boots the saved default', command: () => common_1.REBOOT_COMMAND, reboot: true },
    {
        title: 'clear and commit: grub-editenv unset next_entry, the trial block out of custom.cfg, grub-set-default <new kernel entry>; no update-grub',
        command: (i, b) => `grub-editenv /boot/grub/grubenv unset next_entry && ${(0, grub_debian_1.removeTrialBlockCommand)()} && ` +
            (0, grub_debian_1.setSavedDefaultCommand)(entryId(b, i.newRelease)),
    },
]; // prettier-ignore
const SECTIONS = [
    ['uname', 'uname -r'],
    ['boot_id', 'cat /proc/sys/kernel/random/boot_id'],
    ['cmdline', 'cat /proc/cmdline'],
    ['grubenv', 'grub-editenv /boot/grub/grubenv list'],
    ['grub.cfg', 'cat /boot/grub/grub.cfg'],
    ['custom.cfg', `cat ${grub_debian_1.CUSTOM_CFG_PATH} 2>/dev/null; true`],
    ['default-grub', 'cat /etc/default/grub'],
    ['packages', `dpkg-query -W -f='\${Package} \${Version} \${Status}\\n' 'linux-image-*'`],
];
/** One command reads everything; each section is introduced by a `@@name` line. */
exports.OBSERVE_COMMAND = (0, common_1.sectionsCommand)(SECTIONS);
function parseObservation(stdout) {
    const get = (0, common_1.parseSectionBlocks)(stdout, SECTIONS.map(([name]) => name));
    return {
        uname: (get['uname'] ?? '').trim(),
        bootId: (get['boot_id'] ?? '').trim(),
        cmdline: (get['cmdline'] ?? '').trim(),
        grubenv: get['grubenv'] ?? '',
        grubCfg: get['grub.cfg'] ?? '',
        customCfg: get['custom.cfg'] ?? '',
        defaultGrub: get['default-grub'] ?? '',
        packages: get['packages'] ?? '',
    };
}
/** grub.cfg → `set default=` values and menu entries (id path and `linux` line), independent of src/ and sim/. */
function menuOf(cfg) {
    const defaults = [...cfg.matchAll(/^\s*set default="([^"]*)"\s*$/gm)].map((m) => m[1] ?? '');
    const entries = [];
    const stack = [];
    for (const line of cfg.split('\n')) {
        if (/^\s*#/.test(line))
            continue;
        const open = /^\s*(menuentry|submenu)\s+(?:'([^']*)'|"([^"]*)")(.*)\{\s*$/.exec(line);
        if (open) {
            const id = /\$menuentry_id_option\s+'([^']+)'/.exec(open[4] ?? '')?.[1] ?? open[2] ?? open[3] ?? '';
            stack.push({ kind: open[1], id, linux: '(no linux line)' });
            continue;
        }
        if (/\{\s*$/.test(line)) {
            stack.push({ kind: 'block', id: '', linux: '' });
            continue;
        }
        const linux = /^\s*linux\s+(.*)$/.exec(line);
        const top = stack[stack.length - 1];
        if (linux && top?.kind === 'menuentry')
            top.linux = `linux ${linux[1] ?? ''}`;
        if (/^\s*\}\s*$/.test(line)) {
            const closed = stack.pop();
            if (closed?.kind === 'menuentry') {
                const path = [...stack.filter((f) => f.kind === 'submenu').map((f) => f.id), closed.id].join('>');
                entries.push(`${path}: ${closed.linux}`);
            }
        }
    }
    return { defaults, entries: entries.map(common_1.noUuid) };
}
function normalise(step, exit, raw, previousBootId) {
    const menu = menuOf(raw.grubCfg);
    const lines = common_1.nonEmptyLines;
    const state = {
        step,
        exit,
        kernel: raw.uname,
        bootIdChanged: previousBootId !== null && raw.bootId !== previousBootId,
        cmdline: (0, common_1.noUuid)(raw.cmdline),
        grubenv: lines(raw.grubenv).map(common_1.noUuid),
        grubDefault: menu.defaults,
        menu: menu.entries,
        customMenu: menuOf(raw.customCfg).entries,
        defaultGrub: lines(raw.defaultGrub).filter((l) => !/^\s*#/.test(l)),
        packages: lines(raw.packages).sort(),
    };
    return state;
}
const FIELDS = [
    'exit',
    'kernel',
    'bootIdChanged',
    'cmdline',
    'grubenv',
    'grubDefault',
    'menu',
    'customMenu',
    'defaultGrub',
    'packages',
];
exports.GRUB_TRANSCRIPT = {
    steps: exports.TRANSCRIPT,
    observeCommand: exports.OBSERVE_COMMAND,
    lastSection: 'packages',
    parse: parseObservation,
    normalise,
    fields: FIELDS,
};
/** Runs every step on the host; never throws for a failing step (its exit status is part of the state). */
function runTranscript(host, input, log = () => undefined, rebootTimeoutMs = 900_000) {
    return (0, common_1.runTranscriptOf)(exports.GRUB_TRANSCRIPT, host, input, log, rebootTimeoutMs);
}
// ---- comparing -------------------------------------------------------------------------------------------
/** Where two runs' states differ, step by step (empty when they are equal); see diffRunsOf. */
function diffRuns(a, b) {
    return (0, common_1.diffRunsOf)(FIELDS, a, b);
}
/** Per-step seconds of several runs side by side (Markdown). */
function timingTable(runs) {
    return (0, common_1.timingTableOf)(exports.TRANSCRIPT, runs);
}
//# sourceMappingURL=transcript.js.map