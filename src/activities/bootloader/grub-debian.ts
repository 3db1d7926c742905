/**
 * The bootloader driver for GRUB 2 as Debian and Ubuntu ship it (BIOS, /boot/grub): parsers of
 * the files it writes, builders of the commands that change them, and the driver (`grubDebian`)
 * that runs them over SSH for the activities.
 *
 * How the trial works on this bootloader:
 *  - `/etc/default/grub` gets `GRUB_DEFAULT=saved` (Debian ships `0`, under which the newest
 *    kernel, the trial one, would be the default) and `GRUB_SAVEDEFAULT=false` (else GRUB would
 *    save whatever booted, the trial, as the new default).
 *  - `grub-set-default <known-good id>` writes `saved_entry` to /boot/grub/grubenv.
 *  - A generated entry `kernel-rollout-trial` (a copy of the new kernel's entry with `panic=N
 *    oops=panic kernel_rollout.trial=TOKEN` appended) is added by /etc/grub.d/42_kernel_rollout_trial.
 *  - `grub-reboot kernel-rollout-trial` writes `next_entry`; Debian's grub.cfg clears it as it
 *    boots it, so the boot after the trial is the saved default again.
 */
import { GRUB_ENTRY_ID_RE, KERNEL_ARG_RE, KERNEL_RELEASE_RE, assertMatches, shellQuote } from '../../shared/shell';
import { sectionCommand, splitSections } from '../sections';
import { UnsafeHostError, sudo, type HostSession } from '../host';
import type { BootloaderAssessment, BootloaderDetails, BootloaderDriver, PreparedTrial } from './bootloader';

export const GRUBENV_PATH = '/boot/grub/grubenv';
export const GRUB_CFG_PATH = '/boot/grub/grub.cfg';
export const DEFAULT_GRUB_PATH = '/etc/default/grub';
export const TRIAL_SCRIPT_PATH = '/etc/grub.d/42_kernel_rollout_trial';
export const TRIAL_ENTRY_ID = 'kernel-rollout-trial';
export const DEFAULT_GRUB_BACKUP_PATH = '/etc/default/grub.kernel-rollout.bak';

export interface GrubMenuEntry {
  /** Full id as grub-set-default takes it: `submenu-id>entry-id` for nested entries. */
  id: string;
  title: string;
  /** Kernel release from the `linux` line, or null (memtest, custom entries). */
  release: string | null;
  recovery: boolean;
  /** The entry's text from `menuentry` to its closing brace. */
  block: string;
}

const ENTRY_RE = /^\s*(menuentry|submenu)\s+(?:'([^']*)'|"([^"]*)")(.*)\{\s*$/;
const ID_RE = /\$menuentry_id_option\s+'([^']+)'/;
const LINUX_RE = /^\s*linux\s+(\S*\/vmlinuz-(\S+))/;

