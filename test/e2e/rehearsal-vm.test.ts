/**
 * The rehearsal worker's VM activities on real parts: qemu (TCG) booting the testbed image from
 * an overlay, the product's SSH transport into it, QMP, and a real sshd as the artifact host that
 * keeps the serial log.
 *
 * - startRehearsalVm boots the VM and answers once SSH does (with the image's host key, checked).
 * - The VM outlives the process that started it: a second start (a retried activity on a new
 *   worker) re-attaches to it instead of booting another; the boot id is unchanged.
 * - A guest reset through the QMP socket it returns brings the VM back (a fresh qemu on the same
 *   disk, the supervisor's job): a new boot id.
 * - stopRehearsalVm ends every process of the VM, removes its disk, and keeps the serial log and
 *   the outcome on the artifact host, next to the package. A second stop is harmless.
 *
 * Runs with the other e2e tests, or alone with KERNEL_ROLLOUT_E2E=rehearsal.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createRehearsalActivities, type RehearsalConfig } from '../../src/activities/rehearsal';
import { connectTo } from '../../src/activities/ssh/connect';
import { qmpExecute } from '../../src/node/qmp-client';
import {
  rehearsalQueueOf,
  type RehearsalRecord,
  type RehearsalVm,
  type StopRehearsalRequest,
} from '../../src/shared/rehearsal-types';
import { sshdTarget, startSshd } from '../../testbed/sshd';
import { ensureImage, releaseVmSlot, takeVmSlot } from '../../testbed/vm';
import { e2eSelected } from './tiers';

const log = (line: string) => process.stderr.write(`[rehearsal-vm] ${line}\n`);

async function bootId(vm: RehearsalVm): Promise<string> {
  const s = await connectTo(vm.target, { connectTimeoutMs: 20_000 });
  try {
    return (await s.run('cat /proc/sys/kernel/random/boot_id')).trim();
  } finally {
    s.close();
  }
}

/** Polls the VM's boot id until it is not `old` (after a reset), within `ms`. */
async function newBootId(vm: RehearsalVm, old: string, ms: number): Promise<string> {
  const deadline = Date.now() + ms;
  let last = '';
  for (;;) {
    try {
      const id = await bootId(vm);
      if (id !== old) return id;
      last = 'same boot id';
    } catch (err) {
      last = (err as Error).message;
    }
    if (Date.now() > deadline) assert.fail(`no new boot within ${ms} ms (${last})`);
    await new Promise((r) => setTimeout(r, 2000));
  }
}

function pidsOf(dir: string): number[] {
  const vm = JSON.parse(readFileSync(path.join(dir, 'vm.json'), 'utf8')) as { pid: number };
  try {
    process.kill(vm.pid, 0);
    return [vm.pid];
  } catch {
    return [];
  }
}

if (e2eSelected('rehearsal')) {
  test('rehearsal VM: boots, outlives its starter, comes back from a QMP reset, stops and keeps its serial log', async (t) => {
    const image = await ensureImage({ log });
    const slot = await takeVmSlot('rehearsal-vm', log);
    t.after(() => releaseVmSlot(slot));
    const sshd = await startSshd({ users: ['root'] });
    t.after(() => sshd.stop());
    const config: RehearsalConfig = {
      imageDir: image.dir,
      stateDir: mkdtempSync(path.join(tmpdir(), 'kr-reh-')),
      memoryMiB: 1536,
      cpus: 1,
      bootTimeoutSeconds: 900,
    };
    const acts = createRehearsalActivities(config, rehearsalQueueOf('e2e'));
    const env = new MockActivityEnvironment();
    const start = () => env.run(acts.startRehearsalVm, { rehearsalId: 'e2e-1' }) as Promise<RehearsalVm>;
    const stop = (req: StopRehearsalRequest) => env.run(acts.stopRehearsalVm, req) as Promise<RehearsalRecord>;
    const dir = path.join(config.stateDir, 'e2e-1');
    let passed = false;
    t.after(async () => {
      if (existsSync(dir)) await stop({ rehearsalId: 'e2e-1', outcome: 'vm-failed', reason: 'test cleanup' });
      // Its record and serial log: kept when the test failed (they say why), else removed.
      if (passed) rmSync(config.stateDir, { recursive: true, force: true });
    });

    const t0 = Date.now();
    const vm = await start();
    log(`booted in ${vm.bootSeconds} s (${Math.round((Date.now() - t0) / 1000)} s), ssh port ${vm.target.port}`);
    assert.equal(vm.reattached, false);
    const first = await bootId(vm);

    // A retried start finds the VM running: no second VM, the same boot.
    const again = await start();
    assert.equal(again.reattached, true);
    assert.equal(again.target.port, vm.target.port);
    assert.equal(await bootId(again), first);

    // The per-host workflow's power driver resets it through this socket: it comes back.
    await qmpExecute(vm.qmpSocket, ['system_reset']);
    const second = await newBootId(vm, first, 900_000);
    assert.notEqual(second, first);

    // Kept next to a package on the artifact host (here: a path on the loopback sshd).
    const debDir = mkdtempSync(path.join(tmpdir(), 'kr-artifact-'));
    const record = await stop({
      rehearsalId: 'e2e-1',
      keepWith: {
        host: sshdTarget(sshd, 'artifact-host'),
        debPath: path.join(debDir, 'linux-image-6.1.0-99_amd64.deb'),
      },
      outcome: 'upgraded',
      reason: 'the test says so',
    });
    assert.deepEqual(pidsOf(dir), [], 'no process of the VM is left');
    assert.equal(existsSync(path.join(dir, 'disk.qcow2')), false, 'the disk is gone');
    assert.equal(record.artifactHost?.dir, path.join(debDir, 'rehearsals', 'e2e-1'));
    const serial = readFileSync(path.join(debDir, 'rehearsals', 'e2e-1', 'serial.log'), 'latin1');
    assert.equal(serial.split('Linux version ').length - 1, 2, 'the serial log has both boots');
    assert.equal(serial.length, record.worker.serialLogBytes);
    const outcome = JSON.parse(readFileSync(path.join(debDir, 'rehearsals', 'e2e-1', 'outcome.json'), 'utf8')) as {
      outcome: string;
    };
    assert.equal(outcome.outcome, 'upgraded');
    // Stopping again (a retried activity) is harmless.
    await stop({ rehearsalId: 'e2e-1', outcome: 'upgraded', reason: 'again' });
    rmSync(debDir, { recursive: true, force: true });
    passed = true;
  });
}
