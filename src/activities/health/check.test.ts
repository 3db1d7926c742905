/** The health check registry: the schema union and the configuration table are built from it. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { healthCheckSchema, upgradeHostInputSchema } from '../../shared/schemas';
import type { HostSession } from '../index';
import { configTable } from '../../shared/config-table';
import { healthChecks, runHealthCheck, type HealthCheck } from './check';

describe('health check registry', () => {
  it("gives every check a distinct kind, and each schema's `kind` is its kind", () => {
    const kinds = healthChecks.kinds;
    assert.equal(new Set(kinds).size, kinds.length, `duplicate kinds in ${kinds.join(', ')}`);
    for (const c of healthChecks.drivers) {
      assert.deepEqual(c.schema.shape.kind.values, new Set([c.kind]), `${c.kind}: schema literal`);
      assert.ok(c.schema.description, `${c.kind}: its schema describes it for the configuration table`);
    }
  });

  it('parses through the union built from the registry; the input default is system-running', () => {
    assert.deepEqual(healthCheckSchema.parse({ kind: 'systemd-unit', unit: 'nginx.service' }), {
      kind: 'systemd-unit',
      unit: 'nginx.service',
    });
    const bad = healthCheckSchema.safeParse({ kind: 'ping', host: 'web-01' });
    assert.equal(bad.success, false);
    assert.deepEqual(bad.error?.issues[0]?.path, ['kind']);
    const input = upgradeHostInputSchema.parse({
      target: { host: 'web-01' },
      toRelease: '6.1.0-47-cloud-amd64',
      source: { kind: 'apt', packageName: 'linux-image-cloud-amd64' },
    });
    assert.deepEqual(input.healthChecks, [{ kind: 'system-running', allowDegraded: true }]);
  });

  it('refuses a kind that is not registered, naming the known ones', async () => {
    await assert.rejects(
      runHealthCheck({} as HostSession, { kind: 'ping' } as unknown as HealthCheck),
      /healthChecks: unknown kind "ping"; known: command, systemd-unit, system-running, http/,
    );
  });

  it("lists every registered kind and its fields in docs/configuration.md's table", () => {
    const table = configTable();
    for (const m of healthChecks.drivers) {
      assert.ok(table.includes(`| \`healthChecks[].kind: "${m.kind}"\` |`), `${m.kind} has its row`);
      for (const key of Object.keys(m.schema.shape).filter((k) => k !== 'kind')) {
        assert.ok(table.includes(`| \`healthChecks[].${key}\` |`), `${m.kind}.${key} has its row`);
      }
    }
  });
});
