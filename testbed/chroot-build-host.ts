/**
 * Test harness: a fresh build host that nothing but scripts/setup-build-host.sh prepared. A
 * minimal Debian 12 root (debootstrap minbase with openssh-server, made once per machine by
 * ./build-host-root.sh and cached as a tarball) is unpacked anew for each run, the setup script
 * runs in it (chroot, with /proc, /sys, /dev and a /run of its own mounted), and its own sshd
 * serves it on a loopback port, under `nice -n 19` so that what it runs (the compile) yields the
 * CPU, with a host key made here (its fingerprint is what the test pins) and a client key
 * authorized for root.
 *
 * stop() ends the sshd by PID, then every process still running inside this root (a detached
 * make of a build that did not end) by PID, unmounts, and removes the root. A run killed before
 * its stop() is swept by the next start: roots whose owner process is gone are taken down the
 * same way. Needs root (debootstrap, chroot, mount).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promises as fsp, existsSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../src/node/free-port';
import { generateKeyPair, killByPid, probeBanner, sshKeygenFingerprint } from './sshd';

const execFileP = promisify(execFile);

export interface ChrootBuildHost {
  /** The unpacked root on this machine: a path P on the build host is `${root}${P}` here. */
  root: string;
  address: string;
  port: number;
  /** The sshd's PID (nice and chroot exec it). */
  pid: number;
  /** `SHA256:…` of its host key. */
  hostFingerprint: string;
  /** The client key authorized for root. */
  clientKeyPath: string;
  /** Seconds debootstrap took for the cached tarball, when this start made it; null when it was cached. */
  debootstrapSeconds: number | null;
  /** Seconds `bash scripts/setup-build-host.sh` took in the fresh root. */
  setupSeconds: number;
  /** What the setup script printed. */
  setupOutput: string;
  stop(): Promise<void>;
}

export interface ChrootBuildHostOptions {
  /** The tarball of the pristine root (made if missing). */
  tarball: string;
  /** scripts/setup-build-host.sh of this tree. */
  setupScript: string;
  log?: (line: string) => void;
}

const PREFIX = 'kr-bhost-';
const OWNER = 'owner.pid';

/** Mounts at or under `dir`, deepest first (the order to unmount them in). */
function mountsUnder(dir: string): string[] {
  return readFileSync('/proc/self/mounts', 'utf8')
    .split('\n')
    .map((l) => (l.split(' ')[1] ?? '').replace(/\\040/g, ' '))
    .filter((m) => m === dir || m.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
}

/** PIDs of the processes whose root directory is `root` (they run inside the chroot). */
function processesIn(root: string): number[] {
  const pids: number[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      if (readlinkSync(`/proc/${e}/root`) === root) pids.push(Number(e));
    } catch {
      /* gone, or not ours to read */
    }
  }
  return pids;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Kills every process inside `root` by PID, unmounts what is mounted under it, removes `dir`. */
async function takeDown(dir: string, root: string, log: (line: string) => void): Promise<void> {
  for (let round = 0; round < 20; round++) {
    const pids = processesIn(root);
    if (pids.length === 0) break;
    if (round === 0) log(`killing ${pids.length} process(es) left in ${root}: ${pids.join(' ')}`);
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  for (const m of mountsUnder(root)) {
    await execFileP('umount', [m]).catch(() => execFileP('umount', ['-l', m]));
  }
  const left = mountsUnder(root);
  // Never remove through a mount (/dev is bound in): refuse rather than delete the machine's files.
  if (left.length > 0) throw new Error(`chroot build host: still mounted, ${dir} left in place: ${left.join(', ')}`);
  await execFileP('rm', ['-rf', '--one-file-system', dir]);
}

/** Takes down the roots of earlier runs whose owner process is gone (a run killed before its stop()). */
async function sweep(log: (line: string) => void): Promise<void> {
  for (const e of readdirSync(os.tmpdir())) {
    if (!e.startsWith(PREFIX)) continue;
    const dir = path.join(os.tmpdir(), e);
    const owner = Number(existsSync(path.join(dir, OWNER)) ? readFileSync(path.join(dir, OWNER), 'utf8') : NaN);
    if (Number.isInteger(owner) && alive(owner)) continue;
    log(`taking down ${dir}, left by an earlier run`);
    await takeDown(dir, path.join(dir, 'root'), log);
  }
}

/** Runs `cmd args`, resolving with its output; rejects with its exit code and output tail. */
function run(cmd: string, args: string[], log: (line: string) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const take = (b: Buffer): void => {
      out += b.toString();
      // dpkg's progress ("(Reading database ... 45%") is carriage-return noise: not logged.
      for (const l of b.toString().split(/[\r\n]/)) if (l.trim() && !l.startsWith('(Reading database')) log(`  ${l}`);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0
        ? resolve(out)
        : reject(new Error(`${cmd} ${args.join(' ')}: exit ${String(code ?? signal)}: ${out.trim().slice(-2000)}`)),
    );
  });
}

