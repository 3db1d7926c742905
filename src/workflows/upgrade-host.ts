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
 * Deterministic: no I/O here, only activities, timers, conditions and handlers.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  getExternalWorkflowHandle,
  patched,
  proxyActivities,
  setHandler,
  setCurrentDetails,
  upsertSearchAttributes,
  workflowInfo,
  type ActivityOptions,
} from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type { createActivities } from '../activities';
import type {
  AwaitResult,
  HostFacts,
  Outcome,
  Phase,
  RebootResult,
  TimelineEntry,
  UpgradeHostInput,
  UpgradeResult,
  UpgradeStatus,
} from '../shared/types';
import { NON_RETRYABLE_ERRORS } from '../shared/types';
import {
  abortUpdate,
  approveUpdate,
  HOLD_EXPIRED_REASON,
  checkActor,
  checkRolloutDecisionArgs,
  checkText,
  resolveUpdate,
  rolloutDecisionSignal,
  statusQuery,
  type ResolveAction,
} from './definitions';
import {
  KernelRolloutOutcome,
  KernelRolloutPhase,
  KernelRolloutTarget,
  SEARCH_ATTRIBUTES_PATCH,
} from './search-attributes';
import { ROLLOUT_REBOOT_REPORT_PATCH, hostRebootingSignal, isRebootPhase } from './rollout-definitions';

type Activities = ReturnType<typeof createActivities>;

const nonRetryableErrorTypes = [...NON_RETRYABLE_ERRORS];

// The failure model, per activity. Read-only steps retry freely; steps that change the host
// are idempotent (each checks the host's state first) so a retry after a crash is safe.
const readOnly = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '2s', maximumInterval: '30s', maximumAttempts: 5, nonRetryableErrorTypes },
});
const hostChanges = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '5s', maximumInterval: '1 minute', maximumAttempts: 5, nonRetryableErrorTypes },
});
const longRunning = proxyActivities<Activities>({
  startToCloseTimeout: '90 minutes',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '10s', maximumInterval: '2 minutes', maximumAttempts: 3, nonRetryableErrorTypes },
});
const power = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '5s', maximumInterval: '30s', maximumAttempts: 3, nonRetryableErrorTypes },
});

/** Ends the run with needs-attention after the operator gave up. */
class OperatorGaveUp extends Error {}

/**
 * Whether this step's reboot happened because of this run: issued now, or by an earlier attempt
 * whose answer was lost (its marker, a boot that changed only on a retry, or a host gone since).
 * Not a host that had rebooted by itself before the step asked.
 */
function rebootWasOurs(r: RebootResult): boolean {
  return (
    r.issued ||
    r.method === 'already-requested' ||
    r.method === 'rebooted-by-earlier-attempt' ||
    r.method === 'unreachable-after-earlier-attempt'
  );
}

/** Marks runs that skip the stability timer and re-check when stabilitySeconds is 0. */
const NO_ZERO_STABILITY_WINDOW_PATCH = 'no-zero-stability-window';

