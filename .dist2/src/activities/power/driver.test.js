"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/** The power driver registry: the schema union, the constructor and the configuration table are built from it. */
const strict_1 = __importDefault(require("node:assert/strict"));
const node_test_1 = require("node:test");
const schemas_1 = require("../../shared/schemas");
const config_table_1 = require("../../shared/config-table");
const driver_1 = require("./driver");
(0, node_test_1.describe)('power driver registry', () => {
    (0, node_test_1.it)("gives every driver a distinct kind, and each schema's `driver` is its kind", () => {
        const kinds = driver_1.powerDrivers.kinds;
        strict_1.default.equal(new Set(kinds).size, kinds.length, `duplicate kinds in ${kinds.join(', ')}`);
        for (const d of driver_1.powerDrivers.drivers) {
            strict_1.default.deepEqual(d.schema.shape.driver.values, new Set([d.kind]), `${d.kind}: schema literal`);
            strict_1.default.ok(d.schema.description, `${d.kind}: its schema describes it for the configuration table`);
        }
    });
    (0, node_test_1.it)('parses each kind through the union built from the registry and refuses an unknown one', () => {
        strict_1.default.deepEqual(schemas_1.powerConfigSchema.parse({ driver: 'none' }), { driver: 'none' });
        strict_1.default.deepEqual(schemas_1.powerConfigSchema.parse({ driver: 'qmp', socketPath: '/run/vm.qmp' }), {
            driver: 'qmp',
            socketPath: '/run/vm.qmp',
            action: 'reset',
        });
        const bad = schemas_1.powerConfigSchema.safeParse({ driver: 'ipmi', host: 'bmc-1' });
        strict_1.default.equal(bad.success, false);
        strict_1.default.deepEqual(bad.error?.issues[0]?.path, ['driver']);
    });
    (0, node_test_1.it)('constructs the driver of the configured kind', () => {
        const configs = [
            { driver: 'none' },
            { driver: 'command', argv: ['/bin/true'], timeoutSeconds: 5 },
            { driver: 'qmp', socketPath: '/run/vm.qmp', action: 'reset' },
        ];
        for (const config of configs) {
            strict_1.default.equal((0, driver_1.createPowerDriver)(config).name, config.driver);
        }
    });
    (0, node_test_1.it)('refuses a kind that is not registered, naming the known ones', () => {
        strict_1.default.throws(() => (0, driver_1.createPowerDriver)({ driver: 'ipmi' }), /power\.driver: unknown driver "ipmi"; known: none, command, qmp/);
    });
    (0, node_test_1.it)("lists every registered kind and its fields in docs/configuration.md's table", () => {
        const table = (0, config_table_1.configTable)();
        for (const m of driver_1.powerDrivers.drivers) {
            strict_1.default.ok(table.includes(`| \`power.driver: "${m.kind}"\` |`), `${m.kind} has its row`);
            for (const key of Object.keys(m.schema.shape).filter((k) => k !== 'driver')) {
                strict_1.default.ok(table.includes(`| \`power.${key}\` |`), `${m.kind}.${key} has its row`);
            }
        }
    });
});
//# sourceMappingURL=driver.test.js.map