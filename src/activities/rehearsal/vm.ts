/**
 * The rehearsal VM on the rehearsal worker: a throwaway qemu guest booted from an overlay of the
 * worker's image, reachable over SSH on a loopback port and reset through QMP.
 *
 * The VM outlives the activity that started it, and the worker too: qemu runs under a small
 * supervisor script in its own session, with its state in one directory per rehearsal
 * (`vm.json`, the overlay, the serial log, the supervisor's and qemu's logs). A retried start re-attaches to a VM that still runs;
 * the stop ends its process group, keeps the serial log and removes the disk.
 *
 * qemu runs with -no-reboot, and the supervisor starts a fresh qemu on the same disk after every
 * guest reset: under TCG a warm reset inside the same process took 85-840 s to get from GRUB to
 * the kernel, a fresh process seconds. A guest power-off, or the stop file, ends the loop.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Context } from '@temporalio/activity';
import { freePort } from '../../node/free-port';
import { readSshBanner } from '../../node/ssh-banner';
import { qemuArgs } from '../../node/qemu-args';
import { REHEARSAL_ID_RE, type RehearsalVm } from '../../shared/rehearsal-types';
import { shellJoin } from '../../shared/shell';
import { connectTo } from '../ssh/connect';
import { processAlive as alive } from '../../node/process-alive';

/** The worker's rehearsal settings (`kernelctl worker --rehearsal-image DIR`), never workflow input. */
export interface RehearsalConfig {
  /**
   * A directory in the testbed image's layout: base.qcow2 (a Debian disk that boots by itself
   * through its own bootloader), id_ed25519 (a key root accepts), ssh_host_ed25519_key.pub.
   */
  imageDir: string;
  /** Where each rehearsal's VM keeps its state (one directory per rehearsal). */
  stateDir: string;
  memoryMiB: number;
  cpus: number;
  /** How long a VM may take from qemu's start until SSH answers. */
  bootTimeoutSeconds: number;
}

/** The image's files, checked: the worker refuses to start with an image it cannot use. */
export interface RehearsalImage {
  baseImage: string;
  privateKeyPath: string;
  hostPublicKey: string;
}

export function loadRehearsalImage(imageDir: string): RehearsalImage {
  const dir = path.resolve(imageDir);
  const baseImage = path.join(dir, 'base.qcow2');
  const privateKeyPath = path.join(dir, 'id_ed25519');
  const hostKeyFile = path.join(dir, 'ssh_host_ed25519_key.pub');
  for (const f of [baseImage, privateKeyPath, hostKeyFile]) {
    if (!fs.existsSync(f)) throw new Error(`--rehearsal-image: ${dir} has no ${path.basename(f)}`);
  }
  const [type, blob] = fs.readFileSync(hostKeyFile, 'utf8').trim().split(/\s+/);
  if (type !== 'ssh-ed25519' || !blob || !/^[A-Za-z0-9+/=]+$/.test(blob)) {
    throw new Error(`--rehearsal-image: ${hostKeyFile} is not an ssh-ed25519 public key`);
  }
  return { baseImage, privateKeyPath, hostPublicKey: `${type} ${blob}` };
}

/** What vm.json holds. */
interface VmState {
  pid: number;
  port: number;
  startedAtMs: number;
}

export function rehearsalDir(config: RehearsalConfig, rehearsalId: string): string {
  if (!REHEARSAL_ID_RE.test(rehearsalId)) {
    throw new Error(`rehearsalId: ${JSON.stringify(rehearsalId)} must match ${REHEARSAL_ID_RE.source}`);
  }
  return path.join(config.stateDir, rehearsalId);
}

