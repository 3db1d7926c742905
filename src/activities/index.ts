/**
 * Activities: every side effect of a kernel upgrade, over SSH (ssh2 is imported here and below,
 * never by workflow code). Built by a factory so the worker passes real dependencies and tests
 * pass their own (Temporal's samples' shape).
 *
 * Each activity validates its input with the shared zod schemas (an activity can be started by
 * anything that can reach the task queue), checks the host's state before changing it, and
 * throws errors whose `type` says whether a retry can help (NON_RETRYABLE_ERRORS).
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import { sha256File } from '../node/sha256-file';
import { z } from 'zod';
import type {
  AwaitRequest,
  AwaitResult,
  CleanupRequest,
  CleanupResult,
  CommitRequest,
  HostFacts,
  InstallRequest,
  InstallResult,
  PinRequest,
  PinResult,
  PowerRequest,
  PowerResult,
  PreflightRequest,
  RebootRequest,
  RebootResult,
  SshHop,
  SshTargetInput,
  StageRequest,
  StageResult,
  VerifyRequest,
  VerifyResult,
} from '../shared/types';
import { NON_RETRYABLE_ERRORS } from '../shared/types';
import {
  installSourceSchema,
  kernelReleaseSchema,
  parseOrThrow,
  powerConfigSchema,
  sshTargetSchema,
  healthCheckSchema,
} from '../shared/schemas';
import { shellQuote } from '../shared/shell';
import {
  CONFIRM_FLAG,
  DEFAULT_GRUB_PATH,
  GRUBENV_PATH,
  GRUB_CFG_PATH,
  REVERT_SERVICE_UNIT,
  REVERT_TIMER_UNIT,
  TRIAL_ENTRY_ID,
  TRIAL_SCRIPT_PATH,
  DEFAULT_GRUB_BACKUP_PATH,
  clearOneShotCommand,
  entryForRelease,
  fixDefaultGrubCommand,
  parseDefaultGrub,
  parseGrubCfg,
  parseGrubenv,
  revertUnits,
  setOneShotCommand,
  setSavedDefaultCommand,
  trialEntryScript,
  trialKernelArgs,
} from './bootloader/grub-debian';
import { assessFacts, factsScript, parseFacts, sectionCommand, splitSections } from './host-facts';
import { runHealthChecks } from './health';
import { createPowerDriver } from './power/driver';
import { SshSession, type ExecResult, type SshJumpHost } from './ssh';

/** What activities need from an SSH connection; SshSession provides it. */
export interface HostSession {
  exec(command: string, opts?: { timeoutMs?: number; sudo?: boolean; stdin?: string | Buffer }): Promise<ExecResult>;
  run(command: string, opts?: { timeoutMs?: number; sudo?: boolean; stdin?: string | Buffer }): Promise<string>;
  upload(
    localPath: string,
    remotePath: string,
    opts?: { expectedSha256?: string; mode?: number; sudo?: boolean },
  ): Promise<{ sha256: string; bytes: number }>;
  close(): void;
}

export interface ActivityDeps {
  connect(target: SshTargetInput, opts?: { connectTimeoutMs?: number }): Promise<HostSession>;
}

export const realDeps: ActivityDeps = {
  connect: (t, opts) =>
    SshSession.connect({
      host: t.address ?? t.host,
      port: t.port,
      user: t.user,
      privateKeyPath: t.privateKeyPath,
      agentSocket: t.agentSocket,
      knownHostsPath: t.knownHostsPath,
      hostKeySha256: t.hostKeySha256,
      trustOnFirstUse: t.trustOnFirstUse,
      jumpHosts: t.jumpHosts?.map((hop) => jumpHostOf(hop, t)),
      connectTimeoutMs: opts?.connectTimeoutMs,
    }),
};

/**
 * A bastion of the input as the transport's jump host. Like OpenSSH, where one configuration
 * serves every hop, a bastion without its own credentials uses the target's, and one without
 * its own known_hosts file the target's; its key is still checked for its own name and port.
 * Pins and trust-on-first-use are never inherited.
 */
