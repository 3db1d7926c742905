/**
 * E2E testbed harness: builds (cached) and boots Debian 12 VMs under
 * qemu-system-x86_64 with TCG, reachable over SSH on a loopback port and
 * controllable over QMP. Node built-ins and src/node (the product's QMP client and free-port
 * helper) only.
 *
 * The image comes from build-image.sh (see README.md next to this file), one per platform
 * (TestbedPlatform). Every VM gets its own qcow2 overlay on top of base.qcow2 in a temp dir, so
 * VMs never modify the cached image. The guest boots through its firmware (SeaBIOS, or OVMF with
 * a per-VM copy of its variable store) and its bootloader from the disk (never qemu -kernel).
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort } from '../src/node/free-port';
import { qmpExecute } from '../src/node/qmp-client';
import { readSshBanner } from '../src/node/ssh-banner';
import { qemuArgs } from '../src/node/qemu-args';
import { processAlive } from '../src/node/process-alive';

/**
 * The testbed's boot platforms (build-image.sh PLATFORM): `bios-grub` = SeaBIOS + grub-pc (msdos
 * label); `uefi-grub` = OVMF + grub-efi-amd64 on an ESP; `systemd-boot` = OVMF + systemd-boot with
 * kernel-install entries on the ESP.
 */
export type TestbedPlatform = 'bios-grub' | 'uefi-grub' | 'systemd-boot';
export const TESTBED_PLATFORMS: readonly TestbedPlatform[] = ['bios-grub', 'uefi-grub', 'systemd-boot'];

function isTestbedPlatform(p: unknown): p is TestbedPlatform {
  return typeof p === 'string' && (TESTBED_PLATFORMS as readonly string[]).includes(p);
}

/**
 * Debian's ovmf package: the non-secure-boot 4 MiB pair. CODE is mapped read-only; each VM gets
 * its own copy of VARS (the NVRAM: boot entries, LoaderEntryOneShot, pstore dumps), which lives as
 * long as the VM, across its guest resets.
 */
export const OVMF_CODE = '/usr/share/OVMF/OVMF_CODE_4M.fd';
export const OVMF_VARS = '/usr/share/OVMF/OVMF_VARS_4M.fd';

export interface TestbedKernels {
  /** Kernel release installed in the image, e.g. "6.1.0-55-cloud-amd64". */
  old: string;
  /** Kernel release of the .deb next to the image, e.g. "6.1.0-56-cloud-amd64". */
  new: string;
  /** Absolute path of the newer kernel's linux-image .deb. */
  newDeb: string;
  /** sha256 (hex) of newDeb. */
  newDebSha256: string;
}

export interface TestbedImage {
  /** Cache directory of this image build. */
  dir: string;
  /** base.qcow2 (never written to; VMs use overlays). */
  baseImage: string;
  /** Private key (ed25519) authorised for root in the image. */
  privateKeyPath: string;
  /** The guest's ed25519 host key, "ssh-ed25519 AAAA...". */
  hostPublicKey: string;
  kernels: TestbedKernels;
  /** Firmware + bootloader of this image (image.json "platform"; bios-grub for older builds). */
  platform: TestbedPlatform;
}

export interface SshResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface SshCmdOptions {
  /** Kill the ssh client after this many ms (default 600000). */
  timeoutMs?: number;
  /** Written to the remote command's stdin. */
  input?: string | Buffer;
}

export interface Vm {
  name: string;
  sshPort: number;
  qmpSocket: string;
  serialLogPath: string;
  pid: number;
  knownHostsPath: string;
  privateKeyPath: string;
  /** The per-VM qcow2 overlay (backing file: image.baseImage). */
  diskPath: string;
  /** UEFI platforms: this VM's copy of OVMF's VARS (removed with the VM); undefined for BIOS. */
  efiVarsPath: string | undefined;
  image: TestbedImage;
  /** Run a command as root in the guest via the OpenSSH client (StrictHostKeyChecking=yes). */
  sshCmd(cmd: string, opts?: SshCmdOptions): Promise<SshResult>;
  /** ssh(1) arguments (without the remote command) for other tools, e.g. scp-like pipes. */
  sshArgs(): string[];
  /** Number of kernel boots seen on this VM's serial console ("Linux version" banners). */
  bootsSeen(): number;
  /** Serial console text written by this VM so far. */
  serialLog(): string;
  /** Poll until SSH answers (default timeout: BOOT_WAIT_MS). */
  waitForSsh(timeoutMs?: number): Promise<void>;
  /** Poll the serial log until bootsSeen() >= n (default timeout: BOOT_WAIT_MS). */
  waitForBoots(n: number, timeoutMs?: number): Promise<void>;
  /**
   * Send one QMP command (e.g. "system_reset", "query-status") and return its
   * "return" value. Uses a separate harness-only QMP socket, not qmpSocket.
   */
  qmp(execute: string, args?: Record<string, unknown>): Promise<unknown>;
  /** True while the qemu process is alive. */
  isRunning(): boolean;
  /** Kill qemu (by PID) and delete the overlay's temp dir. Idempotent. */
  stop(): Promise<void>;
}

