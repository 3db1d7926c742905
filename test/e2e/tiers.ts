/**
 * Every VM scenario, defined once: its KERNEL_ROLLOUT_E2E name, the file that runs it, the
 * platforms it runs on, the safety layers it proves, and whether the gate (`.ci/run`'s
 * `npm run test:e2e`) runs it. `npm run test:matrix` (test/tools/matrix.ts) runs every scenario
 * on every platform of its own; the e2e files register a test only when `e2eSelected` says so.
 *
 * KERNEL_ROLLOUT_E2E=1,2,conformance picks scenarios by name (an alias such as `source-build`
 * names several); unset, the gate's scenarios run; an unknown name is an error.
 */

/** What a VM boots: firmware and bootloader. The testbed boots BIOS + GRUB only, today. */
export const platforms = {
  'bios-grub': 'SeaBIOS, GRUB 2 (grub-pc) from the disk, Debian 12: the testbed image',
  'no-vm': 'no VM: the scenario runs on this machine (a kernel build over SSH on loopback)',
} as const;
export type Platform = keyof typeof platforms;

/** The safety layers of docs/safety.md ("Defence in depth") and the rules behind them. */
export const layers = {
  'verified-commit': 'the default moves only to a kernel that booted and passed verification (rule 2)',
  'panic-reboot': '`panic=N oops=panic` on the trial boot: a panicking trial reboots by itself',
  'grub-one-shot': '`grub-reboot`: every boot after the trial is the saved default',
  'revert-timer': 'the host-side timer reboots a trial that kernel-rollout cannot reach',
  'power-driver': 'a trial that hangs without panicking is reset through the power driver',
  kexec: 'a kexec trial: GRUB is not involved in the trial at all',
  'durable-run': 'a worker lost mid-run: the run goes on, nothing done twice (rule 3)',
  'vm-rehearsal': 'a throwaway VM boots the kernel before any real host',
} as const;
export type Layer = keyof typeof layers;

export interface Scenario {
  /** Its KERNEL_ROLLOUT_E2E name. */
  readonly name: string;
  /** The file under test/e2e that runs it. */
  readonly file: string;
  /** One line: what it does. */
  readonly title: string;
  readonly platforms: readonly Platform[];
  readonly layers: readonly Layer[];
  /** In the gate: `npm run test:e2e` (in `.ci/run`) runs it when KERNEL_ROLLOUT_E2E is unset. */
  readonly gate: boolean;
  /** Its tests, by the names node's test runner reports. */
  readonly tests: RegExp;
  /** Its own VMs, by the names they hold their VM slot with (testbed/vm.ts). */
  readonly vms?: RegExp;
  /** VMs it shares with the other scenarios of one run that name the same pattern (cost split evenly). */
  readonly sharedVms?: RegExp;
}

const installedLayer = /^installed-layer$/;

