/**
 * After the trial boot: confirm it (the revert timer stands down for this boot), commit it (the
 * new kernel becomes the default, only while it runs in the verified boot), or undo it (back to
 * the known-good default, evidence collected, the failed kernel optionally removed).
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { CleanupRequest, CleanupResult, CommitRequest, ConfirmRequest } from '../shared/types';
import { kernelReleaseSchema, parseOrThrow, trialBootRefSchema } from '../shared/schemas';
import { shellQuote } from '../shared/shell';
import { bootloaderFor } from './bootloader/bootloader';
import { STATE_DIR, readBootId, readRunningKernelAndBoot, sudo } from './host';
import { packageManagerFor } from './install/package-manager';
import type { WithHost } from './session';
import { collectTrialEvidence } from './trial/evidence';
import { confirmTrialBoot, revertTimerRemovalSteps } from './trial/revert-timer';

export async function confirmTrial(withHost: WithHost, req: ConfirmRequest): Promise<{ confirmed: boolean }> {
  return withHost(req.target, async (s) => {
    if ((await readBootId(s)) !== req.expectedBootId) return { confirmed: false };
    await confirmTrialBoot(s);
    return { confirmed: true };
  });
}

export async function commitKernel(withHost: WithHost, req: CommitRequest): Promise<{ savedEntry: string }> {
  const toRelease = parseOrThrow(kernelReleaseSchema, req.toRelease, 'toRelease');
  const bootloader = bootloaderFor(req.bootloader);
  return withHost(req.target, async (s) => {
    const { running, bootId } = await readRunningKernelAndBoot(s);
    if (running !== toRelease || bootId !== req.expectedBootId) {
      // Rule 1, enforced on the host too: never move the default to a kernel that is not
      // the one running in the boot that was verified.
      throw ApplicationFailure.nonRetryable(
        `${req.target.host}: refusing to commit ${toRelease}: host runs ${running} in boot ${bootId}, verified was ${req.expectedBootId}`,
        'UnsafeHostError',
      );
    }
    await bootloader.disarm(s, revertTimerRemovalSteps());
    const { entry } = await bootloader.pinDefault(s, toRelease, req.target.host);
    await s.run(`mkdir -p ${STATE_DIR} && echo ${shellQuote(toRelease)} > ${STATE_DIR}/known-good`, sudo);
    return { savedEntry: entry };
  });
}

export async function undoTrial(withHost: WithHost, req: CleanupRequest): Promise<CleanupResult> {
  const knownGood = parseOrThrow(kernelReleaseSchema, req.knownGoodRelease, 'knownGoodRelease');
  const failed = parseOrThrow(kernelReleaseSchema, req.failedRelease, 'failedRelease');
  const trialBoot =
    req.trialBoot === undefined ? undefined : parseOrThrow(trialBootRefSchema, req.trialBoot, 'trialBoot');
  const bootloader = bootloaderFor(req.bootloader);
  const packageManager = packageManagerFor(req.packageManager);
  return withHost(req.target, async (s) => {
    await bootloader.disarm(s, revertTimerRemovalSteps());
    const { entry } = await bootloader.pinDefault(s, knownGood, req.target.host);
    const running = (await s.run('uname -r')).trim();
    const evidence: string[] = [];
    const trial = await collectTrialEvidence(s, trialBoot, req.target.user);
    if (trial) evidence.push(trial);
    if (req.removeFailedKernel && running !== failed) evidence.push(await packageManager.remove(s, failed));
    return { savedEntry: entry, evidence: evidence.join('\n') };
  });
}