/** The supervisor: qemu again after each guest reset, until a power-off or the stop file. */
export function supervisorScript(qemuArgs: readonly string[]): string {
  return `#!/bin/sh
# kernel-rollout rehearsal VM. qemu ends at every guest reset (-no-reboot) and starts again on
# the same disk; a guest power-off or the file ./stop ends it.
cd "$(dirname "$0")" || exit 1
while :; do
  echo "# $(date -u +%FT%TZ) qemu starts" >> qemu.log
  ${shellJoin(['qemu-system-x86_64', ...qemuArgs])} >> qemu.log 2>&1
  rc=$?
  echo "# $(date -u +%FT%TZ) qemu exited $rc" >> qemu.log
  [ "$rc" -eq 0 ] || exit "$rc"
  [ -e stop ] && exit 0
  tail -c 8192 serial.log | grep -a 'reboot: ' | tail -n 1 | grep -q 'Power down' && exit 0
done
`;
}

function vmArgs(config: RehearsalConfig, dir: string, port: number): string[] {
  return qemuArgs({
    name: `rehearsal-${path.basename(dir)}`,
    memoryMiB: config.memoryMiB,
    cpus: config.cpus,
    diskPath: path.join(dir, 'disk.qcow2'),
    sshPort: port,
    serialLogPath: path.join(dir, 'serial.log'),
    qmpSockets: [path.join(dir, 'qmp.sock')],
  });
}

function readState(dir: string): VmState | null {
  try {
    const s = JSON.parse(fs.readFileSync(path.join(dir, 'vm.json'), 'utf8')) as VmState;
    return Number.isInteger(s.pid) && s.pid > 1 && Number.isInteger(s.port) ? s : null;
  } catch {
    return null;
  }
}

/** Whether `pid` is still this rehearsal's supervisor (not a recycled pid). */
function isSupervisor(pid: number, dir: string): boolean {
  if (!alive(pid)) return false;
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(path.join(dir, 'run.sh'));
  } catch {
    return false;
  }
}