export interface BootVmOptions {
  image: TestbedImage;
  /** Used for file names in artifactsDir; [A-Za-z0-9._-]. */
  name: string;
  /** Serial log and qemu log go here (created if missing). */
  artifactsDir: string;
  /** Guest RAM, default 1536 MiB (minimum 1024). */
  memoryMiB?: number;
  /**
   * vCPUs, default KERNEL_ROLLOUT_VM_CPUS or 2. With two VMs on two cores, one vCPU each is
   * faster: more vCPU threads than cores leave guest lock holders descheduled (measured here:
   * two VMs at once answered SSH after 59-65 s with one vCPU, 69-74 s with two).
   */
  cpus?: number;
  /** Time allowed from qemu start until SSH answers, default BOOT_WAIT_MS. */
  bootTimeoutMs?: number;
  /** Receives progress lines. */
  log?: (line: string) => void;
  /** Rank while waiting for a VM slot against other processes' VMs (see takeVmSlot). */
  slotPriority?: number;
}

const BUILDER = 'build-image.sh';
/**
 * How long the harness waits for a boot by default: 10 min. A boot takes 1-2 min under TCG on a
 * quiet core; two VMs share two cores, and on a loaded machine first boots took over 5 min.
 */
const BOOT_WAIT_MS = 600_000;
const SERIAL_BOOT_MARKER = 'Linux version ';

