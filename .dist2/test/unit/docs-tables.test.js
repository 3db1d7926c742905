"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const node_fs_1 = require("node:fs");
const path = __importStar(require("node:path"));
const config_table_1 = require("../../src/shared/config-table");
(0, node_test_1.test)("docs/configuration.md's table matches the zod schemas", () => {
    const doc = (0, node_fs_1.readFileSync)(path.join(__dirname, '..', '..', '..', 'docs', 'configuration.md'), 'utf8');
    const m = /<!-- config-table:start -->\n([\s\S]*?)\n<!-- config-table:end -->/.exec(doc);
    strict_1.default.ok(m, 'docs/configuration.md has the config-table markers');
    strict_1.default.equal(m[1], (0, config_table_1.configTable)(), 'regenerate with: node dist/src/shared/config-table.js');
});
(0, node_test_1.test)("docs/api.md's input reference (upgradeHostKernel, rolloutKernel) matches the zod schemas", () => {
    const doc = (0, node_fs_1.readFileSync)(path.join(__dirname, '..', '..', '..', 'docs', 'api.md'), 'utf8');
    const m = /<!-- input-reference:start -->\n([\s\S]*?)\n<!-- input-reference:end -->/.exec(doc);
    strict_1.default.ok(m, 'docs/api.md has the input-reference markers');
    strict_1.default.equal(m[1], (0, config_table_1.inputReference)(), 'regenerate with: node dist/src/shared/config-table.js --api');
    // Every field of both inputs is there (the rollout's own fields included).
    for (const field of ['timeouts.heartbeatSeconds', 'rolloutId', 'hosts[].ssh.port', 'failureBudget', 'window']) {
        strict_1.default.match(m[1], new RegExp(`^\\| \`${field.replace(/[.[\]]/g, '\\$&')}\` \\|`, 'm'), field);
    }
});
(0, node_test_1.test)("the README's Ansible inventory example is the fixture the inventory tests import", () => {
    const readme = (0, node_fs_1.readFileSync)(path.join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
    const fixture = (0, node_fs_1.readFileSync)(path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'inventories', 'ansible-example.ini'), 'utf8');
    const m = /```ini\n([\s\S]*?)```/.exec(readme);
    strict_1.default.ok(m, 'README has an ```ini block');
    strict_1.default.equal(m[1], fixture);
});
//# sourceMappingURL=docs-tables.test.js.map