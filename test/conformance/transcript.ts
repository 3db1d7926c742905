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

import {
  CUSTOM_CFG_PATH,
  TRIAL_ENTRY_ID,
  entryForRelease,
  fixDefaultGrubCommand,
  parseGrubCfg,
  removeTrialBlockCommand,
  setOneShotCommand,
  setSavedDefaultCommand,
  trialEntryBlock,
  writeTrialBlockCommand,
} from '../../src/activities/bootloader/grub-debian';
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
  type RecordedRun as RecordedRunOf,
  type StateBase,
  type Step,
  type Transcript,
  type TranscriptInput,
  type TranscriptRun as TranscriptRunOf,
} from './common';

// The host plumbing, the twin and the recording are common to every transcript (./common.ts).
export {
  TRIAL_PANIC_SECONDS,
  TRIAL_TOKEN,
  recordRun,
  simConformanceHost,
  testbedLikeHost,
  vmConformanceHost,
  type CommandResult,
  type ConformanceHost,
  type TranscriptInput,
} from './common';

// ---- the transcript -------------------------------------------------------------------------------------

/** The host as read by OBSERVE_COMMAND, before normalisation. */
export interface RawObservation {
  uname: string;
  bootId: string;
  cmdline: string;
  grubenv: string;
  grubCfg: string;
  /** /boot/grub/custom.cfg (empty when there is none), which grub.cfg sources at boot. */
  customCfg: string;
  defaultGrub: string;
  packages: string;
}

function entryId(before: RawObservation, release: string): string {
  const entry = entryForRelease(parseGrubCfg(before.grubCfg), release);
  if (!entry) throw new Error(`no GRUB entry boots ${release} in the host's grub.cfg`);
  return entry.id;
}

export const TRANSCRIPT: readonly Step<RawObservation>[] = [
  { title: 'initial state: the testbed image as built' },
  {
    title: "pin: GRUB_DEFAULT=saved, grub-set-default <old kernel entry>; no update-grub (grub.cfg's default 0 boots the old kernel)",
    command: (i, b) => `${fixDefaultGrubCommand()} && ${setSavedDefaultCommand(entryId(b, i.oldRelease))}`,
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
    title: `stage: the trial entry (new kernel + panic=${TRIAL_PANIC_SECONDS} oops=panic kernel_rollout.trial=${TRIAL_TOKEN}) in ${CUSTOM_CFG_PATH}, grub-reboot ${TRIAL_ENTRY_ID}; no update-grub`,
    command: () => `${writeTrialBlockCommand()} && ${setOneShotCommand(TRIAL_ENTRY_ID)}`,
    stdin: (i, b) => {
      const entry = entryForRelease(parseGrubCfg(b.grubCfg), i.newRelease);
      if (!entry) throw new Error(`no GRUB entry boots ${i.newRelease} in the host's grub.cfg`);
      return trialEntryBlock(entry, i.newRelease, trialKernelArgs(TRIAL_PANIC_SECONDS, TRIAL_TOKEN, []));
    },
  },
  { title: 'reboot: GRUB boots next_entry once (the trial entry from custom.cfg)', command: () => REBOOT_COMMAND, reboot: true },
  { title: 'reboot again: next_entry is spent, GRUB boots the saved default', command: () => REBOOT_COMMAND, reboot: true },
  {
    title: 'clear and commit: grub-editenv unset next_entry, the trial block out of custom.cfg, grub-set-default <new kernel entry>; no update-grub',
    command: (i, b) =>
      `grub-editenv /boot/grub/grubenv unset next_entry && ${removeTrialBlockCommand()} && ` +
      setSavedDefaultCommand(entryId(b, i.newRelease)),
  },
]; // prettier-ignore

const SECTIONS = [
  ['uname', 'uname -r'],
  ['boot_id', 'cat /proc/sys/kernel/random/boot_id'],
  ['cmdline', 'cat /proc/cmdline'],
  ['grubenv', 'grub-editenv /boot/grub/grubenv list'],
  ['grub.cfg', 'cat /boot/grub/grub.cfg'],
  ['custom.cfg', `cat ${CUSTOM_CFG_PATH} 2>/dev/null; true`],
  ['default-grub', 'cat /etc/default/grub'],
  ['packages', `dpkg-query -W -f='\${Package} \${Version} \${Status}\\n' 'linux-image-*'`],
] as const;
/** One command reads everything; each section is introduced by a `@@name` line. */
export const OBSERVE_COMMAND = sectionsCommand(SECTIONS);

