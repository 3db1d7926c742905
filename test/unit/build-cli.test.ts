/** `kernelctl build`'s flags as a build spec and the build id they name; how builds end; `status`'s lines. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ActivityFailure, ApplicationFailure, CancelledFailure, WorkflowFailedError } from '@temporalio/client';
import { buildInputFromFlags, endOf } from '../../src/cli/build';
import { connectionLost } from '../../src/cli/common';
import { formatStatus } from '../../src/cli/kernelctl';
import { buildIdOf } from '../../src/client/build';
import type { BuildKernelInput } from '../../src/shared/build-schemas';

const FLAGS = {
  'build-host': 'root@builder',
  source: 'debian:6.1',
  config: 'make:tinyconfig',
  'known-hosts': '/etc/ssh/ssh_known_hosts',
};

describe('kernelctl build --rebuild', () => {
  test('asks for a rebuild, under the same build id as the failed build', async () => {
    const plain = (await buildInputFromFlags(FLAGS)) as BuildKernelInput;
    const again = (await buildInputFromFlags({ ...FLAGS, rebuild: true })) as BuildKernelInput;
    assert.equal(plain.rebuild, undefined);
    assert.equal(again.rebuild, true);
    assert.equal(buildIdOf(again), buildIdOf(plain));
  });
});

describe('kernelctl build: how a build that did not succeed ended', () => {
  test('a cancelled build is "cancelled", not "failed"; a failed one carries its cause', () => {
    const cancelled = new WorkflowFailedError(
      'Workflow execution cancelled',
      new CancelledFailure('cancelled'),
      'NON_RETRYABLE_FAILURE',
    );
    assert.deepEqual(endOf(cancelled), { outcome: 'cancelled', reason: 'cancelled' });
    const failed = new WorkflowFailedError(
      'Workflow execution failed',
      new ActivityFailure(
        'activity failed',
        'prepareBuild',
        '1',
        'NON_RETRYABLE_FAILURE',
        'w',
        ApplicationFailure.create({ message: 'make bindeb-pkg failed', type: 'BuildFailedError' }),
      ),
      'NON_RETRYABLE_FAILURE',
    );
    assert.deepEqual(endOf(failed), { outcome: 'failed', reason: 'make bindeb-pkg failed' });
  });
});

describe('connectionLost', () => {
  test("gRPC's UNAVAILABLE anywhere in the cause chain; other errors are not", () => {
    const grpc = Object.assign(new Error('14 UNAVAILABLE: No connection established'), { code: 14 });
    assert.equal(connectionLost(new Error('Failed to query workflow', { cause: grpc })), true);
    assert.equal(connectionLost(grpc), true);
    assert.equal(connectionLost(Object.assign(new Error('5 NOT_FOUND: workflow not found'), { code: 5 })), false);
    assert.equal(connectionLost(new Error('boom')), false);
  });
});

describe('kernelctl status during a VM rehearsal', () => {
  test('the target kernel, that the running one is not read yet, and the rehearsal id', () => {
    const text = formatStatus({
      host: 'web1',
      phase: 'preflight',
      details: 'rehearsing the upgrade',
      from: null,
      to: '6.1.192-kr3f9c0a1b',
      waitingFor: null,
      outcome: null,
      rehearsalId: '0193a5c4-7d1e-7000-8000-000000000001',
      timeline: [],
    });
    assert.match(text, /^ {2}kernel \(running kernel not read yet\) → 6\.1\.192-kr3f9c0a1b$/m);
    assert.match(text, /^ {2}VM rehearsal 0193a5c4-7d1e-7000-8000-000000000001 \(workflow kernel-rehearsal\/0193a5c4/m);
    assert.doesNotMatch(text, /kernel \?/);
  });
});
