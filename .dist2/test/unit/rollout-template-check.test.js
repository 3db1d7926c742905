"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * The rollout workflow's own check of its template (src/workflows/rollout-definitions.ts, no zod
 * in the workflow bundle): shape only. Which installer kinds exist is the registry's business,
 * so a kind added later passes here and an unknown one is refused by the client's schema and by
 * each host's read-only preflight.
 */
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const rollout_definitions_1 = require("../../src/workflows/rollout-definitions");
const schemas_1 = require("../../src/shared/schemas");
const fleet_1 = require("../helpers/fleet");
(0, node_test_1.test)('checkTemplate: any installer kind by name; a missing or malformed kind names template.source', () => {
    strict_1.default.equal((0, rollout_definitions_1.checkTemplate)((0, fleet_1.template)()), null);
    strict_1.default.equal((0, rollout_definitions_1.checkTemplate)({ ...(0, fleet_1.template)(), source: { kind: 'artifact', buildId: 'b1' } }), null);
    for (const source of [undefined, 'apt', {}, { kind: '' }, { kind: 'Apt; reboot' }, { kind: 7 }]) {
        strict_1.default.match((0, rollout_definitions_1.checkTemplate)({ ...(0, fleet_1.template)(), source }) ?? '', /^template\.source(\.kind)?: /, JSON.stringify(source));
    }
});
(0, node_test_1.test)('an unknown installer kind that passes the shape check is refused by the installer registry', () => {
    const r = schemas_1.installSourceSchema.safeParse({ kind: 'artifact', buildId: 'b1' });
    strict_1.default.equal(r.success, false);
});
//# sourceMappingURL=rollout-template-check.test.js.map