"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * test/helpers/history-text.ts, the text test:prod searches for secrets: every Payload of a
 * history decoded (inputs, heartbeat details, failure details, memo, search attributes, headers,
 * signal arguments), where `JSON.stringify` of the same history shows only base64.
 */
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const node_fs_1 = require("node:fs");
const path = __importStar(require("node:path"));
const proto_1 = require("@temporalio/proto");
const temporal_server_1 = require("../../src/dev/temporal-server");
const history_text_1 = require("../helpers/history-text");
const json = (value) => ({
    metadata: { encoding: Buffer.from('json/plain').toString('base64') },
    data: Buffer.from(JSON.stringify(value)).toString('base64'),
});
/** Where a secret can hide in a history, one marker each (none of them a real secret). */
const SECRETS = {
    input: 'marker-in-activity-input-7f3a',
    heartbeat: 'marker-in-last-heartbeat-details-91c2',
    failure: 'marker-in-failure-details-5be0',
    cause: 'marker-in-nested-cause-details-d41e',
    memo: 'marker-in-memo-0a77',
    searchAttribute: 'marker-in-search-attribute-3c19',
    header: 'marker-in-header-e802',
    signal: 'marker-in-signal-argument-66fd',
    binary: 'marker-in-binary-plain-payload-2b5b',
    quoted: 'marker "with quotes" and \\ in json-4d90',
};
/** A history in the proto JSON shape (what `temporal workflow show -o json` prints). */
function historyJson() {
    const failure = (message, detail, cause) => ({
        message,
        source: 'TypeScriptSDK',
        applicationFailureInfo: { type: 'Error', details: { payloads: [json({ detail })] } },
        ...(cause ? { cause } : {}),
    });
    return {
        events: [
            {
                eventId: '1',
                eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_STARTED',
                workflowExecutionStartedEventAttributes: {
                    workflowType: { name: 'upgradeHostKernel' },
                    input: { payloads: [json({ target: { host: 'web-1', privateKeyPath: '/etc/kernel-rollout/id' } })] },
                    memo: { fields: { note: json(SECRETS.memo) } },
                    searchAttributes: { indexedFields: { KernelRolloutTarget: json(SECRETS.searchAttribute) } },
                    header: { fields: { trace: json({ token: SECRETS.header }) } },
                },
            },
            {
                eventId: '5',
                eventType: 'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED',
                activityTaskScheduledEventAttributes: {
                    activityType: { name: 'installKernel' },
                    input: { payloads: [json({ password: SECRETS.input, quoted: SECRETS.quoted })] },
                },
            },
            {
                eventId: '7',
                eventType: 'EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT',
                activityTaskTimedOutEventAttributes: {
                    failure: {
                        message: 'activity Heartbeat timeout',
                        timeoutFailureInfo: {
                            timeoutType: 'TIMEOUT_TYPE_HEARTBEAT',
                            lastHeartbeatDetails: { payloads: [json({ step: 'reboot', token: SECRETS.heartbeat })] },
                        },
                    },
                },
            },
            {
                eventId: '11',
                eventType: 'EVENT_TYPE_ACTIVITY_TASK_FAILED',
                activityTaskFailedEventAttributes: {
                    failure: failure('power command failed', SECRETS.failure, failure('ipmitool', SECRETS.cause)),
                },
            },
            {
                eventId: '12',
                eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED',
                workflowExecutionSignaledEventAttributes: {
                    signalName: 'approve',
                    input: {
                        payloads: [
                            json({ by: SECRETS.signal }),
                            { metadata: { encoding: Buffer.from('binary/null').toString('base64') } },
                            {
                                metadata: { encoding: Buffer.from('binary/plain').toString('base64') },
                                data: Buffer.from(`\x00\x01${SECRETS.binary}\xff`, 'latin1').toString('base64'),
                            },
                        ],
                    },
                },
            },
        ],
    };
}
(0, node_test_1.describe)('historyText: every payload of a history decoded, for the secret search', () => {
    (0, node_test_1.test)('finds a secret in each payload of a JSON-shaped history; JSON.stringify finds none of them', () => {
        const history = historyJson();
        const needles = Object.values(SECRETS);
        strict_1.default.deepEqual((0, history_text_1.needlesIn)((0, history_text_1.historyText)(history), needles), needles);
        // Why decoding matters: the search test:prod used to run sees none of them.
        strict_1.default.deepEqual((0, history_text_1.needlesIn)(JSON.stringify(history), needles), []);
    });
    (0, node_test_1.test)('the same on the proto objects fetchHistory() returns (bytes as Uint8Array)', () => {
        const history = proto_1.temporal.api.history.v1.History.fromObject(historyJson());
        const payload = history.events[1]?.activityTaskScheduledEventAttributes?.input?.payloads?.[0];
        strict_1.default.ok(payload?.data instanceof Uint8Array, 'proto payload data is bytes');
        const needles = Object.values(SECRETS);
        strict_1.default.deepEqual((0, history_text_1.needlesIn)((0, history_text_1.historyText)(history), needles), needles);
        strict_1.default.deepEqual((0, history_text_1.needlesIn)(JSON.stringify(history), needles), []);
        // And as plain objects holding Uint8Array bytes (History.toObject without options).
        const plain = proto_1.temporal.api.history.v1.History.toObject(history);
        strict_1.default.deepEqual((0, history_text_1.needlesIn)((0, history_text_1.historyText)(plain), needles), needles);
    });
    (0, node_test_1.test)('fields outside payloads stay searchable, with their path', () => {
        const text = (0, history_text_1.historyText)(historyJson());
        strict_1.default.match(text, /^events\[3\]\.activityTaskFailedEventAttributes\.failure\.message: power command failed$/m);
        strict_1.default.match(text, /^events\[0\].*workflowType\.name: upgradeHostKernel$/m);
        strict_1.default.match(text, /\[binary\/null\]: null$/m);
    });
    (0, node_test_1.test)('a recorded history: privateKeyPath, in the workflow input, shows only once decoded', () => {
        const file = path.join((0, temporal_server_1.projectRoot)(), 'test', 'fixtures', 'histories', 'upgraded.2026-11-26.json');
        const recorded = JSON.parse((0, node_fs_1.readFileSync)(file, 'utf8'));
        strict_1.default.ok(!JSON.stringify(recorded).includes('privateKeyPath'), 'base64 hides it');
        strict_1.default.match((0, history_text_1.historyText)(recorded), /\{json\}\.target\.privateKeyPath: \/nonexistent\/key$/m);
    });
    (0, node_test_1.test)('needlesIn ignores an empty needle (it would match anything)', () => {
        strict_1.default.deepEqual((0, history_text_1.needlesIn)('abc', ['', 'b', 'z']), ['b']);
    });
});
//# sourceMappingURL=history-text.test.js.map