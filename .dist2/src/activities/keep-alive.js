"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.SELF_HEARTBEATING = void 0;
exports.keepAlive = keepAlive;
/**
 * Every activity heartbeats while it runs, so a worker that dies (SIGKILL, OOM, a lost VM) is
 * noticed after the heartbeat timeout — seconds — instead of after the activity's whole
 * start-to-close timeout, and the retry runs on another worker. The SDK throttles what reaches
 * the server, so beating twice a second costs little; the first beat comes after half a second
 * (the shortest heartbeat timeout an input may set is 1 s). Activities that report progress
 * (awaitHostReturn, runBuild) heartbeat themselves and are left alone.
 */
const activity_1 = require("@temporalio/activity");
exports.SELF_HEARTBEATING = new Set(['awaitHostReturn', 'runBuild']);
function keepAlive(activities, everyMs = 500) {
    const wrapped = {};
    for (const [name, fn] of Object.entries(activities)) {
        if (exports.SELF_HEARTBEATING.has(name)) {
            wrapped[name] = fn;
            continue;
        }
        wrapped[name] = async (...args) => {
            const ctx = activity_1.Context.current();
            // No beat at the start: an activity done within everyMs (most steps take well under a
            // second) sends none, and the server has one request less to serve for each.
            const timer = setInterval(() => ctx.heartbeat(), everyMs);
            try {
                return await fn(...args);
            }
            finally {
                clearInterval(timer);
            }
        };
    }
    return wrapped;
}
//# sourceMappingURL=keep-alive.js.map