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
 * Runs a command with a fresh `temporal server start-dev` beside it (its database in memory: no
 * test behind this restarts the server; its log in a temp dir), exporting TEMPORAL_ADDRESS; stops the server afterwards and exits with the command's status.
 * An already exported TEMPORAL_ADDRESS is used as is (no server started).
 *   node dist/scripts/with-temporal.js node --test dist/test/workflow
 */
const node_child_process_1 = require("node:child_process");
const node_fs_1 = require("node:fs");
const node_os_1 = require("node:os");
const path = __importStar(require("node:path"));
const temporal_server_1 = require("../src/dev/temporal-server");
async function main() {
    const [cmd, ...args] = process.argv.slice(2);
    if (!cmd)
        throw new Error('usage: with-temporal <command> [args...]');
    let stop = null;
    const env = { ...process.env };
    if (!env['TEMPORAL_ADDRESS']) {
        const dir = (0, node_fs_1.mkdtempSync)(path.join((0, node_os_1.tmpdir)(), 'kr-temporal-'));
        const started = Date.now();
        const server = await (0, temporal_server_1.startDevServer)({ logPath: path.join(dir, 'temporal.log'), headless: true });
        process.stderr.write(`temporal dev server pid ${server.pid} on ${server.address} answered after ${Date.now() - started} ms (log ${server.logPath})\n`);
        env['TEMPORAL_ADDRESS'] = server.address;
        stop = server.stop;
    }
    const child = (0, node_child_process_1.spawn)(cmd, args, { stdio: 'inherit', env });
    const code = await new Promise((resolve) => child.on('exit', (c, s) => resolve(c ?? (s ? 1 : 0))));
    if (stop)
        await stop();
    process.exit(code);
}
main().catch((err) => {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
});
//# sourceMappingURL=with-temporal.js.map