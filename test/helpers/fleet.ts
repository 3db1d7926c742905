/**
 * A fleet of model hosts for rollout tests: rolloutKernel on the real dev server, each host's
 * upgradeHostKernel a real child workflow, the activities stubbed on one FakeHost per host name
 * (dispatched on the request's target host). Every activity call is logged in order, so tests
 * can tell which hosts were touched and in which order the batches started.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { NativeConnection, Worker, bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { FakeHost, newHostState, createStubActivities, type TrialBehaviour } from './fake-host';
import { NEW, OLD, quietLogger, temporalAddress, testInput } from './temporal';
import type { KernelRolloutActivities } from '../../src/activities';
import { keepAlive } from '../../src/activities/keep-alive';
import { createRolloutActivities } from '../../src/activities/rollout';
import type { UpgradeHostInput } from '../../src/shared/types';
import { rolloutKernel } from '../../src/workflows/rollout';
import {
  rolloutProgressQuery,
  rolloutWorkflowId,
  type RolloutHost,
  type RolloutInput,
  type RolloutTemplate,
  type RolloutProgress,
} from '../../src/workflows/rollout-definitions';

// ---- a fleet of model hosts behind one set of stub activities ------------------------------

export interface CallRecord {
  seq: number;
  host: string;
  activity: string;
}

export class Fleet {
  readonly prefix = `f${randomUUID().slice(0, 8)}`;
  readonly hosts = new Map<string, FakeHost>();
  private readonly stubs = new Map<string, KernelRolloutActivities>();
  /** Hosts whose SSH login is refused: preflight cannot read them. */
  readonly unreachable = new Set<string>();
  readonly calls: CallRecord[] = [];
  /**
   * The rollout's releaseHeldRuns fails, so its fallback is what tells a held batch: at once
   * (non-retryable), or on every attempt with an error a retry could mend (retryable: a signal
   * the server refused), so only the local activity's retry policy ends it.
   */
  releaseFails: false | 'non-retryable' | 'retryable' = false;

  /** Adds `count` hosts named <prefix>-<tag><i>; returns their names. */
  add(count: number, trial: TrialBehaviour = 'ok', tag = 'h'): string[] {
    const names: string[] = [];
    for (let i = 0; i < count; i++) {
      const name = `${this.prefix}-${tag}${this.hosts.size}`;
      const host = new FakeHost(newHostState(OLD, trial));
      this.hosts.set(name, host);
      this.stubs.set(name, createStubActivities(host));
      names.push(name);
    }
    return names;
  }

  host(name: string): FakeHost {
    const h = this.hosts.get(name);
    if (!h) throw new Error(`no model host ${name}`);
    return h;
  }

  touched(name: string): boolean {
    return this.calls.some((c) => c.host === name);
  }

  /** Activities with the real signatures, each routed to the model host the request names. */
  activities(): KernelRolloutActivities {
    const names = Object.keys(createStubActivities(new FakeHost(newHostState(OLD, 'ok'))));
    // The rollout's own activity names no host: it runs as it is, unless the test breaks it.
    const { releaseHeldRuns } = createRolloutActivities();
    const routed: Record<string, (req: never) => Promise<unknown>> = {
      releaseHeldRuns: async (req: Parameters<typeof releaseHeldRuns>[0]) => {
        if (this.releaseFails === 'non-retryable') {
          throw ApplicationFailure.nonRetryable('releaseHeldRuns broken by the test', 'TestError');
        }
        if (this.releaseFails === 'retryable') {
          throw ApplicationFailure.retryable('a signal refused, as the test says', 'SignalFailedError');
        }
        return releaseHeldRuns(req);
      },
    };
    for (const name of names) {
      if (name in routed) continue;
      routed[name] = async (req: never) => {
        const r = req as { target?: { host: string }; host?: string };
        const host = r.target?.host ?? r.host ?? '';
        this.calls.push({ seq: this.calls.length, host, activity: name });
        if (name === 'preflight' && this.unreachable.has(host)) {
          throw ApplicationFailure.nonRetryable(`${host}: all authentication methods failed`, 'AuthFailedError');
        }
        const stubs = this.stubs.get(host) as unknown as Record<string, (req: never) => Promise<unknown>>;
        if (!stubs) throw ApplicationFailure.nonRetryable(`no model host ${host}`, 'InvalidInputError');
        return (stubs[name] as (req: never) => Promise<unknown>)(req);
      };
    }
    return routed as unknown as KernelRolloutActivities;
  }
}

