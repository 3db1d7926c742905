/**
 * kernel-rollout's own activities (the real SSH transport, no stubs) against simulated hosts:
 * the whole happy path, a .deb upload over SFTP, a kexec trial, and a trial kernel without
 * network that the host-side revert timer brings back. Every request names the drivers the real
 * preflight found, as the workflow passes them.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MockActivityEnvironment } from '@temporalio/testing';

import { createActivities } from '../../src/activities';
import type { InstallSource, SshTargetInput } from '../../src/shared/types';
import { startSimulator, type Simulator } from '../../sim/simulator';
import { NEW, OLD, entryOf, sshOk } from './helpers';

describe('kernel-rollout activities on a simulated host', () => {
  let sim: Simulator;
  const acts = createActivities();
  const mock = new MockActivityEnvironment();
  // run() in a mocked activity context (awaitHostReturn heartbeats and sleeps through it).
  const env = {
    run: <A extends unknown[], R>(fn: (...args: A) => Promise<R>, ...args: A): Promise<R> =>
      mock.run(fn, ...args) as Promise<R>,
  };
  const target = (name: string): SshTargetInput => ({
    host: name,
    address: '127.0.0.1',
    port: sim.host(name).port,
    user: 'root',
    privateKeyPath: sim.clientKeyPath,
    knownHostsPath: sim.knownHostsPath,
    trustOnFirstUse: false,
  });

  before(async () => {
    sim = await startSimulator({
      hosts: [
        { name: 'db-01' },
        { name: 'db-02' },
        { name: 'db-03', faults: { kernels: { [NEW]: 'no-network' } } },
        { name: 'db-04' },
        { name: 'db-05' },
        { name: 'db-06' },
        { name: 'db-07', faults: { kernels: { [NEW]: 'panic' } } },
        { name: 'db-08' },
      ],
      bootSeconds: 1,
    });
  });
  after(async () => {
    await sim?.stop();
  });

  async function upgrade(
    name: string,
    source: InstallSource,
    opts: { revertAfterSeconds?: number; useKexec?: boolean } = {},
  ) {
    const t = target(name);
    const useKexec = opts.useKexec ?? false;
    const facts = await env.run(acts.preflight, { target: t, toRelease: NEW, source, useKexec });
    assert.deepEqual(facts.refusals, []);
    assert.equal(facts.runningKernel, OLD);
    assert.equal(facts.bootFreeBytes, 3_517_562_880);
    assert.equal(facts.bootloader.kind, 'grub-debian');
    assert.equal(facts.packageManager, 'dpkg');
    // What the workflow passes on: the drivers preflight found.
    const drivers = { bootloader: facts.bootloader.kind ?? undefined, packageManager: facts.packageManager };
    const pin = await env.run(acts.pinKnownGood, { target: t, knownGoodRelease: OLD, ...drivers });
    assert.equal(pin.knownGoodEntry, entryOf(OLD));
    assert.equal(pin.fixedGrubDefault, true);
    const install = await env.run(acts.installKernel, { target: t, toRelease: NEW, source, ...drivers });
    assert.equal(install.alreadyInstalled, false);
    const trial = {
      knownGoodRelease: OLD,
      toRelease: NEW,
      panicSeconds: 10,
      trialKernelArgs: [],
      revertAfterSeconds: opts.revertAfterSeconds ?? 120,
      trialToken: 'T0k3n',
      useKexec,
      ...drivers,
    };
    const stage = await env.run(acts.stageTrialBoot, { target: t, ...trial });
    const oneShot = useKexec ? null : 'kernel-rollout-trial';
    assert.equal(stage.trialEntry, oneShot);
    assert.equal(sim.inspect(name).nextEntry, oneShot);
    const reboot = await env.run(acts.rebootHost, { target: t, expectedBootId: facts.bootId, ...trial });
    assert.equal(reboot.issued, true);
    // A retry of the reboot activity must not reboot twice.
    const again = await env.run(acts.rebootHost, { target: t, expectedBootId: facts.bootId, ...trial });
    assert.match(again.method, /already-/);
    return { t, facts, drivers };
  }

  it('preflight → pin → install (apt) → stage → reboot → await → verify → commit', async () => {
    const { t, facts, drivers } = await upgrade('db-01', { kind: 'apt', packageName: `linux-image-${NEW}` });
    const back = await env.run(acts.awaitHostReturn, {
      target: t,
      previousBootId: facts.bootId,
      deadlineEpochMs: Date.now() + 30_000,
      pollCapSeconds: 1,
    });
    assert.ok(back.back);
    if (!back.back) return;
    assert.equal(back.runningKernel, NEW);
    assert.match(sim.inspect('db-01').cmdline, / panic=10 oops=panic kernel_rollout\.trial=T0k3n$/);
    const verify = await env.run(acts.verifyKernel, {
      target: t,
      expectedRelease: NEW,
      expectedBootId: back.bootId,
      healthChecks: [],
    });
    assert.deepEqual(verify.failures, []);
    assert.deepEqual(await env.run(acts.confirmTrial, { target: t, toRelease: NEW, expectedBootId: back.bootId }), {
      confirmed: true,
    });
    const commit = await env.run(acts.commitKernel, {
      target: t,
      toRelease: NEW,
      expectedBootId: back.bootId,
      ...drivers,
    });
    assert.equal(commit.savedEntry, entryOf(NEW));
    const st = sim.inspect('db-01');
    assert.equal(st.savedEntry, entryOf(NEW));
    assert.equal(st.nextEntry, null);
    assert.equal(st.grubDefault, 'saved');
    assert.equal(st.rebootsRequested, 1);
    assert.equal(await sshOk(sim, 'db-01', 'ls /etc/grub.d/42_kernel_rollout_trial 2>&1 || true'),
      'ls: cannot access \'/etc/grub.d/42_kernel_rollout_trial\': No such file or directory\n'); // prettier-ignore
    // The next plain reboot keeps the new kernel: it is the saved default now.
    await sshOk(sim, 'db-01', 'systemctl reboot');
    await sim.waitFor('db-01', ['down'], 5000);
    await sim.waitFor('db-01', ['up'], 10_000);
    assert.equal(sim.inspect('db-01').runningKernel, NEW);
  });

  it('installs an uploaded .deb (SFTP + sha256sum + dpkg -i)', async () => {
    const deb = path.join(sim.stateDir, `linux-image-${NEW}_6.1.192-2_amd64.deb`);
    writeFileSync(deb, 'not a real package: the simulator reads the name\n');
    const sha256 = createHash('sha256').update('not a real package: the simulator reads the name\n').digest('hex');
    const { t } = await upgrade('db-02', { kind: 'deb', localPath: deb, sha256 });
    const back = await env.run(acts.awaitHostReturn, {
      target: t,
      previousBootId: sim.inspect('db-02').boots[0]?.bootId ?? '',
      deadlineEpochMs: Date.now() + 30_000,
      pollCapSeconds: 1,
    });
    assert.ok(back.back && back.runningKernel === NEW);
    assert.match(await sshOk(sim, 'db-02', 'sha256sum /var/cache/kernel-rollout/*.deb'), new RegExp(sha256));
    // Verified and committed in one activity (no stability window): a failed health check
    // changes nothing; a passed verification commits in three round trips in all.
    const ssh = () => sim.commands('db-02').filter((c) => c.source === 'ssh');
    const req = { target: t, expectedRelease: NEW, expectedBootId: back.bootId, bootloader: 'grub-debian' };
    let n = ssh().length;
    const failed = await env.run(acts.commitVerifiedTrial, {
      ...req,
      healthChecks: [{ kind: 'command', command: 'false', timeoutSeconds: 10 }],
    });
    assert.equal(failed.verdict.ok, false);
    assert.equal(failed.commit, null);
    assert.equal(sim.inspect('db-02').savedEntry, entryOf(OLD));
    const timer = 'test -e /etc/systemd/system/kernel-rollout-revert.timer && echo armed || echo gone';
    assert.equal(await sshOk(sim, 'db-02', timer), 'armed\n', 'the revert timer still armed');
    assert.ok(
      !ssh()
        .slice(n)
        .some((c) => /grub-set-default|confirmed|known-good/.test(c.command)),
      'nothing written',
    );
    n = ssh().length;
    const done = await env.run(acts.commitVerifiedTrial, {
      ...req,
      healthChecks: [{ kind: 'system-running', allowDegraded: false }],
    });
    assert.deepEqual(done.verdict.failures, []);
    assert.equal(done.commit?.savedEntry, entryOf(NEW));
    assert.match(
      done.commit?.panicSettings ?? '',
      /^kernel\.panic=0 kernel\.panic_on_oops=0 \(the host's own settings/,
    );
    assert.equal(ssh().length - n, 2, 'the read (its health check passed in it) and the commit');
    const st = sim.inspect('db-02');
    assert.equal(st.savedEntry, entryOf(NEW));
    assert.equal(st.nextEntry, null);
    assert.equal(await sshOk(sim, 'db-02', timer), 'gone\n');
    assert.equal(await sshOk(sim, 'db-02', 'cat /var/lib/kernel-rollout/known-good'), `${NEW}\n`);
    assert.equal(await sshOk(sim, 'db-02', 'test -e /run/kernel-rollout/confirmed && echo confirmed'), 'confirmed\n');
  });

  it('the poll that finds the trial boot reads for the verification: verified and committed in one more round trip', async () => {
    const { t, facts } = await upgrade('db-05', { kind: 'apt', packageName: `linux-image-${NEW}` });
    const healthChecks = [{ kind: 'system-running' as const, allowDegraded: false }];
    const ssh = () => sim.commands('db-05').filter((c) => c.source === 'ssh');
    const back = await env.run(acts.awaitHostReturn, {
      target: t,
      previousBootId: facts.bootId,
      deadlineEpochMs: Date.now() + 30_000,
      pollCapSeconds: 1,
      thenVerify: { expectedRelease: NEW, healthChecks },
    });
    assert.ok(back.back && back.runningKernel === NEW, JSON.stringify(back));
    assert.match(ssh().at(-1)?.command ?? '', /systemctl is-system-running/, 'the poll that found it read the checks');
    const n = ssh().length;
    const done = await env.run(acts.commitVerifiedTrial, {
      target: t,
      expectedRelease: NEW,
      expectedBootId: back.bootId,
      bootloader: 'grub-debian',
      healthChecks,
    });
    assert.deepEqual(done.verdict, { ok: true, runningKernel: NEW, bootId: back.bootId, failures: [] });
    assert.equal(done.commit?.savedEntry, entryOf(NEW));
    assert.equal(ssh().length - n, 1, "the commit's write only: the verification's read came with the poll");
    assert.equal(sim.inspect('db-05').savedEntry, entryOf(NEW));
    assert.equal(sim.inspect('db-05').nextEntry, null);
  });

  it('awaitReturnAndCommit: the wait, the verification and the commit in one activity, the poll and the write', async () => {
    const { t, facts } = await upgrade('db-06', { kind: 'apt', packageName: `linux-image-${NEW}` });
    const healthChecks = [{ kind: 'system-running' as const, allowDegraded: false }];
    const ssh = () => sim.commands('db-06').filter((c) => c.source === 'ssh');
    const done = await env.run(acts.awaitReturnAndCommit, {
      target: t,
      previousBootId: facts.bootId,
      deadlineEpochMs: Date.now() + 30_000,
      pollCapSeconds: 1,
      thenVerify: { expectedRelease: NEW, healthChecks },
      bootloader: 'grub-debian',
    });
    assert.ok(done.back.back && done.back.runningKernel === NEW, JSON.stringify(done));
    assert.deepEqual(done.verified?.verdict, { ok: true, runningKernel: NEW, bootId: done.back.bootId, failures: [] });
    assert.equal(done.verified?.commit?.savedEntry, entryOf(NEW));
    const [poll, write] = ssh()
      .slice(-2)
      .map((c) => c.command);
    assert.match(
      poll ?? '',
      /systemctl is-system-running/,
      'the poll that found the trial boot read for the verification',
    );
    assert.match(write ?? '', /grub-set-default/, 'then the commit, over the same connection');
    const st = sim.inspect('db-06');
    assert.equal(st.savedEntry, entryOf(NEW));
    assert.equal(st.nextEntry, null);
    assert.equal(st.boots.length, 2, 'one reboot');
  });

  it('awaitReturnAndCommit: a trial that panics comes back on the known-good kernel, nothing verified or committed', async () => {
    const { t, facts } = await upgrade('db-07', { kind: 'apt', packageName: `linux-image-${NEW}` });
    const writes = () => sim.commands('db-07').filter((c) => c.source === 'ssh' && /grub-set-default/.test(c.command));
    const before = writes().length;
    const done = await env.run(acts.awaitReturnAndCommit, {
      target: t,
      previousBootId: facts.bootId,
      deadlineEpochMs: Date.now() + 60_000,
      pollCapSeconds: 1,
      thenVerify: { expectedRelease: NEW, healthChecks: [] },
      bootloader: 'grub-debian',
    });
    assert.ok(done.back.back && done.back.runningKernel === OLD, JSON.stringify(done));
    assert.equal(done.verified, null);
    assert.equal(sim.inspect('db-07').savedEntry, entryOf(OLD));
    assert.equal(writes().length, before, 'no write to the default');
  });

  it('awaitReturnAndCommit cancelled while the host is away: it stops, nothing committed', async () => {
    const own = new MockActivityEnvironment();
    const { t, facts } = await upgrade('db-08', { kind: 'apt', packageName: `linux-image-${NEW}` });
    const running = own.run(acts.awaitReturnAndCommit, {
      target: t,
      previousBootId: facts.bootId,
      deadlineEpochMs: Date.now() + 30_000,
      pollCapSeconds: 1,
      thenVerify: { expectedRelease: NEW, healthChecks: [] },
      bootloader: 'grub-debian',
    });
    own.cancel();
    await assert.rejects(running, (err: Error) => err.name === 'CancelledFailure' || /cancel/i.test(err.message));
    // The host boots on without it; nothing moved its default.
    await sim.waitFor('db-08', ['up'], 30_000);
    assert.equal(sim.inspect('db-08').savedEntry, entryOf(OLD));
  });

  it('a kexec trial: the kernel and initramfs the package manager names, loaded with the trial arguments', async () => {
    const { t, facts } = await upgrade('db-04', { kind: 'apt', packageName: `linux-image-${NEW}` }, { useKexec: true });
    const back = await env.run(acts.awaitHostReturn, {
      target: t,
      previousBootId: facts.bootId,
      deadlineEpochMs: Date.now() + 30_000,
      pollCapSeconds: 1,
    });
    assert.ok(back.back && back.runningKernel === NEW, JSON.stringify(back));
    const st = sim.inspect('db-04');
    assert.equal(st.boots.at(-1)?.via, 'kexec');
    assert.match(
      st.cmdline,
      new RegExp(`^BOOT_IMAGE=/boot/vmlinuz-${NEW} .* panic=10 oops=panic kernel_rollout\\.trial=T0k3n$`),
    );
    assert.equal(st.nextEntry, null, 'GRUB was left on its default');
  });

  it('a trial kernel without network is rebooted by the revert timer into the known-good kernel', async () => {
    const { t, facts, drivers } = await upgrade('db-03', { kind: 'apt', packageName: `linux-image-${NEW}` }, {
      revertAfterSeconds: 30,
    }); // prettier-ignore
    await sim.waitFor('db-03', ['no-network'], 10_000);
    const back = await env.run(acts.awaitHostReturn, {
      target: t,
      previousBootId: facts.bootId,
      deadlineEpochMs: Date.now() + 60_000,
      pollCapSeconds: 2,
    });
    assert.ok(back.back);
    if (!back.back) return;
    assert.equal(back.runningKernel, OLD);
    const st = sim.inspect('db-03');
    assert.deepEqual(
      st.boots.map((b) => `${b.release}:${b.outcome}`),
      [`${OLD}:up`, `${NEW}:no-network`, `${OLD}:up`],
    );
    assert.ok(sim.commands('db-03').some((c) => c.source === 'systemd' && /grub-editenv/.test(c.command)));
    // The host's power driver has its console (qmp, qemu's serial log on this worker): its last
    // lines join the evidence of the trial boot that is over.
    const serialLog = path.join(sim.stateDir, 'db-03-serial.log');
    writeFileSync(serialLog, `[   31.000001] kernel-rollout-revert: rebooting\nPassword: not-for-the-evidence\n`);
    const undo = await env.run(acts.undoTrial, {
      target: t,
      knownGoodRelease: OLD,
      failedRelease: NEW,
      removeFailedKernel: true,
      power: { driver: 'qmp', socketPath: '/run/vm/qmp.sock', action: 'reset', serialLogPath: serialLog },
      ...drivers,
    });
    assert.equal(undo.savedEntry, entryOf(OLD));
    assert.match(
      undo.evidence,
      /\nconsole \(its last lines\):\n\[ {3}31\.000001\] kernel-rollout-revert: rebooting\nPassword: \[masked\]/,
    );
    assert.deepEqual(sim.inspect('db-03').installedKernels, [OLD]);
  });
});
