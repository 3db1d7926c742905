"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * `rehearseInVm` on the real dev server: the upgrade and the rollout start rehearseKernel on the
 * rehearsal task queue, whose worker here has model activities for the rehearsal VM (its start and
 * stop recorded) and a model host playing the VM. The real hosts are model hosts on the test's own
 * task queue (test/helpers/fleet.ts), so the call log tells whether any was touched. The VM
 * activities themselves run on real qemu in test/e2e/rehearsal-vm.test.ts.
 */
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const node_crypto_1 = require("node:crypto");
const worker_1 = require("@temporalio/worker");
const temporal_1 = require("../helpers/temporal");
const fake_host_1 = require("../helpers/fake-host");
const fleet_1 = require("../helpers/fleet");
const keep_alive_1 = require("../../src/activities/keep-alive");
const rehearsal_types_1 = require("../../src/shared/rehearsal-types");
const workflows_1 = require("../../src/workflows");
const definitions_1 = require("../../src/workflows/definitions");
(0, node_test_1.after)(temporal_1.stopOwnServer);
const BUILD_HOST = {
    host: 'build-host',
    port: 22,
    user: 'root',
    privateKeyPath: '/nonexistent/key',
    trustOnFirstUse: false,
};
const ARTIFACT = {
    kind: 'artifact',
    host: BUILD_HOST,
    path: '/var/cache/kernel-rollout/builds/0123456789abcdef/linux-image-6.1.0-48-cloud-amd64_1_amd64.deb',
    sha256: 'a'.repeat(64),
};
/**
 * Runs `fn` with a rehearsal worker whose VM plays `trial`, shaped as `kernelctl worker
 * --rehearsal-image` runs one: on the shared rehearsal queue it only starts VMs (no host
 * activities there), and everything after the start must come to its machine's own queue.
 */
