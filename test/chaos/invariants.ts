/**
 * The invariants the chaos suite checks on every host after every run, as one pure function
 * over evidence from both sides: the simulated host (its grubenv and grub.cfg, boot history,
 * command log, power resets — what really happened) and the host's workflow runs in Temporal
 * (their histories: which reboots and power cycles the workflow decided, which kernel it verified
 * in which boot, what it committed — what kernel-rollout believes). Neither side is trusted to
 * describe the other.
 *
 *  1. saved-default — the kernel GRUB boots on the next plain power-on (Debian's own header
 *     logic, sim/model.ts grubSelect, on the host's files) is the host's original kernel or one
 *     the workflow verified in a boot that the host's boot history shows; never the trial entry,
 *     never a fallback to entry 0 because saved_entry names nothing.
 *  2. reboots — the host did not reboot more often than the workflow decided: reboots requested
 *     over SSH ≤ rebootHost activities scheduled; power resets ≤ powerCycle activities scheduled
 *     + resets the operator did by hand; every boot after the first is one of those, a panic=N
 *     reboot of a panicking kernel or the host-side revert timer.
 *  3. next-entry — no one-shot is pending once the run has its outcome.
 *  4. outcome — every rollout reports the outcome the injected fault calls for (or rolled-back
 *     where the host's revert timer fired before any confirmation: the safety net, not a fault),
 *     and the host agrees with it: `upgraded` boots the target kernel by default (committed after it was
 *     verified), every other outcome boots the original kernel; `refused` changed nothing.
 *  5. one-run-at-a-time — the host's runs (workflow id kernel-upgrade/<host>) never overlap.
 */
import type { HostRolloutOutcome } from '../../src/workflows/rollout-definitions';
import type { UpgradeResult } from '../../src/shared/types';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatGrubenvBlock, grubSelect, parseGrubenvBlock, releaseOfImage, withCustomCfg } from '../../sim/model';
import type { CommandRecord, HostInspection } from '../../sim/simulator';

export type InvariantName =
  'saved-default' | 'reboots' | 'next-entry' | 'outcome' | 'one-run-at-a-time' | 'reboot-count';

export interface Violation {
  host: string;
  invariant: InvariantName;
  detail: string;
}

/** One run of kernel-upgrade/<host>, from its history. */
export interface RunEvidence {
  runId: string;
  startedAt: number;
  /** null while running. */
  closedAt: number | null;
  status: 'running' | 'completed' | 'failed' | 'terminated' | 'timed-out' | 'canceled' | 'continued-as-new';
  result?: UpgradeResult;
}

/** What the host's workflow runs decided and saw, summed over all its runs. */
export interface WorkflowEvidence {
  runs: RunEvidence[];
  /** rebootHost activities scheduled: each is one decision to reboot (its retries are not new decisions). */
  rebootDecisions: number;
  /** powerCycle activities scheduled. */
  powerCycleDecisions: number;
  /** verifyKernel results with ok: the kernel release and the boot id it was verified in. */
  verified: { release: string; bootId: string }[];
  /** commitKernel activities that completed: the release made the default and the boot it ran in. */
  commits: { release: string; bootId: string }[];
}

/** One rollout's view of the host. */
export interface Participation {
  rolloutId: string;
  /** What the rollout reported; null when it has no record of the host. */
  outcome: HostRolloutOutcome | null;
  expected: HostRolloutOutcome;
}

export interface HostEvidence {
  host: string;
  /** The kernel release the rollouts upgrade to. */
  target: string;
  participations: Participation[];
  inspection: HostInspection;
  /** /boot/grub/grubenv as it is on the host, and grub.cfg as GRUB runs it (custom.cfg sourced: menuAsBooted). */
  grubenv: string;
  grubCfg: string;
  commands: CommandRecord[];
  /** Power resets the (simulated) operator did by hand. */
  operatorResets: number;
  workflow: WorkflowEvidence;
}

/** What GRUB boots on the next power-on once no one-shot is pending (next_entry removed). */
export function defaultBoot(
  grubenv: string,
  grubCfg: string,
): {
  release: string | null;
  entry: string | null;
  args: string;
  reason: string;
} {
  const withoutOneShot = formatGrubenvBlock(parseGrubenvBlock(grubenv).filter((v) => v.key !== 'next_entry'));
  const sel = grubSelect(withoutOneShot, grubCfg);
  const image = sel.entry?.linuxImage ?? null;
  return {
    release: image ? releaseOfImage(image) : null,
    entry: sel.entry?.idPath ?? null,
    args: sel.entry?.linuxArgs ?? '',
    reason: sel.reason,
  };
}

