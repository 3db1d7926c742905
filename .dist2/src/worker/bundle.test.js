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
const strict_1 = __importDefault(require("node:assert/strict"));
const fs = __importStar(require("node:fs"));
const os = __importStar(require("node:os"));
const path = __importStar(require("node:path"));
const node_test_1 = require("node:test");
const bundle_1 = require("./bundle");
(0, node_test_1.describe)('bundleWorkflowsApart', () => {
    (0, node_test_1.test)('builds the real workflows in a child and returns code that registers them', async () => {
        const code = await (0, bundle_1.bundleWorkflowsApart)(require.resolve('../workflows'));
        // The SDK's bundle exports the workflows' module through __TEMPORAL__; each workflow by name.
        strict_1.default.match(code, /__TEMPORAL__/);
        for (const name of ['upgradeHostKernel', 'rolloutKernel'])
            strict_1.default.match(code, new RegExp(`\\b${name}\\b`), name);
    });
    (0, node_test_1.test)('a workflows path that does not build is refused (webpack’s own errors go to stderr, as in the worker)', async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kr-bundle-'));
        try {
            const entry = path.join(dir, 'index.js');
            fs.writeFileSync(entry, "export { missing } from './no-such-module';\n");
            await strict_1.default.rejects((0, bundle_1.bundleWorkflowsApart)(entry), /^Error: workflow bundle: Webpack finished with errors/);
        }
        finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
//# sourceMappingURL=bundle.test.js.map