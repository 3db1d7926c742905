/**
 * The testbed's VM slots (testbed/vm.ts): at most KERNEL_ROLLOUT_VM_SLOTS VMs at a time on this
 * machine, across processes, so the e2e files can run side by side on two cores. No VM is booted
 * here: the slots are files, and a second process is a real `node` child.
 */
import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { announceVmSlot, releaseVmSlot, takeVmSlot } from '../../testbed/vm';

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

/** Polls `cond` every 50 ms for up to `ms`. */
async function until(cond: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('a free slot goes to a higher-ranked waiter in another process first, then to the lower one', async (t) => {
  process.env['KERNEL_ROLLOUT_VM_SLOTS'] = '1';
  const held = await takeVmSlot('held', noLog);
  const low = takeVmSlot('low', noLog, 1);
  // Another process asks with priority 5 and holds what it gets until told to let go.
  const vmModule = path.join(__dirname, '..', '..', 'testbed', 'vm.js');
  const child = spawn(
    process.execPath,
    [
      '-e',
      `const vm = require(${JSON.stringify(vmModule)});
       vm.takeVmSlot('high', () => {}, 5).then((slot) => {
         process.stdout.write('got ' + slot + '\\n');
         process.stdin.once('data', () => { vm.releaseVmSlot(slot); process.exit(0); });
       });`,
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise((r) => child.once('exit', r));
  t.after(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  await until(() => existsSync(path.join(slotDir(), `want-${child.pid}`)), 10_000, "the other process's want file");
  releaseVmSlot(held);
  await until(() => out.startsWith('got '), 10_000, 'the higher-ranked waiter to get the slot');
  assert.equal(out.trim(), `got ${held}`);
  assert.equal(await within(low, 2500), 'pending', 'the lower-ranked waiter took a slot meanwhile');
  child.stdin.write('go\n');
  await exited;
  assert.equal(await within(low, 5000), held);
  releaseVmSlot(held);
  assert.deepEqual(readdirSync(slotDir()), [], 'no slot or want file left');
});

test('an announced rank holds lower waiters back before the process asks; a dead announcer does not', async () => {
  process.env['KERNEL_ROLLOUT_VM_SLOTS'] = '1';
  // Announced by a live process (this test's parent) with priority 4.
  announceVmSlot(4);
  const mine = path.join(slotDir(), `want-${process.pid}`);
  const theirs = path.join(slotDir(), `want-${process.ppid}`);
  assert.equal(readFileSync(mine, 'utf8'), '4\n');
  writeFileSync(theirs, '4\n');
  const waiting = takeVmSlot('low', noLog, 2);
  assert.equal(await within(waiting, 2500), 'pending', 'took a slot while a live process announced a higher rank');
  // The announcer is now a process that has exited.
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  rmSync(theirs);
  writeFileSync(path.join(slotDir(), `want-${dead.stdout.toString()}`), '4\n');
  const slot = await within(waiting, 5000);
  assert.equal(slot, path.join(slotDir(), 'slot-0'));
  releaseVmSlot(slot);
  assert.deepEqual(readdirSync(slotDir()), [], 'the dead announcer was cleared');
});

test('a bad KERNEL_ROLLOUT_VM_SLOTS is an error, not a default', async () => {
  process.env['KERNEL_ROLLOUT_VM_SLOTS'] = 'two';
  await assert.rejects(takeVmSlot('y', noLog), /KERNEL_ROLLOUT_VM_SLOTS must be a whole number >= 1, not "two"/);
});

test('with KERNEL_ROLLOUT_VM_USAGE, each slot given back appends who held it and for how long', async (t) => {
  const usage = path.join(dir, 'usage.jsonl');
  process.env['KERNEL_ROLLOUT_VM_USAGE'] = usage;
  t.after(() => delete process.env['KERNEL_ROLLOUT_VM_USAGE']);
  const a = await takeVmSlot('s1-abc', noLog);
  const b = await takeVmSlot('installed-layer', noLog);
  await new Promise((r) => setTimeout(r, 300));
  releaseVmSlot(b);
  releaseVmSlot(a);
  releaseVmSlot(a); // given back twice: counted once
  const lines = readFileSync(usage, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { vm: string; seconds: number; from: string; to: string; pid: number });
  assert.deepEqual(
    lines.map((l) => l.vm),
    ['installed-layer', 's1-abc'],
  );
  for (const l of lines) {
    assert.ok(l.seconds >= 0.2 && l.seconds < 10, `${l.vm} held its slot ${l.seconds} s`);
    assert.equal(l.pid, process.pid);
    assert.ok(Date.parse(l.to) - Date.parse(l.from) >= 200);
  }
  delete process.env['KERNEL_ROLLOUT_VM_USAGE'];
  releaseVmSlot(await takeVmSlot('unrecorded', noLog));
  assert.equal(readFileSync(usage, 'utf8').trim().split('\n').length, 2, 'nothing recorded without the variable');
});
