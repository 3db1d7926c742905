/**
 * After the trial boot: confirm it (the revert timer stands down for this boot), commit it (the
 * new kernel becomes the default, only while it runs in the verified boot), or undo it (back to
 * the known-good default, evidence collected, the failed kernel optionally removed).
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { CleanupRequest, CleanupResult, CommitRequest, CommitResult, ConfirmRequest } from '../../shared/types';
import { kernelReleaseSchema, parseOrThrow, powerConfigSchema, trialBootRefSchema } from '../../shared/schemas';
import { shellQuote } from '../../shared/shell';
import { bootloaderFor, bootloaderOnHost } from '../bootloader/bootloader';
import { STATE_DIR, sudo, type HostSession } from '../host';
import { packageManagerFor } from '../install/package-manager';
import { createPowerDriver } from '../power/driver';
import type { WithHost } from '../session';
import { collectTrialEvidence } from '../trial/evidence';
import { ownPanicSettings, restorePanicSettingsCommand } from '../trial/kernel-args';
import { confirmTrialBoot, revertTimerRemovalSteps } from '../trial/revert-timer';

export async function confirmTrial(withHost: WithHost, req: ConfirmRequest): Promise<{ confirmed: boolean }> {
  return withHost(req.target, async (s) => {
    return { confirmed: await confirmTrialBoot(s, req.expectedBootId) };
  });
}

export async function commitKernel(withHost: WithHost, req: CommitRequest): Promise<CommitResult> {
  const toRelease = parseOrThrow(kernelReleaseSchema, req.toRelease, 'toRelease');
  const bootloader = bootloaderFor(req.bootloader);
  return withHost(req.target, async (s) => {
    // Round trip 1: the running kernel, the boot, its command line and the bootloader preflight
    // found still there. Then disarm, pin (the state read in round trip 1 unless disarming
    // regenerated it) and, last, the known-good record and the host's own panic settings.
    const read = await bootloaderOnHost(s, bootloader, req.target.host, [
      ['uname-r', 'uname -r'],
      ['boot-id', 'cat /proc/sys/kernel/random/boot_id'],
      ['cmdline', 'cat /proc/cmdline'],
    ]);
    const running = (read['uname-r'] ?? '').trim();
    const bootId = (read['boot-id'] ?? '').trim();
    if (running !== toRelease || bootId !== req.expectedBootId) {
      // Rule 1, enforced on the host too: never move the default to a kernel that is not
      // the one running in the boot that was verified.
      throw ApplicationFailure.nonRetryable(
        `${req.target.host}: refusing to commit ${toRelease}: host runs ${running} in boot ${bootId}, verified was ${req.expectedBootId}`,
        'UnsafeHostError',
      );
    }
    const { regenerated } = await bootloader.disarm(s, revertTimerRemovalSteps());
    const { entry } = await bootloader.pinDefault(s, toRelease, req.target.host, regenerated ? undefined : read);
    const panicSettings = await recordAndRestore(s, toRelease, read['cmdline'] ?? '');
    return { savedEntry: entry, panicSettings };
  });
}

/**
 * After the default moved: the known-good record, then the host's own panic settings. The
 * committed kernel keeps running in its trial boot, whose `panic=N oops=panic` would stay in force
 * until the next reboot: put the host's own settings back. That part is best effort and reported:
 * the commit itself is done by now, and a host that refuses the write is no reason to undo it.
 */
async function recordAndRestore(s: HostSession, release: string, cmdline: string): Promise<string> {
  const record = `if mkdir -p ${STATE_DIR} && echo ${shellQuote(release)} > ${STATE_DIR}/known-good; then echo recorded-known-good; fi`;
  const own = ownPanicSettings(cmdline);
  const res = await s.exec(own === null ? record : `${record}; ${restorePanicSettingsCommand(own)}`, {
    ...sudo,
    timeoutMs: 30_000,
  });
  if (!res.stdout.split('\n').includes('recorded-known-good')) {
    throw new Error(`could not write ${STATE_DIR}/known-good: ${res.stderr.trim().split('\n')[0] ?? ''}`);
  }
  if (own === null) return 'left as they are (this boot has no trial arguments)';
  const now = res.stdout.trim().split('\n').pop() ?? '';
  const problem = res.stderr.trim().split('\n')[0] ?? '';
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