export async function upgradeHostKernel(input: UpgradeHostInput): Promise<UpgradeResult> {
  const host = input.target.host;
  const hb = input.timeouts.heartbeatSeconds;
  const timeline: TimelineEntry[] = [];
  let phase: Phase = 'starting';
  let details = 'starting';
  let from: string | null = null;
  let outcome: Outcome | null = null;
  let waitingFor: UpgradeStatus['waitingFor'] = null;
  let approvedBy: string | null = null;
  let abortRequest: { by: string; reason: string } | null = null;
  // Handlers change this between awaits; reading through a function keeps TypeScript from
  // narrowing it to the value it had before the await.
  const abortedBy = (): { by: string; reason: string } | null => abortRequest;
  const abortReason = (): string => {
    const a = abortedBy();
    return a ? `aborted by ${a.by}: ${a.reason}` : '';
  };
  let resolution: { action: ResolveAction; by: string } | null = null;
  let rebootCount = 0;
  let rebootIssued = false;
  /** holdForRollout: the rollout said go. */
  let releasedBy: string | null = null;

  // Runs recorded before the search attributes existed replay without the upserts (each upsert
  // is a command in the history). Asked once, first thing, so a run upserts all or nothing.
  const searchable = patched(SEARCH_ATTRIBUTES_PATCH);
  let publishedPhase: Phase | null = null;
  /** Phase (and target, first time; outcome, at the end) for the web UI's and CLI's filters. */
  const publishSearchAttributes = (): void => {
    if (!searchable || publishedPhase === phase) return;
    const pairs: SearchAttributeUpdatePair[] = [{ key: KernelRolloutPhase, value: phase }];
    if (publishedPhase === null) pairs.push({ key: KernelRolloutTarget, value: input.toRelease });
    if (outcome !== null) pairs.push({ key: KernelRolloutOutcome, value: outcome });
    upsertSearchAttributes(pairs);
    publishedPhase = phase;
  };

  // A run started by a rollout tells it when the host starts and stops rebooting (two signals),
  // so the rollout's sentence can say "10 hosts rebooting". Runs from before this replay without.
  const rolloutId = workflowInfo().parent?.workflowId;
  const reportsReboots = rolloutId?.startsWith('kernel-rollout/') === true && patched(ROLLOUT_REBOOT_REPORT_PATCH);
  let reportedRebooting = false;
  const reportReboot = (): void => {
    if (!reportsReboots || rolloutId === undefined) return;
    const rebooting = isRebootPhase(phase);
    if (rebooting === reportedRebooting) return;
    reportedRebooting = rebooting;
    // Fire and forget: a rollout that has ended (or was terminated) does not need to hear it.
    getExternalWorkflowHandle(rolloutId)
      .signal(hostRebootingSignal, { host, rebooting })
      .catch(() => undefined);
  };

  const note = (message: string): void => {
    timeline.push({ at: new Date().toISOString(), phase, message });
  };
  const enter = (next: Phase, words: string): void => {
    phase = next;
    details = words;
    setCurrentDetails(`**${next}** — ${words}`);
    publishSearchAttributes();
    reportReboot();
    note(words);
  };

  setHandler(statusQuery, () => ({
    host,
    phase,
    details,
    from,
    to: input.toRelease,
    waitingFor,
    outcome,
    timeline,
  }));
  setHandler(
    approveUpdate,
    (args) => {
      approvedBy = args.by;
      note(`approved by ${args.by}${args.comment ? `: ${args.comment}` : ''}`);
      return `approved: ${host} reboots into ${input.toRelease}`;
    },
    {
      validator: (args) => {
        const bad = checkActor(args?.by) ?? checkText('comment', args?.comment, false);
        if (bad) throw new Error(bad);
        if (waitingFor !== 'approval') {
          throw new Error(`${host}: nothing waits for approval (phase ${phase})`);
        }
      },
    },
  );
  setHandler(
    abortUpdate,
    (args) => {
      abortRequest = { by: args.by, reason: args.reason };
      note(`abort requested by ${args.by}: ${args.reason}`);
      return rebootIssued
        ? `${host}: aborting after the reboot — rolling back to ${from ?? 'the known-good kernel'}`
        : `${host}: aborting before the reboot — staging will be undone`;
    },
    {
      validator: (args) => {
        const bad = checkActor(args?.by) ?? checkText('reason', args?.reason, true);
        if (bad) throw new Error(bad);
        if (outcome !== null || phase === 'commit' || phase === 'done') {
          throw new Error(`${host}: too late to abort (phase ${phase})`);
        }
        if (abortRequest) throw new Error(`${host}: abort already requested by ${abortRequest.by}`);
      },
    },
  );
  setHandler(rolloutDecisionSignal, (args) => {
    // A signal cannot be refused: a bad or late one is noted in the timeline and changes nothing.
    const bad = checkRolloutDecisionArgs(args);
    if (bad) return note(`ignored a rolloutDecision signal: ${bad}`);
    if (rolloutId !== undefined && args.by !== rolloutId) {
      return note(`ignored a rolloutDecision from ${args.by}: only ${rolloutId}, which started this run, decides`);
    }
    if (!input.holdForRollout || rebootIssued || outcome !== null || releasedBy !== null || abortRequest) {
      return note(`ignored a rolloutDecision (${args.go ? 'go' : 'no go'}) from ${args.by}: nothing waits for it`);
    }
    if (args.go) {
      releasedBy = args.by;
      note(`released by ${args.by}${args.reason ? `: ${args.reason}` : ''}`);
    } else {
      abortRequest = { by: args.by, reason: args.reason ?? 'the rollout does not go on' };
      note(`no go from ${args.by}: ${abortRequest.reason}`);
    }
  });
  setHandler(
    resolveUpdate,
    (args) => {
      resolution = { action: args.action, by: args.by };
      note(`operator ${args.by} chose ${args.action}${args.comment ? `: ${args.comment}` : ''}`);
      return `${host}: ${args.action} accepted`;
    },
    {
      validator: (args) => {
        const bad = checkActor(args?.by) ?? checkText('comment', args?.comment, false);
        if (bad) throw new Error(bad);
        if (!['retry', 'mark-fixed', 'give-up'].includes(args?.action)) {
          throw new Error('action: must be retry, mark-fixed or give-up');
        }
        if (waitingFor !== 'operator') {
          throw new Error(`${host}: no operator decision is awaited (phase ${phase})`);
        }
      },
    },
  );

  const finish = (result: Outcome, reason: string, bootedKernel: string | null): UpgradeResult => {
    outcome = result;
    waitingFor = null;
    enter('done', `${result}: ${reason}`);
    return {
      host,
      outcome: result,
      from: from ?? 'unknown',
      to: input.toRelease,
      bootedKernel,
      reason,
      rebootCount,
      timeline,
    };
  };

  /** Waits, without a deadline, for an operator's decision; says so in the UI and status. */
  const needsAttention = async (reason: string): Promise<ResolveAction> => {
    enter(
      'needs-attention',
      `${reason} — waiting for an operator: kernelctl resolve ${host} --retry | --mark-fixed | --give-up`,
    );
    resolution = null;
    waitingFor = 'operator';
    await condition(() => resolution !== null);
    waitingFor = null;
    const chosen = (resolution as { action: ResolveAction } | null)?.action ?? 'give-up';
    if (chosen === 'give-up') throw new OperatorGaveUp(reason);
    return chosen;
  };

  /**
   * Runs one step; a failure that retrying cannot fix (changed host key, refused credentials)
   * or retries exhausted turn into needs-attention, and the operator's retry runs it again.
   */
  const step = async <T>(what: string, run: () => Promise<T>): Promise<T> => {
    for (;;) {
      try {
        return await run();
      } catch (err) {
        await needsAttention(`${what} failed: ${describeFailure(err)}`);
      }
    }
  };

  // Every activity heartbeats (keepAlive): a dead worker is noticed after heartbeatSeconds.
  const opts = (base: ActivityOptions | undefined, summary: string): ActivityOptions => ({
    heartbeatTimeout: `${hb}s`,
    ...(base ?? {}),
    summary,
  });

  const awaitHost = async (previousBootId: string, deadlineSeconds: number, why: string): Promise<AwaitResult> => {
    enter('await', `${why}: waiting up to ${deadlineSeconds}s for ${host} to come back with a new boot id`);
    return step('waiting for the host', () =>
      longRunning.awaitHostReturn.executeWithOptions(
        {
          startToCloseTimeout: `${deadlineSeconds + 120}s`,
          heartbeatTimeout: `${hb}s`,
          retry: { maximumAttempts: 10, nonRetryableErrorTypes },
          summary: `wait for ${host} (boot id ≠ ${previousBootId.slice(0, 8)}…), deadline ${deadlineSeconds}s`,
        },
        [
          {
            target: input.target,
            previousBootId,
            deadlineEpochMs: Date.now() + deadlineSeconds * 1000,
            pollCapSeconds: input.timeouts.pollCapSeconds,
          },
        ],
      ),
    );
  };

  const cleanupOnKnownGood = async (failedRelease: string): Promise<string | null> => {
    const knownGood = from ?? '';
    const res = await step('clearing the trial state', () =>
      hostChanges.undoTrial.executeWithOptions(
        opts(undefined, `clear one-shot, disarm revert timer; default stays ${knownGood}`),
        [
          {
            target: input.target,
            knownGoodRelease: knownGood,
            failedRelease,
            removeFailedKernel: input.removeFailedKernel,
          },
        ],
      ),
    );
    if (res.evidence) note(`evidence: ${res.evidence}`);
    return res.savedEntry;
  };

  /** Host is running the new kernel but must not keep it: back to the known-good kernel. */
  const rollBackFromNewKernel = async (bootId: string, why: string): Promise<UpgradeResult> => {
    const knownGood = from ?? '';
    if (knownGood === input.toRelease) {
      // Found already running the target (an earlier run or a human rebooted it): no
      // known-good kernel is on record to go back to, so a person decides.
      return attention(`${why}; ${host} already ran ${input.toRelease} when this run started`, knownGood);
    }
    enter('rollback', `${why}; rebooting ${host} into ${knownGood}`);
    await cleanupOnKnownGood(input.toRelease);
    const reboot = await step('rollback reboot', () =>
      hostChanges.rebootHost.executeWithOptions(opts(undefined, `reboot ${host} back into ${knownGood}`), [
        {
          target: input.target,
          expectedBootId: bootId,
          useKexec: false,
          toRelease: knownGood,
          trialToken: '',
          panicSeconds: input.panicSeconds,
          trialKernelArgs: [],
        },
      ]),
    );
    if (rebootWasOurs(reboot)) rebootCount += 1;
    const back = await awaitHost(bootId, input.timeouts.bootDeadlineSeconds, 'rollback reboot');
    if (!back.back) {
      return finishAfterLostHost(bootId, `did not return from the rollback reboot: ${back.lastError}`, why);
    }
    if (back.runningKernel !== knownGood) {
      return attention(
        `${host} came back from the rollback on ${back.runningKernel}, expected ${knownGood}`,
        back.runningKernel,
      );
    }
    return finish('rolled-back', why, back.runningKernel);
  };

  const attention = async (reason: string, booted: string | null): Promise<UpgradeResult> => {
    try {
      await needsAttention(reason);
    } catch (err) {
      if (err instanceof OperatorGaveUp) return finish('needs-attention', reason, booted);
      throw err;
    }
    return finish('needs-attention', `${reason} (operator resolved it by hand)`, booted);
  };

  /** The host did not come back: power driver, wait again, then an operator. */
  const finishAfterLostHost = async (bootId: string, reason: string, why: string): Promise<UpgradeResult> => {
    let lastReason = reason;
    for (;;) {
      enter('power-cycle', `${lastReason}; resetting ${host} through the ${input.power.driver} power driver`);
      const res = await step('power cycle', () =>
        power.powerCycle.executeWithOptions(opts(undefined, `power-cycle ${host} (${input.power.driver})`), [
          { host, power: input.power },
        ]),
      );
      note(res.message);
      if (res.performed) {
        rebootCount += 1;
        const back = await awaitHost(bootId, input.timeouts.powerCycleDeadlineSeconds, 'after the power cycle');
        if (back.back) return classifyReturn(back, why);
        lastReason = `not back after the power cycle: ${back.lastError}`;
      }
      let action: ResolveAction;
      try {
        action = await needsAttention(
          res.performed ? lastReason : `${lastReason}; no power action was possible (${res.message})`,
        );
      } catch (err) {
        if (err instanceof OperatorGaveUp) return finish('needs-attention', err.message, null);
        throw err;
      }
      if (action === 'mark-fixed') {
        const back = await awaitHost(bootId, input.timeouts.bootDeadlineSeconds, 'operator says the host is fixed');
        if (back.back) return classifyReturn(back, why);
        lastReason = `still not back after the operator's fix: ${back.lastError}`;
      }
    }
  };

  /** The host answered with a new boot id: decide by the kernel it runs. */
  const classifyReturn = async (back: Extract<AwaitResult, { back: true }>, why: string): Promise<UpgradeResult> => {
    note(`back after ${back.secondsAway}s on ${back.runningKernel} (boot id ${back.bootId.slice(0, 8)}…)`);
    if (back.runningKernel === from) {
      enter('rollback', `${host} came back on the known-good kernel ${from}: the trial did not survive`);
      await cleanupOnKnownGood(input.toRelease);
      const reason = abortedBy()
        ? `${abortReason()}; host on ${from}`
        : `trial of ${input.toRelease} failed (${why}); the host fell back to ${from}`;
      return finish('rolled-back', reason, back.runningKernel);
    }
    if (back.runningKernel !== input.toRelease) {
      return attention(
        `${host} came back on ${back.runningKernel}, neither ${input.toRelease} nor the known-good ${from}`,
        back.runningKernel,
      );
    }
    return verifyAndCommit(back.bootId, back.runningKernel);
  };

  const verifyAndCommit = async (bootId: string, running: string): Promise<UpgradeResult> => {
    if (abortedBy()) return rollBackFromNewKernel(bootId, abortReason());
    enter(
      'verify',
      `${host} runs ${running}: checking uname -r, boot id and ${input.healthChecks.length} health check(s)`,
    );
    const verdict = await step('verification', () =>
      readOnly.verifyKernel.executeWithOptions(
        opts(undefined, `verify ${host}: uname -r = ${input.toRelease}, ${input.healthChecks.length} health check(s)`),
        [
          {
            target: input.target,
            expectedRelease: input.toRelease,
            expectedBootId: bootId,
            healthChecks: input.healthChecks,
          },
        ],
      ),
    );
    if (!verdict.ok) {
      return rollBackFromNewKernel(verdict.bootId, `verification failed: ${verdict.failures.join('; ')}`);
    }
    await step('confirming the trial', () =>
      hostChanges.confirmTrial.executeWithOptions(opts(undefined, `stop the revert timer on ${host}`), [
        { target: input.target, toRelease: input.toRelease, expectedBootId: bootId },
      ]),
    );
    // A stability window of 0 s asks for none: no timer (the server fires even a 0 s timer about
    // a second later) and no second check; commitKernel re-reads uname -r and the boot id itself.
    // Runs recorded before this replay their timer and re-check.
    if (input.stabilitySeconds > 0 || !patched(NO_ZERO_STABILITY_WINDOW_PATCH)) {
      enter('stability', `healthy; watching ${host} stay up for ${input.stabilitySeconds}s`);
      const aborted = await condition(() => abortRequest !== null, `${input.stabilitySeconds}s`, {
        summary: `stability window ${input.stabilitySeconds}s`,
      });
      if (aborted && abortedBy()) return rollBackFromNewKernel(bootId, abortReason());
      const after = await step('stability check', () =>
        readOnly.verifyKernel.executeWithOptions(opts(undefined, `re-check ${host} after the stability window`), [
          {
            target: input.target,
            expectedRelease: input.toRelease,
            expectedBootId: bootId,
            healthChecks: input.healthChecks,
          },
        ]),
      );
      if (after.bootId !== bootId) {
        // It rebooted under us: it is on the saved default (known-good) unless something is odd.
        note(`boot id changed during the stability window (${bootId.slice(0, 8)}… → ${after.bootId.slice(0, 8)}…)`);
        if (after.runningKernel === from) {
          await cleanupOnKnownGood(input.toRelease);
          return finish(
            'rolled-back',
            `${input.toRelease} did not stay up for ${input.stabilitySeconds}s; host on ${from}`,
            from,
          );
        }
        return attention(
          `${host} rebooted during the stability window and runs ${after.runningKernel}`,
          after.runningKernel,
        );
      }
      if (!after.ok) {
        return rollBackFromNewKernel(bootId, `health failed during the stability window: ${after.failures.join('; ')}`);
      }
    }
    if (abortedBy()) return rollBackFromNewKernel(bootId, abortReason());
    enter('commit', `making ${input.toRelease} the saved default on ${host}`);
    await step('commit', () =>
      hostChanges.commitKernel.executeWithOptions(opts(undefined, `saved default := ${input.toRelease} on ${host}`), [
        { target: input.target, toRelease: input.toRelease, expectedBootId: bootId },
      ]),
    );
    return finish('upgraded', `${host} runs ${input.toRelease}, verified and committed`, input.toRelease);
  };

  const undoStaging = async (reason: string): Promise<UpgradeResult> => {
    enter('rollback', `${reason}; undoing the staging on ${host} (nothing rebooted)`);
    await cleanupOnKnownGood(input.toRelease);
    return finish('aborted', reason, from);
  };

  try {
    // ---- preflight ----------------------------------------------------------------------------
    enter('preflight', `reading facts from ${host}`);
    let facts: HostFacts;
    try {
      facts = await readOnly.preflight.executeWithOptions(opts(undefined, `preflight ${host}`), [
        { target: input.target, toRelease: input.toRelease, source: input.source, useKexec: input.useKexec },
      ]);
    } catch (err) {
      return finish('refused', `preflight could not read ${host}: ${describeFailure(err)}; nothing was changed`, null);
    }
    from = facts.runningKernel;
    note(
      `${facts.distroId} ${facts.distroVersion}, running ${facts.runningKernel}, boot id ${facts.bootId.slice(0, 8)}…, /boot free ${Math.round(facts.bootFreeBytes / 1048576)} MiB`,
    );
    for (const w of facts.warnings) note(`warning: ${w}`);
    if (facts.refusals.length > 0) {
      return finish('refused', `${facts.refusals.join('; ')}; nothing was changed`, facts.runningKernel);
    }
    if (abortedBy()) return finish('aborted', `${abortReason()}; nothing was changed`, from);

    if (facts.runningKernel === input.toRelease) {
      // A previous run rebooted into it (or someone did by hand): verify and commit, no reboot.
      note(`${host} already runs ${input.toRelease}; verifying before committing it`);
      return await verifyAndCommit(facts.bootId, facts.runningKernel);
    }
    const knownGood = facts.runningKernel;

    // ---- pin the known-good default, then install ----------------------------------------------
    enter('install', `pinning ${knownGood} as the saved default, then installing ${input.toRelease}`);
    const pin = await step('pinning the known-good kernel', () =>
      hostChanges.pinKnownGood.executeWithOptions(opts(undefined, `saved default := ${knownGood} (known-good)`), [
        { target: input.target, knownGoodRelease: knownGood },
      ]),
    );
    if (pin.fixedGrubDefault) note(`GRUB_DEFAULT set to saved (backup ${pin.backupPath ?? 'kept'})`);
    const installed = await step('install', () =>
      longRunning.installKernel.executeWithOptions(
        opts(
          undefined,
          input.source.kind === 'apt'
            ? `apt-get install ${input.source.packageName}`
            : `upload + dpkg -i ${input.source.localPath.split('/').pop() ?? ''}`,
        ),
        [{ target: input.target, toRelease: input.toRelease, source: input.source }],
      ),
    );
    note(
      installed.alreadyInstalled
        ? `${installed.packageName} already installed`
        : `installed ${installed.packageName} in ${installed.seconds}s`,
    );
    if (abortedBy()) return await undoStaging(`${abortReason()} (after the install)`);

    // ---- stage the trial boot ----------------------------------------------------------------------
    const trialToken = workflowInfo()
      .runId.replace(/[^A-Za-z0-9]/g, '')
      .slice(0, 16);
    enter(
      'stage',
      `${input.useKexec ? 'kexec' : 'one-shot GRUB'} trial of ${input.toRelease} with panic=${input.panicSeconds}; revert timer ${input.revertAfterSeconds}s`,
    );
    await step('staging', () =>
      hostChanges.stageTrialBoot.executeWithOptions(
        opts(undefined, `stage one-shot ${input.toRelease}, panic=${input.panicSeconds}, revert timer`),
        [
          {
            target: input.target,
            knownGoodRelease: knownGood,
            toRelease: input.toRelease,
            panicSeconds: input.panicSeconds,
            trialKernelArgs: input.trialKernelArgs,
            revertAfterSeconds: input.revertAfterSeconds,
            trialToken,
            useKexec: input.useKexec,
          },
        ],
      ),
    );

    // ---- held for the rollout (prepareAhead) --------------------------------------------------------
    if (input.holdForRollout && !abortRequest) {
      const limit = input.timeouts.approvalTimeoutSeconds;
      enter(
        'awaiting-approval',
        `staged ahead; held until ${rolloutId ?? 'its rollout'} lets ${host} reboot (at most ${limit}s)`,
      );
      waitingFor = 'rollout';
      const decided = await condition(() => releasedBy !== null || abortRequest !== null, `${limit}s`, {
        summary: `held for the rollout (${limit}s)`,
      });
      waitingFor = null;
      if (!decided) return await undoStaging(`${HOLD_EXPIRED_REASON} ${limit}s`);
    }

    // ---- optional approval ----------------------------------------------------------------------------
    if (input.approveBeforeReboot && !abortRequest) {
      enter(
        'awaiting-approval',
        `staged; waiting up to ${input.timeouts.approvalTimeoutSeconds}s for approval to reboot ${host}`,
      );
      waitingFor = 'approval';
      const decided = await condition(
        () => approvedBy !== null || abortRequest !== null,
        `${input.timeouts.approvalTimeoutSeconds}s`,
        { summary: `await approval (${input.timeouts.approvalTimeoutSeconds}s)` },
      );
      waitingFor = null;
      if (!decided) return await undoStaging(`no approval within ${input.timeouts.approvalTimeoutSeconds}s`);
    }
    if (abortedBy()) return await undoStaging(abortReason());

    // ---- reboot ------------------------------------------------------------------------------------
    enter('reboot', `${input.useKexec ? 'kexec' : 'rebooting'} ${host} into ${input.toRelease} (trial)`);
    rebootIssued = true;
    const reboot = await step('reboot', () =>
      hostChanges.rebootHost.executeWithOptions(
        opts(
          undefined,
          `${input.useKexec ? 'kexec' : 'reboot'} ${host} (guarded by boot id ${facts.bootId.slice(0, 8)}…)`,
        ),
        [
          {
            target: input.target,
            expectedBootId: facts.bootId,
            useKexec: input.useKexec,
            toRelease: input.toRelease,
            trialToken,
            panicSeconds: input.panicSeconds,
            trialKernelArgs: input.trialKernelArgs,
          },
        ],
      ),
    );
    if (rebootWasOurs(reboot)) rebootCount += 1;
    note(`reboot: ${reboot.method}`);

    // ---- await ---------------------------------------------------------------------------------------
    const back = await awaitHost(facts.bootId, input.timeouts.bootDeadlineSeconds, 'trial reboot');
    if (!back.back) {
      return await finishAfterLostHost(
        facts.bootId,
        `not back within ${input.timeouts.bootDeadlineSeconds}s: ${back.lastError}`,
        'the trial kernel did not come back in time',
      );
    }
    return await classifyReturn(back, 'panic=N or the revert timer brought it back');
  } catch (err) {
    if (err instanceof OperatorGaveUp) return finish('needs-attention', `operator gave up: ${err.message}`, null);
    throw err;
  }
}

function describeFailure(err: unknown): string {
  let cur: unknown = err;
  // ActivityFailure wraps the activity's ApplicationFailure: report the innermost message.
  while (cur instanceof ActivityFailure && cur.cause) cur = cur.cause;
  if (cur instanceof ApplicationFailure) return `${cur.type ?? 'Error'}: ${cur.message}`;
  if (cur instanceof Error) return cur.message;
  return String(cur);
}