function jumpHostOf(hop: SshHop, t: SshTargetInput): SshJumpHost {
  const ownCredentials = hop.privateKeyPath !== undefined || hop.agentSocket !== undefined;
  return {
    host: hop.address ?? hop.host,
    port: hop.port,
    user: hop.user,
    privateKeyPath: ownCredentials ? hop.privateKeyPath : t.privateKeyPath,
    agentSocket: ownCredentials ? hop.agentSocket : t.agentSocket,
    knownHostsPath: hop.knownHostsPath ?? t.knownHostsPath,
    hostKeySha256: hop.hostKeySha256,
    trustOnFirstUse: hop.trustOnFirstUse,
  };
}

const STATE_DIR = '/var/lib/kernel-rollout';
const RUN_DIR = '/run/kernel-rollout';
/** Tries of the power driver within one powerCycle activity, and the pause before the next (× try). */
const POWER_TRIES = 3;
const POWER_RETRY_MS = 5000;
const UPLOAD_DIR = '/var/cache/kernel-rollout';

/** Turns thrown errors into ApplicationFailures whose type and retryability are explicit. */
function asFailure(err: unknown): Error {
  if (err instanceof ApplicationFailure) return err;
  const e = err instanceof Error ? err : new Error(String(err));
  const type = e.name && e.name !== 'Error' ? e.name : 'HostCommandError';
  const nonRetryable = (NON_RETRYABLE_ERRORS as readonly string[]).includes(type);
  return ApplicationFailure.create({ message: e.message, type, nonRetryable, cause: e });
}

class UnsafeHostError extends Error {
  override name = 'UnsafeHostError';
}

const sudo = { sudo: true } as const;

