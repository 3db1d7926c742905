/**
 * A 2,000-host rollout on the real dev server: every host's upgradeHostKernel runs as a real
 * child workflow with stubbed activities on its own model host. The rollout must cross
 * continueAsNew (bounded history), keep its counters and order across runs, and end with every
 * host's outcome recorded exactly once. Slow (minutes on 2 cores): `npm run test:fleet`.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { Fleet, assertUpgraded, rolloutInput, startRollout, withFleet } from '../helpers/fleet';
import { OLD, stopOwnServer } from '../helpers/temporal';

after(stopOwnServer);

const HOSTS = 2000;
const PANICKING = 15;

test(`${HOSTS} hosts cross continueAsNew and end with every outcome recorded`, { timeout: 45 * 60_000 }, async () => {
  const fleet = new Fleet();
  const ok = fleet.add(HOSTS - PANICKING);
  const bad = fleet.add(PANICKING, 'panic', 'p');
  // Spread the panicking hosts through the fleet so they fall into different batches and runs.
  const names = [...ok];
  bad.forEach((n, i) => names.splice(Math.floor(((i + 1) * ok.length) / (PANICKING + 1)) + i, 0, n));
  const input = rolloutInput(names, {
    strategy: { canary: 5, batches: ['5%', '10%'], maxUnavailable: 100 },
    failureBudget: '1%',
  });
  const started = Date.now();
  const { result, runIds, historyLengths, progressCounts } = await withFleet(fleet, async (h) => {
    const handle = await startRollout(h, input);
    const result = await handle.result();
    // Walk the chain of runs back from the last one: each run's history stayed bounded.
    const runIds: string[] = [];
    const historyLengths: number[] = [];
    for await (const wf of h.client.workflow.list({ query: `WorkflowId = '${handle.workflowId}'` })) {
      runIds.push(wf.runId);
      historyLengths.push(wf.historyLength ?? 0);
    }
    const progress = await handle.query('progress');
    return { result, runIds, historyLengths, progressCounts: (progress as { counts: unknown }).counts };
  });
  const seconds = (Date.now() - started) / 1000;
  process.stdout.write(
    `# ${HOSTS} hosts: ${result.runs} runs, ${result.batches} batches, ${seconds.toFixed(0)} s, ` +
      `longest run history ${Math.max(...historyLengths)} events\n`,
  );

  assert.equal(result.outcome, 'completed', result.reason);
  assert.ok(result.runs >= 2, `continued as new (${result.runs} runs)`);
  assert.equal(runIds.length, result.runs, 'one execution per run in the visibility store');
  assert.ok(Math.max(...historyLengths) < 10_000, `every run's history stayed bounded (${historyLengths.join(', ')})`);
  assert.deepEqual(
    result.hosts.map((r) => r.host),
    names,
    'every host exactly once, in the order given',
  );
  assert.equal(result.counts.upgraded, HOSTS - PANICKING);
  assert.equal(result.counts['rolled-back'], PANICKING);
  assert.equal(result.failures, PANICKING);
  assert.equal(result.budget, 20);
  assert.deepEqual(progressCounts, result.counts, 'the progress query agrees with the result');
  for (const n of ok) {
    assertUpgraded(fleet, n);
    assert.equal(fleet.host(n).get().calls['preflight'], 1, `${n} upgraded exactly once`);
  }
  for (const n of bad) {
    const rec = result.hosts.find((r) => r.host === n);
    assert.equal(rec?.outcome, 'rolled-back', n);
    const s = fleet.host(n).get();
    assert.equal(s.running, OLD, `${n} is back on the old kernel`);
    assert.equal(s.savedDefault, OLD, `${n}: the saved default stayed on the known-good kernel`);
  }
});
