"use strict";
/**
 * The fleet rollout's arithmetic (docs/design.md, fleet workflow): batch sizes, the failure budget and maintenance
 * windows. Pure and deterministic — no clock, no I/O, no zod — so the rollout workflow imports it
 * and the CLI can show the same plan before anything starts.
 *
 * Batches: the canary batch first (when `canary > 0`), then `batches` in order, the last size
 * repeating until every host has a batch. A percentage is of the TOTAL host count, rounded up,
 * at least 1. No batch is larger than `maxUnavailable`: that many hosts at most are rebooting at
 * once. Bad values are errors, never silently replaced by a default.
 *
 * Maintenance windows: `<days> <HH:MM>-<HH:MM> [<IANA zone>]`, e.g. `Mon-Fri 02:00-05:00
 * Europe/Berlin`, `Sat,Sun 22:00-04:00 UTC` (a window crossing midnight belongs to the day it
 * starts on), `daily 00:00-24:00`. The zone defaults to UTC. Local time comes from
 * Intl.DateTimeFormat, which Temporal's workflow sandbox provides.
 */
Object.defineProperty(exports, "__esModule", { value: true });
exports.checkStrategy = checkStrategy;
exports.resolveBatchSize = resolveBatchSize;
exports.batchSizeAt = batchSizeAt;
exports.batchSizes = batchSizes;
exports.planBatches = planBatches;
exports.checkFailureBudget = checkFailureBudget;
exports.parseFailureBudget = parseFailureBudget;
exports.parseWindow = parseWindow;
exports.checkWindow = checkWindow;
exports.inWindow = inWindow;
exports.nextWindowStart = nextWindowStart;
exports.describeWait = describeWait;
const PERCENT_RE = /^(\d{1,3}(?:\.\d{1,4})?)%$/;
function isPositiveInt(n) {
    return typeof n === 'number' && Number.isInteger(n) && n >= 1;
}
/** Why a batch size is unusable, or null. */
function checkBatchSize(size, where) {
    if (typeof size === 'number') {
        return isPositiveInt(size) ? null : `${where}: ${size} must be a whole number of hosts, at least 1`;
    }
    if (typeof size === 'string') {
        const m = PERCENT_RE.exec(size);
        const pct = m ? Number(m[1]) : NaN;
        if (pct > 0 && pct <= 100)
            return null;
        return `${where}: '${size}' must be a percentage above 0% and at most 100%, like '10%'`;
    }
    return `${where}: must be a number of hosts or a percentage like '10%'`;
}
/** Why a strategy is unusable (the first problem found), or null when it is fine. */
function checkStrategy(strategy) {
    if (typeof strategy !== 'object' || strategy === null)
        return 'strategy: must be {canary, batches, maxUnavailable?}';
    const s = strategy;
    if (typeof s.canary !== 'number' || !Number.isInteger(s.canary) || s.canary < 0) {
        return `strategy.canary: ${String(s.canary)} must be a whole number of hosts, 0 for no canary`;
    }
    if (!Array.isArray(s.batches) || s.batches.length === 0 || s.batches.length > 1000) {
        return "strategy.batches: must list 1-1000 batch sizes, like [1, '10%', '25%']";
    }
    for (const [i, size] of s.batches.entries()) {
        const bad = checkBatchSize(size, `strategy.batches[${i}]`);
        if (bad)
            return bad;
    }
    if (s.maxUnavailable !== undefined) {
        if (!isPositiveInt(s.maxUnavailable)) {
            return `strategy.maxUnavailable: ${String(s.maxUnavailable)} must be a whole number of hosts, at least 1`;
        }
        if (s.canary > s.maxUnavailable) {
            return `strategy.canary: ${s.canary} canary hosts exceed maxUnavailable ${s.maxUnavailable}; lower the canary or raise maxUnavailable`;
        }
    }
    return null;
}
function assertStrategy(strategy) {
    const bad = checkStrategy(strategy);
    if (bad)
        throw new Error(bad);
}
/** One size spec resolved against the total host count: percentages rounded up, at least 1. */
function resolveBatchSize(size, total) {
    if (typeof size === 'number')
        return size;
    const pct = Number(size.slice(0, -1));
    // p * total / 100 rather than p / 100 * total: 10% of 30 is 3, not 3.0000000000000004 → 4.
    return Math.max(1, Math.ceil((pct * total) / 100 - 1e-9));
}
/**
 * Size of the batch with this index (0 is the canary batch when there is one), for a rollout
 * of `total` hosts, before it is capped by the hosts that are left.
 */
