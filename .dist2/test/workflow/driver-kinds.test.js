"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * The drivers preflight found reach every step: upgradeHostKernel on a real Temporal dev server
 * with stub activities acting on a model host whose preflight reports a bootloader and a package
 * manager no step could default to (`test-loader`, `test-pm`). The stubs refuse, as the real
 * activities do, a request that names no kind (InvalidInputError) or a bootloader the host no
 * longer has (BootloaderChangedError); every request's kinds are recorded and compared, on the
 * upgrade, on each rollback path, and when the host's bootloader changes after preflight.
 */
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const fake_host_1 = require("../helpers/fake-host");
const temporal_1 = require("../helpers/temporal");
const definitions_1 = require("../../src/workflows/definitions");
const upgrade_run_1 = require("../helpers/upgrade-run");
(0, node_test_1.after)(temporal_1.stopOwnServer);
const LOADER = 'test-loader';
const PM = 'test-pm';
/** What each activity's request must name: the kinds preflight reported, where the step uses them. */
const pin = { activity: 'pinKnownGood', bootloader: LOADER };
const install = { activity: 'installKernel', packageManager: PM };
const stage = { activity: 'stageTrialBoot', bootloader: LOADER };
const trialReboot = { activity: 'rebootHost', packageManager: PM };
const commit = { activity: 'commitKernel', bootloader: LOADER };
const undo = { activity: 'undoTrial', bootloader: LOADER, packageManager: PM };
/** The rollback reboot boots the saved default (no kexec): it uses no driver. */
const rollbackReboot = { activity: 'rebootHost' };
function modelHost(trial, change) {
    return new fake_host_1.FakeHost({
        ...(0, fake_host_1.newHostState)(temporal_1.OLD, trial),
        bootloader: LOADER,
        bootloaderLabel: `${LOADER} (EFI)`,
        packageManager: PM,
        bootloaderChangesAt: change ?? null,
    });
}
/** The run's result; a run that stops to wait for an operator fails the test, saying why. */
async function outcomeOf(handle) {
    for (;;) {
        const s = await handle.query(definitions_1.statusQuery);
        if (s.outcome)
            return handle.result();
        if (s.phase === 'needs-attention')
            strict_1.default.fail(`the run waits for an operator: ${s.details}`);
        await new Promise((r) => setTimeout(r, 50));
    }
}
async function run(host, overrides = {}) {
    return (0, temporal_1.withWorker)((0, fake_host_1.createStubActivities)(host), async ({ client, taskQueue }) => outcomeOf(await (0, upgrade_run_1.startUpgrade)(client, taskQueue, (0, temporal_1.testInput)(overrides))));
}
(0, node_test_1.describe)('the drivers preflight found, in every request', () => {
    (0, node_test_1.test)('upgraded with a kexec trial: pin, install, stage, the kexec reboot and commit name them', async () => {
        const host = modelHost('ok');
        const result = await run(host, { useKexec: true });
        strict_1.default.equal(result.outcome, 'upgraded', result.reason);
        strict_1.default.deepEqual(host.get().driverRequests, [pin, install, stage, trialReboot, commit]);
        strict_1.default.ok(result.timeline.some((t) => t.message === `bootloader ${LOADER}, package manager ${PM}`));
    });
    (0, node_test_1.test)('the trial panics: the undo after the fallback names them', async () => {
        const host = modelHost('panic');
        const result = await run(host);
        strict_1.default.equal(result.outcome, 'rolled-back', result.reason);
        strict_1.default.deepEqual(host.get().driverRequests, [pin, install, stage, trialReboot, undo]);
    });
    (0, node_test_1.test)('health fails on the new kernel: the undo names them, then the rollback reboot', async () => {
        const host = modelHost('unhealthy');
        const result = await run(host);
        strict_1.default.equal(result.outcome, 'rolled-back', result.reason);
        strict_1.default.deepEqual(host.get().driverRequests, [pin, install, stage, trialReboot, undo, rollbackReboot]);
    });
    (0, node_test_1.test)('abort before the reboot: undoing the staging names them', async () => {
        const host = modelHost('ok');
        const result = await (0, temporal_1.withWorker)((0, fake_host_1.createStubActivities)(host), async ({ client, taskQueue }) => {
            const handle = await (0, upgrade_run_1.startUpgrade)(client, taskQueue, (0, temporal_1.testInput)({ approveBeforeReboot: true }));
            await (0, upgrade_run_1.waitForPhase)(handle, 'awaiting-approval');
            strict_1.default.equal((await handle.query(definitions_1.statusQuery)).bootloader, LOADER, 'the status names the bootloader');
            strict_1.default.equal((await handle.query(definitions_1.statusQuery)).bootloaderLabel, `${LOADER} (EFI)`, 'and its variant');
            // The web UI's "current details" of the run (the SDK's metadata query, which the UI reads).
            const meta = await handle.query('__temporal_workflow_metadata');
            strict_1.default.match(meta.currentDetails ?? '', /^\*\*awaiting-approval\*\* — .*\n\nbootloader: \S+ \(EFI\)$/s);
            await handle.executeUpdate(definitions_1.abortUpdate, { args: [{ by: 'bob', reason: 'change freeze' }] });
            return outcomeOf(handle);
        });
        strict_1.default.equal(result.outcome, 'aborted', result.reason);
        strict_1.default.deepEqual(host.get().driverRequests, [pin, install, stage, undo]);
    });
    (0, node_test_1.test)('a host already on the target: the commit names them', async () => {
        const host = modelHost('ok');
        host.update((s) => {
            s.running = temporal_1.NEW;
            s.installed.push(temporal_1.NEW);
        });
        const result = await run(host);
        strict_1.default.equal(result.outcome, 'upgraded', result.reason);
        strict_1.default.deepEqual(host.get().driverRequests, [commit]);
    });
});
(0, node_test_1.describe)('the bootloader changes after preflight', () => {
    (0, node_test_1.test)('seen by the pin: stopped before installing, on the old kernel, no operator needed', async () => {
        const host = modelHost('ok', { activity: 'pinKnownGood', to: 'grub-debian' });
        const result = await run(host);
        strict_1.default.equal(result.outcome, 'refused', result.reason);
        strict_1.default.match(result.reason, /BootloaderChangedError: .*test-loader.*grub-debian.*stopped before installing/);
        const s = host.get();
        strict_1.default.deepEqual(s.driverRequests, [pin], 'nothing after the pin');
        strict_1.default.deepEqual(s.installed, [temporal_1.OLD]);
        strict_1.default.equal(s.running, temporal_1.OLD);
        strict_1.default.equal(s.reboots, 0);
    });
    (0, node_test_1.test)('seen by the stage (after the install): no reboot; needs-attention until an operator decides', async () => {
        const host = modelHost('ok', { activity: 'stageTrialBoot', to: 'grub-debian' });
        const result = await (0, temporal_1.withWorker)((0, fake_host_1.createStubActivities)(host), async ({ client, taskQueue }) => {
            const handle = await (0, upgrade_run_1.startUpgrade)(client, taskQueue, (0, temporal_1.testInput)());
            await (0, upgrade_run_1.waitForPhase)(handle, 'needs-attention');
            const status = await handle.query(definitions_1.statusQuery);
            strict_1.default.match(status.details, /preparing the trial failed: BootloaderChangedError: stage: .*test-loader/);
            await handle.executeUpdate(definitions_1.resolveUpdate, { args: [{ by: 'oncall', action: 'give-up' }] });
            return handle.result();
        });
        strict_1.default.equal(result.outcome, 'needs-attention', result.reason);
        const s = host.get();
        strict_1.default.deepEqual(s.driverRequests, [pin, install, stage]);
        strict_1.default.equal(s.reboots, 0, 'never rebooted into a trial the loader in use did not stage');
        strict_1.default.equal(s.running, temporal_1.OLD);
        strict_1.default.equal(s.staged, false);
    });
});
//# sourceMappingURL=driver-kinds.test.js.map