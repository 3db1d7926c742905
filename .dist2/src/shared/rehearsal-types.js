"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.REHEARSAL_ID_RE = exports.REHEARSAL_STATE_DIR_DEFAULT = exports.REHEARSAL_TASK_QUEUE = void 0;
exports.rehearsalQueueOf = rehearsalQueueOf;
/** The task queue of workers that can run VMs (`kernelctl worker --rehearsal-image DIR`). */
exports.REHEARSAL_TASK_QUEUE = 'kernel-rollout-rehearsal';
/**
 * A rehearsal worker's own queue, named after its machine: the VM's SSH port and QMP socket exist
 * only there, so the run on the VM and the VM's stop go to this queue, not to any rehearsal
 * worker. A worker restarted on the same machine serves it again and finds its VMs running.
 */
function rehearsalQueueOf(machine) {
    return `${exports.REHEARSAL_TASK_QUEUE}@${machine}`;
}
/** Where a rehearsal worker keeps one directory per rehearsal VM, unless --rehearsal-dir says otherwise. */
exports.REHEARSAL_STATE_DIR_DEFAULT = '/var/tmp/kernel-rollout-rehearsals';
/** A rehearsal's name: its VM's state directory and its run's host name (`rehearsal-<id>`). */
exports.REHEARSAL_ID_RE = /^[a-z0-9][a-z0-9-]{0,39}$/;
//# sourceMappingURL=rehearsal-types.js.map