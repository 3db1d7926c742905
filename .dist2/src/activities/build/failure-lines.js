"use strict";
/**
 * The lines of a failed build's log that say why, for the failure's message. kbuild's quiet lines
 * (`  CC      tools/objtool/str_error_r.o`) name objects, and an object may be called error-inject.o:
 * they are never causes. What is: compiler and linker diagnostics (`error:`, `fatal error:`,
 * `undefined reference`), a tool's own words (`pahole (pahole) is not available`, `flex: not
 * found`, `No such file or directory`, `No space left on device`, dpkg's `Unmet build
 * dependencies`), and make's `***` line of the target that failed first. The `***` lines make
 * prints while unwinding its recursion (`Error 2` after an earlier `***`) and dpkg-buildpackage's
 * "subprocess returned exit status" repeat that cause and are left out.
 */
Object.defineProperty(exports, "__esModule", { value: true });
exports.MAX_CAUSE_LINES = void 0;
exports.causeLines = causeLines;
/** kbuild's quiet command lines: two spaces, a tag such as CC, LD, BTF or "CC [M]", the target. */
const QUIET = /^ {2}[A-Z][A-Z0-9_]{0,11}( \[M\])? +\S/;
const CAUSES = [
    /(^|[\s:])(fatal )?error:/i,
    /\bundefined reference to\b/,
    /\bis not available\b/,
    /\bnot found\b/,
    /No such file or directory/,
    /No space left on device/,
    /Permission denied/,
    /Unmet build dependencies/,
    /^Failed to\b/,
    /^Try to disable CONFIG_/,
    /\bKilled\b|Segmentation fault|internal compiler error/,
    /\bcannot (find|open|stat|execute|create|allocate)\b/i,
    /^make(\[\d+\])?: \*\*\* /,
];
const NOISE = [
    /^kernel-rollout:/,
    /\bwarning:/i,
    /Waiting for unfinished jobs/,
    /subprocess returned exit status/,
    /^dpkg-buildpackage: info:/,
];
/** At most this many lines are quoted: the first ones, where the cause usually is. */
exports.MAX_CAUSE_LINES = 20;
function causeLines(log) {
    const out = [];
    let makeFailed = false;
    for (const raw of log.split('\n')) {
        const line = raw.replace(/\s+$/, '');
        if (!line || QUIET.test(line) || NOISE.some((re) => re.test(line)))
            continue;
        if (!CAUSES.some((re) => re.test(line)))
            continue;
        const make = /^make(\[\d+\])?: \*\*\* .*\bError (\d+)$/.exec(line);
        if (make) {
            // make unwinding its recursion: the failure was quoted already.
            if (makeFailed && make[2] === '2')
                continue;
            makeFailed = true;
        }
        if (!out.includes(line))
            out.push(line);
    }
    if (out.length > exports.MAX_CAUSE_LINES) {
        const more = out.length - (exports.MAX_CAUSE_LINES - 1);
        return [...out.slice(0, exports.MAX_CAUSE_LINES - 1), `… and ${more} more such line(s)`];
    }
    return out;
}
//# sourceMappingURL=failure-lines.js.map