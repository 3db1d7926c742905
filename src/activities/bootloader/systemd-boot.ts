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
import {
  KERNEL_ARG_RE,
  KERNEL_RELEASE_RE,
  SAFE_ABSOLUTE_PATH_RE,
  andChain,
  assertMatches,
  shellQuote,
} from '../../shared/shell';
import { sectionCommand, sectionCommandKeepingErrors, sectionsScript, splitSections } from '../sections';
import { UnsafeHostError, sudo, type HostSession } from '../host';
import type {
  BootState,
  BootloaderAssessment,
  BootloaderDetails,
  BootloaderDriver,
  PinnedDefault,
  PreparedTrial,
} from './bootloader-interface';

/** The vendor GUID of the Boot Loader Interface's variables. */
export const LOADER_GUID = '4a67b082-0a4c-41cf-b6c7-440b29bb8c4f';
export const EFIVARS_DIR = '/sys/firmware/efi/efivars';
export const TRIAL_ENTRY_BASE = 'kernel-rollout-trial';
/** The trial entry's file name: one try on the boot counter. */
export const TRIAL_ENTRY_FILE = `${TRIAL_ENTRY_BASE}+1.conf`;
export const BLESS_DROPIN_DIR = '/etc/systemd/system/systemd-bless-boot.service.d';
export const BLESS_DROPIN_PATH = `${BLESS_DROPIN_DIR}/kernel-rollout-trial.conf`;
/** Skips systemd-bless-boot on any trial boot (a word alone matches `kernel_rollout.trial=…`). */
export const BLESS_DROPIN = [
  '# Written by kernel-rollout: a trial boot is blessed by kernel-rollout after verification, not',
  '# because userspace came up. Removed when the trial is committed or rolled back.',
  '[Unit]',
  'ConditionKernelCommandLine=!kernel_rollout.trial',
  '',
].join('\n');
/** Below this the ESP cannot take a new kernel and initramfs (kernel-install copies both). */
export const ESP_SPACE_NEEDED_BYTES = 100 * 1024 * 1024;

/** A loader entry file name (the loader's id up to 257): no glob or shell characters. */
export const SD_ENTRY_FILE_RE = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,250}\.conf$/;

export interface LoaderEntry {
  /** The file name in <ESP>/loader/entries. */
  file: string;
  /** The file name without the boot counter (what bootctl and systemd-boot 258+ call the id). */
  id: string;
  triesLeft: number | null;
  triesDone: number | null;
  title: string;
  version: string | null;
  linux: string | null;
  options: string;
  /** The kernel release it boots: `version`, else from the `linux` path. */
  release: string | null;
  text: string;
}

/** `name+LEFT[-DONE].conf` → the counter, as the loader parses it (the last `+`). */
export function parseCounter(file: string): { id: string; left: number | null; done: number | null } {
  const m = /^(.*)\+(\d+)(?:-(\d+))?\.conf$/.exec(file);
  if (!m) return { id: file, left: null, done: null };
  return { id: `${m[1]}.conf`, left: Number(m[2]), done: m[3] === undefined ? 0 : Number(m[3]) };
}

