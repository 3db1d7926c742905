/**
 * Conformance of the fleet simulator with the real testbed VM of the platform this run is on
 * (KERNEL_ROLLOUT_PLATFORM, see tiers.ts): on bios-grub the GRUB transcript of
 * test/conformance/transcript.ts (install a kernel .deb, pin, stage a one-shot trial, reboot,
 * reboot again, clear and commit), on systemd-boot the one of test/conformance/sdboot-transcript.ts
 * (install, pin, stage the counted trial entry and the one-shot, reboot, reboot again, commit,
 * reboot). Each runs on a real VM and then on a simulated host of the same kind set up like the
 * testbed image; the normalised state after every step must be the same. On a mismatch the test
 * prints, step by step, what the VM showed and what the simulator showed: fix the model
 * (sim/model.ts, sim/tools/krsim; sim/systemd-boot.ts, sim/tools/krsim-sdboot) and sim/MODEL.md,
 * not this test.
 *
 * One VM boot and two or three reboots: about 6-8 minutes here under TCG on bios-grub, most of it
 * `dpkg -i` and the reboots; a little longer on systemd-boot (OVMF). Runs with the other e2e tests
 * (`npm run test:e2e`); KERNEL_ROLLOUT_E2E picks it by the name `conformance` or
 * `conformance@systemd-boot`.
 *
 * Leaves in test-artifacts/e2e/ (bios-grub) or test-artifacts/e2e/<platform>/: conformance-vm.json
 * (the VM's run in the format of test/fixtures/debian12/conformance-transcript.json resp.
 * test/fixtures/systemd-boot/conformance-transcript.json, which test/sim/conformance.test.ts checks
 * the simulator against on every `npm run test:sim`; copy it there when the transcript or the image
 * changes), conformance-sim.json, conformance-diff.txt (when they differ), and the VM's serial log.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';

import { startSimulator, type HostSpec } from '../../sim/simulator';
import {
  diffRunsOf,
  recordRun,
  runTranscriptOf,
  simConformanceHost,
  testbedLikeHost,
  timingTableOf,
  vmConformanceHost,
  type RawBase,
  type StateBase,
  type Transcript,
  type TranscriptInput,
  type TranscriptRun,
} from '../conformance/common';
import { GRUB_TRANSCRIPT } from '../conformance/transcript';
import { SDBOOT_TRANSCRIPT } from '../conformance/sdboot-transcript';
import { bootVm, ensureImage, type TestbedPlatform } from '../../testbed/vm';
import { currentPlatform, e2eSelected } from './tiers';

const root = path.join(__dirname, '..', '..', '..');
const log = (line: string) => process.stderr.write(`[conformance] ${line}\n`);

const platform = currentPlatform();

/** Per platform: its transcript, the simulated host's bootloader, the package named in the provenance. */
const PLATFORMS: Partial<Record<TestbedPlatform, () => Promise<void>>> = {
  'bios-grub': () => conformance('bios-grub', GRUB_TRANSCRIPT, 'grub', 'grub-pc'),
  'systemd-boot': () => conformance('systemd-boot', SDBOOT_TRANSCRIPT, 'systemd-boot', 'systemd-boot'),
};

if (e2eSelected('conformance')) {
  test("conformance: the simulator shows what the real VM shows after every step of its platform's transcript", async () => {
    const run = platform === 'no-vm' ? undefined : PLATFORMS[platform];
    assert.ok(run, `no conformance transcript for the platform ${platform}`);
    await run();
  });
}

async function conformance<Raw extends RawBase, State extends StateBase>(
  platform: TestbedPlatform,
  transcript: Transcript<Raw, State>,
  bootloader: NonNullable<HostSpec['bootloader']>,
  loaderPackage: string,
): Promise<void> {
  assert.ok(existsSync('/usr/bin/bwrap'), 'the simulator needs bubblewrap: apt-get install -y bubblewrap');
  // bios-grub keeps the place its artifacts always had; the others get their own directory.
  const artifacts = path.join(root, 'test-artifacts', 'e2e', ...(platform === 'bios-grub' ? [] : [platform]));
  mkdirSync(artifacts, { recursive: true });
  rmSync(path.join(artifacts, 'conformance-diff.txt'), { force: true });
  const t0 = Date.now();
  const image = await ensureImage({ log, platform });
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
  let vmRun: TranscriptRun<State, Raw>;
  let provenance: string;
  try {
    const facts = await vm.sshCmd(`cat /etc/debian_version; dpkg-query -W -f='\${Version}' ${loaderPackage}`);
    const [debian = '?', loader = '?'] = facts.stdout.trim().split('\n');
    vmRun = await runTranscriptOf(transcript, vmConformanceHost(vm, log), input, log);
    provenance =
      `testbed VM (${platform}, image ${path.basename(image.dir)}, Debian ${debian}, ${loaderPackage} ${loader}, qemu TCG), ` +
      `${new Date().toISOString()}; ${vm.bootsSeen()} boots on the serial console`;
  } finally {
    await vm.stop();
  }
  writeFileSync(
    path.join(artifacts, 'conformance-vm.json'),
    `${JSON.stringify(recordRun(vmRun, input, provenance), null, 2)}\n`,
  );
  assert.ok(vmRun.initial, `the VM could not be read at all: ${vmRun.error ?? ''}`);

  const sim = await startSimulator({
    hosts: [testbedLikeHost('testbed-twin', vmRun.initial, bootloader)],
    bootSeconds: 2,
  });
  let simRun: TranscriptRun<State, Raw>;
  try {
    simRun = await runTranscriptOf(transcript, simConformanceHost(sim, 'testbed-twin'), input, log, 60_000);
  } finally {
    await sim.stop();
  }
  writeFileSync(
    path.join(artifacts, 'conformance-sim.json'),
    `${JSON.stringify(recordRun(simRun, input, 'simulator'), null, 2)}\n`,
  );

  const table = timingTableOf(transcript.steps, [vmRun, simRun]);
  process.stdout.write(
    `\nconformance transcript (${platform}, ${transcript.steps.length} steps), VM boot to SSH ${vmBootSeconds.toFixed(0)} s, ` +
      `test total ${((Date.now() - t0) / 1000).toFixed(0)} s:\n${table}\n`,
  );
  assert.equal(vmRun.error, undefined, `the transcript did not run to the end on the VM: ${vmRun.error ?? ''}`);
  const diff = diffRunsOf(transcript.fields, vmRun, simRun);
  if (diff) {
    writeFileSync(path.join(artifacts, 'conformance-diff.txt'), `${diff}\n`);
    assert.fail(`the simulator differs from the real VM (sim/MODEL.md is the model to fix):\n${diff}`);
  }
}
