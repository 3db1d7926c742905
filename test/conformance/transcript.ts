/**
 * The conformance transcript: one scripted sequence of shell steps and reboots, run
 * against a real testbed VM (test/e2e/conformance.test.ts) and against a simulated host set up
 * like the testbed image (both there and, against a recorded VM run, in
 * test/sim/conformance.test.ts). After every step the host's observable state is read with the
 * same command and normalised; the two sequences must be equal, so the simulator's boot model
 * (sim/model.ts, sim/tools/krsim, sim/MODEL.md) cannot drift from real GRUB, dpkg and Linux.
 *
 * The steps are the ones kernel-rollout itself runs on a host (its own command builders and
 * trial entry), in its order: pin the known-good kernel as the saved default (no update-grub:
 * grub.cfg's default 0 boots it), install the new kernel from a .deb (its hook regenerates
 * grub.cfg with the saved default), stage a one-shot trial entry with panic=N and the trial marker
 * in custom.cfg, reboot (GRUB boots next_entry once), reboot again (next_entry spent: the saved
 * default), clear and commit. One VM boot, two reboots.
 *
 * Observed after each step: `uname -r`; whether the boot id changed; /proc/cmdline; the grubenv
 * variables (`grub-editenv list`); the `set default=` lines and the menu (entry id paths and their
 * `linux` lines) of /boot/grub/grub.cfg, and the menu of /boot/grub/custom.cfg; /etc/default/grub's settings; the installed kernel
 * packages (dpkg-query); the step's exit status. Normalised: every UUID becomes `<uuid>` (the
 * root filesystem's differs between the image and the simulator); boot ids are compared only as
 * "changed or not". The normaliser's grub.cfg reading is written here on purpose, apart from
 * src/ and sim/ (a shared parser would hide a shared bug).
 */

import {
  CUSTOM_CFG_PATH,
  TRIAL_ENTRY_ID,
  entryForRelease,
  fixDefaultGrubCommand,
  parseGrubCfg,
  removeTrialBlockCommand,
  setOneShotCommand,
  setSavedDefaultCommand,
  trialEntryBlock,
  writeTrialBlockCommand,
} from '../../src/activities/bootloader/grub-debian';
import { trialKernelArgs } from '../../src/activities/trial/kernel-args';
import type { HostSpec, Simulator } from '../../sim/simulator';
import { runSshClient, type Vm } from '../../testbed/vm';
import { simSshArgs } from '../sim/helpers';

