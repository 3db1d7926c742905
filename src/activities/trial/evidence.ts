/**
 * Rollback evidence: what the trial boot left behind, read from that boot and no other.
 *
 * The workflow names the trial boot (a boot it saw running the trial kernel) or the two boots
 * around it (the one the trial reboot left and the one the host came back in on the known-good
 * kernel); the host's `journalctl --list-boots` says which boot came between. "The previous boot"
 * is not good enough: a trial that panicked before journald ran (in the initramfs, or with
 * init=/bin/false) is not in the journal at all, so the previous boot is the one before the trial;
 * and when health fails the evidence is read while the trial boot is still the current one.
 * A trial boot that left no journal is said to have done so, and pstore is read instead (the
 * serial console cannot be reached from here). kernel-rollout's own SSH logins, connection probes
 * and sudo commands are left out of the journal lines, and the whole stays short.
 */
import { shellQuote } from '../../shared/shell';
import type { TrialBootRef } from '../../shared/types';
import { sudo, type HostSession } from '../host';
import { REVERT_SERVICE_UNIT } from './revert-timer';

/** One line of `journalctl --list-boots`. */
export interface JournalBoot {
  /** 0 is the current boot, -1 the one before, ... */
  offset: number;
  /** 32 lowercase hex digits, no dashes (as the journal prints it). */
  id: string;
  firstEntry: string;
  lastEntry: string;
  /** The times as seconds since the epoch, when the journal printed them in UTC. */
  firstEpochSeconds: number | null;
  lastEpochSeconds: number | null;
}

export type TrialBootChoice =
  | { kind: 'journal'; boot: JournalBoot; current: boolean; note: string }
  | { kind: 'no-journal'; before: JournalBoot; fallback: JournalBoot }
  | { kind: 'unknown'; why: string; pstoreSinceEpochSeconds: number | null };

/** Journal lines shown at most, after kernel-rollout's own lines are left out. */
export const MAX_JOURNAL_LINES = 15;
const MAX_EVIDENCE_CHARS = 2500;
const MAX_LINE_CHARS = 200;
const REVERT_MARK = '--kernel-rollout-revert-service--';

/** A boot id as /proc has it (with dashes) or as the journal prints it (without): 32 hex digits. */
export function normalizeBootId(id: string): string | null {
  const hex = id.trim().toLowerCase().replace(/-/g, '');
  return /^[0-9a-f]{32}$/.test(hex) ? hex : null;
}

const TIMESTAMP_RE = /[A-Z][a-z]{2} (\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) ([A-Za-z0-9+:_/-]+)/g;

function epochSeconds(date: string, time: string, zone: string): number | null {
  if (zone !== 'UTC') return null;
  const ms = Date.parse(`${date}T${time}Z`);
  return Number.isNaN(ms) ? null : ms / 1000;
}

/**
 * Parses `journalctl --list-boots`: systemd 251 and later print a table under an
 * `IDX BOOT ID FIRST ENTRY LAST ENTRY` header, older versions `-1 <id> <first>—<last>`. Lines that
 * are not a boot (the header, "No journal files were found.") are skipped.
 */
export function parseListBoots(text: string): JournalBoot[] {
  const boots: JournalBoot[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*(-?\d+)\s+([0-9a-fA-F]{32})\s+(.*)$/.exec(line);
    if (!m) continue;
    const stamps = [...(m[3] ?? '').matchAll(TIMESTAMP_RE)];
    const [first, last] = stamps;
    boots.push({
      offset: Number(m[1]),
      id: (m[2] ?? '').toLowerCase(),
      firstEntry: first?.[0] ?? '',
      lastEntry: last?.[0] ?? '',
      firstEpochSeconds: first ? epochSeconds(first[1] ?? '', first[2] ?? '', first[3] ?? '') : null,
      lastEpochSeconds: last ? epochSeconds(last[1] ?? '', last[2] ?? '', last[3] ?? '') : null,
    });
  }
  return boots;
}

