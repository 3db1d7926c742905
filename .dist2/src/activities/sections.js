"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.UEFI_SECTION = void 0;
exports.sectionCommand = sectionCommand;
exports.sectionCommandKeepingErrors = sectionCommandKeepingErrors;
exports.sectionsScript = sectionsScript;
exports.splitLeadAndSections = splitLeadAndSections;
exports.splitSections = splitSections;
/**
 * Several read-only commands in one SSH round trip: each prints a marker line with its section's
 * name, then its output; `splitSections` takes the output apart again. Preflight's facts script
 * and the drivers' state reads use it.
 */
const MARK = '@@kernel-rollout@@';
/**
 * Whether the running system was booted through UEFI (the kernel shows /sys/firmware/efi only
 * then): `yes`, else empty. Read by preflight (pstore on UEFI) and by bootloader drivers.
 */
exports.UEFI_SECTION = ['uefi', '[ -d /sys/firmware/efi ] && echo yes'];
/** One section of a multi-command SSH round trip: a marker line, then the command's output. */
function sectionCommand(name, cmd) {
    return `echo '${MARK} ${name}'; { ${cmd}; } 2>/dev/null`;
}
/**
 * A section that keeps its command's error output (in its text) and never fails the round trip:
 * for steps whose caller reads their success from what they print.
 */
function sectionCommandKeepingErrors(name, cmd) {
    return `echo '${MARK} ${name}'; { ${cmd}; } 2>&1; true`;
}
/** The sections' commands, then an end marker; every section is printed even when its command fails. */
function sectionsScript(sections) {
    return sections
        .map(([name, cmd]) => sectionCommand(name, cmd))
        .concat([`echo '${MARK} end'`])
        .join('\n');
}
/** The output before the first section marker (a command's own), and the sections after it. */
function splitLeadAndSections(output) {
    const lines = output.split('\n');
    const at = lines.findIndex((l) => l.startsWith(`${MARK} `));
    if (at < 0)
        return { lead: output, sections: {} };
    return { lead: lines.slice(0, at).join('\n'), sections: splitSections(lines.slice(at).join('\n')) };
}
function splitSections(output) {
    const out = {};
    let name = null;
    let buf = [];
    for (const line of output.split('\n')) {
        if (line.startsWith(`${MARK} `)) {
            if (name)
                out[name] = buf.join('\n').trim();
            name = line.slice(MARK.length + 1).trim();
            buf = [];
        }
        else {
            buf.push(line);
        }
    }
    if (name && name !== 'end')
        out[name] = buf.join('\n').trim();
    return out;
}
//# sourceMappingURL=sections.js.map