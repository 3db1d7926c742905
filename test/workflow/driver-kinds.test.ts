/**
 * The drivers preflight found reach every step: upgradeHostKernel on a real Temporal dev server
 * with stub activities acting on a model host whose preflight reports a bootloader and a package
 * manager no step could default to (`test-loader`, `test-pm`). The stubs refuse, as the real
 * activities do, a request that names no kind (InvalidInputError) or a bootloader the host no
 * longer has (BootloaderChangedError); every request's kinds are recorded and compared, on the
 * upgrade, on each rollback path, and when the host's bootloader changes after preflight.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { WorkflowHandle } from '@temporalio/client';
import {
  FakeHost,
  createStubActivities,
  newHostState,
  type FakeHostState,
  type TrialBehaviour,
} from '../helpers/fake-host';
import { NEW, OLD, stopOwnServer, testInput, withWorker } from '../helpers/temporal';
import { upgradeHostKernel } from '../../src/workflows';
import { abortUpdate, resolveUpdate, statusQuery } from '../../src/workflows/definitions';
import type { UpgradeHostInput } from '../../src/shared/types';
import { startUpgrade, waitForPhase } from '../helpers/upgrade-run';

after(stopOwnServer);

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

function modelHost(trial: TrialBehaviour, change?: FakeHostState['bootloaderChangesAt']): FakeHost {
  return new FakeHost({
    ...newHostState(OLD, trial),
    bootloader: LOADER,
    bootloaderLabel: `${LOADER} (EFI)`,
    packageManager: PM,
    bootloaderChangesAt: change ?? null,
  });
}

/** The run's result; a run that stops to wait for an operator fails the test, saying why. */
async function outcomeOf(handle: WorkflowHandle<typeof upgradeHostKernel>) {
  for (;;) {
    const s = await handle.query(statusQuery);
    if (s.outcome) return handle.result();
    if (s.phase === 'needs-attention') assert.fail(`the run waits for an operator: ${s.details}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function run(host: FakeHost, overrides: Partial<UpgradeHostInput> = {}) {
  return withWorker(createStubActivities(host), async ({ client, taskQueue }) =>
    outcomeOf(await startUpgrade(client, taskQueue, testInput(overrides))),
  );
}

describe('the drivers preflight found, in every request', () => {
  test('upgraded with a kexec trial: pin, install, stage, the kexec reboot and commit name them', async () => {
    const host = modelHost('ok');
    const result = await run(host, { useKexec: true });
    assert.equal(result.outcome, 'upgraded', result.reason);
    assert.deepEqual(host.get().driverRequests, [pin, install, stage, trialReboot, commit]);
    assert.ok(result.timeline.some((t) => t.message === `bootloader ${LOADER}, package manager ${PM}`));
  });

  test('the trial panics: the undo after the fallback names them', async () => {
    const host = modelHost('panic');
    const result = await run(host);
    assert.equal(result.outcome, 'rolled-back', result.reason);
    assert.deepEqual(host.get().driverRequests, [pin, install, stage, trialReboot, undo]);
  });

  test('health fails on the new kernel: the undo names them, then the rollback reboot', async () => {
    const host = modelHost('unhealthy');
    const result = await run(host);
    assert.equal(result.outcome, 'rolled-back', result.reason);
    assert.deepEqual(host.get().driverRequests, [pin, install, stage, trialReboot, undo, rollbackReboot]);
  });

  test('abort before the reboot: undoing the staging names them', async () => {
    const host = modelHost('ok');
    const result = await withWorker(createStubActivities(host), async ({ client, taskQueue }) => {
      const handle = await startUpgrade(client, taskQueue, testInput({ approveBeforeReboot: true }));
      await waitForPhase(handle, 'awaiting-approval');
      assert.equal((await handle.query(statusQuery)).bootloader, LOADER, 'the status names the bootloader');
      assert.equal((await handle.query(statusQuery)).bootloaderLabel, `${LOADER} (EFI)`, 'and its variant');
      // The web UI's "current details" of the run (the SDK's metadata query, which the UI reads).
      const meta = await handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata');
      assert.match(meta.currentDetails ?? '', /^\*\*awaiting-approval\*\* — .*\n\nbootloader: \S+ \(EFI\)$/s);
      await handle.executeUpdate(abortUpdate, { args: [{ by: 'bob', reason: 'change freeze' }] });
      return outcomeOf(handle);
    });
    assert.equal(result.outcome, 'aborted', result.reason);
    assert.deepEqual(host.get().driverRequests, [pin, install, stage, undo]);
  });

  test('a host already on the target: the commit names them', async () => {
    const host = modelHost('ok');
    host.update((s) => {
      s.running = NEW;
      s.installed.push(NEW);
    });
    const result = await run(host);
    assert.equal(result.outcome, 'upgraded', result.reason);
    assert.deepEqual(host.get().driverRequests, [commit]);
  });
});

describe('the bootloader changes after preflight', () => {
  test('seen by the pin: stopped before installing, on the old kernel, no operator needed', async () => {
    const host = modelHost('ok', { activity: 'pinKnownGood', to: 'grub-debian' });
    const result = await run(host);
    assert.equal(result.outcome, 'refused', result.reason);
    assert.match(result.reason, /BootloaderChangedError: .*test-loader.*grub-debian.*stopped before installing/);
    const s = host.get();
    assert.deepEqual(s.driverRequests, [pin], 'nothing after the pin');
    assert.deepEqual(s.installed, [OLD]);
    assert.equal(s.running, OLD);
    assert.equal(s.reboots, 0);
  });

  test('seen by the stage (after the install): no reboot; needs-attention until an operator decides', async () => {
    const host = modelHost('ok', { activity: 'stageTrialBoot', to: 'grub-debian' });
    const result = await withWorker(createStubActivities(host), async ({ client, taskQueue }) => {
      const handle = await startUpgrade(client, taskQueue, testInput());
      await waitForPhase(handle, 'needs-attention');
      const status = await handle.query(statusQuery);
      assert.match(status.details, /preparing the trial failed: BootloaderChangedError: stage: .*test-loader/);
      await handle.executeUpdate(resolveUpdate, { args: [{ by: 'oncall', action: 'give-up' }] });
      return handle.result();
    });
    assert.equal(result.outcome, 'needs-attention', result.reason);
    const s = host.get();
    assert.deepEqual(s.driverRequests, [pin, install, stage]);
    assert.equal(s.reboots, 0, 'never rebooted into a trial the loader in use did not stage');
    assert.equal(s.running, OLD);
    assert.equal(s.staged, false);
  });
});
