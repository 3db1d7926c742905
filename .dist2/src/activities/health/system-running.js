"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.systemRunningCheck = void 0;
/**
 * `system-running` health check: healthy when `systemctl is-system-running` says running (or
 * degraded, when allowed); a failure names the first failed units.
 */
const health_check_1 = require("../../shared/options/health-check");
const kind = 'system-running';
exports.systemRunningCheck = {
    kind,
    schema: health_check_1.systemRunningCheckSchema,
    check: async (s, check) => {
        // `--wait` blocks while the system is still starting up; bounded by the exec timeout.
        const r = await s.exec('systemctl is-system-running --wait', { timeoutMs: 180_000 }).catch((e) => e);
        if (r instanceof Error)
            return `systemctl is-system-running: ${r.message}`;
        const state = r.stdout.trim();
        if (healthyState(state, check.allowDegraded))
            return null;
        const failed = await s.exec('systemctl --failed --no-legend --plain --no-pager | head -n 5');
        return `system state is ${state || 'unknown'}${failed.stdout.trim() ? ` (failed: ${failed.stdout.trim().replace(/\n/g, '; ')})` : ''}`;
    },
    // Without --wait, and bounded: a read must not block (systemctl waits up to 25 s for a busy
    // systemd). A system still starting, or no answer, is left to `check`, which waits.
    readCommand: () => 'timeout 10 systemctl is-system-running',
    healthyInRead: (check, output) => healthyState(output.trim(), check.allowDegraded),
};
function healthyState(state, allowDegraded) {
    return state === 'running' || (state === 'degraded' && allowDegraded);
}
//# sourceMappingURL=system-running.js.map