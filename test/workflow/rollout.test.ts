/**
 * rolloutKernel on the real dev server, with each host's upgradeHostKernel run as a real child
 * workflow and the activities stubbed on a fleet of model hosts (one FakeHost per host name,
 * dispatched on the request's target host). Every activity call is logged in order, so the
 * tests can tell which hosts were touched and in which order the batches started.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { NativeConnection, Worker, bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { FakeHost, newHostState, createStubActivities, type TrialBehaviour } from '../helpers/fake-host';
import { NEW, OLD, quietLogger, stopOwnServer, temporalAddress, testInput } from '../helpers/temporal';
import type { KernelRolloutActivities } from '../../src/activities';
import { keepAlive } from '../../src/activities/keep-alive';
import { planBatches } from '../../src/shared/rollout-plan';
import type { UpgradeHostInput } from '../../src/shared/types';
import { upgradeHostKernel } from '../../src/workflows';
import { rolloutKernel } from '../../src/workflows/rollout';
import {
  abortRolloutUpdate,
  addHostsUpdate,
  approveRolloutUpdate,
  pauseRolloutUpdate,
  resumeRolloutUpdate,
  rolloutProgressQuery,
  rolloutWorkflowId,
  skipHostUpdate,
  type RolloutInput,
  type RolloutProgress,
} from '../../src/workflows/rollout-definitions';
import { abortUpdate, statusQuery, upgradeWorkflowId } from '../../src/workflows/definitions';

after(stopOwnServer);

// ---- a fleet of model hosts behind one set of stub activities ------------------------------

interface CallRecord {
  seq: number;
  host: string;
  activity: string;
}

class Fleet {
  readonly prefix = `f${randomUUID().slice(0, 8)}`;
  readonly hosts = new Map<string, FakeHost>();
  private readonly stubs = new Map<string, KernelRolloutActivities>();
  /** Hosts whose SSH login is refused: preflight cannot read them. */
  readonly unreachable = new Set<string>();
  readonly calls: CallRecord[] = [];

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
    const routed: Record<string, (req: never) => Promise<unknown>> = {};
    for (const name of names) {
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
function rolloutBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ workflowsPath: require.resolve('../../src/workflows'), logger: quietLogger });
  return bundle;
}

interface Harness {
  client: Client;
  taskQueue: string;
}

