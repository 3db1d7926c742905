"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.pruneCommand = pruneCommand;
exports.parsePruneOutput = parsePruneOutput;
exports.pruneBuilds = pruneBuilds;
/**
 * `kernelctl build prune`: the build root's space back. A build leaves its objects (`obj/`, about
 * 3.7 GB for Debian's config) and, beside the kernel package, a debug package of about 100 MB.
 * Each key's directory is pruned under its own `build.lock` (taken without waiting), so a build
 * in progress, which holds it, is never touched. Without `keepPackages` a key's whole directory
 * goes (asking for the key again builds it again); with it only the objects and the debug
 * package go, and the key still answers with its package (or its failure). Unpacked sources
 * under `sources/` are left alone: every build of a source reads its tree.
 */
const shell_1 = require("../../shared/shell");
/** One shell script: a line per key directory, `REMOVED|TRIMMED|BUSY <key> <bytes freed>`. */
function pruneCommand(root, keepPackages) {
    const remove = keepPackages ? `rm -rf -- "$0/obj" "$0"/*-dbg_*.deb` : `rm -rf -- "$0"`;
    const done = keepPackages ? 'TRIMMED' : 'REMOVED';
    return (`cd ${(0, shell_1.shellQuote)(root)} 2>/dev/null || exit 0; ` +
        `for d in *; do ` +
        `printf '%s\\n' "$d" | grep -qxE '[0-9a-f]{16}' || continue; [ -d "$d" ] || continue; ` +
        `before=$(du -sb -- "$d" | cut -f1); ` +
        `if flock -n "$d/build.lock" sh -c '${remove}' "$d"; then ` +
        `after=$(du -sb -- "$d" 2>/dev/null | cut -f1); echo "${done} $d $((before - \${after:-0}))"; ` +
        `else echo "BUSY $d 0"; fi; done`);
}
function parsePruneOutput(out) {
    const entries = [];
    for (const line of out.split('\n')) {
        const m = /^(REMOVED|TRIMMED|BUSY) ([0-9a-f]{16}) (\d+)$/.exec(line.trim());
        if (m)
            entries.push({
                key: m[2],
                action: m[1].toLowerCase(),
                freedBytes: Number(m[3]),
            });
    }
    return entries;
}
async function pruneBuilds(b, root, keepPackages) {
    return parsePruneOutput(await b.run(pruneCommand(root, keepPackages), { timeoutMs: 30 * 60_000 }));
}
//# sourceMappingURL=prune.js.map