/**
 * Durability: the worker is killed (SIGKILL) and replaced mid-run. The run completes and the
 * host was rebooted exactly once — the reboot activity's boot-id guard holds even when the
 * activity itself is retried after it had already issued the reboot.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { FakeHost, newHostState, type FakeHostState } from '../helpers/fake-host';
import { OLD, NEW, stopOwnServer, temporalAddress, testInput } from '../helpers/temporal';
import { upgradeHostKernel } from '../../src/workflows';
import { statusQuery, upgradeWorkflowId } from '../../src/workflows/definitions';
import type { UpgradeResult } from '../../src/shared/types';

after(stopOwnServer);

function startWorker(address: string, taskQueue: string, stateFile: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [path.join(__dirname, '..', 'helpers', 'stub-worker.js'), address, taskQueue, stateFile],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (b: Buffer) => {
      if (b.toString().includes('worker-ready')) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`stub worker exited early (${code})`)));
  });
}

function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function scenario(hold: 'await' | 'inside-reboot'): Promise<{ state: FakeHostState; result: UpgradeResult }> {
  const address = await temporalAddress();
  const dir = mkdtempSync(path.join(tmpdir(), 'kr-restart-'));
  const stateFile = path.join(dir, 'host.json');
  const host = new FakeHost(newHostState(OLD, 'ok'), stateFile);
  host.update((s) => {
    if (hold === 'await') s.holdAwait = true;
    else s.holdRebootAfterIssue = true;
  });
  const taskQueue = `restart-${randomUUID()}`;
  const connection = await Connection.connect({ address });
  try {
    const client = new Client({ connection });
    let worker = await startWorker(address, taskQueue, stateFile);
    const input = testInput();
    const handle = await client.workflow.start(upgradeHostKernel, {
      taskQueue,
      workflowId: upgradeWorkflowId(input.target.host),
      args: [input],
    });
    if (hold === 'await') {
      await until('the workflow awaits the host', async () => (await handle.query(statusQuery)).phase === 'await');
      await until('the await activity is polling', () => (host.get().calls['awaitHostReturn'] ?? 0) > 0);
    } else {
      await until('the reboot was issued', () => host.get().reboots === 1);
    }
    await kill(worker);
    host.update((s) => {
      s.holdAwait = false;
      s.holdRebootAfterIssue = false;
    });
    worker = await startWorker(address, taskQueue, stateFile);
    try {
      const result = await handle.result();
      return { state: host.get(), result };
    } finally {
      await kill(worker);
    }
  } finally {
    await connection.close();
  }
}

test('worker killed while the workflow awaits the host: completes, reboot activity ran once', async () => {
  const { state, result } = await scenario('await');
  assert.equal(result.outcome, 'upgraded');
  assert.equal(state.calls['rebootHost'], 1, 'the reboot activity ran once');
  assert.equal(state.reboots, 1, 'the host rebooted once');
  assert.ok((state.calls['awaitHostReturn'] ?? 0) >= 2, 'the await activity was retried on the new worker');
  assert.equal(state.savedDefault, NEW);
  // The time away counts from the reboot (the timeline's reboot entry has the workflow time the
  // run recorded for it), not from the retried wait, which found the host back at once.
  const reboot = result.timeline.find((t) => t.phase === 'reboot');
  const back = result.timeline.find((t) => /^back after \d+s/.test(t.message));
  assert.ok(reboot && back, 'reboot and "back after" in the timeline');
  const said = Number(/^back after (\d+)s/.exec(back.message)?.[1]);
  const gap = (Date.parse(back.at) - Date.parse(reboot.at)) / 1000;
  assert.ok(gap >= 3, `the host was waited for across the restart (${gap}s)`);
  assert.ok(said >= gap - 2 && said <= gap + 1, `"${back.message}" counts the ${gap}s since the reboot`);
});

test('worker killed inside the reboot activity after it rebooted: the retry does not reboot again', async () => {
  const { state, result } = await scenario('inside-reboot');
  assert.equal(result.outcome, 'upgraded');
  assert.equal(state.calls['rebootHost'], 2, 'the reboot activity was retried');
  assert.equal(state.reboots, 1, 'but the host rebooted once: the boot-id guard saw the new boot');
  assert.equal(state.savedDefault, NEW);
});