// ---- harness ------------------------------------------------------------------------------

let bundle: Promise<WorkflowBundleWithSourceMap> | null = null;
export function rolloutBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ workflowsPath: require.resolve('../../src/workflows'), logger: quietLogger });
  return bundle;
}

export interface Harness {
  client: Client;
  taskQueue: string;
}

export async function withFleet<T>(fleet: Fleet, fn: (h: Harness) => Promise<T>): Promise<T> {
  const address = await temporalAddress();
  const taskQueue = `rollout-${randomUUID()}`;
  const nativeConnection = await NativeConnection.connect({ address });
  const worker = await Worker.create({
    connection: nativeConnection,
    taskQueue,
    workflowBundle: await rolloutBundle(),
    activities: keepAlive(fleet.activities()),
  });
  const connection = await Connection.connect({ address });
  const client = new Client({ connection });
  try {
    return await worker.runUntil(fn({ client, taskQueue }));
  } finally {
    await connection.close();
    await nativeConnection.close();
  }
}

export function hostInput(host: string): UpgradeHostInput {
  const base = testInput({ stabilitySeconds: 0 });
  return { ...base, target: { ...base.target, host } };
}

export function template(): RolloutTemplate {
  const { target, ...rest } = testInput({ stabilitySeconds: 0 });
  const { host: _host, address: _address, ...ssh } = target;
  return { ...rest, ssh };
}

export const rolloutHost = (host: string): RolloutHost => ({ host });

export function rolloutInput(hosts: string[], overrides: Partial<RolloutInput> = {}): RolloutInput {
  return {
    rolloutId: `r-${randomUUID().slice(0, 8)}`,
    template: template(),
    hosts: hosts.map(rolloutHost),
    strategy: { canary: 1, batches: [2] },
    failureBudget: '0',
    approveAfterCanary: false,
    pauseBetweenBatchesSeconds: 0,
    ...overrides,
  };
}

export async function startRollout({ client, taskQueue }: Harness, input: RolloutInput) {
  return client.workflow.start(rolloutKernel, {
    taskQueue,
    workflowId: rolloutWorkflowId(input.rolloutId),
    args: [input],
  });
}

export async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function progressUntil(
  handle: WorkflowHandle,
  what: string,
  check: (p: RolloutProgress) => boolean,
): Promise<RolloutProgress> {
  let last: RolloutProgress | null = null;
  await until(`${what} (last: ${last ? (last as RolloutProgress).details : 'none'})`, async () => {
    last = await handle.query(rolloutProgressQuery);
    return check(last);
  });
  return last as unknown as RolloutProgress;
}

/** An update refused by its validator: the reason is in the failure's cause. */
export async function assertRefused(p: Promise<unknown>, re: RegExp): Promise<void> {
  await assert.rejects(p, (err: Error & { cause?: Error }) => {
    assert.match(`${err.message} ${err.cause?.message ?? ''}`, re);
    return true;
  });
}

/** The model host is waiting in awaitHostReturn, held there until released. */
export function hold(fleet: Fleet, names: string[]): void {
  for (const n of names) fleet.host(n).update((s) => (s.holdAwait = true));
}
export function release(fleet: Fleet, names: string[]): void {
  for (const n of names) fleet.host(n).update((s) => (s.holdAwait = false));
}
export async function heldInAwait(fleet: Fleet, names: string[]): Promise<void> {
  await until(`${names.join(', ')} waiting for the reboot`, () =>
    names.every((n) => (fleet.host(n).get().calls['awaitHostReturn'] ?? 0) > 0),
  );
}

export function assertUpgraded(fleet: Fleet, name: string): void {
  const s = fleet.host(name).get();
  assert.equal(s.running, NEW, `${name} runs the new kernel`);
  assert.equal(s.savedDefault, NEW, `${name} has it as the saved default`);
  assert.equal(s.calls['commitKernel'], 1, `${name} committed once`);
}
