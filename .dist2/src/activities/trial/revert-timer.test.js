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
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const node_child_process_1 = require("node:child_process");
const node_fs_1 = require("node:fs");
const node_os_1 = require("node:os");
const path = __importStar(require("node:path"));
const revert_timer_1 = require("./revert-timer");
const CLEAR = 'grub-editenv /boot/grub/grubenv unset next_entry';
(0, node_test_1.describe)('revert timer', () => {
    (0, node_test_1.test)('revert units fire only on the trial boot and only unconfirmed', () => {
        const u = (0, revert_timer_1.revertUnits)('tok123', 300, CLEAR);
        strict_1.default.match(u.timer, /ConditionKernelCommandLine=kernel_rollout\.trial=tok123/);
        strict_1.default.match(u.timer, /OnBootSec=300s/);
        strict_1.default.match(u.service, /ConditionPathExists=!\/run\/kernel-rollout\/confirmed/);
        strict_1.default.match(u.service, /systemctl reboot \|\| reboot -f/);
        strict_1.default.throws(() => (0, revert_timer_1.revertUnits)('tok', 5, CLEAR), /revertAfterSeconds/);
    });
    (0, node_test_1.test)("the bootloader's one-shot clearing runs before the reboot; a quote in it is refused", () => {
        const u = (0, revert_timer_1.revertUnits)('tok123', 300, CLEAR);
        strict_1.default.match(u.service, /^ExecStart=\/bin\/sh -c 'grub-editenv \/boot\/grub\/grubenv unset next_entry; systemctl reboot/m);
        strict_1.default.throws(() => (0, revert_timer_1.revertUnits)('tok123', 300, "echo 'x'"), /quote/);
    });
    (0, node_test_1.test)('arming is one shell command: both units written byte for byte, then enabled (real sh)', () => {
        const dir = (0, node_fs_1.mkdtempSync)(path.join((0, node_os_1.tmpdir)(), 'kr-revert-'));
        try {
            (0, node_fs_1.writeFileSync)(path.join(dir, 'systemctl'), `#!/bin/sh\necho "$@" >> ${dir}/systemctl.log\n`, { mode: 0o755 });
            const u = (0, revert_timer_1.revertUnits)('tok123', 300, CLEAR);
            const command = (0, revert_timer_1.armRevertTimerCommand)(u).replaceAll('/etc/systemd/system/', `${dir}/`);
            const r = (0, node_child_process_1.spawnSync)('sh', ['-c', command], {
                encoding: 'utf8',
                env: { ...process.env, PATH: `${dir}:/usr/bin:/bin` },
            });
            strict_1.default.equal(r.status, 0, r.stderr);
            strict_1.default.equal((0, node_fs_1.readFileSync)(path.join(dir, revert_timer_1.REVERT_TIMER_UNIT), 'utf8'), u.timer);
            strict_1.default.equal((0, node_fs_1.readFileSync)(path.join(dir, revert_timer_1.REVERT_SERVICE_UNIT), 'utf8'), u.service);
            strict_1.default.equal((0, node_fs_1.readFileSync)(path.join(dir, 'systemctl.log'), 'utf8'), `--no-reload enable ${revert_timer_1.REVERT_TIMER_UNIT}\n`);
            strict_1.default.throws(() => (0, revert_timer_1.armRevertTimerCommand)({ ...u, service: 'x\nKERNEL_ROLLOUT_UNIT_EOF\ny' }), /contains the line/);
        }
        finally {
            (0, node_fs_1.rmSync)(dir, { recursive: true, force: true });
        }
    });
    (0, node_test_1.test)('removal steps are each safe to repeat', () => {
        for (const step of (0, revert_timer_1.revertTimerRemovalSteps)())
            strict_1.default.match(step, /\|\| true$|^rm -f /);
    });
});
//# sourceMappingURL=revert-timer.test.js.map