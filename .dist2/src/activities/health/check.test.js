"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/** The health check registry: the schema union and the configuration table are built from it. */
const strict_1 = __importDefault(require("node:assert/strict"));
const node_test_1 = require("node:test");
const schemas_1 = require("../../shared/schemas");
const config_table_1 = require("../../shared/config-table");
const check_1 = require("./check");
(0, node_test_1.describe)('health check registry', () => {
    (0, node_test_1.it)("gives every check a distinct kind, and each schema's `kind` is its kind", () => {
        const kinds = check_1.healthChecks.kinds;
        strict_1.default.equal(new Set(kinds).size, kinds.length, `duplicate kinds in ${kinds.join(', ')}`);
        for (const c of check_1.healthChecks.drivers) {
            strict_1.default.deepEqual(c.schema.shape.kind.values, new Set([c.kind]), `${c.kind}: schema literal`);
            strict_1.default.ok(c.schema.description, `${c.kind}: its schema describes it for the configuration table`);
        }
    });
    (0, node_test_1.it)('parses through the union built from the registry; the input default is system-running', () => {
        strict_1.default.deepEqual(schemas_1.healthCheckSchema.parse({ kind: 'systemd-unit', unit: 'nginx.service' }), {
            kind: 'systemd-unit',
            unit: 'nginx.service',
        });
        const bad = schemas_1.healthCheckSchema.safeParse({ kind: 'ping', host: 'web-01' });
        strict_1.default.equal(bad.success, false);
        strict_1.default.deepEqual(bad.error?.issues[0]?.path, ['kind']);
        const input = schemas_1.upgradeHostInputSchema.parse({
            target: { host: 'web-01' },
            toRelease: '6.1.0-47-cloud-amd64',
            source: { kind: 'apt', packageName: 'linux-image-cloud-amd64' },
        });
        strict_1.default.deepEqual(input.healthChecks, [{ kind: 'system-running', allowDegraded: true }]);
    });
    (0, node_test_1.it)('refuses a kind that is not registered, naming the known ones', async () => {
        await strict_1.default.rejects((0, check_1.runHealthCheck)({}, { kind: 'ping' }), /healthChecks: unknown kind "ping"; known: command, systemd-unit, system-running, http/);
    });
    (0, node_test_1.it)("lists every registered kind and its fields in docs/configuration.md's table", () => {
        const table = (0, config_table_1.configTable)();
        for (const m of check_1.healthChecks.drivers) {
            strict_1.default.ok(table.includes(`| \`healthChecks[].kind: "${m.kind}"\` |`), `${m.kind} has its row`);
            for (const key of Object.keys(m.schema.shape).filter((k) => k !== 'kind')) {
                strict_1.default.ok(table.includes(`| \`healthChecks[].${key}\` |`), `${m.kind}.${key} has its row`);
            }
        }
    });
});
//# sourceMappingURL=check.test.js.map