/**
 * Every VM scenario, defined once: its KERNEL_ROLLOUT_E2E name, the file that runs it, the
 * platforms it runs on, the safety layers it proves, and on which of its platforms the gate
 * (`.ci/run`'s `npm run test:e2e`) runs it. `npm run test:matrix` (test/tools/matrix.ts) runs
 * every scenario on every platform of its own; the e2e files register a test only when
 * `e2eSelected` says so, for the platform their run is on (KERNEL_ROLLOUT_PLATFORM).
 *
 * KERNEL_ROLLOUT_E2E picks scenario × platform pairs: a scenario's name (on all its platforms),
 * an alias such as `source-build` (several scenarios), a platform's name such as `systemd-boot`
 * (every scenario on that platform) or `name@platform` (one pair). Unset, the gate's pairs run;
 * an unknown word is an error.
 */

/** What a VM boots: firmware and bootloader (testbed/build-image.sh builds one image for each). */
export const platforms = {
  'bios-grub': 'SeaBIOS, GRUB 2 (grub-pc) from the disk, Debian 12: the testbed image',
  'uefi-grub': 'OVMF (UEFI), GRUB 2 (grub-efi-amd64) from the ESP, Debian 12',
  'systemd-boot': "OVMF (UEFI), systemd-boot from the ESP with kernel-install's entries, Debian 12",
  'no-vm': 'no VM: the scenario runs on this machine (a kernel build over SSH on loopback)',
} as const;
export type Platform = keyof typeof platforms;

/** The platform whose gate proves every layer; the others' gates prove an upgrade and a panic fallback. */
export const primaryPlatform: Platform = 'bios-grub';

/** The platform a test process runs on: KERNEL_ROLLOUT_PLATFORM (the matrix sets it), else the primary. */
export function currentPlatform(): Platform {
  const raw = process.env['KERNEL_ROLLOUT_PLATFORM'];
  if (raw === undefined || raw === '') return primaryPlatform;
  if (!Object.hasOwn(platforms, raw)) {
    throw new Error(
      `KERNEL_ROLLOUT_PLATFORM: ${JSON.stringify(raw)} is no platform; known: ${Object.keys(platforms).join(', ')}`,
    );
  }
  return raw as Platform;
}

/** The safety layers of docs/safety.md ("Defence in depth") and the rules behind them. */
export const layers = {
  'verified-commit': 'the default moves only to a kernel that booted and passed verification (rule 2)',
  'panic-reboot': '`panic=N oops=panic` on the trial boot: a panicking trial reboots by itself',
  'one-shot':
    "the bootloader's one-shot (`grub-reboot`, `bootctl set-oneshot`): every boot after the trial is the known-good default",
  'boot-counting': "systemd-boot's tries counter: a trial entry that keeps failing is skipped by the loader itself",
  'revert-timer': 'the host-side timer reboots a trial that kernel-rollout cannot reach',
  'power-driver': 'a trial that hangs without panicking is reset through the power driver',
  kexec: 'a kexec trial: the bootloader is not involved in the trial at all',
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
  /** The platforms on which the gate (`npm run test:e2e` in `.ci/run`, KERNEL_ROLLOUT_E2E unset) runs it. */
  readonly gate: readonly Platform[];
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
    platforms: ['bios-grub', 'uefi-grub', 'systemd-boot'],
    layers: ['verified-commit'],
    // On BIOS + GRUB its parts are in the gate's other scenarios: the installed layer's install
    // from an uploaded .deb, scenario 6's trial and verified commit, source-build-upgrade's.
    gate: ['uefi-grub', 'systemd-boot'],
    tests: /^1\. /,
    vms: /^s1-/,
  },
  {
    name: '2',
    file: 'scenarios.test.ts',
    title:
      "trial panics (init=/bin/false): panic=5 reboots into the old kernel; on UEFI the panic's lines come back from pstore",
    platforms: ['bios-grub', 'uefi-grub', 'systemd-boot'],
    layers: ['panic-reboot', 'one-shot'],
    gate: ['bios-grub', 'uefi-grub', 'systemd-boot'],
    tests: /^2\. /,
    vms: /^s2-/,
    sharedVms: installedLayer,
  },
  {
    name: '3',
    file: 'scenarios.test.ts',
    title: 'trial without network: the revert timer reboots it',
    platforms: ['bios-grub', 'systemd-boot'],
    layers: ['revert-timer', 'one-shot'],
    gate: ['bios-grub'],
    tests: /^3\. /,
    vms: /^s3-/,
    sharedVms: installedLayer,
  },
  {
    name: '4',
    file: 'scenarios.test.ts',
    title: 'trial hangs (init=/bin/cat): the qmp driver resets it',
    platforms: ['bios-grub', 'systemd-boot'],
    layers: ['power-driver', 'one-shot'],
    gate: ['bios-grub'],
    tests: /^4\. /,
    vms: /^s4-/,
    sharedVms: installedLayer,
  },
  {
    name: '5',
    file: 'scenarios.test.ts',
    title: 'kexec: upgraded, one boot, no firmware',
    platforms: ['bios-grub', 'systemd-boot'],
    layers: ['kexec'],
    gate: ['bios-grub'],
    tests: /^5\. /,
    vms: /^s5-/,
    sharedVms: installedLayer,
  },
  {
    name: '6',
    file: 'scenarios.test.ts',
    title: 'the worker SIGKILLed while the host reboots: upgraded, one reboot',
    platforms: ['bios-grub', 'systemd-boot'],
    layers: ['durable-run'],
    gate: ['bios-grub'],
    tests: /^6\. /,
    vms: /^s6-/,
    sharedVms: installedLayer,
  },
  {
    name: 'health-fail',
    file: 'scenarios.test.ts',
    title: 'the trial boots but its health check fails: rolled back, the trial entry never blessed',
    platforms: ['systemd-boot'],
    layers: ['verified-commit', 'boot-counting'],
    gate: [],
    tests: /^health-fail\. /,
    vms: /^shealth-fail-/,
    sharedVms: installedLayer,
  },
  {
    name: 'tries-exhausted',
    file: 'scenarios.test.ts',
    title: 'the loader loses its default and one-shot, the trial panics: its spent tries make the loader skip it',
    platforms: ['systemd-boot'],
    layers: ['boot-counting', 'panic-reboot'],
    gate: [],
    tests: /^tries-exhausted\. /,
    vms: /^stries-exhausted-/,
    sharedVms: installedLayer,
  },
  {
    name: 'conformance',
    file: 'conformance.test.ts',
    title: 'the simulator shows what the real VM shows after every step of one transcript',
    platforms: ['bios-grub', 'systemd-boot'],
    layers: ['one-shot'],
    gate: ['bios-grub'],
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
    gate: [],
    tests: /^npm run demo: /,
    vms: /^demo-/,
  },
  {
    name: 'rehearsal',
    file: 'rehearsal-vm.test.ts',
    title: "the rehearsal worker's VM activities on the testbed image",
    platforms: ['bios-grub'],
    layers: ['vm-rehearsal'],
    gate: ['bios-grub'],
    tests: /^rehearsal VM: /,
    vms: /^rehearsal-vm$/,
  },
  {
    name: 'source-build-kill',
    file: 'source-build.test.ts',
    title: 'a kernel build over SSH survives its worker SIGKILLed mid-compile; asked again, a cache hit',
    platforms: ['no-vm'],
    layers: ['durable-run'],
    gate: [],
    tests: /^source build: worker SIGKILLed/,
  },
  {
    name: 'source-build-upgrade',
    file: 'source-build.test.ts',
    title:
      'one kernel built from source (the smallest config that boots the testbed), rehearsed on a throwaway VM, installed through GRUB',
    platforms: ['bios-grub'],
    layers: ['vm-rehearsal', 'verified-commit'],
    gate: ['bios-grub'],
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
    gate: [],
    tests: /^source build on the VM: without/,
    vms: /^sb-noroot-/,
  },
  {
    name: 'source-build-localmodconfig',
    file: 'source-build-lmc.test.ts',
    title:
      "issue 23's acceptance: `kernelctl build` from localmodconfig of a testbed VM on a fresh build host prepared only by setup-build-host.sh succeeds on the first try; the VM upgraded to it",
    platforms: ['bios-grub'],
    layers: ['verified-commit'],
    // A compile of Debian's config (30-60 min on two busy cores) and a fresh debootstrapped build
    // host: the matrix runs it.
    gate: [],
    tests: /^source build from localmodconfig/,
    vms: /^lmc-/,
  },
] as const satisfies readonly Scenario[];

