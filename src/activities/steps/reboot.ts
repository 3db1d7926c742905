/**
 * The reboot and the wait for the host: reboot (or kexec into the trial) at most once per boot,
 * then poll until the host answers with a new boot id.
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import type {
  AwaitRequest,
  AwaitResult,
  HealthCheck,
  RebootFailureDetail,
  RebootRequest,
  RebootResult,
  SshTargetInput,
} from '../../shared/types';
import { NON_RETRYABLE_ERRORS } from '../../shared/types';
import { z } from 'zod';
import {
  bootIdSchema,
  epochMsSchema,
  healthCheckSchema,
  kernelReleaseSchema,
  parseOrThrow,
  sshTargetSchema,
} from '../../shared/schemas';
import { shellQuote } from '../../shared/shell';
import { RUN_DIR, sudo } from '../host';
import { packageManagerFor } from '../install/package-manager';
import { asFailure, type ActivityDeps, type WithHost } from '../session';
import type { SessionPool } from '../ssh/session-pool';
import { kexecCommandLine, trialKernelArgs } from '../trial/kernel-args';
import { bootloaderReadScript } from '../bootloader/bootloader';
import { splitLeadAndSections } from '../sections';
import { verificationRead } from './commit';
import { keepReturnRead } from './return-read';

/** Reboots (or kexecs) once: only while the boot id is still the pre-reboot one. */
export async function rebootHost(withHost: WithHost, req: RebootRequest): Promise<RebootResult> {
  // kexec loads the kernel's files where the package manager preflight used put them (refused
  // before connecting when the request names none).
  const kexecFiles = req.useKexec
    ? packageManagerFor(req.packageManager).kernelImagePaths(
        parseOrThrow(kernelReleaseSchema, req.toRelease, 'toRelease'),
      )
    : null;
  return withHost<RebootResult>(
    req.target,
    async (s) => {
      let prepare = '';
      let go = 'systemctl reboot || shutdown -r now || reboot -f';
      if (kexecFiles) {
        const { kernel, initrd } = kexecFiles;
        const current = await s.run('cat /proc/cmdline');
        const cmdline = kexecCommandLine(
          current,
          trialKernelArgs(req.panicSeconds, req.trialToken, req.trialKernelArgs),
        );
        prepare = `kexec -l ${shellQuote(kernel)} --initrd=${shellQuote(initrd)} --append=${shellQuote(cmdline)} && `;
        go = 'systemctl kexec || kexec -e';
      }
      // One round trip, decided on the host: reboot only while the boot id is the pre-reboot one and
      // no earlier attempt asked for it. The request is recorded in /run (gone after the reboot)
      // with the boot id, in the same command that schedules the reboot: a retry of this activity
      // sees it and does not reboot twice. The reboot runs detached, a tenth of a second later:
      // sshd has sent this command's exit status by then (it goes out when the shell exits, long
      // before systemd stops sshd). If it is lost anyway, the retry finds the marker or a new boot
      // id and does not reboot again.
      const expected = shellQuote(req.expectedBootId);
      const script = [
        `if [ "$(cat /proc/sys/kernel/random/boot_id)" != ${expected} ]; then echo reboot-state:other-boot`,
        `elif [ "$(cat ${RUN_DIR}/reboot-requested 2>/dev/null)" = ${expected} ]; then echo reboot-state:already-requested`,
        `else mkdir -p ${RUN_DIR} && ${prepare}echo ${expected} > ${RUN_DIR}/reboot-requested && ` +
          `(setsid sh -c ${shellQuote(`sleep 0.1; ${go}`)} </dev/null >/dev/null 2>&1 &) && echo reboot-state:issued`,
        'fi',
      ].join('\n');
      const state = /reboot-state:(\S+)/.exec(await s.run(script, { ...sudo, timeoutMs: 60_000 }))?.[1];
      if (state === 'other-boot') {
        // On a retry, the lost attempt is what rebooted it (its marker in /run went with the boot).
        const earlier = Context.current().info.attempt > 1;
        return { issued: false, method: earlier ? 'rebooted-by-earlier-attempt' : 'already-rebooted' };
      }
      if (state === 'already-requested') return { issued: false, method: 'already-requested' };
      if (state !== 'issued') throw new Error(`${req.target.host}: the reboot command did not say what it did`);
      return { issued: true, method: req.useKexec ? 'kexec' : 'systemctl-reboot' };
      // The connection goes down with this boot: never kept for the next activity.
    },
    { keep: false },
  ).catch((err: unknown): RebootResult => {
    // A retry that cannot reach the host: an earlier attempt may have rebooted it and lost its
    // answer (the connection cut as the host went down, the worker killed), and a trial kernel
    // that hangs never lets a retry in. Rebooting is then no longer this step's to do: the
    // await step waits for a new boot id and power-cycles the host if it does not come back.
    const type = err instanceof ApplicationFailure ? err.type : undefined;
    const earlier = Context.current().info.attempt > 1;
    if (earlier && type === 'ConnectFailedError') {
      return { issued: false, method: 'unreachable-after-earlier-attempt' };
    }
    // Any other failure of a retry (a host key that changed with the reboot, refused
    // credentials) says so, so that the run's reboot count owns up to the reboot it cannot rule out.
    if (earlier && err instanceof ApplicationFailure) {
      const detail: RebootFailureDetail = { earlierAttemptRan: true };
      throw ApplicationFailure.create({
        message: err.message,
        type: err.type ?? undefined,
        nonRetryable: err.nonRetryable ?? undefined,
        details: [detail],
        cause: err.cause,
      });
    }
    throw err;
  });
}

