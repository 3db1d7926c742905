"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.unpackOnce = unpackOnce;
/**
 * Unpacks a kernel tarball on the build host once: into a temporary directory beside the final
 * one, then renamed, so a crash mid-way leaves no half tree that a retry would take for whole.
 */
const shell_1 = require("../../../shared/shell");
const errors_1 = require("../errors");
const UNPACK_TIMEOUT_MS = 30 * 60_000;
/** `<root>/sources/<name>/linux`: the tarball's single top directory, unpacked. */
async function unpackOnce(s, tarball, root, name) {
    const dir = `${root}/sources/${name}`;
    const tree = `${dir}/linux`;
    const q = { dir: (0, shell_1.shellQuote)(dir), tree: (0, shell_1.shellQuote)(tree), tarball: (0, shell_1.shellQuote)(tarball) };
    const r = await s.exec(`if [ -f ${q.tree}/Makefile ]; then exit 0; fi; ` +
        `set -e; mkdir -p ${q.dir}; tmp=$(mktemp -d ${q.dir}/.unpack-XXXXXX); ` +
        `tar -xf ${q.tarball} -C "$tmp"; ` +
        `top=$(ls -A "$tmp"); [ "$(printf '%s\\n' "$top" | wc -l)" = 1 ] && [ -f "$tmp/$top/Makefile" ] || ` +
        `{ echo "the tarball does not hold one kernel tree (top level: $top)" >&2; rm -rf "$tmp"; exit 3; }; ` +
        `rm -rf ${q.tree}; mv "$tmp/$top" ${q.tree}; rmdir "$tmp"`, { timeoutMs: UNPACK_TIMEOUT_MS });
    if (r.code !== 0) {
        throw new errors_1.BuildHostNotReadyError(`unpacking ${tarball} into ${dir} failed (exit ${r.code}): ${r.stderr.trim().slice(-500)}`);
    }
    return tree;
}
//# sourceMappingURL=unpack.js.map