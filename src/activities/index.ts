/**
 * Activities: every side effect of a kernel upgrade, over SSH (ssh2 is imported here and below,
 * never by workflow code). Built by a factory so the worker passes real dependencies and tests
 * pass their own (Temporal's samples' shape).
 *
 * Each activity validates its input with the shared zod schemas (an activity can be started by
 * anything that can reach the task queue), picks its drivers — the bootloader (bootloader/), the
 * installer and its package manager (install/) — checks the host's state before changing it, and
 * throws errors whose `type` says whether a retry can help (NON_RETRYABLE_ERRORS).
 *
 * steps/ holds one module per upgrade step (the activities below); ssh/ the transport and the
 * session pool; trial/ what a trial boot needs whatever boots it; build/ and rehearsal/ the
 * activities of the build and rehearsal workflows. Beside this file, what every step shares: the
 * host as drivers see it (host.ts), the sections of one read-only round trip (sections.ts), an
 * activity's access to its host (session.ts) and the heartbeat (keep-alive.ts).
 */
import type {
  AwaitRequest,
  CleanupRequest,
  CommitRequest,
  CommitVerifiedRequest,
  ConfirmRequest,
  InstallRequest,
  PinRequest,
  PowerRequest,
  PreflightRequest,
  RebootRequest,
  StageRequest,
  VerifyRequest,
} from '../shared/types';
import { commitKernel, commitVerifiedTrial, confirmTrial, undoTrial } from './steps/commit';
import { combinedSteps } from './steps/combined';
import { installKernel } from './steps/install';
import { powerCycle } from './steps/power-cycle';
import { preflight } from './steps/preflight';
import { awaitHostReturn, rebootHost } from './steps/reboot';
import { returnCommitStep } from './steps/return-commit';
import { createRolloutActivities } from './rollout';
import { hostAccess, realDeps, type ActivityDeps } from './session';
import { SessionPool } from './ssh/session-pool';
import { pinKnownGood, stageTrialBoot } from './steps/stage';
import { verifyKernel } from './steps/verify';

export type { HostSession } from './host';
export type { BuildActivities } from './build';
export type { RehearsalActivities } from './rehearsal';
export type { RolloutActivities } from './rollout';
export { realDeps, type ActivityDeps } from './session';

export function createActivities(deps: ActivityDeps = realDeps, pool = new SessionPool()) {
  const withHost = hostAccess(deps, pool);
  const single = {
    /** Read-only: facts, the bootloader found, refusals, fixes. */
    preflight: (req: PreflightRequest) => preflight(withHost, req),
    /** The known-good (running) kernel becomes the bootloader's default, before installing. */
    pinKnownGood: (req: PinRequest) => pinKnownGood(withHost, req),
    /** The source's installer; skipped when that artifact is installed already. */
    installKernel: (req: InstallRequest) => installKernel(withHost, req),
    /** Known-good stays the default; the trial boots once with panic=N; revert timer armed. */
    stageTrialBoot: (req: StageRequest) => stageTrialBoot(withHost, req),
    /** Reboots (or kexecs) once: only while the boot id is still the pre-reboot one. */
    rebootHost: (req: RebootRequest) => rebootHost(withHost, req).finally(() => pool.forget(req.target.host)),
    /** Polls the boot id until it changes and SSH answers, within the absolute deadline. */
    awaitHostReturn: (req: AwaitRequest) => awaitHostReturn(deps, req, pool),
    /** Read-only: uname -r, boot id, health checks. */
    verifyKernel: (req: VerifyRequest) => verifyKernel(withHost, req),
    /** Stops the revert timer for this boot (the confirmation lives in /run: per boot). */
    confirmTrial: (req: ConfirmRequest) => confirmTrial(withHost, req),
    /** Default := the new kernel, only while it runs in the verified boot. Read back. */
    commitKernel: (req: CommitRequest) => commitKernel(withHost, req),
  };
  return {
    ...single,
    /** prepareTrialBoot (pin, install, stage): ./steps/combined.ts. */
    ...combinedSteps(single),
    /** Verify and, when it passed, commit, in one session (a run with no stability window). */
    commitVerifiedTrial: (req: CommitVerifiedRequest) => commitVerifiedTrial(withHost, req),
    /** awaitReturnAndCommit: the wait for the trial boot, then commitVerifiedTrial (./steps/return-commit.ts). */
    ...returnCommitStep({
      awaitHostReturn: single.awaitHostReturn,
      commitVerifiedTrial: (req, beforeCommit) => commitVerifiedTrial(withHost, req, beforeCommit),
    }),
    /** Back on (or going back to) the known-good kernel: clear the trial, keep the default. */
    undoTrial: (req: CleanupRequest) => undoTrial(withHost, req),
    /** The rollout's go or no go to the batch it prepared ahead (./rollout/): no host touched. */
    ...createRolloutActivities(),
    /** One reset through the out-of-band power driver, never two. */
    powerCycle: (req: PowerRequest) => {
      pool.forget(req.host);
      return powerCycle(req);
    },
  };
}

export type KernelRolloutActivities = ReturnType<typeof createActivities>;
