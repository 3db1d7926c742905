"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.PANIC_CONTEXT_LINES = exports.PSTORE_DIRS = exports.LIST_BOOTS_COMMAND = exports.MAX_JOURNAL_LINES = void 0;
exports.normalizeBootId = normalizeBootId;
exports.parseListBoots = parseListBoots;
exports.chooseTrialBoot = chooseTrialBoot;
exports.isOwnNoise = isOwnNoise;
exports.journalCommand = journalCommand;
exports.pstoreCommand = pstoreCommand;
exports.summarizePstore = summarizePstore;
exports.summarizeJournal = summarizeJournal;
exports.formatEvidence = formatEvidence;
exports.collectTrialEvidence = collectTrialEvidence;
/**
 * Rollback evidence: what the trial boot left behind, read from that boot and no other.
 *
 * The workflow names the trial boot (a boot it saw running the trial kernel) or the two boots
 * around it (the one the trial reboot left and the one the host came back in on the known-good
 * kernel); the host's `journalctl --list-boots` says which boot came between. "The previous boot"
 * is not good enough: a trial that panicked before journald ran (in the initramfs, or with
 * init=/bin/false) is not in the journal at all, so the previous boot is the one before the trial;
 * and when health fails the evidence is read while the trial boot is still the current one.
 * A trial boot that left no journal is said to have done so, and pstore is read instead: on UEFI
 * hosts the firmware's variables (efi_pstore) keep a panic's last lines, which systemd-pstore
 * archives on the next boot; the panic line and the few before it are shown. Where the host's
 * power driver has its console (qmp: qemu's serial log on the worker), its last lines are added. kernel-rollout's own SSH logins, connection probes
 * and sudo commands are left out of the journal lines, and the whole stays short.
 */
const shell_1 = require("../../shared/shell");
const host_1 = require("../host");
const revert_timer_1 = require("./revert-timer");
/** Journal lines shown at most, after kernel-rollout's own lines are left out. */
exports.MAX_JOURNAL_LINES = 15;
const MAX_EVIDENCE_CHARS = 2500;
const MAX_LINE_CHARS = 200;
const REVERT_MARK = '--kernel-rollout-revert-service--';
/** A boot id as /proc has it (with dashes) or as the journal prints it (without): 32 hex digits. */
function normalizeBootId(id) {
    const hex = id.trim().toLowerCase().replace(/-/g, '');
    return /^[0-9a-f]{32}$/.test(hex) ? hex : null;
}
const TIMESTAMP_RE = /[A-Z][a-z]{2} (\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) ([A-Za-z0-9+:_/-]+)/g;
function epochSeconds(date, time, zone) {
    if (zone !== 'UTC')
        return null;
    const ms = Date.parse(`${date}T${time}Z`);
    return Number.isNaN(ms) ? null : ms / 1000;
}
/**
 * Parses `journalctl --list-boots`: systemd 251 and later print a table under an
 * `IDX BOOT ID FIRST ENTRY LAST ENTRY` header, older versions `-1 <id> <first>—<last>`. Lines that
 * are not a boot (the header, "No journal files were found.") are skipped.
 */