/** Menu entries of a generated grub.cfg, with submenu-qualified ids. */
export function parseGrubCfg(text: string): GrubMenuEntry[] {
  const lines = text.split('\n');
  const entries: GrubMenuEntry[] = [];
  type Open = {
    kind: 'menuentry' | 'submenu' | 'other';
    id: string;
    title: string;
    start: number;
    release: string | null;
  };
  const stack: Open[] = [];
  lines.forEach((line, i) => {
    const m = ENTRY_RE.exec(line);
    if (m) {
      const title = m[2] ?? m[3] ?? '';
      const id = ID_RE.exec(m[4] ?? '')?.[1] ?? title;
      stack.push({ kind: m[1] as 'menuentry' | 'submenu', id, title, start: i, release: null });
      return;
    }
    if (/\{\s*$/.test(line) && !/^\s*#/.test(line)) {
      stack.push({ kind: 'other', id: '', title: '', start: i, release: null });
      return;
    }
    const linux = LINUX_RE.exec(line);
    if (linux) {
      const top = stack[stack.length - 1];
      if (top && top.kind === 'menuentry') top.release = linux[2] ?? null;
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
export function entryForRelease(entries: GrubMenuEntry[], release: string): GrubMenuEntry | null {
  const candidates = entries.filter((e) => e.release === release && !e.recovery && e.id !== TRIAL_ENTRY_ID);
  return candidates.find((e) => e.id.includes('>')) ?? candidates.find((e) => !e.id.includes('simple')) ?? null;
}

/** grubenv file or `grub-editenv list` output → variables. Comments and `#` padding are skipped. */
export function parseGrubenv(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || !line.includes('=')) continue;
    const at = line.indexOf('=');
    vars[line.slice(0, at)] = line.slice(at + 1);
  }
  return vars;
}

/** Assignments in /etc/default/grub (a shell fragment): the last one wins, quotes removed. */
export function parseDefaultGrub(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const m = /^\s*(?:export\s+)?([A-Z_][A-Z0-9_]*)=(.*)$/.exec(raw);
    if (!m || !m[1]) continue;
    let value = (m[2] ?? '').trim();
    const dq = /^"((?:[^"\\]|\\.)*)"/.exec(value);
    const sq = /^'([^']*)'/.exec(value);
    if (dq) value = (dq[1] ?? '').replace(/\\(.)/g, '$1');
    else if (sq) value = sq[1] ?? '';
    else value = value.split(/\s+#/)[0]?.trim() ?? '';
    vars[m[1]] = value;
  }
  return vars;
}

/** Shell commands (run as root) that set GRUB_DEFAULT=saved and GRUB_SAVEDEFAULT=false, keeping one backup. */
export function fixDefaultGrubCommand(): string {
  const f = DEFAULT_GRUB_PATH;
  const b = DEFAULT_GRUB_BACKUP_PATH;
  return [
    `[ -e ${b} ] || cp -p ${f} ${b}`,
    `if grep -q '^GRUB_DEFAULT=' ${f}; then sed -i 's/^GRUB_DEFAULT=.*/GRUB_DEFAULT=saved/' ${f}; else echo GRUB_DEFAULT=saved >> ${f}; fi`,
    `sed -i 's/^GRUB_SAVEDEFAULT=.*/GRUB_SAVEDEFAULT=false/' ${f}`,
  ].join(' && ');
}

export function setSavedDefaultCommand(entryId: string): string {
  assertMatches('entryId', entryId, GRUB_ENTRY_ID_RE, 'GRUB menu entry id');
  return `grub-set-default ${shellQuote(entryId)}`;
}

export function setOneShotCommand(entryId: string): string {
  assertMatches('entryId', entryId, GRUB_ENTRY_ID_RE, 'GRUB menu entry id');
  return `grub-reboot ${shellQuote(entryId)}`;
}

export function clearOneShotCommand(): string {
  return `grub-editenv ${GRUBENV_PATH} unset next_entry`;
}

/**
 * The /etc/grub.d script that emits the trial entry: the new kernel's own entry with the trial
 * arguments appended to its `linux` line and the fixed id `kernel-rollout-trial`.
 */
export function trialEntryScript(entry: GrubMenuEntry, release: string, args: readonly string[]): string {
  assertMatches('release', release, KERNEL_RELEASE_RE, 'kernel release');
  for (const arg of args) assertMatches('trialKernelArgs', arg, KERNEL_ARG_RE, 'kernel argument');
  const lines = entry.block.split('\n');
  let linuxSeen = false;
  const body = lines.map((line, i) => {
    if (i === 0) {
      return `menuentry 'kernel-rollout trial: ${release}' --class gnu-linux --class os $menuentry_id_option '${TRIAL_ENTRY_ID}' {`;
    }
    if (LINUX_RE.test(line)) {
      linuxSeen = true;
      const cleaned = line.replace(/\s(panic|oops)=\S+/g, '');
      return `${cleaned} ${args.join(' ')}`;
    }
    return line.replace(/^\t/, '');
  });
  if (!linuxSeen) throw new Error(`the GRUB entry ${entry.id} has no linux line to extend`);
  if (body.some((l) => l.includes('KERNEL_ROLLOUT_EOF'))) throw new Error('unexpected marker in the GRUB entry');
  return [
    '#! /bin/sh',
    '# Written by kernel-rollout: a one-shot trial boot of a new kernel with panic=N.',
    '# Removed when the trial is committed or rolled back. Safe to delete by hand.',
    "cat <<'KERNEL_ROLLOUT_EOF'",
    ...body,
    'KERNEL_ROLLOUT_EOF',
    '',
  ].join('\n');
}

