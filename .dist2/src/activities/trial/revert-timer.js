"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.CONFIRM_FLAG = exports.REVERT_SERVICE_UNIT = exports.REVERT_TIMER_UNIT = void 0;
exports.revertUnits = revertUnits;
exports.armRevertTimer = armRevertTimer;
exports.armRevertTimerCommand = armRevertTimerCommand;
exports.revertTimerRemovalSteps = revertTimerRemovalSteps;
exports.confirmFlagCommand = confirmFlagCommand;
exports.confirmTrialBoot = confirmTrialBoot;
/**
 * The host-side revert timer: on the trial boot only (its kernel command line carries the trial
 * token), reboot into the known-good kernel unless the trial was confirmed in time. It does not
 * depend on the worker or the network, so a trial kernel that boots but cannot be reached still
 * comes back. Which kernel the reboot brings is the bootloader's saved default; the bootloader
 * gives the command that clears its one-shot, run again before the reboot.
 */
const shell_1 = require("../../shared/shell");
const host_1 = require("../host");
exports.REVERT_TIMER_UNIT = 'kernel-rollout-revert.timer';
exports.REVERT_SERVICE_UNIT = 'kernel-rollout-revert.service';
exports.CONFIRM_FLAG = '/run/kernel-rollout/confirmed';
function revertUnits(trialToken, afterSeconds, clearOneShotCommand) {
    (0, shell_1.assertMatches)('trialToken', trialToken, /^[A-Za-z0-9]{1,64}$/, 'trial token');
    if (!Number.isInteger(afterSeconds) || afterSeconds < 30)
        throw new Error('revertAfterSeconds: at least 30');
    if (clearOneShotCommand.includes("'"))
        throw new Error('the one-shot clearing command must not contain a quote');
    const condition = `ConditionKernelCommandLine=kernel_rollout.trial=${trialToken}`;
    return {
        timer: [
            '[Unit]',
            'Description=kernel-rollout: revert an unconfirmed trial kernel',
            condition,
            '',
            '[Timer]',
            `OnBootSec=${afterSeconds}s`,
            'AccuracySec=1s',
            '',
            '[Install]',
            'WantedBy=timers.target',
            '',
        ].join('\n'),
        service: [
            '[Unit]',
            'Description=kernel-rollout: reboot into the known-good kernel (trial not confirmed)',
            condition,
            `ConditionPathExists=!${exports.CONFIRM_FLAG}`,
            '',
            '[Service]',
            'Type=oneshot',
            // The one-shot is spent already; clearing it again is belt and braces. If systemd cannot
            // reboot cleanly (no D-Bus, stuck unit), force it.
            `ExecStart=/bin/sh -c '${clearOneShotCommand}; systemctl reboot || reboot -f'`,
            '',
        ].join('\n'),
    };
}
/** Writes and enables the units (they act on the next boot only if it is the trial's). */
async function armRevertTimer(s, units) {
    await s.run(armRevertTimerCommand(units), host_1.sudo);
}
/**
 * One round trip: both unit files (quoted here-documents: nothing in them is expanded), then
 * enable. No reload of systemd (neither `daemon-reload` nor the one `enable` does unless told
 * `--no-reload`): the timer is never started in this boot, and the boot that it acts in loads both
 * units from disk (each reload cost seconds on a slow host, for nothing).
 */
function armRevertTimerCommand(units) {
    const EOF = 'KERNEL_ROLLOUT_UNIT_EOF';
    const file = (name, text) => {
        if (text.split('\n').includes(EOF))
            throw new Error(`the unit ${name} contains the line ${EOF}`);
        return `cat > /etc/systemd/system/${name} <<'${EOF}'\n${text.endsWith('\n') ? text : `${text}\n`}${EOF}`;
    };
    return [
        file(exports.REVERT_TIMER_UNIT, units.timer),
        file(exports.REVERT_SERVICE_UNIT, units.service),
        `systemctl --no-reload enable ${exports.REVERT_TIMER_UNIT}`,
    ].join('\n');
}
/**
 * Shell steps (each safe to repeat) that remove the timer; a bootloader's disarm runs them with
 * its own. The timer is stopped and disabled, then its files go: no later boot can load it. No
 * reload of systemd (`--no-reload`, no `daemon-reload`): systemd drops the stopped, unreferenced
 * units from memory by itself.
 */
function revertTimerRemovalSteps() {
    return [
        `systemctl --no-reload disable --now ${exports.REVERT_TIMER_UNIT} >/dev/null 2>&1 || true`,
        `rm -f /etc/systemd/system/${exports.REVERT_TIMER_UNIT} /etc/systemd/system/${exports.REVERT_SERVICE_UNIT}`,
    ];
}
/** Shell (as root): the trial of this boot confirmed (the revert service's condition fails from now on). */
function confirmFlagCommand() {
    return `mkdir -p ${host_1.RUN_DIR} && touch ${exports.CONFIRM_FLAG}`;
}
/**
 * Confirms the trial for this boot, and only if the host still runs the boot `expectedBootId`
 * (one round trip: the check and the confirmation are one command on the host). The flag lives
 * in /run, so it goes with the boot. False when the host runs another boot (nothing done).
 */
async function confirmTrialBoot(s, expectedBootId) {
    const out = await s.run(`if [ "$(cat /proc/sys/kernel/random/boot_id)" = ${(0, shell_1.shellQuote)(expectedBootId)} ]; then ` +
        `${confirmFlagCommand()} && (systemctl stop ${exports.REVERT_TIMER_UNIT} || true) && echo confirmed; ` +
        'else echo other-boot; fi', host_1.sudo);
    return out.trim() === 'confirmed';
}
//# sourceMappingURL=revert-timer.js.map