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
 * `kernelctl build watch` when the Temporal server goes away mid-watch: exit 7 (Temporal
 * unreachable), as for a server never reached, with a line that says so, not a raw gRPC error and
 * exit 1. A real dev server (in memory, its own) is SIGKILLed under a watching kernelctl; the build
 * workflow runs on a task queue no worker polls, so it stays RUNNING.
 */
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const node_child_process_1 = require("node:child_process");
const node_fs_1 = require("node:fs");
const node_os_1 = require("node:os");
const path = __importStar(require("node:path"));
const client_1 = require("@temporalio/client");
const build_1 = require("../../src/client/build");
const temporal_server_1 = require("../../src/dev/temporal-server");
const kernelctl = path.join(__dirname, '..', '..', '..', 'bin', 'kernelctl.js');
(0, node_test_1.test)('build watch: the server SIGKILLed mid-watch → exit 7, "lost Temporal"', { timeout: 240_000 }, async () => {
    const dir = (0, node_fs_1.mkdtempSync)(path.join((0, node_os_1.tmpdir)(), 'kr-build-lost-'));
    const server = await (0, temporal_server_1.startDevServer)({ headless: true, logPath: path.join(dir, 'temporal.log') });
    try {
        const connection = await client_1.Connection.connect({ address: server.address });
        let id;
        try {
            ({ id } = await (0, build_1.startBuild)(new client_1.Client({ connection }), 'kr-nobody-polls', {
                buildHost: { host: 'builder', privateKeyPath: '/nonexistent/key', knownHostsPath: '/nonexistent/known_hosts' },
                source: { kind: 'debian-source', version: '6.1' },
                config: { kind: 'make', target: 'tinyconfig' },
            }));
        }
        finally {
            await connection.close();
        }
        const child = (0, node_child_process_1.spawn)(process.execPath, [kernelctl, 'build', 'watch', id, '--address', server.address], {
            stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
        child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
        const exited = new Promise((r) => child.on('exit', r));
        // Watching: its first progress line is out.
        await new Promise((resolve, reject) => {
            child.stdout.on('data', () => /preparing the source and config/.test(stdout) && resolve());
            void exited.then((c) => reject(new Error(`watch ended early (${String(c)}):\n${stdout}\n${stderr}`)));
        });
        server.process.kill('SIGKILL');
        const code = await exited;
        strict_1.default.equal(code, 7, `exit 7:\n${stderr}`);
        strict_1.default.match(stderr, new RegExp(`^kernelctl: lost Temporal at ${server.address.replace(/\./g, '\\.')} `, 'm'));
    }
    finally {
        await server.stop();
        (0, node_fs_1.rmSync)(dir, { recursive: true, force: true });
    }
});
//# sourceMappingURL=kernelctl-build-lost.test.js.map