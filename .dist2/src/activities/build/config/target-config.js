"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.readTargetConfig = readTargetConfig;
exports.writeOnBuildHost = writeOnBuildHost;
exports.precheckTargetConfig = precheckTargetConfig;
/** Reads a target host's running kernel config (and optionally its loaded modules) over SSH. */
const shell_1 = require("../../../shared/shell");
const errors_1 = require("../errors");
async function readTargetConfig(ctx, target) {
    return ctx.withHost(target, async (t) => {
        const release = (await t.run('uname -r')).trim();
        const path = `/boot/config-${release}`;
        const r = await t.exec(`cat -- ${(0, shell_1.shellQuote)(path)}`, { timeoutMs: 60_000 });
        if (r.code !== 0 || !/^CONFIG_/m.test(r.stdout)) {
            throw new errors_1.BuildHostNotReadyError(`${target.host} has no readable ${path}; give the config another way`);
        }
        const lsmod = await t.run('cat /proc/modules');
        return { release, config: r.stdout, lsmod };
    });
}
/** Writes `text` to `file` on the build host (through stdin: no size limit of a command line). */
async function writeOnBuildHost(ctx, file, text) {
    await ctx.build.run(`cat > ${(0, shell_1.shellQuote)(file)}`, { stdin: text });
}
/** Why the target's running config cannot be read, or undefined (connects: SSH errors propagate). */
async function precheckTargetConfig(ctx, target) {
    return ctx.withHost(target, async (t) => {
        const r = await t.exec(`f=/boot/config-$(uname -r); grep -q '^CONFIG_' "$f" && echo ok || echo "$f"`);
        return r.stdout.trim() === 'ok' ? undefined : `${target.host} has no readable ${r.stdout.trim()}`;
    });
}
//# sourceMappingURL=target-config.js.map