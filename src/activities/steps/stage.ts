/**
 * Before the reboot: pin the known-good kernel as the bootloader's default (before anything is
 * installed), then stage the trial — the revert timer armed, and the new kernel booted once with
 * panic=N (by the bootloader's one-shot, or later by kexec with the bootloader left on the default).
 */
import type { PinRequest, PinResult, StageRequest, StageResult } from '../../shared/types';
import { kernelReleaseSchema, parseOrThrow } from '../../shared/schemas';
import { bootloaderFor, bootloaderOnHost } from '../bootloader/bootloader';
import { UnsafeHostError } from '../host';
import type { WithHost } from '../session';
import { trialKernelArgs } from '../trial/kernel-args';
import { armRevertTimerCommand, revertUnits } from '../trial/revert-timer';

export async function pinKnownGood(withHost: WithHost, req: PinRequest): Promise<PinResult> {
  const release = parseOrThrow(kernelReleaseSchema, req.knownGoodRelease, 'knownGoodRelease');
  const bootloader = bootloaderFor(req.bootloader);
  return withHost(req.target, async (s) => {
    // The running kernel, and the bootloader preflight found still there, in one round trip.
    const read = await bootloaderOnHost(s, bootloader, req.target.host, [['uname-r', 'uname -r']]);
    const running = (read['uname-r'] ?? '').trim();
    const pinned = await bootloader.pinDefault(s, release, req.target.host, read);
    if (running !== release) {
      // Only reachable on a retry after the host changed under us: the default was the
      // known-good before and still is; say so rather than guess.
      throw new UnsafeHostError(`${req.target.host}: now runs ${running}, expected ${release}; check the host`);
    }
    return {
      knownGoodEntry: pinned.entry,
      fixedGrubDefault: pinned.fixedConfiguration,
      ...(pinned.change ? { configurationChange: pinned.change } : {}),
      backupPath: pinned.backupPath,
    };
  });
}

export async function stageTrialBoot(withHost: WithHost, req: StageRequest): Promise<StageResult> {
  const knownGoodRelease = parseOrThrow(kernelReleaseSchema, req.knownGoodRelease, 'knownGoodRelease');
  const toRelease = parseOrThrow(kernelReleaseSchema, req.toRelease, 'toRelease');
  const bootloader = bootloaderFor(req.bootloader);
  const args = trialKernelArgs(req.panicSeconds, req.trialToken, req.trialKernelArgs);
  const units = revertUnits(req.trialToken, req.revertAfterSeconds, bootloader.clearOneShotCommand());
  return withHost(req.target, async (s) => {
    const host = req.target.host;
    // Round trip 1: the bootloader preflight found is still there, and its state. Round trip 2:
    // the revert timer, the one-shot (or, for kexec, none) and the state read back. Pinning again
    // adds one only when the default is not the known-good any more.
    const facts = await bootloaderOnHost(s, bootloader, host);
    const trial = await bootloader.prepareTrial(s, { host, knownGoodRelease, toRelease }, facts);
    const timer = [armRevertTimerCommand(units)];
    // kexec loads the trial itself; the bootloader keeps booting the default.
    const { entry: trialEntry, state } = req.useKexec
      ? { entry: null, state: await trial.clearOneShot(timer) }
      : await trial.stageOneShot(args, timer);
    if (state.defaultEntry !== trial.knownGoodEntry || state.oneShotEntry !== trialEntry) {
      throw new Error(`${host}: ${state.readBack}, expected ${trial.knownGoodEntry} / ${trialEntry ?? '(empty)'}`);
    }
    return { knownGoodEntry: trial.knownGoodEntry, trialEntry };
  });
}
