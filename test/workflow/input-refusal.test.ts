/**
 * A workflow started by hand (the `temporal` CLI with a written input, bypassing the
 * client's schemas) used to end on the first field it read ("Cannot read properties of undefined
 * (reading 'heartbeatSeconds')"). Started here exactly that way on the real dev server, each
 * workflow fails at once, InvalidInputError, naming every missing or wrong field, and no activity
 * runs (the model host's call counts stay empty).
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { WorkflowFailedError } from '@temporalio/client';
import { findTemporalBinary } from '../../src/dev/temporal-server';
import { FakeHost, createStubActivities, newHostState } from '../helpers/fake-host';
import { OLD, stopOwnServer, temporalAddress, testInput, withWorker } from '../helpers/temporal';
import { rolloutInput } from '../helpers/fleet';
import { runProcess } from '../helpers/process';

after(stopOwnServer);

/** `temporal workflow start` with a written input; returns the workflow's failure. */
async function startByHand(
  h: { client: import('@temporalio/client').Client; taskQueue: string },
  type: string,
  workflowId: string,
  input: unknown,
): Promise<{ message: string; type: string | undefined }> {
  const r = await runProcess(findTemporalBinary(), [
    'workflow',
    'start',
    '--address',
    await temporalAddress(),
    '--task-queue',
    h.taskQueue,
    '--type',
    type,
    '--workflow-id',
    workflowId,
    '--input',
    JSON.stringify(input),
  ]);
  assert.equal(r.code, 0, r.stderr);
  const err = await h.client.workflow
    .getHandle(workflowId)
    .result()
    .then(
      () => assert.fail(`${type} accepted a broken input`),
      (e: unknown) => e,
    );
  assert.ok(err instanceof WorkflowFailedError, String(err));
  const cause = err.cause as { message: string; type?: string } | undefined;
  return { message: cause?.message ?? '', type: cause?.type };
}

describe('a hand-written input is refused with every bad field named', () => {
  it('upgradeHostKernel: no timeouts, target.port a string, a health check not an object', async () => {
    const host = new FakeHost(newHostState(OLD, 'ok'));
    await withWorker(createStubActivities(host), async (h) => {
      const input: Record<string, unknown> = { ...testInput() };
      delete input['timeouts'];
      const target = input['target'] as { host: string };
      input['target'] = { ...target, port: '22' };
      input['healthChecks'] = ['system-running'];
      const { message, type } = await startByHand(h, 'upgradeHostKernel', `kernel-upgrade/${target.host}`, input);
      assert.equal(type, 'InvalidInputError');
      assert.match(message, /^invalid input: /);
      for (const field of ['timeouts: missing', 'target.port: must be', 'healthChecks[0]: must be an object']) {
        assert.ok(message.includes(field), `${field} in: ${message}`);
      }
      assert.doesNotMatch(message, /Cannot read properties/);
    });
    assert.deepEqual(host.get().calls, {}, 'no activity ran');
  });

  it('rolloutKernel: template.timeouts missing, template.timeouts nested type wrong, strategy missing', async () => {
    const host = new FakeHost(newHostState(OLD, 'ok'));
    await withWorker(createStubActivities(host), async (h) => {
      const input = rolloutInput(['web-a', 'web-b']) as unknown as Record<string, unknown>;
      const template = { ...(input['template'] as Record<string, unknown>) };
      delete template['timeouts'];
      template['ssh'] = { ...(template['ssh'] as object), port: 'twenty-two' };
      input['template'] = template;
      delete input['strategy'];
      const { message, type } = await startByHand(
        h,
        'rolloutKernel',
        `kernel-rollout/${String(input['rolloutId'])}`,
        input,
      );
      assert.equal(type, 'InvalidInputError');
      for (const field of ['template.timeouts: missing', 'template.ssh.port: must be', 'strategy']) {
        assert.ok(message.includes(field), `${field} in: ${message}`);
      }

      // A nested field of the wrong type alone (timeouts present).
      const again = rolloutInput(['web-c']) as unknown as Record<string, unknown>;
      const t2 = again['template'] as { timeouts: Record<string, unknown> };
      t2.timeouts = { ...t2.timeouts, heartbeatSeconds: 'often' };
      const r2 = await startByHand(h, 'rolloutKernel', `kernel-rollout/${String(again['rolloutId'])}`, again);
      assert.match(r2.message, /^template\.timeouts\.heartbeatSeconds: must be a whole number >= 1, not "often"$/);
    });
    assert.deepEqual(host.get().calls, {}, 'no activity ran');
  });

  it('upgradeHostKernel: a password in the power command is refused, the argument named, its value not repeated', async () => {
    const host = new FakeHost(newHostState(OLD, 'ok'));
    await withWorker(createStubActivities(host), async (h) => {
      const input = testInput({
        power: {
          driver: 'command',
          argv: ['ipmitool', '-H', 'bmc', '-P', 'hunter2', 'power', 'reset'],
          timeoutSeconds: 60,
        },
      });
      const { message, type } = await startByHand(h, 'upgradeHostKernel', `kernel-upgrade/${input.target.host}`, input);
      assert.equal(type, 'InvalidInputError');
      assert.match(message, /^invalid input: power\.argv\[3\]: must not carry a credential .*power\.credentialsEnv/);
      assert.doesNotMatch(message, /hunter2/);
    });
    assert.deepEqual(host.get().calls, {}, 'no activity ran');
  });
});
