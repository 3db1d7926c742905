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
exports.NEW = exports.OLD = exports.quietLogger = void 0;
exports.temporalAddress = temporalAddress;
exports.stopOwnServer = stopOwnServer;
exports.workflowsPath = workflowsPath;
exports.workflowBundle = workflowBundle;
exports.withWorker = withWorker;
exports.testInput = testInput;
exports.serverAnswers = serverAnswers;
/**
 * Connects tests to the real Temporal dev server that `scripts/with-temporal` started
 * (TEMPORAL_ADDRESS). A test run without one starts its own, so a lone
 * `node --test dist/test/workflow/x.test.js` works too.
 */
const node_fs_1 = require("node:fs");
const node_os_1 = require("node:os");
const path = __importStar(require("node:path"));
const node_crypto_1 = require("node:crypto");
const client_1 = require("@temporalio/client");
const worker_1 = require("@temporalio/worker");
// Workers log every state change at INFO; tests want warnings and errors only.
worker_1.Runtime.install({ logger: new worker_1.DefaultLogger('WARN') });
const temporal_server_1 = require("../../src/dev/temporal-server");
const keep_alive_1 = require("../../src/activities/keep-alive");
const schemas_1 = require("../../src/shared/schemas");
let ownServer = null;
let bundle = null;
async function temporalAddress() {
    const fromEnv = process.env['TEMPORAL_ADDRESS'];
    if (fromEnv)
        return fromEnv;
    if (!ownServer) {
        const dir = (0, node_fs_1.mkdtempSync)(path.join((0, node_os_1.tmpdir)(), 'kr-test-temporal-'));
        ownServer = await (0, temporal_server_1.startDevServer)({ logPath: path.join(dir, 'temporal.log'), headless: true });
    }
    return ownServer.address;
}
async function stopOwnServer() {
    await ownServer?.stop();
    ownServer = null;
}
function workflowsPath() {
    return require.resolve('../../src/workflows');
}
function workflowBundle() {
    bundle ??= (0, worker_1.bundleWorkflowCode)({ workflowsPath: workflowsPath(), logger: exports.quietLogger });
    return bundle;
}
const noop = () => undefined;
exports.quietLogger = { log: noop, trace: noop, debug: noop, info: noop, warn: noop, error: noop };
/** Runs `fn` with a worker on a fresh task queue serving the given activities. */
async function withWorker(activities, fn) {
    const address = await temporalAddress();
    const taskQueue = `test-${(0, node_crypto_1.randomUUID)()}`;
    const nativeConnection = await worker_1.NativeConnection.connect({ address });
    const worker = await worker_1.Worker.create({
        connection: nativeConnection,
        taskQueue,
        workflowBundle: await workflowBundle(),
        activities: (0, keep_alive_1.keepAlive)(activities),
    });
    const connection = await client_1.Connection.connect({ address });
    const client = new client_1.Client({ connection });
    try {
        return await worker.runUntil(fn({ client, taskQueue }));
    }
    finally {
        await connection.close();
        await nativeConnection.close();
    }
}
exports.OLD = '6.1.0-47-cloud-amd64';
exports.NEW = '6.1.0-48-cloud-amd64';
/** A valid workflow input with short timings for tests; override what a test is about. */
function testInput(overrides = {}) {
    const base = schemas_1.upgradeHostInputSchema.parse({
        target: { host: `web-${(0, node_crypto_1.randomUUID)().slice(0, 8)}`, user: 'root', privateKeyPath: '/nonexistent/key' },
        toRelease: exports.NEW,
        source: { kind: 'apt', packageName: `linux-image-${exports.NEW}` },
        stabilitySeconds: 1,
        revertAfterSeconds: 60,
        power: { driver: 'command', argv: ['true'] },
        timeouts: {
            bootDeadlineSeconds: 10,
            powerCycleDeadlineSeconds: 10,
            approvalTimeoutSeconds: 30,
            heartbeatSeconds: 2,
            pollCapSeconds: 0.2,
        },
    });
    return { ...base, ...overrides };
}
/** Whether a Temporal frontend answers GetSystemInfo now (a fresh connection, closed after). */
async function serverAnswers(address, tls, connectTimeoutMs = 2000) {
    try {
        const conn = await client_1.Connection.connect({ address, ...(tls ? { tls } : {}), connectTimeout: connectTimeoutMs });
        try {
            await conn.workflowService.getSystemInfo({});
            return true;
        }
        finally {
            await conn.close();
        }
    }
    catch {
        return false;
    }
}
//# sourceMappingURL=temporal.js.map