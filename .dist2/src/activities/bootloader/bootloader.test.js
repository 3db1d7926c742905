"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * The bootloader registry: a request's driver by name (never a default), detection, the refusal
 * when none manages a host, and the check at each later step that the host still has it.
 */
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const schemas_1 = require("../../shared/schemas");
const sections_1 = require("../sections");
const bootloader_1 = require("./bootloader");
const grub_debian_1 = require("./grub-debian");
const GRUB_CFG = "menuentry 'Debian GNU/Linux' $menuentry_id_option 'gnulinux-simple-x' {\n\tlinux /boot/vmlinuz-6.1.0-55-cloud-amd64 root=/dev/vda1 ro\n}";
/** A host that answers a sections round trip with `sections` (a section it lacks prints nothing). */
function hostShowing(sections) {
    const commands = [];
    const answer = (cmd) => [...cmd.matchAll(/echo '(@@kernel-rollout@@ [a-z-]+)'/g)]
        .map((m) => `${m[1]}\n${sections[(m[1] ?? '').split(' ')[1] ?? ''] ?? ''}`)
        .join('\n');
    return {
        commands,
        run: async (cmd) => {
            commands.push(cmd);
            return answer(cmd);
        },
        exec: async (cmd) => {
            commands.push(cmd);
            return { code: 0, signal: null, stdout: answer(cmd), stderr: '', durationMs: 0 };
        },
        upload: () => Promise.reject(new Error('no uploads here')),
        close: () => undefined,
    };
}
(0, node_test_1.describe)('bootloader registry', () => {
    (0, node_test_1.test)('a request names its driver; a request without one is refused, naming the field, not defaulted', () => {
        strict_1.default.equal((0, bootloader_1.bootloaderFor)('grub-debian').kind, 'grub-debian');
        for (const missing of [undefined, '']) {
            strict_1.default.throws(() => (0, bootloader_1.bootloaderFor)(missing), (err) => err instanceof schemas_1.InvalidInputError &&
                /^bootloader: missing; the request must name the bootloader preflight found \(.*grub-debian.*\)$/.test(err.message));
        }
    });
    (0, node_test_1.test)('an unknown driver is refused naming the field and the drivers there are', () => {
        strict_1.default.throws(() => (0, bootloader_1.bootloaderFor)('lilo'), (err) => err instanceof schemas_1.InvalidInputError &&
            /^bootloader: lilo is not a bootloader kernel-rollout drives \(.*\bgrub-debian\b.*\)$/.test(err.message));
    });
    (0, node_test_1.test)('every driver’s fact sections are in the preflight script once', () => {
        const names = (0, bootloader_1.bootloaderFactSections)().map(([name]) => name);
        strict_1.default.equal(new Set(names).size, names.length);
        for (const d of bootloader_1.bootloaders.drivers)
            for (const [name] of d.factSections)
                strict_1.default.ok(names.includes(name));
    });
    (0, node_test_1.test)('every driver’s step sections are fact sections of its own, the very same commands', () => {
        for (const d of bootloader_1.bootloaders.drivers) {
            strict_1.default.ok(d.stepSections.length > 0, d.kind);
            for (const step of d.stepSections) {
                strict_1.default.ok(d.factSections.some(([name, cmd]) => name === step[0] && cmd === step[1]), `${d.kind}: ${step[0]}`);
            }
        }
    });
    (0, node_test_1.test)('a host without any bootloader’s files: none detected, refused with what to look for', () => {
        strict_1.default.equal((0, bootloader_1.detectBootloader)({ 'uname-r': '6.1.0-55-cloud-amd64' }), null);
        strict_1.default.match((0, bootloader_1.noBootloaderRefusal)(), /no GRUB 2 menu entries found/);
        const found = (0, bootloader_1.detectBootloader)({ 'grub-cfg': "menuentry 'x' {\n}" });
        strict_1.default.equal(found?.driver.kind, 'grub-debian');
    });
    (0, node_test_1.test)('/etc/default/grub and a grubenv without a GRUB menu: not claimed by GRUB (another loader may keep them)', () => {
        const leftovers = {
            'uname-r': '6.1.0-55-cloud-amd64',
            'default-grub': 'GRUB_DEFAULT=0\nGRUB_TIMEOUT=5\n',
            grubenv: '# GRUB Environment Block\nsaved_entry=gnulinux-simple-x\n',
        };
        strict_1.default.equal((0, bootloader_1.detectBootloader)(leftovers), null);
        strict_1.default.equal((0, bootloader_1.detectBootloader)({ ...leftovers, 'grub-cfg': '# no entries: update-grub never ran\n' }), null);
        strict_1.default.equal((0, bootloader_1.detectBootloader)({ ...leftovers, 'grub-cfg': GRUB_CFG })?.driver.kind, 'grub-debian');
    });
});
(0, node_test_1.describe)('a later step confirms the bootloader preflight found', () => {
    (0, node_test_1.test)('still there: the step’s own sections come back from the same single round trip', async () => {
        const s = hostShowing({ 'uname-r': '6.1.0-55-cloud-amd64', 'grub-cfg': GRUB_CFG });
        const read = await (0, bootloader_1.bootloaderOnHost)(s, grub_debian_1.grubDebian, 'web-01', [['uname-r', 'uname -r']]);
        strict_1.default.equal(read['uname-r'], '6.1.0-55-cloud-amd64');
        strict_1.default.equal(s.commands.length, 1);
        const names = Object.keys((0, sections_1.splitSections)(await s.run(s.commands[0] ?? '')));
        for (const [name] of (0, bootloader_1.bootloaderStepSections)())
            strict_1.default.ok(names.includes(name), `probes ${name}`);
        strict_1.default.ok(!names.includes('grub-packages'), 'what only preflight assesses is not read again');
    });
    (0, node_test_1.test)('gone (only /etc/default/grub left): BootloaderChangedError, and nothing but the probe ran', async () => {
        const s = hostShowing({ 'uname-r': '6.1.0-55-cloud-amd64', 'default-grub': 'GRUB_DEFAULT=saved\n' });
        await strict_1.default.rejects((0, bootloader_1.bootloaderOnHost)(s, grub_debian_1.grubDebian, 'web-01', [['uname-r', 'uname -r']]), (err) => err instanceof bootloader_1.BootloaderChangedError &&
            err.name === 'BootloaderChangedError' &&
            /^web-01: preflight found the grub-debian bootloader, the host now shows none kernel-rollout drives; refusing/.test(err.message));
        strict_1.default.equal(s.commands.length, 1);
    });
});
//# sourceMappingURL=bootloader.test.js.map