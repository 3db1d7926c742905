"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/** `kernelctl dev`'s worker log: an expected failure is one line, a bug keeps its stack. */
const strict_1 = __importDefault(require("node:assert/strict"));
const node_test_1 = require("node:test");
const common_1 = require("@temporalio/common");
const worker_log_1 = require("../../src/dev/worker-log");
const at = 1796000000000n * 1000000n;
function failed(error) {
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
(0, node_test_1.describe)('compactLogLine', () => {
    (0, node_test_1.test)('a failure the product raised: one line with the activity, the type and the first line', () => {
        const err = common_1.ApplicationFailure.create({
            message: 'the build host lacks pahole (CONFIG_DEBUG_INFO_BTF=y); install it there: apt-get install dwarves\nmore',
            type: 'BuildHostNotReadyError',
            nonRetryable: true,
        });
        const line = (0, worker_log_1.compactLogLine)(failed(err));
        strict_1.default.equal(line, `${new Date(Number(at / 1000000n)).toISOString()} [WARN] Activity failed: prepareBuild of kernel-build/3f9c0a1b2c3d4e5f ` +
            '(attempt 1): BuildHostNotReadyError: the build host lacks pahole (CONFIG_DEBUG_INFO_BTF=y); install it there: apt-get install dwarves');
        strict_1.default.equal(line?.includes('\n'), false);
    });
    (0, node_test_1.test)('a bug (TypeError, or a plain Error) is not shortened: its stack matters', () => {
        strict_1.default.equal((0, worker_log_1.compactLogLine)(failed(common_1.ApplicationFailure.create({ message: 'x is undefined', type: 'TypeError' }))), undefined);
        strict_1.default.equal((0, worker_log_1.compactLogLine)(failed(new Error('boom'))), undefined);
        strict_1.default.equal((0, worker_log_1.compactLogLine)({ level: 'WARN', message: 'something', timestampNanos: at }), undefined);
    });
});
//# sourceMappingURL=dev-worker-log.test.js.map