/**
 * The simulator against recorded runs of the real testbed VMs: each conformance transcript on a
 * simulated host set up like the testbed image must show, after every step, the state the VM
 * showed. GRUB (bios-grub): test/conformance/transcript.ts against
 * test/fixtures/debian12/conformance-transcript.json (written by test/e2e/conformance.test.ts as
 * test-artifacts/e2e/conformance-vm.json). systemd-boot: test/conformance/sdboot-transcript.ts
 * against test/fixtures/systemd-boot/conformance-transcript.json (written as
 * test-artifacts/e2e/systemd-boot/conformance-vm.json). The e2e test compares with a live VM; this
 * one keeps the model honest on every `npm run test:sim`, in seconds. A failure here means the
 * model changed: fix sim/model.ts, sim/tools/krsim, sim/systemd-boot.ts, sim/tools/krsim-sdboot or
 * sim/MODEL.md — or, if the transcript changed, re-record with `KERNEL_ROLLOUT_E2E=conformance npm
 * run test:e2e` (systemd-boot: `KERNEL_ROLLOUT_E2E=conformance@systemd-boot
 * KERNEL_ROLLOUT_PLATFORM=systemd-boot`) and copy the artifact over the fixture.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';

import { startSimulator } from '../../sim/simulator';
import {
  TRANSCRIPT,
  diffRuns,
  runTranscript,
  simConformanceHost,
  testbedLikeHost,
  type RecordedRun,
} from '../conformance/transcript';
import {
  SDBOOT_TRANSCRIPT_STEPS,
  diffSdRuns,
  runSdTranscript,
  type SdRecordedRun,
} from '../conformance/sdboot-transcript';

const FIXTURES = path.join(__dirname, '..', '..', '..', 'test', 'fixtures');
const FIXTURE = path.join(FIXTURES, 'debian12', 'conformance-transcript.json');
const SDBOOT_FIXTURE = path.join(FIXTURES, 'systemd-boot', 'conformance-transcript.json');
/** The simulator's dpkg reads the release and version from the file name, not its contents. */
const STAND_IN_DEB = Buffer.from('stand-in for the kernel package\n');

test('conformance: the simulator shows what the recorded real VM showed after every step', async () => {
  const recorded = JSON.parse(readFileSync(FIXTURE, 'utf8')) as RecordedRun;
  assert.deepEqual(
    recorded.states.map((s) => s.step),
    TRANSCRIPT.map((s) => s.title),
    'the transcript changed since the VM run was recorded: re-record it (see the top of this file)',
  );
  const sim = await startSimulator({
    hosts: [testbedLikeHost('testbed-twin', { packages: recorded.initialPackages })],
    bootSeconds: 1,
  });
  try {
    const run = await runTranscript(
      simConformanceHost(sim, 'testbed-twin'),
      { ...recorded.input, debBytes: STAND_IN_DEB },
      undefined,
      30_000,
    );
    const diff = diffRuns({ host: 'VM (recorded)', states: recorded.states }, run);
    if (diff) assert.fail(`the simulator differs from the recorded VM run (${recorded.provenance}):\n${diff}`);
  } finally {
    await sim.stop();
  }
});

/**
 * What docs/safety.md's argument for skipping update-grub rests on, as the real VM showed it:
 * pinned without regenerating, the kernel package's own hook made grub.cfg read the saved default
 * (still the old kernel); the trial entry lived only in custom.cfg, GRUB booted it once from there,
 * then the saved default; committing left no trial entry anywhere.
 */
test('the recorded VM run: no update-grub needed around the install, the trial booted from custom.cfg', () => {
  const recorded = JSON.parse(readFileSync(FIXTURE, 'utf8')) as RecordedRun;
  const { oldRelease, newRelease } = recorded.input;
  const state = (prefix: string) => {
    const found = recorded.states.find((s) => s.step.startsWith(prefix));
    assert.ok(found, `a step "${prefix}…" in the recording`);
    return found;
  };
  const savedEntry = (s: RecordedRun['states'][number]) => s.grubenv.find((l) => l.startsWith('saved_entry='));
  const oldSaved = `saved_entry=gnulinux-advanced-<uuid>>gnulinux-${oldRelease}-advanced-<uuid>`;

  const pinned = state('pin:');
  assert.deepEqual(pinned.grubDefault, ['${next_entry}', '0'], 'pinned without update-grub: the literal default 0');
  assert.match(pinned.menu[0] ?? '', new RegExp(`^gnulinux-simple-<uuid>: linux /boot/vmlinuz-${oldRelease} `));
  assert.equal(savedEntry(pinned), oldSaved);

  const installed = state('dpkg -i');
  assert.deepEqual(installed.grubDefault, ['${next_entry}', '${saved_entry}'], "the package's hook regenerated it");
  assert.equal(savedEntry(installed), oldSaved, 'the saved default is still the old kernel');
  assert.match(installed.menu[0] ?? '', new RegExp(`vmlinuz-${newRelease} `), 'entry 0 would have booted the new one');

  const staged = state('stage:');
  assert.deepEqual(staged.menu, installed.menu, 'grub.cfg unchanged by staging');
  assert.equal(staged.customMenu.length, 1);
  assert.match(
    staged.customMenu[0] ?? '',
    /^kernel-rollout-trial: linux .* panic=10 oops=panic kernel_rollout\.trial=/,
  );

  const trial = state('reboot: GRUB boots next_entry once');
  assert.equal(trial.kernel, newRelease);
  assert.match(trial.cmdline, /kernel_rollout\.trial=CONFORMANCE/);
  assert.equal(state('reboot again').kernel, oldRelease);

  const committed = state('clear and commit');
  assert.deepEqual(committed.customMenu, []);
  assert.deepEqual(committed.menu, installed.menu, 'grub.cfg unchanged by committing');
});

