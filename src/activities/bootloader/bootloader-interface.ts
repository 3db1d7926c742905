/** What a bootloader driver is and what it reports (./bootloader.ts holds the registry). */
import type { Driver } from '../../shared/registry';
import type { FactSection } from '../sections';
import type { HostSession } from '../host';

/** What a bootloader can do on a given host. */
export interface BootloaderCapabilities {
  /**
   * The one-shot entry is cleared as it is booted, so a trial kernel that panics is not booted
   * again. When not, the reason says why and what to do (a kexec trial needs no one-shot).
   */
  clearsOneShotAtBoot: { ok: true } | { ok: false; reason: string };
  /**
   * A second net under the one-shot: the loader counts the trial entry's boots down (one try) and
   * never picks an entry without tries left by itself; only kernel-rollout's commit blesses.
   * Shown in the plan (the driver's summary); no trial depends on it.
   */
  hasBootCounting: { ok: true } | { ok: false; reason: string };
}

export interface BootloaderAssessment {
  capabilities: BootloaderCapabilities;
  /** What makes the trial unsafe with this bootloader (messages without the host name). */
  refusals: string[];
  /** What pinning will change (e.g. GRUB_DEFAULT=0 → saved). */
  fixes: string[];
  warnings: string[];
}

/** A driver's own facts (JSON): the driver's file documents them. */
export type BootloaderDetails = Readonly<Record<string, unknown>>;

export interface PinnedDefault {
  /** The entry now the default, as the bootloader names it. */
  entry: string;
  /** Whether the bootloader's configuration had to be changed for a saved default to hold. */
  fixedConfiguration: boolean;
  /** What changed, in the bootloader's words, when it did (GRUB: "GRUB_DEFAULT set to saved"). */
  change?: string;
  /** Where the changed configuration's original was kept, when it was changed. */
  backupPath: string | null;
}

export interface PreparedTrial {
  /** The known-good entry, pinned as the default. */
  knownGoodEntry: string;
  /**
   * Makes the next boot, and only that one, the new kernel with these arguments; `alongWith`
   * (shell steps) runs first in the same round trip. Returns the entry and the state read back
   * in that round trip.
   */
  stageOneShot(
    kernelArgs: readonly string[],
    alongWith: readonly string[],
  ): Promise<{ entry: string; state: BootState }>;
  /** For a kexec trial: no one-shot at all; `alongWith` first, the state read back, one round trip. */
  clearOneShot(alongWith: readonly string[]): Promise<BootState>;
}

/** What a commit runs around its bootloader write, in the same round trip (see commitDefault). */
export interface CommitSteps {
  /** Shell steps run first, chained with `&&`: nothing else runs unless each succeeds (the caller's guard). */
  before: readonly string[];
  /** Steps the driver's disarm runs along with its own (as `disarm`'s `alongWith`). */
  disarmAlongWith: readonly string[];
  /**
   * Run last, only when the write succeeded (the caller still learns from the result whether the
   * default read back right: a mismatch throws); their output, stdout and stderr, is returned.
   */
  after: readonly string[];
}

export interface BootState {
  defaultEntry: string | null;
  oneShotEntry: string | null;
  /** What was read, in the bootloader's words, for messages. */
  readBack: string;
}

/** A bootloader driver; `Kind` is its kind's literal (the registry infers the union of them). */
export interface BootloaderDriver<Kind extends string = string> extends Driver<Kind> {
  /** Sections of the preflight script this driver reads. */
  readonly factSections: readonly FactSection[];
  /**
   * The part of factSections a later step's read needs (bootloaderOnHost): all that `readFacts`
   * claims the host by, so that detection there finds what preflight found, and the state
   * pinDefault, prepareTrial and commitDefault act on. What only preflight's assessment reads
   * (package versions, filesystems, EFI stubs) is left to preflight.
   */
  readonly stepSections: readonly FactSection[];
  /** Why a host without this bootloader is refused, and what to do (without the host name). */
  readonly notFoundHint: string;
  /** This bootloader's facts from the preflight sections, or null when it does not manage the host. */
  readFacts(sections: Readonly<Record<string, string>>): BootloaderDetails | null;
  /** One line per fact worth showing, for the plan output. */
  summary(facts: BootloaderDetails): string[];
  /**
   * Optional: which form of this bootloader the host has, where a driver covers several (GRUB:
   * `EFI` or `BIOS`); the plan, status and web UI name the bootloader `<kind> (<variant>)`.
   */
  variant?(facts: BootloaderDetails): string | null;
  assess(
    facts: BootloaderDetails,
    ctx: { host: string; runningKernel: string; toRelease: string },
  ): BootloaderAssessment;
  /** Shell command (as root, no single quote) that clears a pending one-shot; the revert timer runs it. */
  clearOneShotCommand(): string;
  /**
   * Makes `release`'s entry the default (it must run now or be the known-good); read back.
   * `facts`: this driver's fact sections as bootloaderOnHost read them earlier in the same step
   * (nothing changed since), so the driver need not read them again.
   */
  pinDefault(
    s: HostSession,
    release: string,
    host: string,
    facts?: Readonly<Record<string, string>>,
  ): Promise<PinnedDefault>;
  /** Pins the known-good kernel and finds the new kernel's entry; refuses when it has none. `facts` as for pinDefault. */
  prepareTrial(
    s: HostSession,
    req: { host: string; knownGoodRelease: string; toRelease: string },
    facts?: Readonly<Record<string, string>>,
  ): Promise<PreparedTrial>;
  clearOneShot(s: HostSession): Promise<void>;
  readState(s: HostSession): Promise<BootState>;
  /**
   * Clears the one-shot and removes the trial's entry; `alongWith` (shell steps, each safe to
   * repeat) runs in the same round trip. Safe to repeat.
   */
  disarm(s: HostSession, alongWith: readonly string[]): Promise<{ regenerated: boolean }>;
  /**
   * The commit's bootloader part, in one round trip where the host allows: `steps.before`, then
   * what `disarm` does, then `release`'s entry made the default as `pinDefault` does and read back,
   * then `steps.after`. `facts` as for pinDefault (read earlier in the same step: the driver does
   * not read again). The same end state as disarm followed by pinDefault; safe to repeat.
   */
  commitDefault(
    s: HostSession,
    release: string,
    host: string,
    facts: Readonly<Record<string, string>>,
    steps: CommitSteps,
  ): Promise<PinnedDefault & { afterOutput: string }>;
}
