"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.localmodconfigBase = void 0;
const config_base_1 = require("../../../shared/options/config-base");
const shell_1 = require("../../../shared/shell");
const errors_1 = require("../errors");
const target_config_1 = require("./target-config");
const kind = 'localmodconfig';
const schema = config_base_1.localmodconfigConfigSchema;
const describe = (c) => `localmodconfig of ${c.target.host}`;
function create() {
    return {
        precheck: (ctx, c) => (0, target_config_1.precheckTargetConfig)(ctx, c.target),
        async write(ctx, c) {
            const t = await (0, target_config_1.readTargetConfig)(ctx, c.target);
            const lsmod = `${ctx.obj}/lsmod.${c.target.host}`;
            await (0, target_config_1.writeOnBuildHost)(ctx, `${ctx.obj}/.config`, t.config);
            await (0, target_config_1.writeOnBuildHost)(ctx, lsmod, t.lsmod);
            // New options are answered with their defaults (yes ''), as olddefconfig would.
            const r = await ctx.build.exec(`yes '' | ${ctx.make} LSMOD=${(0, shell_1.shellQuote)(lsmod)} localmodconfig`, {
                timeoutMs: 10 * 60_000,
            });
            if (r.code !== 0)
                throw new errors_1.BuildConfigError(`make localmodconfig failed: ${(r.stderr || r.stdout).trim().slice(-800)}`);
            return { from: `${c.target.host}'s /boot/config-${t.release}, localmodconfig`, runningReleases: [t.release] };
        },
    };
}
/** The registry's entry. */
exports.localmodconfigBase = {
    kind,
    schema,
    describe,
    create,
};
//# sourceMappingURL=localmodconfig.js.map