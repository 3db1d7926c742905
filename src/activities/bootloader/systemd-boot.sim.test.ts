/**
 * The systemd-boot driver's operations over real SSH against a simulated Debian 12 host booted
 * by systemd-boot (sim/systemd-boot.ts, sim/tools/krsim-sdboot; a model built from systemd's
 * documentation and source, not yet checked against a VM): detection with stale GRUB files,
 * pin, stage (one-shot + counter + trial arguments), the loader at power-on, commit, rollback.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BLESS_DROPIN_PATH, TRIAL_ENTRY_FILE, systemdBoot } from './systemd-boot';
import { bootloaderFactSections, bootloaderStepSections, detectBootloader } from './bootloader';
import { sectionsScript, splitSections } from '../sections';
import { SshSession } from '../ssh';
import { trialKernelArgs } from '../trial/kernel-args';
import { startSimulator, type Simulator } from '../../../sim/simulator';

const OLD = '6.1.0-55-cloud-amd64';
const NEW = '6.1.0-56-cloud-amd64';

describe('systemd-boot over SSH on a simulated Debian 12 host', () => {
  let sim: Simulator;
  let mid = '';
  const entryOf = (release: string) => `${mid}-${release}.conf`;

  before(async () => {
    sim = await startSimulator({
      hosts: [
        { name: 'sd-01', bootloader: 'systemd-boot' },
        { name: 'sd-ro', bootloader: 'systemd-boot', efivarfs: 'ro', efiPstore: false },
      ],
      bootSeconds: 1,
    });
    mid = (sim.inspect('sd-01').systemdBoot?.entries[0] ?? '').slice(0, 32);
  });
  after(async () => {
    await sim?.stop();
  });

  async function connect(name: string): Promise<SshSession> {
    return SshSession.connect({
      host: '127.0.0.1',
      port: sim.host(name).port,
      user: 'root',
      trustOnFirstUse: false,
      privateKeyPath: sim.clientKeyPath,
      knownHostsPath: sim.knownHostsPath,
    });
  }
  const sshCommands = () => sim.commands('sd-01').filter((c) => c.source === 'ssh').length;
  async function facts(s: SshSession) {
    const out = await s.exec(sectionsScript([['uname-r', 'uname -r'], ...bootloaderFactSections()]), { sudo: true });
    return splitSections(out.stdout);
  }
  /** What a later step reads of the same host: the step sections of every driver. */
  const stepPart = (all: Record<string, string>) =>
    Object.fromEntries(bootloaderStepSections().map(([name]) => [name, all[name] ?? '']));
  async function reboot(name: string) {
    const s = await connect(name);
    await s.run('systemctl reboot', { sudo: true });
    s.close();
    await sim.waitFor(name, ['down'], 5000);
    await sim.waitFor(name, ['up'], 10_000);
  }

  test('detection: systemd-boot, not GRUB, although /etc/default/grub and a grub.cfg with entries are there', async () => {
    const s = await connect('sd-01');
    try {
      assert.match(await s.run('cat /boot/grub/grub.cfg'), /menuentry /, 'a stale grub.cfg with entries');
      assert.match(await s.run('cat /etc/default/grub'), /GRUB_DEFAULT=/);
      const all = await facts(s);
      const found = detectBootloader(all);
      assert.equal(found?.driver.kind, 'systemd-boot');
      assert.equal(detectBootloader(stepPart(all))?.driver.kind, 'systemd-boot', 'a later step finds it too');
      const assessed = systemdBoot.assess(found.facts, { host: 'sd-01', runningKernel: OLD, toRelease: NEW });
      assert.deepEqual(assessed.refusals, []);
      assert.deepEqual(assessed.capabilities.hasBootCounting, { ok: true });
      assert.deepEqual(assessed.warnings, []);
    } finally {
      s.close();
    }
  });

  test('read-only efivarfs, no efi_pstore: refused, with the reason, and warned', async () => {
    const s = await connect('sd-ro');
    try {
      const all = await facts(s);
      const found = detectBootloader(all);
      assert.equal(found?.driver.kind, 'systemd-boot');
      assert.equal(detectBootloader(stepPart(all))?.driver.kind, 'systemd-boot', 'a later step finds it too');
      const a = systemdBoot.assess(found.facts, { host: 'sd-ro', runningKernel: OLD, toRelease: NEW });
      assert.match(a.refusals.join('\n'), /efivars is read-only/);
      assert.equal(a.capabilities.clearsOneShotAtBoot.ok, false);
      assert.match(a.warnings.join('\n'), /efi_pstore is not loaded/);
      await assert.rejects(
        systemdBoot.prepareTrial(s, { host: 'sd-ro', knownGoodRelease: OLD, toRelease: NEW }),
        (err: Error) => err.name === 'UnsafeHostError' && /read-only/.test(err.message),
      );
    } finally {
      s.close();
    }
  });

  test('pin, stage, the trial boots once with its arguments, then the default (EFI variable, else loader.conf)', async () => {
    const s = await connect('sd-01');
    try {
      await s.run(`apt-get install -y linux-image-${NEW}`, { sudo: true, timeoutMs: 60_000 });
      const pinned = await systemdBoot.pinDefault(s, OLD, 'sd-01');
      assert.equal(pinned.entry, entryOf(OLD));
      assert.equal(sim.inspect('sd-01').systemdBoot?.defaultEntry, entryOf(OLD));
      assert.equal(sim.inspect('sd-01').systemdBoot?.loaderConfDefault, entryOf(OLD));
      const again = await systemdBoot.pinDefault(s, OLD, 'sd-01');
      assert.equal(again.fixedConfiguration, false, 'nothing to change the second time');

      const trial = await systemdBoot.prepareTrial(s, { host: 'sd-01', knownGoodRelease: OLD, toRelease: NEW });
      const staged = await trial.stageOneShot(trialKernelArgs(10, 'tok', []), ['echo along > /tmp/stage-step']);
      assert.equal(staged.entry, TRIAL_ENTRY_FILE);
      assert.deepEqual(staged.state, await systemdBoot.readState(s), 'read back in the same round trip');
      assert.equal(staged.state.defaultEntry, entryOf(OLD));
      assert.equal(staged.state.oneShotEntry, TRIAL_ENTRY_FILE);
      assert.equal((await s.run('cat /tmp/stage-step')).trim(), 'along');
      const text = await s.run(`cat /boot/efi/loader/entries/${TRIAL_ENTRY_FILE}`);
      assert.match(text, new RegExp(`^options .* panic=10 oops=panic kernel_rollout\\.trial=tok$`, 'm'));
      assert.match(text, new RegExp(`^linux +/${mid}/${NEW}/linux$`, 'm'));
      const ownBad = entryOf(NEW).replace(/\.conf$/, '+0.conf');
      assert.doesNotMatch(
        await s.run(`cat /boot/efi/loader/entries/${ownBad}`),
        /panic=/,
        'the kernel’s own entry keeps its options, renamed with no tries left until the commit',
      );
      assert.ok(!sim.inspect('sd-01').systemdBoot?.entries.includes(entryOf(NEW)));
    } finally {
      s.close();
    }

    await reboot('sd-01');
    let st = sim.inspect('sd-01');
    assert.equal(st.runningKernel, NEW);
    assert.match(st.cmdline, / panic=10 oops=panic kernel_rollout\.trial=tok$/);
    assert.equal(st.systemdBoot?.oneShotEntry, null, 'the loader consumed the one-shot');
    assert.ok(st.systemdBoot?.entries.includes('kernel-rollout-trial+0-1.conf'), 'counted down, not blessed');
    assert.ok(!sim.commands('sd-01').some((c) => c.source === 'systemd' && /systemd-bless-boot/.test(c.command)));

    // The trial was not committed: the next boot is the default, never the trial by itself.
    await reboot('sd-01');
    st = sim.inspect('sd-01');
    assert.equal(st.runningKernel, OLD);
    assert.match(st.boots.at(-1)?.grubReason ?? '', /^LoaderEntryDefault=/);

    // Without the EFI variable: loader.conf's default, still the known-good.
    const s2 = await connect('sd-01');
    try {
      await s2.run('bootctl set-default ""', { sudo: true });
      await reboot('sd-01');
      st = sim.inspect('sd-01');
      assert.equal(st.runningKernel, OLD);
      assert.match(st.boots.at(-1)?.grubReason ?? '', /^loader\.conf default /);
    } finally {
      s2.close();
    }
    // No default at all: the newest entry the loader may pick by itself, never the new kernel
    // (its own entry and the spent trial entry have no tries left): the known-good.
    const s3 = await connect('sd-01');
    try {
      await s3.run("bootctl set-default '' && sed -i '/^default /d' /boot/efi/loader/loader.conf", { sudo: true });
    } finally {
      s3.close();
    }
    await reboot('sd-01');
    st = sim.inspect('sd-01');
    assert.equal(st.runningKernel, OLD, st.boots.at(-1)?.grubReason);
  });

  test('rollback (disarm): the one-shot, the trial entry and the bless drop-in are gone; safe to repeat', async () => {
    const s = await connect('sd-01');
    try {
      const trial = await systemdBoot.prepareTrial(s, { host: 'sd-01', knownGoodRelease: OLD, toRelease: NEW });
      await trial.stageOneShot(trialKernelArgs(10, 'tok2', []), []);
      assert.equal((await s.exec(`test -e ${BLESS_DROPIN_PATH}`)).code, 0);
      assert.deepEqual(await systemdBoot.disarm(s, ['echo along-with > /tmp/disarm-step']), { regenerated: false });
      assert.deepEqual(await systemdBoot.disarm(s, []), { regenerated: false }, 'safe to repeat');
      const st = sim.inspect('sd-01').systemdBoot;
      assert.equal(st?.oneShotEntry, null);
      assert.ok(!st?.entries.some((e) => e.startsWith('kernel-rollout-trial')), st?.entries.join(' '));
      assert.equal((await s.exec(`test -e ${BLESS_DROPIN_PATH}`)).code, 1);
      assert.equal((await s.run('cat /tmp/disarm-step')).trim(), 'along-with');
    } finally {
      s.close();
    }
  });

  test('commit in the trial boot (commitDefault, one round trip): trial entry gone, the new kernel’s own entry the default, booted with its own options', async () => {
    const s = await connect('sd-01');
    try {
      const trial = await systemdBoot.prepareTrial(s, { host: 'sd-01', knownGoodRelease: OLD, toRelease: NEW });
      await trial.stageOneShot(trialKernelArgs(10, 'tok3', []), []);
    } finally {
      s.close();
    }
    await reboot('sd-01');
    assert.equal(sim.inspect('sd-01').runningKernel, NEW);
    const s2 = await connect('sd-01');
    try {
      const steps = {
        disarmAlongWith: ['echo along-with > /tmp/commit-disarm-step'],
        after: ['echo out; echo err >&2'],
      };
      // A guard that fails: nothing changes, the last steps do not run.
      const failedRead = await facts(s2);
      const commands = sshCommands();
      await assert.rejects(
        systemdBoot.commitDefault(s2, NEW, 'sd-01', failedRead, { ...steps, before: ['false'] }),
        /reads back as LoaderEntryDefault=.*-6\.1\.0-55-cloud-amd64\.conf/,
      );
      assert.equal(sshCommands() - commands, 1, 'one round trip');
      let st = sim.inspect('sd-01').systemdBoot;
      assert.equal(st?.defaultEntry, entryOf(OLD));
      assert.ok(
        st?.entries.some((e) => e.startsWith('kernel-rollout-trial')),
        'not disarmed',
      );
      assert.equal((await s2.exec('test -e /tmp/commit-disarm-step')).code, 1);
      const read = await facts(s2);
      const before = sshCommands();
      const pinned = await systemdBoot.commitDefault(s2, NEW, 'sd-01', read, { ...steps, before: ['true'] });
      assert.equal(sshCommands() - before, 1, 'one round trip');
      assert.equal(pinned.entry, entryOf(NEW));
      assert.deepEqual(pinned.afterOutput.split('\n').sort(), ['err', 'out'], 'stdout and stderr of the last steps');
      st = sim.inspect('sd-01').systemdBoot;
      assert.equal(st?.defaultEntry, entryOf(NEW));
      assert.equal(st?.loaderConfDefault, entryOf(NEW));
      assert.equal(st?.oneShotEntry, null);
      assert.ok(!st?.entries.some((e) => e.startsWith('kernel-rollout-trial')));
      assert.equal((await s2.exec(`test -e ${BLESS_DROPIN_PATH}`)).code, 1);
      assert.equal((await s2.run('cat /tmp/commit-disarm-step')).trim(), 'along-with');
      const again = await systemdBoot.commitDefault(s2, NEW, 'sd-01', await facts(s2), { ...steps, before: [] });
      assert.equal(again.entry, entryOf(NEW), 'safe to repeat');
    } finally {
      s2.close();
    }
    await reboot('sd-01');
    const st = sim.inspect('sd-01');
    assert.equal(st.runningKernel, NEW);
    assert.doesNotMatch(st.cmdline, /panic=|kernel_rollout/);
  });
});
