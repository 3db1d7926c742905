/**
 * Every activity heartbeats while it runs, so a worker that dies (SIGKILL, OOM, a lost VM) is
 * noticed after the heartbeat timeout — seconds — instead of after the activity's whole
 * start-to-close timeout, and the retry runs on another worker. The SDK throttles what reaches
 * the server, so beating twice a second costs little; the first beat comes after half a second
 * (the shortest heartbeat timeout an input may set is 1 s). Activities that report progress
 * (awaitHostReturn, runBuild) heartbeat themselves and are left alone, and so are local activities.
 */
import { Context } from '@temporalio/activity';

type AnyActivity = (...args: never[]) => Promise<unknown>;

export const SELF_HEARTBEATING = new Set(['awaitHostReturn', 'runBuild']);

export function keepAlive<T extends Record<string, AnyActivity>>(activities: T, everyMs = 500): T {
  const wrapped: Record<string, AnyActivity> = {};
  for (const [name, fn] of Object.entries(activities)) {
    if (SELF_HEARTBEATING.has(name)) {
      wrapped[name] = fn;
      continue;
    }
    wrapped[name] = async (...args: never[]) => {
      const ctx = Context.current();
      // A local activity (the rollout's releaseHeldRuns) runs in the worker that asked for it:
      // there is no heartbeat to send.
      if (ctx.info.isLocal) return fn(...args);
      // No beat at the start: an activity done within everyMs (most steps take well under a
      // second) sends none, and the server has one request less to serve for each.
      const timer = setInterval(() => ctx.heartbeat(), everyMs);
      try {
        return await fn(...args);
      } finally {
        clearInterval(timer);
      }
    };
  }
  return wrapped as T;
}