// ---- hosts ------------------------------------------------------------------------------------------

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A host the transcript can drive: the VM or a simulated host, both over the OpenSSH client. */
export interface ConformanceHost {
  /** Names this host in messages and diffs ("VM", "simulator"). */
  label: string;
  run(command: string, opts?: { input?: string | Buffer; timeoutMs?: number }): Promise<CommandResult>;
  /** Runs the reboot command, then returns once SSH answers with a boot id other than `previousBootId`. */
  reboot(command: string, previousBootId: string, timeoutMs: number): Promise<CommandResult>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function pollNewBootId(host: ConformanceHost, previousBootId: string, deadline: number): Promise<void> {
  let last = 'not polled';
  while (Date.now() < deadline) {
    const r = await host.run('cat /proc/sys/kernel/random/boot_id', { timeoutMs: 30_000 });
    const id = r.stdout.trim();
    if (r.code === 0 && id && id !== previousBootId) return;
    last = r.code === 0 ? 'same boot id' : r.stderr.trim().split('\n').pop() || `exit ${String(r.code)}`;
    await sleep(300);
  }
  throw new Error(`${host.label}: no new boot id before the deadline (last: ${last})`);
}

/** The testbed VM (testbed/vm.ts): boots are counted on its serial console first. */
export function vmConformanceHost(vm: Vm, log: (line: string) => void = () => undefined): ConformanceHost {
  const host: ConformanceHost = {
    label: 'VM',
    run: (command, opts = {}) =>
      vm.sshCmd(command, {
        timeoutMs: opts.timeoutMs ?? 600_000,
        ...(opts.input !== undefined ? { input: opts.input } : {}),
      }),
    async reboot(command, previousBootId, timeoutMs) {
      const t0 = Date.now();
      const deadline = t0 + timeoutMs;
      const since = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
      const boots = vm.bootsSeen();
      const r = await host.run(command, { timeoutMs: 60_000 });
      log(`VM: reboot command returned (exit ${String(r.code)}) after ${since()}`);
      // sshd keeps answering for a moment after the request; the kernel banner on the serial
      // console says the machine really went through firmware and GRUB again.
      await vm.waitForBoots(boots + 1, Math.max(1000, deadline - Date.now()));
      log(`VM: kernel banner on the serial console after ${since()}`);
      await vm.waitForSsh(Math.max(1000, deadline - Date.now()));
      log(`VM: SSH answers after ${since()}`);
      await pollNewBootId(host, previousBootId, deadline);
      return r;
    },
  };
  return host;
}

/** A simulated host (sim/simulator.ts), driven by the real OpenSSH client like the VM. */
export function simConformanceHost(sim: Simulator, name: string): ConformanceHost {
  const sshArgs = simSshArgs(sim, name, ['-o', 'LogLevel=ERROR']);
  const host: ConformanceHost = {
    label: 'simulator',
    run: (command, opts = {}) =>
      runSshClient(
        sshArgs,
        command,
        { timeoutMs: opts.timeoutMs ?? 120_000, ...(opts.input !== undefined ? { input: opts.input } : {}) },
        'conformance',
      ),
    async reboot(command, previousBootId, timeoutMs) {
      const r = await host.run(command, { timeoutMs: 30_000 });
      await pollNewBootId(host, previousBootId, Date.now() + timeoutMs);
      return r;
    },
  };
  return host;
}

// ---- the transcript -------------------------------------------------------------------------------------

export interface TranscriptInput {
  /** The kernel in the image, and the newer one installed from the .deb. */
  oldRelease: string;
  newRelease: string;
  /** The .deb's file name (`linux-image-<release>_<version>_amd64.deb`) and its bytes. */
  debName: string;
  debBytes: Buffer;
}

/** The host as read by OBSERVE_COMMAND, before normalisation. */
export interface RawObservation {
  uname: string;
  bootId: string;
  cmdline: string;
  grubenv: string;
  grubCfg: string;
  /** /boot/grub/custom.cfg (empty when there is none), which grub.cfg sources at boot. */
  customCfg: string;
  defaultGrub: string;
  packages: string;
}

interface Step {
  title: string;
  /** A shell command run as root; built from the host's own state just before (entry ids carry its UUID). */
  command?: (input: TranscriptInput, before: RawObservation) => string;
  stdin?: (input: TranscriptInput, before: RawObservation) => string | Buffer;
  /** The command asks for a reboot: wait for a new boot id before observing. */
  reboot?: boolean;
  timeoutMs?: number;
}

export const TRIAL_TOKEN = 'CONFORMANCE';
export const TRIAL_PANIC_SECONDS = 10;
/** As kernel-rollout's rebootHost does it: detached, so the SSH command returns before sshd stops. */
const REBOOT_COMMAND = `(setsid sh -c 'sleep 0.2; systemctl reboot' </dev/null >/dev/null 2>&1 &)`;

function entryId(before: RawObservation, release: string): string {
  const entry = entryForRelease(parseGrubCfg(before.grubCfg), release);
  if (!entry) throw new Error(`no GRUB entry boots ${release} in the host's grub.cfg`);
  return entry.id;
}

export const TRANSCRIPT: readonly Step[] = [
  { title: 'initial state: the testbed image as built' },
  {
    title: "pin: GRUB_DEFAULT=saved, grub-set-default <old kernel entry>; no update-grub (grub.cfg's default 0 boots the old kernel)",
    command: (i, b) => `${fixDefaultGrubCommand()} && ${setSavedDefaultCommand(entryId(b, i.oldRelease))}`,
  },
  {
    title: 'upload the newer kernel .deb to /root',
    command: (i) => `cat > /root/${i.debName}`,
    stdin: (i) => i.debBytes,
  },
  {
    title: 'dpkg -i the newer kernel (its zz-update-grub hook regenerates grub.cfg, now with GRUB_DEFAULT=saved)',
    command: (i) => `DEBIAN_FRONTEND=noninteractive dpkg -i /root/${i.debName}`,
    timeoutMs: 20 * 60_000,
  },
  {
    title: `stage: the trial entry (new kernel + panic=${TRIAL_PANIC_SECONDS} oops=panic kernel_rollout.trial=${TRIAL_TOKEN}) in ${CUSTOM_CFG_PATH}, grub-reboot ${TRIAL_ENTRY_ID}; no update-grub`,
    command: () => `${writeTrialBlockCommand()} && ${setOneShotCommand(TRIAL_ENTRY_ID)}`,
    stdin: (i, b) => {
      const entry = entryForRelease(parseGrubCfg(b.grubCfg), i.newRelease);
      if (!entry) throw new Error(`no GRUB entry boots ${i.newRelease} in the host's grub.cfg`);
      return trialEntryBlock(entry, i.newRelease, trialKernelArgs(TRIAL_PANIC_SECONDS, TRIAL_TOKEN, []));
    },
  },
  { title: 'reboot: GRUB boots next_entry once (the trial entry from custom.cfg)', command: () => REBOOT_COMMAND, reboot: true },
  { title: 'reboot again: next_entry is spent, GRUB boots the saved default', command: () => REBOOT_COMMAND, reboot: true },
  {
    title: 'clear and commit: grub-editenv unset next_entry, the trial block out of custom.cfg, grub-set-default <new kernel entry>; no update-grub',
    command: (i, b) =>
      `grub-editenv /boot/grub/grubenv unset next_entry && ${removeTrialBlockCommand()} && ` +
      setSavedDefaultCommand(entryId(b, i.newRelease)),
  },
]; // prettier-ignore

const SECTIONS = [
  'uname',
  'boot_id',
  'cmdline',
  'grubenv',
  'grub.cfg',
  'custom.cfg',
  'default-grub',
  'packages',
] as const;
const SECTION_COMMANDS: Record<(typeof SECTIONS)[number], string> = {
  uname: 'uname -r',
  boot_id: 'cat /proc/sys/kernel/random/boot_id',
  cmdline: 'cat /proc/cmdline',
  grubenv: 'grub-editenv /boot/grub/grubenv list',
  'grub.cfg': 'cat /boot/grub/grub.cfg',
  'custom.cfg': `cat ${CUSTOM_CFG_PATH} 2>/dev/null; true`,
  'default-grub': 'cat /etc/default/grub',
  packages: `dpkg-query -W -f='\${Package} \${Version} \${Status}\\n' 'linux-image-*'`,
};
/** One command reads everything; each section is introduced by a `@@name` line. */
export const OBSERVE_COMMAND = SECTIONS.map((s) => `echo '@@${s}'; ${SECTION_COMMANDS[s]}`).join('; ');

export function parseObservation(stdout: string): RawObservation {
  const parts: Record<string, string> = {};
  let current: string | null = null;
  for (const line of stdout.split('\n')) {
    const m = /^@@([a-z._-]+)$/.exec(line);
    if (m && (SECTIONS as readonly string[]).includes(m[1] ?? '')) {
      current = m[1] ?? null;
      parts[current ?? ''] = '';
    } else if (current !== null) parts[current] += `${line}\n`;
  }
  const get = (s: (typeof SECTIONS)[number]) => (parts[s] ?? '').replace(/\n$/, '');
  return {
    uname: get('uname').trim(),
    bootId: get('boot_id').trim(),
    cmdline: get('cmdline').trim(),
    grubenv: get('grubenv'),
    grubCfg: get('grub.cfg'),
    customCfg: get('custom.cfg'),
    defaultGrub: get('default-grub'),
    packages: get('packages'),
  };
}

// ---- normalisation -------------------------------------------------------------------------------------

/** What is compared after a step. */
export interface ObservedState {
  step: string;
  /** The step's exit status (null: nothing was run). */
  exit: number | null;
  kernel: string;
  bootIdChanged: boolean;
  cmdline: string;
  /** `grub-editenv list`: `key=value` in grubenv order (`next_entry=` present but empty differs from absent). */
  grubenv: string[];
  /** grub.cfg's `set default=` values, in order. */
  grubDefault: string[];
  /** grub.cfg's menu: `submenu-id>entry-id: linux <image and arguments>`, in menu order. */
  menu: string[];
  /** custom.cfg's menu, the same way (GRUB adds it to the menu where grub.cfg sources it). */
  customMenu: string[];
  /** /etc/default/grub without comments and blank lines. */
  defaultGrub: string[];
  /** dpkg-query lines of linux-image-*, sorted. */
  packages: string[];
}

const UUID_RE = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const noUuid = (s: string) => s.replace(UUID_RE, '<uuid>');

/** grub.cfg → `set default=` values and menu entries (id path and `linux` line), independent of src/ and sim/. */
export function menuOf(cfg: string): { defaults: string[]; entries: string[] } {
  const defaults = [...cfg.matchAll(/^\s*set default="([^"]*)"\s*$/gm)].map((m) => m[1] ?? '');
  const entries: string[] = [];
  const stack: { kind: 'menuentry' | 'submenu' | 'block'; id: string; linux: string }[] = [];
  for (const line of cfg.split('\n')) {
    if (/^\s*#/.test(line)) continue;
    const open = /^\s*(menuentry|submenu)\s+(?:'([^']*)'|"([^"]*)")(.*)\{\s*$/.exec(line);
    if (open) {
      const id = /\$menuentry_id_option\s+'([^']+)'/.exec(open[4] ?? '')?.[1] ?? open[2] ?? open[3] ?? '';
      stack.push({ kind: open[1] as 'menuentry' | 'submenu', id, linux: '(no linux line)' });
      continue;
    }
    if (/\{\s*$/.test(line)) {
      stack.push({ kind: 'block', id: '', linux: '' });
      continue;
    }
    const linux = /^\s*linux\s+(.*)$/.exec(line);
    const top = stack[stack.length - 1];
    if (linux && top?.kind === 'menuentry') top.linux = `linux ${linux[1] ?? ''}`;
    if (/^\s*\}\s*$/.test(line)) {
      const closed = stack.pop();
      if (closed?.kind === 'menuentry') {
        const path = [...stack.filter((f) => f.kind === 'submenu').map((f) => f.id), closed.id].join('>');
        entries.push(`${path}: ${closed.linux}`);
      }
    }
  }
  return { defaults, entries: entries.map(noUuid) };
}