function findBuilder(): string {
  const candidates: string[] = [path.join(__dirname, BUILDER)];
  // When compiled to dist/testbed, walk up to the repository root.
  let dir = __dirname;
  for (let i = 0; i < 8; i++) {
    candidates.push(path.join(dir, 'testbed', BUILDER));
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  const found = candidates.find((c) => fs.existsSync(c));
  if (!found) throw new Error(`testbed: cannot find ${BUILDER} (looked in ${candidates.join(', ')})`);
  return found;
}

/** Read an already built image directory (as printed by build-image.sh). */
export function loadImage(dir: string): TestbedImage {
  const kernelsRaw: unknown = JSON.parse(fs.readFileSync(path.join(dir, 'kernels.json'), 'utf8'));
  const k = kernelsRaw as Partial<Record<keyof TestbedKernels, unknown>>;
  for (const key of ['old', 'new', 'newDeb', 'newDebSha256'] as const) {
    if (typeof k[key] !== 'string' || k[key] === '') throw new Error(`testbed: kernels.json lacks "${key}"`);
  }
  const kernels: TestbedKernels = {
    old: k.old as string,
    new: k.new as string,
    newDeb: k.newDeb as string,
    newDebSha256: k.newDebSha256 as string,
  };
  const imageJson = path.join(dir, 'image.json');
  // Builds from before the platforms existed have no "platform": they are bios-grub.
  const platformRaw: unknown = fs.existsSync(imageJson)
    ? ((JSON.parse(fs.readFileSync(imageJson, 'utf8')) as { platform?: unknown }).platform ?? 'bios-grub')
    : 'bios-grub';
  if (!isTestbedPlatform(platformRaw)) {
    throw new Error(`testbed: image.json has an unknown platform ${JSON.stringify(platformRaw)}`);
  }
  const hostKeyParts = fs.readFileSync(path.join(dir, 'ssh_host_ed25519_key.pub'), 'utf8').trim().split(/\s+/);
  if (hostKeyParts[0] !== 'ssh-ed25519' || !hostKeyParts[1]) throw new Error('testbed: bad ssh_host_ed25519_key.pub');
  const image: TestbedImage = {
    dir,
    baseImage: path.join(dir, 'base.qcow2'),
    privateKeyPath: path.join(dir, 'id_ed25519'),
    hostPublicKey: `${hostKeyParts[0]} ${hostKeyParts[1]}`,
    kernels,
    platform: platformRaw,
  };
  for (const f of [image.baseImage, image.privateKeyPath, kernels.newDeb]) {
    if (!fs.existsSync(f)) throw new Error(`testbed: missing ${f}`);
  }
  return image;
}

const imagePromises = new Map<TestbedPlatform, Promise<TestbedImage>>();

/**
 * Build the image of `platform` (default bios-grub) if needed (cached by builder hash and
 * platform; needs root the first time) and return its description. Memoised per process and
 * platform.
 */
export function ensureImage(
  opts: { log?: (line: string) => void; platform?: TestbedPlatform } = {},
): Promise<TestbedImage> {
  const platform = opts.platform ?? 'bios-grub';
  if (!isTestbedPlatform(platform)) throw new Error(`testbed: unknown platform ${JSON.stringify(platform)}`);
  let p = imagePromises.get(platform);
  if (!p) {
    p = runBuilder(platform, opts.log).catch((err: unknown) => {
      imagePromises.delete(platform);
      throw err;
    });
    imagePromises.set(platform, p);
  }
  return p;
}

function runBuilder(platform: TestbedPlatform, log?: (line: string) => void): Promise<TestbedImage> {
  const script = findBuilder();
  return new Promise<TestbedImage>((resolve, reject) => {
    const child = spawn('bash', [script, platform], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderrTail = '';
    let partial = '';
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.on('data', (d: string) => {
      stderrTail = (stderrTail + d).slice(-8000);
      partial += d;
      const lines = partial.split('\n');
      partial = lines.pop() ?? '';
      if (log) for (const l of lines) log(l);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (log && partial) log(partial);
      if (code !== 0) {
        reject(new Error(`testbed: ${script} exited with ${String(code)}\n${stderrTail}`));
        return;
      }
      const lines = stdout.trim().split('\n');
      const dir = lines[lines.length - 1]?.trim();
      if (!dir) {
        reject(new Error('testbed: build-image.sh printed no directory'));
        return;
      }
      try {
        const image = loadImage(dir);
        if (image.platform !== platform) {
          throw new Error(`testbed: ${dir} is a ${image.platform} image, wanted ${platform}`);
        }
        resolve(image);
      } catch (err) {
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * Runs `cmd` with its output collected; never throws on exit codes. `input` goes to its stdin;
 * after `timeoutMs` it is killed and the result says so.
 */
function run(
  cmd: string,
  args: string[],
  o: { input?: string | Buffer; timeoutMs?: number; tag?: string } = {},
): Promise<SshResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (d: string) => (stdout += d));
    child.stderr.on('data', (d: string) => (stderr += d));
    const timer =
      o.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            stderr += `\n[${o.tag ?? cmd}] ${cmd} killed after ${o.timeoutMs} ms`;
            child.kill('SIGKILL');
          }, o.timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(o.input ?? '');
  });
}

/** qemu processes started by this module, killed (and their VM slots freed) if the test process exits. */
const livePids = new Set<number>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const pid of livePids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
    for (const slot of [...ownedSlots]) releaseVmSlot(slot);
  });
}

function killPid(pid: number, signal: NodeJS.Signals = 'SIGKILL'): void {
  try {
    process.kill(pid, signal);
  } catch {
    /* gone */
  }
}

function countOccurrences(haystack: string, needle: string): number {
  let n = 0;
  let i = haystack.indexOf(needle);
  while (i !== -1) {
    n++;
    i = haystack.indexOf(needle, i + needle.length);
  }
  return n;
}

/** One command on a QMP socket; its "return" value. */
async function qmpCommand(socketPath: string, execute: string, args?: Record<string, unknown>): Promise<unknown> {
  const [reply] = await qmpExecute(socketPath, [args ? { execute, arguments: args } : { execute }], 15_000);
  return reply?.return;
}

/** OpenSSH's client with `args` (options and destination) running `cmd`; never throws on exit codes. */
export function runSshClient(args: string[], cmd: string, o: SshCmdOptions = {}, tag = 'ssh'): Promise<SshResult> {
  return run('ssh', [...args, '--', cmd], { input: o.input, timeoutMs: o.timeoutMs ?? 600_000, tag });
}