/** Why GRUB cannot write grubenv at boot on this storage, or null. */
export function grubenvWritability(findmnt: string, blockTypes: string): string | null {
  const [source = '', fstype = ''] = findmnt.trim().split(/\s+/);
  const types = blockTypes.split(/\s+/).filter(Boolean);
  if (fstype === 'btrfs' || fstype === 'zfs') return `/boot/grub is on ${fstype}`;
  if (types.includes('crypt')) return '/boot/grub is on an encrypted device';
  if (types.includes('lvm') || source.startsWith('/dev/mapper/')) return '/boot/grub is on LVM or device-mapper';
  if (types.some((t) => /^raid/.test(t)) || /^\/dev\/md/.test(source)) return '/boot/grub is on md-raid';
  return null;
}

/** GRUB's facts as preflight reports them (HostFacts.bootloader.details). */
export type GrubFacts = {
  /** GRUB_DEFAULT from /etc/default/grub (after sourcing-like parsing). */
  grubDefault: string | null;
  grubSaveDefault: boolean;
  grubTimeout: number | null;
  savedEntry: string | null;
  nextEntry: string | null;
  /** Reason GRUB cannot write grubenv at boot, or null when it can. */
  envNotWritableReason: string | null;
  /** Menu entry ids for each installed kernel release. */
  entries: { release: string; id: string; title: string }[];
  /** The entry that would be pinned for the running kernel (null: none, it cannot be the known-good). */
  runningKernelEntry: string | null;
};

/** The preflight sections this driver reads (their names and commands are part of the facts script). */
const FACT_SECTIONS = [
  ['findmnt', 'findmnt -n -o SOURCE,FSTYPE -T /boot/grub'],
  ['lsblk-types', 'lsblk -n -s -o TYPE "$(findmnt -n -o SOURCE -T /boot/grub)"'],
  ['default-grub', 'cat /etc/default/grub; for f in /etc/default/grub.d/*.cfg; do [ -r "$f" ] && cat "$f"; done'],
  ['grubenv', `grub-editenv ${GRUBENV_PATH} list`],
  ['grub-cfg', `cat ${GRUB_CFG_PATH}`],
] as const;

/**
 * GRUB's facts, or null when GRUB does not boot this host. The evidence is its generated grub.cfg
 * with menu entries: /etc/default/grub or a grubenv alone is not (a host booted by another
 * loader may keep them), so they never make GRUB claim a host (bootloader.ts, the order rule).
 */
export function readGrubFacts(sections: Readonly<Record<string, string>>): GrubFacts | null {
  const entries = parseGrubCfg(sections['grub-cfg'] ?? '');
  if (entries.length === 0) return null;
  const defaults = parseDefaultGrub(sections['default-grub'] ?? '');
  const env = parseGrubenv(sections['grubenv'] ?? '');
  const timeout = defaults['GRUB_TIMEOUT'];
  const running = (sections['uname-r'] ?? '').trim();
  return {
    grubDefault: defaults['GRUB_DEFAULT'] ?? null,
    grubSaveDefault: defaults['GRUB_SAVEDEFAULT'] === 'true',
    grubTimeout: timeout !== undefined && /^-?\d+$/.test(timeout) ? Number(timeout) : null,
    savedEntry: env['saved_entry'] || null,
    nextEntry: env['next_entry'] || null,
    envNotWritableReason: grubenvWritability(sections['findmnt'] ?? '', sections['lsblk-types'] ?? ''),
    entries: entries
      .filter((e) => e.release && !e.recovery && e.id.includes('>'))
      .map((e) => ({ release: e.release as string, id: e.id, title: e.title })),
    runningKernelEntry: running ? (entryForRelease(entries, running)?.id ?? null) : null,
  };
}

