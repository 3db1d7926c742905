/**
 * upgradeHostKernel: one durable run per host (workflow id `kernel-upgrade/<host>`).
 *
 * The safety argument, in order:
 *  1. Before anything is installed the running kernel is pinned as GRUB's saved default
 *     (`pinKnownGood`), so even an unplanned reboot after the install boots the known-good kernel.
 *  2. The new kernel is staged as a one-shot trial (`next_entry`, or kexec) with `panic=N`
 *     and a host-side revert timer; GRUB's saved default is not touched.
 *  3. The saved default moves to the new kernel only in `commitKernel`, after the host came back
 *     on it, passed verification and stayed up for the stability window with the same boot id.
 *  4. Anything else ends on the known-good kernel (rolled-back) or waits for an operator
 *     (needs-attention) — never silently.
 *
 * This file is the main sequence; the steps are in ./upgrade-host/ (state.ts holds everything the
 * run knows; activities.ts the failure model of each activity). Deterministic: no I/O here, only
 * activities, timers, conditions and handlers.
 */
import { ApplicationFailure } from '@temporalio/workflow';
import { isPatched } from './patches';
import type { HostFacts, UpgradeHostInput, UpgradeResult } from '../shared/types';
import { HOLD_EXPIRED_REASON } from './definitions';
import { awaitApproval, holdForRollout } from './upgrade-host/approval';
import { preflightFailedReason } from './failure';
import {
  POWER_CREDENTIALS_PATCH,
  describeProblems,
  powerCredentialProblem,
  upgradeHostInputProblems,
} from './input-check';
import { OperatorGaveUp } from './upgrade-host/attention';
import { registerHandlers } from './upgrade-host/handlers';
import {
  BootloaderChangedBeforeInstall,
  ONE_STEP_PREPARE_PATCH,
  endBeforeAnyChange,
  installKernel,
  noteHostFacts,
  pinKnownGood,
  prepareTrial,
  readHostFacts,
  stageTrialBoot,
  takeDrivers,
} from './upgrade-host/prepare';
import { awaitHostReturn, rebootIntoTrial } from './upgrade-host/reboot';
import { rehearseFirst } from './upgrade-host/rehearsal';
import { TRIAL_RETURN_WHY, commitsOnReturn, returnAndCommit } from './upgrade-host/return-commit';
import { undoStaging } from './upgrade-host/rollback';
import { HostUpgrade } from './upgrade-host/state';
import {
  classifyReturn,
  recoverLostHost,
  verificationAfterReturn,
  verifyAndCommit,
} from './upgrade-host/verify-commit';

export async function upgradeHostKernel(input: UpgradeHostInput): Promise<UpgradeResult> {
  // A hand-written input (the temporal CLI, another service) is refused with every missing or
  // wrong field named, before the run reads any of it. Inputs through the client always pass, so
  // no recorded run takes this path: it issues no command.
  const problems = upgradeHostInputProblems(input);
  // A credential in the power command's argv is refused (it would stay in this history); runs
  // recorded before the rule replay without it.
  if (problems.length === 0 && isPatched(POWER_CREDENTIALS_PATCH)) {
    const credential = powerCredentialProblem(input.power, 'power');
    if (credential) problems.push(credential);
  }
  if (problems.length > 0) {
    throw ApplicationFailure.nonRetryable(`invalid input: ${describeProblems(problems)}`, 'InvalidInputError');
  }
  const run = new HostUpgrade(input);
  registerHandlers(run);
  const { toRelease, timeouts } = input;
  const { host } = run;
  try {
    if (input.rehearseInVm) {
      const refused = await rehearseFirst(run);
      if (refused) return refused;
    }
    let facts: HostFacts;
    try {
      facts = await readHostFacts(run);
    } catch (err) {
      return run.finish('refused', preflightFailedReason(host, err), null);
    }
    noteHostFacts(run, facts);
    const refusedOrAborted = endBeforeAnyChange(run, facts);
    if (refusedOrAborted) return refusedOrAborted;
    takeDrivers(run, facts);
    if (facts.runningKernel === toRelease) {
      // A previous run rebooted into it (or someone did by hand): verify and commit, no reboot.
      run.note(`${host} already runs ${toRelease}; verifying before committing it`);
      return await verifyAndCommit(run, facts.bootId, facts.runningKernel);
    }
    const knownGood = facts.runningKernel;

    if (isPatched(ONE_STEP_PREPARE_PATCH)) {
      await prepareTrial(run, knownGood);
    } else {
      await pinKnownGood(run, knownGood);
      await installKernel(run);
      if (run.aborted()) return await undoStaging(run, `${run.abortReason()} (after the install)`);
      await stageTrialBoot(run, knownGood);
    }

    if (input.holdForRollout && !run.aborted()) {
      const decided = await holdForRollout(run);
      run.waitingFor = null;
      if (!decided) return await undoStaging(run, `${HOLD_EXPIRED_REASON} ${timeouts.approvalTimeoutSeconds}s`);
    }
    if (input.approveBeforeReboot && !run.aborted()) {
      const decided = await awaitApproval(run);
      run.waitingFor = null;
      if (!decided) return await undoStaging(run, `no approval within ${timeouts.approvalTimeoutSeconds}s`);
    }
    if (run.aborted()) return await undoStaging(run, run.abortReason());

    await rebootIntoTrial(run, facts.bootId);
    if (commitsOnReturn(run)) {
      const ended = await returnAndCommit(run, facts.bootId);
      if (ended !== null) return ended;
    }
    const back = await awaitHostReturn(
      run,
      facts.bootId,
      timeouts.bootDeadlineSeconds,
      'trial reboot',
      verificationAfterReturn(run),
    );
    if (!back.back) {
      return await recoverLostHost(
        run,
        facts.bootId,
        `not back within ${timeouts.bootDeadlineSeconds}s: ${back.lastError}`,
        'the trial kernel did not come back in time',
      );
    }
    return await classifyReturn(run, back, TRIAL_RETURN_WHY);
  } catch (err) {
    if (err instanceof OperatorGaveUp) return run.finish('needs-attention', `operator gave up: ${err.message}`, null);
    if (err instanceof BootloaderChangedBeforeInstall) {
      return run.finish('refused', `${err.message}; stopped before installing anything`, run.from);
    }
    throw err;
  }
}
