"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * A workflow started by hand (the `temporal` CLI with a written input, bypassing the
 * client's schemas) used to end on the first field it read ("Cannot read properties of undefined
 * (reading 'heartbeatSeconds')"). Started here exactly that way on the real dev server, each
 * workflow fails at once, InvalidInputError, naming every missing or wrong field, and no activity
 * runs (the model host's call counts stay empty).
 */
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const client_1 = require("@temporalio/client");
const temporal_server_1 = require("../../src/dev/temporal-server");
const fake_host_1 = require("../helpers/fake-host");
const temporal_1 = require("../helpers/temporal");
const fleet_1 = require("../helpers/fleet");
const process_1 = require("../helpers/process");
(0, node_test_1.after)(temporal_1.stopOwnServer);
/** `temporal workflow start` with a written input; returns the workflow's failure. */
async function startByHand(h, type, workflowId, input) {
    const r = await (0, process_1.runProcess)((0, temporal_server_1.findTemporalBinary)(), [
        'workflow',
        'start',
        '--address',
        await (0, temporal_1.temporalAddress)(),
        '--task-queue',
        h.taskQueue,
        '--type',
        type,
        '--workflow-id',
        workflowId,
        '--input',
        JSON.stringify(input),
    ]);
    strict_1.default.equal(r.code, 0, r.stderr);
    const err = await h.client.workflow
        .getHandle(workflowId)
        .result()
        .then(() => strict_1.default.fail(`${type} accepted a broken input`), (e) => e);
    strict_1.default.ok(err instanceof client_1.WorkflowFailedError, String(err));
    const cause = err.cause;
    return { message: cause?.message ?? '', type: cause?.type };
}
(0, node_test_1.describe)('a hand-written input is refused with every bad field named', () => {
    (0, node_test_1.it)('upgradeHostKernel: no timeouts, target.port a string, a health check not an object', async () => {
        const host = new fake_host_1.FakeHost((0, fake_host_1.newHostState)(temporal_1.OLD, 'ok'));
        await (0, temporal_1.withWorker)((0, fake_host_1.createStubActivities)(host), async (h) => {
            const input = { ...(0, temporal_1.testInput)() };
            delete input['timeouts'];
            const target = input['target'];
            input['target'] = { ...target, port: '22' };
            input['healthChecks'] = ['system-running'];
            const { message, type } = await startByHand(h, 'upgradeHostKernel', `kernel-upgrade/${target.host}`, input);
            strict_1.default.equal(type, 'InvalidInputError');
            strict_1.default.match(message, /^invalid input: /);
            for (const field of ['timeouts: missing', 'target.port: must be', 'healthChecks[0]: must be an object']) {
                strict_1.default.ok(message.includes(field), `${field} in: ${message}`);
            }
            strict_1.default.doesNotMatch(message, /Cannot read properties/);
        });
        strict_1.default.deepEqual(host.get().calls, {}, 'no activity ran');
    });
    (0, node_test_1.it)('rolloutKernel: template.timeouts missing, template.timeouts nested type wrong, strategy missing', async () => {
        const host = new fake_host_1.FakeHost((0, fake_host_1.newHostState)(temporal_1.OLD, 'ok'));
        await (0, temporal_1.withWorker)((0, fake_host_1.createStubActivities)(host), async (h) => {
            const input = (0, fleet_1.rolloutInput)(['web-a', 'web-b']);
            const template = { ...input['template'] };
            delete template['timeouts'];
            template['ssh'] = { ...template['ssh'], port: 'twenty-two' };
            input['template'] = template;
            delete input['strategy'];
            const { message, type } = await startByHand(h, 'rolloutKernel', `kernel-rollout/${String(input['rolloutId'])}`, input);
            strict_1.default.equal(type, 'InvalidInputError');
            for (const field of ['template.timeouts: missing', 'template.ssh.port: must be', 'strategy']) {
                strict_1.default.ok(message.includes(field), `${field} in: ${message}`);
            }
            // A nested field of the wrong type alone (timeouts present).
            const again = (0, fleet_1.rolloutInput)(['web-c']);
            const t2 = again['template'];
            t2.timeouts = { ...t2.timeouts, heartbeatSeconds: 'often' };
            const r2 = await startByHand(h, 'rolloutKernel', `kernel-rollout/${String(again['rolloutId'])}`, again);
            strict_1.default.match(r2.message, /^template\.timeouts\.heartbeatSeconds: must be a whole number >= 1, not "often"$/);
        });
        strict_1.default.deepEqual(host.get().calls, {}, 'no activity ran');
    });
    (0, node_test_1.it)('upgradeHostKernel: a password in the power command is refused, the argument named, its value not repeated', async () => {
        const host = new fake_host_1.FakeHost((0, fake_host_1.newHostState)(temporal_1.OLD, 'ok'));
        await (0, temporal_1.withWorker)((0, fake_host_1.createStubActivities)(host), async (h) => {
            const input = (0, temporal_1.testInput)({
                power: {
                    driver: 'command',
                    argv: ['ipmitool', '-H', 'bmc', '-P', 'hunter2', 'power', 'reset'],
                    timeoutSeconds: 60,
                },
            });
            const { message, type } = await startByHand(h, 'upgradeHostKernel', `kernel-upgrade/${input.target.host}`, input);
            strict_1.default.equal(type, 'InvalidInputError');
            strict_1.default.match(message, /^invalid input: power\.argv\[3\]: must not carry a credential .*power\.credentialsEnv/);
            strict_1.default.doesNotMatch(message, /hunter2/);
        });
        strict_1.default.deepEqual(host.get().calls, {}, 'no activity ran');
    });
});
//# sourceMappingURL=input-refusal.test.js.map