/**
 * How a poll connects. Directly: the banner within 4 s of the TCP connection (a port that accepts
 * and stays silent, as a hypervisor's port forward does while the guest boots, is given up early),
 * then up to 30 s for a handshake with an sshd that is still starting (cutting it at 5 s made a
 * slow host start over, and left it a half-started session to clean up each time). Through jump
 * hosts: 5 s for the whole chain, as before.
 */
const POLL_CONNECT = (target: { jumpHosts?: readonly unknown[] | undefined }, deadlineEpochMs: number) =>
  target.jumpHosts?.length
    ? { connectTimeoutMs: 5000 }
    : { connectTimeoutMs: Math.max(5000, Math.min(30_000, deadlineEpochMs - Date.now())), bannerTimeoutMs: 4000 };

/** How often the wait asks whether the host's SSH server answers while it is away (sshAnswers). */
const AWAY_PROBE_MS = 100;

/**
 * Polls the boot id until it changes and SSH answers, within the absolute deadline. While the
 * host is away (a direct target whose port refuses or closes) it asks every 100 ms whether its
 * SSH server answers, a TCP connection and no more, and opens a session (host key verified, boot
 * id read) when it does or when the port stays silent (a slow sshd or a waiting port forward:
 * only a session tells); while it still runs the old boot, the sessions back off up to
 * pollCapSeconds. The connection that found the new boot is left in `pool` for the step after.
 */
