"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.upgrade = void 0;
/** `kernelctl upgrade <host> --to R`: start one host's upgrade (and, with --wait, watch it to the end). */
const artifact_1 = require("../artifact");
const common_1 = require("../common");
const schemas_1 = require("../../shared/schemas");
const command_1 = require("./command");
const upgrade_input_1 = require("./upgrade-input");
async function upgradeCommand({ v, host, json, clientOpts }) {
    const built = await (0, upgrade_input_1.builtFor)(v, clientOpts);
    const store = (0, artifact_1.artifactStoreFromFlags)(v);
    let input = (0, schemas_1.parseOrThrow)(schemas_1.upgradeHostInputSchema, await (0, upgrade_input_1.upgradeInputFromFlags)(host, v, built));
    // Published only once everything else was checked: bad input uploads nothing.
    if (store && input.source.kind === 'deb')
        input = { ...input, source: await (0, artifact_1.publishDeb)(input.source, store) };
    return (0, common_1.withClient)(clientOpts, async (c) => {
        const handle = await c.startUpgrade(input);
        process.stderr.write(`started ${handle.workflowId} (kernelctl watch ${input.target.host})\n`);
        if (!v['wait']) {
            (0, common_1.out)(json, { workflowId: handle.workflowId, runId: handle.firstExecutionRunId }, handle.workflowId);
            return common_1.EXIT.ok;
        }
        const code = await (0, command_1.watch)(c, input.target.host, json);
        const r = await handle.result();
        (0, common_1.out)(json, r, `${r.host}: ${r.outcome} — ${r.reason}`);
        return code;
    });
}
exports.upgrade = { options: upgrade_input_1.UPGRADE_OPTIONS, needsHost: command_1.ONE_HOST, run: upgradeCommand };
//# sourceMappingURL=upgrade.js.map