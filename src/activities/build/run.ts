/**
 * runBuild: starts the build script on the build host if nothing runs for this key, then watches
 * it until it ends, heartbeating its progress. The build runs detached (./script.ts), so when
 * the worker dies the build goes on; the retried activity finds the lock held and watches the
 * same make instead of starting another. Cancelled, it stops the build on the build host.
 */
import { CancelledFailure, Context } from '@temporalio/activity';
import { parseOrThrow } from '../../shared/schemas';
import { runBuildRequestSchema, type RunBuildRequest } from '../../shared/build-schemas';
import type { BuildArtifacts, BuildProgress } from '../../shared/build-types';
import { shellQuote } from '../../shared/shell';
import type { HostSession } from '../host';
import type { WithHost } from '../session';
import { BuildFailedError, BuildHostNotReadyError } from './errors';
import { parseResult } from './result';
import { causeLines } from './failure-lines';
import { cancelCommand, failureLogCommand, launchCommand, statusCommand } from './script';

const POLL_MS = 5_000;
/** Starts that left the lock free without an exit code before this counts as "does not start". */
const MAX_SILENT_STARTS = 3;

export interface BuildStatus {
  busy: boolean;
  result?: string;
  exitCode?: number;
  cancelled: boolean;
  launches: number;
  compiled: number;
  packaging: boolean;
  startedAt?: number;
  now: number;
  lastLine: string;
}

export function parseStatus(out: string): BuildStatus {
  const field = (name: string) => new RegExp(`^${name} ?(.*)$`, 'm').exec(out)?.[1]?.trim();
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

function progressOf(key: string, st: BuildStatus): BuildProgress {
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
export async function failureMessage(b: HostSession, host: string, dir: string, st: BuildStatus): Promise<string> {
  const log = await b.exec(failureLogCommand(dir));
  const why = causeLines(log.stdout);
  return (
    `make bindeb-pkg failed on ${host} (exit ${st.exitCode}; log ${dir}/build.log):\n` +
    (why.length > 0 ? why.join('\n') : st.lastLine)
  );
}

/**
 * A key whose make failed before, and is not building now: without `rebuild` that failure is the
 * answer again (BuildFailedError, saying so and naming --rebuild: the same source, config and
 * toolchain fail the same way unless the build host changed); with it, the failure is set aside
 * (exit-code → exit-code.previous) so runBuild starts make again. A key that succeeded is never
 * rebuilt: its package is the answer.
 */
export async function settleEarlierFailure(b: HostSession, host: string, dir: string, rebuild: boolean): Promise<void> {
  const st = parseStatus(await b.run(statusCommand(dir)));
  if (st.busy || st.result || st.exitCode === undefined) return;
  if (rebuild) {
    const d = shellQuote(dir);
    await b.run(
      `cd ${d} && flock -n build.lock sh -c 'mv -f exit-code exit-code.previous && ` +
        `echo "kernel-rollout: rebuild requested (the last launch ended with $(cat exit-code.previous)), ` +
        `$(date -u "+%Y-%m-%d %H:%M:%S") UTC" >> build.log' || true`,
    );
    return;
  }
  const when = (await b.run(`date -u -r ${shellQuote(`${dir}/exit-code`)} '+%Y-%m-%d %H:%M UTC'`)).trim();
  throw new BuildFailedError(
    `this build failed before (${when}) and was not started again: nothing changed that would make it pass ` +
      `(rerun with --rebuild, e.g. after fixing the build host).\n${await failureMessage(b, host, dir, st)}`,
  );
}

export async function runBuild(withHost: WithHost, input: RunBuildRequest): Promise<BuildArtifacts> {
  const req = parseOrThrow(runBuildRequestSchema, input);
  const dir = `${req.buildRoot}/${req.key}`;
  const ctx = Context.current();
  let silentStarts = 0;
  let startedHere = false;
  for (;;) {
    const st = parseStatus(await withHost(req.buildHost, (b) => b.run(statusCommand(dir))));
    if (st.result) return parseResult(st.result, dir, req.key, req.release);
    if (st.exitCode !== undefined) {
      throw new BuildFailedError(await withHost(req.buildHost, (b) => failureMessage(b, req.buildHost.host, dir, st)));
    }
    if (!st.busy) {
      if (startedHere && ++silentStarts >= MAX_SILENT_STARTS) {
        throw new BuildHostNotReadyError(
          `the build in ${dir} does not start on ${req.buildHost.host}; see ${dir}/build.log`,
        );
      }
      await withHost(req.buildHost, (b) => b.run(launchCommand(dir)));
      startedHere = true;
    }
    ctx.heartbeat(progressOf(req.key, st));
    try {
      await ctx.sleep(POLL_MS);
    } catch (err) {
      if (err instanceof CancelledFailure) {
        await withHost(req.buildHost, (b) => b.run(cancelCommand(dir), { timeoutMs: 120_000 }));
      }
      throw err;
    }
  }
}
