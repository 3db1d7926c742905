/**
 * The rollout workflow's own check of its template (src/workflows/rollout-definitions.ts, no zod
 * in the workflow bundle): shape only. Which installer kinds exist is the registry's business,
 * so a kind added later passes here and an unknown one is refused by the client's schema and by
 * each host's read-only preflight.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkTemplate } from '../../src/workflows/rollout-definitions';
import { installSourceSchema } from '../../src/shared/schemas';
import { template } from '../helpers/fleet';

test('checkTemplate: any installer kind by name; a missing or malformed kind names template.source', () => {
  assert.equal(checkTemplate(template()), null);
  assert.equal(checkTemplate({ ...template(), source: { kind: 'artifact', buildId: 'b1' } }), null);
  for (const source of [undefined, 'apt', {}, { kind: '' }, { kind: 'Apt; reboot' }, { kind: 7 }]) {
    assert.match(
      checkTemplate({ ...template(), source }) ?? '',
      /^template\.source(\.kind)?: /,
      JSON.stringify(source),
    );
  }
});

test('an unknown installer kind that passes the shape check is refused by the installer registry', () => {
  const r = installSourceSchema.safeParse({ kind: 'artifact', buildId: 'b1' });
  assert.equal(r.success, false);
});
