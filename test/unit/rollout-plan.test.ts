/**
 * The rollout planner (src/shared/rollout-plan.ts): batch sizes, failure budget, maintenance
 * windows — worked examples, including daylight-saving days, and property checks driven by a
 * small seeded generator so a failure reproduces.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  batchSizeAt,
  batchSizes,
  checkStrategy,
  inWindow,
  nextWindowStart,
  parseFailureBudget,
  parseWindow,
  planBatches,
  type BatchSize,
  type RolloutStrategy,
} from '../../src/shared/rollout-plan';

/** mulberry32: a tiny seeded generator, so every property run is reproducible. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const int = (r: () => number, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));

const hostsNamed = (n: number): string[] => Array.from({ length: n }, (_, i) => `web-${i}`);
const sizesOf = (batches: unknown[][]): number[] => batches.map((b) => b.length);

describe('planBatches', () => {
  test('canary first, then the sizes in order, the last repeating', () => {
    const plan = planBatches(hostsNamed(20), { canary: 1, batches: [1, '10%', '25%'] });
    assert.deepEqual(sizesOf(plan), [1, 1, 2, 5, 5, 5, 1]);
    assert.deepEqual(plan[0], ['web-0']);
    assert.deepEqual(plan.flat(), hostsNamed(20), 'every host once, in order');
  });

  test('percentages are of the total, rounded up, at least 1', () => {
    assert.deepEqual(sizesOf(planBatches(hostsNamed(15), { canary: 0, batches: ['10%'] })), [2, 2, 2, 2, 2, 2, 2, 1]);
    // 10% of 30 is 3 (not 3.0000000000000004 rounded up to 4)
    assert.equal(batchSizeAt({ canary: 0, batches: ['10%'] }, 0, 30), 3);
    assert.equal(batchSizeAt({ canary: 0, batches: ['1%'] }, 0, 5), 1);
    assert.equal(batchSizeAt({ canary: 0, batches: ['12.5%'] }, 0, 8), 1);
    assert.equal(batchSizeAt({ canary: 0, batches: ['100%'] }, 0, 8), 8);
  });

  test('maxUnavailable caps every batch', () => {
    const plan = planBatches(hostsNamed(10), { canary: 2, batches: ['50%'], maxUnavailable: 3 });
    assert.deepEqual(sizesOf(plan), [2, 3, 3, 2]);
  });

  test('no canary, a canary larger than the fleet, an empty fleet', () => {
    assert.deepEqual(sizesOf(planBatches(hostsNamed(5), { canary: 0, batches: [2] })), [2, 2, 1]);
    assert.deepEqual(sizesOf(planBatches(hostsNamed(3), { canary: 5, batches: [2] })), [3]);
    assert.deepEqual(planBatches([], { canary: 1, batches: [2] }), []);
  });

  test('batchSizes continues from a later batch (what is left after hosts were added or skipped)', () => {
    const s: RolloutStrategy = { canary: 1, batches: [1, '10%', '25%'] };
    assert.deepEqual(batchSizes(s, 20, 9, 3), [5, 4]);
    assert.deepEqual(batchSizes(s, 20, 0, 3), []);
  });

  const bad: [string, unknown, RegExp][] = [
    ['negative canary', { canary: -1, batches: [1] }, /strategy\.canary/],
    ['fractional canary', { canary: 1.5, batches: [1] }, /strategy\.canary/],
    ['no batches', { canary: 1, batches: [] }, /strategy\.batches/],
    ['zero batch', { canary: 1, batches: [0] }, /strategy\.batches\[0\]/],
    ['0%', { canary: 1, batches: [1, '0%'] }, /strategy\.batches\[1\].*percentage/],
    ['150%', { canary: 1, batches: ['150%'] }, /percentage/],
    ['percent with a space', { canary: 1, batches: ['10 %'] }, /percentage/],
    ['maxUnavailable 0', { canary: 0, batches: [1], maxUnavailable: 0 }, /maxUnavailable/],
    ['canary above maxUnavailable', { canary: 3, batches: [1], maxUnavailable: 2 }, /exceed maxUnavailable 2/],
    ['not an object', null, /strategy: must be/],
  ];
  for (const [name, strategy, re] of bad) {
    test(`refuses ${name}`, () => {
      assert.match(checkStrategy(strategy) ?? '', re);
      assert.throws(() => planBatches(hostsNamed(3), strategy as RolloutStrategy), re);
    });
  }

  test('property: every host exactly once, in order; no batch empty or above its limits', () => {
    const r = rng(20240601);
    for (let run = 0; run < 500; run++) {
      const n = int(r, 0, 400);
      const maxUnavailable = r() < 0.5 ? undefined : int(r, 1, 50);
      const canary = int(r, 0, maxUnavailable ?? 10);
      const batches: BatchSize[] = Array.from({ length: int(r, 1, 4) }, () =>
        r() < 0.5 ? int(r, 1, 60) : (`${int(r, 1, 100)}%` as BatchSize),
      );
      const strategy: RolloutStrategy = { canary, batches, ...(maxUnavailable ? { maxUnavailable } : {}) };
      const hosts = hostsNamed(n);
      const plan = planBatches(hosts, strategy);
      const where = `run ${run}: ${n} hosts, ${JSON.stringify(strategy)} → ${JSON.stringify(sizesOf(plan))}`;
      assert.deepEqual(plan.flat(), hosts, where);
      plan.forEach((batch, i) => {
        assert.ok(batch.length >= 1, where);
        if (maxUnavailable !== undefined) assert.ok(batch.length <= maxUnavailable, where);
        const planned = batchSizeAt(strategy, i, n);
        // every batch has its planned size; only the last one may be short
        if (i < plan.length - 1) assert.equal(batch.length, planned, where);
        else assert.ok(batch.length <= planned, where);
      });
      if (canary > 0 && n > 0) assert.equal(plan[0]?.length, Math.min(canary, n), `${where}: canary batch`);
    }
  });
});

describe('parseFailureBudget', () => {
  test('counts and percentages (rounded down: the cautious side)', () => {
    assert.equal(parseFailureBudget('3', 100), 3);
    assert.equal(parseFailureBudget('0', 100), 0);
    assert.equal(parseFailureBudget('10%', 25), 2);
    assert.equal(parseFailureBudget('10%', 30), 3);
    assert.equal(parseFailureBudget('10%', 5), 0);
    assert.equal(parseFailureBudget('0%', 5), 0);
    assert.equal(parseFailureBudget('100%', 7), 7);
  });
  for (const spec of ['', 'abc', '-1', '1.5', '10 %', '150%', '%']) {
    test(`refuses ${JSON.stringify(spec)}`, () => {
      assert.throws(() => parseFailureBudget(spec, 10), /failureBudget/);
    });
  }
});

describe('maintenance windows', () => {
  const at = (iso: string) => new Date(iso);
  const MIN = 60_000;
  const HOUR = 60 * MIN;
  const berlin = 'Mon-Fri 02:00-05:00 Europe/Berlin';

  test('weekday window in a time zone (winter, UTC+1)', () => {
    // 2024-01-15 is a Monday.
    assert.equal(inWindow(berlin, at('2024-01-15T01:30:00Z')), true, '02:30 Berlin');
    assert.equal(inWindow(berlin, at('2024-01-15T00:59:59Z')), false, '01:59 Berlin');
    assert.equal(inWindow(berlin, at('2024-01-15T03:59:00Z')), true, '04:59 Berlin');
    assert.equal(inWindow(berlin, at('2024-01-15T04:00:00Z')), false, '05:00 Berlin: the end is exclusive');
    assert.equal(nextWindowStart(berlin, at('2024-01-15T01:30:00Z')), 0);
    assert.equal(nextWindowStart(berlin, at('2024-01-15T00:30:00Z')), 30 * MIN);
    assert.equal(nextWindowStart(berlin, at('2024-01-15T00:59:30Z')), 30_000, 'from mid-minute');
    // Saturday → Monday 02:00 CET = 01:00Z
    assert.equal(
      nextWindowStart(berlin, at('2024-01-20T02:00:00Z')),
      at('2024-01-22T01:00:00Z').getTime() - at('2024-01-20T02:00:00Z').getTime(),
    );
  });

  test('summer time (UTC+2)', () => {
    assert.equal(inWindow(berlin, at('2024-07-15T00:00:00Z')), true, '02:00 CEST');
    assert.equal(inWindow(berlin, at('2024-07-14T23:59:00Z')), false);
  });

  test('the day clocks go forward: 02:00 does not exist, the window opens at 03:00 CEST', () => {
    const spec = 'Sun 02:00-05:00 Europe/Berlin';
    // 2024-03-31 01:00 CET = 00:00Z; one hour later it is 03:00 CEST.
    assert.equal(nextWindowStart(spec, at('2024-03-31T00:00:00Z')), 1 * HOUR);
    assert.equal(inWindow(spec, at('2024-03-31T01:00:00Z')), true);
  });

  test('the day clocks go back: local time says 4 h, the real wait is 5 h', () => {
    const spec = 'Sun 04:00-05:00 Europe/Berlin';
    // Sunday 00:00 CEST = Sat 22:00Z; 04:00 CET = 03:00Z.
    assert.equal(nextWindowStart(spec, at('2024-10-26T22:00:00Z')), 5 * HOUR);
  });

  test('a window crossing midnight belongs to the day it starts on', () => {
    const spec = 'Fri 22:00-02:00 UTC';
    // 2024-01-19 is a Friday.
    assert.equal(inWindow(spec, at('2024-01-19T23:00:00Z')), true, 'Fri 23:00');
    assert.equal(inWindow(spec, at('2024-01-20T01:59:00Z')), true, 'Sat 01:59');
    assert.equal(inWindow(spec, at('2024-01-20T02:00:00Z')), false, 'Sat 02:00');
    assert.equal(inWindow(spec, at('2024-01-20T23:00:00Z')), false, 'Sat 23:00');
    assert.equal(inWindow(spec, at('2024-01-19T01:00:00Z')), false, 'Fri 01:00 (Thursday has no window)');
    assert.equal(nextWindowStart(spec, at('2024-01-20T03:00:00Z')), (6 * 24 + 19) * HOUR);
  });

  test('day lists, wrapping ranges, daily and the default zone', () => {
    assert.deepEqual(parseWindow('Fri-Mon 00:00-24:00').days, [true, true, false, false, false, true, true]);
    assert.deepEqual(parseWindow('mon,WED,fri 10:00-11:00').days, [false, true, false, true, false, true, false]);
    assert.equal(parseWindow('daily 00:00-24:00').timeZone, 'UTC');
    assert.equal(inWindow('daily 00:00-24:00', at('2024-05-05T12:34:56Z')), true);
    assert.equal(inWindow('Sat,Sun 00:00-24:00 UTC', at('2024-01-20T12:00:00Z')), true);
    assert.equal(inWindow('Sat,Sun 00:00-24:00 UTC', at('2024-01-22T12:00:00Z')), false);
  });

  const badSpecs: [string, RegExp][] = [
    ['Mon-Fri 02:00', /time range/],
    ['Funday 02:00-03:00', /not a day/],
    ['Mon 25:00-26:00', /time range/],
    ['Mon 02:60-03:00', /time range/],
    ['Mon 02:00-02:00', /empty/],
    ['Mon 02:00-03:00 Mars/Olympus', /unknown time zone/],
    ['', /expected/],
    ['Mon 02:00-03:00 UTC extra', /expected/],
  ];
  for (const [spec, re] of badSpecs) {
    test(`refuses window ${JSON.stringify(spec)}`, () => {
      assert.throws(() => parseWindow(spec), re);
    });
  }

  test('property: nextWindowStart lands on the first open minute (checked by brute force)', () => {
    const r = rng(7);
    const zones = ['UTC', 'Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata'];
    const dayNames = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
    const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
    for (let run = 0; run < 40; run++) {
      const days = dayNames.filter(() => r() < 0.4);
      const start = int(r, 0, 95) * 15;
      let end = int(r, 0, 96) * 15;
      if (end === start) end = (start + 60) % 1440;
      const spec = `${days.length ? days.join(',') : 'Wed'} ${hhmm(start)}-${hhmm(end)} ${zones[int(r, 0, zones.length - 1)]}`;
      // random instants around the 2024 daylight-saving changes and elsewhere
      const base = [Date.UTC(2024, 2, 28), Date.UTC(2024, 9, 25), Date.UTC(2024, 5, 1)][int(r, 0, 2)] as number;
      const from = new Date(base + Math.floor(r() * 7 * 24 * HOUR));
      const w = parseWindow(spec);
      const ms = nextWindowStart(w, from);
      assert.equal(nextWindowStart(spec, from), ms, 'a spec string and a parsed window agree');
      const where = `${spec} from ${from.toISOString()}: ${ms} ms`;
      assert.ok(inWindow(w, new Date(from.getTime() + ms)), `${where}: open there`);
      // brute force: no open minute before it
      for (let t = Math.ceil(from.getTime() / MIN) * MIN; t < from.getTime() + ms; t += MIN) {
        assert.ok(!inWindow(w, new Date(t)), `${where}: already open at ${new Date(t).toISOString()}`);
      }
    }
  });
});