function parseListBoots(text) {
    const boots = [];
    for (const line of text.split('\n')) {
        const m = /^\s*(-?\d+)\s+([0-9a-fA-F]{32})\s+(.*)$/.exec(line);
        if (!m)
            continue;
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
const short = (id) => `${id.slice(0, 8)}…`;
/**
 * Which boot of the journal was the trial, from what the run saw. Pure: `boots` as parsed,
 * `currentBootId` as the host reads it now. `ref` absent (a run started before the run named the
 * trial boot): the boot before the current one, said to be a guess.
 */
function chooseTrialBoot(boots, ref, currentBootId) {
    const current = normalizeBootId(currentBootId);
    const indexOf = (id) => (id === null ? -1 : boots.findIndex((b) => b.id === id));
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
    if (j === i + 1)
        return { kind: 'no-journal', before: beforeBoot, fallback: fallbackBoot };
    const trial = boots[i + 1];
    const between = j - i - 1;
    return {
        kind: 'journal',
        boot: trial,
        current: false,
        note: between === 1
            ? 'between the boot the reboot left and the one the host came back in'
            : `the first of ${between} boots between the boot the reboot left and the one the host came back in`,
    };
}
const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/**
 * Whether a journal line (`-o short-monotonic`: `[  12.345678] host ident[pid]: message`) is
 * kernel-rollout's own doing: its SSH logins as `user`, the connection probes of the wait for the
 * host, its sudo commands and the login sessions they open. Never kernel or unit messages.
 */
function isOwnNoise(line, user) {
    const m = /^\[\s*[\d.]+\]\s+\S+\s+([^\s[:]+)(?:\[\d+\])?:\s?(.*)$/.exec(line);
    if (!m)
        return false;
    const ident = m[1] ?? '';
    const msg = m[2] ?? '';
    const u = escapeRe(user);
    if (ident === 'sshd' || ident === 'sshd-session') {
        return new RegExp([
            `^Accepted \\S+ for ${u} from `,
            `^pam_unix\\(sshd:session\\): session (opened|closed) for user ${u}\\b`,
            `^pam_systemd\\(sshd:session\\): .*\\b${u}\\b`,
            `^(Received disconnect|Disconnected) from (user ${u} )?\\S+ port \\d+`,
            '^Connection (closed|reset) by (\\S+ )?\\S+ port \\d+',
            '^(error: )?kex_exchange_identification: ',
            '^banner exchange: ',
            '^Timeout before authentication for ',
        ].join('|')).test(msg);
    }
    if (ident === 'sudo') {
        return (new RegExp(`^\\s*${u} : .*COMMAND=`).test(msg) ||
            new RegExp(`^pam_unix\\(sudo:session\\): session (opened|closed) for user root(\\(uid=0\\))?( by ${u}.*)?$`).test(msg));
    }
    if (ident === 'systemd-logind') {
        return new RegExp(`^(New session \\S+ of user ${u}\\.|Session \\S+ logged out\\.|Removed session \\S+\\.)`).test(msg);
    }
    if (ident === 'systemd')
        return /^session-\S+\.scope: /.test(msg) || /^Started session-\S+\.scope\b/.test(msg);
    return false;
}
/** The command that reads the current boot id and the journal's list of boots (times in UTC). */
exports.LIST_BOOTS_COMMAND = 'cat /proc/sys/kernel/random/boot_id; TZ=UTC journalctl --list-boots --no-pager --full 2>&1 | tail -n 100';
/** Warnings and errors of one boot, then the revert service's lines of that boot. */
function journalCommand(bootId) {
    const id = normalizeBootId(bootId);
    if (id === null)
        throw new Error(`not a boot id: ${JSON.stringify(bootId)}`);
    const b = (0, shell_1.shellQuote)(id);
    return (`journalctl -b ${b} -p warning -n 300 --no-pager -o short-monotonic 2>&1; ` +
        `echo ${REVERT_MARK}; ` +
        `journalctl -b ${b} -u ${revert_timer_1.REVERT_SERVICE_UNIT} -n 5 --no-pager -o short-monotonic 2>&1`);
}
exports.PSTORE_DIRS = { live: '/sys/fs/pstore', archive: '/var/lib/systemd/pstore' };
/** pstore files read at most (an EFI panic record is many ~1 KiB parts), and lines of each. */
const PSTORE_MAX_FILES = 32;
const PSTORE_TAIL_LINES = 40;
/** Lines shown before the "Kernel panic - not syncing" line. */
exports.PANIC_CONTEXT_LINES = 6;
/**
 * pstore records (the kernel's last words, where a backend keeps them across a reset): those
 * under /sys/fs/pstore and those systemd-pstore archived under /var/lib/systemd/pstore on the next
 * boot (systemd 252 puts an EFI record's parts in <timestamp>/<count>/dmesg-efi-<id>, and writes
 * their text again as dmesg.txt beside them, which is left out here; a kernel that names them
 * dmesg-efi_pstore-<id> has them moved to the top directory), newer than `sinceEpochSeconds`
 * (when known; without it only /sys/fs/pstore). Each file is printed after `== <path> <mtime>`;
 * compressed records are named.
 */
function pstoreCommand(sinceEpochSeconds, dirs = exports.PSTORE_DIRS) {
    const since = sinceEpochSeconds === null ? null : Math.floor(sinceEpochSeconds);
    if (since !== null && !(Number.isSafeInteger(since) && since > 0))
        throw new Error(`not a time: ${since}`);
    const live = (0, shell_1.shellQuote)(dirs.live);
    const where = since === null ? live : `${live} ${(0, shell_1.shellQuote)(dirs.archive)}`;
    const newer = since === null ? '' : ` -newermt @${since}`;
    return (`find ${where} -type f${newer} ! -name dmesg.txt -printf '%T@ %p\\n' 2>/dev/null | sort -k2 | head -n ${PSTORE_MAX_FILES} | ` +
        `while read -r t f; do echo "== $f \${t%.*}"; case "$f" in *.z) echo '(compressed)' ;; *) tail -n ${PSTORE_TAIL_LINES} -- "$f" ;; esac; done`);
}
function parsePstoreFiles(output) {
    const files = [];
    for (const line of output.split('\n')) {
        const head = /^== (\S+)(?: (\d+))?$/.exec(line);
        if (head)
            files.push({ path: head[1] ?? '', mtime: head[2] ? Number(head[2]) : null, lines: [] });
        else
            files.at(-1)?.lines.push(line);
    }
    return files;
}
/**
 * An EFI dmesg record's id: the seconds it was written, then two digits of part and three of
 * count (the kernel's efi-pstore; systemd-pstore splits it the same way). Older kernels name the
 * files dmesg-efi-<id>, newer ones dmesg-efi_pstore-<id>.
 */
function efiRecordId(name) {
    const m = /^dmesg-efi(?:_pstore)?-(\d{6,})$/.exec(name);
    if (!m?.[1])
        return null;
    const id = m[1];
    return { seconds: Number(id.slice(0, -5)), part: Number(id.slice(-5, -3)), count: id.slice(-3) };
}
/**
 * pstore's records as evidence: each dmesg record (its parts put back in order; part 1 is the
 * end of the log) shown by the "Kernel panic - not syncing" line and the few before it (or its
 * last lines when it has none), only records written at or after `sinceEpochSeconds` when that is
 * known; other records (console, pmsg) by their last lines; compressed ones named.
 */
function summarizePstore(output, sinceEpochSeconds) {
    const records = new Map();
    const out = [];
    const since = sinceEpochSeconds === null ? null : Math.floor(sinceEpochSeconds);
    for (const file of parsePstoreFiles(output)) {
        const name = file.path.split('/').pop() ?? '';
        if (file.lines[0] === '(compressed)') {
            out.push(`${file.path}: compressed, not read`);
            continue;
        }
        const efi = efiRecordId(name);
        const dmesg = efi !== null || name.startsWith('dmesg-');
        if (!dmesg) {
            out.push(`${file.path}:`, ...journalLines(file.lines.join('\n')).slice(-5));
            continue;
        }
        const key = efi ? `efi ${efi.seconds} ${efi.count}` : file.path;
        const record = records.get(key) ?? {
            key,
            backend: efi ? 'efi' : (name.split('-')[1] ?? 'pstore'),
            epochSeconds: efi ? efi.seconds : file.mtime,
            parts: [],
        };
        record.parts.push({ part: efi?.part ?? 1, lines: file.lines, path: file.path });
        records.set(key, record);
    }
    for (const record of records.values()) {
        if (since !== null && record.epochSeconds !== null && record.epochSeconds < since)
            continue;
        // Highest part first: part 1 holds the end of the log, where the panic is.
        const parts = [...record.parts].sort((a, b) => b.part - a.part);
        const text = parts.flatMap((p) => p.lines.filter((l) => !/^(Panic|Oops|Emergency|Unknown)#\d+ Part\d+$/.test(l)));
        const lines = journalLines(text.join('\n')).map((l) => l.replace(/^<\d>/, ''));
        let at = lines.length - 1;
        while (at >= 0 && !(lines[at] ?? '').includes('Kernel panic - not syncing'))
            at--;
        const shown = at >= 0 ? lines.slice(Math.max(0, at - exports.PANIC_CONTEXT_LINES), at + 1) : lines.slice(-8);
        const when = record.epochSeconds === null ? '' : ` of ${new Date(record.epochSeconds * 1000).toISOString()}`;
        const where = parts[0]?.path ?? '';
        out.push(`${at >= 0 ? 'panic' : 'dmesg'} record${when} (${record.backend}, ${parts.length} part(s), ${where}):`, ...shown);
    }
    return out;
}
/** Keeps lines of printable text only, without journalctl's "-- No entries --" and the like. */
function journalLines(text) {
    return text
        .split('\n')
        .map((l) => l.replace(/[^\t\x20-\x7e\u00a0-\uffff]/g, '').trimEnd())
        .map((l) => (l.length > MAX_LINE_CHARS ? `${l.slice(0, MAX_LINE_CHARS)}…` : l))
        .filter((l) => l !== '' && !l.startsWith('-- '));
}
/** What the journal said for the chosen boot, with kernel-rollout's own lines left out. */
function summarizeJournal(output, user) {
    const [warningsPart = '', revertPart = ''] = output.split(REVERT_MARK);
    const all = journalLines(warningsPart);
    const kept = all.filter((l) => !isOwnNoise(l, user));
    return {
        warnings: kept.slice(-exports.MAX_JOURNAL_LINES),
        dropped: all.length - kept.length,
        total: kept.length,
        revert: journalLines(revertPart).slice(-5),
    };
}
/**
 * The evidence as one short text for the timeline. `pstore`: pstoreCommand's output, its records
 * from `pstoreSinceEpochSeconds` on; `consoleLines`: the end of the host's console, when its power
 * driver has one (read on the worker).
 */
function formatEvidence(choice, journal, pstore, pstoreSinceEpochSeconds = null, consoleLines = []) {
    const out = [];
    if (choice.kind === 'journal') {
        const b = choice.boot;
        out.push(`trial boot ${b.id} (journal offset ${b.offset}, ${b.firstEntry} – ${b.lastEntry}; ${choice.note})`);
        if (journal) {
            const shown = journal.warnings.length;
            const own = journal.dropped > 0 ? `; ${journal.dropped} of kernel-rollout's own SSH/sudo lines left out` : '';
            out.push(shown === 0
                ? `no warnings or errors in that boot's journal${own}`
                : `${shown === journal.total ? shown : `last ${shown} of ${journal.total}`} warning/error line(s)${own}:`);
            out.push(...journal.warnings);
            if (journal.revert.length > 0)
                out.push('revert service:', ...journal.revert);
        }
    }
    else if (choice.kind === 'no-journal') {
        out.push(`the trial boot left no journal (root was probably never mounted): the journal goes from ${choice.before.id} ` +
            `(the boot the trial reboot left) straight to ${choice.fallback.id} (back on the known-good kernel)`);
    }
    else {
        out.push(choice.why);
    }
    const p = summarizePstore(pstore, pstoreSinceEpochSeconds);
    if (choice.kind !== 'journal' || !choice.current)
        out.push(p.length > 0 ? 'pstore:' : 'pstore: nothing recorded');
    out.push(...p);
    if (consoleLines.length > 0)
        out.push('console (its last lines):', ...consoleLines);
    const text = out.join('\n');
    return text.length > MAX_EVIDENCE_CHARS ? `${text.slice(0, MAX_EVIDENCE_CHARS)}…` : text;
}
/** When pstore records could be the trial's: after the boot the trial reboot left ended. */
function pstoreSince(choice) {
    if (choice.kind === 'no-journal')
        return choice.before.lastEpochSeconds;
    if (choice.kind === 'journal')
        return choice.boot.firstEpochSeconds;
    return choice.pstoreSinceEpochSeconds;
}
/**
 * Reads the evidence of the trial boot on the host (read-only; never throws for what it cannot
 * read: it says so in the text). `user` is the SSH user, whose own log lines are left out.
 */
async function collectTrialEvidence(s, ref, user, readConsole, pstoreDirs = exports.PSTORE_DIRS) {
    if (ref?.kind === 'no-reboot')
        return '';
    const listing = await s.exec(exports.LIST_BOOTS_COMMAND, { ...host_1.sudo, timeoutMs: 30_000 });
    const [currentLine = '', ...rest] = listing.stdout.split('\n');
    const choice = chooseTrialBoot(parseListBoots(rest.join('\n')), ref, currentLine);
    let journal = null;
    if (choice.kind === 'journal') {
        const out = await s.exec(journalCommand(choice.boot.id), { ...host_1.sudo, timeoutMs: 30_000 });
        journal = summarizeJournal(out.stdout, user);
    }
    let pstore = '';
    let consoleLines = [];
    const since = pstoreSince(choice);
    if (choice.kind !== 'journal' || !choice.current) {
        // The trial boot is over: what it left in pstore, and on the console when there is one.
        pstore = (await s.exec(pstoreCommand(since, pstoreDirs), { ...host_1.sudo, timeoutMs: 30_000 })).stdout;
        if (readConsole) {
            consoleLines = await readConsole().catch((err) => [`(the console could not be read: ${err.message})`]);
        }
    }
    return formatEvidence(choice, journal, pstore, since, consoleLines);
}
//# sourceMappingURL=evidence.js.map