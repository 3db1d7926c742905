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
const node_net_1 = require("node:net");
const node_os_1 = require("node:os");
const path = __importStar(require("node:path"));
const qmp_client_1 = require("./qmp-client");
/** A QMP monitor on a Unix socket: greets, records each command, answers like qemu. */
async function fakeMonitor(answer) {
    const dir = (0, node_fs_1.mkdtempSync)(path.join((0, node_os_1.tmpdir)(), 'qmp-test-'));
    const socketPath = path.join(dir, 'qmp.sock');
    const received = [];
    const server = (0, node_net_1.createServer)((sock) => {
        sock.write('{"QMP": {"version": {}, "capabilities": []}}\n');
        let buf = '';
        sock.on('data', (d) => {
            buf += d.toString();
            let nl;
            while ((nl = buf.indexOf('\n')) >= 0) {
                const cmd = JSON.parse(buf.slice(0, nl));
                buf = buf.slice(nl + 1);
                received.push(cmd);
                // An event before the reply, as qemu sends them: the client must skip it.
                sock.write('{"event": "RESET", "data": {}}\n');
                sock.write(`${JSON.stringify(answer(cmd))}\n`);
            }
        });
    });
    await new Promise((r) => server.listen(socketPath, r));
    return {
        socketPath,
        received,
        close: async () => {
            await new Promise((r) => server.close(() => r()));
            (0, node_fs_1.rmSync)(dir, { recursive: true, force: true });
        },
    };
}
(0, node_test_1.test)('sends qmp_capabilities, then each command in order with its arguments; resolves with their replies', async () => {
    const m = await fakeMonitor((cmd) => ({ return: cmd.execute === 'query-status' ? { status: 'running' } : {} }));
    try {
        const replies = await (0, qmp_client_1.qmpExecute)(m.socketPath, ['stop', { execute: 'query-status', arguments: { x: 1 } }]);
        strict_1.default.deepEqual(m.received, [
            { execute: 'qmp_capabilities' },
            { execute: 'stop' },
            { execute: 'query-status', arguments: { x: 1 } },
        ]);
        strict_1.default.deepEqual(replies, [{ return: {} }, { return: { status: 'running' } }]);
    }
    finally {
        await m.close();
    }
});
(0, node_test_1.test)('an error reply rejects with its class and description, and later commands are not sent', async () => {
    const m = await fakeMonitor((cmd) => cmd.execute === 'system_reset' ? { error: { class: 'GenericError', desc: 'nope' } } : { return: {} });
    try {
        await strict_1.default.rejects((0, qmp_client_1.qmpExecute)(m.socketPath, ['system_reset', 'cont']), /system_reset: GenericError: nope/);
        strict_1.default.deepEqual(m.received.map((c) => c.execute), ['qmp_capabilities', 'system_reset']);
    }
    finally {
        await m.close();
    }
});
(0, node_test_1.test)('a socket nobody listens on rejects', async () => {
    const dir = (0, node_fs_1.mkdtempSync)(path.join((0, node_os_1.tmpdir)(), 'qmp-test-'));
    try {
        await strict_1.default.rejects((0, qmp_client_1.qmpExecute)(path.join(dir, 'none.sock'), ['query-status'], 2000), /QMP .*none\.sock/);
    }
    finally {
        (0, node_fs_1.rmSync)(dir, { recursive: true, force: true });
    }
});
//# sourceMappingURL=qmp-client.test.js.map