/**
 * The `qmp` power driver against a real qemu: `-M none` (no guest, no firmware) answers QMP like
 * any VM. qemu gets two monitors: the driver's socket, and one for this test, which watches the
 * events (RESET, STOP, RESUME) and the run state before and after.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createConnection, type Socket } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { powerConfigSchema } from '../../shared/schemas';
import { createPowerDriver } from './driver';

const QEMU = 'qemu-system-x86_64';

interface QmpMessage {
  QMP?: unknown;
  return?: unknown;
  error?: { class: string; desc: string };
  event?: string;
  data?: Record<string, unknown>;
}

/** The test's own monitor: keeps the connection, records every event, runs one command at a time. */
class QmpWatcher {
  readonly events: QmpMessage[] = [];
  private buffer = '';
  private waiting: ((m: QmpMessage) => void) | null = null;
  private eventListeners: (() => void)[] = [];

  private constructor(private readonly sock: Socket) {
    sock.on('data', (chunk) => {
      this.buffer += chunk.toString();
      let nl: number;
      while ((nl = this.buffer.indexOf('\n')) >= 0) {
        const line = this.buffer.slice(0, nl).trim();
        this.buffer = this.buffer.slice(nl + 1);
        if (!line) continue;
        const msg = JSON.parse(line) as QmpMessage;
        if (msg.event) {
          this.events.push(msg);
          for (const l of this.eventListeners) l();
        } else if (!msg.QMP) {
          const w = this.waiting;
          this.waiting = null;
          w?.(msg);
        }
      }
    });
  }

  static async connect(socketPath: string): Promise<QmpWatcher> {
    const sock = createConnection(socketPath);
    await new Promise<void>((resolve, reject) => sock.once('connect', resolve).once('error', reject));
    const w = new QmpWatcher(sock);
    await w.execute('qmp_capabilities');
    return w;
  }

  execute(command: string): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.waiting = (m) => (m.error ? reject(new Error(`${command}: ${m.error.desc}`)) : resolve(m.return));
      this.sock.write(`${JSON.stringify({ execute: command })}\n`);
    });
  }

  async status(): Promise<string> {
    return ((await this.execute('query-status')) as { status: string }).status;
  }

  /** Resolves once `count` events have arrived since `from` (an index into `events`). */
  waitForEvents(from: number, count: number, withinMs = 10_000): Promise<string[]> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.events.length - from < count) return;
        clearTimeout(timer);
        this.eventListeners = this.eventListeners.filter((l) => l !== check);
        resolve(this.events.slice(from, from + count).map((e) => e.event as string));
      };
      const timer = setTimeout(
        () => reject(new Error(`expected ${count} QMP events, got ${JSON.stringify(this.events.slice(from))}`)),
        withinMs,
      );
      this.eventListeners.push(check);
      check();
    });
  }

  close(): void {
    this.sock.destroy();
  }
}

