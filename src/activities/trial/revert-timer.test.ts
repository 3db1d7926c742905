import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  REVERT_SERVICE_UNIT,
  REVERT_TIMER_UNIT,
  armRevertTimerCommand,
  revertTimerRemovalSteps,
  revertUnits,
} from './revert-timer';

const CLEAR = 'grub-editenv /boot/grub/grubenv unset next_entry';

describe('revert timer', () => {
  test('revert units fire only on the trial boot and only unconfirmed', () => {
    const u = revertUnits('tok123', 300, CLEAR);
    assert.match(u.timer, /ConditionKernelCommandLine=kernel_rollout\.trial=tok123/);
    assert.match(u.timer, /OnBootSec=300s/);
    assert.match(u.service, /ConditionPathExists=!\/run\/kernel-rollout\/confirmed/);
    assert.match(u.service, /systemctl reboot \|\| reboot -f/);
    assert.throws(() => revertUnits('tok', 5, CLEAR), /revertAfterSeconds/);
  });

  test("the bootloader's one-shot clearing runs before the reboot; a quote in it is refused", () => {
    const u = revertUnits('tok123', 300, CLEAR);
    assert.match(
      u.service,
      /^ExecStart=\/bin\/sh -c 'grub-editenv \/boot\/grub\/grubenv unset next_entry; systemctl reboot/m,
    );
    assert.throws(() => revertUnits('tok123', 300, "echo 'x'"), /quote/);
  });

  test('arming is one shell command: both units written byte for byte, then enabled (real sh)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kr-revert-'));
    try {
      writeFileSync(path.join(dir, 'systemctl'), `#!/bin/sh\necho "$@" >> ${dir}/systemctl.log\n`, { mode: 0o755 });
      const u = revertUnits('tok123', 300, CLEAR);
      const command = armRevertTimerCommand(u).replaceAll('/etc/systemd/system/', `${dir}/`);
      const r = spawnSync('sh', ['-c', command], {
        encoding: 'utf8',
        env: { ...process.env, PATH: `${dir}:/usr/bin:/bin` },
      });
      assert.equal(r.status, 0, r.stderr);
      assert.equal(readFileSync(path.join(dir, REVERT_TIMER_UNIT), 'utf8'), u.timer);
      assert.equal(readFileSync(path.join(dir, REVERT_SERVICE_UNIT), 'utf8'), u.service);
      assert.equal(readFileSync(path.join(dir, 'systemctl.log'), 'utf8'), `--no-reload enable ${REVERT_TIMER_UNIT}\n`);
      assert.throws(
        () => armRevertTimerCommand({ ...u, service: 'x\nKERNEL_ROLLOUT_UNIT_EOF\ny' }),
        /contains the line/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('removal steps are each safe to repeat', () => {
    for (const step of revertTimerRemovalSteps()) assert.match(step, /\|\| true$|^rm -f /);
  });
});