export type ScenarioName = (typeof scenarios)[number]['name'];

/** Names that select several scenarios (a platform's name selects its scenarios too). */
export const aliases: Readonly<Record<string, readonly ScenarioName[]>> = {
  'source-build': ['source-build-kill', 'source-build-upgrade', 'source-build-refused'],
};

/** One scenario on one platform: `name@platform`, the unit the matrix runs and records. */
export type PairKey = `${ScenarioName}@${Platform}`;
export const pairKey = (name: ScenarioName, platform: Platform): PairKey => `${name}@${platform}`;

/** The gate's pairs: what `npm run test:e2e` runs when KERNEL_ROLLOUT_E2E is unset. */
export const gatePairs = (): PairKey[] =>
  scenarios.flatMap((s) => (s.gate as readonly Platform[]).map((p) => pairKey(s.name, p)));

/**
 * The scenario × platform pairs a KERNEL_ROLLOUT_E2E value selects (unset: the gate's). Refuses
 * an unknown word, naming `field` (where the value came from) and the known ones.
 */
export function parseSelection(raw: string | undefined, field = 'KERNEL_ROLLOUT_E2E'): Set<PairKey> {
  if (raw === undefined) return new Set(gatePairs());
  const all = (names: readonly ScenarioName[]): PairKey[] =>
    scenarios.filter((s) => names.includes(s.name)).flatMap((s) => s.platforms.map((p) => pairKey(s.name, p)));
  const known = new Map<string, PairKey[]>();
  for (const s of scenarios) {
    known.set(s.name, all([s.name]));
    for (const p of s.platforms) known.set(pairKey(s.name, p), [pairKey(s.name, p)]);
  }
  for (const [alias, names] of Object.entries(aliases)) known.set(alias, all(names));
  for (const p of Object.keys(platforms) as Platform[]) {
    known.set(
      p,
      scenarios.filter((s) => (s.platforms as readonly Platform[]).includes(p)).map((s) => pairKey(s.name, p)),
    );
  }
  const out = new Set<PairKey>();
  for (const word of raw.split(',').map((w) => w.trim())) {
    if (word === '') continue;
    const pairs = known.get(word);
    if (!pairs) {
      const names = [...known.keys()].filter((k) => !k.includes('@'));
      throw new Error(
        `${field}: ${JSON.stringify(word)} is no scenario or platform; known: ${names.join(', ')} (or name@platform)`,
      );
    }
    for (const k of pairs) out.add(k);
  }
  return out;
}

/** Whether this run selects the scenario `name` on the platform it runs on (KERNEL_ROLLOUT_E2E, else the gate). */
export function e2eSelected(name: ScenarioName): boolean {
  return parseSelection(process.env['KERNEL_ROLLOUT_E2E']).has(pairKey(name, currentPlatform()));
}
