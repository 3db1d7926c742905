/**
 * Tier 5 of docs/testing.md: the real workflow and the real activities against real Debian 12 VMs
 * booted from their own disks by their own firmware and bootloader (the platform:
 * KERNEL_ROLLOUT_PLATFORM, set by the matrix runner; bios-grub when unset), with real Debian cloud
 * kernels. Each scenario asserts the host's real state afterwards: uname -r, the bootloader's
 * default and one-shot as the VM itself shows them (./boot-state.ts), boot id, and the number of
 * boots on the serial console.
 *
 * KERNEL_ROLLOUT_E2E=1,2,4 picks scenarios (default: the gate's, test/e2e/tiers.ts).
 * Timings per phase go to test-artifacts/e2e/timings.json (test-artifacts/e2e/<platform>/ on the
 * UEFI platforms) and a table on stdout.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../../src/activities';
import { keepAlive } from '../../src/activities/keep-alive';
import { upgradeHostKernel } from '../../src/workflows';
import { approveUpdate, statusQuery, upgradeWorkflowId } from '../../src/workflows/definitions';
import { parseOrThrow, upgradeHostInputSchema } from '../../src/shared/schemas';
import type { UpgradeHostInput, UpgradeResult } from '../../src/shared/types';
import { stopOwnServer, temporalAddress, workflowBundle } from '../helpers/temporal';
import { announceVmSlot, bootVm, ensureImage, upgradeToNewKernel, type TestbedImage, type Vm } from '../../testbed/vm';
import { LAYER_SLOT_PRIORITY, installedLayer } from './installed-layer';
import { bootState, entryPattern, trialTraces, type BootState } from './boot-state';
import { currentPlatform, e2eSelected, primaryPlatform, type ScenarioName } from './tiers';

const root = path.join(__dirname, '..', '..', '..');
const platform = ((p) => {
  if (p === 'no-vm') throw new Error('KERNEL_ROLLOUT_PLATFORM: the VM scenarios need a platform that boots a VM');
  return p;
})(currentPlatform());
const artifacts = path.join(root, 'test-artifacts', 'e2e', ...(platform === primaryPlatform ? [] : [platform]));
/** The scenarios that can start from the installed layer (other names are other files'). */
const layered = (['2', '3', '4', '5', '6', 'health-fail', 'tries-exhausted'] as const).filter((id) => e2eSelected(id));
/**
 * Whether they do: the layer costs a boot, an install and a power-off once, so it pays only when
 * two or more scenarios share it; a lone one installs in its own run, as scenario 1 does.
 */
const needsLayer = layered.length >= 2;
const log = (line: string) => process.stderr.write(`[e2e] ${line}\n`);

interface Timing {
  scenario: string;
  outcome: string;
  wallSeconds: number;
  phases: Record<string, number>;
  bootsSeen: number;
}
const timings: Timing[] = [];
let image: TestbedImage;

before(async () => {
  if (needsLayer) announceVmSlot(LAYER_SLOT_PRIORITY);
  mkdirSync(artifacts, { recursive: true });
  const t0 = Date.now();
  image = await ensureImage({ log, platform });
  log(`image ready in ${Math.round((Date.now() - t0) / 1000)}s: ${image.dir}`);
  // Scenarios 2-6 wait for the installed layer: it asks for its VM first (and outranks the other
  // files' VMs), so they start as early as they can. A failure surfaces in those scenarios.
  if (needsLayer) installedLayer(image, artifacts, log).catch(() => undefined);
});

after(async () => {
  await stopOwnServer();
  // KERNEL_ROLLOUT_E2E=conformance runs no scenario: keep the last run's timings (bench/overhead.ts reads them).
  if (timings.length === 0) return;
  // Scenarios run side by side and finish in any order: the table lists them by number.
  timings.sort((a, b) => a.scenario.localeCompare(b.scenario, 'en', { numeric: true }));
  writeFileSync(path.join(artifacts, 'timings.json'), `${JSON.stringify(timings, null, 2)}\n`);
  const cols = ['install', 'stage', 'reboot→ssh', 'verify', 'commit/rollback'];
  const lines = [
    `| scenario | outcome | wall s | boots | ${cols.join(' | ')} |`,
    `| --- | --- | --- | --- | ${cols.map(() => '---').join(' | ')} |`,
    ...timings.map(
      (t) =>
        `| ${t.scenario} | ${t.outcome} | ${t.wallSeconds} | ${t.bootsSeen} | ${cols.map((c) => t.phases[c] ?? '').join(' | ')} |`,
    ),
  ];
  writeFileSync(path.join(artifacts, 'timings.md'), `${lines.join('\n')}\n`);
  process.stdout.write(`\n${lines.join('\n')}\n`);
});

