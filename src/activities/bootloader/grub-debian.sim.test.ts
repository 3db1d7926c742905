/**
 * The GRUB-on-Debian driver's operations over real SSH against a simulated Debian 12 host (sim/:
 * GRUB's files and commands, checked against the testbed VM by the conformance test): pin, stage
 * in custom.cfg, disarm, the older /etc/grub.d way, and how many update-grub runs each costs.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CUSTOM_CFG_PATH,
  DEFAULT_GRUB_BACKUP_PATH,
  TRIAL_ENTRY_ID,
  TRIAL_SCRIPT_PATH,
  grubDebian,
} from './grub-debian';
import { bootloaderStepSections, detectBootloader } from './bootloader';
import { sectionsScript, splitSections } from '../sections';
import { SshSession } from '../ssh';
import { trialKernelArgs } from '../trial/kernel-args';
import { startSimulator, type Simulator } from '../../../sim/simulator';

const UUID = 'caa8d92e-fad6-4218-9359-c050c6c3efbd';
const OLD = '6.1.0-55-cloud-amd64';
const NEW = '6.1.0-56-cloud-amd64';

describe('operations over SSH on a simulated Debian 12 host', () => {
  let sim: Simulator;
  let s: SshSession;

  before(async () => {
    sim = await startSimulator({
      hosts: [
        {
          name: 'grub-01',
          kernels: [
            { release: OLD, version: '6.1.192-1' },
            { release: NEW, version: '6.1.192-2' },
          ],
        },
        { name: 'efi-01', firmware: 'uefi' },
      ],
      bootSeconds: 1,
    });
    s = await SshSession.connect({
      host: '127.0.0.1',
      port: sim.host('grub-01').port,
      user: 'root',
      trustOnFirstUse: false,
      privateKeyPath: sim.clientKeyPath,
      knownHostsPath: sim.knownHostsPath,
    });
  });
  after(async () => {
    s?.close();
    await sim?.stop();
  });

  test('a UEFI host (grub-efi-amd64, the ESP stub): the same driver, named EFI, nothing refused', async () => {
    const efi = await SshSession.connect({
      host: '127.0.0.1',
      port: sim.host('efi-01').port,
      user: 'root',
      trustOnFirstUse: false,
      privateKeyPath: sim.clientKeyPath,
      knownHostsPath: sim.knownHostsPath,
    });
    try {
      const read = async (session: SshSession) => {
        const out = await session.exec(sectionsScript([['uname-r', 'uname -r'], ...grubDebian.factSections]), {
          sudo: true,
        });
        const facts = grubDebian.readFacts(splitSections(out.stdout));
        assert.ok(facts);
        return facts;
      };
      const facts = await read(efi);
      assert.equal(grubDebian.variant?.(facts), 'EFI');
      assert.equal(grubDebian.summary(facts)[0], 'GRUB 2.06 (EFI), grubenv /boot/grub/grubenv');
      assert.deepEqual(facts['efiStubs'], [{ path: '/boot/efi/EFI/debian/grub.cfg', problem: null }]);
      assert.deepEqual(grubDebian.assess(facts, { host: 'efi-01', runningKernel: OLD, toRelease: NEW }).refusals, []);
      // The BIOS host beside it: grub-pc, no /sys/firmware/efi (whatever the worker booted with).
      assert.equal(grubDebian.summary(await read(s))[0], 'GRUB 2.06 (BIOS), grubenv /boot/grub/grubenv');
    } finally {
      efi.close();
    }
  });

  const entryOf = (release: string) => `gnulinux-advanced-${UUID}>gnulinux-${release}-advanced-${UUID}`;

  test('preflight sections read over SSH: GRUB found, nothing refused', async () => {
    const out = await s.exec(sectionsScript([['uname-r', 'uname -r'], ...grubDebian.factSections]), { sudo: true });
    const all = splitSections(out.stdout);
    const facts = grubDebian.readFacts(all);
    assert.ok(facts);
    assert.deepEqual(grubDebian.assess(facts, { host: 'grub-01', runningKernel: OLD, toRelease: NEW }).refusals, []);
    // A later step reads the step sections only, and detection finds the same driver there.
    const steps = Object.fromEntries(bootloaderStepSections().map(([name]) => [name, all[name] ?? '']));
    assert.equal(detectBootloader(steps)?.driver.kind, 'grub-debian');
  });

  const updateGrubRuns = () => sim.commands('grub-01').filter((c) => /\bupdate-grub\b/.test(c.command)).length;

  test('pin: GRUB_DEFAULT=saved (once, with a backup) and saved_entry := the known-good entry', async () => {
    const before0 = updateGrubRuns();
    const first = await grubDebian.pinDefault(s, OLD, 'grub-01');
    // grub.cfg's default 0 boots NEW (the newest) here: it must read the saved default now.
    assert.equal(updateGrubRuns() - before0, 1, 'one update-grub');
    assert.match(await s.run('cat /boot/grub/grub.cfg'), /set default="\$\{saved_entry\}"/);
    assert.deepEqual(first, {
      entry: entryOf(OLD),
      fixedConfiguration: true,
      backupPath: DEFAULT_GRUB_BACKUP_PATH,
      change: 'GRUB_DEFAULT set to saved',
    });
    assert.equal(sim.inspect('grub-01').grubDefault, 'saved');
    assert.equal(sim.inspect('grub-01').savedEntry, entryOf(OLD));
    const again = await grubDebian.pinDefault(s, OLD, 'grub-01');
    assert.equal(again.fixedConfiguration, false);
    assert.equal(updateGrubRuns() - before0, 1, 'none the second time');
  });

  test('stage a one-shot with the trial arguments in custom.cfg, read it back, disarm it: no update-grub', async () => {
    const before0 = updateGrubRuns();
    const cfgBefore = await s.run('cat /boot/grub/grub.cfg');
    const trial = await grubDebian.prepareTrial(s, { host: 'grub-01', knownGoodRelease: OLD, toRelease: NEW });
    assert.equal(trial.knownGoodEntry, entryOf(OLD));
    const staged = await trial.stageOneShot(trialKernelArgs(10, 'tok', []), ['echo along > /tmp/stage-step']);
    assert.equal(staged.entry, TRIAL_ENTRY_ID);
    assert.deepEqual(staged.state, await grubDebian.readState(s), 'read back in the same round trip');
    assert.equal(staged.state.defaultEntry, entryOf(OLD));
    assert.equal(staged.state.oneShotEntry, TRIAL_ENTRY_ID);
    assert.equal((await s.run('cat /tmp/stage-step')).trim(), 'along');
    assert.match(await s.run(`cat ${CUSTOM_CFG_PATH}`), /kernel_rollout\.trial=tok/);
    assert.equal(await s.run('cat /boot/grub/grub.cfg'), cfgBefore, 'grub.cfg untouched');
    assert.deepEqual(await grubDebian.disarm(s, ['echo along-with > /tmp/disarm-step']), { regenerated: false });
    assert.equal(sim.inspect('grub-01').nextEntry, null);
    assert.equal((await grubDebian.readState(s)).oneShotEntry, null);
    assert.equal((await s.exec(`test -e ${TRIAL_SCRIPT_PATH}`)).code, 1);
    assert.equal((await s.exec(`test -e ${CUSTOM_CFG_PATH}`)).code, 1);
    assert.doesNotMatch(await s.run('cat /boot/grub/grub.cfg'), /kernel_rollout\.trial=/);
    assert.equal((await s.run('cat /tmp/disarm-step')).trim(), 'along-with');
    assert.equal(updateGrubRuns() - before0, 0, 'no update-grub to stage or disarm');
  });

  const sshCommands = () => sim.commands('grub-01').filter((c) => c.source === 'ssh').length;
  const facts = async () =>
    splitSections((await s.exec(sectionsScript(grubDebian.factSections), { sudo: true })).stdout);
  const commitSteps = { disarmAlongWith: ['echo along-with > /tmp/commit-step'], after: ['echo out; echo err >&2'] };

  test('commitDefault: guard, disarm, the new default read back and the last steps in one round trip; nothing when the guard fails', async () => {
    const trial = await grubDebian.prepareTrial(s, { host: 'grub-01', knownGoodRelease: OLD, toRelease: NEW });
    await trial.stageOneShot(trialKernelArgs(10, 'tok', []), []);
    const before0 = updateGrubRuns();
    let read = await facts();
    let n = sshCommands();
    await assert.rejects(
      grubDebian.commitDefault(s, NEW, 'grub-01', read, { ...commitSteps, before: ['false'] }),
      /exit|failed|status/i,
    );
    assert.equal(sshCommands() - n, 1, 'one round trip');
    assert.equal(sim.inspect('grub-01').savedEntry, entryOf(OLD), 'the default did not move');
    assert.equal(sim.inspect('grub-01').nextEntry, TRIAL_ENTRY_ID, 'not disarmed');
    assert.equal((await s.exec('test -e /tmp/commit-step')).code, 1);
    read = await facts();
    n = sshCommands();
    const pinned = await grubDebian.commitDefault(s, NEW, 'grub-01', read, { ...commitSteps, before: ['true'] });
    assert.equal(sshCommands() - n, 1, 'one round trip');
    assert.equal(pinned.entry, entryOf(NEW));
    assert.deepEqual(pinned.afterOutput.split('\n').sort(), ['err', 'out'], 'stdout and stderr of the last steps');
    assert.equal(sim.inspect('grub-01').savedEntry, entryOf(NEW));
    assert.equal(sim.inspect('grub-01').nextEntry, null);
    assert.equal((await s.exec(`test -e ${CUSTOM_CFG_PATH}`)).code, 1);
    assert.equal((await s.run('cat /tmp/commit-step')).trim(), 'along-with');
    assert.equal(updateGrubRuns() - before0, 0, 'no update-grub');
    const again = await grubDebian.commitDefault(s, NEW, 'grub-01', await facts(), { ...commitSteps, before: [] });
    assert.equal(again.entry, entryOf(NEW), 'safe to repeat');
    await grubDebian.pinDefault(s, OLD, 'grub-01');
  });

  for (const [literal, boots, regenerates] of [
    ['0', NEW, 0],
    ["'1>2'", OLD, 1],
  ] as const) {
    test(`commitDefault where grub.cfg boots entry ${literal} (${boots}), not the saved default: fixed only after the guard, regenerated ${regenerates} time(s)`, async () => {
      await s.run(`sed -i "s/^GRUB_DEFAULT=.*/GRUB_DEFAULT=${literal}/" /etc/default/grub && update-grub`, {
        sudo: true,
      });
      try {
        assert.equal(sim.inspect('grub-01').grubDefault, literal);
        const cfgBefore = await s.run('cat /boot/grub/grub.cfg');
        await assert.rejects(
          grubDebian.commitDefault(s, NEW, 'grub-01', await facts(), { ...commitSteps, before: ['false'] }),
        );
        assert.equal(await s.run('cat /boot/grub/grub.cfg'), cfgBefore, 'nothing regenerated');
        assert.equal(sim.inspect('grub-01').grubDefault, literal, 'nothing fixed');
        const before0 = updateGrubRuns();
        const pinned = await grubDebian.commitDefault(s, NEW, 'grub-01', await facts(), {
          ...commitSteps,
          before: ['true'],
        });
        // Entry 0 boots the new kernel already: grub.cfg can wait for the next kernel package's hook.
        assert.equal(updateGrubRuns() - before0, regenerates);
        assert.equal(pinned.fixedConfiguration, true);
        assert.equal(sim.inspect('grub-01').grubDefault, 'saved');
        assert.equal(sim.inspect('grub-01').savedEntry, entryOf(NEW));
        assert.deepEqual(pinned.afterOutput.split('\n').sort(), ['err', 'out']);
      } finally {
        await grubDebian.pinDefault(s, OLD, 'grub-01');
      }
    });
  }

  test('a grub.cfg without 41_custom: the trial entry through /etc/grub.d and update-grub, removed the same way', async () => {
    await s.run('chmod -x /etc/grub.d/41_custom && update-grub', { sudo: true });
    try {
      const before0 = updateGrubRuns();
      const trial = await grubDebian.prepareTrial(s, { host: 'grub-01', knownGoodRelease: OLD, toRelease: NEW });
      const staged = await trial.stageOneShot(trialKernelArgs(10, 'tok', []), []);
      assert.equal(staged.state.oneShotEntry, TRIAL_ENTRY_ID);
      assert.match(await s.run('cat /boot/grub/grub.cfg'), /kernel_rollout\.trial=tok/);
      assert.equal((await s.exec(`test -e ${CUSTOM_CFG_PATH}`)).code, 1);
      assert.equal(sim.inspect('grub-01').nextEntry, TRIAL_ENTRY_ID);
      assert.deepEqual(await grubDebian.disarm(s, []), { regenerated: true });
      assert.equal((await s.exec(`test -e ${TRIAL_SCRIPT_PATH}`)).code, 1);
      assert.doesNotMatch(await s.run('cat /boot/grub/grub.cfg'), /kernel_rollout\.trial=/);
      assert.equal(updateGrubRuns() - before0, 2, 'one to add the entry, one to remove it');
      // The same trial committed: grub.cfg regenerated after the default moved, the trial entry gone.
      const again = await grubDebian.prepareTrial(s, { host: 'grub-01', knownGoodRelease: OLD, toRelease: NEW });
      await again.stageOneShot(trialKernelArgs(10, 'tok', []), []);
      const before1 = updateGrubRuns();
      const pinned = await grubDebian.commitDefault(s, NEW, 'grub-01', await facts(), { ...commitSteps, before: [] });
      assert.equal(pinned.entry, entryOf(NEW));
      assert.equal(sim.inspect('grub-01').savedEntry, entryOf(NEW));
      assert.equal(sim.inspect('grub-01').nextEntry, null);
      assert.equal((await s.exec(`test -e ${TRIAL_SCRIPT_PATH}`)).code, 1);
      assert.doesNotMatch(await s.run('cat /boot/grub/grub.cfg'), /kernel_rollout\.trial=/);
      assert.equal(updateGrubRuns() - before1, 1, 'one to remove the entry');
      await grubDebian.pinDefault(s, OLD, 'grub-01');
    } finally {
      await s.run('chmod +x /etc/grub.d/41_custom && update-grub', { sudo: true });
    }
  });

  test('a kernel without a GRUB entry cannot be staged', async () => {
    await assert.rejects(
      grubDebian.prepareTrial(s, { host: 'grub-01', knownGoodRelease: OLD, toRelease: '6.1.0-99-cloud-amd64' }),
      (err: Error) => err.name === 'UnsafeHostError' && /no GRUB entry boots 6\.1\.0-99-cloud-amd64/.test(err.message),
    );
  });
});
