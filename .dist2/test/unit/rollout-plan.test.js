"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * The rollout planner (src/shared/rollout-plan.ts): batch sizes, failure budget, maintenance
 * windows — worked examples, including daylight-saving days, and property checks driven by a
 * small seeded generator so a failure reproduces.
 */
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const rollout_plan_1 = require("../../src/shared/rollout-plan");
/** mulberry32: a tiny seeded generator, so every property run is reproducible. */
function rng(seed) {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}
const int = (r, lo, hi) => lo + Math.floor(r() * (hi - lo + 1));
const hostsNamed = (n) => Array.from({ length: n }, (_, i) => `web-${i}`);
const sizesOf = (batches) => batches.map((b) => b.length);
(0, node_test_1.describe)('planBatches', () => {
    (0, node_test_1.test)('canary first, then the sizes in order, the last repeating', () => {
        const plan = (0, rollout_plan_1.planBatches)(hostsNamed(20), { canary: 1, batches: [1, '10%', '25%'] });
        strict_1.default.deepEqual(sizesOf(plan), [1, 1, 2, 5, 5, 5, 1]);
        strict_1.default.deepEqual(plan[0], ['web-0']);
        strict_1.default.deepEqual(plan.flat(), hostsNamed(20), 'every host once, in order');
    });
    (0, node_test_1.test)('percentages are of the total, rounded up, at least 1', () => {
        strict_1.default.deepEqual(sizesOf((0, rollout_plan_1.planBatches)(hostsNamed(15), { canary: 0, batches: ['10%'] })), [2, 2, 2, 2, 2, 2, 2, 1]);
        // 10% of 30 is 3 (not 3.0000000000000004 rounded up to 4)
        strict_1.default.equal((0, rollout_plan_1.batchSizeAt)({ canary: 0, batches: ['10%'] }, 0, 30), 3);
        strict_1.default.equal((0, rollout_plan_1.batchSizeAt)({ canary: 0, batches: ['1%'] }, 0, 5), 1);
        strict_1.default.equal((0, rollout_plan_1.batchSizeAt)({ canary: 0, batches: ['12.5%'] }, 0, 8), 1);
        strict_1.default.equal((0, rollout_plan_1.batchSizeAt)({ canary: 0, batches: ['100%'] }, 0, 8), 8);
    });
    (0, node_test_1.test)('maxUnavailable caps every batch', () => {
        const plan = (0, rollout_plan_1.planBatches)(hostsNamed(10), { canary: 2, batches: ['50%'], maxUnavailable: 3 });
        strict_1.default.deepEqual(sizesOf(plan), [2, 3, 3, 2]);
    });
    (0, node_test_1.test)('no canary, a canary larger than the fleet, an empty fleet', () => {
        strict_1.default.deepEqual(sizesOf((0, rollout_plan_1.planBatches)(hostsNamed(5), { canary: 0, batches: [2] })), [2, 2, 1]);
        strict_1.default.deepEqual(sizesOf((0, rollout_plan_1.planBatches)(hostsNamed(3), { canary: 5, batches: [2] })), [3]);
        strict_1.default.deepEqual((0, rollout_plan_1.planBatches)([], { canary: 1, batches: [2] }), []);
    });
    (0, node_test_1.test)('batchSizes continues from a later batch (what is left after hosts were added or skipped)', () => {
        const s = { canary: 1, batches: [1, '10%', '25%'] };
        strict_1.default.deepEqual((0, rollout_plan_1.batchSizes)(s, 20, 9, 3), [5, 4]);
        strict_1.default.deepEqual((0, rollout_plan_1.batchSizes)(s, 20, 0, 3), []);
    });
    const bad = [
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
        (0, node_test_1.test)(`refuses ${name}`, () => {
            strict_1.default.match((0, rollout_plan_1.checkStrategy)(strategy) ?? '', re);
            strict_1.default.throws(() => (0, rollout_plan_1.planBatches)(hostsNamed(3), strategy), re);
        });
    }
    (0, node_test_1.test)('property: every host exactly once, in order; no batch empty or above its limits', () => {
        const r = rng(20240601);
        for (let run = 0; run < 500; run++) {
            const n = int(r, 0, 400);
            const maxUnavailable = r() < 0.5 ? undefined : int(r, 1, 50);
            const canary = int(r, 0, maxUnavailable ?? 10);
            const batches = Array.from({ length: int(r, 1, 4) }, () => r() < 0.5 ? int(r, 1, 60) : `${int(r, 1, 100)}%`);
            const strategy = { canary, batches, ...(maxUnavailable ? { maxUnavailable } : {}) };
            const hosts = hostsNamed(n);
            const plan = (0, rollout_plan_1.planBatches)(hosts, strategy);
            const where = `run ${run}: ${n} hosts, ${JSON.stringify(strategy)} → ${JSON.stringify(sizesOf(plan))}`;
            strict_1.default.deepEqual(plan.flat(), hosts, where);
            plan.forEach((batch, i) => {
                strict_1.default.ok(batch.length >= 1, where);
                if (maxUnavailable !== undefined)
                    strict_1.default.ok(batch.length <= maxUnavailable, where);
                const planned = (0, rollout_plan_1.batchSizeAt)(strategy, i, n);
                // every batch has its planned size; only the last one may be short
                if (i < plan.length - 1)
                    strict_1.default.equal(batch.length, planned, where);
                else
                    strict_1.default.ok(batch.length <= planned, where);
            });
            if (canary > 0 && n > 0)
                strict_1.default.equal(plan[0]?.length, Math.min(canary, n), `${where}: canary batch`);
        }
    });
});
(0, node_test_1.describe)('parseFailureBudget', () => {
    (0, node_test_1.test)('counts and percentages (rounded down: the cautious side)', () => {
        strict_1.default.equal((0, rollout_plan_1.parseFailureBudget)('3', 100), 3);
        strict_1.default.equal((0, rollout_plan_1.parseFailureBudget)('0', 100), 0);
        strict_1.default.equal((0, rollout_plan_1.parseFailureBudget)('10%', 25), 2);
        strict_1.default.equal((0, rollout_plan_1.parseFailureBudget)('10%', 30), 3);
        strict_1.default.equal((0, rollout_plan_1.parseFailureBudget)('10%', 5), 0);
        strict_1.default.equal((0, rollout_plan_1.parseFailureBudget)('0%', 5), 0);
        strict_1.default.equal((0, rollout_plan_1.parseFailureBudget)('100%', 7), 7);
    });
    for (const spec of ['', 'abc', '-1', '1.5', '10 %', '150%', '%']) {
        (0, node_test_1.test)(`refuses ${JSON.stringify(spec)}`, () => {
            strict_1.default.throws(() => (0, rollout_plan_1.parseFailureBudget)(spec, 10), /failureBudget/);
        });
    }
});
(0, node_test_1.describe)('maintenance windows', () => {
    const at = (iso) => new Date(iso);
    const MIN = 60_000;
    const HOUR = 60 * MIN;
    const berlin = 'Mon-Fri 02:00-05:00 Europe/Berlin';
    (0, node_test_1.test)('weekday window in a time zone (winter, UTC+1)', () => {
        // 2024-01-15 is a Monday.
        strict_1.default.equal((0, rollout_plan_1.inWindow)(berlin, at('2024-01-15T01:30:00Z')), true, '02:30 Berlin');
        strict_1.default.equal((0, rollout_plan_1.inWindow)(berlin, at('2024-01-15T00:59:59Z')), false, '01:59 Berlin');
        strict_1.default.equal((0, rollout_plan_1.inWindow)(berlin, at('2024-01-15T03:59:00Z')), true, '04:59 Berlin');
        strict_1.default.equal((0, rollout_plan_1.inWindow)(berlin, at('2024-01-15T04:00:00Z')), false, '05:00 Berlin: the end is exclusive');
        strict_1.default.equal((0, rollout_plan_1.nextWindowStart)(berlin, at('2024-01-15T01:30:00Z')), 0);
        strict_1.default.equal((0, rollout_plan_1.nextWindowStart)(berlin, at('2024-01-15T00:30:00Z')), 30 * MIN);
        strict_1.default.equal((0, rollout_plan_1.nextWindowStart)(berlin, at('2024-01-15T00:59:30Z')), 30_000, 'from mid-minute');
        // Saturday → Monday 02:00 CET = 01:00Z
        strict_1.default.equal((0, rollout_plan_1.nextWindowStart)(berlin, at('2024-01-20T02:00:00Z')), at('2024-01-22T01:00:00Z').getTime() - at('2024-01-20T02:00:00Z').getTime());
    });
    (0, node_test_1.test)('summer time (UTC+2)', () => {
        strict_1.default.equal((0, rollout_plan_1.inWindow)(berlin, at('2024-07-15T00:00:00Z')), true, '02:00 CEST');
        strict_1.default.equal((0, rollout_plan_1.inWindow)(berlin, at('2024-07-14T23:59:00Z')), false);
    });
    (0, node_test_1.test)('the day clocks go forward: 02:00 does not exist, the window opens at 03:00 CEST', () => {
        const spec = 'Sun 02:00-05:00 Europe/Berlin';
        // 2024-03-31 01:00 CET = 00:00Z; one hour later it is 03:00 CEST.
        strict_1.default.equal((0, rollout_plan_1.nextWindowStart)(spec, at('2024-03-31T00:00:00Z')), 1 * HOUR);
        strict_1.default.equal((0, rollout_plan_1.inWindow)(spec, at('2024-03-31T01:00:00Z')), true);
    });
    (0, node_test_1.test)('the day clocks go back: local time says 4 h, the real wait is 5 h', () => {
        const spec = 'Sun 04:00-05:00 Europe/Berlin';
        // Sunday 00:00 CEST = Sat 22:00Z; 04:00 CET = 03:00Z.
        strict_1.default.equal((0, rollout_plan_1.nextWindowStart)(spec, at('2024-10-26T22:00:00Z')), 5 * HOUR);
    });
    (0, node_test_1.test)('a window crossing midnight belongs to the day it starts on', () => {
        const spec = 'Fri 22:00-02:00 UTC';
        // 2024-01-19 is a Friday.
        strict_1.default.equal((0, rollout_plan_1.inWindow)(spec, at('2024-01-19T23:00:00Z')), true, 'Fri 23:00');
        strict_1.default.equal((0, rollout_plan_1.inWindow)(spec, at('2024-01-20T01:59:00Z')), true, 'Sat 01:59');
        strict_1.default.equal((0, rollout_plan_1.inWindow)(spec, at('2024-01-20T02:00:00Z')), false, 'Sat 02:00');
        strict_1.default.equal((0, rollout_plan_1.inWindow)(spec, at('2024-01-20T23:00:00Z')), false, 'Sat 23:00');
        strict_1.default.equal((0, rollout_plan_1.inWindow)(spec, at('2024-01-19T01:00:00Z')), false, 'Fri 01:00 (Thursday has no window)');
        strict_1.default.equal((0, rollout_plan_1.nextWindowStart)(spec, at('2024-01-20T03:00:00Z')), (6 * 24 + 19) * HOUR);
    });
    (0, node_test_1.test)('day lists, wrapping ranges, daily and the default zone', () => {
        strict_1.default.deepEqual((0, rollout_plan_1.parseWindow)('Fri-Mon 00:00-24:00').days, [true, true, false, false, false, true, true]);
        strict_1.default.deepEqual((0, rollout_plan_1.parseWindow)('mon,WED,fri 10:00-11:00').days, [false, true, false, true, false, true, false]);
        strict_1.default.equal((0, rollout_plan_1.parseWindow)('daily 00:00-24:00').timeZone, 'UTC');
        strict_1.default.equal((0, rollout_plan_1.inWindow)('daily 00:00-24:00', at('2024-05-05T12:34:56Z')), true);
        strict_1.default.equal((0, rollout_plan_1.inWindow)('Sat,Sun 00:00-24:00 UTC', at('2024-01-20T12:00:00Z')), true);
        strict_1.default.equal((0, rollout_plan_1.inWindow)('Sat,Sun 00:00-24:00 UTC', at('2024-01-22T12:00:00Z')), false);
    });
    const badSpecs = [
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
        (0, node_test_1.test)(`refuses window ${JSON.stringify(spec)}`, () => {
            strict_1.default.throws(() => (0, rollout_plan_1.parseWindow)(spec), re);
        });
    }
    (0, node_test_1.test)('property: nextWindowStart lands on the first open minute (checked by brute force)', () => {
        const r = rng(7);
        const zones = ['UTC', 'Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata'];
        const dayNames = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
        const hhmm = (m) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
        for (let run = 0; run < 40; run++) {
            const days = dayNames.filter(() => r() < 0.4);
            const start = int(r, 0, 95) * 15;
            let end = int(r, 0, 96) * 15;
            if (end === start)
                end = (start + 60) % 1440;
            const spec = `${days.length ? days.join(',') : 'Wed'} ${hhmm(start)}-${hhmm(end)} ${zones[int(r, 0, zones.length - 1)]}`;
            // random instants around the 2024 daylight-saving changes and elsewhere
            const base = [Date.UTC(2024, 2, 28), Date.UTC(2024, 9, 25), Date.UTC(2024, 5, 1)][int(r, 0, 2)];
            const from = new Date(base + Math.floor(r() * 7 * 24 * HOUR));
            const w = (0, rollout_plan_1.parseWindow)(spec);
            const ms = (0, rollout_plan_1.nextWindowStart)(w, from);
            strict_1.default.equal((0, rollout_plan_1.nextWindowStart)(spec, from), ms, 'a spec string and a parsed window agree');
            const where = `${spec} from ${from.toISOString()}: ${ms} ms`;
            strict_1.default.ok((0, rollout_plan_1.inWindow)(w, new Date(from.getTime() + ms)), `${where}: open there`);
            // brute force: no open minute before it
            for (let t = Math.ceil(from.getTime() / MIN) * MIN; t < from.getTime() + ms; t += MIN) {
                strict_1.default.ok(!(0, rollout_plan_1.inWindow)(w, new Date(t)), `${where}: already open at ${new Date(t).toISOString()}`);
            }
        }
    });
});
//# sourceMappingURL=rollout-plan.test.js.map