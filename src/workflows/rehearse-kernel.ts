/**
 * rehearseKernel: the upgrade the real hosts will get, first on a throwaway qemu VM
 * (`--rehearse-in-vm`). It runs on the rehearsal task queue, served only by workers that have qemu
 * and an image (`kernelctl worker --rehearsal-image DIR`); its VM activities and its child, the
 * ordinary per-host workflow aimed at the VM (workflow id kernel-upgrade/rehearsal-<id>), run
 * there too. The VM is reset through QMP when it hangs, like any host with a power driver.
 *
 * Whatever the child's outcome, the VM is stopped and its serial log kept with the package (for a
 * build, in the build's directory on the build host). Only `upgraded` lets the caller go on.
 */
import {
  ApplicationFailure,
  executeChild,
  proxyActivities,
  setCurrentDetails,
  type ActivityOptions,
} from '@temporalio/workflow';
import type { RehearsalActivities } from '../activities';
import type { RehearsalInput, RehearsalResult, RehearsalVm, RehearseKernelWorkflow } from '../shared/rehearsal-types';
import { REHEARSAL_ID_RE } from '../shared/rehearsal-types';
import type { UpgradeHostInput, UpgradeResult } from '../shared/types';
import { NON_RETRYABLE_ERRORS } from '../shared/types';
import { upgradeWorkflowId } from './definitions';
import { describeFailure } from './failure';
import { upgradeHostKernel } from './upgrade-host';

const VM_ACTIVITY_OPTIONS: ActivityOptions = {
  // Booting a TCG VM takes minutes on a busy machine; the start heartbeats while it waits.
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '2 minutes',
  retry: {
    initialInterval: '5s',
    maximumInterval: '1 minute',
    maximumAttempts: 3,
    nonRetryableErrorTypes: [...NON_RETRYABLE_ERRORS],
  },
};

/** The start: any rehearsal worker (this workflow's queue). */
const anyRehearsalWorker = proxyActivities<RehearsalActivities>(VM_ACTIVITY_OPTIONS);

/** After the start, the worker on the VM's machine: its SSH port and QMP socket are there only. */
const onVmMachine = (taskQueue: string) => proxyActivities<RehearsalActivities>({ ...VM_ACTIVITY_OPTIONS, taskQueue });

/** How the rehearsal's run ended, or why there was none. */
type RehearsedRun = Pick<UpgradeResult, 'reason' | 'bootedKernel' | 'timeline'> & {
  outcome: RehearsalResult['outcome'];
};

/** ./rehearsal.ts starts this workflow by name, typed as RehearseKernelWorkflow: it must conform. */
type _StartedAs<T extends RehearseKernelWorkflow> = T;
type _RehearseKernelStartedAs = _StartedAs<typeof rehearseKernel>;

export async function rehearseKernel(input: RehearsalInput): Promise<RehearsalResult> {
  const { rehearsalId, upgrade } = input;
  if (!REHEARSAL_ID_RE.test(rehearsalId)) {
    throw ApplicationFailure.nonRetryable(
      `rehearsalId: ${JSON.stringify(rehearsalId)} is not a rehearsal id`,
      'InvalidInputError',
    );
  }
  setCurrentDetails(`starting the rehearsal VM for ${upgrade.toRelease}`);
  let vm: RehearsalVm;
  try {
    vm = await anyRehearsalWorker.startRehearsalVm.executeWithOptions(
      { summary: `start the rehearsal VM ${rehearsalId}` },
      [{ rehearsalId }],
    );
  } catch (err) {
    // A start that failed has stopped what it started; there is no VM and no serial log.
    const reason = `the rehearsal VM did not start: ${describeFailure(err)}`;
    setCurrentDetails(`rehearsal of ${upgrade.toRelease}: vm-failed (${reason})`);
    return {
      rehearsalId,
      outcome: 'vm-failed',
      reason,
      bootedKernel: null,
      vmBootSeconds: 0,
      record: { worker: { dir: '', serialLogBytes: 0 } },
      timeline: [],
    };
  }
  setCurrentDetails(`upgrading the rehearsal VM (${vm.target.host}) to ${upgrade.toRelease}`);
  let run: RehearsedRun;
  try {
    run = await executeChild(upgradeHostKernel, {
      workflowId: upgradeWorkflowId(vm.target.host),
      taskQueue: vm.taskQueue,
      args: [rehearsalUpgrade(input, vm)],
    });
  } catch (err) {
    run = {
      outcome: 'vm-failed',
      reason: `the rehearsal run failed: ${describeFailure(err)}`,
      bootedKernel: null,
      timeline: [],
    };
  }
  return finish(input, vm, run);
}

/**
 * A VM under TCG boots in minutes where a server takes one: the rehearsal waits at least this
 * long for a boot (after a reboot or a reset), whatever the real hosts' deadlines are.
 */
export const VM_BOOT_DEADLINE_FLOOR_SECONDS = 900;

/** The real hosts' upgrade, aimed at the VM: no approval, the VM's QMP socket as its power. */
export function rehearsalUpgrade(input: RehearsalInput, vm: RehearsalVm): UpgradeHostInput {
  const { timeouts } = input.upgrade;
  return {
    ...input.upgrade,
    target: vm.target,
    power: { driver: 'qmp', socketPath: vm.qmpSocket, action: 'reset' },
    approveBeforeReboot: false,
    timeouts: {
      ...timeouts,
      bootDeadlineSeconds: Math.max(timeouts.bootDeadlineSeconds, VM_BOOT_DEADLINE_FLOOR_SECONDS),
      powerCycleDeadlineSeconds: Math.max(timeouts.powerCycleDeadlineSeconds, VM_BOOT_DEADLINE_FLOOR_SECONDS),
    },
  };
}

async function finish(input: RehearsalInput, vm: RehearsalVm, run: RehearsedRun): Promise<RehearsalResult> {
  const { source } = input.upgrade;
  const record = await onVmMachine(vm.taskQueue).stopRehearsalVm.executeWithOptions(
    { summary: `stop the rehearsal VM ${input.rehearsalId}` },
    [
      {
        rehearsalId: input.rehearsalId,
        ...(source.kind === 'artifact' ? { keepWith: { host: source.host, debPath: source.path } } : {}),
        outcome: run.outcome,
        reason: run.reason,
      },
    ],
  );
  setCurrentDetails(`rehearsal of ${input.upgrade.toRelease}: ${run.outcome} (${run.reason})`);
  return {
    rehearsalId: input.rehearsalId,
    outcome: run.outcome,
    reason: run.reason,
    bootedKernel: run.bootedKernel,
    vmBootSeconds: vm.bootSeconds,
    record,
    timeline: run.timeline,
  };
}
