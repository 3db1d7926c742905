/**
 * collectTrialEvidence's own commands in a real shell over a real SSH session (sshd on
 * 127.0.0.1, testbed/tool-host.ts): a small fake `journalctl` goes first on the session's PATH
 * (the journal of a boot cannot be made on this host), the boot id is this host's real one, and
 * pstore is read from the real /sys/fs/pstore, or, for a UEFI host's panic, from real files laid
 * out in a directory as the kernel's efi_pstore and systemd 252's systemd-pstore leave them. The
 * parsing and choosing: evidence.test.ts.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startToolHost, type ToolHost } from '../../../testbed/tool-host';
import type { HostSession } from '../host';
import { collectTrialEvidence, type PstoreDirs } from './evidence';

const EARLIER = '9cc7185a67b044dcb1b440187a7df7eb';
const BEFORE = 'de70d8b27cf7495890d347f4316c19f3';
const TRIAL = '7e88d6b7561d4360957bbb77a2bdbf4f';
const dashed = (id: string) =>
  `${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20)}`;

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

describe('collectTrialEvidence (real shell over SSH, fake journalctl)', () => {
  let host: ToolHost | undefined;
  let session: HostSession;
  let bin: string;
  const here = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  const hereId = here.replace(/-/g, '');
  const calls = (): string[] => {
    try {
      return readFileSync(path.join(bin, 'calls'), 'utf8').trim().split('\n');
    } catch {
      return [];
    }
  };
  /** The journal lists `boots` (ids), the last one being this host's current boot. */
  const journalHas = (ids: string[]) =>
    writeFileSync(
      path.join(bin, 'boots'),
      [
        'IDX BOOT ID                          FIRST ENTRY                 LAST ENTRY',
        ...[...ids, hereId].map(
          (id, i, all) =>
            `${String(i - all.length + 1).padStart(3)} ${id} Fri 2026-11-27 08:${10 + i * 10}:02 UTC Fri 2026-11-27 08:${15 + i * 10}:41 UTC`,
        ),
      ].join('\n') + '\n',
    );

  before(async () => {
    bin = mkdtempSync(path.join(os.tmpdir(), 'kr-journalctl-'));
    writeFileSync(path.join(bin, 'journalctl'), FAKE_JOURNALCTL);
    chmodSync(path.join(bin, 'journalctl'), 0o755);
    writeFileSync(path.join(bin, `journal-${TRIAL}`), `${TRIAL_WARNINGS.join('\n')}\n`);
    writeFileSync(path.join(bin, `revert-${TRIAL}`), `${REVERT_LINES.join('\n')}\n`);
    writeFileSync(
      path.join(bin, `journal-${hereId}`),
      '[   12.000001] web-01 kernel: BUG: soft lockup - CPU#0 stuck for 22s! [kworker/0:1:34]\n',
    );
    host = await startToolHost(bin);
    session = host.session;
  });
  beforeEach(() => rmSync(path.join(bin, 'calls'), { force: true }));
  after(async () => {
    await host?.stop();
    if (bin) rmSync(bin, { recursive: true, force: true });
  });

  it('fell back after a trial that reached journald: that boot, by its id', async () => {
    journalHas([EARLIER, BEFORE, TRIAL]);
    const text = await collectTrialEvidence(
      session,
      { kind: 'between', bootIdBefore: dashed(BEFORE), fallbackBootId: here },
      'deploy',
    );
    assert.match(text, new RegExp(`^trial boot ${TRIAL} \\(journal offset -1, `));
    assert.match(text, /nvme nvme0: I\/O 12 QID 0 timeout/);
    assert.match(text, /BUG: kernel NULL pointer dereference/);
    assert.doesNotMatch(text, /sudo\[|session opened|kex_exchange_identification/);
    assert.match(text, /pstore: /, 'pstore read too: the trial boot is over');
    assert.deepEqual(
      calls().filter((c) => c.startsWith('-b ')),
      [
        `-b ${TRIAL} -p warning -n 300 --no-pager -o short-monotonic`,
        `-b ${TRIAL} -u kernel-rollout-revert.service -n 5 --no-pager -o short-monotonic`,
      ],
    );
  });

  it('a trial that left no journal: said plainly, nothing read from the boot before it', async () => {
    journalHas([EARLIER, BEFORE]);
    const text = await collectTrialEvidence(
      session,
      { kind: 'between', bootIdBefore: dashed(BEFORE), fallbackBootId: here },
      'deploy',
    );
    assert.match(text, /^the trial boot left no journal \(root was probably never mounted\)/);
    assert.match(text, /\npstore: /);
    assert.deepEqual(
      calls().filter((c) => c.startsWith('-b ')),
      [],
    );
  });

  it('health failed, still on the trial boot: the current boot, no pstore', async () => {
    journalHas([BEFORE]);
    const text = await collectTrialEvidence(session, { kind: 'seen', trialBootId: here }, 'deploy');
    assert.match(text, new RegExp(`^trial boot ${hereId} \\(journal offset 0, .*still running`));
    assert.match(text, /soft lockup/);
    assert.doesNotMatch(text, /pstore/);
  });

  it('nothing rebooted: no evidence, no command', async () => {
    assert.equal(await collectTrialEvidence(session, { kind: 'no-reboot' }, 'deploy'), '');
    assert.deepEqual(calls(), []);
  });
  describe('a UEFI host whose trial panicked: the firmware kept the panic (efi_pstore), systemd-pstore archived it', () => {
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
    let dirs: PstoreDirs;
    /** A file as the kernel or systemd-pstore leaves it, its mtime `seconds`. */
    const put = (file: string, lines: string[], seconds: number) => {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, `${lines.join('\n')}\n`);
      utimesSync(file, seconds, seconds);
    };
    before(() => {
      const root = mkdtempSync(path.join(os.tmpdir(), 'kr-pstore-'));
      dirs = { live: path.join(root, 'sys/fs/pstore'), archive: path.join(root, 'var/lib/systemd/pstore') };
      mkdirSync(dirs.live, { recursive: true });
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
    after(() => rmSync(path.dirname(path.dirname(dirs.live)), { recursive: true, force: true }));

    it('left no journal: the panic line and the lines before it, across both parts; older records left out', async () => {
      journalHas([EARLIER, BEFORE]);
      const text = await collectTrialEvidence(
        session,
        { kind: 'between', bootIdBefore: dashed(BEFORE), fallbackBootId: here },
        'deploy',
        undefined,
        dirs,
      );
      const lines = text.split('\n');
      const header = lines.findIndex((l) => l.startsWith('panic record of '));
      assert.equal(
        lines[header],
        `panic record of 2026-11-27T08:27:13.000Z (efi, 2 part(s), ${dirs.archive}/${trialPanic}/001/dmesg-efi-${trialPanic}02001):`,
      );
      assert.deepEqual(lines.slice(header + 1, header + 8), [
        '[    1.890002] Write protecting the kernel read-only data: 26624k',
        '[    1.902214] Run /init as init process',
        '[    1.931001] Loading, please wait...',
        '[    2.004410] Starting systemd-udevd version 252.36-1~deb12u1',
        '[    2.101337] nvme nvme0: Device not ready; aborting initialisation, CSTS=0x0',
        '[    2.110020] ALERT!  UUID=caa8d92e-fad6-4218-9359-c050c6c3efbd does not exist.  Dropping to a shell!',
        '[    2.114513] Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000100',
      ]);
      assert.doesNotMatch(text, /an older panic|Call Trace|Freeing unused/);
      assert.equal(text.match(/Kernel panic - not syncing/g)?.length, 1, 'dmesg.txt is not shown a second time');
    });

    it('not archived yet (systemd-pstore has not run): the record under /sys/fs/pstore, newer kernels’ name', async () => {
      journalHas([EARLIER, BEFORE]);
      const live = path.join(dirs.live, `dmesg-efi_pstore-${trialPanic + 600}01001`);
      put(
        live,
        ['Panic#1 Part1', '<0>[    3.000001] Kernel panic - not syncing: VFS: Unable to mount root fs'],
        trialPanic + 600,
      );
      try {
        const text = await collectTrialEvidence(
          session,
          { kind: 'between', bootIdBefore: dashed(BEFORE), fallbackBootId: here },
          'deploy',
          undefined,
          dirs,
        );
        assert.match(
          text,
          new RegExp(
            `panic record of 2026-11-27T08:37:13\\.000Z \\(efi, 1 part\\(s\\), ${live}\\):\\n\\[    3\\.000001\\] Kernel panic - not syncing: VFS: Unable to mount root fs`,
          ),
        );
      } finally {
        rmSync(live);
      }
    });
  });
});
