"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.CONFIG_REQUIREMENTS = exports.BASE_REQUIREMENTS = void 0;
exports.configRequirements = configRequirements;
exports.probeCommand = probeCommand;
exports.missingMessage = missingMessage;
exports.checkRequirements = checkRequirements;
/**
 * What a kernel build needs on the build host, and the check that refuses a host lacking it
 * before anything compiles. Two rounds: what every `make bindeb-pkg` needs (checked first, before
 * the source is touched), and what the effective .config asks for (checked once it is known: a
 * Debian config has CONFIG_DEBUG_INFO_BTF=y, whose final link runs `pahole`).
 *
 * `make bindeb-pkg` of 6.1 runs `dpkg-buildpackage` under `fakeroot`, which checks the generated
 * debian/control's Build-Depends as installed *packages* (dpkg-checkbuilddeps, build-essential
 * implied): bc, rsync, kmod, cpio, bison, flex, libelf-dev, libssl-dev. So those are checked as
 * packages; the rest as commands (a pahole in /usr/local serves as well as Debian's).
 */
const shell_1 = require("../../shared/shell");
const errors_1 = require("./errors");
const cmd = (name, pkg, why) => ({
    kind: 'command',
    name,
    package: pkg,
    ...(why ? { why } : {}),
});
const pkg = (name, why) => ({ kind: 'package', name, package: name, why });
/** What every build needs, whatever its config. */
exports.BASE_REQUIREMENTS = [
    cmd('make', 'make'),
    cmd('gcc', 'gcc'),
    cmd('ld', 'binutils'),
    cmd('perl', 'perl'),
    cmd('flex', 'flex'),
    cmd('bison', 'bison'),
    cmd('bc', 'bc'),
    cmd('xz', 'xz-utils'),
    cmd('cpio', 'cpio'),
    cmd('depmod', 'kmod'),
    cmd('rsync', 'rsync'),
    cmd('flock', 'util-linux'),
    cmd('setsid', 'util-linux'),
    cmd('dpkg-deb', 'dpkg'),
    cmd('dpkg-buildpackage', 'dpkg-dev', 'make bindeb-pkg'),
    cmd('fakeroot', 'fakeroot', 'make bindeb-pkg runs dpkg-buildpackage under fakeroot'),
    { kind: 'file', name: '/usr/include/libelf.h', package: 'libelf-dev' },
    { kind: 'file', name: '/usr/include/openssl/opensslv.h', package: 'libssl-dev' },
    // dpkg-buildpackage checks the Build-Depends kbuild writes (scripts/package/mkdebian) as packages.
    ...['build-essential', 'bc', 'rsync', 'kmod', 'cpio', 'bison', 'flex', 'libelf-dev', 'libssl-dev'].map((p) => pkg(p, 'a Build-Depends of the debian/control that make bindeb-pkg writes')),
];
/**
 * Tools the effective config asks for: `CONFIG_X=y` (or =m), or `CONFIG_X=<value>` when `value`
 * is given, → the command and its package. Found missing on a fresh Debian 12 minbase build host
 * (test/e2e/source-build-lmc.test.ts): python3, which generates libbpf's bpf_helper_defs.h
 * (scripts/bpf_doc.py) for resolve_btfids, the BTF tool, and openssl, which generates the module
 * signing key when the config names kbuild's default one.
 */
exports.CONFIG_REQUIREMENTS = [
    { option: 'DEBUG_INFO_BTF', need: cmd('pahole', 'dwarves') },
    { option: 'DEBUG_INFO_BTF', need: cmd('python3', 'python3') },
    { option: 'MODULE_SIG_KEY', value: '"certs/signing_key.pem"', need: cmd('openssl', 'openssl') },
    { option: 'KERNEL_ZSTD', need: cmd('zstd', 'zstd') },
    { option: 'MODULE_COMPRESS_ZSTD', need: cmd('zstd', 'zstd') },
    { option: 'KERNEL_XZ', need: cmd('xz', 'xz-utils') },
    { option: 'MODULE_COMPRESS_XZ', need: cmd('xz', 'xz-utils') },
    { option: 'KERNEL_LZ4', need: cmd('lz4', 'lz4') },
    { option: 'KERNEL_LZO', need: cmd('lzop', 'lzop') },
    { option: 'KERNEL_BZIP2', need: cmd('bzip2', 'bzip2') },
    { option: 'KERNEL_LZMA', need: cmd('xz', 'xz-utils') },
];
/** The requirements of an effective .config beyond BASE_REQUIREMENTS. */
function configRequirements(effectiveConfig) {
    const values = new Map();
    for (const line of effectiveConfig.split('\n')) {
        const m = /^CONFIG_([A-Z0-9_]+)=(.*)$/.exec(line.trim());
        if (m)
            values.set(m[1], m[2]);
    }
    const seen = new Set();
    const out = [];
    for (const { option, value, need } of exports.CONFIG_REQUIREMENTS) {
        const v = values.get(option);
        if (v === undefined || (value === undefined ? v !== 'y' && v !== 'm' : v !== value))
            continue;
        if (seen.has(need.name))
            continue;
        seen.add(need.name);
        out.push({ ...need, why: `CONFIG_${option}=${v}` });
    }
    return out;
}
/** One shell command printing the name of each requirement that is missing, one per line. */
function probeCommand(reqs) {
    return reqs
        .map((r) => {
        const n = (0, shell_1.shellQuote)(r.name);
        if (r.kind === 'command')
            return `{ command -v ${n} >/dev/null || PATH=$PATH:/usr/sbin:/sbin command -v ${n} >/dev/null || echo ${n}; }`;
        if (r.kind === 'file')
            return `{ [ -f ${n} ] || echo ${n}; }`;
        return `{ dpkg-query -W -f '\${Status}\\n' ${n} 2>/dev/null | grep -q '^install ok installed$' || echo ${n}; }`;
    })
        .join('; ');
}
/** The refusal for what the probe printed, or undefined when nothing is missing. */
function missingMessage(reqs, probeOutput) {
    const missing = new Set(probeOutput
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean));
    const lacking = reqs.filter((r) => missing.has(r.name));
    if (lacking.length === 0)
        return undefined;
    const names = [...new Set(lacking.map((r) => (r.why ? `${r.name} (${r.why})` : r.name)))];
    const pkgs = [...new Set(lacking.map((r) => r.package))];
    return (`the build host lacks ${names.join(', ')}; install ${pkgs.length === 1 ? 'it' : 'them'} there: ` +
        `apt-get install ${pkgs.join(' ')} (scripts/setup-build-host.sh installs everything a build needs)`);
}
/** Refuses (BuildHostNotReadyError) a build host that lacks one of `reqs`. */
async function checkRequirements(b, reqs) {
    if (reqs.length === 0)
        return;
    const why = missingMessage(reqs, await b.run(probeCommand(reqs)));
    if (why)
        throw new errors_1.BuildHostNotReadyError(why);
}
//# sourceMappingURL=tools.js.map