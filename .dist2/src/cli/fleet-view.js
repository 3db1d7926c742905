"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.bar = bar;
exports.renderFleetView = renderFleetView;
exports.newPlainState = newPlainState;
exports.plainLines = plainLines;
const BAR_WIDTH = 24;
const MAX_HOST_LINES = 20;
function bar(done, total, width = BAR_WIDTH) {
    const filled = total === 0 ? 0 : Math.round((done / total) * width);
    return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}
function tallyBatches(p) {
    const byBatch = new Map();
    for (const h of p.hosts) {
        if (h.batch === undefined)
            continue;
        let t = byBatch.get(h.batch);
        if (!t) {
            t = { batch: h.batch, total: 0, done: 0, inFlight: 0, outcomes: new Map() };
            byBatch.set(h.batch, t);
        }
        t.total += 1;
        if (h.phase === 'upgrading')
            t.inFlight += 1;
        if (h.phase === 'done') {
            t.done += 1;
            const o = h.outcome ?? 'done';
            t.outcomes.set(o, (t.outcomes.get(o) ?? 0) + 1);
        }
    }
    return [...byBatch.values()].sort((a, b) => a.batch - b.batch);
}
function outcomeWords(outcomes) {
    return [...outcomes.entries()].map(([o, n]) => `${n} ${o.replace('-', ' ')}`).join(', ');
}
/** The TTY view: header, a bar per batch started, a line per in-flight host, the details sentence. */
function renderFleetView(p, inFlight, width = 100) {
    const clip = (s) => (s.length > width ? `${s.slice(0, width - 1)}…` : s);
    const hostCount = p.hosts.length;
    const finished = p.hosts.filter((h) => h.phase === 'done').length;
    const lines = [
        clip(`rollout ${p.rolloutId}  ${p.phase}  ${bar(finished, hostCount)} ${finished}/${hostCount} hosts  ` +
            `budget ${p.budgetLeft}/${p.budget} left${p.runs > 1 ? `  (run ${p.runs})` : ''}`),
    ];
    for (const t of tallyBatches(p)) {
        const label = `batch ${t.batch}/${p.totalBatches}${t.batch === 1 ? ' canary' : ''}`.padEnd(18);
        const state = [t.inFlight > 0 ? `${t.inFlight} in flight` : '', outcomeWords(t.outcomes)].filter(Boolean);
        lines.push(clip(`${label}${bar(t.done, t.total)} ${`${t.done}/${t.total}`.padEnd(9)} ${state.join(', ')}`));
    }
    const pendingBatches = p.totalBatches - p.currentBatch;
    if (pendingBatches > 0)
        lines.push(`${pendingBatches} batch(es) to go, ${p.pending} host(s) pending`);
    const shown = inFlight.slice(0, MAX_HOST_LINES);
    const nameWidth = Math.min(32, Math.max(8, ...shown.map((h) => h.host.length)));
    for (const h of shown)
        lines.push(clip(`  ${h.host.padEnd(nameWidth)} ${h.phase.padEnd(17)} ${h.details}`));
    if (inFlight.length > shown.length)
        lines.push(`  … and ${inFlight.length - shown.length} more in flight`);
    lines.push(clip(p.details));
    return lines;
}
function newPlainState() {
    return { phase: null, batch: 0, hosts: new Map() };
}
/**
 * One line per change since the last poll: rollout phase, a new batch, a host starting, a host's
 * own phase changing, a host's outcome. Updates `state`.
 */
function plainLines(state, p, inFlight) {
    const out = [];
    if (p.currentBatch > state.batch) {
        for (let b = state.batch + 1; b <= p.currentBatch; b++) {
            const n = p.hosts.filter((h) => h.batch === b).length;
            out.push(`batch ${b}/${p.totalBatches} started: ${n} host(s)`);
        }
        state.batch = p.currentBatch;
    }
    const live = new Map(inFlight.map((h) => [h.host, h]));
    for (const h of p.hosts) {
        const key = h.phase === 'done'
            ? `done:${h.outcome ?? ''}`
            : h.phase === 'upgrading'
                ? `up:${live.get(h.host)?.phase ?? 'starting'}`
                : 'pending';
        if (state.hosts.get(h.host) === key)
            continue;
        const before = state.hosts.get(h.host);
        state.hosts.set(h.host, key);
        if (key === 'pending' && before === undefined)
            continue;
        if (h.phase === 'done') {
            out.push(`${h.host}: ${h.outcome ?? 'done'}${h.reason ? ` — ${h.reason}` : ''}`);
        }
        else if (h.phase === 'upgrading') {
            const s = live.get(h.host);
            out.push(`${h.host}: ${s ? `${s.phase} — ${s.details}` : 'starting'}`);
        }
    }
    if (p.phase !== state.phase) {
        out.push(`rollout ${p.rolloutId}: ${p.details}`);
        state.phase = p.phase;
    }
    return out;
}
//# sourceMappingURL=fleet-view.js.map