async function withRehearsalWorker(trial, fn) {
    const world = { vm: new fake_host_1.FakeHost((0, fake_host_1.newHostState)(temporal_1.OLD, trial)), started: [], stopped: [], order: [] };
    const vmQueue = (0, rehearsal_types_1.rehearsalQueueOf)(`test-${(0, node_crypto_1.randomUUID)().slice(0, 8)}`);
    const connection = await worker_1.NativeConnection.connect({ address: await (0, temporal_1.temporalAddress)() });
    const startOnly = {
        startRehearsalVm: async ({ rehearsalId }) => {
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
        ...(0, fake_host_1.createStubActivities)(world.vm),
        stopRehearsalVm: async (req) => {
            world.stopped.push(req);
            world.order.push('vm:stop');
            return {
                worker: { dir: `/var/tmp/r/${req.rehearsalId}`, serialLogBytes: 10 },
                artifactHost: { host: 'build-host', dir: `/var/cache/x/rehearsals/${req.rehearsalId}` },
            };
        },
    };
    const workerOn = async (taskQueue, activities) => worker_1.Worker.create({ connection, taskQueue, workflowBundle: await (0, fleet_1.rolloutBundle)(), activities: (0, keep_alive_1.keepAlive)(activities) });
    const shared = await workerOn(rehearsal_types_1.REHEARSAL_TASK_QUEUE, startOnly);
    const machine = await workerOn(vmQueue, onVmMachine);
    try {
        return await shared.runUntil(machine.runUntil(fn(world)));
    }
    finally {
        await connection.close();
    }
}
async function upgradeOne(fleet, name, h, overrides) {
    const input = { ...(0, fleet_1.hostInput)(name), ...overrides };
    const handle = await h.client.workflow.start(workflows_1.upgradeHostKernel, {
        taskQueue: h.taskQueue,
        workflowId: (0, definitions_1.upgradeWorkflowId)(name),
        args: [input],
    });
    return handle.result();
}
(0, node_test_1.describe)('rehearseInVm', () => {
    (0, node_test_1.test)('a rehearsal whose trial panics: the upgrade ends refused and the host is never touched', async () => {
        const fleet = new fleet_1.Fleet();
        const [name] = fleet.add(1);
        const { result, world } = await withRehearsalWorker('panic', async (world) => ({
            world,
            result: await (0, fleet_1.withFleet)(fleet, (h) => upgradeOne(fleet, name, h, { source: ARTIFACT, rehearseInVm: true })),
        }));
        strict_1.default.equal(result.outcome, 'refused', result.reason);
        strict_1.default.match(result.reason, /^VM rehearsal \S+: rolled-back \(.*\); serial log kept on build-host in \S+; nothing on /);
        strict_1.default.equal(fleet.touched(name), false, `the host was touched: ${JSON.stringify(fleet.calls)}`);
        strict_1.default.equal(world.started.length, 1);
        strict_1.default.equal(world.stopped.length, 1, 'the VM was stopped');
        strict_1.default.equal(world.stopped[0]?.outcome, 'rolled-back');
        strict_1.default.deepEqual(world.stopped[0]?.keepWith, { host: BUILD_HOST, debPath: ARTIFACT.path });
        strict_1.default.equal(world.vm.get().running, temporal_1.OLD, 'the VM fell back as a host would');
        strict_1.default.equal(result.rebootCount, 0, 'the host itself was not rebooted');
    });
    (0, node_test_1.test)('a rehearsal that upgrades the VM: then the host is upgraded, after the VM was stopped', async () => {
        const fleet = new fleet_1.Fleet();
        const [name] = fleet.add(1);
        const { result, world } = await withRehearsalWorker('ok', async (world) => ({
            world,
            result: await (0, fleet_1.withFleet)(fleet, (h) => upgradeOne(fleet, name, h, { source: ARTIFACT, rehearseInVm: true })),
        }));
        strict_1.default.equal(result.outcome, 'upgraded', result.reason);
        strict_1.default.equal(world.vm.get().running, temporal_1.NEW, 'the VM ran the new kernel');
        strict_1.default.equal(world.vm.get().savedDefault, temporal_1.NEW);
        strict_1.default.equal(world.stopped[0]?.outcome, 'upgraded');
        strict_1.default.equal(fleet.calls[0]?.activity, 'preflight', 'the host starts with its preflight');
        strict_1.default.ok(result.timeline.findIndex((t) => /^VM rehearsal \S+: upgraded/.test(t.message)) <
            result.timeline.findIndex((t) => t.phase === 'install'), 'the rehearsal came before the install');
    });
    (0, node_test_1.test)('without an artifact source the run refuses before anything, naming the field', async () => {
        const fleet = new fleet_1.Fleet();
        const [name] = fleet.add(1);
        const { result, world } = await withRehearsalWorker('ok', async (world) => ({
            world,
            result: await (0, fleet_1.withFleet)(fleet, (h) => upgradeOne(fleet, name, h, { rehearseInVm: true })),
        }));
        strict_1.default.equal(result.outcome, 'refused');
        strict_1.default.match(result.reason, /^rehearseInVm: needs a package on an artifact host/);
        strict_1.default.equal(world.started.length, 0);
        strict_1.default.equal(fleet.touched(name), false);
    });
    (0, node_test_1.test)('a rollout whose rehearsal fails halts before its first batch: every host not-started', async () => {
        const fleet = new fleet_1.Fleet();
        const names = fleet.add(3);
        const input = (0, fleet_1.rolloutInput)(names, { rehearseInVm: true });
        input.template = { ...input.template, source: ARTIFACT };
        const { result, world } = await withRehearsalWorker('unhealthy', async (world) => ({
            world,
            result: await (0, fleet_1.withFleet)(fleet, async (h) => (await (0, fleet_1.startRollout)(h, input)).result()),
        }));
        strict_1.default.equal(result.outcome, 'halted', result.reason);
        strict_1.default.match(result.reason, /^VM rehearsal \S+: rolled-back \(.*; no host started$/);
        strict_1.default.equal(result.counts['not-started'], 3);
        strict_1.default.equal(fleet.calls.length, 0, 'no host was touched');
        strict_1.default.equal(world.stopped.length, 1);
    });
});
//# sourceMappingURL=rehearsal.test.js.map