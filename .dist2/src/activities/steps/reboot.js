"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.rebootHost = rebootHost;
exports.awaitHostReturn = awaitHostReturn;
/**
 * The reboot and the wait for the host: reboot (or kexec into the trial) at most once per boot,
 * then poll until the host answers with a new boot id.
 */
const activity_1 = require("@temporalio/activity");
const types_1 = require("../../shared/types");
const schemas_1 = require("../../shared/schemas");
const shell_1 = require("../../shared/shell");
const host_1 = require("../host");
const package_manager_1 = require("../install/package-manager");
const session_1 = require("../session");
const kernel_args_1 = require("../trial/kernel-args");
/** Reboots (or kexecs) once: only while the boot id is still the pre-reboot one. */
async function rebootHost(withHost, req) {
    // kexec loads the kernel's files where the package manager preflight used put them (refused
    // before connecting when the request names none).
    const kexecFiles = req.useKexec
        ? (0, package_manager_1.packageManagerFor)(req.packageManager).kernelImagePaths((0, schemas_1.parseOrThrow)(schemas_1.kernelReleaseSchema, req.toRelease, 'toRelease'))
        : null;
    return withHost(req.target, async (s) => {
        let prepare = '';
        let go = 'systemctl reboot || shutdown -r now || reboot -f';
        if (kexecFiles) {
            const { kernel, initrd } = kexecFiles;
            const current = await s.run('cat /proc/cmdline');
            const cmdline = (0, kernel_args_1.kexecCommandLine)(current, (0, kernel_args_1.trialKernelArgs)(req.panicSeconds, req.trialToken, req.trialKernelArgs));
            prepare = `kexec -l ${(0, shell_1.shellQuote)(kernel)} --initrd=${(0, shell_1.shellQuote)(initrd)} --append=${(0, shell_1.shellQuote)(cmdline)} && `;
            go = 'systemctl kexec || kexec -e';
        }
        // One round trip, decided on the host: reboot only while the boot id is the pre-reboot one and
        // no earlier attempt asked for it. The request is recorded in /run (gone after the reboot)
        // with the boot id, in the same command that schedules the reboot: a retry of this activity
        // sees it and does not reboot twice. The reboot runs detached, a tenth of a second later:
        // sshd has sent this command's exit status by then (it goes out when the shell exits, long
        // before systemd stops sshd). If it is lost anyway, the retry finds the marker or a new boot
        // id and does not reboot again.
        const expected = (0, shell_1.shellQuote)(req.expectedBootId);
        const script = [
            `if [ "$(cat /proc/sys/kernel/random/boot_id)" != ${expected} ]; then echo reboot-state:other-boot`,
            `elif [ "$(cat ${host_1.RUN_DIR}/reboot-requested 2>/dev/null)" = ${expected} ]; then echo reboot-state:already-requested`,
            `else mkdir -p ${host_1.RUN_DIR} && ${prepare}echo ${expected} > ${host_1.RUN_DIR}/reboot-requested && ` +
                `(setsid sh -c ${(0, shell_1.shellQuote)(`sleep 0.1; ${go}`)} </dev/null >/dev/null 2>&1 &) && echo reboot-state:issued`,
            'fi',
        ].join('\n');
        const state = /reboot-state:(\S+)/.exec(await s.run(script, { ...host_1.sudo, timeoutMs: 60_000 }))?.[1];
        if (state === 'other-boot') {
            // On a retry, the lost attempt is what rebooted it (its marker in /run went with the boot).
            const earlier = activity_1.Context.current().info.attempt > 1;
            return { issued: false, method: earlier ? 'rebooted-by-earlier-attempt' : 'already-rebooted' };
        }
        if (state === 'already-requested')
            return { issued: false, method: 'already-requested' };
        if (state !== 'issued')
            throw new Error(`${req.target.host}: the reboot command did not say what it did`);
        return { issued: true, method: req.useKexec ? 'kexec' : 'systemctl-reboot' };
        // The connection goes down with this boot: never kept for the next activity.
    }, { keep: false }).catch((err) => {
        // A retry that cannot reach the host: an earlier attempt may have rebooted it and lost its
        // answer (the connection cut as the host went down, the worker killed), and a trial kernel
        // that hangs never lets a retry in. Rebooting is then no longer this step's to do: the
        // await step waits for a new boot id and power-cycles the host if it does not come back.
        const type = err instanceof activity_1.ApplicationFailure ? err.type : undefined;
        const earlier = activity_1.Context.current().info.attempt > 1;
        if (earlier && type === 'ConnectFailedError') {
            return { issued: false, method: 'unreachable-after-earlier-attempt' };
        }
        // Any other failure of a retry (a host key that changed with the reboot, refused
        // credentials) says so, so that the run's reboot count owns up to the reboot it cannot rule out.
        if (earlier && err instanceof activity_1.ApplicationFailure) {
            const detail = { earlierAttemptRan: true };
            throw activity_1.ApplicationFailure.create({
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
const POLL_CONNECT = (target, deadlineEpochMs) => target.jumpHosts?.length
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
async function awaitHostReturn(deps, req, pool) {
    const target = (0, schemas_1.parseOrThrow)(schemas_1.sshTargetSchema, req.target, 'target');
    const ctx = activity_1.Context.current();
    // From the reboot the workflow asked for, not from this attempt: a retry on a restarted worker
    // would otherwise report only the time since it started polling.
    const downSince = req.downSinceEpochMs === undefined
        ? Date.now()
        : (0, schemas_1.parseOrThrow)(schemas_1.epochMsSchema, req.downSinceEpochMs, 'downSinceEpochMs');
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
                if (Date.now() >= req.deadlineEpochMs)
                    return { back: false, lastError };
                await ctx.sleep(Math.min(AWAY_PROBE_MS, Math.max(0, req.deadlineEpochMs - Date.now())));
                continue;
            }
            const found = await pollOnce(deps, target, req, pool);
            if (found.back) {
                return { ...found, secondsAway: Math.max(0, Math.round((Date.now() - downSince) / 1000)) };
            }
            lastError = found.lastError;
            ctx.heartbeat({ attempt, lastError });
            if (Date.now() >= req.deadlineEpochMs)
                return { back: false, lastError };
            await ctx.sleep(Math.min(delayMs, Math.max(0, req.deadlineEpochMs - Date.now())));
            delayMs = Math.min(delayMs * 2, req.pollCapSeconds * 1000);
        }
    }
    finally {
        clearInterval(beat);
    }
}
/** One session: the boot id and kernel, or why not. The session that found a new boot goes to the pool. */
async function pollOnce(deps, target, req, pool) {
    try {
        const s = await deps.connect(target, POLL_CONNECT(target, req.deadlineEpochMs));
        let keep = false;
        try {
            const out = await s.run('cat /proc/sys/kernel/random/boot_id; uname -r', { timeoutMs: 10_000 });
            const [bootId = '', kernel = ''] = out.trim().split('\n');
            if (bootId && bootId !== req.previousBootId) {
                keep = pool !== undefined;
                return { back: true, bootId, runningKernel: kernel.trim() };
            }
            return { back: false, lastError: 'still the old boot id (not gone down yet)' };
        }
        finally {
            if (keep)
                pool?.give(target, s);
            else
                s.close();
        }
    }
    catch (err) {
        const e = err;
        if (types_1.NON_RETRYABLE_ERRORS.includes(e.name))
            throw (0, session_1.asFailure)(err);
        return { back: false, lastError: e.message };
    }
}
//# sourceMappingURL=reboot.js.map