"use strict";
/**
 * A reporter for node's test runner (`--test-reporter=<this file>`): one JSON line per test that
 * ended, for `npm run test:matrix` (test/tools/matrix.ts) to tell each scenario's outcome and
 * time. Suites are marked as such; a failure keeps the start of its message.
 */
function errorText(error) {
    const cause = error?.cause;
    const text = cause instanceof Error ? cause.message : typeof cause === 'string' ? cause : (error?.message ?? '');
    return text.length > 500 ? `${text.slice(0, 500)}…` : text;
}
async function* matrixReporter(source) {
    for await (const event of source) {
        if (event.type !== 'test:pass' && event.type !== 'test:fail')
            continue;
        const d = event.data ?? {};
        const line = {
            outcome: event.type === 'test:pass' ? 'passed' : 'failed',
            name: d.name ?? '',
            nesting: d.nesting ?? 0,
            suite: d.details?.type === 'suite',
            seconds: Math.round(d.details?.duration_ms ?? 0) / 1000,
        };
        if (event.type === 'test:fail')
            line.error = errorText(d.details?.error);
        yield `${JSON.stringify(line)}\n`;
    }
}
module.exports = matrixReporter;
//# sourceMappingURL=matrix-reporter.js.map