/**
 * The worker's log lines in the `kernelctl dev` terminal. The SDK logs each failed activity
 * attempt with the whole error (40–60 lines of stack and cause chain). A failure the product
 * raised on purpose (an ApplicationFailure with its own type: a host that refuses, a build that
 * failed) is expected: one line, with the activity and the message's first line. A failure of
 * another kind (a TypeError: a bug) keeps its stack.
 */
import { formatWithOptions } from 'node:util';
import type { LogEntry } from '@temporalio/worker';

/** Types that mean a bug, not a refusal: their stack matters. */
const BUG_TYPES = new Set(['Error', 'TypeError', 'ReferenceError', 'RangeError', 'SyntaxError', 'AssertionError']);

interface FailureLike {
  name?: string;
  type?: string | null;
  message?: string;
  cause?: unknown;
}

/** The product's own failure type of an error, or undefined when it is not one. */
function expectedType(error: unknown): string | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const e = error as FailureLike;
  if (e.name !== 'ApplicationFailure' || !e.type || BUG_TYPES.has(e.type)) return undefined;
  return e.type;
}

/** One line for an expected failure; undefined for every other entry. */
export function compactLogLine(entry: LogEntry): string | undefined {
  const meta = entry.meta as Record<string, unknown> | undefined;
  const type = expectedType(meta?.['error']);
  if (!meta || !type) return undefined;
  const error = meta['error'] as FailureLike;
  const first = (error.message ?? '').split('\n')[0]?.trim() ?? '';
  const where = [meta['activityType'], meta['workflowId']].filter((x) => typeof x === 'string').join(' of ');
  const when = new Date(Number(entry.timestampNanos / 1_000_000n)).toISOString();
  const attempt = typeof meta['attempt'] === 'number' ? ` (attempt ${meta['attempt']})` : '';
  return `${when} [${entry.level}] ${entry.message}${where ? `: ${where}` : ''}${attempt}: ${type}: ${first}`;
}

/** The log function for the dev worker: expected failures on one line, the rest as the SDK prints them. */
export function devLogFunction(entry: LogEntry): void {
  const line = compactLogLine(entry);
  if (line !== undefined) {
    process.stderr.write(`${line}\n`);
    return;
  }
  const when = new Date(Number(entry.timestampNanos / 1_000_000n));
  const fmt = formatWithOptions.bind(undefined, { colors: false });
  process.stderr.write(
    `${fmt(when)} [${entry.level}] ${entry.message}${entry.meta === undefined ? '' : ` ${fmt(entry.meta)}`}\n`,
  );
}
