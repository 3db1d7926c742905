/**
 * `rehearseInVm` on the real dev server: the upgrade and the rollout start rehearseKernel on the
 * rehearsal task queue, whose worker here has model activities for the rehearsal VM (its start and
 * stop recorded) and a model host playing the VM. The real hosts are model hosts on the test's own
 * task queue (test/helpers/fleet.ts), so the call log tells whether any was touched. The VM
 * activities themselves run on real qemu in test/e2e/rehearsal-vm.test.ts.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { NativeConnection, Worker } from '@temporalio/worker';
import { OLD, NEW, stopOwnServer, temporalAddress } from '../helpers/temporal';
import { FakeHost, createStubActivities, newHostState, type TrialBehaviour } from '../helpers/fake-host';
import { Fleet, hostInput, rolloutBundle, rolloutInput, startRollout, withFleet, type Harness } from '../helpers/fleet';
import { keepAlive } from '../../src/activities/keep-alive';
import {
  REHEARSAL_TASK_QUEUE,
  rehearsalQueueOf,
  type RehearsalVm,
  type StopRehearsalRequest,
} from '../../src/shared/rehearsal-types';
import type { InstallSource, UpgradeHostInput } from '../../src/shared/types';
import { upgradeHostKernel } from '../../src/workflows';
import { upgradeWorkflowId } from '../../src/workflows/definitions';

after(stopOwnServer);

const BUILD_HOST = {
  host: 'build-host',
  port: 22,
  user: 'root',
  privateKeyPath: '/nonexistent/key',
  trustOnFirstUse: false,
};
const ARTIFACT: InstallSource = {
  kind: 'artifact',
  host: BUILD_HOST,
  path: '/var/cache/kernel-rollout/builds/0123456789abcdef/linux-image-6.1.0-48-cloud-amd64_1_amd64.deb',
  sha256: 'a'.repeat(64),
};

interface RehearsalWorld {
  vm: FakeHost;
  started: string[];
  stopped: StopRehearsalRequest[];
  /** The order of things across both queues: 'vm:start', 'vm:stop', 'host:<activity>'. */
  order: string[];
}

/**
 * Runs `fn` with a rehearsal worker whose VM plays `trial`, shaped as `kernelctl worker
 * --rehearsal-image` runs one: on the shared rehearsal queue it only starts VMs (no host
 * activities there), and everything after the start must come to its machine's own queue.
 */
async function withRehearsalWorker<T>(trial: TrialBehaviour, fn: (w: RehearsalWorld) => Promise<T>): Promise<T> {
  const world: RehearsalWorld = { vm: new FakeHost(newHostState(OLD, trial)), started: [], stopped: [], order: [] };
  const vmQueue = rehearsalQueueOf(`test-${randomUUID().slice(0, 8)}`);
  const connection = await NativeConnection.connect({ address: await temporalAddress() });
  const startOnly = {
    startRehearsalVm: async ({ rehearsalId }: { rehearsalId: string }): Promise<RehearsalVm> => {
      world.started.push(rehearsalId);
      world.order.push('vm:start');
      return {
        taskQueue: vmQueue,
        target: { ...BUILD_HOST, host: `rehearsal-${rehearsalId}` },
        qmpSocket: '/nonexistent/qmp.sock',
        serialLogPath: '/nonexistent/serial.log',
        bootSeconds: 1,
        reattached: false,
      };
    },
  };
  const onVmMachine = {
    ...createStubActivities(world.vm),
    stopRehearsalVm: async (req: StopRehearsalRequest) => {
      world.stopped.push(req);
      world.order.push('vm:stop');
      return {
        worker: { dir: `/var/tmp/r/${req.rehearsalId}`, serialLogBytes: 10 },
        artifactHost: { host: 'build-host', dir: `/var/cache/x/rehearsals/${req.rehearsalId}` },
      };
    },
  };
  const workerOn = async (taskQueue: string, activities: Parameters<typeof keepAlive>[0]) =>
    Worker.create({ connection, taskQueue, workflowBundle: await rolloutBundle(), activities: keepAlive(activities) });
  const shared = await workerOn(REHEARSAL_TASK_QUEUE, startOnly);
  const machine = await workerOn(vmQueue, onVmMachine);
  try {
    return await shared.runUntil(machine.runUntil(fn(world)));
  } finally {
    await connection.close();
  }
}