const short = (id: string) => `${id.slice(0, 8)}…`;

/**
 * Which boot of the journal was the trial, from what the run saw. Pure: `boots` as parsed,
 * `currentBootId` as the host reads it now. `ref` absent (a run started before the run named the
 * trial boot): the boot before the current one, said to be a guess.
 */
export function chooseTrialBoot(
  boots: JournalBoot[],
  ref: TrialBootRef | undefined,
  currentBootId: string,
): TrialBootChoice {
  const current = normalizeBootId(currentBootId);
  const indexOf = (id: string | null) => (id === null ? -1 : boots.findIndex((b) => b.id === id));
  if (boots.length === 0) {
    return {
      kind: 'unknown',
      why: 'the journal lists no boots here (no persistent journal?)',
      pstoreSinceEpochSeconds: null,
    };
  }
  if (ref === undefined) {
    const i = indexOf(current);
    const previous = i > 0 ? boots[i - 1] : undefined;
    if (!previous) {
      return { kind: 'unknown', why: 'the journal has no boot before this one', pstoreSinceEpochSeconds: null };
    }
    return {
      kind: 'journal',
      boot: previous,
      current: false,
      note: 'the boot before this one; this run did not name the trial boot',
    };
  }
  if (ref.kind === 'no-reboot') {
    return { kind: 'unknown', why: 'nothing was rebooted: there is no trial boot', pstoreSinceEpochSeconds: null };
  }
  if (ref.kind === 'seen') {
    const id = normalizeBootId(ref.trialBootId);
    const i = indexOf(id);
    const boot = boots[i];
    if (id === null || !boot) {
      return {
        kind: 'unknown',
        why: `the trial boot ${id ?? ref.trialBootId} is not in the journal (not persistent, or rotated away)`,
        pstoreSinceEpochSeconds: null,
      };
    }
    const isCurrent = id === current;
    return {
      kind: 'journal',
      boot,
      current: isCurrent,
      note: isCurrent
        ? 'still running: read before the rollback reboot'
        : 'the boot the run saw running the trial kernel',
    };
  }
  const before = normalizeBootId(ref.bootIdBefore);
  const fallback = normalizeBootId(ref.fallbackBootId);
  const i = indexOf(before);
  const j = indexOf(fallback);
  const beforeBoot = boots[i];
  const fallbackBoot = boots[j];
  if (!fallbackBoot) {
    return {
      kind: 'unknown',
      why: `the boot the host came back in (${fallback ?? ref.fallbackBootId}) is not in the journal`,
      pstoreSinceEpochSeconds: beforeBoot?.lastEpochSeconds ?? null,
    };
  }
  if (!beforeBoot) {
    return {
      kind: 'unknown',
      why: `the journal does not reach back to the boot before the trial (${before ?? ref.bootIdBefore}): which boot was the trial cannot be told`,
      pstoreSinceEpochSeconds: null,
    };
  }
  if (j <= i) {
    return {
      kind: 'unknown',
      why: `the journal lists the boot the host came back in (${short(fallbackBoot.id)}) before the boot the trial reboot left (${short(beforeBoot.id)})`,
      pstoreSinceEpochSeconds: null,
    };
  }
  if (j === i + 1) return { kind: 'no-journal', before: beforeBoot, fallback: fallbackBoot };
  const trial = boots[i + 1] as JournalBoot;
  const between = j - i - 1;
  return {
    kind: 'journal',
    boot: trial,
    current: false,
    note:
      between === 1
        ? 'between the boot the reboot left and the one the host came back in'
        : `the first of ${between} boots between the boot the reboot left and the one the host came back in`,
  };
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Whether a journal line (`-o short-monotonic`: `[  12.345678] host ident[pid]: message`) is
 * kernel-rollout's own doing: its SSH logins as `user`, the connection probes of the wait for the
 * host, its sudo commands and the login sessions they open. Never kernel or unit messages.
 */
export function isOwnNoise(line: string, user: string): boolean {
  const m = /^\[\s*[\d.]+\]\s+\S+\s+([^\s[:]+)(?:\[\d+\])?:\s?(.*)$/.exec(line);
  if (!m) return false;
  const ident = m[1] ?? '';
  const msg = m[2] ?? '';
  const u = escapeRe(user);
  if (ident === 'sshd' || ident === 'sshd-session') {
    return new RegExp(
      [
        `^Accepted \\S+ for ${u} from `,
        `^pam_unix\\(sshd:session\\): session (opened|closed) for user ${u}\\b`,
        `^pam_systemd\\(sshd:session\\): .*\\b${u}\\b`,
        `^(Received disconnect|Disconnected) from (user ${u} )?\\S+ port \\d+`,
        '^Connection (closed|reset) by (\\S+ )?\\S+ port \\d+',
        '^(error: )?kex_exchange_identification: ',
        '^banner exchange: ',
        '^Timeout before authentication for ',
      ].join('|'),
    ).test(msg);
  }
  if (ident === 'sudo') {
    return (
      new RegExp(`^\\s*${u} : .*COMMAND=`).test(msg) ||
      new RegExp(`^pam_unix\\(sudo:session\\): session (opened|closed) for user root(\\(uid=0\\))?( by ${u}.*)?$`).test(
        msg,
      )
    );
  }
  if (ident === 'systemd-logind') {
    return new RegExp(`^(New session \\S+ of user ${u}\\.|Session \\S+ logged out\\.|Removed session \\S+\\.)`).test(
      msg,
    );
  }
  if (ident === 'systemd') return /^session-\S+\.scope: /.test(msg) || /^Started session-\S+\.scope\b/.test(msg);
  return false;
}

/** The command that reads the current boot id and the journal's list of boots (times in UTC). */
export const LIST_BOOTS_COMMAND =
  'cat /proc/sys/kernel/random/boot_id; TZ=UTC journalctl --list-boots --no-pager --full 2>&1 | tail -n 100';

/** Warnings and errors of one boot, then the revert service's lines of that boot. */
export function journalCommand(bootId: string): string {
  const id = normalizeBootId(bootId);
  if (id === null) throw new Error(`not a boot id: ${JSON.stringify(bootId)}`);
  const b = shellQuote(id);
  return (
    `journalctl -b ${b} -p warning -n 300 --no-pager -o short-monotonic 2>&1; ` +
    `echo ${REVERT_MARK}; ` +
    `journalctl -b ${b} -u ${REVERT_SERVICE_UNIT} -n 5 --no-pager -o short-monotonic 2>&1`
  );
}

/**
 * pstore records (the kernel's last words, where a backend keeps them across a reset): those
 * under /sys/fs/pstore and those systemd-pstore moved to /var/lib/systemd/pstore, newer than
 * `sinceEpochSeconds` (when known; without it only /sys/fs/pstore). Compressed records are named.
 */
export function pstoreCommand(sinceEpochSeconds: number | null): string {
  const since = sinceEpochSeconds === null ? null : Math.floor(sinceEpochSeconds);
  if (since !== null && !(Number.isSafeInteger(since) && since > 0)) throw new Error(`not a time: ${since}`);
  const dirs = since === null ? '/sys/fs/pstore' : '/sys/fs/pstore /var/lib/systemd/pstore';
  const newer = since === null ? '' : ` -newermt @${since}`;
  return (
    `find ${dirs} -type f${newer} 2>/dev/null | head -n 3 | while IFS= read -r f; do ` +
    `echo "== $f"; case "$f" in *.z) echo '(compressed)' ;; *) tail -n 12 -- "$f" ;; esac; done`
  );
}

/** Keeps lines of printable text only, without journalctl's "-- No entries --" and the like. */
function journalLines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.replace(/[^\t\x20-\x7e\u00a0-\uffff]/g, '').trimEnd())
    .map((l) => (l.length > MAX_LINE_CHARS ? `${l.slice(0, MAX_LINE_CHARS)}…` : l))
    .filter((l) => l !== '' && !l.startsWith('-- '));
}