async function withFleet<T>(fleet: Fleet, fn: (h: Harness) => Promise<T>): Promise<T> {
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

function hostInput(host: string): UpgradeHostInput {
  const base = testInput({ stabilitySeconds: 0 });
  return { ...base, target: { ...base.target, host } };
}

function rolloutInput(hosts: string[], overrides: Partial<RolloutInput> = {}): RolloutInput {
  return {
    rolloutId: `r-${randomUUID().slice(0, 8)}`,
    hosts: hosts.map(hostInput),
    strategy: { canary: 1, batches: [2] },
    failureBudget: '0',
    approveAfterCanary: false,
    pauseBetweenBatchesSeconds: 0,
    ...overrides,
  };
}

async function startRollout({ client, taskQueue }: Harness, input: RolloutInput) {
  return client.workflow.start(rolloutKernel, {
    taskQueue,
    workflowId: rolloutWorkflowId(input.rolloutId),
    args: [input],
  });
}

async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function progressUntil(
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
async function assertRefused(p: Promise<unknown>, re: RegExp): Promise<void> {
  await assert.rejects(p, (err: Error & { cause?: Error }) => {
    assert.match(`${err.message} ${err.cause?.message ?? ''}`, re);
    return true;
  });
}

/** The model host is waiting in awaitHostReturn, held there until released. */
function hold(fleet: Fleet, names: string[]): void {
  for (const n of names) fleet.host(n).update((s) => (s.holdAwait = true));
}
function release(fleet: Fleet, names: string[]): void {
  for (const n of names) fleet.host(n).update((s) => (s.holdAwait = false));
}
async function heldInAwait(fleet: Fleet, names: string[]): Promise<void> {
  await until(`${names.join(', ')} waiting for the reboot`, () =>
    names.every((n) => (fleet.host(n).get().calls['awaitHostReturn'] ?? 0) > 0),
  );
}

function assertUpgraded(fleet: Fleet, name: string): void {
  const s = fleet.host(name).get();
  assert.equal(s.running, NEW, `${name} runs the new kernel`);
  assert.equal(s.savedDefault, NEW, `${name} has it as the saved default`);
  assert.equal(s.calls['commitKernel'], 1, `${name} committed once`);
}

// ---- tests ----------------------------------------------------------------------------------

/** A workflow bug fails workflow tasks, which Temporal retries forever: a test must not wait forever. */
const limit = { timeout: 90_000 };

describe('rolloutKernel', () => {
  test('canary first, then the batches in order, each starting after the previous one finished', limit, async () => {
    const fleet = new Fleet();
    const names = fleet.add(8);
    const strategy = { canary: 1, batches: [2, '50%' as const] };
    const input = rolloutInput(names, { strategy, window: 'daily 00:00-24:00 UTC' });
    const { result, progress } = await withFleet(fleet, async (h) => {
      const handle = await startRollout(h, input);
      const result = await handle.result();
      return { result, progress: await handle.query(rolloutProgressQuery) };
    });
    assert.equal(result.outcome, 'completed', result.reason);
    assert.equal(result.counts.upgraded, 8);
    const plan = planBatches(names, strategy);
    assert.deepEqual(
      plan.map((b) => b.length),
      [1, 2, 4, 1],
    );
    assert.equal(result.batches, plan.length);
    for (const [i, batch] of plan.entries()) {
      for (const name of batch) {
        assertUpgraded(fleet, name);
        assert.equal(result.hosts.find((r) => r.host === name)?.batch, i + 1, `${name} ran in batch ${i + 1}`);
      }
      if (i === 0) continue;
      const previous = new Set(plan[i - 1]);
      const current = new Set(batch);
      const lastOfPrevious = Math.max(...fleet.calls.filter((c) => previous.has(c.host)).map((c) => c.seq));
      const firstOfThis = Math.min(...fleet.calls.filter((c) => current.has(c.host)).map((c) => c.seq));
      assert.ok(lastOfPrevious < firstOfThis, `batch ${i + 1} started after batch ${i} finished`);
    }
    assert.equal(progress.phase, 'completed');
    assert.equal(progress.currentBatch, 4);
    assert.equal(progress.totalBatches, 4);
    assert.match(progress.details, /batch 4\/4: 0 hosts upgrading, 8 upgraded, budget 0 left/);
  });

  test(
    'failures over the budget halt the rollout: in-flight hosts finish, the rest are never touched',
    limit,
    async () => {
      const fleet = new Fleet();
      const canary = fleet.add(1);
      const panics = fleet.add(1, 'panic');
      const unreachable = fleet.add(1);
      const rest = fleet.add(7);
      for (const n of unreachable) fleet.unreachable.add(n);
      const names = [...canary, ...panics, ...unreachable, ...rest];
      const input = rolloutInput(names, { strategy: { canary: 1, batches: [3] }, failureBudget: '1' });
      const result = await withFleet(fleet, async (h) => (await startRollout(h, input)).result());
      assert.equal(result.outcome, 'halted', result.reason);
      assert.match(result.reason, /2 host\(s\) failed, more than the budget of 1/);
      const outcomeOf = (n: string) => result.hosts.find((r) => r.host === n)?.outcome;
      assert.equal(outcomeOf(canary[0] as string), 'upgraded');
      assert.equal(outcomeOf(panics[0] as string), 'rolled-back');
      assert.equal(outcomeOf(unreachable[0] as string), 'unreachable');
      assert.equal(outcomeOf(rest[0] as string), 'upgraded', 'in flight when the budget ran out: finished');
      assert.equal(fleet.host(panics[0] as string).get().savedDefault, OLD);
      for (const n of rest.slice(1)) {
        assert.equal(outcomeOf(n), 'not-started');
        assert.equal(fleet.touched(n), false, `${n} untouched`);
      }
      assert.equal(result.counts['not-started'], 6);
      assert.equal(result.failures, 2);
    },
  );

  test('pause stops new batches after the in-flight hosts finish; resume goes on', limit, async () => {
    const fleet = new Fleet();
    const names = fleet.add(4);
    const canary = names.slice(0, 1);
    hold(fleet, canary);
    const result = await withFleet(fleet, async (h) => {
      const handle = await startRollout(h, rolloutInput(names, { strategy: { canary: 1, batches: [3] } }));
      await heldInAwait(fleet, canary);
      assert.match(
        await handle.executeUpdate(pauseRolloutUpdate, { args: [{ by: 'alice', reason: 'lunch' }] }),
        /paused/,
      );
      await assertRefused(
        handle.executeUpdate(pauseRolloutUpdate, { args: [{ by: 'bob' }] }),
        /already paused by alice/,
      );
      release(fleet, canary);
      const p = await progressUntil(handle, 'paused with the canary done', (p) => p.phase === 'paused');
      assert.equal(p.upgrading, 0);
      assert.equal(p.counts.upgraded, 1);
      assert.equal(p.waitingFor, 'resume');
      assert.equal(p.pausedBy, 'alice');
      assert.match(p.details, /^paused by alice \(lunch\)/);
      for (const n of names.slice(1)) assert.equal(fleet.touched(n), false, `${n} not started while paused`);
      await handle.executeUpdate(resumeRolloutUpdate, { args: [{ by: 'alice' }] });
      await assertRefused(handle.executeUpdate(resumeRolloutUpdate, { args: [{ by: 'alice' }] }), /not paused|ended/);
      return handle.result();
    });
    assert.equal(result.outcome, 'completed', result.reason);
    for (const n of names) assertUpgraded(fleet, n);
  });

  test('abort mid-batch: the in-flight hosts finish, nothing new starts', limit, async () => {
    const fleet = new Fleet();
    const names = fleet.add(6);
    const firstBatch = names.slice(0, 3);
    hold(fleet, firstBatch);
    const result = await withFleet(fleet, async (h) => {
      const handle = await startRollout(h, rolloutInput(names, { strategy: { canary: 0, batches: [3] } }));
      await heldInAwait(fleet, firstBatch);
      await assertRefused(handle.executeUpdate(abortRolloutUpdate, { args: [{ by: 'bob', reason: '' }] }), /reason/);
      assert.match(
        await handle.executeUpdate(abortRolloutUpdate, { args: [{ by: 'bob', reason: 'bad kernel' }] }),
        /3 in flight finish or roll back/,
      );
      await assertRefused(
        handle.executeUpdate(abortRolloutUpdate, { args: [{ by: 'bob', reason: 'again' }] }),
        /was aborted by bob/,
      );
      release(fleet, firstBatch);
      return handle.result();
    });
    assert.equal(result.outcome, 'aborted');
    assert.match(result.reason, /aborted by bob: bad kernel/);
    for (const n of firstBatch) assertUpgraded(fleet, n);
    for (const n of names.slice(3)) {
      assert.equal(result.hosts.find((r) => r.host === n)?.outcome, 'not-started');
      assert.equal(fleet.touched(n), false, `${n} untouched`);
    }
  });

  test(
    'approval after the canary: refused while nothing waits, then the gate holds until approved',
    limit,
    async () => {
      const fleet = new Fleet();
      const names = fleet.add(3);
      const canary = names.slice(0, 1);
      hold(fleet, canary);
      const { result, progress } = await withFleet(fleet, async (h) => {
        const handle = await startRollout(h, rolloutInput(names, { approveAfterCanary: true }));
        await heldInAwait(fleet, canary);
        await assertRefused(
          handle.executeUpdate(approveRolloutUpdate, { args: [{ by: 'carol' }] }),
          /nothing waits for approval/,
        );
        release(fleet, canary);
        const p = await progressUntil(handle, 'the approval gate', (p) => p.waitingFor === 'approval');
        assert.equal(p.phase, 'waiting-for-approval');
        assert.equal(p.counts.upgraded, 1);
        for (const n of names.slice(1)) assert.equal(fleet.touched(n), false, `${n} waits for the approval`);
        await assertRefused(handle.executeUpdate(approveRolloutUpdate, { args: [{ by: '' }] }), /by: must be/);
        assert.match(
          await handle.executeUpdate(approveRolloutUpdate, { args: [{ by: 'carol', comment: 'canary looks fine' }] }),
          /approved by carol/,
        );
        const result = await handle.result();
        return { result, progress: await handle.query(rolloutProgressQuery) };
      });
      assert.equal(result.outcome, 'completed', result.reason);
      assert.equal(progress.approvedBy, 'carol');
      for (const n of names) assertUpgraded(fleet, n);
    },
  );

  test('addHosts: validated, and the added hosts are upgraded in later batches', limit, async () => {
    const fleet = new Fleet();
    const names = fleet.add(3);
    const added = fleet.add(2, 'ok', 'added');
    const canary = names.slice(0, 1);
    hold(fleet, canary);
    const result = await withFleet(fleet, async (h) => {
      const handle = await startRollout(h, rolloutInput(names));
      await heldInAwait(fleet, canary);
      await assertRefused(
        handle.executeUpdate(addHostsUpdate, { args: [{ by: 'dave', hosts: [] }] }),
        /at least one host/,
      );
      await assertRefused(
        handle.executeUpdate(addHostsUpdate, { args: [{ by: 'dave', hosts: [hostInput(names[1] as string)] }] }),
        /already in this rollout/,
      );
      await assertRefused(
        handle.executeUpdate(addHostsUpdate, {
          args: [{ by: 'dave', hosts: [hostInput(added[0] as string), hostInput(added[0] as string)] }],
        }),
        /listed twice/,
      );
      const bad = { ...hostInput(added[0] as string), toRelease: '6.1; reboot' };
      await assertRefused(
        handle.executeUpdate(addHostsUpdate, { args: [{ by: 'dave', hosts: [bad] }] }),
        /hosts\[0\]\.toRelease/,
      );
      assert.match(
        await handle.executeUpdate(addHostsUpdate, { args: [{ by: 'dave', hosts: added.map(hostInput) }] }),
        /added 2 host\(s\).*5 in total/,
      );
      const p = await handle.query(rolloutProgressQuery);
      assert.equal(p.totalBatches, 3, 'canary + 2 + 2');
      release(fleet, canary);
      return handle.result();
    });
    assert.equal(result.outcome, 'completed', result.reason);
    assert.equal(result.hosts.length, 5);
    for (const n of [...names, ...added]) assertUpgraded(fleet, n);
  });

  test('skipHost: only for a host not started yet; a skipped host is never touched', limit, async () => {
    const fleet = new Fleet();
    const names = fleet.add(4);
    const [canary, , skipped] = names as [string, string, string, string];
    hold(fleet, [canary]);
    const result = await withFleet(fleet, async (h) => {
      const handle = await startRollout(h, rolloutInput(names));
      await heldInAwait(fleet, [canary]);
      await assertRefused(
        handle.executeUpdate(skipHostUpdate, { args: [{ by: 'erin', host: canary }] }),
        /too late to skip \(upgrading\)/,
      );
      await assertRefused(
        handle.executeUpdate(skipHostUpdate, { args: [{ by: 'erin', host: 'elsewhere.example' }] }),
        /not in rollout/,
      );
      await handle.executeUpdate(skipHostUpdate, { args: [{ by: 'erin', host: skipped, reason: 'disk swap' }] });
      await assertRefused(
        handle.executeUpdate(skipHostUpdate, { args: [{ by: 'erin', host: skipped }] }),
        /too late to skip \(done, skipped\)/,
      );
      release(fleet, [canary]);
      return handle.result();
    });
    assert.equal(result.outcome, 'completed', result.reason);
    const record = result.hosts.find((r) => r.host === skipped);
    assert.equal(record?.outcome, 'skipped');
    assert.match(record?.reason ?? '', /skipped by erin: disk swap/);
    assert.equal(fleet.touched(skipped), false);
    assert.equal(result.counts.upgraded, 3);
    assert.equal(result.failures, 0);
  });

  test('a host already upgrading in another rollout is reported busy and left alone', limit, async () => {
    const fleet = new Fleet();
    const [shared, other] = fleet.add(2) as [string, string];
    hold(fleet, [shared]);
    const { first, second } = await withFleet(fleet, async (h) => {
      const first = await startRollout(h, rolloutInput([shared], { strategy: { canary: 0, batches: [1] } }));
      await heldInAwait(fleet, [shared]);
      const callsBefore = fleet.calls.filter((c) => c.host === shared).length;
      const secondInput = rolloutInput([shared, other], { strategy: { canary: 0, batches: [2] }, failureBudget: '1' });
      const second = await (await startRollout(h, secondInput)).result();
      assert.equal(
        fleet.calls.filter((c) => c.host === shared).length,
        callsBefore,
        'the second rollout never touched it',
      );
      const status = await h.client.workflow.getHandle(upgradeWorkflowId(shared)).query(statusQuery);
      assert.equal(status.phase, 'await', "the first rollout's run goes on undisturbed");
      release(fleet, [shared]);
      return { first: await first.result(), second };
    });
    assert.equal(second.outcome, 'completed', second.reason);
    assert.equal(second.hosts.find((r) => r.host === shared)?.outcome, 'busy');
    assert.match(second.hosts.find((r) => r.host === shared)?.reason ?? '', /another run of kernel-upgrade\//);
    assert.equal(second.hosts.find((r) => r.host === other)?.outcome, 'upgraded');
    assert.equal(second.failures, 1, 'busy counts against the budget');
    assert.equal(first.hosts[0]?.outcome, 'upgraded');
    assert.equal(fleet.host(shared).get().reboots, 1, 'rebooted once, by the first rollout');
  });

  test('a busy host blocked by a stand-alone upgrade: the rollout does not touch it', limit, async () => {
    const fleet = new Fleet();
    const [busy] = fleet.add(1) as [string];
    const result = await withFleet(fleet, async (h) => {
      const standalone = await h.client.workflow.start(upgradeHostKernel, {
        taskQueue: h.taskQueue,
        workflowId: upgradeWorkflowId(busy),
        args: [{ ...hostInput(busy), approveBeforeReboot: true }],
      });
      await until('the stand-alone run waits for approval', async () => {
        return (await standalone.query(statusQuery)).phase === 'awaiting-approval';
      });
      const result = await (
        await startRollout(h, rolloutInput([busy], { strategy: { canary: 0, batches: [1] }, failureBudget: '1' }))
      ).result();
      await standalone.executeUpdate(abortUpdate, { args: [{ by: 'test', reason: 'cleanup' }] });
      assert.equal((await standalone.result()).outcome, 'aborted');
      return result;
    });
    assert.equal(result.hosts[0]?.outcome, 'busy');
    assert.equal(fleet.host(busy).get().calls['preflight'], 1, 'only the stand-alone run read it');
  });

  test('outside the maintenance window nothing starts; abort while waiting ends it cleanly', limit, async () => {
    const fleet = new Fleet();
    const names = fleet.add(2);
    const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
    const closedDay = days[(new Date().getUTCDay() + 3) % 7] as string;
    const result = await withFleet(fleet, async (h) => {
      const handle = await startRollout(h, rolloutInput(names, { window: `${closedDay} 00:00-24:00 UTC` }));
      const p = await progressUntil(handle, 'waiting for the window', (p) => p.waitingFor === 'window');
      assert.equal(p.phase, 'waiting-for-window');
      assert.ok((p.windowOpensInMs ?? 0) > 24 * 3600_000, `opens in ${p.windowOpensInMs} ms`);
      assert.match(p.details, /^waiting for the window/);
      await handle.executeUpdate(abortRolloutUpdate, { args: [{ by: 'frank', reason: 'not this week' }] });
      return handle.result();
    });
    assert.equal(result.outcome, 'aborted');
    assert.equal(result.counts['not-started'], 2);
    for (const n of names) assert.equal(fleet.touched(n), false);
  });

  test('bad input fails the rollout at once, naming the field', limit, async () => {
    const fleet = new Fleet();
    const names = fleet.add(1);
    await withFleet(fleet, async (h) => {
      const handle = await startRollout(h, rolloutInput(names, { failureBudget: 'lots' }));
      await assert.rejects(handle.result(), (err: Error & { cause?: Error }) => {
        assert.match(err.cause?.message ?? '', /failureBudget/);
        return true;
      });
    });
  });

  test(
    '300 hosts with a small history limit: continues as new, every outcome recorded once',
    { timeout: 180_000 },
    async () => {
      const fleet = new Fleet();
      const names = fleet.add(300);
      const input = rolloutInput(names, {
        strategy: { canary: 1, batches: ['25%'], maxUnavailable: 100 },
        maxHistoryEvents: 300,
      });
      const started = Date.now();
      const { result, firstRun } = await withFleet(fleet, async (h) => {
        const handle = await startRollout(h, input);
        const firstRunId = (await handle.describe()).runId;
        const result = await handle.result();
        const firstRun = await h.client.workflow.getHandle(handle.workflowId, firstRunId).describe();
        return { result, firstRun };
      });
      assert.equal(result.outcome, 'completed', result.reason);
      assert.ok(result.runs >= 2, `continued as new (${result.runs} runs)`);
      assert.equal(firstRun.status.name, 'CONTINUED_AS_NEW');
      assert.ok((firstRun.historyLength ?? 0) < 1000, `first run's history stayed bounded (${firstRun.historyLength})`);
      assert.equal(result.hosts.length, 300);
      assert.deepEqual(
        result.hosts.map((r) => r.host),
        names,
        'every host once, in order',
      );
      assert.ok(result.hosts.every((r) => r.outcome === 'upgraded'));
      assert.equal(result.counts.upgraded, 300);
      assert.equal(result.batches, 1 + Math.ceil(299 / 75));
      for (const n of names) {
        assert.equal(fleet.host(n).get().calls['preflight'], 1, `${n} upgraded exactly once`);
        assertUpgraded(fleet, n);
      }
      process.stdout.write(`# 300 hosts: ${result.runs} runs, ${Date.now() - started} ms\n`);
    },
  );
});
