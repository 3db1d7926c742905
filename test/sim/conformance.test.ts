/**
 * The simulator against a recorded run of the real testbed VM: the conformance transcript
 * (test/conformance/transcript.ts) on a simulated host set up like the testbed image must show,
 * after every step, the state the VM showed (test/fixtures/debian12/conformance-transcript.json,
 * written by test/e2e/conformance.test.ts as test-artifacts/e2e/conformance-vm.json). The e2e
 * test compares with a live VM; this one keeps the model honest on every `npm run test:sim`, in
 * seconds. A failure here means the model changed: fix sim/model.ts, sim/tools/krsim or
 * sim/MODEL.md — or, if the transcript changed, re-record with `KERNEL_ROLLOUT_E2E=conformance
 * npm run test:e2e` and copy the artifact over the fixture.
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

const FIXTURE = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'debian12', 'conformance-transcript.json');

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
      // The simulator's dpkg reads the release and version from the file name, not its contents.
      { ...recorded.input, debBytes: Buffer.from('stand-in for the kernel package\n') },
      undefined,
      30_000,
    );
    const diff = diffRuns({ host: 'VM (recorded)', states: recorded.states }, run);
    if (diff) assert.fail(`the simulator differs from the recorded VM run (${recorded.provenance}):\n${diff}`);
  } finally {
    await sim.stop();
  }
});
