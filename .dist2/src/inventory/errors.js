"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ProblemList = exports.InventoryError = void 0;
exports.formatProblem = formatProblem;
exports.printable = printable;
exports.closest = closest;
/**
 * Inventory problems name the file, the line and the field, like a compiler:
 *   inv.yaml:14: hosts.web-2.port: must be 1-65535
 * so an operator can jump straight to the mistake. A loader collects every problem it can find
 * before throwing, so one run shows them all.
 */
const shell_1 = require("../shared/shell");
function formatProblem(p) {
    const file = printable(p.file);
    const where = p.line > 0 ? `${file}:${p.line}` : file;
    return p.field ? `${where}: ${printable(p.field)}: ${printable(p.message)}` : `${where}: ${printable(p.message)}`;
}
/**
 * Text from a file (names, values, paths) is shown with control characters, DEL, C1 controls and
 * bidirectional overrides escaped (`\x1b`, `\u202e`): a file must not be able to drive the
 * operator's terminal through an error message.
 */
function printable(text) {
    return text.replace(new RegExp(shell_1.CONTROL_CHARS_RE.source, 'g'), (c) => {
        const code = c.charCodeAt(0);
        return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
    });
}
const MAX_LISTED = 25;
class InventoryError extends Error {
    problems;
    name = 'InventoryError';
    constructor(problems) {
        const lines = problems.slice(0, MAX_LISTED).map(formatProblem);
        if (problems.length > MAX_LISTED)
            lines.push(`… and ${problems.length - MAX_LISTED} more`);
        super(lines.join('\n'));
        this.problems = problems;
    }
}
exports.InventoryError = InventoryError;
/** Collects problems; `throwIfAny` ends a phase of loading when something was wrong. */
class ProblemList {
    problems = [];
    seen = new Set();
    /**
     * `context` (e.g. "for host web-1") is shown but not compared: one bad line in ~/.ssh/config
     * that applies to 10,000 hosts is reported once.
     */
    add(origin, message, context) {
        const p = {
            file: printable(origin.file),
            line: origin.line,
            field: printable(origin.field),
            message: printable(message),
        };
        const key = formatProblem(p);
        if (this.seen.has(key))
            return;
        this.seen.add(key);
        this.problems.push(context ? { ...p, message: `${p.message} (${printable(context)})` } : p);
    }
    /** Throws with the problems in file and line order, like a compiler's listing. */
    throwIfAny() {
        if (this.problems.length === 0)
            return;
        const sorted = [...this.problems].sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1));
        throw new InventoryError(sorted);
    }
}
exports.ProblemList = ProblemList;
/** Suggests the closest known word for a typo (edit distance ≤ 2), for "unknown key" messages. */
function closest(word, candidates) {
    let best;
    let bestDistance = 3;
    for (const c of candidates) {
        const d = editDistance(word.toLowerCase(), c.toLowerCase());
        if (d < bestDistance) {
            best = c;
            bestDistance = d;
        }
    }
    return best;
}
function editDistance(a, b) {
    let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
        const cur = [i];
        for (let j = 1; j <= b.length; j++) {
            cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
        }
        prev = cur;
    }
    return prev[b.length] ?? 0;
}
//# sourceMappingURL=errors.js.map