test('conformance (systemd-boot): the simulator shows what the recorded real UEFI VM showed after every step', async () => {
  const recorded = JSON.parse(readFileSync(SDBOOT_FIXTURE, 'utf8')) as SdRecordedRun;
  assert.deepEqual(
    recorded.states.map((s) => s.step),
    SDBOOT_TRANSCRIPT_STEPS.map((s) => s.title),
    'the transcript changed since the VM run was recorded: re-record it (see the top of this file)',
  );
  const sim = await startSimulator({
    hosts: [testbedLikeHost('testbed-twin', { packages: recorded.initialPackages }, 'systemd-boot')],
    bootSeconds: 1,
  });
  try {
    const run = await runSdTranscript(
      simConformanceHost(sim, 'testbed-twin'),
      { ...recorded.input, debBytes: STAND_IN_DEB },
      undefined,
      30_000,
    );
    const diff = diffSdRuns({ host: 'VM (recorded)', states: recorded.states }, run);
    if (diff) assert.fail(`the simulator differs from the recorded VM run (${recorded.provenance}):\n${diff}`);
  } finally {
    await sim.stop();
  }
});

/**
 * What the systemd-boot driver rests on, as the real UEFI VM showed it: systemd-boot 252 knows the
 * trial entry by its name with the counter (the one-shot id trialOneShotId picks), boots it once,
 * counts it down to +0-1 and removes the one-shot; the new kernel's own entry marked +0 is not
 * booted by itself; committing leaves no trial entry or drop-in and the new kernel boots with its
 * own options.
 */
test('the recorded systemd-boot VM run: the counted trial entry booted once by its one-shot id, then the default', () => {
  const recorded = JSON.parse(readFileSync(SDBOOT_FIXTURE, 'utf8')) as SdRecordedRun;
  const { oldRelease, newRelease } = recorded.input;
  const state = (prefix: string) => {
    const found = recorded.states.find((s) => s.step.startsWith(prefix));
    assert.ok(found, `a step "${prefix}…" in the recording`);
    return found;
  };
  const files = (s: SdRecordedRun['states'][number]) => s.entries.map((e) => e.slice(0, e.indexOf(':')));
  const oldEntry = `<machine-id>-${oldRelease}.conf`;
  const newEntry = `<machine-id>-${newRelease}.conf`;

  const staged = state('stage:');
  assert.deepEqual(files(staged), [oldEntry, `<machine-id>-${newRelease}+0.conf`, 'kernel-rollout-trial+1.conf']);
  assert.ok(staged.efiVars.includes('LoaderEntryOneShot=kernel-rollout-trial+1.conf'));

  const trial = state('reboot: the loader boots the one-shot');
  assert.equal(trial.kernel, newRelease);
  assert.match(trial.cmdline, / panic=10 oops=panic kernel_rollout\.trial=CONFORMANCE$/);
  assert.ok(trial.efiVars.includes('LoaderEntrySelected=kernel-rollout-trial+1.conf'), 'the id keeps the counter');
  assert.ok(!trial.efiVars.some((v) => v.startsWith('LoaderEntryOneShot=')), 'the loader removed the one-shot');
  assert.deepEqual(files(trial), [oldEntry, `<machine-id>-${newRelease}+0.conf`, 'kernel-rollout-trial+0-1.conf']);

  const again = state('reboot again');
  assert.equal(again.kernel, oldRelease);
  assert.deepEqual(files(again), files(trial), 'nothing counted on the default boot');

  const committed = state('commit:');
  assert.deepEqual(files(committed), [oldEntry, newEntry]);
  assert.deepEqual(committed.loaderConfDefault, [newEntry]);
  assert.deepEqual(committed.dropins, []);

  const last = recorded.states[recorded.states.length - 1];
  assert.equal(last?.kernel, newRelease);
  assert.ok(last.efiVars.includes(`LoaderEntrySelected=${newEntry}`));
  assert.doesNotMatch(last.cmdline, /kernel_rollout\.trial|panic=/);
});
