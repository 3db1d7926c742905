/**
 * The testbed's VM slots (testbed/vm.ts): at most KERNEL_ROLLOUT_VM_SLOTS VMs at a time on this
 * machine, across processes, so the e2e files can run side by side on two cores. No VM is booted
 * here: the slots are files, and a second process is a real `node` child.
 */
import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { releaseVmSlot, takeVmSlot } from '../../testbed/vm';

let dir: string;
const saved = { TMPDIR: process.env['TMPDIR'], KERNEL_ROLLOUT_VM_SLOTS: process.env['KERNEL_ROLLOUT_VM_SLOTS'] };
const slotDir = (): string => path.join(dir, `krvm-slots-${process.getuid?.() ?? 0}`);
const noLog = (): void => undefined;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'vm-slots-'));
  process.env['TMPDIR'] = dir;
  process.env['KERNEL_ROLLOUT_VM_SLOTS'] = '2';
});
afterEach(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  rmSync(dir, { recursive: true, force: true });
});

/** Resolves to 'pending' if `p` has not settled after `ms`. */
async function within<T>(p: Promise<T>, ms: number): Promise<T | 'pending'> {
  let timer: NodeJS.Timeout | undefined;
  const pending = new Promise<'pending'>((r) => (timer = setTimeout(() => r('pending'), ms)));
  try {
    return await Promise.race([p, pending]);
  } finally {
    clearTimeout(timer);
  }
}

test('the third VM waits until one of two slots is given back, then gets that slot', async () => {
  const a = await takeVmSlot('a', noLog);
  const b = await takeVmSlot('b', noLog);
  assert.notEqual(a, b);
  const c = takeVmSlot('c', noLog);
  assert.equal(await within(c, 2500), 'pending', 'a third VM got a slot while two were taken');
  releaseVmSlot(a);
  assert.equal(await within(c, 5000), a);
  releaseVmSlot(b);
  releaseVmSlot(await c);
  assert.deepEqual(readdirSync(slotDir()), []);
});

test('a slot held by a live process elsewhere is taken; one left by a dead process is free', async () => {
  process.env['KERNEL_ROLLOUT_VM_SLOTS'] = '1';
  const slot = path.join(slotDir(), 'slot-0');
  mkdirSync(slotDir(), { recursive: true });
  // Held by this test's parent process, which is alive.
  writeFileSync(slot, `${process.ppid}\n`);
  const waiting = takeVmSlot('x', noLog);
  assert.equal(await within(waiting, 2500), 'pending', 'took a slot a live process holds');
  // Now its holder is a process that has exited (a finished child's PID).
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  assert.equal(dead.status, 0);
  writeFileSync(slot, `${dead.stdout.toString()}\n`);
  assert.equal(await within(waiting, 5000), slot);
  releaseVmSlot(slot);
});

test('a bad KERNEL_ROLLOUT_VM_SLOTS is an error, not a default', async () => {
  process.env['KERNEL_ROLLOUT_VM_SLOTS'] = 'two';
  await assert.rejects(takeVmSlot('y', noLog), /KERNEL_ROLLOUT_VM_SLOTS must be a whole number >= 1, not "two"/);
});
