/**
 * test/helpers/history-text.ts, the text test:prod searches for secrets: every Payload of a
 * history decoded (inputs, heartbeat details, failure details, memo, search attributes, headers,
 * signal arguments), where `JSON.stringify` of the same history shows only base64.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { temporal } from '@temporalio/proto';
import { projectRoot } from '../../src/dev/temporal-server';
import { historyText, needlesIn } from '../helpers/history-text';

const json = (value: unknown) => ({
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
  const failure = (message: string, detail: string, cause?: object) => ({
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

describe('historyText: every payload of a history decoded, for the secret search', () => {
  test('finds a secret in each payload of a JSON-shaped history; JSON.stringify finds none of them', () => {
    const history = historyJson();
    const needles = Object.values(SECRETS);
    assert.deepEqual(needlesIn(historyText(history), needles), needles);
    // Why decoding matters: the search test:prod used to run sees none of them.
    assert.deepEqual(needlesIn(JSON.stringify(history), needles), []);
  });

  test('the same on the proto objects fetchHistory() returns (bytes as Uint8Array)', () => {
    const history = temporal.api.history.v1.History.fromObject(historyJson());
    const payload = history.events[1]?.activityTaskScheduledEventAttributes?.input?.payloads?.[0];
    assert.ok(payload?.data instanceof Uint8Array, 'proto payload data is bytes');
    const needles = Object.values(SECRETS);
    assert.deepEqual(needlesIn(historyText(history), needles), needles);
    assert.deepEqual(needlesIn(JSON.stringify(history), needles), []);
    // And as plain objects holding Uint8Array bytes (History.toObject without options).
    const plain = temporal.api.history.v1.History.toObject(history);
    assert.deepEqual(needlesIn(historyText(plain), needles), needles);
  });

  test('fields outside payloads stay searchable, with their path', () => {
    const text = historyText(historyJson());
    assert.match(text, /^events\[3\]\.activityTaskFailedEventAttributes\.failure\.message: power command failed$/m);
    assert.match(text, /^events\[0\].*workflowType\.name: upgradeHostKernel$/m);
    assert.match(text, /\[binary\/null\]: null$/m);
  });

  test('a recorded history: privateKeyPath, in the workflow input, shows only once decoded', () => {
    const file = path.join(projectRoot(), 'test', 'fixtures', 'histories', 'upgraded.2026-11-26.json');
    const recorded: unknown = JSON.parse(readFileSync(file, 'utf8'));
    assert.ok(!JSON.stringify(recorded).includes('privateKeyPath'), 'base64 hides it');
    assert.match(historyText(recorded), /\{json\}\.target\.privateKeyPath: \/nonexistent\/key$/m);
  });

  test('needlesIn ignores an empty needle (it would match anything)', () => {
    assert.deepEqual(needlesIn('abc', ['', 'b', 'z']), ['b']);
  });
});
