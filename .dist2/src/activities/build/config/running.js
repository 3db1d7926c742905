"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.runningBase = void 0;
const config_base_1 = require("../../../shared/options/config-base");
const target_config_1 = require("./target-config");
const kind = 'running';
const schema = config_base_1.runningConfigSchema;
const describe = (c) => `running config of ${c.target.host}`;
function create() {
    return {
        precheck: (ctx, c) => (0, target_config_1.precheckTargetConfig)(ctx, c.target),
        async write(ctx, c) {
            const t = await (0, target_config_1.readTargetConfig)(ctx, c.target);
            await (0, target_config_1.writeOnBuildHost)(ctx, `${ctx.obj}/.config`, t.config);
            return { from: `${c.target.host}'s /boot/config-${t.release}`, runningReleases: [t.release] };
        },
    };
}
/** The registry's entry. */
exports.runningBase = { kind, schema, describe, create };
//# sourceMappingURL=running.js.map