/**
 * VM slots. A TCG VM keeps about one core busy, so at most KERNEL_ROLLOUT_VM_SLOTS VMs (default
 * 2) run at once on this machine, across processes: the e2e test files run side by side and each
 * starts its scenarios together; bootVm waits here for a slot. A slot is a file
 * `$TMPDIR/krvm-slots-<uid>/slot-<i>` created exclusively and holding its owner's PID; a slot
 * whose owner is gone is free. Within a process the waiters are served in order. Across
 * processes a waiter has a priority (default KERNEL_ROLLOUT_VM_PRIORITY or 0): a process whose
 * first waiter waits leaves `want-<pid>` holding its priority, and a free slot goes to no one of
 * a lower priority while it is there. The e2e suite starts every file at once and ranks the VMs
 * so the long ones and the installed layer (which five scenarios wait for) start first.
 *
 * VM use: with KERNEL_ROLLOUT_VM_USAGE naming a file, every slot given back appends one JSON line
 * `{"vm", "seconds", "from", "to", "pid"}` to it (the slot's holder and how long it held it: the
 * VM's life, boot to stop). `npm run test:matrix` reads it for each scenario's VM-minutes.
 */
function vmSlotCount(): number {
  return envCount('KERNEL_ROLLOUT_VM_SLOTS', 2);
}

function vmCpuCount(): number {
  return envCount('KERNEL_ROLLOUT_VM_CPUS', 2);
}

/** A whole number >= 1 from the environment, or `fallback` when unset. */
function envCount(name: string, fallback: number): number {
  const raw = process.env[name] ?? String(fallback);
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) {
    throw new Error(`testbed: ${name} must be a whole number >= 1, not ${JSON.stringify(raw)}`);
  }
  return n;
}

const slotDir = (): string => path.join(os.tmpdir(), `krvm-slots-${process.getuid?.() ?? 0}`);
const ownedSlots = new Set<string>();
/** Who holds each of this process's slots, since when (for KERNEL_ROLLOUT_VM_USAGE). */
const slotHolders = new Map<string, { name: string; since: number }>();

/** One line in the KERNEL_ROLLOUT_VM_USAGE file, if set: the VM `name` held a slot `seconds`. */
export interface VmUsage {
  vm: string;
  seconds: number;
  from: string;
  to: string;
  pid: number;
}

function recordVmUsage(slot: string): void {
  const holder = slotHolders.get(slot);
  slotHolders.delete(slot);
  const file = process.env['KERNEL_ROLLOUT_VM_USAGE'];
  if (!holder || !file) return;
  const now = Date.now();
  const line: VmUsage = {
    vm: holder.name,
    seconds: Math.round((now - holder.since) / 100) / 10,
    from: new Date(holder.since).toISOString(),
    to: new Date(now).toISOString(),
    pid: process.pid,
  };
  // Synchronous: also called from the exit hook. Lines this short are appended whole.
  fs.appendFileSync(file, `${JSON.stringify(line)}\n`);
}

function tryTakeSlot(): string | undefined {
  fs.mkdirSync(slotDir(), { recursive: true });
  for (let i = 0; i < vmSlotCount(); i++) {
    const slot = path.join(slotDir(), `slot-${i}`);
    try {
      fs.writeFileSync(slot, `${process.pid}\n`, { flag: 'wx' });
      ownedSlots.add(slot);
      return slot;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    let owner = NaN;
    try {
      owner = Number(fs.readFileSync(slot, 'utf8').trim());
    } catch {
      /* released meanwhile: free next round */
    }
    // A slot left by a process that died (SIGKILL skips the exit hook) is free.
    if (Number.isInteger(owner) && owner > 0 && !processAlive(owner)) fs.rmSync(slot, { force: true });
  }
  return undefined;
}

const wantFile = (): string => path.join(slotDir(), `want-${process.pid}`);

/** Whether a live waiter in another process has a higher priority than `priority`. */
function outranked(priority: number): boolean {
  for (const name of fs.readdirSync(slotDir())) {
    const pid = Number(/^want-(\d+)$/.exec(name)?.[1]);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    let theirs = NaN;
    try {
      theirs = Number(fs.readFileSync(path.join(slotDir(), name), 'utf8').trim());
    } catch {
      continue; // it got its slot meanwhile
    }
    if (!processAlive(pid)) fs.rmSync(path.join(slotDir(), name), { force: true });
    else if (theirs > priority) return true;
  }
  return false;
}

function vmPriority(): number {
  const raw = process.env['KERNEL_ROLLOUT_VM_PRIORITY'] ?? '0';
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    throw new Error(`testbed: KERNEL_ROLLOUT_VM_PRIORITY must be a whole number >= 0, not ${JSON.stringify(raw)}`);
  }
  return n;
}

/**
 * Says now, before the slow start of a test (the image check, imports), that this process will
 * ask for a slot with `priority`: lower-ranked waiters elsewhere hold back from then on. Ends with
 * this process's first slot (or the process).
 */
