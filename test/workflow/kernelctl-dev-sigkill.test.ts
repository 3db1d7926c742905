/**
 * `kernelctl dev` SIGKILLed: its Temporal server dies with it (parent-death signal), and a server
 * an earlier kernelctl dev left running on the same state dir (one started without that signal,
 * as older versions did: simulated by starting the Temporal CLI directly and writing the pid
 * file) is stopped by the next `kernelctl dev`, which says so and prints the PID of the server it
 * really runs. Real kernelctl processes, a real Temporal CLI, real signals.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { findTemporalBinary } from '../../src/dev/temporal-server';
import { freePort } from '../../src/node/free-port';
import { processAlive as alive } from '../../src/node/process-alive';

const kernelctl = path.join(__dirname, '..', '..', '..', 'bin', 'kernelctl.js');
const READY = /Ctrl-C stops both\.\n/;

async function until(what: string, cond: () => boolean, deadlineMs: number): Promise<void> {
  while (!cond()) {
    if (Date.now() > deadlineMs) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface Dev {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
  serverPid: number;
}

async function startDev(state: string, port: number): Promise<Dev> {
  const child = spawn(
    process.execPath,
    [kernelctl, 'dev', '--state-dir', state, '--port', String(port), '--ui-port', String(await freePort())],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<number | null>((r) => child.on('exit', r));
  let ended = false;
  void exited.then(() => (ended = true));
  await until('kernelctl dev is ready', () => READY.test(stdout) || ended, Date.now() + 180_000);
  if (ended) throw new Error(`kernelctl dev exited:\n${stdout}\n${stderr}`);
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    serverPid: Number(/\(pid (\d+),/.exec(stdout)?.[1]),
  };
}

test(
  'kernelctl dev SIGKILLed: no server left behind; a leftover is stopped and named',
  { timeout: 600_000 },
  async () => {
    const state = mkdtempSync(path.join(tmpdir(), 'kr-dev-kill-'));
    const port = await freePort();
    const started: ChildProcess[] = [];
    const servers: number[] = [];
    try {
      const first = await startDev(state, port);
      started.push(first.child);
      servers.push(first.serverPid);
      assert.ok(alive(first.serverPid), 'the first server runs');
      first.child.kill('SIGKILL');
      await first.exited;
      await until('the first server is gone with its kernelctl', () => !alive(first.serverPid), Date.now() + 30_000);

      // What a SIGKILLed kernelctl dev of an older version left: a server on the state dir's database.
      const leftover = spawn(
        findTemporalBinary(),
        [
          'server',
          'start-dev',
          '--ip',
          '127.0.0.1',
          '--port',
          String(port),
          '--headless',
          '--log-level',
          'error',
          '--db-filename',
          path.join(state, 'temporal.sqlite'),
          '--metrics-port',
          String(await freePort()),
          '--http-port',
          String(await freePort()),
        ],
        { stdio: 'ignore' },
      );
      started.push(leftover);
      const leftoverPid = leftover.pid as number;
      writeFileSync(path.join(state, 'temporal.pid'), `${leftoverPid}\n${path.join(state, 'temporal.sqlite')}\n`);

      const second = await startDev(state, port);
      started.push(second.child);
      assert.match(
        second.stderr(),
        new RegExp(
          `^kernelctl dev: stopped the Temporal dev server \\(pid ${leftoverPid}\\) an earlier kernelctl dev left running`,
          'm',
        ),
      );
      assert.equal(alive(leftoverPid), false, 'the leftover server was stopped');
      assert.notEqual(second.serverPid, leftoverPid);
      assert.ok(alive(second.serverPid), 'the PID printed is the server that runs');
      second.child.kill('SIGINT');
      assert.equal(await second.exited, 0);
      assert.equal(alive(second.serverPid), false);
    } finally {
      for (const c of started) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
      // A server this test's kernelctl left (when the code under test is broken): not left running.
      for (const pid of servers) if (alive(pid)) process.kill(pid, 'SIGKILL');
      rmSync(state, { recursive: true, force: true });
    }
  },
);