export function createActivities(deps: ActivityDeps = realDeps) {
  async function withHost<T>(targetInput: SshTargetInput, fn: (s: HostSession) => Promise<T>): Promise<T> {
    const target = parseOrThrow(sshTargetSchema, targetInput, 'target');
    let session: HostSession | undefined;
    try {
      session = await deps.connect(target);
      return await fn(session);
    } catch (err) {
      throw asFailure(err);
    } finally {
      session?.close();
    }
  }

  async function readFacts(s: HostSession, host: string) {
    const out = await s.exec(factsScript(), { ...sudo, timeoutMs: 60_000 });
    const sections = splitSections(out.stdout);
    return { facts: parseFacts(host, sections), grubCfg: sections['grub-cfg'] ?? '' };
  }

  async function readBootId(s: HostSession): Promise<string> {
    return (await s.run('cat /proc/sys/kernel/random/boot_id')).trim();
  }

  async function readGrubState(s: HostSession) {
    const sections = splitSections(
      await s.run(
        [
          sectionCommand('defaults', `cat ${DEFAULT_GRUB_PATH}`),
          sectionCommand('env', `grub-editenv ${GRUBENV_PATH} list`),
          sectionCommand('cfg', `cat ${GRUB_CFG_PATH}`),
        ].join('\n'),
        sudo,
      ),
    );
    return {
      defaults: parseDefaultGrub(sections['defaults'] ?? ''),
      env: parseGrubenv(sections['env'] ?? ''),
      entries: parseGrubCfg(sections['cfg'] ?? ''),
    };
  }

  /** Make `release` GRUB's saved default; it must be running now or pinned before. Read back. */
  async function pinDefault(s: HostSession, release: string, host: string) {
    let state = await readGrubState(s);
    let fixed = false;
    if (state.defaults['GRUB_DEFAULT'] !== 'saved' || state.defaults['GRUB_SAVEDEFAULT'] === 'true') {
      await s.run(fixDefaultGrubCommand(), sudo);
      await s.run('update-grub', { ...sudo, timeoutMs: 300_000 });
      fixed = true;
      state = await readGrubState(s);
    }
    let entry = entryForRelease(state.entries, release);
    if (!entry) {
      await s.run('update-grub', { ...sudo, timeoutMs: 300_000 });
      state = await readGrubState(s);
      entry = entryForRelease(state.entries, release);
    }
    if (!entry) throw new UnsafeHostError(`${host}: no GRUB entry boots ${release}; run update-grub and check /boot`);
    if (state.env['saved_entry'] !== entry.id) {
      await s.run(setSavedDefaultCommand(entry.id), sudo);
      const env = parseGrubenv(await s.run(`grub-editenv ${GRUBENV_PATH} list`, sudo));
      if (env['saved_entry'] !== entry.id) {
        throw new Error(`${host}: saved_entry reads back as ${env['saved_entry'] ?? '(unset)'}, expected ${entry.id}`);
      }
    }
    return { entry, fixed, state };
  }

  async function disarmTrial(s: HostSession): Promise<boolean> {
    // Each step is safe to repeat; update-grub only runs when the trial entry was there.
    const out = await s.run(
      [
        clearOneShotCommand(),
        `systemctl disable --now ${REVERT_TIMER_UNIT} >/dev/null 2>&1 || true`,
        `rm -f /etc/systemd/system/${REVERT_TIMER_UNIT} /etc/systemd/system/${REVERT_SERVICE_UNIT}`,
        'systemctl daemon-reload || true',
        `if [ -e ${TRIAL_SCRIPT_PATH} ]; then rm -f ${TRIAL_SCRIPT_PATH} && echo removed-trial-entry; fi`,
      ].join('; '),
      sudo,
    );
    const removed = out.includes('removed-trial-entry');
    if (removed) await s.run('update-grub', { ...sudo, timeoutMs: 300_000 });
    return removed;
  }

  return {
    /** Read-only: facts, refusals, fixes. */
    async preflight(req: PreflightRequest): Promise<HostFacts> {
      const toRelease = parseOrThrow(kernelReleaseSchema, req.toRelease, 'toRelease');
      const source = parseOrThrow(installSourceSchema, req.source, 'source');
      return withHost(req.target, async (s) => {
        const { facts, grubCfg } = await readFacts(s, req.target.host);
        return assessFacts(facts, { toRelease, source, useKexec: req.useKexec }, grubCfg);
      });
    },

    /** GRUB_DEFAULT=saved and saved_entry := the running (known-good) kernel, before installing. */
    async pinKnownGood(req: PinRequest): Promise<PinResult> {
      const release = parseOrThrow(kernelReleaseSchema, req.knownGoodRelease, 'knownGoodRelease');
      return withHost(req.target, async (s) => {
        const running = (await s.run('uname -r')).trim();
        const { entry, fixed } = await pinDefault(s, release, req.target.host);
        if (running !== release) {
          // Only reachable on a retry after the host changed under us: the default was the
          // known-good before and still is; say so rather than guess.
          throw new UnsafeHostError(`${req.target.host}: now runs ${running}, expected ${release}; check the host`);
        }
        return {
          knownGoodEntry: entry.id,
          fixedGrubDefault: fixed,
          backupPath: fixed ? DEFAULT_GRUB_BACKUP_PATH : null,
        };
      });
    },

    /** apt package or uploaded .deb; skipped when installed with the same checksum. */
    async installKernel(req: InstallRequest): Promise<InstallResult> {
      const toRelease = parseOrThrow(kernelReleaseSchema, req.toRelease, 'toRelease');
      const source = parseOrThrow(installSourceSchema, req.source, 'source');
      const started = Date.now();
      return withHost(req.target, async (s) => {
        const marker = `${STATE_DIR}/installed-${toRelease}.sha256`;
        const pkg = source.kind === 'apt' ? (source.packageName.split('=')[0] ?? '') : `linux-image-${toRelease}`;
        const probe = await s.exec(
          `dpkg-query -W -f='\${Status}' ${shellQuote(`linux-image-${toRelease}`)} 2>/dev/null; echo; ` +
            `test -e /boot/vmlinuz-${toRelease} && test -e /boot/initrd.img-${toRelease} && echo files-ok; cat ${marker} 2>/dev/null`,
          sudo,
        );
        const [status = '', ...rest] = probe.stdout.split('\n');
        const installedOk = status.trim() === 'install ok installed' && rest.includes('files-ok');
        const recordedSha = rest.find((l) => /^[0-9a-f]{64}$/.test(l.trim()))?.trim();
        if (installedOk && (source.kind === 'apt' || recordedSha === source.sha256)) {
          return { alreadyInstalled: true, packageName: pkg, seconds: 0 };
        }
        let installCmd: string;
        if (source.kind === 'apt') {
          installCmd =
            `export DEBIAN_FRONTEND=noninteractive; ` +
            `apt-cache policy ${shellQuote(source.packageName.split('=')[0] ?? '')} | grep -q 'Candidate: [0-9]' || apt-get update -q; ` +
            `dpkg --configure -a; apt-get -o DPkg::Lock::Timeout=600 -q install -y --no-install-recommends ${shellQuote(source.packageName)}`;
        } else {
          const localSha = await sha256File(source.localPath);
          if (localSha !== source.sha256) {
            throw ApplicationFailure.nonRetryable(
              `${source.localPath} has sha256 ${localSha}, expected ${source.sha256}; refusing to upload it`,
              'UploadChecksumError',
            );
          }
          const remote = `${UPLOAD_DIR}/${source.localPath.split('/').pop() ?? 'kernel.deb'}`;
          await s.run(`mkdir -p ${UPLOAD_DIR} ${STATE_DIR}`, sudo);
          await s.upload(source.localPath, remote, { expectedSha256: source.sha256, sudo: true });
          installCmd = `export DEBIAN_FRONTEND=noninteractive; dpkg --configure -a; dpkg -i ${shellQuote(remote)}`;
        }
        const result = await s.exec(installCmd, { ...sudo, timeoutMs: 80 * 60_000 });
        if (result.code !== 0) {
          throw new Error(
            `${req.target.host}: install of ${pkg} failed (exit ${result.code}): ${result.stderr.slice(-1500)}`,
          );
        }
        const check = await s.exec(`test -e /boot/vmlinuz-${toRelease} && test -e /boot/initrd.img-${toRelease}`, sudo);
        if (check.code !== 0) {
          throw ApplicationFailure.nonRetryable(
            `${req.target.host}: ${pkg} installed, but /boot/vmlinuz-${toRelease} or its initrd is missing; does the package provide kernel ${toRelease}?`,
            'InvalidInputError',
          );
        }
        const sha = source.kind === 'deb' ? source.sha256 : 'apt';
        await s.run(`mkdir -p ${STATE_DIR} && echo ${shellQuote(sha)} > ${marker}`, sudo);
        return { alreadyInstalled: false, packageName: pkg, seconds: Math.round((Date.now() - started) / 1000) };
      });
    },

    /** Known-good stays the default; the trial boots once with panic=N; revert timer armed. */
    async stageTrialBoot(req: StageRequest): Promise<StageResult> {
      const knownGood = parseOrThrow(kernelReleaseSchema, req.knownGoodRelease, 'knownGoodRelease');
      const toRelease = parseOrThrow(kernelReleaseSchema, req.toRelease, 'toRelease');
      const args = trialKernelArgs(req.panicSeconds, req.trialToken, req.trialKernelArgs);
      const units = revertUnits(req.trialToken, req.revertAfterSeconds);
      return withHost(req.target, async (s) => {
        const { entry: knownGoodEntry, state } = await pinDefault(s, knownGood, req.target.host);
        const target = entryForRelease(state.entries, toRelease);
        if (!target)
          throw new UnsafeHostError(`${req.target.host}: no GRUB entry boots ${toRelease}; is it installed?`);
        await s.run(`cat > /etc/systemd/system/${REVERT_TIMER_UNIT}`, { ...sudo, stdin: units.timer });
        await s.run(`cat > /etc/systemd/system/${REVERT_SERVICE_UNIT}`, { ...sudo, stdin: units.service });
        await s.run(`systemctl daemon-reload && systemctl enable ${REVERT_TIMER_UNIT}`, sudo);
        let trialEntry: string | null = null;
        if (!req.useKexec) {
          await s.run(`cat > ${TRIAL_SCRIPT_PATH} && chmod 755 ${TRIAL_SCRIPT_PATH}`, {
            ...sudo,
            stdin: trialEntryScript(target, toRelease, args),
          });
          await s.run('update-grub', { ...sudo, timeoutMs: 300_000 });
          const after = await readGrubState(s);
          if (!after.entries.some((e) => e.id === TRIAL_ENTRY_ID)) {
            throw new Error(`${req.target.host}: update-grub did not emit the trial entry ${TRIAL_ENTRY_ID}`);
          }
          await s.run(setOneShotCommand(TRIAL_ENTRY_ID), sudo);
          trialEntry = TRIAL_ENTRY_ID;
        } else {
          // kexec loads the trial itself; GRUB keeps booting the saved default.
          await s.run(clearOneShotCommand(), sudo);
        }
        const env = parseGrubenv(await s.run(`grub-editenv ${GRUBENV_PATH} list`, sudo));
        if (env['saved_entry'] !== knownGoodEntry.id || (env['next_entry'] || null) !== trialEntry) {
          throw new Error(
            `${req.target.host}: grubenv reads back saved_entry=${env['saved_entry'] ?? ''} next_entry=${env['next_entry'] ?? ''}, expected ${knownGoodEntry.id} / ${trialEntry ?? '(empty)'}`,
          );
        }
        return { knownGoodEntry: knownGoodEntry.id, trialEntry };
      });
    },

    /** Reboots (or kexecs) once: only while the boot id is still the pre-reboot one. */
    async rebootHost(req: RebootRequest): Promise<RebootResult> {
      return withHost<RebootResult>(req.target, async (s) => {
        const bootId = await readBootId(s);
        if (bootId !== req.expectedBootId) {
          // On a retry, the lost attempt is what rebooted it (its marker in /run went with the boot).
          const earlier = Context.current().info.attempt > 1;
          return { issued: false, method: earlier ? 'rebooted-by-earlier-attempt' : 'already-rebooted' };
        }
        const requested = (await s.exec(`cat ${RUN_DIR}/reboot-requested 2>/dev/null`)).stdout.trim();
        if (requested === req.expectedBootId) return { issued: false, method: 'already-requested' };
        let prepare = '';
        let go = 'systemctl reboot || shutdown -r now || reboot -f';
        if (req.useKexec) {
          const release = parseOrThrow(kernelReleaseSchema, req.toRelease, 'toRelease');
          const current = (await s.run('cat /proc/cmdline')).trim();
          const kept = current
            .split(/\s+/)
            .filter((a) => a && !/^(BOOT_IMAGE|panic|oops|kernel_rollout\.trial)=/.test(a));
          const cmdline = [...kept, ...trialKernelArgs(req.panicSeconds, req.trialToken, req.trialKernelArgs)].join(
            ' ',
          );
          prepare = `kexec -l /boot/vmlinuz-${release} --initrd=/boot/initrd.img-${release} --append=${shellQuote(cmdline)} && `;
          go = 'systemctl kexec || kexec -e';
        }
        // Recorded in /run (gone after the reboot) with the boot id, in the same command that
        // schedules the reboot: a retry of this activity sees it and does not reboot twice.
        // The reboot runs detached, a fifth of a second later: sshd has sent this command's exit
        // status by then (it goes out when the shell exits, long before systemd stops sshd). If it
        // is lost anyway, the retry finds the marker or a new boot id and does not reboot again.
        const cmd =
          `mkdir -p ${RUN_DIR} && ${prepare}echo ${shellQuote(req.expectedBootId)} > ${RUN_DIR}/reboot-requested && ` +
          `(setsid sh -c ${shellQuote(`sleep 0.2; ${go}`)} </dev/null >/dev/null 2>&1 &)`;
        await s.run(cmd, { ...sudo, timeoutMs: 60_000 });
        return { issued: true, method: req.useKexec ? 'kexec' : 'systemctl-reboot' };
      }).catch((err: unknown): RebootResult => {
        // A retry that cannot reach the host: an earlier attempt may have rebooted it and lost its
        // answer (the connection cut as the host went down, the worker killed), and a trial kernel
        // that hangs never lets a retry in. Rebooting is then no longer this step's to do: the
        // await step waits for a new boot id and power-cycles the host if it does not come back.
        const type = err instanceof ApplicationFailure ? err.type : undefined;
        if (Context.current().info.attempt > 1 && type === 'ConnectFailedError') {
          return { issued: false, method: 'unreachable-after-earlier-attempt' };
        }
        throw err;
      });
    },

    /** Polls the boot id until it changes and SSH answers, within the absolute deadline. */
    async awaitHostReturn(req: AwaitRequest): Promise<AwaitResult> {
      const target = parseOrThrow(sshTargetSchema, req.target, 'target');
      const ctx = Context.current();
      const started = Date.now();
      let delayMs = 250;
      let attempt = 0;
      let lastError = 'not polled yet';
      for (;;) {
        attempt += 1;
        try {
          const s = await deps.connect(target, { connectTimeoutMs: 5000 });
          try {
            const out = await s.run('cat /proc/sys/kernel/random/boot_id; uname -r', { timeoutMs: 10_000 });
            const [bootId = '', kernel = ''] = out.trim().split('\n');
            if (bootId && bootId !== req.previousBootId) {
              return {
                back: true,
                bootId,
                runningKernel: kernel.trim(),
                secondsAway: Math.round((Date.now() - started) / 1000),
              };
            }
            lastError = 'still the old boot id (not gone down yet)';
          } finally {
            s.close();
          }
        } catch (err) {
          const e = err as Error;
          if ((NON_RETRYABLE_ERRORS as readonly string[]).includes(e.name)) throw asFailure(err);
          lastError = e.message;
        }
        ctx.heartbeat({ attempt, lastError });
        if (Date.now() >= req.deadlineEpochMs) return { back: false, lastError };
        await ctx.sleep(Math.min(delayMs, Math.max(0, req.deadlineEpochMs - Date.now())));
        delayMs = Math.min(delayMs * 2, req.pollCapSeconds * 1000);
      }
    },

    /** Read-only: uname -r, boot id, health checks. */
    async verifyKernel(req: VerifyRequest): Promise<VerifyResult> {
      const expected = parseOrThrow(kernelReleaseSchema, req.expectedRelease, 'expectedRelease');
      const checks = parseOrThrow(z.array(healthCheckSchema), req.healthChecks, 'healthChecks');
      return withHost(req.target, async (s) => {
        const out = await s.run('uname -r; cat /proc/sys/kernel/random/boot_id');
        const [runningKernel = '', bootId = ''] = out
          .trim()
          .split('\n')
          .map((l) => l.trim());
        const failures: string[] = [];
        if (runningKernel !== expected) failures.push(`uname -r is ${runningKernel}, expected ${expected}`);
        if (bootId !== req.expectedBootId) failures.push(`boot id is ${bootId}, expected ${req.expectedBootId}`);
        if (failures.length === 0) failures.push(...(await runHealthChecks(s, checks)));
        return { ok: failures.length === 0, runningKernel, bootId, failures };
      });
    },

    /** Stops the revert timer for this boot (the confirmation lives in /run: per boot). */
    async confirmTrial(req: CommitRequest): Promise<{ confirmed: boolean }> {
      return withHost(req.target, async (s) => {
        if ((await readBootId(s)) !== req.expectedBootId) return { confirmed: false };
        await s.run(
          `mkdir -p ${RUN_DIR} && touch ${CONFIRM_FLAG} && (systemctl stop ${REVERT_TIMER_UNIT} || true)`,
          sudo,
        );
        return { confirmed: true };
      });
    },

    /** saved default := the new kernel, only while it runs in the verified boot. Read back. */
    async commitKernel(req: CommitRequest): Promise<{ savedEntry: string }> {
      const toRelease = parseOrThrow(kernelReleaseSchema, req.toRelease, 'toRelease');
      return withHost(req.target, async (s) => {
        const out = await s.run('uname -r; cat /proc/sys/kernel/random/boot_id');
        const [running = '', bootId = ''] = out
          .trim()
          .split('\n')
          .map((l) => l.trim());
        if (running !== toRelease || bootId !== req.expectedBootId) {
          // Rule 1, enforced on the host too: never move the default to a kernel that is not
          // the one running in the boot that was verified.
          throw ApplicationFailure.nonRetryable(
            `${req.target.host}: refusing to commit ${toRelease}: host runs ${running} in boot ${bootId}, verified was ${req.expectedBootId}`,
            'UnsafeHostError',
          );
        }
        await disarmTrial(s);
        const { entry } = await pinDefault(s, toRelease, req.target.host);
        await s.run(`mkdir -p ${STATE_DIR} && echo ${shellQuote(toRelease)} > ${STATE_DIR}/known-good`, sudo);
        return { savedEntry: entry.id };
      });
    },

    /** Back on (or going back to) the known-good kernel: clear the trial, keep the default. */
    async undoTrial(req: CleanupRequest): Promise<CleanupResult> {
      const knownGood = parseOrThrow(kernelReleaseSchema, req.knownGoodRelease, 'knownGoodRelease');
      const failed = parseOrThrow(kernelReleaseSchema, req.failedRelease, 'failedRelease');
      return withHost(req.target, async (s) => {
        await disarmTrial(s);
        const { entry } = await pinDefault(s, knownGood, req.target.host);
        const running = (await s.run('uname -r')).trim();
        const evidence: string[] = [];
        const journal = await s.exec(
          'journalctl --list-boots --no-pager 2>/dev/null | tail -n 3; journalctl -b -1 -p warning -n 20 --no-pager 2>/dev/null; ls /sys/fs/pstore 2>/dev/null',
          { ...sudo, timeoutMs: 30_000 },
        );
        if (journal.stdout.trim()) evidence.push(journal.stdout.trim().slice(-3000));
        if (req.removeFailedKernel && running !== failed) {
          const rm = await s.exec(
            `DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 remove -y ${shellQuote(`linux-image-${failed}`)}`,
            { ...sudo, timeoutMs: 20 * 60_000 },
          );
          evidence.push(
            rm.code === 0
              ? `removed linux-image-${failed}`
              : `could not remove linux-image-${failed}: ${rm.stderr.slice(-300)}`,
          );
        }
        return { savedEntry: entry.id, evidence: evidence.join('\n') };
      });
    },

    /**
     * At most one reset per activity: a power cycle cannot be read back (the host is hung either
     * way), so Temporal must not retry it blindly — a retry after a lost worker would reset a host
     * already booting its known-good kernel. The driver is retried here instead, where a failure
     * is known to be a failure; then the activity fails for good (an operator decides).
     */
    async powerCycle(req: PowerRequest): Promise<PowerResult> {
      const config = parseOrThrow(powerConfigSchema, req.power, 'power');
      const ctx = Context.current();
      if (ctx.info.attempt > 1) {
        // Only a lost attempt (worker gone, timed out) is retried: it may have reset the host.
        return {
          performed: true,
          message: `${req.host}: an earlier attempt of this power cycle ended without reporting back and may have reset the host; not resetting it twice`,
        };
      }
      const final = (err: unknown) => {
        const e = asFailure(err) as ApplicationFailure;
        return ApplicationFailure.create({
          message: e.message,
          type: e.type ?? undefined,
          nonRetryable: true,
          cause: e,
        });
      };
      let driver;
      try {
        driver = createPowerDriver(config);
      } catch (err) {
        throw final(err);
      }
      for (let tries = 1; ; tries++) {
        try {
          return await driver.powerCycle(req.host);
        } catch (err) {
          if (tries >= POWER_TRIES) throw final(err);
          await ctx.sleep(POWER_RETRY_MS * tries);
        }
      }
    },
  };
}

export type KernelRolloutActivities = ReturnType<typeof createActivities>;
