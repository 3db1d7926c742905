"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * The qmp driver's console: the end of a real serial log file on this worker, cleaned and with
 * credentials masked; the option validated; no console without it. (Resetting a real qemu guest
 * through QMP: qmp.qemu.test.ts.)
 */
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const node_fs_1 = require("node:fs");
const node_os_1 = require("node:os");
const path = __importStar(require("node:path"));
const power_1 = require("../../shared/options/power");
const qmp_1 = require("./qmp");
(0, node_test_1.describe)('qmp driver: the serial console', () => {
    let dir;
    (0, node_test_1.before)(() => {
        dir = (0, node_fs_1.mkdtempSync)(path.join((0, node_os_1.tmpdir)(), 'kr-serial-'));
    });
    (0, node_test_1.after)(() => (0, node_fs_1.rmSync)(dir, { recursive: true, force: true }));
    const driver = (serialLogPath) => qmp_1.qmpPower.create(power_1.qmpPowerSchema.parse({
        driver: 'qmp',
        socketPath: '/run/vm/qmp.sock',
        ...(serialLogPath ? { serialLogPath } : {}),
    }));
    (0, node_test_1.test)('the last lines of a long log, from its end; escape sequences and credentials out', async () => {
        const log = path.join(dir, 'serial.log');
        // ~200 KiB of boot noise, then a login prompt someone answered, then the trial's panic.
        const noise = Array.from({ length: 3000 }, (_, i) => `[   ${i}.000000] noise line ${i} ${'x'.repeat(40)}`);
        (0, node_fs_1.writeFileSync)(log, [
            ...noise,
            '[\x1b[0;32m  OK  \x1b[0m] Reached target multi-user.target - Multi-User System.',
            'web-01 login: root',
            'Password: hunter2-not-for-the-evidence',
            'export API_TOKEN=abc123secret',
            '[    2.114513] Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)\r',
            '[    2.115322] ---[ end Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0) ]---',
            '',
        ].join('\n'));
        const d = driver(log);
        strict_1.default.ok(d.consoleTail, 'a qmp driver with serialLogPath has the console');
        const lines = await d.consoleTail('web-01', 5);
        strict_1.default.deepEqual(lines, [
            'web-01 login: root',
            'Password: [masked]',
            'export API_TOKEN=[masked]',
            '[    2.114513] Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)',
            '[    2.115322] ---[ end Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0) ]---',
        ]);
        strict_1.default.equal((await d.consoleTail('web-01', 6))[0], '[  OK  ] Reached target multi-user.target - Multi-User System.');
        strict_1.default.doesNotMatch((await d.consoleTail('web-01', 50)).join('\n'), /hunter2|abc123/);
    });
    (0, node_test_1.test)('a panic followed by the boot that came back: the lines up to the panic, not that boot', async () => {
        const log = path.join(dir, 'serial-fallback.log');
        const fallback = Array.from({ length: 400 }, (_, i) => `[  OK  ] Started unit ${i} of the known-good boot.`);
        (0, node_fs_1.writeFileSync)(log, [
            '[    1.900000] Run /sbin/init as init process',
            '[    2.000000] Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000100',
            '[    2.000100] Rebooting in 5 seconds..',
            'BdsDxe: loading Boot0001 "UEFI Misc Device" from PciRoot(0x0)/Pci(0x3,0x0)',
            '[    0.000000] Linux version 6.1.0-56-cloud-amd64',
            ...fallback,
            'testbed login: ',
        ].join('\n'));
        strict_1.default.deepEqual(await driver(log).consoleTail?.('web-01', 3), [
            '[    1.900000] Run /sbin/init as init process',
            '[    2.000000] Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000100',
            '[    2.000100] Rebooting in 5 seconds..',
        ]);
    });
    (0, node_test_1.test)('a log that cannot be read rejects, naming the host and the file', async () => {
        const missing = path.join(dir, 'no-such.log');
        await strict_1.default.rejects(driver(missing).consoleTail('web-01', 5), (err) => err.message.startsWith(`web-01: the serial log ${missing} could not be read: ENOENT`));
    });
    (0, node_test_1.test)('no serialLogPath: no console; a path that is not a plain absolute path is refused', () => {
        strict_1.default.equal(driver().consoleTail, undefined);
        for (const bad of ['serial.log', '/var/log/../etc/shadow', '/tmp/a log', '/tmp/$(reboot)']) {
            const r = power_1.qmpPowerSchema.safeParse({ driver: 'qmp', socketPath: '/run/vm/qmp.sock', serialLogPath: bad });
            strict_1.default.equal(r.success, false, bad);
            strict_1.default.deepEqual(r.success ? [] : r.error.issues.map((i) => i.path.join('.')), ['serialLogPath']);
        }
    });
    (0, node_test_1.test)('a line is cut at 200 characters; a credential named anywhere in it is masked', () => {
        strict_1.default.equal((0, qmp_1.consoleLine)('y'.repeat(250)), `${'y'.repeat(200)}…`);
        strict_1.default.equal((0, qmp_1.consoleLine)('db connect: passwd = s3cr3t now'), 'db connect: passwd = [masked]');
        strict_1.default.equal((0, qmp_1.consoleLine)('Kernel panic - not syncing: Fatal exception'), 'Kernel panic - not syncing: Fatal exception');
    });
});
//# sourceMappingURL=qmp.test.js.map