/** A host's /boot/grub (`dir`): grub.cfg with custom.cfg's entries where its 41_custom section sources them. */
export function menuAsBooted(dir: string): string {
  const custom = path.join(dir, 'custom.cfg');
  return withCustomCfg(
    fs.readFileSync(path.join(dir, 'grub.cfg'), 'utf8'),
    fs.existsSync(custom) ? fs.readFileSync(custom, 'utf8') : null,
  );
}

/** Reboots the host's revert timer asked for (its service's ExecStart runs `systemctl reboot`). */
export function revertTimerReboots(commands: readonly CommandRecord[]): number {
  return commands.filter((c) => c.source === 'systemd' && /systemctl reboot/.test(c.command)).length;
}

/**
 * The revert timer fired in a trial boot in which nothing had confirmed the trial over SSH: the
 * host reverted by itself, as designed, before the orchestrator confirmed. (A confirmation that
 * did not stop the timer would show a confirm command before the firing, and does not count.)
 */
export function revertTimerBeatConfirmation(e: Pick<HostEvidence, 'commands' | 'inspection'>): boolean {
  const firings = e.commands.filter((c) => c.source === 'systemd' && /systemctl reboot/.test(c.command));
  return firings.some((f) => {
    const trial = [...e.inspection.boots].reverse().find((b) => b.at <= f.at);
    if (!trial || !/(^|\s)kernel_rollout\.trial=/.test(trial.cmdline)) return false;
    return !e.commands.some(
      (c) =>
        c.source === 'ssh' && c.at >= trial.at && c.at <= f.at && /\/run\/kernel-rollout\/confirmed/.test(c.command),
    );
  });
}

export function checkHost(e: HostEvidence): Violation[] {
  const def = defaultBoot(e.grubenv, e.grubCfg);
  const under = rebootCountUnderReported(e);
  const found: [InvariantName, string[]][] = [
    ['saved-default', savedDefaultViolations(e, def)],
    ['reboots', rebootViolations(e)],
    ['next-entry', e.inspection.nextEntry !== null ? [`next_entry=${e.inspection.nextEntry} after the outcome`] : []],
    ['outcome', outcomeViolations(e, def)],
    ['one-run-at-a-time', overlappingRuns(e.workflow.runs)],
    // The results own up to every reboot the host had from the workflow.
    ['reboot-count', under ? [under] : []],
  ];
  return found.flatMap(([invariant, details]) => details.map((detail) => ({ host: e.host, invariant, detail })));
}

type DefaultBoot = ReturnType<typeof defaultBoot>;

/** The release the host booted first: the one it had before the workflow. */
function originalRelease(e: HostEvidence): string {
  return e.inspection.boots[0]?.release ?? '(no initial boot)';
}

/** 1. GRUB boots an installed, non-trial kernel: the original, or one the workflow verified in a boot the host had. */
function savedDefaultViolations(e: HostEvidence, def: DefaultBoot): string[] {
  const insp = e.inspection;
  const wf = e.workflow;
  const original = originalRelease(e);
  if (def.release === null) {
    return [`GRUB would boot nothing (${def.reason}): the host would stop at the GRUB prompt`];
  }
  const out: string[] = [];
  const verifiedHere = (release: string) =>
    wf.verified.some(
      (v) =>
        v.release === release &&
        insp.boots.some((b) => b.bootId === v.bootId && b.release === release && b.outcome === 'up'),
    );
  if (def.reason === 'fallback-0') {
    out.push(
      `saved_entry ${insp.savedEntry ?? '(unset)'} is not in grub.cfg: GRUB falls back to entry 0 (${def.entry})`,
    );
  }
  if (/(^|\s)kernel_rollout\.trial=/.test(def.args)) {
    out.push(`the default entry ${def.entry} is the trial entry (${def.args})`);
  }
  if (!insp.installedKernels.includes(def.release)) {
    out.push(`the default entry boots ${def.release}, which is not installed`);
  }
  if (def.release !== original && !verifiedHere(def.release)) {
    out.push(
      `the default boots ${def.release} (${def.entry}), neither the original ${original} nor a kernel the workflow ` +
        `verified in a boot the host had (verified: ${wf.verified.map((v) => `${v.release}@${v.bootId.slice(0, 8)}`).join(', ') || 'none'})`,
    );
  }
  return out;
}

