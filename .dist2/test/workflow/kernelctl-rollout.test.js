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
 * `kernelctl rollout` end to end on the real dev server: the real CLI (a child process) reads an
 * Ansible inventory, validates, starts the rollout and watches it; a worker in this process runs
 * the real workflows with the fleet's stubbed activities (test/helpers/fleet.ts). Also
 * `rollout plan` (preflight of every host, nothing changed) and operator commands refused when
 * they do not apply.
 */
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const node_fs_1 = require("node:fs");
const node_os_1 = require("node:os");
const path = __importStar(require("node:path"));
const fleet_1 = require("../helpers/fleet");
const kernelctl_1 = require("../helpers/kernelctl");
const temporal_1 = require("../helpers/temporal");
(0, node_test_1.after)(temporal_1.stopOwnServer);
/** The real CLI against the dev server, on the fleet's task queue. */
const cli = (args, taskQueue) => (0, kernelctl_1.kernelctlOn)(taskQueue, args);
/** An Ansible INI inventory of the fleet's hosts: a canary group and a web group. */
function inventory(names) {
    const dir = (0, node_fs_1.mkdtempSync)(path.join((0, node_os_1.tmpdir)(), 'kr-inv-'));
    const file = path.join(dir, 'hosts.ini');
    const [first, ...rest] = names;
    (0, node_fs_1.writeFileSync)(file, [
        '[canary]',
        `${first} ansible_host=127.0.0.1`,
        '',
        '[web]',
        ...rest.map((n, i) => `${n} ansible_host=10.0.0.${i + 2} ansible_port=2222`),
        '',
        '[all:vars]',
        'ansible_user=root',
        '',
    ].join('\n'));
    return file;
}
const common = (file) => [
    '--inventory',
    file,
    '--no-ssh-config',
    '--to',
    temporal_1.NEW,
    '--stability',
    '0',
    '-i',
    '/nonexistent/id_ed25519',
];
(0, node_test_1.describe)('kernelctl rollout', () => {
    (0, node_test_1.test)('plan: preflight of every host, a table of what would happen, nothing changed', async () => {
        const fleet = new fleet_1.Fleet();
        const names = fleet.add(5);
        const file = inventory(names);
        const run = await (0, fleet_1.withFleet)(fleet, (h) => cli(['rollout', 'plan', ...common(file), '--canary', '1', '--batch', '2'], h.taskQueue));
        strict_1.default.equal(run.code, 0, run.stderr);
        const lines = run.stdout.split('\n');
        strict_1.default.match(lines[0] ?? '', /^BATCH\s+HOST\s+ADDRESS\s+RUNNING\s+WOULD\s+NOTES$/);
        for (const [i, n] of names.entries()) {
            const row = lines.find((l) => l.includes(` ${n} `));
            const batch = i === 0 ? 1 : i <= 2 ? 2 : 3;
            strict_1.default.match(row ?? '', new RegExp(`^${batch}\\s+${n}\\s+\\S+\\s+${temporal_1.OLD}\\s+upgrade → ${temporal_1.NEW}`), n);
        }
        strict_1.default.match(run.stdout, /5 host\(s\) in 3 batch\(es\): 5 would upgrade, 0 already run .*, 0 refused, 0 unreachable/);
        for (const n of names) {
            const calls = fleet.host(n).get().calls;
            strict_1.default.deepEqual(Object.keys(calls), ['preflight'], `${n}: preflight only`);
        }
    });
    (0, node_test_1.test)('rollout --wait: starts from the inventory, watches in plain lines, exits 0 when all upgraded', async () => {
        const fleet = new fleet_1.Fleet();
        const names = fleet.add(4);
        const file = inventory(names);
        const id = `cli-${fleet.prefix}`;
        const run = await (0, fleet_1.withFleet)(fleet, async (h) => {
            const started = await cli(['rollout', ...common(file), '--canary', '1', '--batch', '50%', '--id', id, '--wait', '--max-failures', '1'], h.taskQueue);
            // Operator commands on an ended rollout are refused with the reason, not ignored.
            const late = await cli(['rollout', 'approve', id], h.taskQueue);
            return { started, late };
        });
        strict_1.default.equal(run.started.code, 0, run.started.stderr + run.started.stdout);
        strict_1.default.match(run.started.stderr, new RegExp(`started kernel-rollout/${id}: 4 hosts`));
        const out = run.started.stdout;
        strict_1.default.match(out, /batch 1\/3 started: 1 host\(s\)/);
        strict_1.default.match(out, /batch 2\/3 started: 2 host\(s\)/);
        strict_1.default.match(out, /batch 3\/3 started: 1 host\(s\)/);
        for (const n of names)
            strict_1.default.match(out, new RegExp(`${n}: upgraded`), n);
        strict_1.default.match(out, new RegExp(`rollout ${id}: completed — 4 of 4 host\\(s\\) upgraded, 0 failed \\(budget 1\\)`));
        strict_1.default.doesNotMatch(out, /\x1b\[/, 'no terminal escapes when stdout is not a TTY');
        for (const n of names)
            (0, fleet_1.assertUpgraded)(fleet, n);
        strict_1.default.notEqual(run.late.code, 0);
        strict_1.default.match(run.late.stderr, /already ended; nothing to do/);
    });
    (0, node_test_1.test)('rollout --prepare-ahead: the next batch is staged while the canary reboots, and reboots after it', async () => {
        const fleet = new fleet_1.Fleet();
        const names = fleet.add(3);
        const [canary, next] = [names.slice(0, 1), names.slice(1)];
        const file = inventory(names);
        (0, fleet_1.hold)(fleet, canary);
        const run = await (0, fleet_1.withFleet)(fleet, async (h) => {
            const started = cli([
                'rollout',
                ...common(file),
                '--canary',
                '1',
                '--batch',
                '2',
                '--prepare-ahead',
                '--id',
                `cli-pa-${fleet.prefix}`,
                '--wait',
            ], h.taskQueue);
            await (0, fleet_1.heldInAwait)(fleet, canary);
            await (0, fleet_1.until)('the next batch staged while the canary is away', () => next.every((n) => (fleet.host(n).get().calls['stageTrialBoot'] ?? 0) === 1));
            for (const n of next)
                strict_1.default.equal(fleet.host(n).get().calls['rebootHost'] ?? 0, 0, `${n} waits for its turn`);
            (0, fleet_1.release)(fleet, canary);
            return started;
        });
        strict_1.default.equal(run.code, 0, run.stderr + run.stdout);
        for (const n of names)
            (0, fleet_1.assertUpgraded)(fleet, n);
    });
    (0, node_test_1.test)('a bad inventory or flag is refused naming file, line and field; nothing starts', async () => {
        const fleet = new fleet_1.Fleet();
        const names = fleet.add(2);
        const file = inventory(names);
        const bad = path.join(path.dirname(file), 'bad.ini');
        (0, node_fs_1.writeFileSync)(bad, `[web]\n${names[0]} ansible_port=99999\n`);
        const run = await (0, fleet_1.withFleet)(fleet, async (h) => ({
            inv: await cli(['rollout', ...common(bad)], h.taskQueue),
            flag: await cli(['rollout', ...common(file), '--batch', '0%', '--max-failures', 'lots'], h.taskQueue),
            limit: await cli(['rollout', ...common(file), '--limit', 'nosuchgroup'], h.taskQueue),
        }));
        strict_1.default.equal(run.inv.code, 2, run.inv.stderr);
        strict_1.default.match(run.inv.stderr, /bad\.ini:2: .*ansible_port/);
        strict_1.default.equal(run.flag.code, 2, run.flag.stderr);
        strict_1.default.match(run.flag.stderr, /strategy\.batches\[0\]/);
        strict_1.default.equal(run.limit.code, 2, run.limit.stderr);
        strict_1.default.match(run.limit.stderr, /nosuchgroup/);
        for (const n of names)
            strict_1.default.equal(fleet.touched(n), false, `${n} untouched`);
    });
});
//# sourceMappingURL=kernelctl-rollout.test.js.map