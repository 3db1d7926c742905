"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.makeTargetBase = void 0;
const config_base_1 = require("../../../shared/options/config-base");
const errors_1 = require("../errors");
const kind = 'make';
const schema = config_base_1.makeTargetConfigSchema;
const describe = (c) => ['make', c.target, ...c.treeFragments].join(' ');
function create() {
    return {
        precheck: () => Promise.resolve(undefined),
        async write(ctx, c) {
            // On x86, ARCH=x86 (kbuild's default) lets tinyconfig and allnoconfig answer "no" to 64BIT:
            // an i386 kernel. ARCH=x86_64 has no such question; the .config is the same x86 tree's.
            const x86_64 = (await ctx.build.run('uname -m')).trim() === 'x86_64';
            const r = await ctx.build.exec(`${ctx.make}${x86_64 ? ' ARCH=x86_64' : ''} ${[c.target, ...c.treeFragments].join(' ')}`, {
                timeoutMs: 10 * 60_000,
            });
            if (r.code !== 0)
                throw new errors_1.BuildConfigError(`make ${c.target} failed: ${(r.stderr || r.stdout).trim().slice(-800)}`);
            return { from: describe(c), runningReleases: [] };
        },
    };
}
/** The registry's entry. */
exports.makeTargetBase = { kind, schema, describe, create };
//# sourceMappingURL=make-target.js.map