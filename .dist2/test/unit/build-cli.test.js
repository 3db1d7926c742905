"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/** `kernelctl build`'s flags as a build spec and the build id they name; how builds end; `status`'s lines. */
const strict_1 = __importDefault(require("node:assert/strict"));
const node_test_1 = require("node:test");
const client_1 = require("@temporalio/client");
const build_1 = require("../../src/cli/build");
const common_1 = require("../../src/cli/common");
const kernelctl_1 = require("../../src/cli/kernelctl");
const build_2 = require("../../src/client/build");
const FLAGS = {
    'build-host': 'root@builder',
    source: 'debian:6.1',
    config: 'make:tinyconfig',
    'known-hosts': '/etc/ssh/ssh_known_hosts',
};
(0, node_test_1.describe)('kernelctl build --rebuild', () => {
    (0, node_test_1.test)('asks for a rebuild, under the same build id as the failed build', async () => {
        const plain = (await (0, build_1.buildInputFromFlags)(FLAGS));
        const again = (await (0, build_1.buildInputFromFlags)({ ...FLAGS, rebuild: true }));
        strict_1.default.equal(plain.rebuild, undefined);
        strict_1.default.equal(again.rebuild, true);
        strict_1.default.equal((0, build_2.buildIdOf)(again), (0, build_2.buildIdOf)(plain));
    });
});
(0, node_test_1.describe)('kernelctl build: how a build that did not succeed ended', () => {
    (0, node_test_1.test)('a cancelled build is "cancelled", not "failed"; a failed one carries its cause', () => {
        const cancelled = new client_1.WorkflowFailedError('Workflow execution cancelled', new client_1.CancelledFailure('cancelled'), 'NON_RETRYABLE_FAILURE');
        strict_1.default.deepEqual((0, build_1.endOf)(cancelled), { outcome: 'cancelled', reason: 'cancelled' });
        const failed = new client_1.WorkflowFailedError('Workflow execution failed', new client_1.ActivityFailure('activity failed', 'prepareBuild', '1', 'NON_RETRYABLE_FAILURE', 'w', client_1.ApplicationFailure.create({ message: 'make bindeb-pkg failed', type: 'BuildFailedError' })), 'NON_RETRYABLE_FAILURE');
        strict_1.default.deepEqual((0, build_1.endOf)(failed), { outcome: 'failed', reason: 'make bindeb-pkg failed' });
    });
});
(0, node_test_1.describe)('connectionLost', () => {
    (0, node_test_1.test)("gRPC's UNAVAILABLE anywhere in the cause chain; other errors are not", () => {
        const grpc = Object.assign(new Error('14 UNAVAILABLE: No connection established'), { code: 14 });
        strict_1.default.equal((0, common_1.connectionLost)(new Error('Failed to query workflow', { cause: grpc })), true);
        strict_1.default.equal((0, common_1.connectionLost)(grpc), true);
        strict_1.default.equal((0, common_1.connectionLost)(Object.assign(new Error('5 NOT_FOUND: workflow not found'), { code: 5 })), false);
        strict_1.default.equal((0, common_1.connectionLost)(new Error('boom')), false);
    });
});
(0, node_test_1.describe)('kernelctl status during a VM rehearsal', () => {
    (0, node_test_1.test)('the target kernel, that the running one is not read yet, and the rehearsal id', () => {
        const text = (0, kernelctl_1.formatStatus)({
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
        strict_1.default.match(text, /^ {2}kernel \(running kernel not read yet\) → 6\.1\.192-kr3f9c0a1b$/m);
        strict_1.default.match(text, /^ {2}VM rehearsal 0193a5c4-7d1e-7000-8000-000000000001 \(workflow kernel-rehearsal\/0193a5c4/m);
        strict_1.default.doesNotMatch(text, /kernel \?/);
    });
});
//# sourceMappingURL=build-cli.test.js.map