"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.configArchitecture = configArchitecture;
exports.architectureProblem = architectureProblem;
/**
 * The Debian architecture a config builds for, as kbuild's scripts/package/mkdebian names the
 * package (x86: CONFIG_X86_32 → i386, else amd64), and the refusal of a config whose kernel would
 * not run where the build host's packages do: `make tinyconfig` on x86 answers "no" to 64BIT, and
 * its i386 package stops at install on every amd64 host.
 */
function configArchitecture(effectiveConfig) {
    const on = (name) => new RegExp(`^CONFIG_${name}=y$`, 'm').test(effectiveConfig);
    if (on('X86'))
        return on('X86_64') || on('64BIT') ? 'amd64' : 'i386';
    if (on('ARM64'))
        return 'arm64';
    if (on('ARM'))
        return 'armhf';
    if (on('PPC64'))
        return 'ppc64el';
    if (on('S390'))
        return 's390x';
    if (on('RISCV'))
        return 'riscv64';
    return undefined;
}
/** Why the effective config does not suit hosts of `hostArch`, or undefined when it does. */
function architectureProblem(effectiveConfig, hostArch) {
    const arch = configArchitecture(effectiveConfig);
    if (arch === undefined || arch === hostArch)
        return undefined;
    const hint = arch === 'i386' && hostArch === 'amd64'
        ? ' (CONFIG_64BIT is not set: add --fragment CONFIG_64BIT=y, or start from a 64-bit config)'
        : '';
    return `the effective config builds a kernel for ${arch}, and the build host and the hosts it builds for are ${hostArch}${hint}`;
}
//# sourceMappingURL=architecture.js.map