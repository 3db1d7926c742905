"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * collectTrialEvidence's own commands in a real shell over a real SSH session (sshd on
 * 127.0.0.1, testbed/tool-host.ts): a small fake `journalctl` goes first on the session's PATH
 * (the journal of a boot cannot be made on this host), the boot id is this host's real one, and
 * pstore is read from the real /sys/fs/pstore, or, for a UEFI host's panic, from real files laid
 * out in a directory as the kernel's efi_pstore and systemd 252's systemd-pstore leave them. The
 * parsing and choosing: evidence.test.ts.
 */
const strict_1 = __importDefault(require("node:assert/strict"));
const node_fs_1 = require("node:fs");
const os = __importStar(require("node:os"));
const path = __importStar(require("node:path"));
const node_test_1 = require("node:test");
const tool_host_1 = require("../../../testbed/tool-host");
const evidence_1 = require("./evidence");
const EARLIER = '9cc7185a67b044dcb1b440187a7df7eb';
const BEFORE = 'de70d8b27cf7495890d347f4316c19f3';
const TRIAL = '7e88d6b7561d4360957bbb77a2bdbf4f';
const dashed = (id) => `${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20)}`;
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
const REVERT_LINES = ['-- No entries --'];
const FAKE_JOURNALCTL = `#!/bin/sh
dir=$(dirname "$0")
printf '%s\\n' "$*" >> "$dir/calls"
case "$*" in
  *--list-boots*) cat "$dir/boots" ;;
  *"-u kernel-rollout-revert.service"*) cat "$dir/revert-$2" 2>/dev/null || echo '-- No entries --' ;;
  *"-p warning"*) cat "$dir/journal-$2" 2>/dev/null || echo '-- No entries --' ;;
  *) echo "fake journalctl: unexpected arguments: $*" >&2; exit 64 ;;
esac
`;
(0, node_test_1.describe)('collectTrialEvidence (real shell over SSH, fake journalctl)', () => {
    let host;
    let session;
    let bin;
    const here = (0, node_fs_1.readFileSync)('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    const hereId = here.replace(/-/g, '');
    const calls = () => {
        try {
            return (0, node_fs_1.readFileSync)(path.join(bin, 'calls'), 'utf8').trim().split('\n');
        }
        catch {
            return [];
        }
    };
    /** The journal lists `boots` (ids), the last one being this host's current boot. */
    const journalHas = (ids) => (0, node_fs_1.writeFileSync)(path.join(bin, 'boots'), [
        'IDX BOOT ID                          FIRST ENTRY                 LAST ENTRY',
        ...[...ids, hereId].map((id, i, all) => `${String(i - all.length + 1).padStart(3)} ${id} Fri 2026-11-27 08:${10 + i * 10}:02 UTC Fri 2026-11-27 08:${15 + i * 10}:41 UTC`),
    ].join('\n') + '\n');
    (0, node_test_1.before)(async () => {
        bin = (0, node_fs_1.mkdtempSync)(path.join(os.tmpdir(), 'kr-journalctl-'));
        (0, node_fs_1.writeFileSync)(path.join(bin, 'journalctl'), FAKE_JOURNALCTL);
        (0, node_fs_1.chmodSync)(path.join(bin, 'journalctl'), 0o755);
        (0, node_fs_1.writeFileSync)(path.join(bin, `journal-${TRIAL}`), `${TRIAL_WARNINGS.join('\n')}\n`);
        (0, node_fs_1.writeFileSync)(path.join(bin, `revert-${TRIAL}`), `${REVERT_LINES.join('\n')}\n`);
        (0, node_fs_1.writeFileSync)(path.join(bin, `journal-${hereId}`), '[   12.000001] web-01 kernel: BUG: soft lockup - CPU#0 stuck for 22s! [kworker/0:1:34]\n');
        host = await (0, tool_host_1.startToolHost)(bin);
        session = host.session;
    });
    (0, node_test_1.beforeEach)(() => (0, node_fs_1.rmSync)(path.join(bin, 'calls'), { force: true }));
    (0, node_test_1.after)(async () => {
        await host?.stop();
        if (bin)
            (0, node_fs_1.rmSync)(bin, { recursive: true, force: true });
    });
    (0, node_test_1.it)('fell back after a trial that reached journald: that boot, by its id', async () => {
        journalHas([EARLIER, BEFORE, TRIAL]);
        const text = await (0, evidence_1.collectTrialEvidence)(session, { kind: 'between', bootIdBefore: dashed(BEFORE), fallbackBootId: here }, 'deploy');
        strict_1.default.match(text, new RegExp(`^trial boot ${TRIAL} \\(journal offset -1, `));
        strict_1.default.match(text, /nvme nvme0: I\/O 12 QID 0 timeout/);
        strict_1.default.match(text, /BUG: kernel NULL pointer dereference/);
        strict_1.default.doesNotMatch(text, /sudo\[|session opened|kex_exchange_identification/);
        strict_1.default.match(text, /pstore: /, 'pstore read too: the trial boot is over');
        strict_1.default.deepEqual(calls().filter((c) => c.startsWith('-b ')), [
            `-b ${TRIAL} -p warning -n 300 --no-pager -o short-monotonic`,
            `-b ${TRIAL} -u kernel-rollout-revert.service -n 5 --no-pager -o short-monotonic`,
        ]);
    });
    (0, node_test_1.it)('a trial that left no journal: said plainly, nothing read from the boot before it', async () => {
        journalHas([EARLIER, BEFORE]);
        const text = await (0, evidence_1.collectTrialEvidence)(session, { kind: 'between', bootIdBefore: dashed(BEFORE), fallbackBootId: here }, 'deploy');
        strict_1.default.match(text, /^the trial boot left no journal \(root was probably never mounted\)/);
        strict_1.default.match(text, /\npstore: /);
        strict_1.default.deepEqual(calls().filter((c) => c.startsWith('-b ')), []);
    });
    (0, node_test_1.it)('health failed, still on the trial boot: the current boot, no pstore', async () => {
        journalHas([BEFORE]);
        const text = await (0, evidence_1.collectTrialEvidence)(session, { kind: 'seen', trialBootId: here }, 'deploy');
        strict_1.default.match(text, new RegExp(`^trial boot ${hereId} \\(journal offset 0, .*still running`));
        strict_1.default.match(text, /soft lockup/);
        strict_1.default.doesNotMatch(text, /pstore/);
    });
    (0, node_test_1.it)('nothing rebooted: no evidence, no command', async () => {
        strict_1.default.equal(await (0, evidence_1.collectTrialEvidence)(session, { kind: 'no-reboot' }, 'deploy'), '');
        strict_1.default.deepEqual(calls(), []);
    });
    (0, node_test_1.describe)('a UEFI host whose trial panicked: the firmware kept the panic (efi_pstore), systemd-pstore archived it', () => {
        /** The trial reboot left BEFORE at 08:25:41 UTC (journalHas); the trial panicked at 08:27:13. */
        const trialPanic = Date.UTC(2026, 10, 27, 8, 27, 13) / 1000;
        const earlierPanic = Date.UTC(2026, 10, 20, 14, 2, 55) / 1000;
        const PART2 = [
            'Panic#1 Part2',
            '<6>[    1.880112] Freeing unused kernel image (initmem) memory: 2752K',
            '<6>[    1.890002] Write protecting the kernel read-only data: 26624k',
            '<6>[    1.902214] Run /init as init process',
            '<5>[    1.931001] Loading, please wait...',
            '<6>[    2.004410] Starting systemd-udevd version 252.36-1~deb12u1',
            '<3>[    2.101337] nvme nvme0: Device not ready; aborting initialisation, CSTS=0x0',
        ];
        const PART1 = [
            'Panic#1 Part1',
            '<4>[    2.110020] ALERT!  UUID=caa8d92e-fad6-4218-9359-c050c6c3efbd does not exist.  Dropping to a shell!',
            '<0>[    2.114513] Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000100',
            '<4>[    2.114990] CPU: 0 PID: 1 Comm: init Not tainted 6.1.0-56-cloud-amd64 #1  Debian 6.1.192-2',
            '<4>[    2.115322] Call Trace:',
        ];
        let dirs;
        /** A file as the kernel or systemd-pstore leaves it, its mtime `seconds`. */
        const put = (file, lines, seconds) => {
            (0, node_fs_1.mkdirSync)(path.dirname(file), { recursive: true });
            (0, node_fs_1.writeFileSync)(file, `${lines.join('\n')}\n`);
            (0, node_fs_1.utimesSync)(file, seconds, seconds);
        };
        (0, node_test_1.before)(() => {
            const root = (0, node_fs_1.mkdtempSync)(path.join(os.tmpdir(), 'kr-pstore-'));
            dirs = { live: path.join(root, 'sys/fs/pstore'), archive: path.join(root, 'var/lib/systemd/pstore') };
            (0, node_fs_1.mkdirSync)(dirs.live, { recursive: true });
            // systemd 252 (Debian 12): <seconds>/<count>/dmesg-efi-<seconds><part:2><count:3>, and the
            // parts' text again, in order, as dmesg.txt beside them; archived on the fallback boot.
            const archivedAt = Date.UTC(2026, 10, 27, 8, 31, 5) / 1000;
            const dir = path.join(dirs.archive, String(trialPanic), '001');
            put(path.join(dir, `dmesg-efi-${trialPanic}01001`), PART1, archivedAt);
            put(path.join(dir, `dmesg-efi-${trialPanic}02001`), PART2, archivedAt);
            put(path.join(dir, 'dmesg.txt'), [...PART2, ...PART1], archivedAt);
            // A panic from a week before, archived only now (systemd-pstore was not enabled): its id
            // says when it happened, so it is not the trial's.
            const old = path.join(dirs.archive, String(earlierPanic), '001', `dmesg-efi-${earlierPanic}01001`);
            put(old, ['Panic#1 Part1', '<0>[    9.000001] Kernel panic - not syncing: an older panic'], archivedAt);
        });
        (0, node_test_1.after)(() => (0, node_fs_1.rmSync)(path.dirname(path.dirname(dirs.live)), { recursive: true, force: true }));
        (0, node_test_1.it)('left no journal: the panic line and the lines before it, across both parts; older records left out', async () => {
            journalHas([EARLIER, BEFORE]);
            const text = await (0, evidence_1.collectTrialEvidence)(session, { kind: 'between', bootIdBefore: dashed(BEFORE), fallbackBootId: here }, 'deploy', undefined, dirs);
            const lines = text.split('\n');
            const header = lines.findIndex((l) => l.startsWith('panic record of '));
            strict_1.default.equal(lines[header], `panic record of 2026-11-27T08:27:13.000Z (efi, 2 part(s), ${dirs.archive}/${trialPanic}/001/dmesg-efi-${trialPanic}02001):`);
            strict_1.default.deepEqual(lines.slice(header + 1, header + 8), [
                '[    1.890002] Write protecting the kernel read-only data: 26624k',
                '[    1.902214] Run /init as init process',
                '[    1.931001] Loading, please wait...',
                '[    2.004410] Starting systemd-udevd version 252.36-1~deb12u1',
                '[    2.101337] nvme nvme0: Device not ready; aborting initialisation, CSTS=0x0',
                '[    2.110020] ALERT!  UUID=caa8d92e-fad6-4218-9359-c050c6c3efbd does not exist.  Dropping to a shell!',
                '[    2.114513] Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000100',
            ]);
            strict_1.default.doesNotMatch(text, /an older panic|Call Trace|Freeing unused/);
            strict_1.default.equal(text.match(/Kernel panic - not syncing/g)?.length, 1, 'dmesg.txt is not shown a second time');
        });
        (0, node_test_1.it)('not archived yet (systemd-pstore has not run): the record under /sys/fs/pstore, newer kernels’ name', async () => {
            journalHas([EARLIER, BEFORE]);
            const live = path.join(dirs.live, `dmesg-efi_pstore-${trialPanic + 600}01001`);
            put(live, ['Panic#1 Part1', '<0>[    3.000001] Kernel panic - not syncing: VFS: Unable to mount root fs'], trialPanic + 600);
            try {
                const text = await (0, evidence_1.collectTrialEvidence)(session, { kind: 'between', bootIdBefore: dashed(BEFORE), fallbackBootId: here }, 'deploy', undefined, dirs);
                strict_1.default.match(text, new RegExp(`panic record of 2026-11-27T08:37:13\\.000Z \\(efi, 1 part\\(s\\), ${live}\\):\\n\\[    3\\.000001\\] Kernel panic - not syncing: VFS: Unable to mount root fs`));
            }
            finally {
                (0, node_fs_1.rmSync)(live);
            }
        });
    });
});
//# sourceMappingURL=evidence.ssh.test.js.map