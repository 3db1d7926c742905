/**
 * kernel-rollout's own activities (real SSH, no stubs) on simulated hosts booted by systemd-boot
 * (stale GRUB files left behind): preflight finds `systemd-boot`, and every later request carries
 * that kind, as the workflow passes it: pin → install → stage → reboot → commit, and an undo.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MockActivityEnvironment } from '@temporalio/testing';

import { createActivities } from '../../src/activities';
import { startSimulator, type Simulator } from '../../sim/simulator';
import { NEW, OLD, simTarget } from './helpers';

describe('kernel-rollout activities on a simulated systemd-boot host', () => {
  let sim: Simulator;
  const acts = createActivities();
  const mock = new MockActivityEnvironment();
  const run = <A extends unknown[], R>(fn: (...args: A) => Promise<R>, ...args: A): Promise<R> =>
    mock.run(fn, ...args) as Promise<R>;

  before(async () => {
    sim = await startSimulator({
      hosts: [
        { name: 'sd-01', bootloader: 'systemd-boot' },
        { name: 'sd-02', bootloader: 'systemd-boot' },
      ],
      bootSeconds: 1,
    });
  });
  after(async () => {
    await sim?.stop();
  });

  async function trialBoot(name: string) {
    const t = simTarget(sim, name);
    const source = { kind: 'apt' as const, packageName: `linux-image-${NEW}` };
    const facts = await run(acts.preflight, { target: t, toRelease: NEW, source, useKexec: false });
    assert.deepEqual(facts.refusals, []);
    assert.equal(facts.bootloader.kind, 'systemd-boot');
    assert.match(facts.bootloader.summary.join('\n'), /boot counting: yes/);
    const drivers = { bootloader: facts.bootloader.kind ?? undefined, packageManager: facts.packageManager };
    const pin = await run(acts.pinKnownGood, { target: t, knownGoodRelease: OLD, ...drivers });
    assert.match(pin.knownGoodEntry, new RegExp(`-${OLD}\\.conf$`));
    await run(acts.installKernel, { target: t, toRelease: NEW, source, ...drivers });
    const trial = {
      knownGoodRelease: OLD,
      toRelease: NEW,
      panicSeconds: 10,
      trialKernelArgs: [],
      revertAfterSeconds: 120,
      trialToken: 'T0k3n',
      useKexec: false,
      ...drivers,
    };
    const stage = await run(acts.stageTrialBoot, { target: t, ...trial });
    assert.equal(stage.trialEntry, 'kernel-rollout-trial+1.conf');
    assert.equal(sim.inspect(name).systemdBoot?.oneShotEntry, 'kernel-rollout-trial+1.conf');
    await run(acts.rebootHost, { target: t, expectedBootId: facts.bootId, ...trial });
    const back = await run(acts.awaitHostReturn, {
      target: t,
      previousBootId: facts.bootId,
      deadlineEpochMs: Date.now() + 30_000,
      pollCapSeconds: 1,
    });
    assert.ok(back.back && back.runningKernel === NEW, JSON.stringify(back));
    assert.match(sim.inspect(name).cmdline, / panic=10 oops=panic kernel_rollout\.trial=T0k3n$/);
    return { t, drivers, back, pin };
  }

  it('preflight → pin → install → stage → reboot → commit: the new kernel’s own entry is the default', async () => {
    const { t, drivers, back } = await trialBoot('sd-01');
    if (!back.back) return;
    const commit = await run(acts.commitKernel, { target: t, toRelease: NEW, expectedBootId: back.bootId, ...drivers });
    assert.match(commit.savedEntry, new RegExp(`-${NEW}\\.conf$`));
    const st = sim.inspect('sd-01').systemdBoot;
    assert.equal(st?.defaultEntry, commit.savedEntry);
    assert.equal(st?.loaderConfDefault, commit.savedEntry);
    assert.equal(st?.oneShotEntry, null);
    assert.ok(!st?.entries.some((e) => e.startsWith('kernel-rollout-trial')), st?.entries.join(' '));
  });

  it('… → undo: the known-good is the default again and no trial entry is left to boot', async () => {
    const { t, drivers, pin } = await trialBoot('sd-02');
    const undo = await run(acts.undoTrial, {
      target: t,
      knownGoodRelease: OLD,
      failedRelease: NEW,
      removeFailedKernel: false,
      ...drivers,
    });
    assert.equal(undo.savedEntry, pin.knownGoodEntry);
    const st = sim.inspect('sd-02').systemdBoot;
    assert.equal(st?.defaultEntry, pin.knownGoodEntry);
    assert.ok(!st?.entries.some((e) => e.startsWith('kernel-rollout-trial')), st?.entries.join(' '));
  });
});