function batchSizeAt(strategy, index, total) {
    assertStrategy(strategy);
    let size;
    if (strategy.canary > 0 && index === 0) {
        size = strategy.canary;
    }
    else {
        const i = strategy.canary > 0 ? index - 1 : index;
        const spec = strategy.batches[Math.min(i, strategy.batches.length - 1)];
        size = resolveBatchSize(spec, total);
    }
    return strategy.maxUnavailable === undefined ? size : Math.min(size, strategy.maxUnavailable);
}
/**
 * Sizes of the batches that cover `remaining` hosts, starting at batch `fromIndex` of a rollout
 * of `total` hosts. The rollout workflow uses it for what is left after hosts were added or
 * skipped; `planBatches` for a whole list.
 */
function batchSizes(strategy, total, remaining, fromIndex = 0) {
    assertStrategy(strategy);
    const sizes = [];
    let left = remaining;
    for (let i = fromIndex; left > 0; i++) {
        const size = Math.min(batchSizeAt(strategy, i, total), left);
        sizes.push(size);
        left -= size;
    }
    return sizes;
}
/** The hosts, in their order, cut into batches: canary batch first. Every host exactly once. */
function planBatches(hosts, strategy) {
    const batches = [];
    let at = 0;
    for (const size of batchSizes(strategy, hosts.length, hosts.length)) {
        batches.push(hosts.slice(at, at + size));
        at += size;
    }
    return batches;
}
// ---- failure budget --------------------------------------------------------------------------
const BUDGET_COUNT_RE = /^\d{1,9}$/;
/** Why a failure budget is unusable, or null. '3' (hosts) or '10%' (of all hosts). */
function checkFailureBudget(spec) {
    if (typeof spec === 'string' && (BUDGET_COUNT_RE.test(spec) || checkBatchSize(spec, '') === null))
        return null;
    if (spec === '0%')
        return null;
    return `failureBudget: ${JSON.stringify(spec)} must be a number of hosts like '2' or a percentage like '10%'`;
}
/**
 * How many hosts may fail before the rollout halts: the rollout halts when failures EXCEED this.
 * A percentage of `total` is rounded down (10% of 15 hosts is 1), the cautious side.
 */
