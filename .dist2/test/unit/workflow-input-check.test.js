"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * The workflows' plain input checks (src/workflows/input-check.ts) against the zod schemas they
 * stand in for inside the workflow bundle: whatever the client's schema accepts passes, and a
 * field missing or of the wrong type — at the top, in target/ssh and in timeouts — is named by
 * its path, every one of them at once.
 */
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const schemas_1 = require("../../src/shared/schemas");
const input_check_1 = require("../../src/workflows/input-check");
const rollout_definitions_1 = require("../../src/workflows/rollout-definitions");
const input = () => schemas_1.upgradeHostInputSchema.parse({
    target: { host: 'web-1', user: 'root', privateKeyPath: '/k', jumpHosts: [{ host: 'bastion' }] },
    toRelease: '6.1.0-56-cloud-amd64',
    source: { kind: 'apt', packageName: 'linux-image-6.1.0-56-cloud-amd64' },
    power: { driver: 'command', argv: ['true'] },
    rehearseInVm: false,
});
const rollout = () => schemas_1.rolloutRequestSchema.parse({
    rolloutId: 'r1',
    template: {
        toRelease: '6.1.0-56-cloud-amd64',
        source: { kind: 'apt', packageName: 'linux-image-6.1.0-56-cloud-amd64' },
    },
    hosts: [{ host: 'web-1' }],
});
/** A value of another JSON type than `v`. */
const wrongType = (v) => (typeof v === 'string' ? 12 : 'twelve');
(0, node_test_1.describe)('upgradeHostKernel input: the plain check against upgradeHostInputSchema', () => {
    (0, node_test_1.test)("what the client's schema gives passes", () => {
        strict_1.default.deepEqual((0, input_check_1.upgradeHostInputProblems)(input()), []);
    });
    (0, node_test_1.test)('every required field, removed, is named `<field>: missing`', () => {
        const required = Object.keys(schemas_1.upgradeHostInputSchema.shape).filter((k) => !schemas_1.upgradeHostInputSchema.shape[k].safeParse(undefined).success);
        // Fields with a default are required of the parsed input the workflow gets.
        const parsed = input();
        const workflowRequired = Object.keys(parsed).filter((k) => !['rehearseInVm', 'holdForRollout'].includes(k));
        strict_1.default.ok(required.every((k) => workflowRequired.includes(k)));
        for (const key of workflowRequired) {
            const v = input();
            delete v[key];
            strict_1.default.ok((0, input_check_1.upgradeHostInputProblems)(v).includes(`${key}: missing`), `${key}: ${(0, input_check_1.upgradeHostInputProblems)(v).join('; ')}`);
        }
    });
    (0, node_test_1.test)('every field of timeouts and target: missing or of the wrong type, named', () => {
        for (const key of Object.keys(schemas_1.timeoutsSchema.shape)) {
            const v = input();
            const t = { ...v['timeouts'] };
            delete t[key];
            v['timeouts'] = t;
            strict_1.default.deepEqual((0, input_check_1.upgradeHostInputProblems)(v), [`timeouts.${key}: missing`]);
            v['timeouts'] = { ...t, [key]: 'soon' };
            strict_1.default.match((0, input_check_1.upgradeHostInputProblems)(v).join('; '), new RegExp(`^timeouts\\.${key}: must be .*"soon"`));
        }
        for (const [key, value] of Object.entries(input()['target'])) {
            if (key === 'jumpHosts')
                continue;
            const v = input();
            v['target'] = { ...v['target'], [key]: wrongType(value) };
            strict_1.default.match((0, input_check_1.upgradeHostInputProblems)(v).join('; '), new RegExp(`^target\\.${key}: must be`), key);
        }
    });
    (0, node_test_1.test)('a hand-written input without timeouts and with a nested field of the wrong type: both named at once', () => {
        const v = input();
        delete v['timeouts'];
        v['target'] = { ...v['target'], port: '22' };
        v['healthChecks'] = [{ kind: 'system-running' }, 'http'];
        v['extra'] = 1;
        strict_1.default.deepEqual((0, input_check_1.upgradeHostInputProblems)(v), [
            'target.port: must be a whole number >= 1, not "22"',
            'healthChecks[1]: must be an object like {kind: \'system-running\'}, not "http"',
            'timeouts: missing',
            'extra: unknown field',
        ]);
        strict_1.default.deepEqual((0, input_check_1.upgradeHostInputProblems)(null), ['input: must be an object, not null']);
    });
});
(0, node_test_1.describe)('rolloutKernel input: the plain check against rolloutRequestSchema', () => {
    (0, node_test_1.test)("what the client's schema gives passes", () => {
        strict_1.default.equal((0, rollout_definitions_1.checkRolloutInput)(rollout()), null);
    });
    (0, node_test_1.test)('every field of the template, removed, is named', () => {
        for (const key of Object.keys(rollout()['template'])) {
            const r = rollout();
            const t = { ...r['template'] };
            delete t[key];
            strict_1.default.deepEqual((0, input_check_1.rolloutTemplateProblems)(t), [`template.${key}: missing`]);
        }
    });
    (0, node_test_1.test)('several problems at once, each with its path', () => {
        const r = rollout();
        const t = { ...r['template'] };
        delete t['timeouts'];
        t['ssh'] = { ...t['ssh'], port: 'x' };
        r['template'] = t;
        delete r['approveAfterCanary'];
        const message = (0, rollout_definitions_1.checkRolloutInput)(r) ?? '';
        for (const field of ['template.ssh.port', 'template.timeouts', 'approveAfterCanary']) {
            strict_1.default.match(message, new RegExp(`(^|; )${field.replace(/\./g, '\\.')}: `), message);
        }
    });
});
//# sourceMappingURL=workflow-input-check.test.js.map