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
/**
 * Determinism guard: histories recorded from earlier runs (test/fixtures/histories, made by
 * `npm run record-histories`) must replay against the current workflow code. A change that
 * reorders, adds or removes commands without `patched()` fails here with a
 * DeterminismViolationError instead of breaking running workflows in production.
 */
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const node_fs_1 = require("node:fs");
const path = __importStar(require("node:path"));
const proto_1 = require("@temporalio/proto");
const worker_1 = require("@temporalio/worker");
const temporal_1 = require("../helpers/temporal");
const dir = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'histories');
(0, node_test_1.test)('recorded histories replay against the current workflow code', async () => {
    const files = (0, node_fs_1.readdirSync)(dir).filter((f) => f.endsWith('.json'));
    strict_1.default.ok(files.length >= 5, `expected recorded histories in ${dir}`);
    const histories = files.map((f) => ({
        workflowId: f.replace(/\.json$/, ''),
        history: proto_1.temporal.api.history.v1.History.fromObject(JSON.parse((0, node_fs_1.readFileSync)(path.join(dir, f), 'utf8'))),
    }));
    const failures = [];
    let replayed = 0;
    for await (const result of worker_1.Worker.runReplayHistories({ workflowBundle: await (0, temporal_1.workflowBundle)() }, histories)) {
        replayed += 1;
        if (result.error)
            failures.push(`${result.workflowId}: ${result.error.name}: ${result.error.message}`);
    }
    strict_1.default.equal(replayed, files.length);
    strict_1.default.deepEqual(failures, []);
});
//# sourceMappingURL=replay.test.js.map