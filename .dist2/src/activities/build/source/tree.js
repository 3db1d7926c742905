"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.treeSource = void 0;
const build_source_1 = require("../../../shared/options/build-source");
const shell_1 = require("../../../shared/shell");
const errors_1 = require("../errors");
const kind = 'tree';
const schema = build_source_1.treeSourceSchema;
const describe = (source) => `tree ${source.path}`;
function create() {
    return {
        async precheck(s, source) {
            const t = (0, shell_1.shellQuote)(source.path);
            const r = await s.exec(`test -d ${t} || exit 3; test -f ${t}/Makefile && test -f ${t}/Kconfig || exit 4`);
            if (r.code === 3)
                return `${source.path} is not a directory on the build host`;
            if (r.code !== 0)
                return `${source.path} is not a kernel tree on the build host (no Makefile and Kconfig)`;
            return undefined;
        },
        async prepare(s, source) {
            const t = (0, shell_1.shellQuote)(source.path);
            const r = await s.exec(`cd ${t} || exit 3; [ -f Makefile ] && [ -f Kconfig ] || exit 4; ` +
                // kbuild refuses an out-of-tree build from a tree that was configured in place.
                `[ -f .config ] && exit 5; ` +
                `if [ -d .git ]; then echo "git $(git rev-parse HEAD) $( (git diff HEAD; git ls-files -o --exclude-standard) | sha256sum | cut -c1-16)"; ` +
                `else echo "files $(find . -type f -printf '%P %s %T@\\n' | LC_ALL=C sort | sha256sum | cut -c1-64)"; fi`, { timeoutMs: 10 * 60_000 });
            const why = {
                3: 'is not a directory on the build host',
                4: 'is not a kernel tree (no Makefile and Kconfig)',
                5: 'has a .config: kernel-rollout builds out of tree, and kbuild refuses that from a tree configured in place (make mrproper there)',
            };
            if (r.code !== 0)
                throw new errors_1.BuildHostNotReadyError(`${source.path} ${why[r.code ?? -1] ?? `could not be read (exit ${r.code})`}`);
            return { identity: `tree ${source.path} ${r.stdout.trim()}`, tree: source.path };
        },
    };
}
/** The registry's entry. */
exports.treeSource = { kind, schema, describe, create };
//# sourceMappingURL=tree.js.map