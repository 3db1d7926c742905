"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * A run's rebootCount owns up to a reboot whose answer was lost when the retry cannot tell.
 *
 * upgradeHostKernel on a Temporal dev server with kernel-rollout's own activities, against a
 * simulated host whose host key changes with every boot. The first attempt of the reboot activity
 * really reboots the host; its answer is then lost (as when the worker dies), after the host is
 * back. The retry meets the new host key and is refused, so the run waits for an operator, who
 * gives up. The host rebooted once: the result must say so. This is what the chaos suite found
 * when its worker kill landed inside that activity; here it happens every time.
 */
const strict_1 = __importDefault(require("node:assert/strict"));
const node_test_1 = require("node:test");
const activity_1 = require("@temporalio/activity");
const activities_1 = require("../../src/activities");
const workflows_1 = require("../../src/workflows");
const definitions_1 = require("../../src/workflows/definitions");
const simulator_1 = require("../../sim/simulator");
const temporal_1 = require("../helpers/temporal");
const helpers_1 = require("./helpers");
const HOST = 'rekeyed-on-reboot';
let sim;
(0, node_test_1.before)(async () => {
    sim = await (0, simulator_1.startSimulator)({ hosts: [{ name: HOST, faults: { hostKeyChangesOnReboot: true } }], bootSeconds: 1 });
});
(0, node_test_1.after)(async () => {
    await sim?.stop();
    await (0, temporal_1.stopOwnServer)();
});
(0, node_test_1.test)('a reboot whose answer was lost, then a retry refused on the new host key: rebootCount 1', async () => {
    const real = (0, activities_1.createActivities)();
    const activities = {
        ...real,
        async rebootHost(req) {
            const result = await real.rebootHost(req);
            if (activity_1.Context.current().info.attempt === 1) {
                // The host reboots for real; the answer is lost once it is back with its new key.
                await sim.waitFor(HOST, ['down'], 10_000);
                await sim.waitFor(HOST, ['up'], 20_000);
                throw new Error('the worker lost the answer of the reboot it issued');
            }
            return result;
        },
    };
    const input = (0, temporal_1.testInput)({
        target: (0, helpers_1.simTarget)(sim, HOST),
        toRelease: helpers_1.NEW,
        source: { kind: 'apt', packageName: `linux-image-${helpers_1.NEW}` },
    });
    const result = await (0, temporal_1.withWorker)(activities, async ({ client, taskQueue }) => {
        const handle = await client.workflow.start(workflows_1.upgradeHostKernel, {
            taskQueue,
            workflowId: (0, definitions_1.upgradeWorkflowId)(HOST),
            args: [input],
        });
        const deadline = Date.now() + 120_000;
        for (;;) {
            const s = await handle.query(definitions_1.statusQuery);
            if (s.phase === 'needs-attention') {
                strict_1.default.match(s.details, /reboot failed: HostKeyMismatchError/);
                break;
            }
            if (s.outcome)
                strict_1.default.fail(`ended (${s.outcome}) without asking an operator: ${s.details}`);
            if (Date.now() > deadline)
                strict_1.default.fail(`no needs-attention; still ${s.phase}: ${s.details}`);
            await new Promise((r) => setTimeout(r, 100));
        }
        await handle.executeUpdate(definitions_1.resolveUpdate, { args: [{ by: 'oncall', action: 'give-up' }] });
        return handle.result();
    });
    const host = sim.inspect(HOST);
    strict_1.default.equal(host.bootCount, 2, 'the host booted once more: one reboot');
    strict_1.default.equal(host.rebootsRequested, 1);
    strict_1.default.equal(result.outcome, 'needs-attention', result.reason);
    strict_1.default.equal(result.rebootCount, 1, `the result owns up to the reboot: ${JSON.stringify(result.timeline.at(-2))}`);
    strict_1.default.ok(result.timeline.some((t) => /earlier attempt ran and may have rebooted/.test(t.message)), 'the timeline says why the reboot is counted');
    // Rule 1 on the way: the saved default is still the kernel the host started with.
    strict_1.default.equal(host.runningKernel, helpers_1.NEW, 'the one-shot trial boot ran the new kernel');
    strict_1.default.equal(host.savedEntry, (0, helpers_1.entryOf)(helpers_1.OLD));
});
//# sourceMappingURL=reboot-count.test.js.map