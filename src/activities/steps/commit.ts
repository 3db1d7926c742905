/**
 * After the trial boot: confirm it (the revert timer stands down for this boot), commit it (the
 * new kernel becomes the default, only while it runs in the verified boot), or undo it (back to
 * the known-good default, evidence collected, the failed kernel optionally removed).
 */
import { ApplicationFailure } from '@temporalio/activity';
import { z } from 'zod';
import type {
  CleanupRequest,
  CleanupResult,
  CommitRequest,
  CommitResult,
  CommitVerifiedRequest,
  CommitVerifiedResult,
  ConfirmRequest,
  HealthCheck,
} from '../../shared/types';
import {
  bootIdSchema,
  healthCheckSchema,
  kernelReleaseSchema,
  parseOrThrow,
  powerConfigSchema,
  trialBootRefSchema,
} from '../../shared/schemas';
import { andChain, shellQuote } from '../../shared/shell';
import {
  assertBootloaderOnHost,
  bootloaderFor,
  bootloaderOnHost,
  readWithBootloaderSections,
  type BootloaderDriver,
} from '../bootloader/bootloader';
import { STATE_DIR, type HostSession } from '../host';
import type { FactSection } from '../sections';
import { packageManagerFor } from '../install/package-manager';
import { createPowerDriver } from '../power/driver';
import type { WithHost } from '../session';
import { healthReadSections } from '../health/check';
import { collectTrialEvidence } from '../trial/evidence';
import { ownPanicSettings, restorePanicSettingsCommand } from '../trial/kernel-args';
import { confirmFlagCommand, confirmTrialBoot, revertTimerRemovalSteps } from '../trial/revert-timer';
import { part } from './combined';
import { takeReturnRead } from './return-read';
import { verdictOn } from './verify';

export async function confirmTrial(withHost: WithHost, req: ConfirmRequest): Promise<{ confirmed: boolean }> {
  const bootId = parseOrThrow(bootIdSchema, req.expectedBootId, 'expectedBootId');
  return withHost(req.target, async (s) => {
    return { confirmed: await confirmTrialBoot(s, bootId) };
  });
}

/** What commitKernel reads in its first round trip, with every bootloader's sections. */
const COMMIT_READ: readonly FactSection[] = [
  ['uname-r', 'uname -r'],
  ['boot-id', 'cat /proc/sys/kernel/random/boot_id'],
  ['cmdline', 'cat /proc/cmdline'],
];

export async function commitKernel(withHost: WithHost, req: CommitRequest): Promise<CommitResult> {
  const toRelease = parseOrThrow(kernelReleaseSchema, req.toRelease, 'toRelease');
  const bootId = parseOrThrow(bootIdSchema, req.expectedBootId, 'expectedBootId');
  const bootloader = bootloaderFor(req.bootloader);
  return withHost(req.target, async (s) => {
    // Round trip 1: the running kernel, the boot, its command line and the bootloader preflight
    // found still there.
    const read = await bootloaderOnHost(s, bootloader, req.target.host, COMMIT_READ);
    return commitOnHost(s, bootloader, req.target.host, { release: toRelease, bootId }, read);
  });
}

/**
 * What commitVerifiedTrial's verification reads, before every bootloader's sections: the commit's
 * read and the health checks' read sections, each run only when `guard` lets it (the trial boot).
 */
export function verificationRead(checks: readonly HealthCheck[], guard: (cmd: string) => string): FactSection[] {
  return [...COMMIT_READ, ...healthReadSections(checks, guard)];
}

/**
 * commitVerifiedTrial (a run with no stability window): verify the trial boot and, only when the
 * verification passed, commit it, in one session and one to three round trips. The verification
 * reads what the commit reads (the kernel, the boot, the command line, every bootloader's sections)
 * and the health checks that a read can pass (run only in the trial boot), or takes that read from
 * the poll that found this boot over the same connection (return-read.ts); then it runs the checks
 * the read did not pass; the commit decides from that read and its write is guarded on the host
 * (stillRunsCommand), as commitKernel's. A failure names its part (`verify: …`, `commit: …`).
 * `beforeCommit` runs between a passed verification and the commit's write; what it throws stops
 * the commit (./return-commit.ts: a cancellation).
 */
