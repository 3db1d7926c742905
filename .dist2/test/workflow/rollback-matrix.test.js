"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * upgradeHostKernel on a real Temporal dev server with stubbed activities acting on a model
 * host: every row of the rollback matrix, approve and abort. After each run the model host is
 * checked against rule 1: its saved default is a kernel that booted and verified there.
 */
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const fake_host_1 = require("../helpers/fake-host");
const temporal_1 = require("../helpers/temporal");
const kernelctl_1 = require("../helpers/kernelctl");
const host_facts_1 = require("../../src/activities/steps/host-facts");
const dpkg_1 = require("../../src/activities/install/dpkg");
const kernelctl_2 = require("../../src/cli/kernelctl");
const schemas_1 = require("../../src/shared/schemas");
const definitions_1 = require("../../src/workflows/definitions");
const upgrade_run_1 = require("../helpers/upgrade-run");
(0, node_test_1.after)(temporal_1.stopOwnServer);
/** An update refused by its validator: the reason is in the failure's cause. */
async function assertRefused(p, re) {
    await strict_1.default.rejects(p, (err) => {
        strict_1.default.match(`${err.message} ${err.cause?.message ?? ''}`, re);
        return true;
    });
}
function assertRuleOne(s) {
    strict_1.default.ok(s.savedDefault, 'a saved default is set');
    strict_1.default.ok(s.verifiedBoots.includes(s.savedDefault), `saved default ${s.savedDefault} booted and verified here`);
    strict_1.default.equal(s.nextEntry, null, 'no one-shot left behind');
    strict_1.default.equal(s.revertArmed, false, 'revert timer disarmed');
}
async function run(trial, overrides = {}) {
    const host = new fake_host_1.FakeHost((0, fake_host_1.newHostState)(temporal_1.OLD, trial));
    const result = await (0, temporal_1.withWorker)((0, fake_host_1.createStubActivities)(host), async ({ client, taskQueue }) => {
        const handle = await (0, upgrade_run_1.startUpgrade)(client, taskQueue, (0, temporal_1.testInput)(overrides));
        return handle.result();
    });
    return { result, state: host.get() };
}
(0, node_test_1.describe)('rollback matrix', () => {
    (0, node_test_1.test)('healthy trial: upgraded, saved default moves to the new kernel, one reboot', async () => {
        const { result, state } = await run('ok');
        strict_1.default.equal(result.outcome, 'upgraded', result.reason);
        strict_1.default.equal(result.bootedKernel, temporal_1.NEW);
        strict_1.default.equal(state.running, temporal_1.NEW);
        strict_1.default.equal(state.savedDefault, temporal_1.NEW);
        strict_1.default.equal(state.reboots, 1);
        strict_1.default.equal(result.rebootCount, 1);
        strict_1.default.equal(state.calls['commitKernel'], 1);
        strict_1.default.deepEqual(state.trialBootRefs, [], 'nothing to clear, no evidence read');
        assertRuleOne(state);
        const phases = result.timeline.map((t) => t.phase);
        for (const p of ['preflight', 'install', 'reboot', 'await', 'verify', 'stability', 'commit', 'done']) {
            strict_1.default.ok(phases.includes(p), `timeline has ${p}`);
        }
        // Pin, install and stage are one activity (one phase, install) in runs started now.
        strict_1.default.ok(!phases.includes('stage'), 'no separate stage phase');
        strict_1.default.deepEqual([state.calls['pinKnownGood'], state.calls['installKernel'], state.calls['stageTrialBoot']], [1, 1, 1]);
        strict_1.default.ok(result.timeline.every((t) => !Number.isNaN(Date.parse(t.at))), 'timestamps');
    });
    (0, node_test_1.test)('one --health-cmd: the status names the default system-running check beside it', async () => {
        const flags = await (0, kernelctl_2.upgradeInputFromFlags)('web-01', { to: temporal_1.NEW, 'health-cmd': ['curl -fs localhost'] });
        const { healthChecks } = (0, schemas_1.parseOrThrow)(schemas_1.upgradeHostInputSchema, flags);
        const { result } = await run('ok', { healthChecks });
        strict_1.default.equal(result.outcome, 'upgraded', result.reason);
        const verify = result.timeline.filter((t) => t.phase === 'verify').map((t) => t.message);
        strict_1.default.equal(verify.length, 1, verify.join('\n'));
        strict_1.default.match(verify[0] ?? '', /: checking uname -r, boot id and 2 health checks: system-running, command `curl -fs localhost`$/);
    });
    (0, node_test_1.test)('trial panics: back on the old kernel, rolled-back, default unchanged', async () => {
        const { result, state } = await run('panic');
        strict_1.default.equal(result.outcome, 'rolled-back', result.reason);
        strict_1.default.equal(result.bootedKernel, temporal_1.OLD);
        strict_1.default.equal(state.running, temporal_1.OLD);
        strict_1.default.equal(state.savedDefault, temporal_1.OLD);
        strict_1.default.equal(state.calls['commitKernel'] ?? 0, 0);
        // The model host's trial boot is boot 1 (it panicked), boot 2 the fallback: undoTrial is told
        // the boots around the trial, not "the previous boot".
        strict_1.default.deepEqual(state.trialBootRefs, [
            { kind: 'between', bootIdBefore: (0, fake_host_1.bootIdFor)(0), fallbackBootId: (0, fake_host_1.bootIdFor)(2) },
        ]);
        assertRuleOne(state);
    });
    (0, node_test_1.test)('new kernel boots but health fails: rollback reboot into the old kernel', async () => {
        const { result, state } = await run('unhealthy');
        strict_1.default.equal(result.outcome, 'rolled-back', result.reason);
        strict_1.default.match(result.reason, /verification failed/);
        strict_1.default.equal(state.running, temporal_1.OLD);
        strict_1.default.equal(state.savedDefault, temporal_1.OLD);
        strict_1.default.equal(state.reboots, 2, 'trial reboot + rollback reboot');
        // Cleared while still on the trial boot (boot 1), which the run saw running the new kernel.
        strict_1.default.deepEqual(state.trialBootRefs, [{ kind: 'seen', trialBootId: (0, fake_host_1.bootIdFor)(1) }]);
        assertRuleOne(state);
    });
    (0, node_test_1.test)('never back, command power driver: power cycle boots the saved default, rolled-back', async () => {
        const { result, state } = await run('hang');
        strict_1.default.equal(result.outcome, 'rolled-back', result.reason);
        strict_1.default.equal(state.powerCycles, 1);
        strict_1.default.equal(state.running, temporal_1.OLD);
        strict_1.default.deepEqual(state.trialBootRefs, [
            { kind: 'between', bootIdBefore: (0, fake_host_1.bootIdFor)(0), fallbackBootId: (0, fake_host_1.bootIdFor)(2) },
        ]);
        assertRuleOne(state);
    });
    (0, node_test_1.test)('never back, driver none: needs-attention waits for the operator; mark-fixed after a hand reset', async () => {
        const host = new fake_host_1.FakeHost((0, fake_host_1.newHostState)(temporal_1.OLD, 'hang'));
        const result = await (0, temporal_1.withWorker)((0, fake_host_1.createStubActivities)(host), async ({ client, taskQueue }) => {
            const input = (0, temporal_1.testInput)({ power: { driver: 'none' } });
            const handle = await (0, upgrade_run_1.startUpgrade)(client, taskQueue, input);
            await (0, upgrade_run_1.waitForPhase)(handle, 'needs-attention');
            const status = await handle.query(definitions_1.statusQuery);
            strict_1.default.equal(status.waitingFor, 'operator');
            strict_1.default.match(status.details, /kernelctl resolve/);
            // kernelctl status says so in its exit code (4, needs-attention), not 0.
            const shown = await (0, kernelctl_1.kernelctlOn)(taskQueue, ['status', input.target.host]);
            strict_1.default.equal(shown.code, 4, `kernelctl status exits 4 while waiting in needs-attention:\n${shown.stdout}${shown.stderr}`);
            strict_1.default.match(shown.stdout, /needs-attention/);
            // Someone in the machine room resets it: GRUB boots the saved default.
            host.update((s) => {
                host.bootThroughGrub(s);
                s.up = true;
            });
            await handle.executeUpdate(definitions_1.resolveUpdate, { args: [{ by: 'oncall', action: 'mark-fixed' }] });
            return handle.result();
        });
        strict_1.default.equal(result.outcome, 'rolled-back', result.reason);
        strict_1.default.equal(host.get().running, temporal_1.OLD);
        assertRuleOne(host.get());
    });
    (0, node_test_1.test)('never back even after power cycles: retry, then give-up ends needs-attention', async () => {
        const host = new fake_host_1.FakeHost((0, fake_host_1.newHostState)(temporal_1.OLD, 'hang-forever'));
        const result = await (0, temporal_1.withWorker)((0, fake_host_1.createStubActivities)(host), async ({ client, taskQueue }) => {
            const handle = await (0, upgrade_run_1.startUpgrade)(client, taskQueue, (0, temporal_1.testInput)());
            await (0, upgrade_run_1.waitForPhase)(handle, 'needs-attention');
            await handle.executeUpdate(definitions_1.resolveUpdate, { args: [{ by: 'oncall', action: 'retry' }] });
            // approve is refused when nothing waits for it
            await assertRefused(handle.executeUpdate(definitions_1.approveUpdate, { args: [{ by: 'oncall' }] }), /nothing waits for approval/);
            await (0, upgrade_run_1.waitForPhase)(handle, 'needs-attention');
            await handle.executeUpdate(definitions_1.resolveUpdate, { args: [{ by: 'oncall', action: 'give-up' }] });
            return handle.result();
        });
        strict_1.default.equal(result.outcome, 'needs-attention');
        strict_1.default.equal(host.get().powerCycles, 2, 'one power cycle, then one more on retry');
        strict_1.default.equal(host.get().savedDefault, temporal_1.OLD, 'saved default never moved');
    });
});
(0, node_test_1.describe)('operator actions', () => {
    (0, node_test_1.test)('approve before reboot: waits, then reboots once approved', async () => {
        const host = new fake_host_1.FakeHost((0, fake_host_1.newHostState)(temporal_1.OLD, 'ok'));
        const result = await (0, temporal_1.withWorker)((0, fake_host_1.createStubActivities)(host), async ({ client, taskQueue }) => {
            const handle = await (0, upgrade_run_1.startUpgrade)(client, taskQueue, (0, temporal_1.testInput)({ approveBeforeReboot: true }));
            await (0, upgrade_run_1.waitForPhase)(handle, 'awaiting-approval');
            strict_1.default.equal(host.get().reboots, 0, 'no reboot before approval');
            strict_1.default.equal((await handle.query(definitions_1.statusQuery)).waitingFor, 'approval');
            await assertRefused(handle.executeUpdate(definitions_1.approveUpdate, { args: [{ by: '' }] }), /by: must be/);
            const reply = await handle.executeUpdate(definitions_1.approveUpdate, { args: [{ by: 'alice', comment: 'window open' }] });
            strict_1.default.match(reply, /approved/);
            return handle.result();
        });
        strict_1.default.equal(result.outcome, 'upgraded', result.reason);
        strict_1.default.ok(result.timeline.some((t) => /approved by alice/.test(t.message)));
        assertRuleOne(host.get());
    });
    (0, node_test_1.test)('abort before the reboot: staging undone, nothing rebooted, aborted', async () => {
        const host = new fake_host_1.FakeHost((0, fake_host_1.newHostState)(temporal_1.OLD, 'ok'));
        const result = await (0, temporal_1.withWorker)((0, fake_host_1.createStubActivities)(host), async ({ client, taskQueue }) => {
            const handle = await (0, upgrade_run_1.startUpgrade)(client, taskQueue, (0, temporal_1.testInput)({ approveBeforeReboot: true }));
            await (0, upgrade_run_1.waitForPhase)(handle, 'awaiting-approval');
            strict_1.default.equal(host.get().nextEntry, temporal_1.NEW, 'one-shot staged');
            await handle.executeUpdate(definitions_1.abortUpdate, { args: [{ by: 'bob', reason: 'change freeze' }] });
            await assertRefused(handle.executeUpdate(definitions_1.abortUpdate, { args: [{ by: 'bob', reason: 'again' }] }), /already requested|too late/);
            return handle.result();
        });
        strict_1.default.equal(result.outcome, 'aborted', result.reason);
        strict_1.default.match(result.reason, /change freeze/);
        const s = host.get();
        strict_1.default.equal(s.reboots, 0);
        strict_1.default.equal(s.running, temporal_1.OLD);
        strict_1.default.deepEqual(s.trialBootRefs, [{ kind: 'no-reboot' }], 'no trial boot: no evidence to read');
        assertRuleOne(s);
    });
    (0, node_test_1.test)('approval never comes: staging undone after the approval timeout', async () => {
        const { result, state } = await (async () => {
            const host = new fake_host_1.FakeHost((0, fake_host_1.newHostState)(temporal_1.OLD, 'ok'));
            const input = (0, temporal_1.testInput)({ approveBeforeReboot: true });
            input.timeouts = { ...input.timeouts, approvalTimeoutSeconds: 2 };
            const r = await (0, temporal_1.withWorker)((0, fake_host_1.createStubActivities)(host), async ({ client, taskQueue }) => (await (0, upgrade_run_1.startUpgrade)(client, taskQueue, input)).result());
            return { result: r, state: host.get() };
        })();
        strict_1.default.equal(result.outcome, 'aborted');
        strict_1.default.match(result.reason, /no approval/);
        strict_1.default.equal(state.reboots, 0);
        assertRuleOne(state);
    });
    (0, node_test_1.test)('abort after the reboot: the new kernel is rolled back', async () => {
        const host = new fake_host_1.FakeHost((0, fake_host_1.newHostState)(temporal_1.OLD, 'ok'));
        const result = await (0, temporal_1.withWorker)((0, fake_host_1.createStubActivities)(host), async ({ client, taskQueue }) => {
            host.update((s) => {
                s.holdAwait = true;
            });
            const handle = await (0, upgrade_run_1.startUpgrade)(client, taskQueue, (0, temporal_1.testInput)());
            await (0, upgrade_run_1.waitForPhase)(handle, 'await');
            const reply = await handle.executeUpdate(definitions_1.abortUpdate, { args: [{ by: 'carol', reason: 'pager storm' }] });
            strict_1.default.match(reply, /after the reboot/);
            host.update((s) => {
                s.holdAwait = false;
            });
            return handle.result();
        });
        strict_1.default.equal(result.outcome, 'rolled-back', result.reason);
        strict_1.default.match(result.reason, /pager storm/);
        const s = host.get();
        strict_1.default.equal(s.running, temporal_1.OLD);
        strict_1.default.equal(s.reboots, 2);
        assertRuleOne(s);
    });
    (0, node_test_1.test)('a repeated upgrade of a host already on the target: verified and committed, said once', async () => {
        const host = new fake_host_1.FakeHost((0, fake_host_1.newHostState)(temporal_1.OLD, 'ok'));
        const stubs = (0, fake_host_1.createStubActivities)(host);
        // The stub's facts judged by the real preflight's assessment, so the run sees the warnings
        // a real host on the target kernel would give.
        const activities = {
            ...stubs,
            preflight: async (req) => {
                const { refusals: _r, fixes: _f, warnings: _w, ...base } = await stubs.preflight(req);
                return (0, host_facts_1.assessFacts)(base, req, dpkg_1.dpkg);
            },
        };
        const input = (0, temporal_1.testInput)();
        const [first, again] = await (0, temporal_1.withWorker)(activities, async ({ client, taskQueue }) => {
            const one = await (await (0, upgrade_run_1.startUpgrade)(client, taskQueue, input)).result();
            return [one, await (await (0, upgrade_run_1.startUpgrade)(client, taskQueue, input)).result()];
        });
        strict_1.default.equal(first.outcome, 'upgraded', first.reason);
        strict_1.default.equal(again.outcome, 'upgraded', again.reason);
        strict_1.default.equal(again.rebootCount, 0, 'no reboot the second time');
        const said = again.timeline.filter((t) => /already run/.test(t.message)).map((t) => t.message);
        strict_1.default.equal(said.length, 1, `said once:\n${again.timeline.map((t) => t.message).join('\n')}`);
        assertRuleOne(host.get());
    });
    (0, node_test_1.test)('a second run for the same host is refused by Temporal while the first runs', async () => {
        const host = new fake_host_1.FakeHost((0, fake_host_1.newHostState)(temporal_1.OLD, 'ok'));
        await (0, temporal_1.withWorker)((0, fake_host_1.createStubActivities)(host), async ({ client, taskQueue }) => {
            const input = (0, temporal_1.testInput)({ approveBeforeReboot: true });
            const first = await (0, upgrade_run_1.startUpgrade)(client, taskQueue, input);
            await strict_1.default.rejects((0, upgrade_run_1.startUpgrade)(client, taskQueue, input), /already started|AlreadyStarted/i);
            await first.executeUpdate(definitions_1.abortUpdate, { args: [{ by: 'test', reason: 'done' }] });
            await first.result();
        });
    });
});
//# sourceMappingURL=rollback-matrix.test.js.map