/**
 * Seconds between timeline phases: install, stage, reboot→SSH back, verify, final step. A run
 * without a stability window (scenario 1) verifies inside its commit phase: no `verify` figure.
 */
function phaseTimings(r: UpgradeResult): Record<string, number> {
  const first = (phase: string) => r.timeline.find((t) => t.phase === phase);
  const at = (phase: string) => {
    const e = first(phase);
    return e ? Date.parse(e.at) : NaN;
  };
  const secs = (a: number, b: number) =>
    Number.isNaN(a) || Number.isNaN(b) ? undefined : Math.round((b - a) / 100) / 10;
  const back = r.timeline.find((t) => /^back after/.test(t.message));
  const out: Record<string, number | undefined> = {
    install: secs(at('install'), at('stage')),
    stage: secs(at('stage'), at('reboot')),
    'reboot→ssh': secs(at('reboot'), back ? Date.parse(back.at) : NaN),
    verify: secs(at('verify'), at('commit')),
    'commit/rollback': secs(Math.max(at('commit') || 0, at('rollback') || 0) || NaN, at('done')),
  };
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined)) as Record<string, number>;
}

const hostState = (vm: Vm): Promise<BootState> => bootState(vm, platform);

/**
 * After a commit the host still runs its trial boot, started with panic=5 oops=panic: commitKernel
 * put back the settings the host had before the trial (its own boot, read before the run).
 */
async function assertOwnPanicSettings(vm: Vm, before0: { panicSettings: string }): Promise<void> {
  const cmdline = await vm.sshCmd('cat /proc/cmdline');
  assert.match(cmdline.stdout, / panic=5 oops=panic kernel_rollout\.trial=/, 'still the trial boot');
  assert.notEqual(before0.panicSettings, '5 1', "the host's own settings are not the trial's");
  assert.equal((await hostState(vm)).panicSettings, before0.panicSettings, 'kernel.panic, kernel.panic_on_oops');
}

function inputFor(vm: Vm, overrides: Record<string, unknown>): UpgradeHostInput {
  return parseOrThrow(upgradeHostInputSchema, {
    ...upgradeToNewKernel(vm, `testbed-${vm.name}`, image),
    panicSeconds: 5,
    revertAfterSeconds: 300,
    stabilitySeconds: 15,
    power: { driver: 'qmp', socketPath: vm.qmpSocket, action: 'reset', serialLogPath: vm.serialLogPath },
    timeouts: { bootDeadlineSeconds: 420, powerCycleDeadlineSeconds: 420, heartbeatSeconds: 30, pollCapSeconds: 1 },
    ...overrides,
  });
}

/**
 * The run's result; a run that stops in needs-attention would wait for an operator forever,
 * so the test fails there with the run's own words (and terminates it).
 */
async function resultOrFail(handle: WorkflowHandle<typeof upgradeHostKernel>): Promise<UpgradeResult> {
  for (;;) {
    const s = await handle.query(statusQuery);
    if (s.outcome) return handle.result();
    if (s.phase === 'needs-attention') {
      await handle.terminate('e2e: needs-attention');
      assert.fail(`run needs attention: ${s.details}`);
    }
    await new Promise((r) => setTimeout(r, 2000));
  }
}

