/**
 * A bootloader driver keeps the known-good kernel the default and boots a trial kernel once.
 * One file per bootloader (grub-debian.ts, systemd-boot.ts), each exporting one
 * `BootloaderDriver` (./bootloader-interface.ts) with its test beside it; this file holds
 * detection and the registry (one line per driver, src/shared/registry.ts). Preflight reads every
 * driver's fact sections and asks each in turn whether it manages the host; the driver that does
 * says what it can do on this host (its capabilities), what would make the trial unsafe there and
 * what it would fix.
 *
 * The kind preflight found is carried by the workflow into every later request (pin, stage,
 * commit, undo); a request without one is refused, never given a default. Each of those steps
 * first runs the same detection again (`bootloaderOnHost`, in the round trip the step makes
 * anyway) and refuses with BootloaderChangedError, before changing anything, when the host no
 * longer shows the bootloader preflight found.
 *
 * A trial with a bootloader: `pinDefault(known-good)` before anything is installed, then
 * `prepareTrial` (pins again, finds the new kernel) and `stageOneShot` (the next boot, and only
 * that one, runs the new kernel with the trial's arguments); `disarm` takes the one-shot and the
 * trial's traces away; committing is `disarm` + `pinDefault(new kernel)`.
 */
import type { FactSection } from '../sections';
import type { HostSession } from '../host';
import { sudo } from '../host';
import { sectionsScript, splitSections } from '../sections';
import { InvalidInputError } from '../../shared/schemas';
import { defineRegistry } from '../../shared/registry';
import { grubDebian } from './grub-debian';
import { systemdBoot } from './systemd-boot';
import type {
  BootloaderCapabilities,
  BootloaderAssessment,
  BootloaderDetails,
  PinnedDefault,
  PreparedTrial,
  BootState,
  BootloaderDriver,
} from './bootloader-interface';

export type {
  BootloaderCapabilities,
  BootloaderAssessment,
  BootloaderDetails,
  PinnedDefault,
  PreparedTrial,
  BootState,
  BootloaderDriver,
};

/**
 * Every bootloader kernel-rollout drives, in detection order: the first whose `readFacts` claims a
 * host drives it. The order rule, so that detection cannot misread a host:
 *  - a driver claims a host only on evidence that its loader is the one in use, never on a
 *    configuration file alone (GRUB: a generated grub.cfg with menu entries, not
 *    /etc/default/grub, which a host booted by another loader may keep; systemd-boot: the
 *    LoaderInfo EFI variable the loader that booted this boot set, naming systemd-boot, and
 *    entries on the ESP);
 *  - a driver whose evidence another loader can leave behind comes after that loader's driver
 *    (a host moved from GRUB to systemd-boot keeps a stale /etc/default/grub and grub.cfg, which
 *    GRUB's driver would read as its own: systemd-boot goes first, GRUB last). GRUB never leaves
 *    LoaderInfo naming systemd-boot behind (the variable is volatile, set at each boot by the
 *    loader that ran), so a host GRUB booted is not claimed by systemd-boot.
 */
export const bootloaders = defineRegistry([systemdBoot, grubDebian]);

/**
 * The driver a request names. There is no default: a request without a kind is refused, naming
 * the field, so a step can never drive a host through a bootloader preflight did not find. (Runs
 * recorded before requests named it are given `grub-debian` by the workflow, explicitly.)
 */
export function bootloaderFor(kind: string | undefined, field = 'bootloader'): BootloaderDriver {
  if (kind === undefined || kind === '') {
    throw new InvalidInputError(
      `${field}: missing; the request must name the bootloader preflight found (${bootloaderKinds()})`,
    );
  }
  const driver = bootloaders.find(kind);
  if (!driver) {
    throw new InvalidInputError(`${field}: ${kind} is not a bootloader kernel-rollout drives (${bootloaderKinds()})`);
  }
  return driver;
}

/**
 * The host does not show the bootloader preflight found (it was replaced, removed or its menu
 * emptied since): the step refuses before changing anything; a retry cannot fix it.
 */
export class BootloaderChangedError extends Error {
  override name = 'BootloaderChangedError';
}

/**
 * Confirms that `driver` still drives the host by running the same detection as preflight (every
 * driver's fact sections, in order), in one round trip together with the step's own read-only
 * `sections`; resolves to those sections' output. Throws BootloaderChangedError otherwise.
 */
export async function bootloaderOnHost(
  s: HostSession,
  driver: BootloaderDriver,
  host: string,
  sections: readonly FactSection[] = [],
): Promise<Record<string, string>> {
  const out = await readWithBootloaderSections(s, sections);
  assertBootloaderOnHost(out, driver, host);
  return out;
}

/** The read of bootloaderOnHost: `sections` and every driver's step sections, in one round trip, not yet checked. */
export async function readWithBootloaderSections(
  s: HostSession,
  sections: readonly FactSection[] = [],
): Promise<Record<string, string>> {
  return splitSections(await s.run(bootloaderReadScript(sections), { ...sudo, timeoutMs: 60_000 }));
}

/** The shell of readWithBootloaderSections (run as root): `sections`, then every driver's step sections. */
export function bootloaderReadScript(sections: readonly FactSection[] = []): string {
  return sectionsScript([...sections, ...bootloaderStepSections()]);
}

/** The check of bootloaderOnHost on what readWithBootloaderSections read: BootloaderChangedError unless `driver` drives the host. */
export function assertBootloaderOnHost(
  out: Readonly<Record<string, string>>,
  driver: BootloaderDriver,
  host: string,
): void {
  const found = detectBootloader(out);
  if (found?.driver.kind !== driver.kind) {
    throw new BootloaderChangedError(
      `${host}: preflight found the ${driver.kind} bootloader, the host now shows ${found ? found.driver.kind : 'none kernel-rollout drives'}; refusing to change its boot configuration (nothing was changed by this step): check the host's bootloader and its default entry`,
    );
  }
}

export function bootloaderKinds(): string {
  return bootloaders.kinds.join(', ');
}

/** Every driver's fact sections, each name once. */
export function bootloaderFactSections(): FactSection[] {
  return onceEach(bootloaders.drivers.flatMap((d) => d.factSections));
}

/** Every driver's step sections (what a step after preflight reads), each name once. */
export function bootloaderStepSections(): FactSection[] {
  return onceEach(bootloaders.drivers.flatMap((d) => d.stepSections));
}

function onceEach(sections: readonly FactSection[]): FactSection[] {
  const seen = new Set<string>();
  return sections.filter(([name]) => !seen.has(name) && !!seen.add(name));
}

/** The first driver that manages the host, with its facts; null when none does. */
export function detectBootloader(
  sections: Readonly<Record<string, string>>,
): { driver: BootloaderDriver; facts: BootloaderDetails } | null {
  for (const driver of bootloaders.drivers) {
    const facts = driver.readFacts(sections);
    if (facts) return { driver, facts };
  }
  return null;
}

/** Why a host no driver manages is refused (host name not included). */
export function noBootloaderRefusal(): string {
  const [only, ...more] = bootloaders.drivers;
  if (only && more.length === 0) return only.notFoundHint;
  return `no bootloader kernel-rollout drives was found: ${bootloaders.drivers.map((d) => `${d.kind}: ${d.notFoundHint}`).join('; ')}`;
}