export function announceVmSlot(priority: number): void {
  fs.mkdirSync(slotDir(), { recursive: true });
  fs.writeFileSync(wantFile(), `${priority}\n`);
}

let slotQueue: Promise<unknown> = Promise.resolve();

/**
 * Waits for a VM slot (see above) and returns it; `priority` ranks this waiter against other
 * processes' (higher goes first; default KERNEL_ROLLOUT_VM_PRIORITY or 0).
 */
export function takeVmSlot(name: string, log: (line: string) => void, priority?: number): Promise<string> {
  const turn = slotQueue.then(async () => {
    const rank = priority ?? vmPriority();
    let waiting = false;
    try {
      fs.mkdirSync(slotDir(), { recursive: true });
      for (;;) {
        const slot = outranked(rank) ? undefined : tryTakeSlot();
        if (slot) {
          if (waiting) log(`${name}: got a VM slot`);
          slotHolders.set(slot, { name, since: Date.now() });
          return slot;
        }
        if (!waiting) {
          log(
            `${name}: waiting for a VM slot (${vmSlotCount()} VMs at a time, KERNEL_ROLLOUT_VM_SLOTS; priority ${rank})`,
          );
          fs.writeFileSync(wantFile(), `${rank}\n`);
        }
        waiting = true;
        await sleep(1000);
      }
    } finally {
      // This waiter is served (or gave up): the next one in this process says its own rank.
      fs.rmSync(wantFile(), { force: true });
    }
  });
  slotQueue = turn.catch(() => undefined);
  return turn;
}

export function releaseVmSlot(slot: string): void {
  if (!ownedSlots.delete(slot)) return;
  recordVmUsage(slot);
  try {
    if (fs.readFileSync(slot, 'utf8').trim() === String(process.pid)) fs.rmSync(slot, { force: true });
  } catch {
    /* already gone */
  }
}

/**
 * Boot a VM from an overlay of image.baseImage and wait until SSH answers. Waits first for a VM
 * slot (see above); vm.stop() gives it back.
 */
export async function bootVm(opts: BootVmOptions): Promise<Vm> {
  if (!/^[A-Za-z0-9._-]+$/.test(opts.name)) throw new Error(`testbed: bad VM name ${JSON.stringify(opts.name)}`);
  installExitHook();
  const slot = await takeVmSlot(opts.name, opts.log ?? ((): void => undefined), opts.slotPriority);
  try {
    const vm = await startVm(opts);
    return {
      ...vm,
      stop: async () => {
        try {
          await vm.stop();
        } finally {
          releaseVmSlot(slot);
        }
      },
    };
  } catch (err) {
    releaseVmSlot(slot);
    throw err;
  }
}

type ExitInfo = { code: number | null; signal: NodeJS.Signals | null };

/** What one VM's qemu is started with. */
interface QemuSetup {
  name: string;
  memoryMiB: number;
  cpus: number;
  diskPath: string;
  serialLogPath: string;
  qemuLogPath: string;
  qmpSocket: string;
  harnessQmpSocket: string;
  /** UEFI: this VM's VARS copy (OVMF_CODE is mapped read-only beside it). */
  efiVarsPath: string | undefined;
}

/** One VM's qemu: started (retried when its port was taken), started again after a guest reset, stopped. */
class QemuProcess {
  pid = 0;
  sshPort = 0;
  // st.exited: the VM is gone for good (stopped, powered off, or qemu could not be started again);
  // st.starting: the first start is still being tried (exits then are handled by the start loop).
  readonly st: { exited: ExitInfo | undefined; starting: boolean; stopping: boolean } = {
    exited: undefined,
    starting: true,
    stopping: false,
  };
  private markGone: () => void = () => undefined;
  readonly exitPromise = new Promise<void>((resolve) => (this.markGone = resolve));

  constructor(
    private readonly setup: QemuSetup,
    private readonly serialLog: () => string,
  ) {}

  gone(info: ExitInfo): void {
    this.st.exited ??= info;
    this.markGone();
  }

  private qemuArgsFor(port: number): string[] {
    const { name, memoryMiB, cpus, diskPath, serialLogPath, qmpSocket, harnessQmpSocket, efiVarsPath } = this.setup;
    return [
      ...qemuArgs({
        name,
        memoryMiB,
        cpus,
        diskPath,
        sshPort: port,
        serialLogPath,
        qmpSockets: [qmpSocket, harnessQmpSocket],
      }),
      ...(efiVarsPath === undefined ? [] : ovmfArgs(efiVarsPath)),
    ];
  }

