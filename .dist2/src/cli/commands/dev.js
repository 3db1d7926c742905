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
exports.dev = void 0;
/** `kernelctl dev`: the Temporal CLI's dev server (SQLite in the state dir) and a worker beside it. */
const node_fs_1 = require("node:fs");
const node_os_1 = require("node:os");
const path = __importStar(require("node:path"));
const common_1 = require("../common");
function stateDir() {
    const base = process.env['XDG_STATE_HOME'] || path.join((0, node_os_1.homedir)(), '.local', 'state');
    return path.join(base, 'kernel-rollout');
}
async function devCommand({ v, clientOpts }) {
    const { startDevServer } = await Promise.resolve().then(() => __importStar(require('../../dev/temporal-server')));
    const { createWorker } = await Promise.resolve().then(() => __importStar(require('../../worker')));
    // The worker's INFO lines (about 20 of bundler statistics at start) would bury the addresses
    // printed below; warnings and errors still reach stderr. Installed before anything creates
    // the Runtime.
    const { DefaultLogger, Runtime } = await Promise.resolve().then(() => __importStar(require('@temporalio/worker')));
    const { devLogFunction } = await Promise.resolve().then(() => __importStar(require('../../dev/worker-log')));
    // An expected failure (a refused host, a failed build) is one line, not its stack.
    Runtime.install({ logger: new DefaultLogger('WARN', devLogFunction) });
    const dir = path.resolve(v['state-dir'] ?? stateDir());
    (0, node_fs_1.mkdirSync)(dir, { recursive: true });
    const server = await startDevServer({
        dbFile: path.join(dir, 'temporal.sqlite'),
        port: (0, common_1.int)('--port', v['port']) ?? 7233,
        uiPort: (0, common_1.int)('--ui-port', v['ui-port']) ?? 8233,
        logPath: path.join(dir, 'temporal.log'),
        pidFile: path.join(dir, 'temporal.pid'),
    });
    if (server.stoppedLeftover !== undefined) {
        process.stderr.write(`kernelctl dev: stopped the Temporal dev server (pid ${server.stoppedLeftover}) an earlier kernelctl dev left running on ${dir}\n`);
    }
    let created;
    try {
        // The embedded server speaks plaintext: a profile's TLS or API key is not for it.
        created = await createWorker({ ...clientOpts, address: server.address, transport: undefined });
    }
    catch (err) {
        await server.stop();
        throw err;
    }
    const { worker, connection } = created;
    // Printed once the worker exists (bundling takes a while), so the addresses mean "ready".
    process.stdout.write(`Temporal dev server ${server.address} (pid ${server.pid}, state ${dir})\nWeb UI: ${server.uiUrl}\nWorker on task queue ${clientOpts.taskQueue}; Ctrl-C stops both.\n`);
    try {
        await worker.run();
    }
    finally {
        await connection.close();
        await server.stop();
    }
    return common_1.EXIT.ok;
}
exports.dev = {
    options: { 'state-dir': { type: 'string' }, port: { type: 'string' }, 'ui-port': { type: 'string' } },
    needsHost: () => false,
    run: devCommand,
};
//# sourceMappingURL=dev.js.map