export function normalise(step: string, exit: number | null, raw: RawObservation, previousBootId: string | null) {
  const menu = menuOf(raw.grubCfg);
  const lines = (s: string) => s.split('\n').filter((l) => l.trim() !== '');
  const state: ObservedState = {
    step,
    exit,
    kernel: raw.uname,
    bootIdChanged: previousBootId !== null && raw.bootId !== previousBootId,
    cmdline: noUuid(raw.cmdline),
    grubenv: lines(raw.grubenv).map(noUuid),
    grubDefault: menu.defaults,
    menu: menu.entries,
    customMenu: menuOf(raw.customCfg).entries,
    defaultGrub: lines(raw.defaultGrub).filter((l) => !/^\s*#/.test(l)),
    packages: lines(raw.packages).sort(),
  };
  return state;
}

// ---- running ---------------------------------------------------------------------------------------------

export interface TranscriptRun {
  host: string;
  states: ObservedState[];
  /** Seconds each step took, command and observation (and the reboot's wait) together. */
  seconds: number[];
  totalSeconds: number;
  /** The first raw observation: how the host was set up (kernels and their versions). */
  initial: RawObservation | null;
  /** Set when the transcript could not go on (a command timed out, the host did not come back). */
  error?: string;
}

async function observe(host: ConformanceHost): Promise<RawObservation> {
  const r = await host.run(OBSERVE_COMMAND, { timeoutMs: 120_000 });
  if (r.code !== 0 && !r.stdout.includes('@@packages')) {
    throw new Error(`${host.label}: reading the state failed (exit ${String(r.code)}): ${r.stderr.trim()}`);
  }
  return parseObservation(r.stdout);
}

/** Runs every step on the host; never throws for a failing step (its exit status is part of the state). */
export async function runTranscript(
  host: ConformanceHost,
  input: TranscriptInput,
  log: (line: string) => void = () => undefined,
  rebootTimeoutMs = 900_000,
): Promise<TranscriptRun> {
  const run: TranscriptRun = { host: host.label, states: [], seconds: [], totalSeconds: 0, initial: null };
  const t0 = Date.now();
  let before: RawObservation | null = null;
  try {
    for (const [n, step] of TRANSCRIPT.entries()) {
      const ts = Date.now();
      let exit: number | null = null;
      if (step.command) {
        if (!before) throw new Error('a step with a command before the first observation');
        const command = step.command(input, before);
        const stdin = step.stdin?.(input, before);
        const r = step.reboot
          ? await host.reboot(command, before.bootId, rebootTimeoutMs)
          : await host.run(command, { timeoutMs: step.timeoutMs ?? 600_000, ...(stdin ? { input: stdin } : {}) });
        exit = r.code;
        if (r.code !== 0) log(`${host.label}: step ${n} exited ${String(r.code)}: ${r.stderr.trim().slice(-500)}`);
      }
      const raw = await observe(host);
      run.initial ??= raw;
      run.states.push(normalise(step.title, exit, raw, before?.bootId ?? null));
      run.seconds.push((Date.now() - ts) / 1000);
      log(`${host.label}: step ${n} (${run.seconds[n]?.toFixed(1)} s): ${step.title} → ${raw.uname}`);
      before = raw;
    }
  } catch (err) {
    run.error = (err as Error).message;
    log(`${host.label}: stopped after ${run.states.length} step(s): ${run.error}`);
  }
  run.totalSeconds = (Date.now() - t0) / 1000;
  return run;
}

// ---- comparing -------------------------------------------------------------------------------------------

const FIELDS: (keyof ObservedState)[] = [
  'exit',
  'kernel',
  'bootIdChanged',
  'cmdline',
  'grubenv',
  'grubDefault',
  'menu',
  'customMenu',
  'defaultGrub',
  'packages',
];

function fieldDiff(field: string, a: unknown, b: unknown, aName: string, bName: string): string[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  if (Array.isArray(a) && Array.isArray(b)) {
    const onlyA = a.filter((x) => !b.includes(x));
    const onlyB = b.filter((x) => !a.includes(x));
    const out = [`  ${field}:`];
    for (const x of onlyA) out.push(`    - ${aName}: ${String(x)}`);
    for (const x of onlyB) out.push(`    + ${bName}: ${String(x)}`);
    if (onlyA.length === 0 && onlyB.length === 0) {
      out.push(`    ${aName}: ${JSON.stringify(a)}`, `    ${bName}: ${JSON.stringify(b)}  (order or repeats differ)`);
    }
    return out;
  }
  return [`  ${field}:`, `    - ${aName}: ${JSON.stringify(a)}`, `    + ${bName}: ${JSON.stringify(b)}`];
}

/**
 * A readable account of where two runs' states differ, step by step (empty when they are equal):
 *   step 6 "reboot again: …":
 *     kernel:
 *       - VM: "6.1.0-55-cloud-amd64"
 *       + simulator: "6.1.0-56-cloud-amd64"
 */
export function diffRuns(a: Pick<TranscriptRun, 'host' | 'states' | 'error'>, b: typeof a): string {
  const out: string[] = [];
  const n = Math.max(a.states.length, b.states.length);
  for (let i = 0; i < n; i++) {
    const sa = a.states[i];
    const sb = b.states[i];
    const title = sa?.step ?? sb?.step ?? '';
    if (!sa || !sb) {
      out.push(`step ${i} "${title}": only ${sa ? a.host : b.host} got here`);
      continue;
    }
    const lines = FIELDS.flatMap((f) => fieldDiff(f, sa[f], sb[f], a.host, b.host));
    if (sa.step !== sb.step) lines.unshift(`  step titles differ: "${sa.step}" / "${sb.step}"`);
    if (lines.length > 0) out.push(`step ${i} "${title}":`, ...lines);
  }
  for (const r of [a, b]) if (r.error) out.push(`${r.host} stopped: ${r.error}`);
  return out.join('\n');
}

/** Per-step seconds of several runs side by side (Markdown). */
export function timingTable(runs: TranscriptRun[]): string {
  const head = `| step | ${runs.map((r) => `${r.host} s`).join(' | ')} |`;
  const rule = `| --- | ${runs.map(() => '---').join(' | ')} |`;
  const rows = TRANSCRIPT.map(
    (s, i) => `| ${i}. ${s.title.slice(0, 70)} | ${runs.map((r) => r.seconds[i]?.toFixed(1) ?? '').join(' | ')} |`,
  );
  const total = `| total | ${runs.map((r) => r.totalSeconds.toFixed(1)).join(' | ')} |`;
  return [head, rule, ...rows, total].join('\n');
}

// ---- the simulated twin of the testbed image ---------------------------------------------------------------

/**
 * A simulated host set up like the testbed image: the same installed kernels with the same package
 * versions (read from the image's first observation). /etc/default/grub and grub.cfg are the
 * simulator's own (test/fixtures/debian12), which is part of what the transcript compares. The root
 * filesystem UUID is the simulator's default, not the image's: ids are compared normalised.
 */
export function testbedLikeHost(name: string, initial: Pick<RawObservation, 'packages'>): HostSpec {
  const kernels = initial.packages
    .split('\n')
    .map((l) => /^linux-image-(\S+) (\S+) install ok installed$/.exec(l.trim()))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ release: m[1] ?? '', version: m[2] ?? '' }));
  if (kernels.length === 0)
    throw new Error(`no installed kernel in the recorded dpkg-query output:\n${initial.packages}`);
  return { name, kernels };
}

// ---- the recorded VM run (test/fixtures/debian12/conformance-transcript.json) ----------------------------------

export interface RecordedRun {
  provenance: string;
  input: { oldRelease: string; newRelease: string; debName: string };
  /** The VM's dpkg-query output at the start (the simulated twin's kernels). */
  initialPackages: string;
  seconds: number[];
  totalSeconds: number;
  states: ObservedState[];
}

export function recordRun(run: TranscriptRun, input: TranscriptInput, provenance: string): RecordedRun {
  return {
    provenance,
    input: { oldRelease: input.oldRelease, newRelease: input.newRelease, debName: input.debName },
    initialPackages: run.initial?.packages ?? '',
    seconds: run.seconds.map((s) => Math.round(s * 10) / 10),
    totalSeconds: Math.round(run.totalSeconds),
    states: run.states,
  };
}
