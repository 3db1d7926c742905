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
 * The `system-running` check runs its commands in a real shell over a real SSH session. This
 * test host has no systemd as PID 1, so a small fake `systemctl` goes first on the session's
 * PATH: `is-system-running [--wait]` prints the state in ./state (exit 0 only when running) and
 * `--failed --no-legend --plain --no-pager` prints ./failed; it records its arguments.
 */
const strict_1 = __importDefault(require("node:assert/strict"));
const node_fs_1 = require("node:fs");
const os = __importStar(require("node:os"));
const path = __importStar(require("node:path"));
const node_test_1 = require("node:test");
const schemas_1 = require("../../shared/schemas");
const tool_host_1 = require("../../../testbed/tool-host");
const sections_1 = require("../sections");
const check_1 = require("./check");
const FAKE_SYSTEMCTL = `#!/bin/sh
dir=$(dirname "$0")
printf '%s\\n' "$*" >> "$dir/calls"
case "$*" in
  'is-system-running --wait'|'is-system-running') state=$(cat "$dir/state"); echo "$state"; [ "$state" = running ] ;;
  '--failed --no-legend --plain --no-pager') cat "$dir/failed" 2>/dev/null; exit 0 ;;
  *) echo "fake systemctl: unexpected arguments: $*" >&2; exit 64 ;;
esac
`;
const FAILED_UNITS = [
    'nginx.service loaded failed failed A high performance web server',
    'cron.service loaded failed failed Regular background program processing daemon',
    'a.service loaded failed failed A',
    'b.service loaded failed failed B',
    'c.service loaded failed failed C',
    'd.service loaded failed failed D',
];
(0, node_test_1.describe)('system-running health check (real shell over SSH, fake systemctl)', () => {
    let host;
    let session;
    let bin;
    const calls = () => (0, node_fs_1.readFileSync)(path.join(bin, 'calls'), 'utf8').trim().split('\n');
    const hostIs = (state, failed = []) => {
        (0, node_fs_1.writeFileSync)(path.join(bin, 'state'), `${state}\n`);
        (0, node_fs_1.writeFileSync)(path.join(bin, 'failed'), failed.map((l) => `${l}\n`).join(''));
    };
    const check = (config = {}) => (0, check_1.runHealthCheck)(session, schemas_1.healthCheckSchema.parse({ kind: 'system-running', ...config }));
    (0, node_test_1.before)(async () => {
        bin = (0, node_fs_1.mkdtempSync)(path.join(os.tmpdir(), 'kr-systemctl-'));
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
    (0, node_test_1.it)('is healthy when running, waiting for start-up to finish (--wait)', async () => {
        hostIs('running');
        strict_1.default.equal(await check(), null);
        strict_1.default.deepEqual(calls(), ['is-system-running --wait']);
    });
    (0, node_test_1.it)('takes degraded as healthy by default, and not when allowDegraded is false', async () => {
        hostIs('degraded', FAILED_UNITS.slice(0, 2));
        strict_1.default.equal(await check(), null);
        strict_1.default.equal(await check({ allowDegraded: false }), 'system state is degraded (failed: nginx.service loaded failed failed A high performance web server; ' +
            'cron.service loaded failed failed Regular background program processing daemon)');
    });
    (0, node_test_1.it)('names at most five failed units, and none when there are none', async () => {
        hostIs('maintenance', FAILED_UNITS);
        const failure = await check();
        strict_1.default.match(failure ?? '', /^system state is maintenance \(failed: nginx\.service .*; c\.service [^;]*\)$/);
        strict_1.default.equal((failure ?? '').split('; ').length, 5);
        strict_1.default.deepEqual(calls(), ['is-system-running --wait', '--failed --no-legend --plain --no-pager']);
        hostIs('starting');
        strict_1.default.equal(await check(), 'system state is starting');
        hostIs('');
        strict_1.default.equal(await check(), 'system state is unknown');
    });
    (0, node_test_1.it)("passes in the verification's read without --wait; anything else is checked as always", async () => {
        const checks = [schemas_1.healthCheckSchema.parse({ kind: 'system-running', allowDegraded: false })];
        const readAndCheck = async (guard) => {
            const sections = (0, check_1.healthReadSections)(checks, (cmd) => `${guard} && ${cmd}`);
            const read = (0, sections_1.splitSections)(await session.run((0, sections_1.sectionsScript)(sections)));
            return (0, check_1.runHealthChecks)(session, checks, read);
        };
        hostIs('running');
        strict_1.default.deepEqual(await readAndCheck('true'), []);
        strict_1.default.deepEqual(calls(), ['is-system-running'], 'the read passed it: no round trip of its own');
        (0, node_fs_1.rmSync)(path.join(bin, 'calls'));
        hostIs('starting');
        strict_1.default.deepEqual(await readAndCheck('true'), ['system state is starting']);
        strict_1.default.deepEqual(calls().slice(0, 2), ['is-system-running', 'is-system-running --wait'], 'checked, waiting');
        (0, node_fs_1.rmSync)(path.join(bin, 'calls'));
        hostIs('degraded', FAILED_UNITS.slice(0, 1));
        strict_1.default.match((await readAndCheck('true'))[0] ?? '', /^system state is degraded \(failed: nginx/);
        (0, node_fs_1.rmSync)(path.join(bin, 'calls'));
        // The guard (the caller's: the trial boot) fails: the read ran nothing, the check runs.
        hostIs('running');
        strict_1.default.deepEqual(await readAndCheck('false'), []);
        strict_1.default.deepEqual(calls(), ['is-system-running --wait']);
    });
});
//# sourceMappingURL=system-running.ssh.test.js.map