export async function commitVerifiedTrial(
  withHost: WithHost,
  req: CommitVerifiedRequest,
  beforeCommit?: () => Promise<void>,
): Promise<CommitVerifiedResult> {
  const expected = parseOrThrow(kernelReleaseSchema, req.expectedRelease, 'expectedRelease');
  const checks = parseOrThrow(z.array(healthCheckSchema), req.healthChecks, 'healthChecks');
  const bootloader = bootloaderFor(req.bootloader);
  const host = req.target.host;
  const trial = { release: expected, bootId: parseOrThrow(bootIdSchema, req.expectedBootId, 'expectedBootId') };
  // Checks a read can pass (systemctl is-system-running) run in it, only in the trial boot.
  const sections = verificationRead(checks, (cmd) => andChain([stillRunsCommand(trial.release, trial.bootId), cmd]));
  return withHost(req.target, async (s) => {
    // The poll that found this boot may have read it already, over this connection (return-read.ts).
    const read =
      takeReturnRead(s, trial, checks) ?? (await part('verify', () => readWithBootloaderSections(s, sections)));
    const found = { running: (read['uname-r'] ?? '').trim(), bootId: (read['boot-id'] ?? '').trim() };
    const verdict = await part('verify', () => verdictOn(s, found, trial, checks, read));
    if (!verdict.ok) return { verdict, commit: null };
    // The last word before the write (awaitReturnAndCommit: an abort the workflow sent).
    await beforeCommit?.();
    const commit = await part('commit', async () => {
      assertBootloaderOnHost(read, bootloader, host);
      return commitOnHost(s, bootloader, host, trial, read);
    });
    return { verdict, commit };
  });
}

/**
 * The commit from `read` (COMMIT_READ and the bootloader's sections, read in this session): refused
 * unless the host runs the verified kernel in the verified boot; then one round trip, decided on the
 * host: only while it still runs that kernel in that boot, the trial confirmed, disarmed (one-shot,
 * revert timer, trial entry) and the new kernel made the default (from the state in `read`), read
 * back; then the known-good record and the host's own panic settings.
 */
async function commitOnHost(
  s: HostSession,
  bootloader: BootloaderDriver,
  host: string,
  verified: { release: string; bootId: string },
  read: Readonly<Record<string, string>>,
): Promise<CommitResult> {
  const running = (read['uname-r'] ?? '').trim();
  const bootId = (read['boot-id'] ?? '').trim();
  if (running !== verified.release || bootId !== verified.bootId) {
    // Rule 1, enforced on the host too: never move the default to a kernel that is not
    // the one running in the boot that was verified.
    throw ApplicationFailure.nonRetryable(
      `${host}: refusing to commit ${verified.release}: host runs ${running} in boot ${bootId}, verified was ${verified.bootId}`,
      'UnsafeHostError',
    );
  }
  const own = ownPanicSettings(read['cmdline'] ?? '');
  const { entry, afterOutput } = await bootloader.commitDefault(s, verified.release, host, read, {
    before: [stillRunsCommand(verified.release, verified.bootId), confirmFlagCommand()],
    disarmAlongWith: revertTimerRemovalSteps(),
    after: [recordCommand(verified.release), ...(own === null ? [] : [restorePanicSettingsCommand(own)])],
  });
  return { savedEntry: entry, panicSettings: recordedAndRestored(afterOutput, own !== null) };
}

