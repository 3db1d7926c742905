/**
 * Conformance of the fleet simulator with the real testbed VM: the transcript of
 * test/conformance/transcript.ts (install a kernel .deb, pin, stage a one-shot trial, reboot,
 * reboot again, clear and commit) runs on a real Debian 12 VM and then on a simulated host set up
 * like the testbed image; the normalised state after every step must be the same. On a mismatch
 * the test prints, step by step, what the VM showed and what the simulator showed: fix the model
 * (sim/model.ts, sim/tools/krsim) and sim/MODEL.md, not this test.
 *
 * One VM boot and two reboots: about 6-8 minutes here under TCG, most of it `dpkg -i` (~170 s)
 * and the two reboots. Runs with the other e2e tests (`npm run test:e2e`); KERNEL_ROLLOUT_E2E
 * picks it by the name `conformance` (default: everything runs).
 *
 * Leaves in test-artifacts/e2e/: conformance-vm.json (the VM's run in the format of
 * test/fixtures/debian12/conformance-transcript.json, which test/sim/conformance.test.ts checks
 * the simulator against on every `npm run test:sim`; copy it there when the transcript or the
 * image changes), conformance-sim.json, conformance-diff.txt (when they differ), and the VM's
 * serial log.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';

import { startSimulator } from '../../sim/simulator';
import {
  TRANSCRIPT,
  diffRuns,
  recordRun,
  runTranscript,
  simConformanceHost,
  testbedLikeHost,
  timingTable,
  vmConformanceHost,
  type TranscriptInput,
  type TranscriptRun,
} from '../conformance/transcript';
import { bootVm, ensureImage } from '../../testbed/vm';
import { e2eSelected } from './tiers';

const root = path.join(__dirname, '..', '..', '..');
const artifacts = path.join(root, 'test-artifacts', 'e2e');
const log = (line: string) => process.stderr.write(`[conformance] ${line}\n`);

if (e2eSelected('conformance')) {
  test('conformance: the simulator shows what the real VM shows after every step of one transcript', async () => {
    assert.ok(existsSync('/usr/bin/bwrap'), 'the simulator needs bubblewrap: apt-get install -y bubblewrap');
    mkdirSync(artifacts, { recursive: true });
    rmSync(path.join(artifacts, 'conformance-diff.txt'), { force: true });
    const t0 = Date.now();
    const image = await ensureImage({ log });
    const input: TranscriptInput = {
      oldRelease: image.kernels.old,
      newRelease: image.kernels.new,
      debName: path.basename(image.kernels.newDeb),
      debBytes: readFileSync(image.kernels.newDeb),
    };

    const tBoot = Date.now();
    const vm = await bootVm({
      image,
      name: `conformance-${randomUUID().slice(0, 6)}`,
      artifactsDir: artifacts,
      log,
      slotPriority: 2, // ~10 min: one of the long VMs, started early
    });
    const vmBootSeconds = (Date.now() - tBoot) / 1000;
    let vmRun: TranscriptRun;
    let provenance: string;
    try {
      const facts = await vm.sshCmd("cat /etc/debian_version; dpkg-query -W -f='${Version}' grub-pc");
      const [debian = '?', grub = '?'] = facts.stdout.trim().split('\n');
      vmRun = await runTranscript(vmConformanceHost(vm, log), input, log);
      provenance =
        `testbed VM (image ${path.basename(image.dir)}, Debian ${debian}, grub-pc ${grub}, qemu TCG), ` +
        `${new Date().toISOString()}; ${vm.bootsSeen()} boots on the serial console`;
    } finally {
      await vm.stop();
    }
    writeFileSync(
      path.join(artifacts, 'conformance-vm.json'),
      `${JSON.stringify(recordRun(vmRun, input, provenance), null, 2)}\n`,
    );
    assert.ok(vmRun.initial, `the VM could not be read at all: ${vmRun.error ?? ''}`);

    const sim = await startSimulator({ hosts: [testbedLikeHost('testbed-twin', vmRun.initial)], bootSeconds: 2 });
    let simRun: TranscriptRun;
    try {
      simRun = await runTranscript(simConformanceHost(sim, 'testbed-twin'), input, log, 60_000);
    } finally {
      await sim.stop();
    }
    writeFileSync(
      path.join(artifacts, 'conformance-sim.json'),
      `${JSON.stringify(recordRun(simRun, input, 'simulator'), null, 2)}\n`,
    );

    const table = timingTable([vmRun, simRun]);
    process.stdout.write(
      `\nconformance transcript (${TRANSCRIPT.length} steps), VM boot to SSH ${vmBootSeconds.toFixed(0)} s, ` +
        `test total ${((Date.now() - t0) / 1000).toFixed(0)} s:\n${table}\n`,
    );
    assert.equal(vmRun.error, undefined, `the transcript did not run to the end on the VM: ${vmRun.error ?? ''}`);
    const diff = diffRuns(vmRun, simRun);
    if (diff) {
      writeFileSync(path.join(artifacts, 'conformance-diff.txt'), `${diff}\n`);
      assert.fail(`the simulator differs from the real VM (sim/MODEL.md is the model to fix):\n${diff}`);
    }
  });
}
