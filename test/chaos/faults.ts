/**
 * The chaos suite's host faults: what each does to a simulated host (sim/MODEL.md), which power
 * driver the host gets, what the operator does when the run asks for one, and the outcome the
 * rollout must report. The expected outcomes are docs/safety.md's rollback matrix, nothing more.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { HostRolloutOutcome } from '../../src/workflows/rollout-definitions';
import type { PowerConfig } from '../../src/shared/types';
import type { HostFaults, Simulator } from '../../sim/simulator';

export const OLD = '6.1.0-55-cloud-amd64';
export const NEW = '6.1.0-56-cloud-amd64';

export type FaultKind =
  | 'none'
  | 'panic'
  | 'no-network'
  | 'unhealthy'
  | 'hang-power'
  | 'hang-power-fails'
  | 'never-returns'
  | 'hang-operator-fixes'
  | 'ssh-drop-install'
  | 'ssh-drop-reboot'
  | 'ssh-drop-reboot-hang'
  | 'ssh-drop-commit'
  | 'dpkg-lock'
  | 'boot-full'
  | 'host-key-changed'
  | 'slow-boot';

/** The host's power driver: the simulator's, one that fails, or one that acknowledges and does nothing. */
export type PowerKind = 'working' | 'failing' | 'ack-only';

/** What the chaos operator does when the host's run waits for one (`kernelctl resolve`). */
export type OperatorPolicy = 'give-up' | 'reset-by-hand-and-mark-fixed';

export interface FaultSpec {
  kind: FaultKind;
  /** Simulator faults, applied with setFaults just before the rollout starts. */
  sim: HostFaults;
  power: PowerKind;
  /** The new kernel boots but the service on it is broken: the `command` health check fails. */
  unhealthy?: boolean;
  operator?: OperatorPolicy;
  expected: HostRolloutOutcome;
}

export const FAULTS: Record<FaultKind, FaultSpec> = {
  none: { kind: 'none', sim: {}, power: 'working', expected: 'upgraded' },
  panic: { kind: 'panic', sim: { kernels: { [NEW]: 'panic' } }, power: 'working', expected: 'rolled-back' },
  'no-network': {
    kind: 'no-network',
    sim: { kernels: { [NEW]: 'no-network' } },
    power: 'working',
    expected: 'rolled-back',
  },
  unhealthy: { kind: 'unhealthy', sim: {}, power: 'working', unhealthy: true, expected: 'rolled-back' },
  'hang-power': { kind: 'hang-power', sim: { kernels: { [NEW]: 'hang' } }, power: 'working', expected: 'rolled-back' },
  'hang-power-fails': {
    kind: 'hang-power-fails',
    sim: { kernels: { [NEW]: 'hang' } },
    power: 'failing',
    operator: 'give-up',
    expected: 'needs-attention',
  },
  'never-returns': {
    kind: 'never-returns',
    sim: { kernels: { [NEW]: 'hang' } },
    power: 'ack-only',
    operator: 'give-up',
    expected: 'needs-attention',
  },
  'hang-operator-fixes': {
    kind: 'hang-operator-fixes',
    sim: { kernels: { [NEW]: 'hang' } },
    power: 'ack-only',
    operator: 'reset-by-hand-and-mark-fixed',
    expected: 'rolled-back',
  },
  'ssh-drop-install': {
    kind: 'ssh-drop-install',
    sim: { dropMidCommand: { pattern: 'apt-get .*install', afterMs: 50 } },
    power: 'working',
    expected: 'upgraded',
  },
  // The reboot command's answer is lost with the connection (the command still runs): the retry
  // must neither reboot twice nor give up on a host that is rebooting.
  'ssh-drop-reboot': {
    kind: 'ssh-drop-reboot',
    sim: { dropMidCommand: { pattern: '> /run/kernel-rollout/reboot-requested', afterMs: 0 } },
    power: 'working',
    expected: 'upgraded',
  },
  // The same, and the trial kernel hangs: no retry can reach the host again.
  'ssh-drop-reboot-hang': {
    kind: 'ssh-drop-reboot-hang',
    sim: {
      dropMidCommand: { pattern: '> /run/kernel-rollout/reboot-requested', afterMs: 0 },
      kernels: { [NEW]: 'hang' },
    },
    power: 'working',
    expected: 'rolled-back',
  },
  'ssh-drop-commit': {
    kind: 'ssh-drop-commit',
    sim: { dropMidCommand: { pattern: 'disable --now kernel-rollout-revert', afterMs: 20 } },
    power: 'working',
    expected: 'upgraded',
  },
  'dpkg-lock': { kind: 'dpkg-lock', sim: { dpkgLockSeconds: 4 }, power: 'working', expected: 'upgraded' },
  'boot-full': {
    kind: 'boot-full',
    sim: { bootFreeBytes: 10 * 1024 * 1024 },
    power: 'working',
    expected: 'refused',
  },
  'host-key-changed': {
    kind: 'host-key-changed',
    sim: { hostKeyChangesOnReboot: true },
    power: 'working',
    operator: 'give-up',
    expected: 'needs-attention',
  },
  'slow-boot': { kind: 'slow-boot', sim: { bootSeconds: 4 }, power: 'working', expected: 'upgraded' },
};

export const ALL_FAULTS = Object.keys(FAULTS) as FaultKind[];

/** Faults whose run ends within one boot deadline: the company of the worker-kill scenarios' trigger hosts. */
export const QUICK_FAULTS: FaultKind[] = [
  'none',
  'panic',
  'unhealthy',
  'ssh-drop-install',
  'ssh-drop-reboot',
  'ssh-drop-commit',
  'dpkg-lock',
  'slow-boot',
  'boot-full',
  'host-key-changed',
];

/** The health check that makes `unhealthy` hosts fail verification on the new kernel. */
export const UNHEALTHY_MARKER = '/var/lib/kernel-rollout-chaos/unhealthy';
export const HEALTH_CHECKS = [
  { kind: 'system-running', allowDegraded: true },
  { kind: 'command', command: `test ! -e ${UNHEALTHY_MARKER}`, timeoutSeconds: 30 },
];

/** dist/sim/power.js: the simulator's power driver for kernel-rollout's `command` driver. */
function simPowerScript(): string {
  return path.join(__dirname, '..', '..', 'sim', 'power.js');
}

export function powerConfig(sim: Simulator, kind: PowerKind): PowerConfig {
  switch (kind) {
    case 'working':
      return {
        driver: 'command',
        argv: [process.execPath, simPowerScript(), sim.controlPath, '{host}', 'reset'],
        timeoutSeconds: 30,
      };
    case 'failing':
      return {
        driver: 'command',
        argv: ['/bin/sh', '-c', 'echo "ipmitool: BMC of $KERNEL_ROLLOUT_HOST: connection timed out" >&2; exit 1'],
        timeoutSeconds: 30,
      };
    case 'ack-only':
      return { driver: 'command', argv: ['/bin/true'], timeoutSeconds: 30 };
  }
}

/** Gives the host its fault: simulator faults now (the dpkg lock and /boot apply at once), marker files. */
export function injectFault(sim: Simulator, host: string, fault: FaultSpec): void {
  sim.setFaults(host, fault.sim);
  if (fault.unhealthy) {
    // The host's /var is <state>/hosts/<name>/var (sim/MODEL.md); the marker survives reboots.
    const marker = path.join(sim.stateDir, 'hosts', host, UNHEALTHY_MARKER.replace(/^\/var\//, 'var/'));
    fs.mkdirSync(path.dirname(marker), { recursive: true });
    fs.writeFileSync(marker, 'the service on this host fails its health check\n');
  }
}