/** Makes the pristine root's tarball (./build-host-root.sh) if missing: the seconds it took, or null. */
async function ensureTarball(tarball: string, log: (line: string) => void): Promise<number | null> {
  if (existsSync(tarball)) return null;
  log(`making ${tarball} (debootstrap, once per machine)`);
  const t0 = Date.now();
  // Beside this file in the tree; from dist/testbed, two levels up.
  const script = [__dirname, path.join(__dirname, '..', '..', 'testbed')]
    .map((d) => path.join(d, 'build-host-root.sh'))
    .find((f) => existsSync(f));
  if (!script) throw new Error(`chroot build host: build-host-root.sh not found from ${__dirname}`);
  await run('bash', [script, tarball], log);
  return Math.round((Date.now() - t0) / 1000);
}

/**
 * The root's own sshd on a loopback port, under `nice -n 19 chroot` (both exec it: the PID is
 * sshd's): a host key made here, a client key (in `dir`, outside the root) authorized for root.
 * `track` receives the process as soon as it is spawned, so a failed start is still stopped.
 */
async function startRootSshd(root: string, dir: string, track: (c: ChildProcess) => void) {
  await fsp.mkdir(path.join(root, 'run', 'sshd'), { mode: 0o755 });
  const hostKey = path.join(root, 'etc', 'ssh', 'ssh_host_ed25519_key');
  await execFileP('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'kr-build-host', '-f', hostKey]);
  const hostFingerprint = await sshKeygenFingerprint(`${hostKey}.pub`);
  const client = await generateKeyPair(dir, 'client');
  await fsp.mkdir(path.join(root, 'root', '.ssh'), { mode: 0o700 });
  await fsp.writeFile(path.join(root, 'root', '.ssh', 'authorized_keys'), `${client.publicKey}\n`, { mode: 0o600 });
  const address = '127.0.0.1';
  const port = await freePort(address);
  const sshdLog = path.join(dir, 'sshd.log');
  const options = [
    `Port=${port}`,
    `ListenAddress=${address}`,
    'HostKey=/etc/ssh/ssh_host_ed25519_key',
    'PermitRootLogin=prohibit-password',
    'PasswordAuthentication=no',
    'KbdInteractiveAuthentication=no',
    'UsePAM=no',
    'LogLevel=VERBOSE',
  ];
  const child = spawn(
    'nice',
    ['-n', '19', 'chroot', root, '/usr/sbin/sshd', '-D', '-e', ...options.flatMap((o) => ['-o', o])],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  track(child);
  child.stderr?.on('data', (b: Buffer) => void fsp.appendFile(sshdLog, b));
  const deadline = Date.now() + 30_000;
  while (!(await probeBanner(address, port, 1000))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      const why = existsSync(sshdLog) ? readFileSync(sshdLog, 'utf8').slice(-1000) : '';
      throw new Error(`chroot build host: sshd did not answer on ${address}:${port}: ${why}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { address, port, pid: child.pid as number, hostFingerprint, clientKeyPath: client.privateKeyPath };
}

export async function startChrootBuildHost(opts: ChrootBuildHostOptions): Promise<ChrootBuildHost> {
  const log = (line: string): void => opts.log?.(`[build host] ${line}`);
  if (process.getuid?.() !== 0) throw new Error('chroot build host: needs root (debootstrap, chroot, mount)');
  await sweep(log);
  const debootstrapSeconds = await ensureTarball(opts.tarball, log);

  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), PREFIX));
  const root = path.join(dir, 'root');
  await fsp.writeFile(path.join(dir, OWNER), String(process.pid));
  let sshd: ChildProcess | undefined;
  const stop = async (): Promise<void> => {
    if (sshd) await killByPid(sshd);
    await takeDown(dir, root, log);
  };
  try {
    await fsp.mkdir(root);
    await run('tar', ['--zstd', '-xpf', opts.tarball, '-C', root, '--numeric-owner'], log);
    const mounts: [string, string[]][] = [
      ['proc', ['-t', 'proc', 'proc']],
      ['sys', ['-t', 'sysfs', 'sysfs']],
      ['dev', ['--bind', '/dev']],
      ['dev/pts', ['--bind', '/dev/pts']],
      ['run', ['-t', 'tmpfs', 'tmpfs']],
    ];
    for (const [at, how] of mounts) await execFileP('mount', [...how, path.join(root, at)]);

    // The only step that prepares it: the project's setup script, as an operator runs it.
    await fsp.copyFile(opts.setupScript, path.join(root, 'root', 'setup-build-host.sh'));
    log('bash scripts/setup-build-host.sh in the fresh root');
    const t1 = Date.now();
    const setupOutput = await run('chroot', [root, 'bash', '/root/setup-build-host.sh'], log);
    const setupSeconds = Math.round((Date.now() - t1) / 1000);

    const served = await startRootSshd(root, dir, (c) => (sshd = c));
    log(`sshd ${served.pid} on ${served.address}:${served.port} (nice 19), host key ${served.hostFingerprint}`);
    return { root, ...served, debootstrapSeconds, setupSeconds, setupOutput, stop };
  } catch (err) {
    await stop().catch((e: unknown) => log(`teardown after the failure failed: ${(e as Error).message}`));
    throw err;
  }
}
