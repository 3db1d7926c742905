/**
 * docs/api.md, checked with a client nobody here wrote: the `temporal` CLI (the same binary as the
 * dev server) queries a rollout's progress and sends its updates — approve after the canary,
 * pause, resume, skipHost — and a host's status; the answers are the ones docs/api.md gives, and
 * the refusals (resume when not paused, approve when nothing waits, skip of a started host) fail
 * the command with the validator's reason and change nothing. The rollout runs on model hosts
 * (test/helpers/fleet.ts) on the real dev server.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { findTemporalBinary } from '../../src/dev/temporal-server';
import { rolloutWorkflowId, type RolloutProgress } from '../../src/workflows/rollout-definitions';
import { upgradeWorkflowId } from '../../src/workflows/definitions';
import type { UpgradeStatus } from '../../src/shared/types';
import { stopOwnServer, temporalAddress } from '../helpers/temporal';
import { runProcess, type ProcessResult } from '../helpers/process';
import { Fleet, hold, release, rolloutInput, startRollout, until, withFleet } from '../helpers/fleet';

after(stopOwnServer);

type CliResult = ProcessResult;

async function temporal(args: string[]): Promise<CliResult> {
  return runProcess(findTemporalBinary(), [...args, '--address', await temporalAddress(), '--output', 'json']);
}

/** `temporal workflow query`: the query's answer, parsed. */
async function query<T>(workflowId: string, name: string, input?: unknown): Promise<T> {
  const r = await temporal([
    'workflow',
    'query',
    '--workflow-id',
    workflowId,
    '--name',
    name,
    ...(input === undefined ? [] : ['--input', JSON.stringify(input)]),
  ]);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { queryResult: unknown[] };
  return out.queryResult[0] as T;
}

/** `temporal workflow update execute`: the update's answer, or its refusal (exit code ≠ 0). */
async function update(workflowId: string, name: string, input: unknown): Promise<CliResult & { answer?: unknown }> {
  const r = await temporal([
    'workflow',
    'update',
    'execute',
    '--workflow-id',
    workflowId,
    '--name',
    name,
    '--input',
    JSON.stringify(input),
  ]);
  if (r.code !== 0) return r;
  return { ...r, answer: (JSON.parse(r.stdout) as { result: unknown }).result };
}

test('temporal CLI: progress and status queries, and a rollout steered by its updates as docs/api.md says', async () => {
  const fleet = new Fleet();
  const names = fleet.add(4);
  const [canary, second, third, fourth] = names as [string, string, string, string];
  const input = rolloutInput(names, { strategy: { canary: 1, batches: [1] }, approveAfterCanary: true });
  const id = input.rolloutId;
  const wf = rolloutWorkflowId(id);
  const result = await withFleet(fleet, async (h) => {
    const handle = await startRollout(h, input);
    await until('the canary waits for approval', async () => {
      const p = await query<RolloutProgress>(wf, 'progress', { hosts: 'none' });
      return p.phase === 'waiting-for-approval';
    });
    const p = await query<RolloutProgress>(wf, 'progress', { hosts: 'all' });
    assert.equal(p.rolloutId, id);
    assert.equal(p.waitingFor, 'approval');
    assert.equal(p.counts.upgraded, 1);
    assert.deepEqual(
      p.hosts.map((x) => [x.host, x.phase]),
      names.map((n) => [n, n === canary ? 'done' : 'pending']),
    );
    const s = await query<UpgradeStatus>(upgradeWorkflowId(canary), 'status');
    assert.equal(s.host, canary);
    assert.equal(s.outcome, 'upgraded');
    assert.equal(s.phase, 'done');

    // Refusals: the command fails with the validator's reason.
    const resume = await update(wf, 'resume', { by: 'ops-bot' });
    assert.notEqual(resume.code, 0);
    assert.match(resume.stderr, new RegExp(`rollout ${id} is not paused`));
    const badBy = await update(wf, 'pause', { by: '' });
    assert.notEqual(badBy.code, 0);
    assert.match(badBy.stderr, /by: must be 1-100 printable characters/);
    const skipDone = await update(wf, 'skipHost', { by: 'ops-bot', host: canary });
    assert.notEqual(skipDone.code, 0);
    assert.match(skipDone.stderr, new RegExp(`${canary}: too late to skip \\(done, upgraded\\)`));

    // Skip one, hold the next one's reboot, approve, then pause while it is in flight.
    assert.equal(
      (await update(wf, 'skipHost', { by: 'ops-bot', host: fourth, reason: 'on call says no' })).answer,
      `${fourth} skipped in rollout ${id}`,
    );
    hold(fleet, [second]);
    assert.equal(
      (await update(wf, 'approve', { by: 'ops-bot' })).answer,
      `rollout ${id} approved by ops-bot: continuing after the canary`,
    );
    const again = await update(wf, 'approve', { by: 'ops-bot' });
    assert.notEqual(again.code, 0);
    assert.match(again.stderr, /nothing waits for approval/);
    await until('the second host is upgrading', () => fleet.touched(second));
    assert.equal(
      (await update(wf, 'pause', { by: 'ops-bot', reason: 'change freeze' })).answer,
      `rollout ${id} paused: no new host starts; 1 in flight finish`,
    );
    release(fleet, [second]);
    await until('paused after the second host', async () => {
      const q = await query<RolloutProgress>(wf, 'progress', { hosts: 'none' });
      return q.phase === 'paused' && q.counts.upgraded === 2;
    });
    assert.equal(fleet.touched(third), false, 'no host starts while paused');
    assert.equal((await update(wf, 'resume', { by: 'ops-bot' })).answer, `rollout ${id} resumed by ops-bot`);
    return handle.result();
  });
  assert.equal(result.outcome, 'completed', result.reason);
  assert.equal(result.counts.upgraded, 3);
  assert.equal(result.counts.skipped, 1);
});
