"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.VM_BOOT_DEADLINE_FLOOR_SECONDS = void 0;
exports.rehearseKernel = rehearseKernel;
exports.rehearsalUpgrade = rehearsalUpgrade;
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
const workflow_1 = require("@temporalio/workflow");
const rehearsal_types_1 = require("../shared/rehearsal-types");
const types_1 = require("../shared/types");
const definitions_1 = require("./definitions");
const failure_1 = require("./failure");
const upgrade_host_1 = require("./upgrade-host");
const VM_ACTIVITY_OPTIONS = {
    // Booting a TCG VM takes minutes on a busy machine; the start heartbeats while it waits.
    startToCloseTimeout: '30 minutes',
    heartbeatTimeout: '2 minutes',
    retry: {
        initialInterval: '5s',
        maximumInterval: '1 minute',
        maximumAttempts: 3,
        nonRetryableErrorTypes: [...types_1.NON_RETRYABLE_ERRORS],
    },
};
/** The start: any rehearsal worker (this workflow's queue). */
const anyRehearsalWorker = (0, workflow_1.proxyActivities)(VM_ACTIVITY_OPTIONS);
/** After the start, the worker on the VM's machine: its SSH port and QMP socket are there only. */
const onVmMachine = (taskQueue) => (0, workflow_1.proxyActivities)({ ...VM_ACTIVITY_OPTIONS, taskQueue });
async function rehearseKernel(input) {
    const { rehearsalId, upgrade } = input;
    if (!rehearsal_types_1.REHEARSAL_ID_RE.test(rehearsalId)) {
        throw workflow_1.ApplicationFailure.nonRetryable(`rehearsalId: ${JSON.stringify(rehearsalId)} is not a rehearsal id`, 'InvalidInputError');
    }
    (0, workflow_1.setCurrentDetails)(`starting the rehearsal VM for ${upgrade.toRelease}`);
    let vm;
    try {
        vm = await anyRehearsalWorker.startRehearsalVm.executeWithOptions({ summary: `start the rehearsal VM ${rehearsalId}` }, [{ rehearsalId }]);
    }
    catch (err) {
        // A start that failed has stopped what it started; there is no VM and no serial log.
        const reason = `the rehearsal VM did not start: ${(0, failure_1.describeFailure)(err)}`;
        (0, workflow_1.setCurrentDetails)(`rehearsal of ${upgrade.toRelease}: vm-failed (${reason})`);
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
    (0, workflow_1.setCurrentDetails)(`upgrading the rehearsal VM (${vm.target.host}) to ${upgrade.toRelease}`);
    let run;
    try {
        run = await (0, workflow_1.executeChild)(upgrade_host_1.upgradeHostKernel, {
            workflowId: (0, definitions_1.upgradeWorkflowId)(vm.target.host),
            taskQueue: vm.taskQueue,
            args: [rehearsalUpgrade(input, vm)],
        });
    }
    catch (err) {
        run = {
            outcome: 'vm-failed',
            reason: `the rehearsal run failed: ${(0, failure_1.describeFailure)(err)}`,
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
exports.VM_BOOT_DEADLINE_FLOOR_SECONDS = 900;
/** The real hosts' upgrade, aimed at the VM: no approval, the VM's QMP socket as its power. */
function rehearsalUpgrade(input, vm) {
    const { timeouts } = input.upgrade;
    return {
        ...input.upgrade,
        target: vm.target,
        power: { driver: 'qmp', socketPath: vm.qmpSocket, action: 'reset' },
        approveBeforeReboot: false,
        timeouts: {
            ...timeouts,
            bootDeadlineSeconds: Math.max(timeouts.bootDeadlineSeconds, exports.VM_BOOT_DEADLINE_FLOOR_SECONDS),
            powerCycleDeadlineSeconds: Math.max(timeouts.powerCycleDeadlineSeconds, exports.VM_BOOT_DEADLINE_FLOOR_SECONDS),
        },
    };
}
async function finish(input, vm, run) {
    const { source } = input.upgrade;
    const record = await onVmMachine(vm.taskQueue).stopRehearsalVm.executeWithOptions({ summary: `stop the rehearsal VM ${input.rehearsalId}` }, [
        {
            rehearsalId: input.rehearsalId,
            ...(source.kind === 'artifact' ? { keepWith: { host: source.host, debPath: source.path } } : {}),
            outcome: run.outcome,
            reason: run.reason,
        },
    ]);
    (0, workflow_1.setCurrentDetails)(`rehearsal of ${input.upgrade.toRelease}: ${run.outcome} (${run.reason})`);
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
//# sourceMappingURL=rehearse-kernel.js.map