/**
 * The `system-running` check runs its commands in a real shell over a real SSH session. This
 * test host has no systemd as PID 1, so a small fake `systemctl` goes first on the session's
 * PATH: `is-system-running [--wait]` prints the state in ./state (exit 0 only when running) and
 * `--failed --no-legend --plain --no-pager` prints ./failed; it records its arguments.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { healthCheckSchema } from '../../shared/schemas';
import { startToolHost, type ToolHost } from '../../../testbed/tool-host';
import type { HostSession } from '../index';
import { sectionsScript, splitSections } from '../sections';
import { healthReadSections, runHealthCheck, runHealthChecks } from './check';

const FAKE_SYSTEMCTL = `#!/bin/sh
dir=$(dirname "$0")
printf '%s\\n' "$*" >> "$dir/calls"
case "$*" in
  'is-system-running --wait'|'is-system-running') state=$(cat "$dir/state"); echo "$state"; [ "$state" = running ] ;;
  '--failed --no-legend --plain --no-pager') cat "$dir/failed" 2>/dev/null; exit 0 ;;
  *) echo "fake systemctl: unexpected arguments: $*" >&2; exit 64 ;;
esac
`;

const FAILED_UNITS = [
  'nginx.service loaded failed failed A high performance web server',
  'cron.service loaded failed failed Regular background program processing daemon',
  'a.service loaded failed failed A',
  'b.service loaded failed failed B',
  'c.service loaded failed failed C',
  'd.service loaded failed failed D',
];

describe('system-running health check (real shell over SSH, fake systemctl)', () => {
  let host: ToolHost | undefined;
  let session: HostSession;
  let bin: string;
  const calls = (): string[] => readFileSync(path.join(bin, 'calls'), 'utf8').trim().split('\n');
  const hostIs = (state: string, failed: string[] = []) => {
    writeFileSync(path.join(bin, 'state'), `${state}\n`);
    writeFileSync(path.join(bin, 'failed'), failed.map((l) => `${l}\n`).join(''));
  };
  const check = (config: Record<string, unknown> = {}) =>
    runHealthCheck(session, healthCheckSchema.parse({ kind: 'system-running', ...config }));

  before(async () => {
    bin = mkdtempSync(path.join(os.tmpdir(), 'kr-systemctl-'));
    writeFileSync(path.join(bin, 'systemctl'), FAKE_SYSTEMCTL);
    chmodSync(path.join(bin, 'systemctl'), 0o755);
    host = await startToolHost(bin);
    session = host.session;
  });
  beforeEach(() => rmSync(path.join(bin, 'calls'), { force: true }));
  after(async () => {
    await host?.stop();
    if (bin) rmSync(bin, { recursive: true, force: true });
  });

  it('is healthy when running, waiting for start-up to finish (--wait)', async () => {
    hostIs('running');
    assert.equal(await check(), null);
    assert.deepEqual(calls(), ['is-system-running --wait']);
  });

  it('takes degraded as healthy by default, and not when allowDegraded is false', async () => {
    hostIs('degraded', FAILED_UNITS.slice(0, 2));
    assert.equal(await check(), null);
    assert.equal(
      await check({ allowDegraded: false }),
      'system state is degraded (failed: nginx.service loaded failed failed A high performance web server; ' +
        'cron.service loaded failed failed Regular background program processing daemon)',
    );
  });

  it('names at most five failed units, and none when there are none', async () => {
    hostIs('maintenance', FAILED_UNITS);
    const failure = await check();
    assert.match(failure ?? '', /^system state is maintenance \(failed: nginx\.service .*; c\.service [^;]*\)$/);
    assert.equal((failure ?? '').split('; ').length, 5);
    assert.deepEqual(calls(), ['is-system-running --wait', '--failed --no-legend --plain --no-pager']);
    hostIs('starting');
    assert.equal(await check(), 'system state is starting');
    hostIs('');
    assert.equal(await check(), 'system state is unknown');
  });

  it("passes in the verification's read without --wait; anything else is checked as always", async () => {
    const checks = [healthCheckSchema.parse({ kind: 'system-running', allowDegraded: false })];
    const readAndCheck = async (guard: string) => {
      const sections = healthReadSections(checks, (cmd) => `${guard} && ${cmd}`);
      const read = splitSections(await session.run(sectionsScript(sections)));
      return runHealthChecks(session, checks, read);
    };
    hostIs('running');
    assert.deepEqual(await readAndCheck('true'), []);
    assert.deepEqual(calls(), ['is-system-running'], 'the read passed it: no round trip of its own');
    rmSync(path.join(bin, 'calls'));
    hostIs('starting');
    assert.deepEqual(await readAndCheck('true'), ['system state is starting']);
    assert.deepEqual(calls().slice(0, 2), ['is-system-running', 'is-system-running --wait'], 'checked, waiting');
    rmSync(path.join(bin, 'calls'));
    hostIs('degraded', FAILED_UNITS.slice(0, 1));
    assert.match((await readAndCheck('true'))[0] ?? '', /^system state is degraded \(failed: nginx/);
    rmSync(path.join(bin, 'calls'));
    // The guard (the caller's: the trial boot) fails: the read ran nothing, the check runs.
    hostIs('running');
    assert.deepEqual(await readAndCheck('false'), []);
    assert.deepEqual(calls(), ['is-system-running --wait']);
  });
});
