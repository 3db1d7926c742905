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
 * A bad-input refusal says what the refused command did not do: `status` and `watch` only read
 * (they start nothing), `upgrade` would have started an upgrade. Each refusal happens before any
 * connection: a TCP listener stands in for Temporal and counts connections.
 */
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const node_child_process_1 = require("node:child_process");
const node_net_1 = require("node:net");
const path = __importStar(require("node:path"));
const kernelctl = path.join(__dirname, '..', '..', '..', 'bin', 'kernelctl.js');
(0, node_test_1.describe)('kernelctl: the bad-input refusal is worded per command', () => {
    let server;
    let address = '';
    let connections = 0;
    (0, node_test_1.before)(async () => {
        server = (0, node_net_1.createServer)((s) => {
            connections += 1;
            s.destroy();
        });
        await new Promise((r) => server.listen(0, '127.0.0.1', () => r()));
        address = `127.0.0.1:${server.address().port}`;
    });
    (0, node_test_1.after)(() => server.close());
    async function refused(args) {
        const child = (0, node_child_process_1.spawn)(process.execPath, [kernelctl, ...args, '--address', address]);
        let stderr = '';
        child.stderr.on('data', (b) => (stderr += b.toString()));
        const code = await new Promise((r) => child.on('exit', r));
        strict_1.default.equal(code, 2, `exit 2 (bad input):\n${stderr}`);
        return stderr;
    }
    for (const command of ['status', 'watch']) {
        (0, node_test_1.test)(`${command} with a malformed host: "nothing was looked up", not "nothing was started"`, async () => {
            const stderr = await refused([command, 'bad host!']);
            strict_1.default.match(stderr, new RegExp(`^kernelctl ${command}: invalid input, nothing was looked up:\\n`));
            strict_1.default.match(stderr, /<host>: must be a host name/);
            strict_1.default.doesNotMatch(stderr, /started/);
            strict_1.default.equal(connections, 0, 'no connection to Temporal');
        });
    }
    (0, node_test_1.test)('rollout status with a malformed rollout ID: "nothing was looked up"', async () => {
        const stderr = await refused(['rollout', 'status', 'bad id!']);
        strict_1.default.match(stderr, /^kernelctl rollout status: invalid input, nothing was looked up:\n/);
        strict_1.default.equal(connections, 0, 'no connection to Temporal');
    });
    (0, node_test_1.test)('upgrade and abort keep "nothing was started", naming the command', async () => {
        strict_1.default.match(await refused(['upgrade', 'bad host!', '--to', '6.1.0-56-cloud-amd64']), /^kernelctl upgrade: invalid input, nothing was started:\n/);
        strict_1.default.match(await refused(['abort', 'web-01']), /^kernelctl abort: invalid input, nothing was started:\n/);
        strict_1.default.equal(connections, 0, 'no connection to Temporal');
    });
});
//# sourceMappingURL=kernelctl-refusal.test.js.map