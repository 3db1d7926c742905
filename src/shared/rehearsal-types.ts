/**
 * The VM rehearsal (`--rehearse-in-vm`): before the first real host, the same upgrade runs on a
 * throwaway qemu VM through the normal per-host workflow. Plain types (the workflow bundle
 * imports them); docs/design.md, "The VM rehearsal".
 */
import type { Outcome, SshTargetInput, TimelineEntry, UpgradeHostInput } from './types';

/** The task queue of workers that can run VMs (`kernelctl worker --rehearsal-image DIR`). */
export const REHEARSAL_TASK_QUEUE = 'kernel-rollout-rehearsal';

/**
 * A rehearsal worker's own queue, named after its machine: the VM's SSH port and QMP socket exist
 * only there, so the run on the VM and the VM's stop go to this queue, not to any rehearsal
 * worker. A worker restarted on the same machine serves it again and finds its VMs running.
 */
export function rehearsalQueueOf(machine: string): string {
  return `${REHEARSAL_TASK_QUEUE}@${machine}`;
}

/** Where a rehearsal worker keeps one directory per rehearsal VM, unless --rehearsal-dir says otherwise. */
export const REHEARSAL_STATE_DIR_DEFAULT = '/var/tmp/kernel-rollout-rehearsals';

/** A rehearsal's name: its VM's state directory and its run's host name (`rehearsal-<id>`). */
export const REHEARSAL_ID_RE = /^[a-z0-9][a-z0-9-]{0,39}$/;

/** What the real hosts get, without a target: the VM takes the target's place. */
export type RehearsedUpgrade = Omit<UpgradeHostInput, 'target' | 'power' | 'holdForRollout' | 'rehearseInVm'>;

export interface RehearsalInput {
  rehearsalId: string;
  upgrade: RehearsedUpgrade;
}

/** startRehearsalVm's answer: how the per-host workflow reaches the VM and resets it. */
export interface RehearsalVm {
  /** The queue of the worker whose machine runs the VM (rehearsalQueueOf). */
  taskQueue: string;
  target: SshTargetInput;
  qmpSocket: string;
  /** The VM's serial console, on the rehearsal worker. */
  serialLogPath: string;
  /** Seconds from qemu's start until SSH answered (0 when an earlier attempt started it). */
  bootSeconds: number;
  /** true: an earlier attempt had started this VM and it was still running. */
  reattached: boolean;
}

export interface StopRehearsalRequest {
  rehearsalId: string;
  /** Where to keep the serial log and the outcome: next to the package on its artifact host. */
  keepWith?: { host: SshTargetInput; debPath: string };
  outcome: Outcome | 'vm-failed';
  reason: string;
}

/** Where a rehearsal's serial log and outcome were kept. */
export interface RehearsalRecord {
  /** On the artifact host (the build host for a build), when the package came from one. */
  artifactHost?: { host: string; dir: string };
  /** On the rehearsal worker. */
  worker: { dir: string; serialLogBytes: number };
}

export interface RehearsalResult {
  rehearsalId: string;
  outcome: Outcome | 'vm-failed';
  reason: string;
  bootedKernel: string | null;
  vmBootSeconds: number;
  record: RehearsalRecord;
  timeline: TimelineEntry[];
}

/**
 * The rehearseKernel workflow's signature (src/workflows/rehearse-kernel.ts, which checks that it
 * conforms): what starts it as a child by name types its arguments and result with this, without
 * importing the workflow.
 */
export type RehearseKernelWorkflow = (input: RehearsalInput) => Promise<RehearsalResult>;