const NOT_FOUND_HINT =
  'no GRUB 2 menu entries found in /boot/grub/grub.cfg; is grub-pc or grub-efi installed and update-grub run?';

/** What is unsafe on this host with GRUB, what pinning fixes, what is worth knowing. */
export function assessGrub(
  grub: GrubFacts,
  ctx: { host: string; runningKernel: string; toRelease: string },
): BootloaderAssessment {
  const refusals: string[] = [];
  const fixes: string[] = [];
  const warnings: string[] = [];
  if (grub.entries.length === 0) {
    refusals.push(NOT_FOUND_HINT);
  } else if (ctx.runningKernel !== ctx.toRelease && !grub.runningKernelEntry) {
    refusals.push(
      `the running kernel ${ctx.runningKernel} has no GRUB entry to keep as the known-good default; run update-grub or reboot into an installed kernel first`,
    );
  }
  if (grub.grubDefault !== 'saved') {
    fixes.push(`GRUB_DEFAULT=${grub.grubDefault ?? '(unset)'} becomes saved (backup: ${DEFAULT_GRUB_BACKUP_PATH})`);
  }
  if (grub.grubSaveDefault) fixes.push('GRUB_SAVEDEFAULT=true becomes false (it would save the trial as the default)');
  if (grub.nextEntry)
    warnings.push(`a one-shot entry is already set (next_entry=${grub.nextEntry}); stage replaces it`);
  const why = grub.envNotWritableReason;
  return {
    capabilities: {
      clearsOneShotAtBoot: why
        ? {
            ok: false,
            reason: `${why}: GRUB cannot clear its one-shot entry there, so a panicking kernel would boot again and again; move /boot to a plain ext4/xfs partition, or use --kexec (the trial is loaded by kexec and GRUB only reads the saved default)`,
          }
        : { ok: true },
    },
    refusals,
    fixes,
    warnings,
  };
}

async function readGrubState(s: HostSession) {
  const sections = splitSections(
    await s.run(
      [
        sectionCommand('defaults', `cat ${DEFAULT_GRUB_PATH}`),
        sectionCommand('env', `grub-editenv ${GRUBENV_PATH} list`),
        sectionCommand('cfg', `cat ${GRUB_CFG_PATH}`),
      ].join('\n'),
      sudo,
    ),
  );
  return {
    defaults: parseDefaultGrub(sections['defaults'] ?? ''),
    env: parseGrubenv(sections['env'] ?? ''),
    entries: parseGrubCfg(sections['cfg'] ?? ''),
  };
}

async function readGrubenv(s: HostSession): Promise<Record<string, string>> {
  return parseGrubenv(await s.run(`grub-editenv ${GRUBENV_PATH} list`, sudo));
}

function updateGrub(s: HostSession): Promise<string> {
  return s.run('update-grub', { ...sudo, timeoutMs: 300_000 });
}