async function upgradeOne(fleet: Fleet, name: string, h: Harness, overrides: Partial<UpgradeHostInput>) {
  const input = { ...hostInput(name), ...overrides };
  const handle = await h.client.workflow.start(upgradeHostKernel, {
    taskQueue: h.taskQueue,
    workflowId: upgradeWorkflowId(name),
    args: [input],
  });
  return handle.result();
}

describe('rehearseInVm', () => {
  test('a rehearsal whose trial panics: the upgrade ends refused and the host is never touched', async () => {
    const fleet = new Fleet();
    const [name] = fleet.add(1) as [string];
    const { result, world } = await withRehearsalWorker('panic', async (world) => ({
      world,
      result: await withFleet(fleet, (h) => upgradeOne(fleet, name, h, { source: ARTIFACT, rehearseInVm: true })),
    }));
    assert.equal(result.outcome, 'refused', result.reason);
    assert.match(
      result.reason,
      /^VM rehearsal \S+: rolled-back \(.*\); serial log kept on build-host in \S+; nothing on /,
    );
    assert.equal(fleet.touched(name), false, `the host was touched: ${JSON.stringify(fleet.calls)}`);
    assert.equal(world.started.length, 1);
    assert.equal(world.stopped.length, 1, 'the VM was stopped');
    assert.equal(world.stopped[0]?.outcome, 'rolled-back');
    assert.deepEqual(world.stopped[0]?.keepWith, { host: BUILD_HOST, debPath: (ARTIFACT as { path: string }).path });
    assert.equal(world.vm.get().running, OLD, 'the VM fell back as a host would');
    assert.equal(result.rebootCount, 0, 'the host itself was not rebooted');
  });

  test('a rehearsal that upgrades the VM: then the host is upgraded, after the VM was stopped', async () => {
    const fleet = new Fleet();
    const [name] = fleet.add(1) as [string];
    const { result, world } = await withRehearsalWorker('ok', async (world) => ({
      world,
      result: await withFleet(fleet, (h) => upgradeOne(fleet, name, h, { source: ARTIFACT, rehearseInVm: true })),
    }));
    assert.equal(result.outcome, 'upgraded', result.reason);
    assert.equal(world.vm.get().running, NEW, 'the VM ran the new kernel');
    assert.equal(world.vm.get().savedDefault, NEW);
    assert.equal(world.stopped[0]?.outcome, 'upgraded');
    assert.equal(fleet.calls[0]?.activity, 'preflight', 'the host starts with its preflight');
    assert.ok(
      result.timeline.findIndex((t) => /^VM rehearsal \S+: upgraded/.test(t.message)) <
        result.timeline.findIndex((t) => t.phase === 'install'),
      'the rehearsal came before the install',
    );
  });

  test('without an artifact source the run refuses before anything, naming the field', async () => {
    const fleet = new Fleet();
    const [name] = fleet.add(1) as [string];
    const { result, world } = await withRehearsalWorker('ok', async (world) => ({
      world,
      result: await withFleet(fleet, (h) => upgradeOne(fleet, name, h, { rehearseInVm: true })),
    }));
    assert.equal(result.outcome, 'refused');
    assert.match(result.reason, /^rehearseInVm: needs a package on an artifact host/);
    assert.equal(world.started.length, 0);
    assert.equal(fleet.touched(name), false);
  });

  test('a rollout whose rehearsal fails halts before its first batch: every host not-started', async () => {
    const fleet = new Fleet();
    const names = fleet.add(3);
    const input = rolloutInput(names, { rehearseInVm: true });
    input.template = { ...input.template, source: ARTIFACT };
    const { result, world } = await withRehearsalWorker('unhealthy', async (world) => ({
      world,
      result: await withFleet(fleet, async (h) => (await startRollout(h, input)).result()),
    }));
    assert.equal(result.outcome, 'halted', result.reason);
    assert.match(result.reason, /^VM rehearsal \S+: rolled-back \(.*; no host started$/);
    assert.equal(result.counts['not-started'], 3);
    assert.equal(fleet.calls.length, 0, 'no host was touched');
    assert.equal(world.stopped.length, 1);
  });
});
