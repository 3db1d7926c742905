"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.approve = void 0;
/** `kernelctl approve <host>`: release a reboot staged with --approve-before-reboot. */
const common_1 = require("../common");
const command_1 = require("./command");
exports.approve = {
    options: { by: { type: 'string' }, comment: { type: 'string' } },
    needsHost: command_1.ONE_HOST,
    run: ({ host, json, clientOpts, by, comment }) => (0, common_1.withClient)(clientOpts, async (c) => {
        const reply = await c.approve(host, { by, ...(comment ? { comment } : {}) });
        (0, common_1.out)(json, { reply }, reply);
        return common_1.EXIT.ok;
    }),
};
//# sourceMappingURL=approve.js.map