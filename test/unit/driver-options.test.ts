/**
 * Each concern's kinds are listed twice: their zod schemas in src/shared/options/ (what the CLI,
 * the client and the schemas parse with, loading no driver) and the driver registry in
 * src/activities/ (what acts on them). The two lists agree, in the same order, and each driver
 * module's `schema` is the shared one of its kind: a kind with a schema but no driver (or the
 * other way round) would be accepted by the input check and then fail on the host's worker.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { installers } from '../../src/activities/install/installer';
import { powerDrivers } from '../../src/activities/power/driver';
import { healthChecks } from '../../src/activities/health/check';
import { sources } from '../../src/activities/build/source/source';
import { configBases } from '../../src/activities/build/config/config-base';
import { installSourceKinds, installSourceSchemas } from '../../src/shared/options/install-source';
import { powerConfigSchemas, powerDriverKinds } from '../../src/shared/options/power';
import { healthCheckKinds, healthCheckSchemas } from '../../src/shared/options/health-check';
import { buildSourceKinds, buildSourceSchemas } from '../../src/shared/options/build-source';
import { configBaseKinds, configBaseSchemas } from '../../src/shared/options/config-base';

const seams = [
  { name: 'install sources', registry: installers, kinds: installSourceKinds, schemas: installSourceSchemas },
  { name: 'power', registry: powerDrivers, kinds: powerDriverKinds, schemas: powerConfigSchemas },
  { name: 'health checks', registry: healthChecks, kinds: healthCheckKinds, schemas: healthCheckSchemas },
  { name: 'build sources', registry: sources, kinds: buildSourceKinds, schemas: buildSourceSchemas },
  { name: 'config bases', registry: configBases, kinds: configBaseKinds, schemas: configBaseSchemas },
];

for (const { name, registry, kinds, schemas } of seams) {
  test(`${name}: one driver per schema, in the same order, each with the shared schema of its kind`, () => {
    assert.deepEqual(registry.kinds, kinds);
    assert.deepEqual(
      registry.drivers.map((d) => d.schema),
      schemas,
    );
  });
}