  /** Starts qemu; resolves once its QMP answers, or with how it ended if it exited first. */
  private async spawnQemu(port: number, why: string): Promise<ExitInfo | undefined> {
    const { qemuLogPath, harnessQmpSocket } = this.setup;
    const st = this.st;
    const args = this.qemuArgsFor(port);
    const qemuLog = fs.openSync(qemuLogPath, 'a');
    fs.writeSync(qemuLog, `\n# ${new Date().toISOString()} (${why}) qemu-system-x86_64 ${args.join(' ')}\n`);
    const child = spawn('qemu-system-x86_64', args, { stdio: ['ignore', qemuLog, qemuLog] });
    fs.closeSync(qemuLog);
    if (child.pid === undefined) throw new Error('testbed: failed to spawn qemu-system-x86_64');
    const thisPid = child.pid;
    this.pid = thisPid;
    livePids.add(thisPid);
    let ended: ExitInfo | undefined;
    const onEnd = (info: ExitInfo): void => {
      if (ended) return;
      ended = info;
      livePids.delete(thisPid);
      if (!st.starting && thisPid === this.pid) void this.afterExit(info);
    };
    child.on('exit', (code, signal) => onEnd({ code, signal }));
    child.on('error', (err) => {
      fs.appendFileSync(qemuLogPath, `spawn error: ${err.message}\n`);
      onEnd({ code: null, signal: null });
    });
    // Fully initialised once QMP answers (netdevs incl. hostfwd exist by then).
    const initDeadline = Date.now() + 30_000;
    while (!ended && Date.now() < initDeadline) {
      try {
        await qmpCommand(harnessQmpSocket, 'query-status');
        break;
      } catch {
        await sleep(100);
      }
    }
    return ended;
  }

  /** The guest powered itself off: the console's last boot ends with the kernel's power-down. */
  private poweredOff(): boolean {
    const text = this.serialLog();
    return text.slice(text.lastIndexOf(SERIAL_BOOT_MARKER)).includes('reboot: Power down');
  }

  // qemu ended after the first start: a guest reset starts a fresh qemu (same port: the
  // product's input names it); anything else ends the VM.
  private async afterExit(info: ExitInfo): Promise<void> {
    const st = this.st;
    if (st.stopping || info.signal !== null || info.code !== 0 || this.poweredOff()) return this.gone(info);
    for (let attempt = 1; attempt <= 5 && !st.stopping; attempt++) {
      const ended = await this.spawnQemu(this.sshPort, `guest reset: cold start ${attempt}`);
      if (!ended) {
        if (st.stopping) killPid(this.pid);
        return;
      }
      await sleep(1000);
    }
    this.gone(info);
  }

  /** The first start. The chosen port can be taken between probing and qemu binding it: retry. */
  async start(knownHostsPath: string, hostPublicKey: string, tmpDir: string, log: (line: string) => void) {
    const { qemuLogPath } = this.setup;
    for (let attempt = 1; ; attempt++) {
      this.sshPort = await freePort();
      fs.writeFileSync(knownHostsPath, `[127.0.0.1]:${this.sshPort} ${hostPublicKey}\n`);
      const ended = await this.spawnQemu(this.sshPort, 'start');
      if (!ended) break;
      const qlog = fs.readFileSync(qemuLogPath, 'utf8').slice(-2000);
      if (attempt >= 3 || !/hostfwd|Could not set up host forwarding/i.test(qlog)) {
        fs.rmSync(tmpDir, { recursive: true, force: true });
        throw new Error(`testbed: qemu exited at start (code ${String(ended.code)}):\n${qlog}`);
      }
      log(`port ${this.sshPort} was taken, retrying`);
    }
    this.st.starting = false;
  }

  /** Ends qemu: SIGTERM, then SIGKILL after 10 s. */
  async halt(): Promise<void> {
    const st = this.st;
    st.stopping = true;
    if (!st.exited) {
      // A pid whose qemu has ended is not signalled: with pid_max 32768 and a kernel compile
      // beside, the number may already be another process's.
      if (!livePids.has(this.pid)) this.gone({ code: null, signal: 'SIGTERM' });
      else killPid(this.pid, 'SIGTERM');
      await Promise.race([this.exitPromise, sleep(10_000)]);
      if (!st.exited) {
        killPid(this.pid, 'SIGKILL');
        this.gone({ code: null, signal: 'SIGKILL' });
      }
    }
  }
}