/** Shell: succeeds only while the host runs `release` in the boot `bootId` (the guard of a commit's write). */
export function stillRunsCommand(release: string, bootId: string): string {
  return (
    `[ "$(cat /proc/sys/kernel/random/boot_id)" = ${shellQuote(bootId)} ] && [ "$(uname -r)" = ${shellQuote(release)} ] ` +
    `|| { echo 'kernel-rollout: the host no longer runs the verified boot: nothing changed' >&2; false; }`
  );
}

const RECORDED = 'recorded-known-good';

/** Shell: `release` recorded as this host's known-good kernel; says so when it was. */
function recordCommand(release: string): string {
  return `if mkdir -p ${STATE_DIR} && echo ${shellQuote(release)} > ${STATE_DIR}/known-good; then echo ${RECORDED}; fi`;
}

/**
 * After the default moved: the known-good record, then the host's own panic settings (the
 * committed kernel keeps running in its trial boot, whose `panic=N oops=panic` would stay in
 * force until the next reboot). `output` is what the record and the restore printed, stdout and
 * stderr; its last line the settings now. The restore is best effort and reported: the commit
 * itself is done by now, and a host that refuses the write is no reason to undo it.
 */
export function recordedAndRestored(output: string, restored: boolean): string {
  const lines = output.trim().split('\n');
  if (!lines.includes(RECORDED)) {
    const why = lines.find((l) => l.trim() !== '') ?? '';
    throw new Error(`could not write ${STATE_DIR}/known-good: ${why}`);
  }
  if (!restored) return 'left as they are (this boot has no trial arguments)';
  const now = lines.at(-1) ?? '';
  const problem = lines.slice(0, -1).find((l) => l !== RECORDED && l.trim() !== '');
  return problem
    ? `${now} (not all restored: ${problem})`
    : `${now} (the host's own settings, in place of the trial's)`;
}

export async function undoTrial(withHost: WithHost, req: CleanupRequest): Promise<CleanupResult> {
  const knownGood = parseOrThrow(kernelReleaseSchema, req.knownGoodRelease, 'knownGoodRelease');
  const failed = parseOrThrow(kernelReleaseSchema, req.failedRelease, 'failedRelease');
  const trialBoot =
    req.trialBoot === undefined ? undefined : parseOrThrow(trialBootRefSchema, req.trialBoot, 'trialBoot');
  const bootloader = bootloaderFor(req.bootloader);
  const packageManager = packageManagerFor(req.packageManager);
  const readConsole = consoleReader(req);
  return withHost(req.target, async (s) => {
    const read = await bootloaderOnHost(s, bootloader, req.target.host, [['uname-r', 'uname -r']]);
    const running = (read['uname-r'] ?? '').trim();
    const { regenerated } = await bootloader.disarm(s, revertTimerRemovalSteps());
    const { entry } = await bootloader.pinDefault(s, knownGood, req.target.host, regenerated ? undefined : read);
    const evidence: string[] = [];
    const trial = await collectTrialEvidence(s, trialBoot, req.target.user, readConsole);
    if (trial) evidence.push(trial);
    if (req.removeFailedKernel && running !== failed) evidence.push(await packageManager.remove(s, failed));
    return { savedEntry: entry, evidence: evidence.join('\n') };
  });
}

/** Console lines a rollback's evidence shows at most. */
export const CONSOLE_EVIDENCE_LINES = 20;

/** Reads the end of the host's console through its power driver, when the driver has one. */
function consoleReader(req: CleanupRequest): (() => Promise<string[]>) | undefined {
  if (req.power === undefined) return undefined;
  const config = parseOrThrow(powerConfigSchema, req.power, 'power');
  let driver;
  try {
    driver = createPowerDriver(config);
  } catch {
    // A driver this worker cannot build (a credential variable it lacks) has no console to read
    // here; the undo itself must not fail for the evidence.
    return undefined;
  }
  const tail = driver.consoleTail?.bind(driver);
  return tail ? () => tail(req.target.host, CONSOLE_EVIDENCE_LINES) : undefined;
}
