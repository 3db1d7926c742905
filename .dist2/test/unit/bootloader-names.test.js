"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * The bootloader named where a user looks: `kernelctl plan` (kind and variant, then the driver's
 * summary) and `kernelctl status` (the label the run took from preflight; the kind for runs whose
 * preflight named none). The web UI's current details: test/workflow/driver-kinds.test.ts.
 */
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const plan_1 = require("../../src/cli/commands/plan");
const status_1 = require("../../src/cli/commands/status");
const facts = {
    host: 'web-01',
    distroId: 'debian',
    distroVersion: '12',
    runningKernel: '6.1.0-55-cloud-amd64',
    bootId: 'c0a7d7e2-5d1b-4a43-9a4b-0e3a1f2b3c4d',
    kernelCmdline: 'root=UUID=caa8d92e-fad6-4218-9359-c050c6c3efbd ro',
    installedKernels: ['6.1.0-55-cloud-amd64'],
    bootFreeBytes: 400 * 1048576,
    dpkgLocked: false,
    kexecAvailable: true,
    systemd: true,
    bootloader: {
        kind: 'grub-debian',
        label: 'grub-debian (EFI)',
        summary: ['GRUB 2.06 (EFI), grubenv /boot/grub/grubenv', 'GRUB_DEFAULT=saved, saved_entry=x, next_entry=(unset)'],
        details: {},
    },
    refusals: [],
    warnings: [],
    fixes: [],
};
(0, node_test_1.test)('plan: the bootloader with its variant, then its summary', () => {
    const lines = (0, plan_1.formatPlan)(facts, '6.1.0-56-cloud-amd64').split('\n');
    strict_1.default.equal(lines[1], '  bootloader grub-debian (EFI): GRUB 2.06 (EFI), grubenv /boot/grub/grubenv; GRUB_DEFAULT=saved, saved_entry=x, next_entry=(unset)');
    const { label: _label, ...unlabelled } = facts.bootloader;
    strict_1.default.match((0, plan_1.formatPlan)({ ...facts, bootloader: unlabelled }, 'x').split('\n')[1] ?? '', /^ {2}bootloader grub-debian: /);
});
(0, node_test_1.test)('status: the label the run took from preflight, else the kind', () => {
    const status = {
        host: 'web-01',
        phase: 'install',
        details: 'installing 6.1.0-56-cloud-amd64',
        from: '6.1.0-55-cloud-amd64',
        to: '6.1.0-56-cloud-amd64',
        waitingFor: null,
        outcome: null,
        timeline: [],
        bootloader: 'grub-debian',
        bootloaderLabel: 'grub-debian (EFI)',
    };
    strict_1.default.equal((0, status_1.formatStatus)(status).split('\n')[1], '  kernel 6.1.0-55-cloud-amd64 → 6.1.0-56-cloud-amd64; bootloader grub-debian (EFI)');
    const { bootloaderLabel: _l, ...before } = status;
    strict_1.default.match((0, status_1.formatStatus)(before).split('\n')[1] ?? '', /; bootloader grub-debian$/);
});
//# sourceMappingURL=bootloader-names.test.js.map