async function withRealWorker<T>(fn: (client: Client, taskQueue: string) => Promise<T>): Promise<T> {
  const address = await temporalAddress();
  const taskQueue = `e2e-${randomUUID()}`;
  const native = await NativeConnection.connect({ address });
  const worker = await Worker.create({
    connection: native,
    taskQueue,
    workflowBundle: await workflowBundle(),
    activities: keepAlive(createActivities()),
  });
  const connection = await Connection.connect({ address });
  try {
    return await worker.runUntil(fn(new Client({ connection }), taskQueue));
  } finally {
    await connection.close();
    await native.close();
  }
}

async function scenario(
  id: string,
  name: string,
  overrides: (vm: Vm) => Record<string, unknown>,
  check: (r: UpgradeResult, vm: Vm, before: BootState, boots0: number) => Promise<void>,
  runner?: (vm: Vm, input: UpgradeHostInput) => Promise<UpgradeResult>,
): Promise<void> {
  // Scenario 1 installs the .deb from scratch; the others start where an install already ran
  // (./installed-layer.ts) when two or more share it: their subject is the trial boot.
  const from = id === '1' || !needsLayer ? image : await installedLayer(image, artifacts, log);
  const vm = await bootVm({
    image: from,
    name: `s${id}-${randomUUID().slice(0, 6)}`,
    artifactsDir: artifacts,
    log,
    // Scenario 1 (a full install, ~9 min) ranks with the conformance test and the demo.
    slotPriority: id === '1' ? 2 : 1,
  });
  try {
    const before0 = await hostState(vm);
    assert.equal(before0.kernel, image.kernels.old);
    const boots0 = vm.bootsSeen();
    const input = inputFor(vm, overrides(vm));
    const t0 = Date.now();
    const result =
      runner !== undefined
        ? await runner(vm, input)
        : await withRealWorker(async (client, taskQueue) => {
            const handle = await client.workflow.start(upgradeHostKernel, {
              taskQueue,
              workflowId: upgradeWorkflowId(input.target.host),
              args: [input],
            });
            return resultOrFail(handle);
          });
    const wall = Math.round((Date.now() - t0) / 1000);
    writeFileSync(path.join(artifacts, `scenario-${id}-result.json`), `${JSON.stringify(result, null, 2)}\n`);
    for (const t of result.timeline) log(`s${id} ${t.at} ${t.phase} ${t.message.slice(0, 200)}`);
    timings.push({
      scenario: `${id}. ${name}`,
      outcome: result.outcome,
      wallSeconds: wall,
      phases: phaseTimings(result),
      bootsSeen: vm.bootsSeen() - boots0,
    });
    await check(result, vm, before0, boots0);
  } finally {
    await vm.stop();
  }
}

const newEntry = () => entryPattern(platform, image.kernels.new);
const oldEntry = () => entryPattern(platform, image.kernels.old);
const uefi = platform !== 'bios-grub';

async function assertRolledBack(r: UpgradeResult, vm: Vm, before0: { bootId: string }): Promise<void> {
  assert.equal(r.outcome, 'rolled-back', r.reason);
  const s = await hostState(vm);
  assert.equal(s.kernel, image.kernels.old);
  assert.notEqual(s.bootId, before0.bootId);
  assert.match(s.defaultEntry, oldEntry(), 'the default unchanged: the old kernel');
  assert.equal(s.oneShotEntry, '', 'no one-shot left');
  assert.deepEqual(await trialTraces(vm, platform), [], "the trial's entry and the revert timer removed");
}

/** The rollback evidence undoTrial put in the timeline (one entry, "evidence: …"). */
function evidenceOf(r: UpgradeResult): string {
  const found = r.timeline.filter((t) => t.message.startsWith('evidence: '));
  assert.equal(found.length, 1, `one evidence entry in the timeline, found ${found.length}`);
  return found[0]?.message.slice('evidence: '.length) ?? '';
}

const journalId = (bootId: string) => bootId.replace(/-/g, '');

/** Registers only the selected scenarios (nothing is skipped silently). */
function scenarioTest(id: ScenarioName, title: string, fn: () => Promise<void>): void {
  if (e2eSelected(id)) test(`${id}. ${title}`, fn);
}

