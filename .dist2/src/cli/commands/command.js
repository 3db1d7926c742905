"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ONE_HOST = exports.OUTCOME_EXIT = void 0;
exports.watch = watch;
const common_1 = require("../common");
exports.OUTCOME_EXIT = {
    upgraded: common_1.EXIT.ok,
    'rolled-back': common_1.EXIT.rolledBack,
    'needs-attention': common_1.EXIT.needsAttention,
    aborted: common_1.EXIT.aborted,
    refused: common_1.EXIT.refused,
};
const ONE_HOST = () => true;
exports.ONE_HOST = ONE_HOST;
/** Prints a host's timeline as it grows; the outcome's exit code once it ends. */
async function watch(client, host, json) {
    let printed = 0;
    for (;;) {
        const s = await client.status(host);
        for (const t of s.timeline.slice(printed)) {
            process.stdout.write(json ? `${JSON.stringify(t)}\n` : `${t.at}  ${t.phase.padEnd(17)} ${t.message}\n`);
        }
        printed = s.timeline.length;
        if (s.outcome)
            return exports.OUTCOME_EXIT[s.outcome];
        await new Promise((r) => setTimeout(r, 1000));
    }
}
//# sourceMappingURL=command.js.map