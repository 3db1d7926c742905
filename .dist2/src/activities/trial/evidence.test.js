"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * Rollback evidence from the trial boot. The parsing and choosing are pure and tested on samples
 * of `journalctl --list-boots` written to systemd's formats (not captured: this machine's journal
 * is empty, and a VM run is needed to capture one): systemd 252's table (Debian 12; the header
 * and column order from its journalctl, which prints `IDX BOOT ID FIRST ENTRY LAST ENTRY`; times
 * in UTC because the command sets TZ=UTC) and the `<first>—<last>` lines of systemd 250 and older.
 *
 * collectTrialEvidence itself, over a real SSH session: evidence.ssh.test.ts.
 */
const strict_1 = __importDefault(require("node:assert/strict"));
const node_child_process_1 = require("node:child_process");
const node_test_1 = require("node:test");
const evidence_1 = require("./evidence");
const EARLIER = '9cc7185a67b044dcb1b440187a7df7eb';
const BEFORE = 'de70d8b27cf7495890d347f4316c19f3';
const TRIAL = '7e88d6b7561d4360957bbb77a2bdbf4f';
const FALLBACK = '2ecae7e80b154b24b7fe7985e62c4cd9';
const dashed = (id) => `${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20)}`;
/** systemd 252 (Debian 12), `TZ=UTC journalctl --list-boots --no-pager --full`. */
const TABLE_252 = `IDX BOOT ID                          FIRST ENTRY                 LAST ENTRY
 -3 ${EARLIER} Fri 2026-11-27 08:12:03 UTC Fri 2026-11-27 08:19:41 UTC
 -2 ${BEFORE} Fri 2026-11-27 08:20:02 UTC Fri 2026-11-27 08:31:17 UTC
 -1 ${TRIAL} Fri 2026-11-27 08:31:40 UTC Fri 2026-11-27 08:33:05 UTC
  0 ${FALLBACK} Fri 2026-11-27 08:33:27 UTC Fri 2026-11-27 08:35:52 UTC
`;
/** The same boots without the trial: it never got as far as journald (panic in the initramfs). */
const TABLE_252_NO_TRIAL = `IDX BOOT ID                          FIRST ENTRY                 LAST ENTRY
 -2 ${EARLIER} Fri 2026-11-27 08:12:03 UTC Fri 2026-11-27 08:19:41 UTC
 -1 ${BEFORE} Fri 2026-11-27 08:20:02 UTC Fri 2026-11-27 08:31:17 UTC
  0 ${FALLBACK} Fri 2026-11-27 08:33:27 UTC Fri 2026-11-27 08:35:52 UTC
`;
/** systemd 250 and older (Ubuntu 22.04): no header, `<first>—<last>`. */
const LINES_249 = `-2 ${BEFORE} Fri 2026-11-27 08:20:02 UTC—Fri 2026-11-27 08:31:17 UTC
-1 ${TRIAL} Fri 2026-11-27 08:31:40 UTC—Fri 2026-11-27 08:33:05 UTC
 0 ${FALLBACK} Fri 2026-11-27 08:33:27 UTC—Fri 2026-11-27 08:35:52 UTC
`;
/** `journalctl -b <trial> -p warning -o short-monotonic`, kernel-rollout's own lines mixed in. */
const TRIAL_WARNINGS = [
    '[    0.412731] web-01 kernel: ACPI BIOS Error (bug): Could not resolve symbol [\\_SB.PCI0.S08.S00], AE_NOT_FOUND',
    '[    6.120554] web-01 kernel: nvme nvme0: I/O 12 QID 0 timeout, reset controller',
    '[   14.882101] web-01 systemd[1]: Failed to start nginx.service - A high performance web server and a reverse proxy server.',
    '[   31.004417] web-01 sshd[901]: error: kex_exchange_identification: Connection closed by remote host',
    '[   31.004528] web-01 sshd[901]: Connection closed by 10.0.2.2 port 51514',
    '[   31.882005] web-01 sshd[905]: Accepted publickey for deploy from 10.0.2.2 port 51516 ssh2: ED25519 SHA256:Qm9vdGlkLWV2aWRlbmNlLXRlc3Qta2V5LWZpbmdlcnByaW50',
    '[   31.890117] web-01 sshd[905]: pam_unix(sshd:session): session opened for user deploy(uid=1000) by (uid=0)',
    '[   31.901346] web-01 systemd-logind[412]: New session 3 of user deploy.',
    '[   31.904010] web-01 systemd[1]: Started session-3.scope - Session 3 of User deploy.',
    '[   32.010771] web-01 sudo[911]:   deploy : PWD=/home/deploy ; USER=root ; COMMAND=/usr/bin/sh -c cat /proc/sys/kernel/random/boot_id',
    '[   32.011250] web-01 sudo[911]: pam_unix(sudo:session): session opened for user root(uid=0) by deploy(uid=1000)',
    '[   32.115932] web-01 sshd[905]: Received disconnect from 10.0.2.2 port 51516:11: disconnected by user',
    '[   32.116021] web-01 sshd[905]: Disconnected from user deploy 10.0.2.2 port 51516',
    '[   40.555013] web-01 sshd[930]: Accepted publickey for alice from 192.0.2.7 port 40022 ssh2: ED25519 SHA256:YWxpY2Uta2V5',
    '[   41.200339] web-01 kernel: BUG: kernel NULL pointer dereference, address: 0000000000000008',
];
(0, node_test_1.describe)('journalctl --list-boots', () => {
    (0, node_test_1.it)('reads systemd 252 tables, skipping the header', () => {
        const boots = (0, evidence_1.parseListBoots)(TABLE_252);
        strict_1.default.deepEqual(boots.map((b) => [b.offset, b.id]), [
            [-3, EARLIER],
            [-2, BEFORE],
            [-1, TRIAL],
            [0, FALLBACK],
        ]);
        strict_1.default.equal(boots[2]?.firstEntry, 'Fri 2026-11-27 08:31:40 UTC');
        strict_1.default.equal(boots[2]?.lastEntry, 'Fri 2026-11-27 08:33:05 UTC');
        strict_1.default.equal(boots[1]?.lastEpochSeconds, Date.UTC(2026, 10, 27, 8, 31, 17) / 1000);
    });
    (0, node_test_1.it)('reads the older `first—last` lines the same', () => {
        strict_1.default.deepEqual((0, evidence_1.parseListBoots)(LINES_249).map((b) => [b.offset, b.id, b.firstEpochSeconds !== null, b.lastEntry]), [
            [-2, BEFORE, true, 'Fri 2026-11-27 08:31:17 UTC'],
            [-1, TRIAL, true, 'Fri 2026-11-27 08:33:05 UTC'],
            [0, FALLBACK, true, 'Fri 2026-11-27 08:35:52 UTC'],
        ]);
    });
    (0, node_test_1.it)('no journal, local times, garbage: no boots, or boots without times', () => {
        strict_1.default.deepEqual((0, evidence_1.parseListBoots)('No journal files were found.\n'), []);
        strict_1.default.deepEqual((0, evidence_1.parseListBoots)('-- No entries --\n'), []);
        const local = (0, evidence_1.parseListBoots)(`  0 ${FALLBACK} Fri 2026-11-27 09:33:27 CET Fri 2026-11-27 09:35:52 CET\n`);
        strict_1.default.equal(local[0]?.firstEpochSeconds, null, 'only UTC times are turned into seconds');
    });
    (0, node_test_1.it)('boot ids with or without dashes are the same id; anything else is none', () => {
        strict_1.default.equal((0, evidence_1.normalizeBootId)(`${dashed(TRIAL).toUpperCase()}\n`), TRIAL);
        strict_1.default.equal((0, evidence_1.normalizeBootId)(TRIAL), TRIAL);
        strict_1.default.equal((0, evidence_1.normalizeBootId)(`${TRIAL}; reboot`), null);
        strict_1.default.equal((0, evidence_1.normalizeBootId)('-1'), null);
    });
});
(0, node_test_1.describe)('choosing the trial boot', () => {
    const boots = (0, evidence_1.parseListBoots)(TABLE_252);
    const noTrial = (0, evidence_1.parseListBoots)(TABLE_252_NO_TRIAL);
    (0, node_test_1.it)('back on the known-good kernel: the boot listed right after the one the reboot left', () => {
        const c = (0, evidence_1.chooseTrialBoot)(boots, { kind: 'between', bootIdBefore: dashed(BEFORE), fallbackBootId: dashed(FALLBACK) }, dashed(FALLBACK));
        strict_1.default.equal(c.kind, 'journal');
        strict_1.default.equal(c.kind === 'journal' && c.boot.id, TRIAL);
        strict_1.default.equal(c.kind === 'journal' && c.current, false);
    });
    (0, node_test_1.it)('a trial that left no journal is said to have done so: never the boot before it', () => {
        const c = (0, evidence_1.chooseTrialBoot)(noTrial, { kind: 'between', bootIdBefore: dashed(BEFORE), fallbackBootId: dashed(FALLBACK) }, dashed(FALLBACK));
        strict_1.default.equal(c.kind, 'no-journal');
        const text = (0, evidence_1.formatEvidence)(c, null, '');
        strict_1.default.match(text, /^the trial boot left no journal \(root was probably never mounted\)/);
        strict_1.default.ok(text.includes(BEFORE) && text.includes(FALLBACK));
        strict_1.default.doesNotMatch(text, /trial boot [0-9a-f]{32}/);
        strict_1.default.match(text, /pstore: nothing recorded/);
    });
    (0, node_test_1.it)("the console's last lines (a power driver that has one) come after pstore", () => {
        const c = (0, evidence_1.chooseTrialBoot)(noTrial, { kind: 'between', bootIdBefore: dashed(BEFORE), fallbackBootId: dashed(FALLBACK) }, dashed(FALLBACK));
        const text = (0, evidence_1.formatEvidence)(c, null, '', null, [
            '[    2.114513] Kernel panic - not syncing: VFS: Unable to mount root fs',
        ]);
        strict_1.default.match(text, /\npstore: nothing recorded\nconsole \(its last lines\):\n\[ {4}2\.114513\] Kernel panic - not syncing/);
    });
    (0, node_test_1.it)('several boots between: the first is the trial (the one-shot is spent on it)', () => {
        const c = (0, evidence_1.chooseTrialBoot)(boots, { kind: 'between', bootIdBefore: dashed(EARLIER), fallbackBootId: dashed(FALLBACK) }, dashed(FALLBACK));
        strict_1.default.ok(c.kind === 'journal' && c.boot.id === BEFORE && /first of 2 boots/.test(c.note));
    });
    (0, node_test_1.it)('health failed: the boot the run saw running the trial kernel, even while it is the current one', () => {
        const current = (0, evidence_1.chooseTrialBoot)(boots, { kind: 'seen', trialBootId: dashed(FALLBACK) }, dashed(FALLBACK));
        strict_1.default.ok(current.kind === 'journal' && current.boot.id === FALLBACK && current.current);
        const earlier = (0, evidence_1.chooseTrialBoot)(boots, { kind: 'seen', trialBootId: dashed(TRIAL) }, dashed(FALLBACK));
        strict_1.default.ok(earlier.kind === 'journal' && earlier.boot.id === TRIAL && !earlier.current);
    });
    (0, node_test_1.it)('what cannot be told is said, not guessed', () => {
        const notThere = (0, evidence_1.chooseTrialBoot)(noTrial, { kind: 'seen', trialBootId: dashed(TRIAL) }, dashed(FALLBACK));
        strict_1.default.ok(notThere.kind === 'unknown' && notThere.why.includes(TRIAL));
        const tooShort = (0, evidence_1.chooseTrialBoot)(boots.slice(2), { kind: 'between', bootIdBefore: dashed(BEFORE), fallbackBootId: dashed(FALLBACK) }, dashed(FALLBACK));
        strict_1.default.ok(tooShort.kind === 'unknown' && /does not reach back/.test(tooShort.why));
        const empty = (0, evidence_1.chooseTrialBoot)([], { kind: 'seen', trialBootId: dashed(TRIAL) }, dashed(FALLBACK));
        strict_1.default.ok(empty.kind === 'unknown' && /no boots/.test(empty.why));
    });
    (0, node_test_1.it)('a run from before (no trial boot named): the previous boot, said to be a guess', () => {
        const c = (0, evidence_1.chooseTrialBoot)(boots, undefined, dashed(FALLBACK));
        strict_1.default.ok(c.kind === 'journal' && c.boot.id === TRIAL && /did not name the trial boot/.test(c.note));
    });
});
(0, node_test_1.describe)("kernel-rollout's own log lines", () => {
    (0, node_test_1.it)("leaves out the tool user's logins, probes, sudo commands and sessions; keeps everything else", () => {
        const kept = TRIAL_WARNINGS.filter((l) => !(0, evidence_1.isOwnNoise)(l, 'deploy'));
        strict_1.default.deepEqual(kept, [
            TRIAL_WARNINGS[0],
            TRIAL_WARNINGS[1],
            TRIAL_WARNINGS[2],
            TRIAL_WARNINGS[13],
            TRIAL_WARNINGS[14],
        ]);
    });
    (0, node_test_1.it)('another user is not the tool: their login stays', () => {
        strict_1.default.equal((0, evidence_1.isOwnNoise)(TRIAL_WARNINGS[5] ?? '', 'alice'), false);
        strict_1.default.equal((0, evidence_1.isOwnNoise)(TRIAL_WARNINGS[13] ?? '', 'deploy'), false);
    });
    (0, node_test_1.it)('the evidence names the trial boot, counts what was left out, and stays short', () => {
        const c = (0, evidence_1.chooseTrialBoot)((0, evidence_1.parseListBoots)(TABLE_252), { kind: 'between', bootIdBefore: BEFORE, fallbackBootId: FALLBACK }, FALLBACK);
        const many = [
            ...Array.from({ length: 40 }, (_, i) => `[   ${i}.000000] web-01 kernel: warning ${i} ${'x'.repeat(300)}`),
        ];
        const journal = (0, evidence_1.summarizeJournal)([...TRIAL_WARNINGS, ...many].join('\n'), 'deploy');
        const text = (0, evidence_1.formatEvidence)(c, journal, '');
        strict_1.default.match(text, new RegExp(`^trial boot ${TRIAL} \\(journal offset -1, Fri 2026-11-27 08:31:40 UTC – `));
        strict_1.default.match(text, /last 15 of 45 warning\/error line\(s\); 10 of kernel-rollout's own SSH\/sudo lines left out:/);
        strict_1.default.ok(text.length <= 2501, `${text.length} characters`);
    });
});
(0, node_test_1.describe)('commands', () => {
    (0, node_test_1.it)('only a boot id reaches the journal command, without dashes', () => {
        strict_1.default.match((0, evidence_1.journalCommand)(dashed(TRIAL)), new RegExp(`^journalctl -b ${TRIAL} -p warning -n 300 `));
        strict_1.default.throws(() => (0, evidence_1.journalCommand)(`${TRIAL}' ; reboot; '`), /not a boot id/);
    });
    (0, node_test_1.it)('every command is valid shell (bash -n)', () => {
        for (const cmd of [evidence_1.LIST_BOOTS_COMMAND, (0, evidence_1.journalCommand)(TRIAL), (0, evidence_1.pstoreCommand)(null), (0, evidence_1.pstoreCommand)(1_795_000_000)]) {
            (0, node_child_process_1.execFileSync)('bash', ['-n', '-c', cmd]);
        }
        strict_1.default.match((0, evidence_1.pstoreCommand)(1_795_000_000.7), / -newermt @1795000000 /);
        strict_1.default.throws(() => (0, evidence_1.pstoreCommand)(Number.NaN), /not a time/);
    });
});
//# sourceMappingURL=evidence.test.js.map