// All scenarios start together; bootVm lets KERNEL_ROLLOUT_VM_SLOTS of them (default 2, with the
// other e2e files' VMs, each file in its own process) have a VM at a time, by priority. Each has its own VM, ports, QMP socket,
// overlay, task queue and workflow id.
describe('real VM scenarios', { concurrency: true }, () => {
  scenarioTest('1', 'upgrade older → newer from an uploaded .deb: upgraded, one reboot', async () => {
    await scenario(
      '1',
      'upgrade from .deb',
      // No stability window: the wait, the verification and the commit as one activity
      // (awaitReturnAndCommit), its health check inside the poll's read, on every gate platform.
      // Scenarios 5 and 6 keep the window.
      () => ({ stabilitySeconds: 0 }),
      async (r, vm, before0, boots0) => {
        assert.equal(r.outcome, 'upgraded', r.reason);
        assert.ok(
          r.timeline.some((t) => t.phase === 'await' && /^verified; saved default := /.test(t.message)),
          'waited for, verified and committed in one step',
        );
        const s = await hostState(vm);
        assert.equal(s.kernel, image.kernels.new);
        assert.notEqual(s.bootId, before0.bootId);
        assert.match(s.defaultEntry, newEntry(), 'saved default is the new kernel');
        assert.equal(s.oneShotEntry, '');
        assert.equal(vm.bootsSeen() - boots0, 1, 'exactly one reboot');
        if (platform === 'systemd-boot') {
          assert.equal(
            s.bootedEntry,
            'kernel-rollout-trial+1.conf',
            "still the trial boot: the loader booted the trial's entry",
          );
          assert.deepEqual(
            s.entryFiles.filter((f) => /\+\d+(-\d+)?\.conf$/.test(f)),
            [],
            'committed: no entry left with a tries counter (blessed)',
          );
        } else {
          const grubDefault = await vm.sshCmd(
            "grep '^GRUB_DEFAULT=' /etc/default/grub; test -e /etc/default/grub.kernel-rollout.bak && echo backup",
          );
          assert.match(grubDefault.stdout, /GRUB_DEFAULT=saved\nbackup/);
        }
        assert.deepEqual(await trialTraces(vm, platform), [], 'the revert timer and the trial entry removed');
        await assertOwnPanicSettings(vm, before0);
      },
    );
  });

  scenarioTest('2', 'trial kernel panics: panic=N reboots into the old kernel, rolled-back', async () => {
    // init=/bin/false: PID 1 exits at once, a real "Attempted to kill init!" kernel panic.
    // (A missing init= file does not panic: initramfs-tools falls back to /sbin/init.)
    await scenario(
      '2',
      'trial panics',
      () => ({ trialKernelArgs: ['init=/bin/false'] }),
      async (r, vm, before0, boots0) => {
        await assertRolledBack(r, vm, before0);
        assert.match(vm.serialLog(), /Kernel panic - not syncing/);
        // panic=N did it, not the power driver (which would also have brought it back).
        assert.match(vm.serialLog(), /Rebooting in 5 seconds/);
        assert.ok(!r.timeline.some((t) => t.phase === 'power-cycle'), 'no power cycle was needed');
        assert.equal(vm.bootsSeen() - boots0, 2, 'trial boot + fallback boot');
        // PID 1 was /bin/false: journald never ran in the trial boot, so the journal goes from the
        // boot the reboot left straight to the fallback boot. The evidence says so and does not
        // pass off the pre-trial boot's journal (what `journalctl -b -1` read) as the trial's.
        const evidence = evidenceOf(r);
        const now = await hostState(vm);
        assert.ok(
          evidence.startsWith(
            `the trial boot left no journal (root was probably never mounted): the journal goes from ` +
              `${journalId(before0.bootId)} (the boot the trial reboot left) straight to ` +
              `${journalId(now.bootId)} (back on the known-good kernel)`,
          ),
          evidence,
        );
        assert.doesNotMatch(evidence, /trial boot [0-9a-f]{32}/, 'no boot is named as the trial');
        assert.match(evidence, /\npstore:[ \n]/, 'pstore was read instead');
        // On UEFI the panic reached the firmware's variable store (efi_pstore) and came back with
        // the next boot: its own lines are in the evidence, not only on the serial console.
        if (uefi) assert.match(evidence, /Kernel panic - not syncing/, "the panic's lines, from pstore");
      },
    );
  });

  scenarioTest('3', 'trial kernel without network: the host-side revert timer brings the old kernel back', async () => {
    await scenario(
      '3',
      'no network → revert timer',
      () => ({ trialKernelArgs: ['modprobe.blacklist=virtio_net'], revertAfterSeconds: 60 }),
      async (r, vm, before0, boots0) => {
        await assertRolledBack(r, vm, before0);
        // The trial boot's journal (persistent) shows the revert service doing the reboot.
        const journal = await vm.sshCmd('journalctl -b -1 -u kernel-rollout-revert.service --no-pager -o cat');
        assert.match(
          journal.stdout,
          /Starting kernel-rollout-revert\.service|kernel-rollout: reboot into the known-good kernel/,
        );
        assert.ok(!r.timeline.some((t) => t.phase === 'power-cycle'), 'no power cycle was needed');
        assert.equal(vm.bootsSeen() - boots0, 2, 'trial boot + reverted boot');
        // The run never reached the trial boot (no network), yet its evidence names it by the id the
        // VM's journal has for the boot before the current one, and shows the revert service.
        const boots = await vm.sshCmd('journalctl --list-boots --no-pager | awk \'$1 == "-1" { print $2 }\'');
        const trialBootId = boots.stdout.trim();
        assert.match(trialBootId, /^[0-9a-f]{32}$/, `the trial boot's id from the VM's journal: ${boots.stdout}`);
        assert.notEqual(trialBootId, journalId(before0.bootId));
        const evidence = evidenceOf(r);
        assert.ok(evidence.startsWith(`trial boot ${trialBootId} (journal offset -1, `), evidence);
        assert.match(
          evidence,
          /\nrevert service:\n[^\n]*(Starting kernel-rollout-revert\.service|kernel-rollout: reboot into the known-good kernel)/,
        );
      },
    );
  });

  scenarioTest('4', 'trial hangs without panicking: the qmp driver resets the VM after the deadline', async () => {
    // init=/bin/cat: PID 1 blocks reading the console forever; no panic, no systemd, no timer.
    // The deadline leaves room for a slow shutdown and GRUB (a reset before the trial kernel
    // printed its banner would leave one boot on the console, not two): well under a minute in
    // the e2e stage, two VMs on two cores. 120 s, not 240: each second of it is a VM-second
    // spent waiting on a kernel that will never answer (the power cycle's deadline stays 420 s).
    await scenario(
      '4',
      'hang → qmp reset',
      () => ({
        trialKernelArgs: ['init=/bin/cat'],
        timeouts: { bootDeadlineSeconds: 120, powerCycleDeadlineSeconds: 420, heartbeatSeconds: 30, pollCapSeconds: 1 },
      }),
      async (r, vm, before0, boots0) => {
        await assertRolledBack(r, vm, before0);
        assert.ok(
          r.timeline.some((t) => t.phase === 'power-cycle'),
          'power cycle in the timeline',
        );
        assert.equal(vm.bootsSeen() - boots0, 2, 'hung trial boot + boot after the reset');
      },
    );
  });

  scenarioTest('5', 'kexec: upgraded without a firmware reboot', async () => {
    await scenario(
      '5',
      'kexec',
      () => ({ useKexec: true }),
      async (r, vm, before0, boots0) => {
        assert.equal(r.outcome, 'upgraded', r.reason);
        const s = await hostState(vm);
        assert.equal(s.kernel, image.kernels.new);
        assert.notEqual(s.bootId, before0.bootId);
        assert.match(s.defaultEntry, newEntry());
        assert.equal(vm.bootsSeen() - boots0, 1);
        await assertOwnPanicSettings(vm, before0);
      },
    );
  });

  scenarioTest(
    'health-fail',
    'the trial boots but its health check fails: rolled back, its entry never blessed',
    async () => {
      // The trial kernel comes up (userspace, SSH, boot-complete.target) but the operator's check
      // fails: the very case where systemd's own blessing would call the boot good.
      await scenario(
        'health-fail',
        'health check fails',
        () => ({ healthChecks: [{ kind: 'command', command: 'test -e /etc/kernel-rollout-e2e-healthy' }] }),
        async (r, vm, before0, boots0) => {
          await assertRolledBack(r, vm, before0);
          assert.match(r.reason ?? '', /health|kernel-rollout-e2e-healthy/i, 'the health check is the reason');
          assert.equal(vm.bootsSeen() - boots0, 2, 'trial boot + the boot back');
          // The trial boot reached boot-complete.target; systemd-bless-boot did not mark it good.
          const bless = await vm.sshCmd('journalctl -b -1 -u systemd-bless-boot.service --no-pager -o cat');
          assert.doesNotMatch(bless.stdout, /Finished .*(systemd-bless-boot|Mark the Current Boot)/i, bless.stdout);
          const s = await hostState(vm);
          assert.deepEqual(
            s.entryFiles.filter((f) => newEntry().test(f) && !/\+0(-\d+)?\.conf$/.test(f)),
            [],
            'no entry of the new kernel still has tries left: the loader would not pick it by itself',
          );
        },
      );
    },
  );

  scenarioTest(
    'tries-exhausted',
    'the loader loses its default and one-shot, the trial panics: its spent try makes the loader skip it',
    async () => {
      // What boot counting adds on systemd-boot: while the run waits for approval, the host loses
      // every way the loader had to know the known-good (the EFI variables LoaderEntryDefault and
      // LoaderEntryOneShot, loader.conf's `default`), as after an NVRAM reset and a careless edit.
      // The loader then boots the newest entry with tries left, the trial (its one try spent as it
      // boots), which panics; at the next boot the trial entry and the new kernel's own (staged
      // with no tries) are both bad, and the loader itself picks the known-good kernel. No power
      // cycle, no revert timer: two boots.
      const esp = '"$(bootctl --print-esp-path)"';
      await scenario(
        'tries-exhausted',
        'tries exhausted',
        () => ({ trialKernelArgs: ['init=/bin/false'], approveBeforeReboot: true }),
        async (r, vm, before0, boots0) => {
          await assertRolledBack(r, vm, before0);
          const serial = vm.serialLog();
          assert.equal(vm.bootsSeen() - boots0, 2, 'the trial boot + the boot the loader chose itself');
          assert.equal((serial.match(/Kernel panic - not syncing/g) ?? []).length, 1, 'one panic: the trial, once');
          assert.match(
            serial,
            /Command line: [^\n]*kernel_rollout\.trial=/,
            'the loader picked the trial entry itself',
          );
          assert.ok(!r.timeline.some((t) => t.phase === 'power-cycle'), 'no power cycle was needed');
          const s = await hostState(vm);
          assert.match(s.bootedEntry, oldEntry(), 'LoaderEntrySelected: the loader booted the known-good by itself');
          const own = s.entryFiles.filter((f) => newEntry().test(f));
          assert.deepEqual(
            own.map((f) => /\+0(-\d+)?\.conf$/.test(f)),
            [true],
            `the new kernel's own entry has no tries left: ${own.join(' ')}`,
          );
          const list = await vm.sshCmd('bootctl list --no-pager');
          writeFileSync(path.join(artifacts, 'tries-exhausted-bootctl-list-after.txt'), list.stdout);
          // bootctl's view: the loader reported the trial entry under its spent name (the file is
          // gone with the rollback), and the new kernel's own entry has no tries left.
          assert.match(list.stdout, /kernel-rollout-trial\+0-1\.conf \(reported\/absent\)/, list.stdout);
          assert.match(list.stdout, /-amd64\+0\.conf\n\s+tries: 0 left/, list.stdout);
          assert.match(evidenceOf(r), /Kernel panic - not syncing/, "the panic's lines, from pstore");
        },
        async (vm, input) =>
          withRealWorker(async (client, taskQueue) => {
            const handle = await client.workflow.start(upgradeHostKernel, {
              taskQueue,
              workflowId: upgradeWorkflowId(input.target.host),
              args: [input],
            });
            for (;;) {
              const st = await handle.query(statusQuery);
              if (st.phase === 'awaiting-approval') break;
              if (st.outcome) assert.fail(`ended before the approval: ${st.details}`);
              await new Promise((res) => setTimeout(res, 1000));
            }
            const lost = await vm.sshCmd(
              `bootctl set-default '' && bootctl set-oneshot '' && sed -i '/^default[[:space:]]/d' ${esp}/loader/loader.conf && ` +
                `ls -1 ${esp}/loader/entries && bootctl list --no-pager`,
            );
            assert.equal(lost.code, 0, lost.stderr);
            writeFileSync(path.join(artifacts, 'tries-exhausted-bootctl-list-before.txt'), lost.stdout);
            assert.match(
              lost.stdout,
              /kernel-rollout-trial\+1\.conf\n\s+tries: 1 left/,
              'the staged trial entry, one try',
            );
            log(`stries-exhausted: default, one-shot and loader.conf default removed; approving`);
            await handle.executeUpdate(approveUpdate, { args: [{ by: 'e2e' }] });
            return resultOrFail(handle);
          }),
      );
    },
  );

  scenarioTest('6', 'worker SIGKILLed while the host reboots: same outcome, exactly one reboot', async () => {
    await scenario(
      '6',
      'worker killed mid-reboot',
      () => ({}),
      async (r, vm, before0, boots0) => {
        assert.equal(r.outcome, 'upgraded', r.reason);
        const s = await hostState(vm);
        assert.equal(s.kernel, image.kernels.new);
        assert.match(s.defaultEntry, newEntry());
        assert.equal(vm.bootsSeen() - boots0, 1, 'exactly one reboot');
        void before0;
        // The wait was retried on the new worker; the time away still counts from the reboot (the
        // reboot entry's time is the workflow time the run sent to awaitHostReturn).
        const reboot = r.timeline.find((t) => t.phase === 'reboot');
        const back = r.timeline.find((t) => /^back after \d+s/.test(t.message));
        assert.ok(reboot && back, 'reboot and "back after" in the timeline');
        const said = Number(/^back after (\d+)s/.exec(back.message)?.[1]);
        const gap = (Date.parse(back.at) - Date.parse(reboot.at)) / 1000;
        assert.ok(said >= gap - 3 && said <= gap + 1, `"${back.message}" counts the ${gap}s since the reboot`);
      },
      async (_vm, input) => {
        const address = await temporalAddress();
        const taskQueue = `e2e-kill-${randomUUID()}`;
        const kernelctl = path.join(root, 'bin', 'kernelctl.js');
        const startWorker = (): Promise<ChildProcess> =>
          new Promise((resolve, reject) => {
            const child = spawn(
              process.execPath,
              [kernelctl, 'worker', '--address', address, '--task-queue', taskQueue],
              {
                stdio: ['ignore', 'inherit', 'pipe'],
              },
            );
            child.stderr?.on('data', (b: Buffer) => {
              if (b.toString().includes('worker on')) setTimeout(() => resolve(child), 500);
            });
            child.on('exit', (c) => reject(new Error(`worker exited (${c})`)));
          });
        const killed = (c: ChildProcess) =>
          new Promise<void>((res) => {
            c.once('exit', () => res());
            c.kill('SIGKILL');
          });
        const connection = await Connection.connect({ address });
        try {
          const client = new Client({ connection });
          let worker = await startWorker();
          const handle = await client.workflow.start(upgradeHostKernel, {
            taskQueue,
            workflowId: upgradeWorkflowId(input.target.host),
            args: [{ ...input, timeouts: { ...input.timeouts, heartbeatSeconds: 10 } }],
          });
          for (;;) {
            const st = await handle.query(statusQuery);
            if (st.phase === 'await') break;
            if (st.outcome) assert.fail(`ended before the reboot: ${st.details}`);
            await new Promise((res) => setTimeout(res, 500));
          }
          log('s6: host is rebooting; SIGKILL the worker');
          await killed(worker);
          worker = await startWorker();
          try {
            return await resultOrFail(handle);
          } finally {
            await killed(worker);
          }
        } finally {
          await connection.close();
        }
      },
    );
  });
});
