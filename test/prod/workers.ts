/**
 * A `kernelctl worker` in its own filesystem view (bubblewrap): the system's /usr and /etc and the
 * project's code read-only, its own empty /tmp, /var/tmp and $HOME, and only the files this
 * worker is given (its Temporal profile and client certificate, the fleet's SSH key and
 * known_hosts, the simulator's power control file) bound read-only at the paths the workflows
 * name. Nothing the operator's kernelctl holds (the .deb it was given) is visible to it: whatever
 * a worker installs, it fetched itself. Started, SIGKILLed and started again by PID.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NeverError, ROOT, waitFor } from './cluster';

export class BwrapWorker {
  kills = 0;
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();

  constructor(
    /** Also the worker's host name inside its view: its Temporal identity ends in `@<name>`. */
    readonly name: string,
    readonly metricsAddress: string,
    private readonly opts: {
      /** Files bound read-only at their own paths. */
      files: string[];
      /** kernelctl worker's arguments after `worker`. */
      args: string[];
      /** Environment inside the view (TEMPORAL_CONFIG_FILE…). */
      env: Record<string, string>;
      logPath: string;
    },
  ) {}

  get pid(): number {
    return this.child?.pid ?? -1;
  }

  private argv(): string[] {
    const view = [
      '--die-with-parent',
      '--unshare-uts',
      '--hostname',
      this.name,
      '--ro-bind',
      '/usr',
      '/usr',
      '--symlink',
      'usr/bin',
      '/bin',
      '--symlink',
      'usr/sbin',
      '/sbin',
      '--symlink',
      'usr/lib',
      '/lib',
      '--symlink',
      'usr/lib64',
      '/lib64',
      '--ro-bind',
      '/etc',
      '/etc',
      '--proc',
      '/proc',
      '--dev',
      '/dev',
      '--tmpfs',
      '/tmp',
      '--tmpfs',
      '/var/tmp',
      '--tmpfs',
      '/root',
      '--ro-bind',
      ROOT,
      ROOT,
    ];
    // A git worktree's node_modules may be a link to another checkout's: bind where it points.
    const modules = fs.realpathSync(path.join(ROOT, 'node_modules'));
    if (!modules.startsWith(`${ROOT}${path.sep}`)) view.push('--ro-bind', modules, modules);
    for (const f of this.opts.files) view.push('--ro-bind', f, f);
    const env = Object.entries({ HOME: '/root', PATH: '/usr/bin:/bin', ...this.opts.env }).flatMap(([k, v]) => [
      '--setenv',
      k,
      v,
    ]);
    return [
      '--clearenv',
      ...env,
      ...view,
      '--chdir',
      '/tmp',
      process.execPath,
      path.join(ROOT, 'bin', 'kernelctl.js'),
      'worker',
      '--metrics-address',
      this.metricsAddress,
      ...this.opts.args,
    ];
  }

  /** Starts the worker and waits until its metrics endpoint answers (it polls by then). */
  async start(): Promise<void> {
    const log = fs.openSync(this.opts.logPath, 'a');
    const child = spawn('bwrap', this.argv(), { stdio: ['ignore', log, log] });
    fs.closeSync(log);
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    await waitFor(
      `worker ${this.name} (metrics on ${this.metricsAddress})`,
      async () => {
        if (child.exitCode !== null) throw new NeverError(`exited; see ${this.opts.logPath}`);
        return (await fetch(`http://${this.metricsAddress}/metrics`)).ok;
      },
      120_000,
    );
  }

  /** SIGKILL (bwrap and, through --die-with-parent, the worker inside). */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGKILL');
    await this.exited;
    this.kills += 1;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await this.exited;
    clearTimeout(t);
  }
}
