/** bench/lib.ts cpuBetween: the CPU each part spent in a stretch of a run, from cumulative samples. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpuBetween, type CpuSample } from '../../bench/lib';

const samples: CpuSample[] = [
  { at: 1000, worker: 1, server: 2, hosts: 3 },
  { at: 1100, worker: 1.5, server: 2, hosts: 4 },
  { at: 1300, worker: 2.5, server: 3, hosts: 4 },
];

const close = (actual: number, expected: number) =>
  assert.ok(Math.abs(actual - expected) < 1e-9, `${actual} ≠ ${expected}`);

test('cpuBetween: exact sample times give the differences of the samples', () => {
  const c = cpuBetween(samples, 1000, 1300);
  close(c.worker, 1.5);
  close(c.server, 1);
  close(c.hosts, 1);
});

test('cpuBetween: a moment between two samples is read on the line between them', () => {
  // 1025 is a quarter of the way from the first sample to the second; 1250 three quarters of the
  // way from the second to the third.
  const c = cpuBetween(samples, 1025, 1250);
  close(c.worker, 2.25 - 1.125);
  close(c.server, 2.75 - 2);
  close(c.hosts, 4 - 3.25);
});

test('cpuBetween: moments outside the samples count as the nearest sample; no samples, nothing', () => {
  const c = cpuBetween(samples, 0, 5000);
  close(c.worker, 1.5);
  close(c.hosts, 1);
  assert.deepEqual(cpuBetween([], 0, 1), { worker: 0, server: 0, hosts: 0 });
  assert.deepEqual(cpuBetween(samples, 2000, 3000), { worker: 0, server: 0, hosts: 0 });
});
