"use strict";
/**
 * Everything that builds a shell command line goes through this file. Values are checked
 * against a narrow grammar first (so a bad value is refused with the field's name before any
 * connection is made) and then single-quoted, so even a value that slipped past a check could
 * not change the command's meaning.
 *
 * Plain TypeScript, no zod: the workflow bundle may import it.
 */
Object.defineProperty(exports, "__esModule", { value: true });
exports.SYSTEMD_UNIT_RE = exports.GRUB_ENTRY_ID_RE = exports.KERNEL_ARG_RE = exports.USER_RE = exports.CONTROL_CHARS_RE = exports.HOST_RE = exports.SAFE_ABSOLUTE_PATH_RE = exports.PACKAGE_NAME_RE = exports.KERNEL_RELEASE_RE = void 0;
exports.andChain = andChain;
exports.shellQuote = shellQuote;
exports.shellJoin = shellJoin;
exports.trialArgProblem = trialArgProblem;
exports.assertMatches = assertMatches;
/**
 * Shell steps chained so that each runs only when every one before it succeeded. Each step is
 * in braces (and ends on its own line, so a here-document's end stays alone on its line): a
 * step's own top-level `||`, as in `[ -e f.bak ] || cp f f.bak`, cannot catch the failure of a
 * step before it (`false && [ -e f.bak ] || cp …` runs the `cp`).
 */
function andChain(steps) {
    return steps.map((step) => `{ ${step}\n}`).join(' && ');
}
/** POSIX single-quote a value: 'it'\''s' */
function shellQuote(value) {
    if (value.includes('\0'))
        throw new Error('a shell argument must not contain a NUL byte');
    if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(value))
        return value;
    return `'${value.replace(/'/g, `'\\''`)}'`;
}
/** Join argv into one command line, quoting every element. */
function shellJoin(argv) {
    return argv.map(shellQuote).join(' ');
}
/** Debian/Ubuntu kernel release as `uname -r` prints it, e.g. 6.1.0-47-cloud-amd64. */
exports.KERNEL_RELEASE_RE = /^[0-9]+\.[0-9]+(\.[0-9]+)?[A-Za-z0-9.+~_-]{0,100}$/;
/** dpkg package name (Debian policy §5.6.1), optionally with =version. */
exports.PACKAGE_NAME_RE = /^[a-z0-9][a-z0-9+.-]{1,100}(=[A-Za-z0-9.+~:-]{1,100})?$/;
/** Absolute path without shell or traversal surprises. */
exports.SAFE_ABSOLUTE_PATH_RE = /^\/(?!.*\/\.\.(\/|$))[A-Za-z0-9._+@/-]{0,4000}$/;
/**
 * Host name, IPv4 or bracket-less IPv6 literal. The IPv6 branch needs a colon and a hex digit
 * and refuses `:::` and `..`, so names made of dots or colons alone are not hosts. Labels may
 * hold `_`: inventories name hosts by alias (`db_primary ansible_host=…`), which becomes the
 * workflow id, and resolvers and ssh accept such names.
 */
exports.HOST_RE = /^(?=.{1,253}$)(([A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)(\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\.?|(?=[0-9a-fA-F.]*:)(?=[:.]*[0-9a-fA-F])(?![0-9a-fA-F:.]*:::)(?![0-9a-fA-F:.]*\.\.)[0-9a-fA-F:.]{2,45})$/;
/**
 * Characters refused in operator text (names, reasons, comments) that is stored in the timeline
 * and printed to terminals: C0 and C1 controls, DEL, and bidirectional overrides.
 */
exports.CONTROL_CHARS_RE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
/** Unix user name. */
exports.USER_RE = /^[a-z_][a-z0-9_-]{0,31}\$?$/;
/**
 * One kernel command-line argument we let operators add to the trial boot: `key` or `key=value`,
 * where the value may itself hold `=` (`root=UUID=…`, `root=PARTUUID=…`) and `,:/+@`. No
 * quotes, spaces, `$`, `;` or backslashes: the argument goes into a GRUB script line and a kexec
 * command line unchanged, so it must mean the same to GRUB, the shell and the kernel.
 */
exports.KERNEL_ARG_RE = /^[A-Za-z0-9_.-]{1,64}(=[A-Za-z0-9_.,:/+=@-]{0,200})?$/;
/**
 * Why a trial kernel argument cannot be used as given, or undefined when it can:
 * - `override`: it would undo the trial's own fall-back — kernel-rollout's panic=N and
 *   oops=panic (also through sysctl.kernel.panic*), its kernel_rollout.* token, or masking the
 *   revert units (systemd.mask=kernel-rollout-revert…, timers.target). Always refused: the
 *   arguments are appended after the product's own, and the kernel keeps the last value.
 * - `no-revert-timer`: the trial boots into something where the host-side revert timer cannot
 *   run (init=…, single/emergency/rescue, a systemd.unit other than the default targets,
 *   rd.break …). Only the out-of-band power driver can then bring the host back.
 */
function trialArgProblem(arg) {
    const eq = arg.indexOf('=');
    // The kernel treats - and _ in parameter names alike.
    const key = (eq < 0 ? arg : arg.slice(0, eq)).toLowerCase().replace(/-/g, '_');
    const value = eq < 0 ? '' : arg.slice(eq + 1).toLowerCase();
    if (key === 'panic' || key === 'oops' || key === 'panic_on_oops' || /^sysctl\.kernel\.panic/.test(key))
        return { kind: 'override', reason: `${arg} would override the trial's own panic=N oops=panic fall-back` };
    if (key.startsWith('kernel_rollout.'))
        return { kind: 'override', reason: `${arg} would override the trial token kernel-rollout sets itself` };
    if (/^(rd\.)?systemd\.mask$/.test(key) &&
        /kernel.rollout|timers\.target|sysinit\.target|basic\.target|[*?[]/.test(value))
        return { kind: 'override', reason: `${arg} would mask the host-side revert timer` };
    const noTimer = (what) => ({
        kind: 'no-revert-timer',
        reason: `${arg} boots ${what}, where the host-side revert timer cannot run`,
    });
    if (key === 'init' || key === 'rdinit')
        return noTimer('another init');
    if (['single', 's', '1', 'emergency', 'rescue', '_s', '_b', 'b'].includes(key) && eq < 0)
        return noTimer('an emergency or rescue mode');
    if (/^(rd\.)?systemd\.unit$/.test(key) &&
        !['default.target', 'multi-user.target', 'graphical.target'].includes(value))
        return noTimer(`systemd.unit=${value}`);
    if (['rd.break', 'rd.emergency', 'rd.rescue', 'rd.shell'].includes(key))
        return noTimer('the initramfs shell');
    return undefined;
}
/** GRUB menu entry id as update-grub generates it (gnulinux-…-advanced-UUID, with > for submenus). */
exports.GRUB_ENTRY_ID_RE = /^[A-Za-z0-9_.:+][A-Za-z0-9_.:+-]{0,199}(>[A-Za-z0-9_.:+][A-Za-z0-9_.:+-]{0,199})?$/;
/** systemd unit name. */
exports.SYSTEMD_UNIT_RE = /^[A-Za-z0-9:_.@-]{1,255}$/;
function assertMatches(field, value, re, what) {
    if (!re.test(value)) {
        throw new Error(`${field}: ${JSON.stringify(value)} is not a valid ${what}`);
    }
    return value;
}
//# sourceMappingURL=shell.js.map