/** qemu arguments mapping OVMF: CODE read-only (unit 0), the VM's own VARS copy writable (unit 1). */
export function ovmfArgs(varsPath: string, codePath = OVMF_CODE): string[] {
  return [
    '-drive',
    `if=pflash,format=raw,unit=0,readonly=on,file=${codePath}`,
    '-drive',
    `if=pflash,format=raw,unit=1,file=${varsPath}`,
  ];
}

function sshBaseArgsFor(knownHostsPath: string, privateKeyPath: string, sshPort: number): string[] {
  return [
    '-o',
    'BatchMode=yes',
    '-o',
    'StrictHostKeyChecking=yes',
    '-o',
    `UserKnownHostsFile=${knownHostsPath}`,
    '-o',
    'GlobalKnownHostsFile=/dev/null',
    '-o',
    'HostKeyAlgorithms=ssh-ed25519',
    '-o',
    'IdentitiesOnly=yes',
    '-o',
    `IdentityFile=${privateKeyPath}`,
    '-o',
    'ConnectTimeout=10',
    '-o',
    'ServerAliveInterval=5',
    '-o',
    'ServerAliveCountMax=6',
    '-o',
    'LogLevel=ERROR',
    '-p',
    String(sshPort),
    'root@127.0.0.1',
  ];
}

/** The serial console's text from byte `serialStart` on ('' if it cannot be read). */
function readSerialLog(serialLogPath: string, serialStart: number): string {
  try {
    const fd = fs.openSync(serialLogPath, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      const len = Math.max(0, size - serialStart);
      const b = Buffer.alloc(len);
      fs.readSync(fd, b, 0, len, serialStart);
      return b.toString('latin1');
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return '';
  }
}

async function waitForVmSsh(
  name: string,
  qemu: QemuProcess,
  sshCmd: Vm['sshCmd'],
  timeoutMs = BOOT_WAIT_MS,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (qemu.st.exited) throw new Error(`testbed: qemu of ${name} exited while waiting for SSH`);
    // qemu's user-mode network accepts the TCP connection on the host side even
    // while the guest is not listening yet, so a plain ssh attempt would sit in
    // its banner timeout. Read the banner with a short timeout first.
    const banner = await readSshBanner(qemu.sshPort, 4000);
    if (!banner) {
      last = 'no SSH banner';
      await sleep(500);
      continue;
    }
    const r = await sshCmd('true', { timeoutMs: 60_000 });
    if (r.code === 0) return;
    last = r.stderr.trim();
    if (/REMOTE HOST IDENTIFICATION HAS CHANGED|Host key verification failed/.test(last)) {
      throw new Error(`testbed: host key verification failed for ${name}: ${last}`);
    }
    await sleep(1000);
  }
  throw new Error(`testbed: SSH to ${name} did not answer within ${timeoutMs} ms (last error: ${last})`);
}

async function waitForVmBoots(
  name: string,
  qemu: QemuProcess,
  bootsSeen: () => number,
  n: number,
  timeoutMs = BOOT_WAIT_MS,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (bootsSeen() >= n) return;
    if (qemu.st.exited) throw new Error(`testbed: qemu of ${name} exited while waiting for boot #${n}`);
    await sleep(500);
  }
  throw new Error(`testbed: ${name} saw ${bootsSeen()} boots, wanted ${n}, within ${timeoutMs} ms`);
}

/**
 * UEFI platforms: a fresh copy of OVMF's VARS in the VM's temp dir (so no VM sees another's boot
 * entries or one-shot variables), its path; undefined for BIOS. Removes tmpDir if it fails.
 */
function efiVarsFor(platform: TestbedPlatform, tmpDir: string): string | undefined {
  if (platform === 'bios-grub') return undefined;
  const varsPath = path.join(tmpDir, 'OVMF_VARS.fd');
  try {
    fs.copyFileSync(OVMF_VARS, varsPath);
    fs.accessSync(OVMF_CODE, fs.constants.R_OK);
  } catch (err) {
    fs.rmSync(tmpDir, { recursive: true, force: true });
    throw new Error(`testbed: ${platform} needs Debian's ovmf (${OVMF_CODE}, ${OVMF_VARS}): ${String(err)}`);
  }
  return varsPath;
}

