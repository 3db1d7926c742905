"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.resolve = void 0;
/** `kernelctl resolve <host> --retry|--mark-fixed|--give-up`: decide for a run in needs-attention. */
const common_1 = require("../common");
const schemas_1 = require("../../shared/schemas");
const command_1 = require("./command");
async function resolveCommand({ v, host, json, clientOpts, by, comment }) {
    const chosen = ['retry', 'mark-fixed', 'give-up'].filter((a) => v[a] === true);
    if (chosen.length !== 1)
        throw new schemas_1.InvalidInputError('action: give exactly one of --retry, --mark-fixed, --give-up');
    return (0, common_1.withClient)(clientOpts, async (c) => {
        const reply = await c.resolve(host, { by, action: chosen[0], ...(comment ? { comment } : {}) });
        (0, common_1.out)(json, { reply }, reply);
        return common_1.EXIT.ok;
    });
}
exports.resolve = {
    options: {
        by: { type: 'string' },
        comment: { type: 'string' },
        retry: { type: 'boolean' },
        'mark-fixed': { type: 'boolean' },
        'give-up': { type: 'boolean' },
    },
    needsHost: command_1.ONE_HOST,
    run: resolveCommand,
};
//# sourceMappingURL=resolve.js.map