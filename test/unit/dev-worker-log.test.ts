/** `kernelctl dev`'s worker log: an expected failure is one line, a bug keeps its stack. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import type { LogEntry } from '@temporalio/worker';
import { compactLogLine } from '../../src/dev/worker-log';

const at = 1_796_000_000_000n * 1_000_000n;

function failed(error: unknown): LogEntry {
  return {
    level: 'WARN',
    message: 'Activity failed',
    timestampNanos: at,
    meta: {
      error,
      durationMs: 12,
      activityType: 'prepareBuild',
      workflowId: 'kernel-build/3f9c0a1b2c3d4e5f',
      attempt: 1,
    },
  };
}

describe('compactLogLine', () => {
  test('a failure the product raised: one line with the activity, the type and the first line', () => {
    const err = ApplicationFailure.create({
      message: 'the build host lacks pahole (CONFIG_DEBUG_INFO_BTF=y); install it there: apt-get install dwarves\nmore',
      type: 'BuildHostNotReadyError',
      nonRetryable: true,
    });
    const line = compactLogLine(failed(err));
    assert.equal(
      line,
      `${new Date(Number(at / 1_000_000n)).toISOString()} [WARN] Activity failed: prepareBuild of kernel-build/3f9c0a1b2c3d4e5f ` +
        '(attempt 1): BuildHostNotReadyError: the build host lacks pahole (CONFIG_DEBUG_INFO_BTF=y); install it there: apt-get install dwarves',
    );
    assert.equal(line?.includes('\n'), false);
  });
  test('a bug (TypeError, or a plain Error) is not shortened: its stack matters', () => {
    assert.equal(
      compactLogLine(failed(ApplicationFailure.create({ message: 'x is undefined', type: 'TypeError' }))),
      undefined,
    );
    assert.equal(compactLogLine(failed(new Error('boom'))), undefined);
    assert.equal(compactLogLine({ level: 'WARN', message: 'something', timestampNanos: at }), undefined);
  });
});
