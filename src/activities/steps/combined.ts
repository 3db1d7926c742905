/**
 * Two activities that each run several steps of the per-host upgrade in one task, in the order
 * the steps always ran: one activity task and one workflow round trip in place of three.
 *
 *  - prepareTrialBoot: pin the known-good kernel, install the new one, stage its trial boot.
 *  - commitVerifiedTrial (a run with no stability window): verify the trial boot, stop its revert
 *    timer, make the new kernel the default, the last two only when the verification passed.
 *
 * Each part is the single-step activity itself (its input checks, its host-state checks), so a
 * retry of the whole repeats parts that are idempotent one by one. A failure names the part that
 * failed (`install: …`, `details[0].part`) and keeps its error type, so the workflow's retry
 * policy and its reading of the failure are those of the single step. docs/safety.md argues why
 * each merge keeps the safety argument.
 */
import { ApplicationFailure, CancelledFailure } from '@temporalio/activity';
import type {
  CommitRequest,
  CommitResult,
  CommitVerifiedRequest,
  CommitVerifiedResult,
  ConfirmRequest,
  InstallRequest,
  InstallResult,
  PinRequest,
  PinResult,
  PrepareTrialRequest,
  PrepareTrialResult,
  StagePart,
  StageRequest,
  StageResult,
  VerifyRequest,
  VerifyResult,
} from '../../shared/types';

/** The single-step activities the combined ones are made of (the real ones, or a test's model). */
export interface SingleSteps {
  pinKnownGood(req: PinRequest): Promise<PinResult>;
  installKernel(req: InstallRequest): Promise<InstallResult>;
  stageTrialBoot(req: StageRequest): Promise<StageResult>;
  verifyKernel(req: VerifyRequest): Promise<VerifyResult>;
  confirmTrial(req: ConfirmRequest): Promise<{ confirmed: boolean }>;
  commitKernel(req: CommitRequest): Promise<CommitResult>;
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
    /** verifyKernel; only when it passed, confirmTrial and commitKernel, in one task. */
    commitVerifiedTrial: async (req: CommitVerifiedRequest): Promise<CommitVerifiedResult> => {
      const { target, expectedRelease, expectedBootId, healthChecks, bootloader } = req;
      const verdict = await part('verify', () =>
        steps.verifyKernel({ target, expectedRelease, expectedBootId, healthChecks }),
      );
      if (!verdict.ok) return { verdict, commit: null };
      await part('confirm', () => steps.confirmTrial({ target, toRelease: expectedRelease, expectedBootId }));
      const commit = await part('commit', () =>
        steps.commitKernel({ target, toRelease: expectedRelease, expectedBootId, bootloader }),
      );
      return { verdict, commit };
    },
  };
}

/** Runs one part; its failure keeps its type and retryability and names the part. */
async function part<T>(name: StagePart, run: () => Promise<T>): Promise<T> {
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
