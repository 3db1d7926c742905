"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.abort = void 0;
/** `kernelctl abort <host> --reason TEXT`: stop (undo staging before the reboot, roll back after it). */
const common_1 = require("../common");
const schemas_1 = require("../../shared/schemas");
const command_1 = require("./command");
exports.abort = {
    options: { by: { type: 'string' }, reason: { type: 'string' } },
    needsHost: command_1.ONE_HOST,
    run: async ({ host, json, clientOpts, by, reason }) => {
        if (!reason)
            throw new schemas_1.InvalidInputError('--reason: say why (it goes into the timeline)');
        return (0, common_1.withClient)(clientOpts, async (c) => {
            const reply = await c.abort(host, { by, reason });
            (0, common_1.out)(json, { reply }, reply);
            return common_1.EXIT.ok;
        });
    },
};
//# sourceMappingURL=abort.js.map