describe('qmp power driver (real qemu)', () => {
  let dir: string;
  let qemu: ChildProcess;
  let qemuLog = '';
  let driverSocket: string;
  let watcher: QmpWatcher;

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'kr-qmp-'));
    driverSocket = path.join(dir, 'vm.qmp');
    const watchSocket = path.join(dir, 'watch.qmp');
    qemu = spawn(
      QEMU,
      [
        ...['-M', 'none', '-nodefaults', '-display', 'none', '-S'],
        ...['-qmp', `unix:${driverSocket},server=on,wait=off`],
        ...['-qmp', `unix:${watchSocket},server=on,wait=off`],
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    qemu.stderr?.on('data', (d: Buffer) => (qemuLog += d.toString()));
    const spawnError = new Promise<never>((_, reject) =>
      qemu.once('error', (err) =>
        reject(new Error(`${QEMU} could not start (${err.message}): apt-get install -y qemu-system-x86`)),
      ),
    );
    // qemu creates both sockets before it reads commands; wait until the watcher's connects.
    const deadline = Date.now() + 15_000;
    const connected = (async () => {
      for (;;) {
        if (qemu.exitCode !== null) throw new Error(`${QEMU} exited ${qemu.exitCode}: ${qemuLog}`);
        if (existsSync(watchSocket)) {
          try {
            return await QmpWatcher.connect(watchSocket);
          } catch {
            /* created but not listening yet */
          }
        }
        if (Date.now() > deadline) throw new Error(`${QEMU} made no QMP socket in 15 s: ${qemuLog}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    watcher = await Promise.race([connected, spawnError]);
    await watcher.execute('cont'); // from prelaunch (-S) to running, like a booted guest
    assert.equal(await watcher.status(), 'running');
  });

  after(() => {
    watcher?.close();
    const running = qemu?.pid !== undefined && qemu.exitCode === null && qemu.signalCode === null;
    if (running) process.kill(qemu.pid as number, 'SIGKILL');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const driver = (action?: string) =>
    createPowerDriver(
      powerConfigSchema.parse({ driver: 'qmp', socketPath: driverSocket, ...(action ? { action } : {}) }),
    );

  it('reset (the default) sends system_reset: one RESET from the host, the guest keeps running', async () => {
    const from = watcher.events.length;
    const result = await driver().powerCycle('vm-1');
    assert.deepEqual(result, { performed: true, message: `vm-1: system_reset sent through QMP ${driverSocket}` });
    assert.deepEqual(await watcher.waitForEvents(from, 1), ['RESET']);
    assert.equal(watcher.events[from]?.data?.['reason'], 'host-qmp-system-reset');
    assert.equal(await watcher.status(), 'running');
  });

  it('power-cycle stops the CPUs, resets and resumes: STOP, RESET, RESUME, then running', async () => {
    const from = watcher.events.length;
    const result = await driver('power-cycle').powerCycle('vm-1');
    assert.deepEqual(result, {
      performed: true,
      message: `vm-1: stop + system_reset + cont sent through QMP ${driverSocket}`,
    });
    assert.deepEqual(await watcher.waitForEvents(from, 3), ['STOP', 'RESET', 'RESUME']);
    assert.equal(await watcher.status(), 'running');
  });

  it('power-cycle also starts a guest that was stopped', async () => {
    await watcher.execute('stop');
    assert.equal(await watcher.status(), 'paused');
    await driver('power-cycle').powerCycle('vm-1');
    assert.equal(await watcher.status(), 'running');
  });

  it('fails with what to check when the socket does not exist', async () => {
    const missing = path.join(dir, 'no-such-vm.qmp');
    const power = createPowerDriver(powerConfigSchema.parse({ driver: 'qmp', socketPath: missing }));
    await assert.rejects(power.powerCycle('vm-1'), {
      message:
        `vm-1: power reset through QMP failed: QMP ${missing}: connect ENOENT ${missing}; there is no such socket: ` +
        'is the VM running, and is power.socketPath the path of its -qmp unix: option?',
    });
  });

  // Last: it ends qemu the way a crash would, leaving its socket file behind.
  it('fails with what to check when the VM behind the socket has gone', async () => {
    const exited = new Promise((resolve) => qemu.once('exit', resolve));
    process.kill(qemu.pid as number, 'SIGKILL');
    await exited;
    assert.ok(existsSync(driverSocket), 'a killed qemu leaves its socket file');
    await assert.rejects(driver().powerCycle('vm-1'), {
      message:
        `vm-1: power reset through QMP failed: QMP ${driverSocket}: connect ECONNREFUSED ${driverSocket}; ` +
        'nothing listens on the socket: the VM has probably exited',
    });
  });

  it('refuses a relative or unsafe socket path and an unknown action', () => {
    for (const bad of [
      { driver: 'qmp', socketPath: 'vm.qmp' },
      { driver: 'qmp', socketPath: '/run/../etc/vm.qmp' },
      { driver: 'qmp', socketPath: '/run/vm.qmp', action: 'power-off' },
    ]) {
      assert.equal(powerConfigSchema.safeParse(bad).success, false, JSON.stringify(bad));
    }
  });
});