export const scenarios = [
  {
    name: '1',
    file: 'scenarios.test.ts',
    title: 'upgrade from an uploaded .deb: upgraded, one reboot',
    platforms: ['bios-grub'],
    layers: ['verified-commit'],
    gate: true,
    tests: /^1\. /,
    vms: /^s1-/,
  },
  {
    name: '2',
    file: 'scenarios.test.ts',
    title: 'trial panics (init=/bin/false): panic=5 reboots into the old kernel',
    platforms: ['bios-grub'],
    layers: ['panic-reboot', 'grub-one-shot'],
    gate: true,
    tests: /^2\. /,
    vms: /^s2-/,
    sharedVms: installedLayer,
  },
  {
    name: '3',
    file: 'scenarios.test.ts',
    title: 'trial without network: the revert timer reboots it',
    platforms: ['bios-grub'],
    layers: ['revert-timer', 'grub-one-shot'],
    gate: true,
    tests: /^3\. /,
    vms: /^s3-/,
    sharedVms: installedLayer,
  },
  {
    name: '4',
    file: 'scenarios.test.ts',
    title: 'trial hangs (init=/bin/cat): the qmp driver resets it',
    platforms: ['bios-grub'],
    layers: ['power-driver', 'grub-one-shot'],
    gate: true,
    tests: /^4\. /,
    vms: /^s4-/,
    sharedVms: installedLayer,
  },
  {
    name: '5',
    file: 'scenarios.test.ts',
    title: 'kexec: upgraded, one boot, no firmware',
    platforms: ['bios-grub'],
    layers: ['kexec'],
    gate: true,
    tests: /^5\. /,
    vms: /^s5-/,
    sharedVms: installedLayer,
  },
  {
    name: '6',
    file: 'scenarios.test.ts',
    title: 'the worker SIGKILLed while the host reboots: upgraded, one reboot',
    platforms: ['bios-grub'],
    layers: ['durable-run'],
    gate: true,
    tests: /^6\. /,
    vms: /^s6-/,
    sharedVms: installedLayer,
  },
  {
    name: 'conformance',
    file: 'conformance.test.ts',
    title: 'the simulator shows what the real VM shows after every step of one transcript',
    platforms: ['bios-grub'],
    layers: ['grub-one-shot'],
    gate: true,
    tests: /^conformance: /,
    vms: /^conformance-/,
  },
  {
    name: 'demo',
    file: 'demo.test.ts',
    title: 'npm run demo as a newcomer runs it',
    platforms: ['bios-grub'],
    layers: ['verified-commit'],
    // Proves no layer scenario 1 does not (an upgrade from an uploaded .deb, committed), at 8-9
    // VM-minutes: the matrix runs it.
    gate: false,
    tests: /^npm run demo: /,
    vms: /^demo-/,
  },
  {
    name: 'rehearsal',
    file: 'rehearsal-vm.test.ts',
    title: "the rehearsal worker's VM activities on the testbed image",
    platforms: ['bios-grub'],
    layers: ['vm-rehearsal'],
    gate: true,
    tests: /^rehearsal VM: /,
    vms: /^rehearsal-vm$/,
  },
  {
    name: 'source-build-kill',
    file: 'source-build.test.ts',
    title: 'a kernel build over SSH survives its worker SIGKILLed mid-compile; asked again, a cache hit',
    platforms: ['no-vm'],
    layers: ['durable-run'],
    gate: false,
    tests: /^source build: worker SIGKILLed/,
  },
  {
    name: 'source-build-upgrade',
    file: 'source-build.test.ts',
    title:
      'one kernel built from source (the smallest config that boots the testbed), rehearsed on a throwaway VM, installed through GRUB',
    platforms: ['bios-grub'],
    layers: ['vm-rehearsal', 'verified-commit'],
    gate: true,
    tests: /^source build on the VM: rehearsed/,
    vms: /^sb-vm-/,
  },
  {
    name: 'source-build-refused',
    file: 'source-build.test.ts',
    title: 'the same config without the disk driver: its rehearsal refused, then unrehearsed it falls back by panic=5',
    platforms: ['bios-grub'],
    layers: ['vm-rehearsal', 'panic-reboot'],
    // What it proves beyond source-build-upgrade (a rehearsal that fails refuses the upgrade,
    // panic=5 brings the old kernel back) the gate proves with rehearsal and scenario 2; a second
    // kernel compile (~6 min) and ~9 VM-minutes more: the matrix runs it.
    gate: false,
    tests: /^source build on the VM: without/,
    vms: /^sb-noroot-/,
  },
] as const satisfies readonly Scenario[];

export type ScenarioName = (typeof scenarios)[number]['name'];

/** Names that select several scenarios. */
export const aliases: Readonly<Record<string, readonly ScenarioName[]>> = {
  'source-build': ['source-build-kill', 'source-build-upgrade', 'source-build-refused'],
};

/** The gate's scenarios: what `npm run test:e2e` runs when KERNEL_ROLLOUT_E2E is unset. */
export const gateNames = (): ScenarioName[] => scenarios.filter((s) => s.gate).map((s) => s.name);

/**
 * The scenarios a KERNEL_ROLLOUT_E2E value selects (unset: the gate's). Refuses an unknown name,
 * naming `field` (where the value came from) and the known ones.
 */
export function parseSelection(raw: string | undefined, field = 'KERNEL_ROLLOUT_E2E'): Set<ScenarioName> {
  if (raw === undefined) return new Set(gateNames());
  const known = new Map<string, readonly ScenarioName[]>(scenarios.map((s) => [s.name, [s.name]]));
  for (const [alias, names] of Object.entries(aliases)) known.set(alias, names);
  const out = new Set<ScenarioName>();
  for (const word of raw.split(',').map((w) => w.trim())) {
    if (word === '') continue;
    const names = known.get(word);
    if (!names) {
      throw new Error(`${field}: ${JSON.stringify(word)} is no scenario; known: ${[...known.keys()].join(', ')}`);
    }
    for (const n of names) out.add(n);
  }
  return out;
}

/** Whether this run selects the scenario `name` (KERNEL_ROLLOUT_E2E, else the gate). */
export function e2eSelected(name: ScenarioName): boolean {
  return parseSelection(process.env['KERNEL_ROLLOUT_E2E']).has(name);
}