/** One Type #1 entry file: `key value` lines (options lines add up). */
export function parseEntry(file: string, text: string): LoaderEntry {
  const fields: Record<string, string> = {};
  const options: string[] = [];
  for (const raw of text.split('\n')) {
    const m = /^\s*([a-z-]+)\s+(.*?)\s*$/.exec(raw);
    if (!m || raw.trimStart().startsWith('#')) continue;
    if (m[1] === 'options') options.push(m[2] ?? '');
    else fields[m[1] ?? ''] ??= m[2] ?? '';
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
export function parseEntries(section: string): LoaderEntry[] {
  const out: LoaderEntry[] = [];
  let file: string | null = null;
  let buf: string[] = [];
  const flush = () => {
    if (file && SD_ENTRY_FILE_RE.test(file)) out.push(parseEntry(file, buf.join('\n')));
  };
  for (const line of section.split('\n')) {
    if (line.startsWith(ENTRY_MARK)) {
      flush();
      file = line.slice(ENTRY_MARK.length).trim();
      buf = [];
    } else buf.push(line);
  }
  flush();
  return out;
}

export function isTrialEntry(e: { file: string }): boolean {
  return e.file === `${TRIAL_ENTRY_BASE}.conf` || e.file.startsWith(`${TRIAL_ENTRY_BASE}+`);
}

/** The kernel's own entry for a release (never the trial's); one without a counter first. */
export function entryForRelease(entries: readonly LoaderEntry[], release: string): LoaderEntry | null {
  const own = entries.filter((e) => e.release === release && !isTrialEntry(e));
  return own.find((e) => e.triesLeft === null) ?? own[0] ?? null;
}

/** `name=value` lines of the EFI variables section. */
export function parseEfiVars(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const at = line.indexOf('=');
    if (at > 0) vars[line.slice(0, at)] = line.slice(at + 1).trim();
  }
  return vars;
}

/** loader.conf's `default` (the last one wins), or null. */
export function loaderConfDefault(text: string): string | null {
  let found: string | null = null;
  for (const line of text.split('\n')) {
    const m = /^\s*default\s+(\S+)\s*$/.exec(line);
    if (m) found = m[1] ?? null;
  }
  return found;
}

/** The version from LoaderInfo (`systemd-boot 252.22-1~deb12u1` → 252), or null. */
export function loaderVersion(loaderInfo: string): number | null {
  const m = /^systemd-boot (\d+)/.exec(loaderInfo.trim());
  return m ? Number(m[1]) : null;
}

/**
 * The id the loader knows the trial entry by: systemd-boot up to 257 keeps the counter in the id
 * (the file name, lowercased), 258 and later strip it. Unknown versions get the counted name: if
 * the loader does not know it, the one-shot matches nothing and the host boots the known-good
 * default (the trial then shows as not booted, never as a loop).
 */
export function trialOneShotId(version: number | null): string {
  return version !== null && version >= 258 ? `${TRIAL_ENTRY_BASE}.conf` : TRIAL_ENTRY_FILE;
}

function efiVarPath(name: string): string {
  return `${EFIVARS_DIR}/${name}-${LOADER_GUID}`;
}

/** Prints `Name=value` for each set variable (UTF-16LE after a 4-byte attribute word; ASCII here). */
function readVarsCommand(names: readonly string[]): string {
  return `for v in ${names.join(' ')}; do f=${EFIVARS_DIR}/$v-${LOADER_GUID}; if [ -r "$f" ]; then printf '%s=%s\\n' "$v" "$(cat "$f" | tail -c +5 | tr -d '\\000')"; fi; done`;
}
const STATE_VARS = ['LoaderEntryDefault', 'LoaderEntryOneShot', 'LoaderEntrySelected', 'LoaderBootCountPath'];

const ESP = 'esp=$(bootctl -p) && [ -n "$esp" ]';

/** The preflight sections this driver reads (names prefixed `sd-`, shared with no other driver). */
const FACT_SECTIONS = [
  // No newline in an EFI variable: one is added, else the next section's marker would follow on its line.
  ['sd-loader-info', `cat ${efiVarPath('LoaderInfo')} | tail -c +5 | tr -d '\\000'; echo`],
  ['sd-efivarfs', `if [ -d ${EFIVARS_DIR} ]; then if [ -w ${EFIVARS_DIR} ]; then echo rw; else echo ro; fi; else echo missing; fi`],
  ['sd-installed', 'bootctl is-installed'],
  ['sd-esp', 'bootctl -p'],
  ['sd-vars', readVarsCommand(STATE_VARS)],
  ['sd-entries', `${ESP} && for f in "$esp"/loader/entries/*.conf; do [ -f "$f" ] && echo "${ENTRY_MARK}\${f##*/}" && cat "$f"; done`],
  ['sd-loader-conf', `${ESP} && cat "$esp/loader/loader.conf"`],
  ['sd-esp-free', `${ESP} && df -B1 --output=avail "$esp" | tail -n 1`],
  ['sd-pstore', '[ -d /sys/module/efi_pstore ] && echo loaded'],
] as const; // prettier-ignore

/** systemd-boot's facts as preflight reports them (HostFacts.bootloader.details). */
export type SystemdBootFacts = {
  /** LoaderInfo as this boot's loader set it (`systemd-boot 252.…`), or null when unreadable. */
  loaderInfo: string | null;
  loaderVersion: number | null;
  efivarfs: 'rw' | 'ro' | 'missing';
  espPath: string | null;
  espFreeBytes: number | null;
  defaultEntry: string | null;
  oneShotEntry: string | null;
  loaderConfDefault: string | null;
  entries: { file: string; release: string | null; triesLeft: number | null }[];
  /** The entry id that would be pinned for the running kernel (null: none). */
  runningKernelEntry: string | null;
  /** Whether the boot counter can be used (the loader booted this boot and its variables are writable). */
  hasBootCounting: boolean;
  efiPstore: boolean;
};

/**
 * systemd-boot's facts, or null when it does not boot this host. The evidence: LoaderInfo says
 * systemd-boot (the loader that booted this boot) and the ESP has entries; or, with no EFI
 * variables to read at all, `bootctl is-installed` and entries (assess refuses that host).
 */
export function readSystemdBootFacts(sections: Readonly<Record<string, string>>): SystemdBootFacts | null {
  const info = (sections['sd-loader-info'] ?? '').trim();
  const efivarfs = (sections['sd-efivarfs'] ?? '').trim();
  const fs: SystemdBootFacts['efivarfs'] = efivarfs === 'rw' || efivarfs === 'ro' ? efivarfs : 'missing';
  const entries = parseEntries(sections['sd-entries'] ?? '');
  if (entries.length === 0) return null;
  const bootedBySdBoot = info.startsWith('systemd-boot ');
  const installedWithoutVars = !info && fs === 'missing' && (sections['sd-installed'] ?? '').trim() === 'yes';
  if (!bootedBySdBoot && !installedWithoutVars) return null;
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

const NOT_FOUND_HINT =
  'systemd-boot did not boot this host (no LoaderInfo EFI variable naming it) or its ESP has no loader entries; is systemd-boot installed (bootctl is-installed) and the kernel installed with kernel-install?';

export function assessSystemdBoot(
  f: SystemdBootFacts,
  ctx: { host: string; runningKernel: string; toRelease: string },
): BootloaderAssessment {
  const refusals: string[] = [];
  const fixes: string[] = [];
  const warnings: string[] = [];
  if (!f.espPath) refusals.push('bootctl -p finds no EFI system partition; mount it (e.g. at /boot/efi)');
  if (ctx.runningKernel !== ctx.toRelease && !f.runningKernelEntry) {
    refusals.push(
      `the running kernel ${ctx.runningKernel} has no systemd-boot entry to keep as the known-good default; run kernel-install add ${ctx.runningKernel} /boot/vmlinuz-${ctx.runningKernel} or reboot into an installed kernel first`,
    );
  }
  const hasTarget = f.entries.some((e) => e.release === ctx.toRelease);
  if (!hasTarget && f.espFreeBytes !== null && f.espFreeBytes < ESP_SPACE_NEEDED_BYTES) {
    refusals.push(
      `the EFI system partition has ${Math.floor(f.espFreeBytes / 1048576)} MiB free, kernel-install needs ~${ESP_SPACE_NEEDED_BYTES / 1048576} MiB for the kernel and initramfs; remove old kernels`,
    );
  }
  const pinned = f.runningKernelEntry;
  if (pinned && f.defaultEntry !== pinned) {
    fixes.push(`LoaderEntryDefault=${f.defaultEntry ?? '(unset)'} becomes ${pinned} (bootctl set-default)`);
  }
  if (pinned && f.loaderConfDefault !== pinned) {
    fixes.push(
      `loader.conf default ${f.loaderConfDefault ?? '(none)'} becomes ${pinned} (if NVRAM loses the variable)`,
    );
  }
  if (f.oneShotEntry)
    warnings.push(`a one-shot entry is already set (LoaderEntryOneShot=${f.oneShotEntry}); stage replaces it`);
  if (!f.efiPstore) {
    warnings.push('efi_pstore is not loaded: a trial kernel that panics leaves no record (modprobe efi_pstore)');
  }
  const why =
    f.efivarfs === 'missing'
      ? `EFI variables are not available (${EFIVARS_DIR} is not mounted): the loader's one-shot and default cannot be set or read back; mount efivarfs`
      : f.efivarfs === 'ro'
        ? `${EFIVARS_DIR} is read-only: the loader's one-shot and default cannot be set; remount it read-write`
        : !f.loaderInfo
          ? 'no LoaderInfo EFI variable: the loader that booted this boot cannot be confirmed as systemd-boot'
          : null;
  // The default must be pinned in the EFI variable even for a kexec trial (no one-shot then).
  if (why) refusals.push(`the known-good default cannot be pinned: ${why}`);
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
export function trialEntryText(entry: LoaderEntry, release: string, args: readonly string[]): string {
  assertMatches('release', release, KERNEL_RELEASE_RE, 'kernel release');
  for (const arg of args) assertMatches('trialKernelArgs', arg, KERNEL_ARG_RE, 'kernel argument');
  if (!entry.linux) throw new Error(`the systemd-boot entry ${entry.file} has no linux line to boot`);
  const lines: string[] = [`title      kernel-rollout trial: ${release}`];
  let optionsSeen = false;
  for (const raw of entry.text.split('\n')) {
    const m = /^\s*([a-z-]+)\s+(.*?)\s*$/.exec(raw);
    if (!m || raw.trimStart().startsWith('#') || m[1] === 'title') continue;
    if (m[1] === 'options') {
      if (optionsSeen) continue;
      optionsSeen = true;
      const own = entry.options.split(/\s+/).filter((w) => w && !/^(panic|oops|kernel_rollout\.trial)=/.test(w));
      lines.push(`options    ${[...own, ...args].join(' ')}`);
      continue;
    }
    lines.push(raw.trimEnd());
  }
  if (!optionsSeen) lines.push(`options    ${args.join(' ')}`);
  return `${lines.join('\n')}\n`;
}

/**
 * Shell (as root): `id` becomes the default in the EFI variable and in loader.conf (backup once,
 * only the `default` line changes); an entry of it with a counter is renamed without one first.
 */
export function pinCommand(entry: LoaderEntry, espPath: string): string {
  assertMatches('espPath', espPath, SAFE_ABSOLUTE_PATH_RE, 'ESP path');
  assertMatches('entry', entry.file, SD_ENTRY_FILE_RE, 'systemd-boot entry file');
  assertMatches('entry', entry.id, SD_ENTRY_FILE_RE, 'systemd-boot entry id');
  const dir = `${espPath}/loader/entries`;
  const conf = `${espPath}/loader/loader.conf`;
  const bak = `${conf}.kernel-rollout.bak`;
  const steps: string[] = [];
  if (entry.file !== entry.id) {
    steps.push(`mv -f ${shellQuote(`${dir}/${entry.file}`)} ${shellQuote(`${dir}/${entry.id}`)}`);
  }
  const q = shellQuote(conf);
  steps.push(
    `{ [ -e ${shellQuote(bak)} ] || [ ! -e ${q} ] || cp -p ${q} ${shellQuote(bak)}; }`,
    `{ if [ -e ${q} ]; then grep -v '^[[:space:]]*default[[:space:]]' ${q}; fi; echo ${shellQuote(`default ${entry.id}`)}; } > ${q}.kernel-rollout-new && mv -f ${q}.kernel-rollout-new ${q}`,
    `bootctl set-default ${shellQuote(entry.id)}`,
  );
  return steps.join(' && ');
}

/**
 * Shell (as root): the new kernel's own entry renamed with no tries left (`<id>+0.conf`), so that
 * until it is committed the loader never picks it by itself, not even when it has lost both its
 * default (EFI variable and loader.conf): a bad entry sorts last, below the known-good kernel.
 * Committing renames it without a counter (pinCommand); after a rollback it stays bad. Nothing
 * when it has no tries left already.
 */
export function markBadCommand(entry: LoaderEntry, dir: string): string[] {
  if (entry.triesLeft === 0) return [];
  assertMatches('entry', entry.file, SD_ENTRY_FILE_RE, 'systemd-boot entry file');
  assertMatches('entry', entry.id, SD_ENTRY_FILE_RE, 'systemd-boot entry id');
  const bad = `${entry.id.slice(0, -'.conf'.length)}+0.conf`;
  return [`mv -f ${shellQuote(`${dir}/${entry.file}`)} ${shellQuote(`${dir}/${bad}`)}`];
}

/**
 * Shell (as root) that stages the trial, the entry text on stdin: any earlier trial entry removed,
 * the trial entry written as `TRIAL_ENTRY_FILE`, the new kernel's own entry marked bad
 * (markBadCommand), the bless drop-in written, `bootctl set-oneshot <oneShotId>`.
 */
export function stageTrialCommand(target: LoaderEntry, dir: string, oneShotId: string): string {
  assertMatches('espPath', dir, SAFE_ABSOLUTE_PATH_RE, 'ESP path');
  const file = shellQuote(`${dir}/${TRIAL_ENTRY_FILE}`);
  return [
    `rm -f ${shellQuote(dir)}/${TRIAL_ENTRY_BASE}.conf ${shellQuote(dir)}/${TRIAL_ENTRY_BASE}+*.conf`,
    `cat > ${file}.kernel-rollout-new && mv -f ${file}.kernel-rollout-new ${file}`,
    ...markBadCommand(target, dir),
    `mkdir -p ${BLESS_DROPIN_DIR}`,
    `printf '%s\\n' ${BLESS_DROPIN.trimEnd().split('\n').map(shellQuote).join(' ')} > ${BLESS_DROPIN_PATH}`,
    `bootctl set-oneshot ${shellQuote(oneShotId)}`,
  ].join(' && ');
}

/** Shell (as root) that removes every trial entry and the bless drop-in; safe to repeat. */
export function removeTrialCommand(): string {
  return [
    `${ESP} && for f in "$esp"/loader/entries/${TRIAL_ENTRY_BASE}.conf "$esp"/loader/entries/${TRIAL_ENTRY_BASE}+*.conf; do if [ -e "$f" ]; then rm -f "$f" && echo removed-trial-entry; fi; done`,
    `rm -f ${BLESS_DROPIN_PATH}`,
    `rmdir ${BLESS_DROPIN_DIR} 2>/dev/null || true`,
  ].join('; ');
}

export function clearOneShotCommand(): string {
  return 'bootctl set-oneshot ""';
}

function bootStateOf(vars: Record<string, string>): BootState {
  return {
    defaultEntry: vars['LoaderEntryDefault'] || null,
    oneShotEntry: vars['LoaderEntryOneShot'] || null,
    readBack: `EFI variables read back LoaderEntryDefault=${vars['LoaderEntryDefault'] ?? ''} LoaderEntryOneShot=${vars['LoaderEntryOneShot'] ?? ''}`,
  };
}

async function readSections(s: HostSession): Promise<Record<string, string>> {
  return splitSections(await s.run(sectionsScript(FACT_SECTIONS), { ...sudo, timeoutMs: 60_000 }));
}

/**
 * `release`'s entry the default (EFI variable and loader.conf), read back; one write round trip at
 * most. `around.before` (chained with `&&`) runs first in it, `around.after` (a section, stdout and
 * stderr) last, only when the write succeeded; with `around`, the write round trip always happens.
 */
async function pin(
  s: HostSession,
  release: string,
  host: string,
  facts?: Readonly<Record<string, string>>,
  around?: { before: readonly string[]; after: readonly string[] },
) {
  const sections = facts ?? (await readSections(s));
  const entries = parseEntries(sections['sd-entries'] ?? '');
  const esp = (sections['sd-esp'] ?? '').trim();
  if (!esp) throw new UnsafeHostError(`${host}: bootctl -p finds no EFI system partition`);
  const entry = entryForRelease(entries, release);
  if (!entry) {
    throw new UnsafeHostError(
      `${host}: no systemd-boot entry boots ${release}; run kernel-install add for it and check the ESP`,
    );
  }
  const vars = parseEfiVars(sections['sd-vars'] ?? '');
  const conf = loaderConfDefault(sections['sd-loader-conf'] ?? '');
  const changed =
    around !== undefined || entry.file !== entry.id || vars['LoaderEntryDefault'] !== entry.id || conf !== entry.id;
  let afterOutput = '';
  if (changed) {
    const write = andChain([...(around?.before ?? []), pinCommand(entry, esp)]);
    const after = around?.after.length
      ? [`if [ "$wrote" = 0 ]; then ${sectionCommandKeepingErrors('after', around.after.join('; '))}; fi`]
      : [];
    const out = splitSections(
      await s.run(
        [
          `${sectionCommand('pin', write)}; wrote=$?`,
          sectionCommand('vars', readVarsCommand(STATE_VARS)),
          sectionCommand('conf', `cat ${shellQuote(`${esp}/loader/loader.conf`)}`),
          ...after,
        ].join('\n'),
        sudo,
      ),
    );
    const back = parseEfiVars(out['vars'] ?? '');
    const backConf = loaderConfDefault(out['conf'] ?? '');
    if (back['LoaderEntryDefault'] !== entry.id || backConf !== entry.id) {
      throw new Error(
        `${host}: the default reads back as LoaderEntryDefault=${back['LoaderEntryDefault'] ?? '(unset)'}, loader.conf default ${backConf ?? '(none)'}; expected ${entry.id}`,
      );
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
function pinnedDefault(entry: LoaderEntry, esp: string, confChanged: boolean): PinnedDefault {
  return {
    entry: entry.id,
    fixedConfiguration: confChanged,
    ...(confChanged ? { change: `loader.conf default set to ${entry.id}` } : {}),
    backupPath: confChanged ? `${esp}/loader/loader.conf.kernel-rollout.bak` : null,
  };
}

/** disarm's command: each step safe to repeat; nothing to regenerate (the loader reads the entries at boot). */
function disarmCommand(alongWith: readonly string[]): string {
  return [clearOneShotCommand(), ...alongWith, removeTrialCommand()].join('; ');
}

function factsOf(details: BootloaderDetails): SystemdBootFacts {
  // Written by readSystemdBootFacts in the same worker and carried as JSON in HostFacts.
  return details as SystemdBootFacts;
}

export const systemdBoot: BootloaderDriver<'systemd-boot'> = {
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

  async prepareTrial(s, req, facts): Promise<PreparedTrial> {
    const sections = facts ?? (await readSections(s));
    const fs = (sections['sd-efivarfs'] ?? '').trim();
    if (fs !== 'rw') {
      throw new UnsafeHostError(
        `${req.host}: ${EFIVARS_DIR} is ${fs === 'ro' ? 'read-only' : 'not mounted'}: the one-shot cannot be set; mount efivarfs read-write`,
      );
    }
    const { entry: knownGood, esp, entries, version } = await pin(s, req.knownGoodRelease, req.host, sections);
    const target = entryForRelease(entries, req.toRelease);
    if (!target) {
      throw new UnsafeHostError(`${req.host}: no systemd-boot entry boots ${req.toRelease}; is it installed?`);
    }
    const oneShot = trialOneShotId(version);
    const dir = `${esp}/loader/entries`;
    return {
      knownGoodEntry: knownGood.id,
      async stageOneShot(kernelArgs, alongWith) {
        const text = trialEntryText(target, req.toRelease, kernelArgs);
        const file = shellQuote(`${dir}/${TRIAL_ENTRY_FILE}`);
        const out = splitSections(
          await s.run(
            [
              andChain([...alongWith, stageTrialCommand(target, dir, oneShot)]),
              sectionCommand('entry', `cat ${file}`),
              sectionCommand('vars', readVarsCommand(STATE_VARS)),
            ].join('\n'),
            { ...sudo, stdin: text },
          ),
        );
        if ((out['entry'] ?? '') !== text.trim()) {
          throw new Error(`${req.host}: ${dir}/${TRIAL_ENTRY_FILE} does not read back as written`);
        }
        return { entry: oneShot, state: bootStateOf(parseEfiVars(out['vars'] ?? '')) };
      },
      async clearOneShot(alongWith) {
        const out = await s.run(andChain([...alongWith, clearOneShotCommand(), readVarsCommand(STATE_VARS)]), sudo);
        return bootStateOf(parseEfiVars(out));
      },
    };
  },

  async clearOneShot(s) {
    await s.run(clearOneShotCommand(), sudo);
  },

  async readState(s) {
    return bootStateOf(parseEfiVars(await s.run(readVarsCommand(STATE_VARS), sudo)));
  },

  async disarm(s, alongWith) {
    await s.run(disarmCommand(alongWith), sudo);
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
