/**
 * The simulator's tools, byte for byte: test/fixtures/krsim/battery.sh on a fresh simulated host
 * must print test/fixtures/krsim/battery.out (every tool's output and exit status, error paths
 * included). Holds sim/tools/krsim to what it printed before it was laid out for speed; the GRUB
 * model itself is held against real VMs by conformance.test.ts.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { startSimulator, type Simulator } from '../../sim/simulator';
import { sshOk } from './helpers';

const FIXTURES = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'krsim');
/** journalctl --list-boots: the boot's machine-made id and start time, the one line that varies. */
const normalise = (out: string) => out.replace(/^1 [0-9a-f]{32} \S+$/gm, '1 MACHINE-BOOT-ID BOOT-TIME');

describe('fleet simulator: its tools print what they printed', () => {
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator({ hosts: [{ name: 'tools-01' }], bootSeconds: 1 });
  });
  after(async () => {
    await sim?.stop();
  });

  it('battery.sh on a fresh host prints battery.out', async () => {
    const battery = readFileSync(path.join(FIXTURES, 'battery.sh'), 'utf8');
    const expected = readFileSync(path.join(FIXTURES, 'battery.out'), 'utf8');
    const out = normalise(await sshOk(sim, 'tools-01', battery));
    const got = out.split('\n');
    const want = expected.split('\n');
    const first = want.findIndex((line, i) => got[i] !== line);
    assert.ok(
      first < 0 && got.length === want.length,
      `line ${first + 1} differs:\n  expected: ${want[first] ?? '(end)'}\n  got:      ${got[first] ?? '(end)'}\n` +
        `(${got.length} lines against ${want.length}; the section: ${
          want
            .slice(0, first + 1)
            .reverse()
            .find((l) => l.startsWith('=== ')) ?? '?'
        })`,
    );
  });
});
