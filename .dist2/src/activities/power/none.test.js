"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const strict_1 = __importDefault(require("node:assert/strict"));
const node_test_1 = require("node:test");
const schemas_1 = require("../../shared/schemas");
const driver_1 = require("./driver");
(0, node_test_1.describe)('none power driver', () => {
    (0, node_test_1.it)('resets nothing and says that someone must', async () => {
        const result = await (0, driver_1.createPowerDriver)(schemas_1.powerConfigSchema.parse({ driver: 'none' })).powerCycle('web-01');
        strict_1.default.deepEqual(result, {
            performed: false,
            message: 'web-01: no power driver configured (driver none); someone must reset it by hand',
        });
    });
    (0, node_test_1.it)('takes no fields', () => {
        const res = schemas_1.powerConfigSchema.safeParse({ driver: 'none', argv: ['/bin/true'] });
        strict_1.default.equal(res.success, false);
    });
});
//# sourceMappingURL=none.test.js.map