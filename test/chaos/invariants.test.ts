/**
 * The chaos suite's invariant checker can fail: it is fed a simulated host that a human broke
 * by hand over SSH (a kernel nobody verified made the default, a reboot nobody decided, a pending
 * one-shot) and evidence that does not match, and must name every broken invariant — and pass
 * the same host once the evidence says what really happened.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startSimulator, type Simulator } from '../../sim/simulator';
import type { UpgradeResult } from '../../src/shared/types';
import { entryOf, sshOk } from '../sim/helpers';
import { NEW, OLD } from './faults';
import { checkHost, menuAsBooted, type HostEvidence, type WorkflowEvidence } from './invariants';

const noWorkflow = (): WorkflowEvidence => ({
  runs: [],
  rebootDecisions: 0,
  powerCycleDecisions: 0,
  verified: [],
  commits: [],
});

describe('chaos invariant checker', () => {
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator({ hosts: [{ name: 'chk-intact' }, { name: 'chk-tampered' }], bootSeconds: 1 });
  });
  after(async () => {
    await sim?.stop();
  });

  function evidence(host: string, over: Partial<HostEvidence> = {}): HostEvidence {
    const dir = path.join(sim.stateDir, 'hosts', host, 'boot', 'grub');
    return {
      host,
      target: NEW,
      participations: [],
      inspection: sim.inspect(host),
      grubenv: fs.readFileSync(path.join(dir, 'grubenv'), 'utf8'),
      grubCfg: menuAsBooted(dir),
      commands: sim.commands(host),
      operatorResets: 0,
      workflow: noWorkflow(),
      ...over,
    };
  }

  it('passes an untouched host that preflight refused', () => {
    const v = checkHost(
      evidence('chk-intact', { participations: [{ rolloutId: 'r', outcome: 'refused', expected: 'refused' }] }),
    );
    assert.deepEqual(v, []);
  });

  it('names each broken invariant of a host changed by hand behind the workflow’s back', async () => {
    const h = 'chk-tampered';
    await sshOk(sim, h, `apt-get install -y linux-image-${NEW}`);
    await sshOk(
      sim,
      h,
      `sed -i 's/^GRUB_DEFAULT=.*/GRUB_DEFAULT=saved/' /etc/default/grub && update-grub 2>/dev/null && grub-set-default '${entryOf(NEW)}'`,
    );
    await sshOk(sim, h, 'systemctl reboot');
    await sim.waitFor(h, ['down'], 5000);
    await sim.waitFor(h, ['up'], 10_000);
    assert.equal(sim.inspect(h).runningKernel, NEW);
    await sshOk(sim, h, `grub-reboot '${entryOf(OLD)}'`);

    const v = checkHost(
      evidence(h, { participations: [{ rolloutId: 'r', outcome: 'upgraded', expected: 'rolled-back' }] }),
    );
    const by = (name: string) => v.filter((x) => x.invariant === name).map((x) => x.detail);
    assert.match(by('saved-default').join('\n'), new RegExp(`default boots ${NEW}.*neither the original ${OLD}`));
    assert.match(by('reboots').join('\n'), /1 reboot\(s\) requested over SSH, the workflow decided 0/);
    assert.match(by('reboots').join('\n'), /1 boot\(s\) after the first, only 0 accounted for/);
    assert.match(by('reboot-count').join('\n'), /rebootCount 0, the host rebooted 1 time\(s\)/);
    assert.match(by('next-entry').join('\n'), new RegExp(`next_entry=${entryOf(OLD).replace(/[>]/g, '.')}`));
    assert.match(by('outcome').join('\n'), /reports upgraded, the fault calls for rolled-back/);
    assert.match(by('outcome').join('\n'), /upgraded without a commit/);
    assert.deepEqual(
      v.filter((x) => x.invariant === 'one-run-at-a-time'),
      [],
    );
  });

  it('passes the same default once the workflow verified that kernel in a boot the host had', async () => {
    const h = 'chk-tampered';
    await sshOk(sim, h, 'grub-editenv /boot/grub/grubenv unset next_entry');
    const trialBoot = sim.inspect(h).boots[1]?.bootId ?? '';
    const workflow: WorkflowEvidence = {
      ...noWorkflow(),
      // One run that says it rebooted the host once (reboot-count: the result owns up to it).
      runs: [
        { runId: 'r1', startedAt: 0, closedAt: 1, status: 'completed', result: { rebootCount: 1 } as UpgradeResult },
      ],
      rebootDecisions: 1,
      verified: [{ release: NEW, bootId: trialBoot }],
      commits: [{ release: NEW, bootId: trialBoot }],
    };
    const participations = [{ rolloutId: 'r', outcome: 'upgraded' as const, expected: 'upgraded' as const }];
    assert.deepEqual(checkHost(evidence(h, { workflow, participations })), []);

    // A verification in a boot this host never had does not count.
    const elsewhere = { ...workflow, verified: [{ release: NEW, bootId: '00000000-0000-4000-8000-000000000000' }] };
    const v = checkHost(evidence(h, { workflow: elsewhere, participations }));
    assert.deepEqual(
      v.map((x) => x.invariant),
      ['saved-default', 'outcome'],
    );
  });

  it('accepts a healthy host that its revert timer rolled back before any confirmation, and only then', () => {
    const base = evidence('chk-intact');
    const [first] = base.inspection.boots;
    assert.ok(first);
    const trial = { ...first, at: first.at + 2000, cmdline: `${first.cmdline} panic=1 kernel_rollout.trial=T0k3n` };
    const inspection = { ...base.inspection, boots: [first, trial, { ...first, at: first.at + 4000 }] };
    const firing = {
      at: first.at + 3000,
      source: 'systemd' as const,
      user: 'root',
      command:
        "kernel-rollout-revert.service: /bin/sh -c 'grub-editenv /boot/grub/grubenv unset next_entry; systemctl reboot || reboot -f'",
    };
    const participations = [{ rolloutId: 'r', outcome: 'rolled-back' as const, expected: 'upgraded' as const }];
    const outcomes = (commands: HostEvidence['commands']) =>
      checkHost({ ...base, inspection, commands, participations }).filter((v) => v.invariant === 'outcome');
    assert.deepEqual(outcomes([...base.commands, firing]), []);
    // Confirmed first, reverted anyway: the confirmation did not stop the timer — a wrong outcome.
    const confirm = {
      at: first.at + 2500,
      source: 'ssh' as const,
      user: 'root',
      command: 'mkdir -p /run/kernel-rollout && touch /run/kernel-rollout/confirmed',
    };
    assert.equal(outcomes([...base.commands, confirm, firing]).length, 1);
    // No firing at all: rolled-back is simply not what a healthy host should end as.
    assert.equal(outcomes(base.commands).length, 1);
  });

  it('reports two runs of one host that overlap in time', () => {
    const workflow: WorkflowEvidence = {
      ...noWorkflow(),
      runs: [
        { runId: 'run-1', startedAt: 1000, closedAt: 5000, status: 'completed' },
        { runId: 'run-2', startedAt: 4000, closedAt: 9000, status: 'completed' },
      ],
    };
    const v = checkHost(evidence('chk-intact', { workflow }));
    assert.deepEqual(
      v.map((x) => `${x.invariant}: ${x.detail}`),
      ['one-run-at-a-time: run run-2 started while run run-1 was still open'],
    );
  });
});