function run(cmd: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Creates the overlay and starts the supervisor; the VM's state as vm.json says it. */
async function launch(config: RehearsalConfig, image: RehearsalImage, dir: string): Promise<VmState> {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const mk = await run('qemu-img', [
    'create',
    '-q',
    '-f',
    'qcow2',
    '-b',
    image.baseImage,
    '-F',
    'qcow2',
    path.join(dir, 'disk.qcow2'),
  ]);
  if (mk.code !== 0) throw new Error(`qemu-img create failed: ${mk.output.trim()}`);
  const port = await freePort();
  fs.writeFileSync(path.join(dir, 'known_hosts'), `[127.0.0.1]:${port} ${image.hostPublicKey}\n`);
  const script = path.join(dir, 'run.sh');
  fs.writeFileSync(script, supervisorScript(vmArgs(config, dir, port)), { mode: 0o700 });
  // detached: its own session and process group (its pid), so it outlives this worker and the
  // stop ends qemu with it. The shell's own messages go to supervisor.log.
  const out = fs.openSync(path.join(dir, 'supervisor.log'), 'a');
  let child;
  try {
    child = spawn('/bin/sh', [script], { detached: true, stdio: ['ignore', out, out] });
  } finally {
    fs.closeSync(out);
  }
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not start the rehearsal VM supervisor');
  endings.set(
    pid,
    new Promise((resolve) =>
      child.on('exit', (code, signal) =>
        resolve(signal ? `was killed by ${signal}` : `exited with code ${String(code)}`),
      ),
    ),
  );
  child.unref();
  const state: VmState = { pid, port, startedAtMs: Date.now() };
  fs.writeFileSync(path.join(dir, 'vm.json'), JSON.stringify(state));
  return state;
}

/** How each supervisor this process is starting ends, by pid: what a failed start reports. */
const endings = new Map<number, Promise<string>>();

/** Why a VM is gone, from what is known: the supervisor's exit, its own log and qemu's. */
async function howItEnded(dir: string, vm: VmState): Promise<string> {
  const read = (file: string): string => {
    try {
      return fs.readFileSync(file, 'utf8');
    } catch (err) {
      return `(${(err as NodeJS.ErrnoException).code ?? 'unreadable'})`;
    }
  };
  const tail = (name: string): string => read(path.join(dir, name)).slice(-1500).trim() || '(empty)';
  const ending = endings.get(vm.pid);
  const ended = ending && (await Promise.race([ending, sleep(2000).then(() => undefined)]));
  const how =
    ended ||
    (alive(vm.pid)
      ? `runs as something else: ${JSON.stringify(read(`/proc/${vm.pid}/cmdline`).replace(/\0/g, ' ').trim())}`
      : `is gone (${ending ? 'its exit not seen within 2 s' : 'started by another process'})`);
  return `its supervisor (pid ${vm.pid}) ${how}; supervisor.log: ${tail('supervisor.log')}; qemu.log: ${tail('qemu.log')}`;
}

/** Waits until the VM answers SSH with its image's host key, heartbeating; throws if it ends. */
async function waitForSsh(config: RehearsalConfig, dir: string, vm: VmState, target: RehearsalVm['target']) {
  const ctx = Context.current();
  const deadline = vm.startedAtMs + config.bootTimeoutSeconds * 1000;
  let last = 'no SSH banner yet';
  for (;;) {
    if (!isSupervisor(vm.pid, dir)) {
      const how = await howItEnded(dir, vm);
      // Looked at again after that (up to 2 s): a supervisor still there was misread, not gone.
      if (!isSupervisor(vm.pid, dir)) throw new Error(`the rehearsal VM ended before SSH answered: ${how}`);
      last = `its supervisor was misread as gone once: ${how}`;
    }
    if (await readSshBanner(vm.port, 4000)) {
      try {
        const s = await connectTo(target, { connectTimeoutMs: 20_000 });
        s.close();
        return;
      } catch (err) {
        last = (err as Error).message;
      }
    }
    ctx.heartbeat({ waitingFor: 'ssh', seconds: Math.round((Date.now() - vm.startedAtMs) / 1000), last });
    if (Date.now() > deadline) {
      throw new Error(`the rehearsal VM did not answer SSH within ${config.bootTimeoutSeconds} s (${last})`);
    }
    await sleep(2000);
  }
}

/** Starts (or finds running) the VM of a rehearsal and waits until SSH answers. */
export async function startRehearsalVm(
  config: RehearsalConfig,
  req: { rehearsalId: string },
): Promise<Omit<RehearsalVm, 'taskQueue'>> {
  const image = loadRehearsalImage(config.imageDir);
  const dir = rehearsalDir(config, req.rehearsalId);
  const found = readState(dir);
  const reattached = found !== null && isSupervisor(found.pid, dir);
  const vm = reattached ? found : await launch(config, image, dir);
  const target = {
    host: `rehearsal-${req.rehearsalId}`,
    address: '127.0.0.1',
    port: vm.port,
    user: 'root',
    privateKeyPath: image.privateKeyPath,
    knownHostsPath: path.join(dir, 'known_hosts'),
    trustOnFirstUse: false,
  };
  try {
    await waitForSsh(config, dir, vm, target);
  } catch (err) {
    stopSupervisor(dir);
    throw err;
  } finally {
    // Only this start reads it: a worker that runs rehearsals for months keeps no entry per VM.
    endings.delete(vm.pid);
  }
  return {
    target,
    qmpSocket: path.join(dir, 'qmp.sock'),
    serialLogPath: path.join(dir, 'serial.log'),
    bootSeconds: reattached ? 0 : Math.round((Date.now() - vm.startedAtMs) / 1000),
    reattached,
  };
}

/** Ends the VM's process group (supervisor and qemu); idempotent. */
export function stopSupervisor(dir: string): void {
  const vm = readState(dir);
  fs.writeFileSync(path.join(dir, 'stop'), '');
  if (vm && isSupervisor(vm.pid, dir)) {
    try {
      process.kill(-vm.pid, 'SIGTERM');
    } catch {
      /* gone meanwhile */
    }
  }
}

/** Waits (up to 20 s) until the VM's processes are gone, then SIGKILLs what is left. */
export async function awaitStopped(dir: string): Promise<void> {
  const vm = readState(dir);
  if (!vm) return;
  for (let i = 0; i < 40 && isSupervisor(vm.pid, dir); i++) await sleep(500);
  if (isSupervisor(vm.pid, dir)) {
    try {
      process.kill(-vm.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
}
