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

import {
  BLESS_DROPIN_DIR,
  EFIVARS_DIR,
  LOADER_GUID,
  clearOneShotCommand,
  entryForRelease,
  loaderVersion,
  parseEntry,
  pinCommand,
  removeTrialCommand,
  stageTrialCommand,
  trialEntryText,
  trialOneShotId,
  type LoaderEntry,
} from '../../src/activities/bootloader/systemd-boot';
import { trialKernelArgs } from '../../src/activities/trial/kernel-args';
import {
  REBOOT_COMMAND,
  TRIAL_PANIC_SECONDS,
  TRIAL_TOKEN,
  diffRunsOf,
  nonEmptyLines,
  noUuid,
  parseSectionBlocks,
  runTranscriptOf,
  sectionsCommand,
  timingTableOf,
  type ConformanceHost,
  type RecordedRun,
  type StateBase,
  type Step,
  type Transcript,
  type TranscriptInput,
  type TranscriptRun,
} from './common';

/** The host as read by SDBOOT_OBSERVE_COMMAND, before normalisation. */
export interface SdRawObservation {
  uname: string;
  bootId: string;
  cmdline: string;
  loaderInfo: string;
  /** `Name=value` lines of the loader's variables that are set. */
  efiVars: string;
  /** `bootctl -p`. */
  esp: string;
  /** The entry files in <ESP>/loader/entries, in `ls` order. */
  entries: { file: string; text: string }[];
  loaderConf: string;
  /** File names in systemd-bless-boot.service.d. */
  dropins: string;
  packages: string;
}

const ENTRY_MARK = '### conformance entry ';
const VARS = ['LoaderEntryDefault', 'LoaderEntryOneShot', 'LoaderEntrySelected', 'LoaderBootCountPath'];

const SECTIONS = [
  ['uname', 'uname -r'],
  ['boot_id', 'cat /proc/sys/kernel/random/boot_id'],
  ['cmdline', 'cat /proc/cmdline'],
  ['loader-info', `cat ${EFIVARS_DIR}/LoaderInfo-${LOADER_GUID} 2>/dev/null | tail -c +5 | tr -d '\\000'; echo`],
  ['efivars', `for v in ${VARS.join(' ')}; do f=${EFIVARS_DIR}/$v-${LOADER_GUID}; if [ -e "$f" ]; then printf '%s=%s\\n' "$v" "$(cat "$f" | tail -c +5 | tr -d '\\000')"; fi; done`],
  ['esp', 'bootctl -p'],
  ['entries', `esp=$(bootctl -p) && for f in "$esp"/loader/entries/*.conf; do if [ -f "$f" ]; then echo "${ENTRY_MARK}\${f##*/}"; cat "$f"; echo; fi; done; true`],
  ['loader.conf', 'cat "$(bootctl -p)/loader/loader.conf"; echo'],
  ['dropins', `ls ${BLESS_DROPIN_DIR} 2>/dev/null; true`],
  ['packages', `dpkg-query -W -f='\${Package} \${Version} \${Status}\\n' 'linux-image-*'`],
] as const; // prettier-ignore
export const SDBOOT_OBSERVE_COMMAND = sectionsCommand(SECTIONS);

