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
 * The chaos suite's invariant checker can fail: it is fed a simulated host that a human broke
 * by hand over SSH (a kernel nobody verified made the default, a reboot nobody decided, a pending
 * one-shot) and evidence that does not match, and must name every broken invariant — and pass
 * the same host once the evidence says what really happened.
 */
const strict_1 = __importDefault(require("node:assert/strict"));
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const node_test_1 = require("node:test");
const simulator_1 = require("../../sim/simulator");
const helpers_1 = require("../sim/helpers");
const faults_1 = require("./faults");
const invariants_1 = require("./invariants");
const noWorkflow = () => ({
    runs: [],
    rebootDecisions: 0,
    powerCycleDecisions: 0,
    verified: [],
    commits: [],
});
(0, node_test_1.describe)('chaos invariant checker', () => {
    let sim;
    (0, node_test_1.before)(async () => {
        sim = await (0, simulator_1.startSimulator)({ hosts: [{ name: 'chk-intact' }, { name: 'chk-tampered' }], bootSeconds: 1 });
    });
    (0, node_test_1.after)(async () => {
        await sim?.stop();
    });
    function evidence(host, over = {}) {
        const dir = path.join(sim.stateDir, 'hosts', host, 'boot', 'grub');
        return {
            host,
            target: faults_1.NEW,
            participations: [],
            inspection: sim.inspect(host),
            grubenv: fs.readFileSync(path.join(dir, 'grubenv'), 'utf8'),
            grubCfg: (0, invariants_1.menuAsBooted)(dir),
            commands: sim.commands(host),
            operatorResets: 0,
            workflow: noWorkflow(),
            ...over,
        };
    }
    (0, node_test_1.it)('passes an untouched host that preflight refused', () => {
        const v = (0, invariants_1.checkHost)(evidence('chk-intact', { participations: [{ rolloutId: 'r', outcome: 'refused', expected: 'refused' }] }));
        strict_1.default.deepEqual(v, []);
    });
    (0, node_test_1.it)('names each broken invariant of a host changed by hand behind the workflow’s back', async () => {
        const h = 'chk-tampered';
        await (0, helpers_1.sshOk)(sim, h, `apt-get install -y linux-image-${faults_1.NEW}`);
        await (0, helpers_1.sshOk)(sim, h, `sed -i 's/^GRUB_DEFAULT=.*/GRUB_DEFAULT=saved/' /etc/default/grub && update-grub 2>/dev/null && grub-set-default '${(0, helpers_1.entryOf)(faults_1.NEW)}'`);
        await (0, helpers_1.sshOk)(sim, h, 'systemctl reboot');
        await sim.waitFor(h, ['down'], 5000);
        await sim.waitFor(h, ['up'], 10_000);
        strict_1.default.equal(sim.inspect(h).runningKernel, faults_1.NEW);
        await (0, helpers_1.sshOk)(sim, h, `grub-reboot '${(0, helpers_1.entryOf)(faults_1.OLD)}'`);
        const v = (0, invariants_1.checkHost)(evidence(h, { participations: [{ rolloutId: 'r', outcome: 'upgraded', expected: 'rolled-back' }] }));
        const by = (name) => v.filter((x) => x.invariant === name).map((x) => x.detail);
        strict_1.default.match(by('saved-default').join('\n'), new RegExp(`default boots ${faults_1.NEW}.*neither the original ${faults_1.OLD}`));
        strict_1.default.match(by('reboots').join('\n'), /1 reboot\(s\) requested over SSH, the workflow decided 0/);
        strict_1.default.match(by('reboots').join('\n'), /1 boot\(s\) after the first, only 0 accounted for/);
        strict_1.default.match(by('reboot-count').join('\n'), /rebootCount 0, the host rebooted 1 time\(s\)/);
        strict_1.default.match(by('next-entry').join('\n'), new RegExp(`next_entry=${(0, helpers_1.entryOf)(faults_1.OLD).replace(/[>]/g, '.')}`));
        strict_1.default.match(by('outcome').join('\n'), /reports upgraded, the fault calls for rolled-back/);
        strict_1.default.match(by('outcome').join('\n'), /upgraded without a commit/);
        strict_1.default.deepEqual(v.filter((x) => x.invariant === 'one-run-at-a-time'), []);
    });
    (0, node_test_1.it)('passes the same default once the workflow verified that kernel in a boot the host had', async () => {
        const h = 'chk-tampered';
        await (0, helpers_1.sshOk)(sim, h, 'grub-editenv /boot/grub/grubenv unset next_entry');
        const trialBoot = sim.inspect(h).boots[1]?.bootId ?? '';
        const workflow = {
            ...noWorkflow(),
            // One run that says it rebooted the host once (reboot-count: the result owns up to it).
            runs: [
                { runId: 'r1', startedAt: 0, closedAt: 1, status: 'completed', result: { rebootCount: 1 } },
            ],
            rebootDecisions: 1,
            verified: [{ release: faults_1.NEW, bootId: trialBoot }],
            commits: [{ release: faults_1.NEW, bootId: trialBoot }],
        };
        const participations = [{ rolloutId: 'r', outcome: 'upgraded', expected: 'upgraded' }];
        strict_1.default.deepEqual((0, invariants_1.checkHost)(evidence(h, { workflow, participations })), []);
        // A verification in a boot this host never had does not count.
        const elsewhere = { ...workflow, verified: [{ release: faults_1.NEW, bootId: '00000000-0000-4000-8000-000000000000' }] };
        const v = (0, invariants_1.checkHost)(evidence(h, { workflow: elsewhere, participations }));
        strict_1.default.deepEqual(v.map((x) => x.invariant), ['saved-default', 'outcome']);
    });
    (0, node_test_1.it)('accepts a healthy host that its revert timer rolled back before any confirmation, and only then', () => {
        const base = evidence('chk-intact');
        const [first] = base.inspection.boots;
        strict_1.default.ok(first);
        const trial = { ...first, at: first.at + 2000, cmdline: `${first.cmdline} panic=1 kernel_rollout.trial=T0k3n` };
        const inspection = { ...base.inspection, boots: [first, trial, { ...first, at: first.at + 4000 }] };
        const firing = {
            at: first.at + 3000,
            source: 'systemd',
            user: 'root',
            command: "kernel-rollout-revert.service: /bin/sh -c 'grub-editenv /boot/grub/grubenv unset next_entry; systemctl reboot || reboot -f'",
        };
        const participations = [{ rolloutId: 'r', outcome: 'rolled-back', expected: 'upgraded' }];
        const outcomes = (commands) => (0, invariants_1.checkHost)({ ...base, inspection, commands, participations }).filter((v) => v.invariant === 'outcome');
        strict_1.default.deepEqual(outcomes([...base.commands, firing]), []);
        // Confirmed first, reverted anyway: the confirmation did not stop the timer — a wrong outcome.
        const confirm = {
            at: first.at + 2500,
            source: 'ssh',
            user: 'root',
            command: 'mkdir -p /run/kernel-rollout && touch /run/kernel-rollout/confirmed',
        };
        strict_1.default.equal(outcomes([...base.commands, confirm, firing]).length, 1);
        // No firing at all: rolled-back is simply not what a healthy host should end as.
        strict_1.default.equal(outcomes(base.commands).length, 1);
    });
    (0, node_test_1.it)('reports two runs of one host that overlap in time', () => {
        const workflow = {
            ...noWorkflow(),
            runs: [
                { runId: 'run-1', startedAt: 1000, closedAt: 5000, status: 'completed' },
                { runId: 'run-2', startedAt: 4000, closedAt: 9000, status: 'completed' },
            ],
        };
        const v = (0, invariants_1.checkHost)(evidence('chk-intact', { workflow }));
        strict_1.default.deepEqual(v.map((x) => `${x.invariant}: ${x.detail}`), ['one-run-at-a-time: run run-2 started while run run-1 was still open']);
    });
});
//# sourceMappingURL=invariants.test.js.map