export function parseObservation(stdout: string): RawObservation {
  const get = parseSectionBlocks(
    stdout,
    SECTIONS.map(([name]) => name),
  );
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

// ---- normalisation -------------------------------------------------------------------------------------

/** What is compared after a step. */
export interface ObservedState extends StateBase {
  kernel: string;
  bootIdChanged: boolean;
  cmdline: string;
  /** `grub-editenv list`: `key=value` in grubenv order (`next_entry=` present but empty differs from absent). */
  grubenv: string[];
  /** grub.cfg's `set default=` values, in order. */
  grubDefault: string[];
  /** grub.cfg's menu: `submenu-id>entry-id: linux <image and arguments>`, in menu order. */
  menu: string[];
  /** custom.cfg's menu, the same way (GRUB adds it to the menu where grub.cfg sources it). */
  customMenu: string[];
  /** /etc/default/grub without comments and blank lines. */
  defaultGrub: string[];
  /** dpkg-query lines of linux-image-*, sorted. */
  packages: string[];
}

/** grub.cfg → `set default=` values and menu entries (id path and `linux` line), independent of src/ and sim/. */
export function menuOf(cfg: string): { defaults: string[]; entries: string[] } {
  const defaults = [...cfg.matchAll(/^\s*set default="([^"]*)"\s*$/gm)].map((m) => m[1] ?? '');
  const entries: string[] = [];
  const stack: { kind: 'menuentry' | 'submenu' | 'block'; id: string; linux: string }[] = [];
  for (const line of cfg.split('\n')) {
    if (/^\s*#/.test(line)) continue;
    const open = /^\s*(menuentry|submenu)\s+(?:'([^']*)'|"([^"]*)")(.*)\{\s*$/.exec(line);
    if (open) {
      const id = /\$menuentry_id_option\s+'([^']+)'/.exec(open[4] ?? '')?.[1] ?? open[2] ?? open[3] ?? '';
      stack.push({ kind: open[1] as 'menuentry' | 'submenu', id, linux: '(no linux line)' });
      continue;
    }
    if (/\{\s*$/.test(line)) {
      stack.push({ kind: 'block', id: '', linux: '' });
      continue;
    }
    const linux = /^\s*linux\s+(.*)$/.exec(line);
    const top = stack[stack.length - 1];
    if (linux && top?.kind === 'menuentry') top.linux = `linux ${linux[1] ?? ''}`;
    if (/^\s*\}\s*$/.test(line)) {
      const closed = stack.pop();
      if (closed?.kind === 'menuentry') {
        const path = [...stack.filter((f) => f.kind === 'submenu').map((f) => f.id), closed.id].join('>');
        entries.push(`${path}: ${closed.linux}`);
      }
    }
  }
  return { defaults, entries: entries.map(noUuid) };
}

export function normalise(step: string, exit: number | null, raw: RawObservation, previousBootId: string | null) {
  const menu = menuOf(raw.grubCfg);
  const lines = nonEmptyLines;
  const state: ObservedState = {
    step,
    exit,
    kernel: raw.uname,
    bootIdChanged: previousBootId !== null && raw.bootId !== previousBootId,
    cmdline: noUuid(raw.cmdline),
    grubenv: lines(raw.grubenv).map(noUuid),
    grubDefault: menu.defaults,
    menu: menu.entries,
    customMenu: menuOf(raw.customCfg).entries,
    defaultGrub: lines(raw.defaultGrub).filter((l) => !/^\s*#/.test(l)),
    packages: lines(raw.packages).sort(),
  };
  return state;
}

// ---- running ---------------------------------------------------------------------------------------------

export type TranscriptRun = TranscriptRunOf<ObservedState, RawObservation>;
export type RecordedRun = RecordedRunOf<ObservedState>;

const FIELDS: readonly (keyof ObservedState & string)[] = [
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

export const GRUB_TRANSCRIPT: Transcript<RawObservation, ObservedState> = {
  steps: TRANSCRIPT,
  observeCommand: OBSERVE_COMMAND,
  lastSection: 'packages',
  parse: parseObservation,
  normalise,
  fields: FIELDS,
};

/** Runs every step on the host; never throws for a failing step (its exit status is part of the state). */
export function runTranscript(
  host: ConformanceHost,
  input: TranscriptInput,
  log: (line: string) => void = () => undefined,
  rebootTimeoutMs = 900_000,
): Promise<TranscriptRun> {
  return runTranscriptOf(GRUB_TRANSCRIPT, host, input, log, rebootTimeoutMs);
}

// ---- comparing -------------------------------------------------------------------------------------------

/** Where two runs' states differ, step by step (empty when they are equal); see diffRunsOf. */
export function diffRuns(a: Pick<TranscriptRun, 'host' | 'states' | 'error'>, b: typeof a): string {
  return diffRunsOf(FIELDS, a, b);
}

/** Per-step seconds of several runs side by side (Markdown). */
export function timingTable(runs: TranscriptRun[]): string {
  return timingTableOf(TRANSCRIPT, runs);
}
