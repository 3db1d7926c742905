/** The power driver registry: the schema union, the constructor and the configuration table are built from it. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { powerConfigSchema } from '../../shared/schemas';
import { configTable } from '../../shared/config-table';
import { createPowerDriver, powerDrivers, type PowerConfig } from './driver';

describe('power driver registry', () => {
  it("gives every driver a distinct kind, and each schema's `driver` is its kind", () => {
    const kinds = powerDrivers.kinds;
    assert.equal(new Set(kinds).size, kinds.length, `duplicate kinds in ${kinds.join(', ')}`);
    for (const d of powerDrivers.drivers) {
      assert.deepEqual(d.schema.shape.driver.values, new Set([d.kind]), `${d.kind}: schema literal`);
      assert.ok(d.schema.description, `${d.kind}: its schema describes it for the configuration table`);
    }
  });

  it('parses each kind through the union built from the registry and refuses an unknown one', () => {
    assert.deepEqual(powerConfigSchema.parse({ driver: 'none' }), { driver: 'none' });
    assert.deepEqual(powerConfigSchema.parse({ driver: 'qmp', socketPath: '/run/vm.qmp' }), {
      driver: 'qmp',
      socketPath: '/run/vm.qmp',
      action: 'reset',
    });
    const bad = powerConfigSchema.safeParse({ driver: 'ipmi', host: 'bmc-1' });
    assert.equal(bad.success, false);
    assert.deepEqual(bad.error?.issues[0]?.path, ['driver']);
  });

  it('constructs the driver of the configured kind', () => {
    const configs: PowerConfig[] = [
      { driver: 'none' },
      { driver: 'command', argv: ['/bin/true'], timeoutSeconds: 5 },
      { driver: 'qmp', socketPath: '/run/vm.qmp', action: 'reset' },
    ];
    for (const config of configs) {
      assert.equal(createPowerDriver(config).name, config.driver);
    }
  });

  it('refuses a kind that is not registered, naming the known ones', () => {
    assert.throws(
      () => createPowerDriver({ driver: 'ipmi' } as unknown as PowerConfig),
      /power\.driver: unknown driver "ipmi"; known: none, command, qmp/,
    );
  });

  it("lists every registered kind and its fields in docs/configuration.md's table", () => {
    const table = configTable();
    for (const m of powerDrivers.drivers) {
      assert.ok(table.includes(`| \`power.driver: "${m.kind}"\` |`), `${m.kind} has its row`);
      for (const key of Object.keys(m.schema.shape).filter((k) => k !== 'driver')) {
        assert.ok(table.includes(`| \`power.${key}\` |`), `${m.kind}.${key} has its row`);
      }
    }
  });
});
