/**
 * The workflows' plain input checks (src/workflows/input-check.ts) against the zod schemas they
 * stand in for inside the workflow bundle: whatever the client's schema accepts passes, and a
 * field missing or of the wrong type — at the top, in target/ssh and in timeouts — is named by
 * its path, every one of them at once.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rolloutRequestSchema, timeoutsSchema, upgradeHostInputSchema } from '../../src/shared/schemas';
import { rolloutTemplateProblems, upgradeHostInputProblems } from '../../src/workflows/input-check';
import { checkRolloutInput } from '../../src/workflows/rollout-definitions';

const input = () =>
  upgradeHostInputSchema.parse({
    target: { host: 'web-1', user: 'root', privateKeyPath: '/k', jumpHosts: [{ host: 'bastion' }] },
    toRelease: '6.1.0-56-cloud-amd64',
    source: { kind: 'apt', packageName: 'linux-image-6.1.0-56-cloud-amd64' },
    power: { driver: 'command', argv: ['true'] },
    rehearseInVm: false,
  }) as unknown as Record<string, unknown>;

const rollout = () =>
  rolloutRequestSchema.parse({
    rolloutId: 'r1',
    template: {
      toRelease: '6.1.0-56-cloud-amd64',
      source: { kind: 'apt', packageName: 'linux-image-6.1.0-56-cloud-amd64' },
    },
    hosts: [{ host: 'web-1' }],
  }) as unknown as Record<string, unknown>;

/** A value of another JSON type than `v`. */
const wrongType = (v: unknown): unknown => (typeof v === 'string' ? 12 : 'twelve');

describe('upgradeHostKernel input: the plain check against upgradeHostInputSchema', () => {
  test("what the client's schema gives passes", () => {
    assert.deepEqual(upgradeHostInputProblems(input()), []);
  });

  test('every required field, removed, is named `<field>: missing`', () => {
    const required = Object.keys(upgradeHostInputSchema.shape).filter(
      (k) => !upgradeHostInputSchema.shape[k as keyof typeof upgradeHostInputSchema.shape].safeParse(undefined).success,
    );
    // Fields with a default are required of the parsed input the workflow gets.
    const parsed = input();
    const workflowRequired = Object.keys(parsed).filter((k) => !['rehearseInVm', 'holdForRollout'].includes(k));
    assert.ok(required.every((k) => workflowRequired.includes(k)));
    for (const key of workflowRequired) {
      const v = input();
      delete v[key];
      assert.ok(
        upgradeHostInputProblems(v).includes(`${key}: missing`),
        `${key}: ${upgradeHostInputProblems(v).join('; ')}`,
      );
    }
  });

  test('every field of timeouts and target: missing or of the wrong type, named', () => {
    for (const key of Object.keys(timeoutsSchema.shape)) {
      const v = input();
      const t = { ...(v['timeouts'] as Record<string, unknown>) };
      delete t[key];
      v['timeouts'] = t;
      assert.deepEqual(upgradeHostInputProblems(v), [`timeouts.${key}: missing`]);
      v['timeouts'] = { ...t, [key]: 'soon' };
      assert.match(upgradeHostInputProblems(v).join('; '), new RegExp(`^timeouts\\.${key}: must be .*"soon"`));
    }
    for (const [key, value] of Object.entries(input()['target'] as Record<string, unknown>)) {
      if (key === 'jumpHosts') continue;
      const v = input();
      v['target'] = { ...(v['target'] as object), [key]: wrongType(value) };
      assert.match(upgradeHostInputProblems(v).join('; '), new RegExp(`^target\\.${key}: must be`), key);
    }
  });

  test('a hand-written input without timeouts and with a nested field of the wrong type: both named at once', () => {
    const v = input();
    delete v['timeouts'];
    v['target'] = { ...(v['target'] as object), port: '22' };
    v['healthChecks'] = [{ kind: 'system-running' }, 'http'];
    v['extra'] = 1;
    assert.deepEqual(upgradeHostInputProblems(v), [
      'target.port: must be a whole number >= 1, not "22"',
      'healthChecks[1]: must be an object like {kind: \'system-running\'}, not "http"',
      'timeouts: missing',
      'extra: unknown field',
    ]);
    assert.deepEqual(upgradeHostInputProblems(null), ['input: must be an object, not null']);
  });
});

describe('rolloutKernel input: the plain check against rolloutRequestSchema', () => {
  test("what the client's schema gives passes", () => {
    assert.equal(checkRolloutInput(rollout()), null);
  });

  test('every field of the template, removed, is named', () => {
    for (const key of Object.keys(rollout()['template'] as object)) {
      const r = rollout();
      const t = { ...(r['template'] as Record<string, unknown>) };
      delete t[key];
      assert.deepEqual(rolloutTemplateProblems(t), [`template.${key}: missing`]);
    }
  });

  test('several problems at once, each with its path', () => {
    const r = rollout();
    const t = { ...(r['template'] as Record<string, unknown>) };
    delete t['timeouts'];
    t['ssh'] = { ...(t['ssh'] as object), port: 'x' };
    r['template'] = t;
    delete r['approveAfterCanary'];
    const message = checkRolloutInput(r) ?? '';
    for (const field of ['template.ssh.port', 'template.timeouts', 'approveAfterCanary']) {
      assert.match(message, new RegExp(`(^|; )${field.replace(/\./g, '\\.')}: `), message);
    }
  });
});
