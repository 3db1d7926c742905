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
 * The `systemd-unit` check runs its command in a real shell over a real SSH session. This test
 * host has no systemd as PID 1 (systemctl answers "System has not been booted with systemd"),
 * so a small fake `systemctl` goes first on the session's PATH: it answers `is-active` as
 * systemctl does (state on stdout, exit 0 only when active) and records its arguments.
 */
const strict_1 = __importDefault(require("node:assert/strict"));
const node_fs_1 = require("node:fs");
const os = __importStar(require("node:os"));
const path = __importStar(require("node:path"));
const node_test_1 = require("node:test");
const schemas_1 = require("../../shared/schemas");
const tool_host_1 = require("../../../testbed/tool-host");
const check_1 = require("./check");
const FAKE_SYSTEMCTL = `#!/bin/sh
# is-active UNIT: the state in units/UNIT (no file: inactive), exit 0 only when active.
dir=$(dirname "$0")
printf '%s\\n' "$*" >> "$dir/calls"
if [ "$1" != is-active ] || [ $# -ne 2 ]; then echo "fake systemctl: unexpected arguments: $*" >&2; exit 64; fi
state=$(cat "$dir/units/$2" 2>/dev/null || echo inactive)
echo "$state"
[ "$state" = active ]
`;
(0, node_test_1.describe)('systemd-unit health check (real shell over SSH, fake systemctl)', () => {
    let host;
    let session;
    let bin;
    const calls = () => {
        try {
            return (0, node_fs_1.readFileSync)(path.join(bin, 'calls'), 'utf8').trim().split('\n');
        }
        catch {
            return [];
        }
    };
    const setUnit = (unit, state) => (0, node_fs_1.writeFileSync)(path.join(bin, 'units', unit), `${state}\n`);
    const check = (unit) => (0, check_1.runHealthCheck)(session, { kind: 'systemd-unit', unit });
    (0, node_test_1.before)(async () => {
        bin = (0, node_fs_1.mkdtempSync)(path.join(os.tmpdir(), 'kr-systemctl-'));
        (0, node_fs_1.mkdirSync)(path.join(bin, 'units'));
        (0, node_fs_1.writeFileSync)(path.join(bin, 'systemctl'), FAKE_SYSTEMCTL);
        (0, node_fs_1.chmodSync)(path.join(bin, 'systemctl'), 0o755);
        host = await (0, tool_host_1.startToolHost)(bin);
        session = host.session;
    });
    (0, node_test_1.beforeEach)(() => (0, node_fs_1.rmSync)(path.join(bin, 'calls'), { force: true }));
    (0, node_test_1.after)(async () => {
        await host?.stop();
        if (bin)
            (0, node_fs_1.rmSync)(bin, { recursive: true, force: true });
    });
    (0, node_test_1.it)('is healthy when the unit is active', async () => {
        setUnit('nginx.service', 'active');
        strict_1.default.equal(await check('nginx.service'), null);
        strict_1.default.deepEqual(calls(), ['is-active nginx.service']);
    });
    (0, node_test_1.it)("fails with the unit's state as systemctl prints it", async () => {
        setUnit('postgresql@15-main.service', 'failed');
        strict_1.default.equal(await check('postgresql@15-main.service'), 'postgresql@15-main.service is failed');
        strict_1.default.equal(await check('never-installed.service'), 'never-installed.service is inactive');
        strict_1.default.deepEqual(calls(), ['is-active postgresql@15-main.service', 'is-active never-installed.service']);
    });
    (0, node_test_1.it)('refuses a unit name that is not one before running anything', async () => {
        await strict_1.default.rejects(check('nginx.service; reboot'), /unit: "nginx.service; reboot" is not a valid systemd unit/);
        strict_1.default.deepEqual(calls(), []);
        strict_1.default.equal(schemas_1.healthCheckSchema.safeParse({ kind: 'systemd-unit', unit: '$(reboot)' }).success, false);
    });
});
//# sourceMappingURL=systemd-unit.ssh.test.js.map