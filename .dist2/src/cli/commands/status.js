"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.status = void 0;
exports.formatStatus = formatStatus;
/** `kernelctl status <host>`: phase, timeline, outcome. */
const common_1 = require("../common");
const command_1 = require("./command");
function formatTimeline(s) {
    return s.timeline.map((t) => `  ${t.at}  ${t.phase.padEnd(17)} ${t.message}`).join('\n');
}
function formatStatus(s) {
    // The running kernel is read at preflight, which a VM rehearsal comes before.
    const from = s.from ?? '(running kernel not read yet)';
    return [
        `${s.host}: ${s.phase}${s.outcome ? ` (${s.outcome})` : ''} — ${s.details}`,
        `  kernel ${from} → ${s.to}${s.bootloader ? `; bootloader ${s.bootloaderLabel ?? s.bootloader}` : ''}${s.waitingFor ? `; waiting for ${s.waitingFor}` : ''}`,
        ...(s.rehearsalId ? [`  VM rehearsal ${s.rehearsalId} (workflow kernel-rehearsal/${s.rehearsalId})`] : []),
        formatTimeline(s),
    ].join('\n');
}
exports.status = {
    options: {},
    needsHost: command_1.ONE_HOST,
    run: ({ host, json, clientOpts }) => (0, common_1.withClient)(clientOpts, async (c) => {
        const s = await c.status(host);
        (0, common_1.out)(json, s, formatStatus(s));
        if (s.outcome)
            return command_1.OUTCOME_EXIT[s.outcome];
        // Still open but waiting for an operator's `kernelctl resolve`: needs-attention, not ok.
        return s.waitingFor === 'operator' ? common_1.EXIT.needsAttention : common_1.EXIT.ok;
    }),
};
//# sourceMappingURL=status.js.map