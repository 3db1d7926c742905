"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.fileBase = void 0;
const config_base_1 = require("../../../shared/options/config-base");
const shell_1 = require("../../../shared/shell");
const errors_1 = require("../errors");
const kind = 'file';
const schema = config_base_1.fileConfigSchema;
const describe = (c) => `config file ${c.path}`;
function create() {
    return {
        async precheck(ctx, c) {
            const r = await ctx.build.exec(`grep -q '^CONFIG_' -- ${(0, shell_1.shellQuote)(c.path)}`);
            return r.code === 0 ? undefined : `${c.path} is not a kernel config on the build host (or is not there)`;
        },
        async write(ctx, c) {
            const r = await ctx.build.exec(`grep -q '^CONFIG_' -- ${(0, shell_1.shellQuote)(c.path)} && cp -- ${(0, shell_1.shellQuote)(c.path)} ${(0, shell_1.shellQuote)(`${ctx.obj}/.config`)}`);
            if (r.code !== 0)
                throw new errors_1.BuildHostNotReadyError(`${c.path} is not a kernel config on the build host`);
            return { from: c.path, runningReleases: [] };
        },
    };
}
/** The registry's entry. */
exports.fileBase = { kind, schema, describe, create };
//# sourceMappingURL=file.js.map