/**
 * releaseHeldRuns (src/activities/rollout/release.ts) against the real dev server, through a client
 * on a NativeConnection as a worker's activities get it: each held run gets the rollout's word as
 * a signal in its own history; a run that has ended is reported, not failed on; bad input is
 * refused before any run is signalled.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Client } from '@temporalio/client';
import { MockActivityEnvironment } from '@temporalio/testing';
import { NativeConnection } from '@temporalio/worker';
import { releaseHeldRuns } from '../../src/activities/rollout/release';
import type { ReleaseHeldRunsRequest } from '../../src/shared/types';
import { upgradeHostKernel } from '../../src/workflows';
import { upgradeWorkflowId } from '../../src/workflows/definitions';
import { stopOwnServer, temporalAddress, testInput } from '../helpers/temporal';

after(stopOwnServer);

async function withClient<T>(fn: (client: Client, env: MockActivityEnvironment) => Promise<T>): Promise<T> {
  const connection = await NativeConnection.connect({ address: await temporalAddress() });
  try {
    const client = new Client({ connection });
    return await fn(client, new MockActivityEnvironment({ isLocal: true }, { client }));
  } finally {
    await connection.close();
  }
}

/** A host's run on a task queue no worker polls: it runs, and waits, until terminated. */
async function startIdleRun(client: Client): Promise<{ workflowId: string; runId: string }> {
  const input = testInput({ holdForRollout: true });
  const handle = await client.workflow.start(upgradeHostKernel, {
    taskQueue: `nobody-${randomUUID()}`,
    workflowId: upgradeWorkflowId(input.target.host),
    args: [input],
  });
  return { workflowId: handle.workflowId, runId: handle.firstExecutionRunId };
}

async function decisionsIn(client: Client, run: { workflowId: string; runId: string }): Promise<unknown[]> {
  const history = await client.workflow.getHandle(run.workflowId, run.runId).fetchHistory();
  const { defaultPayloadConverter } = await import('@temporalio/common');
  return (history.events ?? [])
    .filter((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'rolloutDecision')
    .map((e) =>
      defaultPayloadConverter.fromPayload(e.workflowExecutionSignaledEventAttributes?.input?.payloads?.[0] ?? {}),
    );
}

describe('releaseHeldRuns', () => {
  test('signals every running run once, reports the ended and the unknown ones', async () => {
    await withClient(async (client, env) => {
      const running = [await startIdleRun(client), await startIdleRun(client)];
      const ended = await startIdleRun(client);
      await client.workflow.getHandle(ended.workflowId, ended.runId).terminate('ended before its go');
      const unknown = { workflowId: upgradeWorkflowId(`gone-${randomUUID().slice(0, 8)}`), runId: randomUUID() };
      const decision = { go: true, by: 'kernel-rollout/r-release-test', reason: 'batch 2 goes' };
      try {
        const result = await env.run(releaseHeldRuns, { decision, runs: [...running, ended, unknown] });
        assert.deepEqual(result, { signalled: 2, ended: [ended.workflowId, unknown.workflowId] });
        for (const run of running) assert.deepEqual(await decisionsIn(client, run), [decision]);
        assert.deepEqual(await decisionsIn(client, ended), []);
      } finally {
        for (const run of running) await client.workflow.getHandle(run.workflowId, run.runId).terminate('test over');
      }
    });
  });

  test('signals the run it names, not a later run of the same workflow id', async () => {
    await withClient(async (client, env) => {
      const first = await startIdleRun(client);
      const id = first.workflowId;
      await client.workflow.getHandle(id, first.runId).terminate('replaced');
      const input = { ...testInput({ holdForRollout: true }), target: { ...testInput().target, host: id.slice(15) } };
      const later = await client.workflow.start(upgradeHostKernel, {
        taskQueue: `nobody-${randomUUID()}`,
        workflowId: id,
        args: [input],
      });
      try {
        const decision = { go: false, by: 'kernel-rollout/r-release-test', reason: 'rollout halted' };
        const result = await env.run(releaseHeldRuns, { decision, runs: [first] });
        assert.deepEqual(result, { signalled: 0, ended: [id] });
        assert.deepEqual(await decisionsIn(client, { workflowId: id, runId: later.firstExecutionRunId }), []);
      } finally {
        await later.terminate('test over');
      }
    });
  });

  test('refuses bad input, naming the field, before any run is signalled', async () => {
    await withClient(async (client, env) => {
      const run = await startIdleRun(client);
      const decision = { go: true, by: 'kernel-rollout/r-release-test' };
      const bad: [ReleaseHeldRunsRequest, RegExp][] = [
        [{ decision, runs: [run, { workflowId: 'kernel-upgrade/a b', runId: run.runId }] }, /runs\.1\.workflowId/],
        [{ decision, runs: [{ ...run, runId: 'not-a-run-id' }] }, /runs\.0\.runId/],
        [{ decision: { ...decision, by: '' }, runs: [run] }, /decision\.by/],
        [{ decision, runs: [] }, /runs/],
      ];
      try {
        for (const [req, field] of bad) {
          await assert.rejects(env.run(releaseHeldRuns, req), (err: Error) => {
            assert.equal(err.name, 'InvalidInputError');
            assert.match(err.message, field);
            return true;
          });
        }
        assert.deepEqual(await decisionsIn(client, run), []);
      } finally {
        await client.workflow.getHandle(run.workflowId, run.runId).terminate('test over');
      }
    });
  });
});
