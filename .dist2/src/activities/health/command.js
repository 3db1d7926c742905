"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.commandCheck = void 0;
/** `command` health check: a shell command on the host; healthy when it exits 0. */
const health_check_1 = require("../../shared/options/health-check");
const kind = 'command';
exports.commandCheck = {
    kind,
    schema: health_check_1.commandCheckSchema,
    check: async (s, check) => {
        const r = await s.exec(check.command, { timeoutMs: check.timeoutSeconds * 1000 }).catch((e) => e);
        if (r instanceof Error)
            return `health command \`${check.command}\`: ${r.message}`;
        if (r.code === 0)
            return null;
        const ended = r.code !== null ? `exited ${r.code}` : `was killed by ${r.signal ?? 'a signal'}`;
        // The end of what it said on stderr, else on stdout (`curl -s`, `systemctl is-active` print there).
        const said = r.stderr.trim() || r.stdout.trim();
        return `health command \`${check.command}\` ${ended}${said ? `: ${said.slice(-300)}` : ' and printed nothing'}`;
    },
};
//# sourceMappingURL=command.js.map