/**
 * The `systemd-unit` check runs its command in a real shell over a real SSH session. This test
 * host has no systemd as PID 1 (systemctl answers "System has not been booted with systemd"),
 * so a small fake `systemctl` goes first on the session's PATH: it answers `is-active` as
 * systemctl does (state on stdout, exit 0 only when active) and records its arguments.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { healthCheckSchema } from '../../shared/schemas';
import { startToolHost, type ToolHost } from '../../../testbed/tool-host';
import type { HostSession } from '../index';
import { runHealthCheck } from './check';

const FAKE_SYSTEMCTL = `#!/bin/sh
# is-active UNIT: the state in units/UNIT (no file: inactive), exit 0 only when active.
dir=$(dirname "$0")
printf '%s\\n' "$*" >> "$dir/calls"
if [ "$1" != is-active ] || [ $# -ne 2 ]; then echo "fake systemctl: unexpected arguments: $*" >&2; exit 64; fi
state=$(cat "$dir/units/$2" 2>/dev/null || echo inactive)
echo "$state"
[ "$state" = active ]
`;

describe('systemd-unit health check (real shell over SSH, fake systemctl)', () => {
  let host: ToolHost | undefined;
  let session: HostSession;
  let bin: string;
  const calls = (): string[] => {
    try {
      return readFileSync(path.join(bin, 'calls'), 'utf8').trim().split('\n');
    } catch {
      return [];
    }
  };
  const setUnit = (unit: string, state: string) => writeFileSync(path.join(bin, 'units', unit), `${state}\n`);
  const check = (unit: string) => runHealthCheck(session, { kind: 'systemd-unit', unit });

  before(async () => {
    bin = mkdtempSync(path.join(os.tmpdir(), 'kr-systemctl-'));
    mkdirSync(path.join(bin, 'units'));
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

  it('is healthy when the unit is active', async () => {
    setUnit('nginx.service', 'active');
    assert.equal(await check('nginx.service'), null);
    assert.deepEqual(calls(), ['is-active nginx.service']);
  });

  it("fails with the unit's state as systemctl prints it", async () => {
    setUnit('postgresql@15-main.service', 'failed');
    assert.equal(await check('postgresql@15-main.service'), 'postgresql@15-main.service is failed');
    assert.equal(await check('never-installed.service'), 'never-installed.service is inactive');
    assert.deepEqual(calls(), ['is-active postgresql@15-main.service', 'is-active never-installed.service']);
  });

  it('refuses a unit name that is not one before running anything', async () => {
    await assert.rejects(check('nginx.service; reboot'), /unit: "nginx.service; reboot" is not a valid systemd unit/);
    assert.deepEqual(calls(), []);
    assert.equal(healthCheckSchema.safeParse({ kind: 'systemd-unit', unit: '$(reboot)' }).success, false);
  });
});
