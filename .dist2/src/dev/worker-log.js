"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.compactLogLine = compactLogLine;
exports.devLogFunction = devLogFunction;
/**
 * The worker's log lines in the `kernelctl dev` terminal. The SDK logs each failed activity
 * attempt with the whole error (40–60 lines of stack and cause chain). A failure the product
 * raised on purpose (an ApplicationFailure with its own type: a host that refuses, a build that
 * failed) is expected: one line, with the activity and the message's first line. A failure of
 * another kind (a TypeError: a bug) keeps its stack.
 */
const node_util_1 = require("node:util");
/** Types that mean a bug, not a refusal: their stack matters. */
const BUG_TYPES = new Set(['Error', 'TypeError', 'ReferenceError', 'RangeError', 'SyntaxError', 'AssertionError']);
/** The product's own failure type of an error, or undefined when it is not one. */
function expectedType(error) {
    if (!error || typeof error !== 'object')
        return undefined;
    const e = error;
    if (e.name !== 'ApplicationFailure' || !e.type || BUG_TYPES.has(e.type))
        return undefined;
    return e.type;
}
/** One line for an expected failure; undefined for every other entry. */
function compactLogLine(entry) {
    const meta = entry.meta;
    const type = expectedType(meta?.['error']);
    if (!meta || !type)
        return undefined;
    const error = meta['error'];
    const first = (error.message ?? '').split('\n')[0]?.trim() ?? '';
    const where = [meta['activityType'], meta['workflowId']].filter((x) => typeof x === 'string').join(' of ');
    const when = new Date(Number(entry.timestampNanos / 1000000n)).toISOString();
    const attempt = typeof meta['attempt'] === 'number' ? ` (attempt ${meta['attempt']})` : '';
    return `${when} [${entry.level}] ${entry.message}${where ? `: ${where}` : ''}${attempt}: ${type}: ${first}`;
}
/** The log function for the dev worker: expected failures on one line, the rest as the SDK prints them. */
function devLogFunction(entry) {
    const line = compactLogLine(entry);
    if (line !== undefined) {
        process.stderr.write(`${line}\n`);
        return;
    }
    const when = new Date(Number(entry.timestampNanos / 1000000n));
    const fmt = node_util_1.formatWithOptions.bind(undefined, { colors: false });
    process.stderr.write(`${fmt(when)} [${entry.level}] ${entry.message}${entry.meta === undefined ? '' : ` ${fmt(entry.meta)}`}\n`);
}
//# sourceMappingURL=worker-log.js.map