/** saved default := `release`'s entry, fixing /etc/default/grub first if a saved default would not hold. */
async function pinSavedDefault(s: HostSession, release: string, host: string) {
  let state = await readGrubState(s);
  let fixed = false;
  if (state.defaults['GRUB_DEFAULT'] !== 'saved' || state.defaults['GRUB_SAVEDEFAULT'] === 'true') {
    await s.run(fixDefaultGrubCommand(), sudo);
    await updateGrub(s);
    fixed = true;
    state = await readGrubState(s);
  }
  let entry = entryForRelease(state.entries, release);
  if (!entry) {
    await updateGrub(s);
    state = await readGrubState(s);
    entry = entryForRelease(state.entries, release);
  }
  if (!entry) throw new UnsafeHostError(`${host}: no GRUB entry boots ${release}; run update-grub and check /boot`);
  if (state.env['saved_entry'] !== entry.id) {
    await s.run(setSavedDefaultCommand(entry.id), sudo);
    const env = await readGrubenv(s);
    if (env['saved_entry'] !== entry.id) {
      throw new Error(`${host}: saved_entry reads back as ${env['saved_entry'] ?? '(unset)'}, expected ${entry.id}`);
    }
  }
  return { entry, fixed, state };
}

function grubFactsOf(details: BootloaderDetails): GrubFacts {
  // Written by readGrubFacts in the same worker and carried as JSON in HostFacts.
  return details as GrubFacts;
}

export const grubDebian: BootloaderDriver = {
  kind: 'grub-debian',
  factSections: FACT_SECTIONS,
  notFoundHint: NOT_FOUND_HINT,
  readFacts: readGrubFacts,

  summary(details) {
    const grub = grubFactsOf(details);
    return [
      `GRUB_DEFAULT=${grub.grubDefault ?? '(unset)'}, saved_entry=${grub.savedEntry ?? '(unset)'}, next_entry=${grub.nextEntry ?? '(unset)'}`,
    ];
  },

  assess: (details, ctx) => assessGrub(grubFactsOf(details), ctx),

  clearOneShotCommand,

  async pinDefault(s, release, host) {
    const { entry, fixed } = await pinSavedDefault(s, release, host);
    return { entry: entry.id, fixedConfiguration: fixed, backupPath: fixed ? DEFAULT_GRUB_BACKUP_PATH : null };
  },

  async prepareTrial(s, req): Promise<PreparedTrial> {
    const { entry: knownGood, state } = await pinSavedDefault(s, req.knownGoodRelease, req.host);
    const target = entryForRelease(state.entries, req.toRelease);
    if (!target) throw new UnsafeHostError(`${req.host}: no GRUB entry boots ${req.toRelease}; is it installed?`);
    return {
      knownGoodEntry: knownGood.id,
      async stageOneShot(kernelArgs) {
        await s.run(`cat > ${TRIAL_SCRIPT_PATH} && chmod 755 ${TRIAL_SCRIPT_PATH}`, {
          ...sudo,
          stdin: trialEntryScript(target, req.toRelease, kernelArgs),
        });
        await updateGrub(s);
        const after = await readGrubState(s);
        if (!after.entries.some((e) => e.id === TRIAL_ENTRY_ID)) {
          throw new Error(`${req.host}: update-grub did not emit the trial entry ${TRIAL_ENTRY_ID}`);
        }
        await s.run(setOneShotCommand(TRIAL_ENTRY_ID), sudo);
        return TRIAL_ENTRY_ID;
      },
    };
  },

  async clearOneShot(s) {
    await s.run(clearOneShotCommand(), sudo);
  },

  async readState(s) {
    const env = await readGrubenv(s);
    return {
      defaultEntry: env['saved_entry'] ?? null,
      oneShotEntry: env['next_entry'] || null,
      readBack: `grubenv reads back saved_entry=${env['saved_entry'] ?? ''} next_entry=${env['next_entry'] ?? ''}`,
    };
  },

  async disarm(s, alongWith) {
    // Each step is safe to repeat; update-grub only runs when the trial entry was there.
    const out = await s.run(
      [
        clearOneShotCommand(),
        ...alongWith,
        `if [ -e ${TRIAL_SCRIPT_PATH} ]; then rm -f ${TRIAL_SCRIPT_PATH} && echo removed-trial-entry; fi`,
      ].join('; '),
      sudo,
    );
    if (out.includes('removed-trial-entry')) await updateGrub(s);
  },
};