export async function awaitHostReturn(deps: ActivityDeps, req: AwaitRequest, pool?: SessionPool): Promise<AwaitResult> {
  const target = parseOrThrow(sshTargetSchema, req.target, 'target');
  const ctx = Context.current();
  // From the reboot the workflow asked for, not from this attempt: a retry on a restarted worker
  // would otherwise report only the time since it started polling.
  const downSince =
    req.downSinceEpochMs === undefined
      ? Date.now()
      : parseOrThrow(epochMsSchema, req.downSinceEpochMs, 'downSinceEpochMs');
  // With a verification to follow, the poll that finds the trial boot reads for it (return-read.ts);
  // its command then compares the previous boot id on the host, so that is checked first too.
  const verify =
    req.thenVerify === undefined
      ? undefined
      : {
          previousBootId: parseOrThrow(bootIdSchema, req.previousBootId, 'previousBootId'),
          release: parseOrThrow(kernelReleaseSchema, req.thenVerify.expectedRelease, 'thenVerify.expectedRelease'),
          checks: parseOrThrow(z.array(healthCheckSchema), req.thenVerify.healthChecks, 'thenVerify.healthChecks'),
        };
  // Through jump hosts only a session can tell: no probe.
  const probe = target.jumpHosts?.length ? undefined : deps.sshAnswers;
  let delayMs = 250;
  let attempt = 0;
  let lastError = 'not polled yet';
  // An attempt may take up to 30 s against a slow sshd: keep beating while it runs.
  const beat = setInterval(() => ctx.heartbeat({ attempt, lastError }), 1000);
  try {
    for (;;) {
      attempt += 1;
      const left = req.deadlineEpochMs - Date.now();
      const answer = probe
        ? await probe(target.address ?? target.host, target.port, Math.max(100, Math.min(1000, left)))
        : 'silent';
      if (answer === 'no') {
        lastError = `no SSH server answers on ${target.address ?? target.host}:${target.port} (host away)`;
        if (Date.now() >= req.deadlineEpochMs) return { back: false, lastError };
        await ctx.sleep(Math.min(AWAY_PROBE_MS, Math.max(0, req.deadlineEpochMs - Date.now())));
        continue;
      }
      const found = await pollOnce(deps, target, req, pool, verify);
      if (found.back) {
        return { ...found, secondsAway: Math.max(0, Math.round((Date.now() - downSince) / 1000)) };
      }
      lastError = found.lastError;
      ctx.heartbeat({ attempt, lastError });
      if (Date.now() >= req.deadlineEpochMs) return { back: false, lastError };
      await ctx.sleep(Math.min(delayMs, Math.max(0, req.deadlineEpochMs - Date.now())));
      delayMs = Math.min(delayMs * 2, req.pollCapSeconds * 1000);
    }
  } finally {
    clearInterval(beat);
  }
}

/** What the verification after the wait reads, and for which kernel (thenVerify, validated). */
interface VerifyAfter {
  readonly previousBootId: string;
  readonly release: string;
  readonly checks: readonly HealthCheck[];
}

/**
 * The poll's command: the boot id and the kernel; with `verify`, in a new boot running its kernel,
 * also the verification's read (as root), each of its health reads inside that test as they are
 * inside the verification's own guard.
 */
export function pollCommand(verify: VerifyAfter | undefined): string {
  if (verify === undefined) return 'cat /proc/sys/kernel/random/boot_id; uname -r';
  return [
    'kr_boot=$(cat /proc/sys/kernel/random/boot_id); echo "$kr_boot"; uname -r',
    `if [ "$kr_boot" != ${shellQuote(verify.previousBootId)} ] && [ "$(uname -r)" = ${shellQuote(verify.release)} ]; then`,
    bootloaderReadScript(verificationRead(verify.checks, (cmd) => cmd)),
    'fi',
  ].join('\n');
}

/** One session: the boot id and kernel, or why not. The session that found a new boot goes to the pool. */
async function pollOnce(
  deps: ActivityDeps,
  target: SshTargetInput,
  req: AwaitRequest,
  pool: SessionPool | undefined,
  verify: VerifyAfter | undefined,
): Promise<{ back: true; bootId: string; runningKernel: string } | { back: false; lastError: string }> {
  try {
    const s = await deps.connect(target, POLL_CONNECT(target, req.deadlineEpochMs));
    let keep = false;
    try {
      const out = await s.run(
        pollCommand(verify),
        verify === undefined ? { timeoutMs: 10_000 } : { ...sudo, timeoutMs: 60_000 },
      );
      const { lead, sections } = splitLeadAndSections(out);
      const [bootId = '', kernel = ''] = lead.trim().split('\n');
      if (bootId && bootId !== req.previousBootId) {
        keep = pool !== undefined;
        const runningKernel = kernel.trim();
        if (keep && verify !== undefined && runningKernel === verify.release && sections['boot-id'] === bootId) {
          keepReturnRead(s, { bootId, release: runningKernel, checks: verify.checks, read: sections });
        }
        return { back: true, bootId, runningKernel };
      }
      return { back: false, lastError: 'still the old boot id (not gone down yet)' };
    } finally {
      if (keep) pool?.give(target, s);
      else s.close();
    }
  } catch (err) {
    const e = err as Error;
    if ((NON_RETRYABLE_ERRORS as readonly string[]).includes(e.name)) throw asFailure(err);
    return { back: false, lastError: e.message };
  }
}