/** What the journal said for the chosen boot, with kernel-rollout's own lines left out. */
export function summarizeJournal(
  output: string,
  user: string,
): { warnings: string[]; dropped: number; total: number; revert: string[] } {
  const [warningsPart = '', revertPart = ''] = output.split(REVERT_MARK);
  const all = journalLines(warningsPart);
  const kept = all.filter((l) => !isOwnNoise(l, user));
  return {
    warnings: kept.slice(-MAX_JOURNAL_LINES),
    dropped: all.length - kept.length,
    total: kept.length,
    revert: journalLines(revertPart).slice(-5),
  };
}

/** The evidence as one short text for the timeline. */
export function formatEvidence(
  choice: TrialBootChoice,
  journal: ReturnType<typeof summarizeJournal> | null,
  pstore: string,
): string {
  const out: string[] = [];
  if (choice.kind === 'journal') {
    const b = choice.boot;
    out.push(`trial boot ${b.id} (journal offset ${b.offset}, ${b.firstEntry} – ${b.lastEntry}; ${choice.note})`);
    if (journal) {
      const shown = journal.warnings.length;
      const own = journal.dropped > 0 ? `; ${journal.dropped} of kernel-rollout's own SSH/sudo lines left out` : '';
      out.push(
        shown === 0
          ? `no warnings or errors in that boot's journal${own}`
          : `${shown === journal.total ? shown : `last ${shown} of ${journal.total}`} warning/error line(s)${own}:`,
      );
      out.push(...journal.warnings);
      if (journal.revert.length > 0) out.push('revert service:', ...journal.revert);
    }
  } else if (choice.kind === 'no-journal') {
    out.push(
      `the trial boot left no journal (root was probably never mounted): the journal goes from ${choice.before.id} ` +
        `(the boot the trial reboot left) straight to ${choice.fallback.id} (back on the known-good kernel)`,
    );
  } else {
    out.push(choice.why);
  }
  const p = journalLines(pstore);
  if (choice.kind !== 'journal' || !choice.current) out.push(p.length > 0 ? 'pstore:' : 'pstore: nothing recorded');
  out.push(...p);
  const text = out.join('\n');
  return text.length > MAX_EVIDENCE_CHARS ? `${text.slice(0, MAX_EVIDENCE_CHARS)}…` : text;
}

