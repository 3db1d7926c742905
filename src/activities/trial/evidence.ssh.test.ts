/**
 * collectTrialEvidence's own commands in a real shell over a real SSH session (sshd on
 * 127.0.0.1, testbed/tool-host.ts): a small fake `journalctl` goes first on the session's PATH
 * (the journal of a boot cannot be made on this host), the boot id is this host's real one, and
 * pstore is read from the real /sys/fs/pstore. The parsing and choosing: evidence.test.ts.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startToolHost, type ToolHost } from '../../../testbed/tool-host';
import type { HostSession } from '../host';
import { collectTrialEvidence } from './evidence';

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
});
