"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.SessionPool = exports.MAX_IDLE = exports.IDLE_MS = void 0;
/** How long a finished activity's connection waits for the next activity to the same target. */
exports.IDLE_MS = 5_000;
/** At most this many idle connections in one worker: the oldest is closed to make room. */
exports.MAX_IDLE = 64;
/** A session that can say whether its connection is still up (SshSession can; fakes need not). */
function stillOpen(s) {
    return typeof s.isOpen === 'function' && s.isOpen();
}
/** The same JSON for the same input whatever its keys' order. */
function keyOf(target) {
    return JSON.stringify(target, (_k, v) => v && typeof v === 'object' && !Array.isArray(v)
        ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)))
        : v);
}
class SessionPool {
    idleMs;
    maxIdle;
    idle = [];
    constructor(idleMs = exports.IDLE_MS, maxIdle = exports.MAX_IDLE) {
        this.idleMs = idleMs;
        this.maxIdle = maxIdle;
    }
    /** An idle, still open connection to exactly this target, taken out of the pool; else undefined. */
    take(target) {
        const key = keyOf(target);
        for (let i = this.idle.length - 1; i >= 0; i--) {
            const entry = this.idle[i];
            if (entry.key !== key)
                continue;
            this.idle.splice(i, 1);
            clearTimeout(entry.timer);
            if (stillOpen(entry.session))
                return entry.session;
            entry.session.close();
        }
        return undefined;
    }
    /** Keeps a connection an activity finished with cleanly; one that is closed already is dropped. */
    give(target, session) {
        if (!stillOpen(session) || this.maxIdle <= 0) {
            session.close();
            return;
        }
        while (this.idle.length >= this.maxIdle)
            this.drop(0);
        const entry = {
            key: keyOf(target),
            host: target.host,
            session,
            timer: setTimeout(() => this.drop(this.idle.indexOf(entry)), this.idleMs).unref(),
        };
        this.idle.push(entry);
    }
    /** Closes every idle connection to the host of this name (before a reboot or a power cycle). */
    forget(host) {
        for (let i = this.idle.length - 1; i >= 0; i--)
            if (this.idle[i].host === host)
                this.drop(i);
    }
    /** Idle connections now (for tests and the worker's shutdown). */
    get size() {
        return this.idle.length;
    }
    /** Closes every idle connection. */
    closeAll() {
        while (this.idle.length > 0)
            this.drop(0);
    }
    drop(i) {
        if (i < 0)
            return;
        const [entry] = this.idle.splice(i, 1);
        if (!entry)
            return;
        clearTimeout(entry.timer);
        entry.session.close();
    }
}
exports.SessionPool = SessionPool;
//# sourceMappingURL=session-pool.js.map