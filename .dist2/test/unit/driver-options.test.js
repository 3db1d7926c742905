"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * Each concern's kinds are listed twice: their zod schemas in src/shared/options/ (what the CLI,
 * the client and the schemas parse with, loading no driver) and the driver registry in
 * src/activities/ (what acts on them). The two lists agree, in the same order, and each driver
 * module's `schema` is the shared one of its kind: a kind with a schema but no driver (or the
 * other way round) would be accepted by the input check and then fail on the host's worker.
 */
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const installer_1 = require("../../src/activities/install/installer");
const driver_1 = require("../../src/activities/power/driver");
const check_1 = require("../../src/activities/health/check");
const source_1 = require("../../src/activities/build/source/source");
const config_base_1 = require("../../src/activities/build/config/config-base");
const install_source_1 = require("../../src/shared/options/install-source");
const power_1 = require("../../src/shared/options/power");
const health_check_1 = require("../../src/shared/options/health-check");
const build_source_1 = require("../../src/shared/options/build-source");
const config_base_2 = require("../../src/shared/options/config-base");
const seams = [
    { name: 'install sources', registry: installer_1.installers, kinds: install_source_1.installSourceKinds, schemas: install_source_1.installSourceSchemas },
    { name: 'power', registry: driver_1.powerDrivers, kinds: power_1.powerDriverKinds, schemas: power_1.powerConfigSchemas },
    { name: 'health checks', registry: check_1.healthChecks, kinds: health_check_1.healthCheckKinds, schemas: health_check_1.healthCheckSchemas },
    { name: 'build sources', registry: source_1.sources, kinds: build_source_1.buildSourceKinds, schemas: build_source_1.buildSourceSchemas },
    { name: 'config bases', registry: config_base_1.configBases, kinds: config_base_2.configBaseKinds, schemas: config_base_2.configBaseSchemas },
];
for (const { name, registry, kinds, schemas } of seams) {
    (0, node_test_1.test)(`${name}: one driver per schema, in the same order, each with the shared schema of its kind`, () => {
        strict_1.default.deepEqual(registry.kinds, kinds);
        strict_1.default.deepEqual(registry.drivers.map((d) => d.schema), schemas);
    });
}
//# sourceMappingURL=driver-options.test.js.map