async function startVm(opts: BootVmOptions): Promise<Vm> {
  const { image, name } = opts;
  const log = opts.log ?? ((): void => undefined);
  const memoryMiB = Math.max(1024, opts.memoryMiB ?? 1536);
  const cpus = opts.cpus ?? vmCpuCount();
  const bootTimeoutMs = opts.bootTimeoutMs ?? BOOT_WAIT_MS;
  const artifactsDir = path.resolve(opts.artifactsDir);
  fs.mkdirSync(artifactsDir, { recursive: true });

  // Short path: unix socket paths are limited to ~107 bytes.
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), `krvm-${name.slice(0, 20)}-`));
  const diskPath = path.join(tmpDir, 'disk.qcow2');
  const qmpSocket = path.join(tmpDir, 'qmp.sock');
  // Second QMP monitor for the harness itself, so vm.qmp() never competes with
  // a client (e.g. the product) holding qmpSocket open.
  const harnessQmpSocket = path.join(tmpDir, 'hqmp.sock');
  const knownHostsPath = path.join(tmpDir, 'known_hosts');
  const serialLogPath = path.join(artifactsDir, `${name}.serial.log`);
  const qemuLogPath = path.join(artifactsDir, `${name}.qemu.log`);

  const mk = await run('qemu-img', ['create', '-q', '-f', 'qcow2', '-b', image.baseImage, '-F', 'qcow2', diskPath]);
  if (mk.code !== 0) {
    fs.rmSync(tmpDir, { recursive: true, force: true });
    throw new Error(`testbed: qemu-img create failed: ${mk.stderr}`);
  }
  const efiVarsPath = efiVarsFor(image.platform, tmpDir);

  // Boots are counted from here on, even if the serial log already has older VMs' output.
  const serialStart = fs.existsSync(serialLogPath) ? fs.statSync(serialLogPath).size : 0;
  const serialLog = (): string => readSerialLog(serialLogPath, serialStart);

  const setup = {
    name,
    memoryMiB,
    cpus,
    diskPath,
    serialLogPath,
    qemuLogPath,
    qmpSocket,
    harnessQmpSocket,
    efiVarsPath,
  };
  const qemu = new QemuProcess(setup, serialLog);
  await qemu.start(knownHostsPath, image.hostPublicKey, tmpDir, log);
  const { pid, sshPort } = qemu;
  log(`${name}: qemu pid ${pid} (${image.platform}), ssh 127.0.0.1:${sshPort}, serial ${serialLogPath}`);

  const sshBaseArgs = (): string[] => sshBaseArgsFor(knownHostsPath, image.privateKeyPath, sshPort);
  const sshCmd = (cmd: string, o: SshCmdOptions = {}): Promise<SshResult> =>
    runSshClient(sshBaseArgs(), cmd, o, 'testbed');
  const bootsSeen = (): number => countOccurrences(serialLog(), SERIAL_BOOT_MARKER);
  const waitForSsh = (timeoutMs = BOOT_WAIT_MS): Promise<void> => waitForVmSsh(name, qemu, sshCmd, timeoutMs);
  const waitForBoots = (n: number, timeoutMs = BOOT_WAIT_MS): Promise<void> =>
    waitForVmBoots(name, qemu, bootsSeen, n, timeoutMs);

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (!stopped) {
      stopped = true;
      await qemu.halt();
    }
    fs.rmSync(tmpDir, { recursive: true, force: true });
  };

  const vm: Vm = {
    name,
    sshPort,
    qmpSocket,
    serialLogPath,
    pid,
    knownHostsPath,
    privateKeyPath: image.privateKeyPath,
    diskPath,
    efiVarsPath,
    image,
    sshCmd,
    sshArgs: sshBaseArgs,
    bootsSeen,
    serialLog,
    waitForSsh,
    waitForBoots,
    qmp: (execute, args) => qmpCommand(harnessQmpSocket, execute, args),
    isRunning: () => !qemu.st.exited,
    stop,
  };

  try {
    await waitForSsh(bootTimeoutMs);
  } catch (err) {
    await stop();
    throw err;
  }
  log(`${name}: SSH up`);
  return vm;
}

/**
 * What an upgrade of a testbed VM to `image`'s newer kernel starts from: the VM as its SSH target
 * (root on the forwarded port, the image's key, the VM's known_hosts), named `host`, and the
 * release with its .deb. `image` is the one whose kernels the run means (a VM booted from a
 * derived layer still upgrades to its base image's newer kernel).
 */
export function upgradeToNewKernel(vm: Vm, host: string, image: TestbedImage) {
  return {
    target: {
      host,
      address: '127.0.0.1',
      port: vm.sshPort,
      user: 'root',
      privateKeyPath: vm.privateKeyPath,
      knownHostsPath: vm.knownHostsPath,
    },
    toRelease: image.kernels.new,
    source: { kind: 'deb' as const, localPath: image.kernels.newDeb, sha256: image.kernels.newDebSha256 },
  };
}
