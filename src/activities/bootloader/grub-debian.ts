/**
 * GRUB 2 as Debian and Ubuntu ship it: parsers of the files it writes and builders of the
 * commands that change them. Pure functions; the activities run the commands over SSH.
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
import {
  GRUB_ENTRY_ID_RE,
  KERNEL_ARG_RE,
  KERNEL_RELEASE_RE,
  assertMatches,
  shellQuote,
  trialArgProblem,
} from '../../shared/shell';

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

/** Kernel arguments that make a trial boot fall back by itself. */
export function trialKernelArgs(panicSeconds: number, trialToken: string, extra: readonly string[]): string[] {
  if (!Number.isInteger(panicSeconds) || panicSeconds < 1 || panicSeconds > 3600) {
    throw new Error(`panicSeconds: ${panicSeconds} must be a whole number of seconds from 1 to 3600`);
  }
  assertMatches('trialToken', trialToken, /^[A-Za-z0-9]{1,64}$/, 'trial token');
  for (const arg of extra) {
    assertMatches('trialKernelArgs', arg, KERNEL_ARG_RE, 'kernel argument');
    const bad = trialArgProblem(arg);
    if (bad?.kind === 'override') throw new Error(`trialKernelArgs: refused: ${bad.reason}`);
  }
  return [`panic=${panicSeconds}`, 'oops=panic', `kernel_rollout.trial=${trialToken}`, ...extra];
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

/** The host-side revert timer (DESIGN §4.2): on the trial boot only, reboot unless confirmed. */
export const REVERT_TIMER_UNIT = 'kernel-rollout-revert.timer';
export const REVERT_SERVICE_UNIT = 'kernel-rollout-revert.service';
export const CONFIRM_FLAG = '/run/kernel-rollout/confirmed';

export function revertUnits(trialToken: string, afterSeconds: number): { timer: string; service: string } {
  assertMatches('trialToken', trialToken, /^[A-Za-z0-9]{1,64}$/, 'trial token');
  if (!Number.isInteger(afterSeconds) || afterSeconds < 30) throw new Error('revertAfterSeconds: at least 30');
  const condition = `ConditionKernelCommandLine=kernel_rollout.trial=${trialToken}`;
  return {
    timer: [
      '[Unit]',
      'Description=kernel-rollout: revert an unconfirmed trial kernel',
      condition,
      '',
      '[Timer]',
      `OnBootSec=${afterSeconds}s`,
      'AccuracySec=1s',
      '',
      '[Install]',
      'WantedBy=timers.target',
      '',
    ].join('\n'),
    service: [
      '[Unit]',
      'Description=kernel-rollout: reboot into the known-good kernel (trial not confirmed)',
      condition,
      `ConditionPathExists=!${CONFIRM_FLAG}`,
      '',
      '[Service]',
      'Type=oneshot',
      // The one-shot is spent already; clearing it again is belt and braces. If systemd cannot
      // reboot cleanly (no D-Bus, stuck unit), force it.
      `ExecStart=/bin/sh -c '${clearOneShotCommand()}; systemctl reboot || reboot -f'`,
      '',
    ].join('\n'),
  };
}
