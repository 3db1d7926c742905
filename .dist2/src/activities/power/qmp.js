"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.qmpPower = exports.qmpExecute = void 0;
exports.consoleLine = consoleLine;
exports.tailConsoleLog = tailConsoleLog;
exports.qmpPowerDriver = qmpPowerDriver;
/**
 * `qmp` power driver: resets a qemu/libvirt guest through its QMP socket (the QEMU Machine
 * Protocol: JSON lines over a Unix socket; greeting, `qmp_capabilities`, then commands).
 * `reset` is a hard reset (`system_reset`); `power-cycle` stops the CPUs, resets and resumes,
 * which is as close as qemu gets to pulling the plug without ending the process.
 *
 * With `serialLogPath` (the file qemu writes the guest's serial console to), the driver also has
 * the console: a rollback's evidence gets its last lines, where a panic that no journal or pstore
 * kept is printed.
 */
const promises_1 = require("node:fs/promises");
const power_1 = require("../../shared/options/power");
const qmp_client_1 = require("../../node/qmp-client");
Object.defineProperty(exports, "qmpExecute", { enumerable: true, get: function () { return qmp_client_1.qmpExecute; } });
const kind = 'qmp';
/**
 * Bytes read from the end of the serial log: enough for the last lines, however long the log, and
 * for a whole boot after the one that panicked (a Debian boot prints 30-50 KB on the console).
 */
const CONSOLE_TAIL_BYTES = 256 * 1024;
/** The line a panicking kernel prints; the evidence wants the lines up to it, not the boot after. */
const PANIC_LINE = /Kernel panic - not syncing/;
const CONSOLE_LINE_CHARS = 200;
/**
 * A console line as evidence: escape sequences and other control characters out, long lines cut,
 * and the value after anything that names a credential (`password:`, `token=`, …) masked: the
 * console may echo what someone typed at a login or a prompt.
 */
function consoleLine(raw) {
    const text = raw
        .replace(/\x1b\[[0-9;?]*[ -/]*[@-~]/g, '')
        .replace(/\x1b[@-_]/g, '')
        .replace(/[^\t\x20-\x7e\u00a0-\uffff]/g, '')
        .trimEnd()
        .replace(/(?<![a-z])(pass(?:word|wd|phrase)?|secret|token|api[_-]?key|credentials?)(?![a-z])(\s*[:=]\s*)\S.*$/i, '$1$2[masked]');
    return text.length > CONSOLE_LINE_CHARS ? `${text.slice(0, CONSOLE_LINE_CHARS)}…` : text;
}
/**
 * The last `lines` non-empty lines of a console log file (read from its end only); when a kernel
 * panicked within that end, the lines up to its last panic line and the one after it (the boot
 * that followed says nothing about why the trial died).
 */
async function tailConsoleLog(file, lines) {
    const handle = await (0, promises_1.open)(file, 'r');
    try {
        const { size } = await handle.stat();
        const length = Math.min(size, CONSOLE_TAIL_BYTES);
        const buf = Buffer.alloc(length);
        await handle.read(buf, 0, length, size - length);
        const all = buf.toString('utf8').split(/\r?\n|\r/);
        // A read that starts mid-file starts mid-line: that first piece is not a line.
        const whole = size > length ? all.slice(1) : all;
        const text = whole.map(consoleLine).filter((l) => l.trim() !== '');
        let panic = -1;
        text.forEach((l, i) => {
            if (PANIC_LINE.test(l))
                panic = i;
        });
        return (panic >= 0 ? text.slice(0, panic + 2) : text).slice(-lines);
    }
    finally {
        await handle.close();
    }
}
function qmpPowerDriver(socketPath, action, serialLogPath) {
    return {
        name: kind,
        ...(serialLogPath
            ? {
                consoleTail: async (host, lines) => {
                    try {
                        return await tailConsoleLog(serialLogPath, lines);
                    }
                    catch (err) {
                        throw new Error(`${host}: the serial log ${serialLogPath} could not be read: ${err.message}`);
                    }
                },
            }
            : {}),
        powerCycle: async (host) => {
            const commands = action === 'reset' ? ['system_reset'] : ['stop', 'system_reset', 'cont'];
            try {
                await (0, qmp_client_1.qmpExecute)(socketPath, commands);
            }
            catch (err) {
                throw new Error(`${host}: power ${action} through QMP failed: ${err.message}${hintFor(err)}`);
            }
            return { performed: true, message: `${host}: ${commands.join(' + ')} sent through QMP ${socketPath}` };
        },
    };
}
/** What an operator should check when the socket cannot be reached. */
function hintFor(err) {
    const code = err.cause?.code;
    if (code === 'ENOENT') {
        return '; there is no such socket: is the VM running, and is power.socketPath the path of its -qmp unix: option?';
    }
    if (code === 'ECONNREFUSED')
        return '; nothing listens on the socket: the VM has probably exited';
    return '';
}
exports.qmpPower = {
    kind,
    schema: power_1.qmpPowerSchema,
    create: (config) => qmpPowerDriver(config.socketPath, config.action, config.serialLogPath),
};
//# sourceMappingURL=qmp.js.map