"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.parseStatus = parseStatus;
exports.failureMessage = failureMessage;
exports.settleEarlierFailure = settleEarlierFailure;
exports.runBuild = runBuild;
/**
 * runBuild: starts the build script on the build host if nothing runs for this key, then watches
 * it until it ends, heartbeating its progress. The build runs detached (./script.ts), so when
 * the worker dies the build goes on; the retried activity finds the lock held and watches the
 * same make instead of starting another. Cancelled, it stops the build on the build host.
 */
const activity_1 = require("@temporalio/activity");
const schemas_1 = require("../../shared/schemas");
const build_schemas_1 = require("../../shared/build-schemas");
const shell_1 = require("../../shared/shell");
const errors_1 = require("./errors");
const result_1 = require("./result");
const failure_lines_1 = require("./failure-lines");
const script_1 = require("./script");
const POLL_MS = 5_000;
/** Starts that left the lock free without an exit code before this counts as "does not start". */
const MAX_SILENT_STARTS = 3;
function parseStatus(out) {
    const field = (name) => new RegExp(`^${name} ?(.*)$`, 'm').exec(out)?.[1]?.trim();
    const exit = field('EXIT');
    const started = Number(field('STARTED'));
    return {
        busy: field('STATE') === 'busy',
        ...(field('RESULT') ? { result: field('RESULT') } : {}),
        ...(exit !== undefined && exit !== '' ? { exitCode: Number(exit) } : {}),
        cancelled: field('CANCELLED') !== undefined,
        launches: Number(field('LAUNCHES')) || 0,
        compiled: Number(field('CC')) || 0,
        packaging: (Number(field('PKG')) || 0) > 0,
        ...(Number.isFinite(started) && started > 0 ? { startedAt: started } : {}),
        now: Number(field('NOW')) || 0,
        lastLine: field('LAST') ?? '',
    };
}
function progressOf(key, st) {
    return {
        key,
        phase: st.result
            ? 'done'
            : st.exitCode !== undefined
                ? 'failed'
                : st.packaging
                    ? 'packaging'
                    : st.busy
                        ? 'compiling'
                        : 'starting',
        compiled: st.compiled,
        elapsedSeconds: st.startedAt ? Math.max(0, st.now - st.startedAt) : 0,
        lastLine: st.lastLine,
    };
}
/** "make bindeb-pkg failed …" with the log's lines that say why (or its last line). */
async function failureMessage(b, host, dir, st) {
    const log = await b.exec((0, script_1.failureLogCommand)(dir));
    const why = (0, failure_lines_1.causeLines)(log.stdout);
    return (`make bindeb-pkg failed on ${host} (exit ${st.exitCode}; log ${dir}/build.log):\n` +
        (why.length > 0 ? why.join('\n') : st.lastLine));
}
/**
 * A key whose make failed before, and is not building now: without `rebuild` that failure is the
 * answer again (BuildFailedError, saying so and naming --rebuild: the same source, config and
 * toolchain fail the same way unless the build host changed); with it, the failure is set aside
 * (exit-code → exit-code.previous) so runBuild starts make again. A key that succeeded is never
 * rebuilt: its package is the answer.
 */
async function settleEarlierFailure(b, host, dir, rebuild) {
    const st = parseStatus(await b.run((0, script_1.statusCommand)(dir)));
    if (st.busy || st.result || st.exitCode === undefined)
        return;
    if (rebuild) {
        const d = (0, shell_1.shellQuote)(dir);
        await b.run(`cd ${d} && flock -n build.lock sh -c 'mv -f exit-code exit-code.previous && ` +
            `echo "kernel-rollout: rebuild requested (the last launch ended with $(cat exit-code.previous)), ` +
            `$(date -u "+%Y-%m-%d %H:%M:%S") UTC" >> build.log' || true`);
        return;
    }
    const when = (await b.run(`date -u -r ${(0, shell_1.shellQuote)(`${dir}/exit-code`)} '+%Y-%m-%d %H:%M UTC'`)).trim();
    throw new errors_1.BuildFailedError(`this build failed before (${when}) and was not started again: nothing changed that would make it pass ` +
        `(rerun with --rebuild, e.g. after fixing the build host).\n${await failureMessage(b, host, dir, st)}`);
}
async function runBuild(withHost, input) {
    const req = (0, schemas_1.parseOrThrow)(build_schemas_1.runBuildRequestSchema, input);
    const dir = `${req.buildRoot}/${req.key}`;
    const ctx = activity_1.Context.current();
    let silentStarts = 0;
    let startedHere = false;
    for (;;) {
        const st = parseStatus(await withHost(req.buildHost, (b) => b.run((0, script_1.statusCommand)(dir))));
        if (st.result)
            return (0, result_1.parseResult)(st.result, dir, req.key, req.release);
        if (st.exitCode !== undefined) {
            throw new errors_1.BuildFailedError(await withHost(req.buildHost, (b) => failureMessage(b, req.buildHost.host, dir, st)));
        }
        if (!st.busy) {
            if (startedHere && ++silentStarts >= MAX_SILENT_STARTS) {
                throw new errors_1.BuildHostNotReadyError(`the build in ${dir} does not start on ${req.buildHost.host}; see ${dir}/build.log`);
            }
            await withHost(req.buildHost, (b) => b.run((0, script_1.launchCommand)(dir)));
            startedHere = true;
        }
        ctx.heartbeat(progressOf(req.key, st));
        try {
            await ctx.sleep(POLL_MS);
        }
        catch (err) {
            if (err instanceof activity_1.CancelledFailure) {
                await withHost(req.buildHost, (b) => b.run((0, script_1.cancelCommand)(dir), { timeoutMs: 120_000 }));
            }
            throw err;
        }
    }
}
//# sourceMappingURL=run.js.map