export function parseSdObservation(stdout: string): SdRawObservation {
  const get = parseSectionBlocks(
    stdout,
    SECTIONS.map(([name]) => name),
  );
  const entries: SdRawObservation['entries'] = [];
  for (const line of (get['entries'] ?? '').split('\n')) {
    const last = entries[entries.length - 1];
    if (line.startsWith(ENTRY_MARK)) entries.push({ file: line.slice(ENTRY_MARK.length).trim(), text: '' });
    else if (last) last.text += `${line}\n`;
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
function entryOf(before: SdRawObservation, release: string): LoaderEntry {
  const entry = entryForRelease(
    before.entries.map((e) => parseEntry(e.file, e.text)),
    release,
  );
  if (!entry) throw new Error(`no systemd-boot entry boots ${release} in the host's ESP`);
  return entry;
}

function espOf(before: SdRawObservation): string {
  if (!before.esp) throw new Error('bootctl -p printed no ESP');
  return before.esp;
}

export const SDBOOT_TRANSCRIPT_STEPS: readonly Step<SdRawObservation>[] = [
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
    command: (i, b) => pinCommand(entryOf(b, i.oldRelease), espOf(b)),
  },
  {
    title: `stage: the trial entry +1 (new kernel + panic=${TRIAL_PANIC_SECONDS} oops=panic kernel_rollout.trial=${TRIAL_TOKEN}), the new kernel's own entry +0, the bless drop-in, bootctl set-oneshot`,
    command: (i, b) => stageTrialCommand(entryOf(b, i.newRelease), `${espOf(b)}/loader/entries`, trialOneShotId(loaderVersion(b.loaderInfo))),
    stdin: (i, b) => trialEntryText(entryOf(b, i.newRelease), i.newRelease, trialKernelArgs(TRIAL_PANIC_SECONDS, TRIAL_TOKEN, [])),
  },
  { title: 'reboot: the loader boots the one-shot trial entry once, counting it down to +0-1', command: () => REBOOT_COMMAND, reboot: true },
  { title: 'reboot again: the one-shot is spent, the loader boots the default', command: () => REBOOT_COMMAND, reboot: true },
  {
    title: "commit: clear the one-shot, remove the trial entry and the drop-in, pin the new kernel (its own entry renamed without the counter)",
    command: (i, b) => `{ ${clearOneShotCommand()}; ${removeTrialCommand()}; } && ${pinCommand(entryOf(b, i.newRelease), espOf(b))}`,
  },
  { title: 'reboot: the loader boots the new default, the new kernel with its own options', command: () => REBOOT_COMMAND, reboot: true },
]; // prettier-ignore

// ---- normalisation -------------------------------------------------------------------------------------

/** What is compared after a step. */
export interface SdObservedState extends StateBase {
  kernel: string;
  bootIdChanged: boolean;
  cmdline: string;
  /** LoaderInfo as the loader set it this boot. */
  loaderInfo: string;
  /** `Name=value` of the loader's variables that are set, in a fixed order. */
  efiVars: string[];
  /** `<entry file>: options <options>` per entry file, sorted by file name. */
  entries: string[];
  /** loader.conf's `default` values, in order. */
  loaderConfDefault: string[];
  /** The bless drop-ins (file names). */
  dropins: string[];
  /** dpkg-query lines of linux-image-*, sorted. */
  packages: string[];
}

const MACHINE_ID_RE = /\b[0-9a-f]{32}\b/g;
/** UUIDs and the machine id (which names the entries and their directory) become placeholders. */
export const noIds = (s: string) => noUuid(s).replace(MACHINE_ID_RE, '<machine-id>');

/** An entry file's `options` lines (the values as written, each after its key), independent of src/ and sim/. */
export function entryOptions(text: string): string[] {
  return [...text.matchAll(/^[ \t]*options[ \t]+(.*?)[ \t]*$/gm)].map((m) => m[1] ?? '');
}

export function normaliseSd(
  step: string,
  exit: number | null,
  raw: SdRawObservation,
  previousBootId: string | null,
): SdObservedState {
  const vars = nonEmptyLines(raw.efiVars);
  return {
    step,
    exit,
    kernel: raw.uname,
    bootIdChanged: previousBootId !== null && raw.bootId !== previousBootId,
    cmdline: noIds(raw.cmdline),
    loaderInfo: raw.loaderInfo,
    efiVars: VARS.flatMap((v) => vars.filter((l) => l.startsWith(`${v}=`))).map(noIds),
    entries: [...raw.entries]
      .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))
      .map((e) =>
        noIds(
          `${e.file}: ${
            entryOptions(e.text)
              .map((o) => `options ${o}`)
              .join(' | ') || '(no options)'
          }`,
        ),
      ),
    loaderConfDefault: [...raw.loaderConf.matchAll(/^[ \t]*default[ \t]+(.*?)[ \t]*$/gm)].map((m) => noIds(m[1] ?? '')),
    dropins: nonEmptyLines(raw.dropins).sort(),
    packages: nonEmptyLines(raw.packages).sort(),
  };
}

const SD_FIELDS: readonly (keyof SdObservedState & string)[] = [
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

export const SDBOOT_TRANSCRIPT: Transcript<SdRawObservation, SdObservedState> = {
  steps: SDBOOT_TRANSCRIPT_STEPS,
  observeCommand: SDBOOT_OBSERVE_COMMAND,
  lastSection: 'packages',
  parse: parseSdObservation,
  normalise: normaliseSd,
  fields: SD_FIELDS,
};

export type SdTranscriptRun = TranscriptRun<SdObservedState, SdRawObservation>;
export type SdRecordedRun = RecordedRun<SdObservedState>;

/** Runs every step on the host; never throws for a failing step (its exit status is part of the state). */
export function runSdTranscript(
  host: ConformanceHost,
  input: TranscriptInput,
  log: (line: string) => void = () => undefined,
  rebootTimeoutMs = 900_000,
): Promise<SdTranscriptRun> {
  return runTranscriptOf(SDBOOT_TRANSCRIPT, host, input, log, rebootTimeoutMs);
}

/** Where two runs' states differ, step by step (empty when they are equal). */
export function diffSdRuns(a: Pick<SdTranscriptRun, 'host' | 'states' | 'error'>, b: typeof a): string {
  return diffRunsOf(SD_FIELDS, a, b);
}

export function sdTimingTable(runs: SdTranscriptRun[]): string {
  return timingTableOf(SDBOOT_TRANSCRIPT_STEPS, runs);
}