/** 2. Every reboot and reset the host had is one the workflow, the operator, a panic or the revert timer caused. */
function rebootViolations(e: HostEvidence): string[] {
  const insp = e.inspection;
  const wf = e.workflow;
  const out: string[] = [];
  const timerReboots = revertTimerReboots(e.commands);
  const sshReboots = insp.rebootsRequested - timerReboots;
  const panicReboots = insp.boots.filter((_, i) => i > 0 && insp.boots[i - 1]?.outcome === 'panic').length;
  const bootsAfterFirst = insp.bootCount - 1;
  if (sshReboots > wf.rebootDecisions) {
    out.push(
      `${sshReboots} reboot(s) requested over SSH, the workflow decided ${wf.rebootDecisions} (rebootHost scheduled)`,
    );
  }
  if (insp.powerResets > wf.powerCycleDecisions + e.operatorResets) {
    out.push(
      `${insp.powerResets} power reset(s), the workflow decided ${wf.powerCycleDecisions} and the operator did ${e.operatorResets}`,
    );
  }
  const accounted = wf.rebootDecisions + wf.powerCycleDecisions + e.operatorResets + panicReboots + timerReboots;
  if (bootsAfterFirst > accounted) {
    out.push(
      `${bootsAfterFirst} boot(s) after the first, only ${accounted} accounted for (workflow reboots ${wf.rebootDecisions}, ` +
        `power cycles ${wf.powerCycleDecisions}, operator resets ${e.operatorResets}, panic reboots ${panicReboots}, ` +
        `revert timer ${timerReboots})`,
    );
  }
  return out;
}

/** 4. Each rollout reports what its fault calls for, and the host's default agrees with the final outcome. */
function outcomeViolations(e: HostEvidence, def: DefaultBoot): string[] {
  const insp = e.inspection;
  const wf = e.workflow;
  const original = originalRelease(e);
  const out: string[] = [];
  const timerWon = revertTimerBeatConfirmation(e);
  for (const p of e.participations) {
    // The host-side safety net doing its job is not a wrong outcome: the orchestrator (slowed
    // down by the chaos around it) had not confirmed the trial when the revert timer fired.
    if (p.expected === 'upgraded' && p.outcome === 'rolled-back' && timerWon) continue;
    if (p.outcome !== p.expected) {
      out.push(`rollout ${p.rolloutId} reports ${p.outcome ?? 'nothing'}, the fault calls for ${p.expected}`);
    }
  }
  const final = [...e.participations].reverse().find((p) => p.outcome !== 'busy')?.outcome ?? null;
  if (final === 'upgraded') {
    if (def.release !== e.target) {
      out.push(`reported upgraded, but the default boots ${def.release ?? 'nothing'}, not ${e.target}`);
    }
    const committed = wf.commits.some(
      (c) => c.release === e.target && wf.verified.some((v) => v.release === c.release && v.bootId === c.bootId),
    );
    if (!committed) out.push(`reported upgraded without a commit of ${e.target} in a verified boot`);
  } else if (final !== null && def.release !== null && def.release !== original) {
    out.push(`reported ${final}, but the default boots ${def.release}, not the original ${original}`);
  }
  if (final === 'refused') {
    if (insp.bootCount !== 1) out.push(`refused, yet the host booted ${insp.bootCount - 1} more time(s)`);
    if (insp.installedKernels.join(' ') !== original) {
      out.push(`refused, yet the installed kernels changed: ${insp.installedKernels.join(' ')}`);
    }
  }
  return out;
}

/** 5. No run started while another was still open. */
function overlappingRuns(runsAsRecorded: readonly RunEvidence[]): string[] {
  const out: string[] = [];
  const runs = [...runsAsRecorded].sort((a, b) => a.startedAt - b.startedAt);
  for (let i = 1; i < runs.length; i++) {
    const prev = runs[i - 1] as RunEvidence;
    const cur = runs[i] as RunEvidence;
    if (prev.closedAt === null || prev.closedAt > cur.startedAt) {
      out.push(`run ${cur.runId} started while run ${prev.runId} was still open`);
    }
  }
  return out;
}

/**
 * Whether the runs' results claim fewer reboots (`rebootCount`) than the host had from the
 * workflow (reboots requested over SSH, power resets); null when they do not. (More is not a
 * violation: a power driver that acknowledges and does nothing is one of the faults.)
 */
export function rebootCountUnderReported(e: HostEvidence): string | null {
  const claimed = e.workflow.runs.reduce((n, r) => n + (r.result?.rebootCount ?? 0), 0);
  const seen =
    e.inspection.rebootsRequested - revertTimerReboots(e.commands) + e.inspection.powerResets - e.operatorResets;
  return claimed >= seen ? null : `rebootCount ${claimed}, the host rebooted ${seen} time(s)`;
}
