/**
 * Each concern's kinds are listed twice: their zod schemas in src/shared/options/ (what the CLI,
 * the client and the schemas parse with, loading no driver) and the driver registry in
 * src/activities/ (what acts on them). The two lists agree, in the same order, and each driver
 * module's `schema` is the shared one of its kind: a kind with a schema but no driver (or the
 * other way round) would be accepted by the input check and then fail on the host's worker.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { installerKinds } from '../../src/activities/install/installer';
import { powerDrivers } from '../../src/activities/power/driver';
import { healthChecks } from '../../src/activities/health/check';
import { sourceModuleKinds } from '../../src/activities/build/source/source';
import { configModuleKinds } from '../../src/activities/build/config/config-base';
import * as apt from '../../src/activities/install/apt';
import * as debUpload from '../../src/activities/install/deb-upload';
import * as artifact from '../../src/activities/install/artifact';
import { installSourceKinds, installSourceSchemas } from '../../src/shared/options/install-source';
import { powerConfigSchemas, powerDriverKinds } from '../../src/shared/options/power';
import { healthCheckKinds, healthCheckSchemas } from '../../src/shared/options/health-check';
import { buildSourceKinds } from '../../src/shared/options/build-source';
import { configBaseKinds } from '../../src/shared/options/config-base';

test('install sources: one installer per kind, in the same order, each with the shared schema', () => {
  assert.deepEqual(installerKinds, installSourceKinds);
  assert.deepEqual(
    [apt, debUpload, artifact].map((m) => m.schema),
    installSourceSchemas,
  );
});

test('power: one driver per configuration schema, in the same order, each with that schema', () => {
  assert.deepEqual(
    powerDrivers.map((d) => d.kind),
    powerDriverKinds,
  );
  assert.deepEqual(
    powerDrivers.map((d) => d.schema),
    powerConfigSchemas,
  );
});

test('health checks: one check per schema, in the same order, each with that schema', () => {
  assert.deepEqual(
    healthChecks.map((c) => c.kind),
    healthCheckKinds,
  );
  assert.deepEqual(
    healthChecks.map((c) => c.schema),
    healthCheckSchemas,
  );
});

test('build sources and config bases: one module per kind, in the same order', () => {
  assert.deepEqual(sourceModuleKinds, buildSourceKinds);
  assert.deepEqual(configModuleKinds, configBaseKinds);
});
