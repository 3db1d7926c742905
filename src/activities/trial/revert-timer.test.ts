import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { revertTimerRemovalSteps, revertUnits } from './revert-timer';

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

  test('removal steps are each safe to repeat', () => {
    for (const step of revertTimerRemovalSteps()) assert.match(step, /\|\| true$|^rm -f /);
  });
});