/** When pstore records could be the trial's: after the boot the trial reboot left ended. */
function pstoreSince(choice: TrialBootChoice): number | null {
  if (choice.kind === 'no-journal') return choice.before.lastEpochSeconds;
  if (choice.kind === 'journal') return choice.boot.firstEpochSeconds;
  return choice.pstoreSinceEpochSeconds;
}

/**
 * Reads the evidence of the trial boot on the host (read-only; never throws for what it cannot
 * read: it says so in the text). `user` is the SSH user, whose own log lines are left out.
 */
export async function collectTrialEvidence(
  s: HostSession,
  ref: TrialBootRef | undefined,
  user: string,
): Promise<string> {
  if (ref?.kind === 'no-reboot') return '';
  const listing = await s.exec(LIST_BOOTS_COMMAND, { ...sudo, timeoutMs: 30_000 });
  const [currentLine = '', ...rest] = listing.stdout.split('\n');
  const choice = chooseTrialBoot(parseListBoots(rest.join('\n')), ref, currentLine);
  let journal: ReturnType<typeof summarizeJournal> | null = null;
  if (choice.kind === 'journal') {
    const out = await s.exec(journalCommand(choice.boot.id), { ...sudo, timeoutMs: 30_000 });
    journal = summarizeJournal(out.stdout, user);
  }
  let pstore = '';
  if (choice.kind !== 'journal' || !choice.current) {
    pstore = (await s.exec(pstoreCommand(pstoreSince(choice)), { ...sudo, timeoutMs: 30_000 })).stdout;
  }
  return formatEvidence(choice, journal, pstore);
}
