/**
 * `kernelctl worker --metrics-address`: the real worker process, on the dev server, upgrading
 * simulated hosts with its real activities, serves Prometheus metrics that say what happened:
 * upgrades started and ended by outcome (one upgraded, one rolled back after a panic, one waiting
 * for an operator after its host key changed), phase durations, the hosts in needs-attention and
 * in flight by phase and how long the oldest has been there (gauges from visibility, back to 0
 * once the operator gave up), and the SDK's own metrics.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';

import { freePort } from '../../src/node/free-port';
import type { UpgradeResult } from '../../src/shared/types';
import { upgradeHostKernel } from '../../src/workflows';
import { resolveUpdate, statusQuery, upgradeWorkflowId } from '../../src/workflows/definitions';
import { KernelRolloutProgressedAt } from '../../src/workflows/search-attributes';
import { startSimulator, type Simulator } from '../../sim/simulator';
import { stopOwnServer, temporalAddress, testInput } from '../helpers/temporal';
import { NEW, simTarget } from './helpers';

const KERNELCTL = path.join(__dirname, '..', '..', '..', 'bin', 'kernelctl.js');
const tag = randomUUID().slice(0, 6);
const HOSTS = { ok: `met-ok-${tag}`, panic: `met-panic-${tag}`, rekey: `met-rekey-${tag}` };

let sim: Simulator;
let worker: ChildProcess | undefined;
before(async () => {
  sim = await startSimulator({
    hosts: [
      { name: HOSTS.ok },
      { name: HOSTS.panic, faults: { kernels: { [NEW]: 'panic' } } },
      { name: HOSTS.rekey, faults: { hostKeyChangesOnReboot: true } },
    ],
    bootSeconds: 1,
  });
});
after(async () => {
  worker?.kill('SIGKILL');
  await sim?.stop();
  await stopOwnServer();
});

async function scrape(port: number): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`);
  assert.equal(res.status, 200);
  return res.text();
}

/** The value of the first sample of `name` whose labels include every pair of `labels`. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([^}]*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = m[3] ?? '';
    if (Object.entries(labels).every(([k, v]) => have.includes(`${k}="${v}"`))) return Number(m[4]);
  }
  return undefined;
}

async function until(what: string, check: () => Promise<boolean>, ms = 90_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Starts `kernelctl worker` with its metrics on `port` and waits until it serves them. */
async function startWorker(address: string, port: number, taskQueue: string): Promise<void> {
  worker = spawn(
    process.execPath,
    [KERNELCTL, 'worker', '--address', address, '--task-queue', taskQueue, '--metrics-address', `127.0.0.1:${port}`],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let workerLog = '';
  worker.stderr?.on('data', (d: Buffer) => (workerLog += d.toString()));
  await until('the worker serves /metrics', async () => {
    if (worker?.exitCode !== null) assert.fail(`the worker exited: ${workerLog}`);
    try {
      return (await fetch(`http://127.0.0.1:${port}/metrics`)).ok;
    } catch {
      return false;
    }
  });
}

/** Upgrades the three hosts: one upgraded, one rolled back, one left waiting for an operator (returned). */
async function upgradeThree(client: Client, taskQueue: string): Promise<WorkflowHandle<typeof upgradeHostKernel>> {
  const start = (host: string) =>
    client.workflow.start(upgradeHostKernel, {
      taskQueue,
      workflowId: upgradeWorkflowId(host),
      args: [
        testInput({
          target: simTarget(sim, host),
          toRelease: NEW,
          source: { kind: 'apt', packageName: `linux-image-${NEW}` },
        }),
      ],
    });
  const [ok, panic, rekey] = await Promise.all([start(HOSTS.ok), start(HOSTS.panic), start(HOSTS.rekey)]);
  const results: UpgradeResult[] = await Promise.all([ok.result(), panic.result()]);
  assert.deepEqual(
    results.map((r) => r.outcome),
    ['upgraded', 'rolled-back'],
    results.map((r) => r.reason).join('\n'),
  );
  await until('the changed host key is waiting for an operator', async () => {
    return (await rekey.query(statusQuery)).phase === 'needs-attention';
  });
  return rekey;
}

/** The counters by outcome, with the worker's labels, the phase durations and the SDK's metrics. */
async function checkOutcomesAndPhases(port: number, taskQueue: string): Promise<void> {
  let text = '';
  await until('the metrics show it', async () => {
    text = await scrape(port);
    return (
      sample(text, 'kernel_rollout_upgrades_ended_total', { outcome: 'rolled-back' }) === 1 &&
      sample(text, 'kernel_rollout_hosts_needs_attention') === 1
    );
  });
  assert.equal(sample(text, 'kernel_rollout_upgrades_started_total'), 3, text);
  // The labels docs/operations.md names: the worker's namespace and taskQueue, the workflowType.
  const worker = { namespace: 'default', taskQueue, workflowType: 'upgradeHostKernel' };
  assert.equal(sample(text, 'kernel_rollout_upgrades_started_total', worker), 3, text);
  assert.equal(sample(text, 'kernel_rollout_upgrades_ended_total', { ...worker, outcome: 'upgraded' }), 1, text);
  assert.ok(sample(text, 'kernel_rollout_phase_seconds_count', { ...worker, phase: 'reboot' }), text);
  assert.equal(sample(text, 'kernel_rollout_upgrades_ended_total', { outcome: 'upgraded' }), 1);
  assert.equal(sample(text, 'kernel_rollout_upgrades_ended_total', { outcome: 'needs-attention' }), undefined);
  for (const phase of ['preflight', 'install', 'reboot', 'verify', 'commit']) {
    assert.ok(
      (sample(text, 'kernel_rollout_phase_seconds_count', { phase }) ?? 0) >= 1,
      `a ${phase} duration was recorded`,
    );
  }
  assert.ok((sample(text, 'kernel_rollout_phase_seconds_bucket', { phase: 'reboot', le: '+Inf' }) ?? 0) >= 1);
  assert.ok((sample(text, 'temporal_workflow_completed_total') ?? 0) >= 2, 'the SDK reports completed workflows');
  assert.ok(sample(text, 'temporal_activity_execution_latency_count') !== undefined, 'and activity latencies');
}

/** The in-flight gauges by phase, read from visibility, for the host waiting for an operator. */
async function checkInFlightGauges(port: number, rekey: WorkflowHandle<typeof upgradeHostKernel>): Promise<void> {
  let text = '';
  // The host waiting for an operator is in flight in needs-attention since the time its run
  // upserted as KernelRolloutProgressedAt; the gauges read that from visibility.
  const since = (await rekey.describe()).typedSearchAttributes.get(KernelRolloutProgressedAt);
  assert.ok(since instanceof Date && since.getTime() <= Date.now(), `KernelRolloutProgressedAt: ${String(since)}`);
  // Visibility is eventually consistent: under load it still lists a host that just left
  // `await` for a moment, so the other phases' gauges are waited for too, not read once.
  await until('the oldest needs-attention age to count from it, and no host left in await', async () => {
    text = await scrape(port);
    const age = sample(text, 'kernel_rollout_hosts_oldest_phase_age_seconds', { phase: 'needs-attention' }) ?? 0;
    return (
      age > 0 &&
      age <= (Date.now() - since.getTime()) / 1000 + 1 &&
      sample(text, 'kernel_rollout_hosts_oldest_phase_age_seconds', { phase: 'await' }) === 0
    );
  });
  assert.equal(sample(text, 'kernel_rollout_hosts_in_flight', { phase: 'needs-attention' }), 1, text);
  assert.equal(sample(text, 'kernel_rollout_hosts_in_flight', { phase: 'reboot' }), 0, text);
  assert.equal(sample(text, 'kernel_rollout_hosts_oldest_phase_age_seconds', { phase: 'await' }), 0, text);
}

/** The operator gives up on the host: the gauges go back to 0 and its outcome is counted. */
async function giveUpAndCheckGauges(port: number, rekey: WorkflowHandle<typeof upgradeHostKernel>): Promise<void> {
  let text = '';
  await rekey.executeUpdate(resolveUpdate, { args: [{ by: 'oncall', action: 'give-up' }] });
  assert.equal((await rekey.result()).outcome, 'needs-attention');
  await until('the gauge goes back to 0 and the outcome is counted', async () => {
    text = await scrape(port);
    return (
      sample(text, 'kernel_rollout_hosts_needs_attention') === 0 &&
      sample(text, 'kernel_rollout_hosts_in_flight', { phase: 'needs-attention' }) === 0 &&
      sample(text, 'kernel_rollout_hosts_oldest_phase_age_seconds', { phase: 'needs-attention' }) === 0 &&
      sample(text, 'kernel_rollout_upgrades_ended_total', { outcome: 'needs-attention' }) === 1
    );
  });
}

test('worker metrics: outcomes, phases, hosts in needs-attention, and the SDK metrics', async () => {
  const address = await temporalAddress();
  const port = await freePort();
  const taskQueue = `metrics-${tag}`;
  await startWorker(address, port, taskQueue);

  const connection = await Connection.connect({ address });
  try {
    const client = new Client({ connection });
    const rekey = await upgradeThree(client, taskQueue);
    await checkOutcomesAndPhases(port, taskQueue);
    await checkInFlightGauges(port, rekey);
    await giveUpAndCheckGauges(port, rekey);
  } finally {
    await connection.close();
  }
});
