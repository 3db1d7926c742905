/**
 * `kernelctl dev` as a newcomer starts it: the real CLI (a child process) with a temporary state
 * dir and free ports starts the Temporal CLI's dev server and a worker. Once it has printed its
 * addresses and its worker polls the task queue (asked of the server), the terminal holds those
 * three lines and nothing else: not the ~20 lines of bundler statistics the worker logs at INFO.
 * Ctrl-C (SIGINT to its PID) stops the worker and the server.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { freePort } from '../../src/node/free-port';
import { processAlive as alive } from '../../src/node/process-alive';

const kernelctl = path.join(__dirname, '..', '..', '..', 'bin', 'kernelctl.js');
const READY = /Ctrl-C stops both\.\n/;

/** Until the dev server reports a poller on kernelctl's default task queue (the worker runs). */
async function workerPolls(address: string, deadlineMs: number): Promise<void> {
  const conn = await Connection.connect({ address });
  try {
    for (;;) {
      const r = await conn.workflowService.describeTaskQueue({
        namespace: 'default',
        taskQueue: { name: 'kernel-rollout' },
        taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
      });
      if ((r.pollers ?? []).length > 0) return;
      if (Date.now() > deadlineMs) throw new Error(`no worker polls kernel-rollout on ${address}`);
      await new Promise((res) => setTimeout(res, 250));
    }
  } finally {
    await conn.close();
  }
}

test(
  'kernelctl dev: its addresses and nothing else until Ctrl-C, which stops the server too',
  { timeout: 300_000 },
  async () => {
    const state = mkdtempSync(path.join(tmpdir(), 'kr-dev-'));
    const [port, uiPort] = [await freePort(), await freePort()];
    const child = spawn(
      process.execPath,
      [kernelctl, 'dev', '--state-dir', state, '--port', String(port), '--ui-port', String(uiPort)],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    const exited = new Promise<number | null>((r) => child.on('exit', r));
    let ended = false;
    void exited.then(() => (ended = true));
    const ready = new Promise<void>((resolve, reject) => {
      const check = () => {
        if (READY.test(stdout)) resolve();
      };
      child.stdout.on('data', (d: string) => {
        stdout += d;
        check();
      });
      child.stderr.on('data', (d: string) => (stderr += d));
      void exited.then((code) => reject(new Error(`kernelctl dev exited ${String(code)}:\n${stdout}\n${stderr}`)));
    });
    try {
      await ready;
      await workerPolls(`127.0.0.1:${port}`, Date.now() + 120_000);
      const lines = `${stdout}${stderr}`.trimEnd().split('\n');
      assert.equal(stderr, '', `nothing on stderr at start:\n${stderr}`);
      assert.equal(lines.length, 3, `three lines:\n${stdout}${stderr}`);
      assert.match(stdout, new RegExp(`^Temporal dev server 127\\.0\\.0\\.1:${port} \\(pid \\d+, state `));
      assert.match(stdout, new RegExp(`^Web UI: http://127\\.0\\.0\\.1:${uiPort}$`, 'm'));
      const serverPid = Number(/\(pid (\d+),/.exec(stdout)?.[1]);
      assert.ok(alive(serverPid), 'the Temporal server runs');

      assert.ok(child.pid !== undefined);
      process.kill(child.pid, 'SIGINT');
      assert.equal(await exited, 0, `exit 0 after Ctrl-C:\n${stderr}`);
      assert.equal(alive(serverPid), false, 'the Temporal server stopped with it');
    } finally {
      if (!ended && child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
      rmSync(state, { recursive: true, force: true });
    }
  },
);
