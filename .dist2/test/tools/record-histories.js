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
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * Records workflow histories for the replay test (test/workflow/replay.test.ts): runs
 * upgradeHostKernel through several rollback-matrix paths on the dev server with stubbed
 * activities and writes each history to test/fixtures/histories/<name>.<date>.json. Histories
 * recorded before stay: each recording adds the current code's paths beside them, and the replay
 * test replays them all, so a change without patched() fails against every generation.
 */
const node_fs_1 = require("node:fs");
const path = __importStar(require("node:path"));
const proto_1 = require("@temporalio/proto");
const fake_host_1 = require("../helpers/fake-host");
const temporal_1 = require("../helpers/temporal");
const workflows_1 = require("../../src/workflows");
const definitions_1 = require("../../src/workflows/definitions");
const out = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'histories');
async function record(name, trial, overrides = {}) {
    const host = new fake_host_1.FakeHost((0, fake_host_1.newHostState)(temporal_1.OLD, trial));
    await (0, temporal_1.withWorker)((0, fake_host_1.createStubActivities)(host), async ({ client, taskQueue }) => {
        const input = (0, temporal_1.testInput)(overrides);
        const handle = await client.workflow.start(workflows_1.upgradeHostKernel, {
            taskQueue,
            workflowId: (0, definitions_1.upgradeWorkflowId)(input.target.host),
            args: [input],
        });
        if (input.approveBeforeReboot) {
            while ((await handle.query(definitions_1.statusQuery)).waitingFor !== 'approval')
                await new Promise((r) => setTimeout(r, 50));
            await handle.executeUpdate(definitions_1.approveUpdate, { args: [{ by: 'recorder' }] });
        }
        const result = await handle.result();
        const history = await handle.fetchHistory();
        // Plain protobuf JSON (longs and enums as strings, bytes as base64): diffable, and loads
        // back with History.fromObject. (historyToJSON trips over a duplicated protobufjs here.)
        const json = proto_1.temporal.api.history.v1.History.toObject(proto_1.temporal.api.history.v1.History.fromObject(history), {
            longs: String,
            enums: String,
            bytes: String,
        });
        const day = new Date().toISOString().slice(0, 10);
        (0, node_fs_1.writeFileSync)(path.join(out, `${name}.${day}.json`), `${JSON.stringify(json, null, 1)}\n`);
        process.stdout.write(`${name}: ${result.outcome}, ${history.events?.length ?? 0} events\n`);
    });
}
async function main() {
    (0, node_fs_1.mkdirSync)(out, { recursive: true });
    await record('upgraded', 'ok');
    await record('upgraded-no-stability-window', 'ok', { stabilitySeconds: 0 });
    await record('upgraded-with-approval', 'ok', { approveBeforeReboot: true });
    await record('rolled-back-panic', 'panic');
    await record('rolled-back-unhealthy', 'unhealthy');
    await record('rolled-back-power-cycle', 'hang');
    await (0, temporal_1.stopOwnServer)();
}
main().catch((err) => {
    process.stderr.write(`${err.stack}\n`);
    process.exit(1);
});
//# sourceMappingURL=record-histories.js.map