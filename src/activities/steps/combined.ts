/**
 * prepareTrialBoot: the pin of the known-good kernel, the install of the new one and the staging
 * of its trial boot in one activity task, in the order the steps always ran: one activity task and
 * one workflow round trip in place of three. (Its counterpart after the reboot, commitVerifiedTrial,
 * shares one read between its verification and its commit: ./commit.ts.)
 *
 * Each part is the single-step activity itself (its input checks, its host-state checks), so a
 * retry of the whole repeats parts that are idempotent one by one. A failure names the part that
 * failed (`install: …`, `details[0].part`) and keeps its error type, so the workflow's retry
 * policy and its reading of the failure are those of the single step. docs/safety.md argues why
 * each merge keeps the safety argument.
 */
import { ApplicationFailure, CancelledFailure } from '@temporalio/activity';
import type {
  InstallRequest,
  InstallResult,
  PinRequest,
  PinResult,
  PrepareTrialRequest,
  PrepareTrialResult,
  StagePart,
  StageRequest,
  StageResult,
} from '../../shared/types';

/** The single-step activities the combined ones are made of (the real ones, or a test's model). */
export interface SingleSteps {
  pinKnownGood(req: PinRequest): Promise<PinResult>;
  installKernel(req: InstallRequest): Promise<InstallResult>;
  stageTrialBoot(req: StageRequest): Promise<StageResult>;
}

export function combinedSteps(steps: SingleSteps) {
  return {
    /** pinKnownGood, installKernel, stageTrialBoot, in that order, in one task. */
    prepareTrialBoot: async (req: PrepareTrialRequest): Promise<PrepareTrialResult> => {
      // The request is the stage's, plus what the install needs.
      const { source, packageManager, ...stageRequest } = req;
      const { target, knownGoodRelease, toRelease, bootloader } = stageRequest;
      const pin = await part('pin', () => steps.pinKnownGood({ target, knownGoodRelease, bootloader }));
      const install = await part('install', () => steps.installKernel({ target, toRelease, source, packageManager }));
      const stage = await part('stage', () => steps.stageTrialBoot(stageRequest));
      return { pin, install, stage };
    },
  };
}

/** Runs one part; its failure keeps its type and retryability and names the part. */
export async function part<T>(name: StagePart, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw inPart(name, err);
  }
}

/** The failure of a part as the combined activity's: `<part>: <message>`, same type, `details[0].part`. */
export function inPart(name: StagePart, err: unknown): unknown {
  // A cancellation stays what it is: the SDK reports it as the activity's cancellation.
  if (err instanceof CancelledFailure || !(err instanceof Error)) return err;
  const application = err instanceof ApplicationFailure ? err : null;
  const inner: unknown = application?.details?.[0];
  return ApplicationFailure.create({
    message: `${name}: ${err.message}`,
    type: application ? (application.type ?? undefined) : err.name,
    nonRetryable: application?.nonRetryable ?? false,
    details: [{ part: name, ...(typeof inner === 'object' && inner !== null ? inner : {}) }],
    cause: err,
  });
}