function parseFailureBudget(spec, total) {
    const bad = checkFailureBudget(spec);
    if (bad)
        throw new Error(bad);
    if (!spec.endsWith('%'))
        return Number(spec);
    const pct = Number(spec.slice(0, -1));
    return Math.floor((pct * total) / 100 + 1e-9);
}
// ---- maintenance windows ---------------------------------------------------------------------
const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const MINUTES_PER_DAY = 1440;
const MINUTE_MS = 60_000;
function parseDays(text) {
    const days = new Array(7).fill(false);
    if (/^(daily|\*)$/i.test(text))
        return days.fill(true);
    for (const part of text.toLowerCase().split(',')) {
        const range = part.split('-');
        const ids = range.map((name) => DAY_NAMES.indexOf(name));
        if (range.length > 2 || ids.some((id) => id < 0)) {
            return `'${part}' is not a day or day range (Mon, Tue, …, Sun; Mon-Fri; Sat,Sun; daily)`;
        }
        const from = ids[0];
        const to = (ids[1] ?? from);
        // Fri-Mon wraps over the weekend.
        for (let d = from;; d = (d + 1) % 7) {
            days[d] = true;
            if (d === to)
                break;
        }
    }
    return days;
}
function parseClock(text, allow24) {
    const m = /^(\d{2}):(\d{2})$/.exec(text);
    if (!m)
        return null;
    const minutes = Number(m[1]) * 60 + Number(m[2]);
    if (Number(m[2]) > 59)
        return null;
    if (minutes < MINUTES_PER_DAY || (allow24 && minutes === MINUTES_PER_DAY))
        return minutes;
    return null;
}
const formatters = new Map();
function formatterFor(timeZone) {
    let f = formatters.get(timeZone);
    if (!f) {
        f = new Intl.DateTimeFormat('en-US', {
            timeZone,
            weekday: 'short',
            hour: '2-digit',
            minute: '2-digit',
            hourCycle: 'h23',
        });
        formatters.set(timeZone, f);
    }
    return f;
}
/** Parses a window spec; throws an Error saying what is wrong. */
function parseWindow(spec) {
    const usage = `window '${spec}': expected '<days> <HH:MM>-<HH:MM> [<time zone>]', like 'Mon-Fri 02:00-05:00 Europe/Berlin'`;
    if (typeof spec !== 'string' || spec.length > 200)
        throw new Error(usage);
    const parts = spec.trim().split(/\s+/);
    if (parts.length < 2 || parts.length > 3)
        throw new Error(usage);
    const days = parseDays(parts[0]);
    if (typeof days === 'string')
        throw new Error(`window '${spec}': ${days}`);
    const hours = parts[1].split('-');
    const startMinute = hours.length === 2 ? parseClock(hours[0], false) : null;
    const endMinute = hours.length === 2 ? parseClock(hours[1], true) : null;
    if (startMinute === null || endMinute === null) {
        throw new Error(`window '${spec}': '${parts[1]}' must be a time range HH:MM-HH:MM (00:00-24:00 for all day)`);
    }
    if (startMinute === endMinute)
        throw new Error(`window '${spec}': the window is empty (starts when it ends)`);
    const timeZone = parts[2] ?? 'UTC';
    try {
        formatterFor(timeZone);
    }
    catch {
        throw new Error(`window '${spec}': unknown time zone '${timeZone}' (use an IANA name like Europe/Berlin)`);
    }
    return { days, startMinute, endMinute, timeZone };
}
/** Why a window spec is unusable, or null. */
function checkWindow(spec) {
    try {
        parseWindow(spec);
        return null;
    }
    catch (err) {
        return err.message;
    }
}
/** Local weekday (0 = Sunday) and minute of the day at an instant. */
function localTime(window, epochMs) {
    let day = 0;
    let hour = 0;
    let minute = 0;
    for (const p of formatterFor(window.timeZone).formatToParts(new Date(epochMs))) {
        if (p.type === 'weekday')
            day = DAY_NAMES.indexOf(p.value.toLowerCase());
        else if (p.type === 'hour')
            hour = Number(p.value);
        else if (p.type === 'minute')
            minute = Number(p.value);
    }
    return { day, minute: hour * 60 + minute };
}
function openAt(window, local) {
    const { days, startMinute, endMinute } = window;
    if (startMinute < endMinute) {
        return days[local.day] === true && local.minute >= startMinute && local.minute < endMinute;
    }
    // Crosses midnight: the evening part belongs to today, the morning part to yesterday's window.
    const yesterday = (local.day + 6) % 7;
    return ((days[local.day] === true && local.minute >= startMinute) || (days[yesterday] === true && local.minute < endMinute));
}
/** Is the window open at `date`? */
function inWindow(spec, date) {
    const window = typeof spec === 'string' ? parseWindow(spec) : spec;
    return openAt(window, localTime(window, date.getTime()));
}
/** Local minutes from `local` to the next window opening, as if the UTC offset never changed. */
function localMinutesToNextStart(window, local) {
    let best = Infinity;
    for (let k = 0; k <= 7; k++) {
        if (!window.days[(local.day + k) % 7])
            continue;
        const candidate = k * MINUTES_PER_DAY + window.startMinute - local.minute;
        if (candidate >= 1 && candidate < best)
            best = candidate;
    }
    return best;
}
/**
 * Milliseconds from `date` until the window is open: 0 when it is open now. Walks from the next
 * whole minute, jumping to two hours before the next opening as local time predicts it (a
 * daylight-saving change moves the real opening by at most that), then minute by minute, so a
 * week's search costs a few hundred look-ups, not ten thousand. Throws if the window does not
 * open within 8 days (a window only inside a skipped daylight-saving hour).
 */
function nextWindowStart(spec, date) {
    const window = typeof spec === 'string' ? parseWindow(spec) : spec;
    const now = date.getTime();
    if (openAt(window, localTime(window, now)))
        return 0;
    const limit = now + 8 * MINUTES_PER_DAY * MINUTE_MS;
    let t = Math.ceil(now / MINUTE_MS) * MINUTE_MS;
    while (t <= limit) {
        const local = localTime(window, t);
        if (openAt(window, local))
            return t - now;
        const predicted = localMinutesToNextStart(window, local);
        t += (predicted > 120 ? predicted - 120 : 1) * MINUTE_MS;
    }
    throw new Error(`window: never opens within 8 days after ${date.toISOString()}`);
}
/** A wait in words for status lines: '45 min', '3 h 10 min', '2 d 4 h'. */
function describeWait(ms) {
    const minutes = Math.ceil(ms / MINUTE_MS);
    if (minutes < 120)
        return `${minutes} min`;
    const hours = Math.floor(minutes / 60);
    return hours < 48 ? `${hours} h ${minutes % 60} min` : `${Math.floor(hours / 24)} d ${hours % 24} h`;
}
//# sourceMappingURL=rollout-plan.js.map