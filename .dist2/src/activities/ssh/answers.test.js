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
const net = __importStar(require("node:net"));
const node_test_1 = require("node:test");
const answers_1 = require("./answers");
/** A listener on 127.0.0.1 that does `onConnection` with each connection. */
async function listener(onConnection) {
    const server = net.createServer(onConnection);
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { port: server.address().port, server };
}
(0, node_test_1.describe)('sshServerAnswers', () => {
    const servers = [];
    (0, node_test_1.after)(() => servers.forEach((s) => s.close()));
    (0, node_test_1.test)('a server that sends its identification answers', async () => {
        const { port, server } = await listener((s) => s.end('SSH-2.0-OpenSSH_9.2\r\n'));
        servers.push(server);
        strict_1.default.equal(await (0, answers_1.sshServerAnswers)('127.0.0.1', port, 2000), 'answers');
    });
    (0, node_test_1.test)('a port that accepts and closes without a word does not answer', async () => {
        const { port, server } = await listener((s) => s.destroy());
        servers.push(server);
        strict_1.default.equal(await (0, answers_1.sshServerAnswers)('127.0.0.1', port, 2000), 'no');
    });
    (0, node_test_1.test)('a port that accepts and stays silent is silent after the timeout', async () => {
        const held = [];
        const { port, server } = await listener((s) => held.push(s));
        servers.push(server);
        const started = Date.now();
        strict_1.default.equal(await (0, answers_1.sshServerAnswers)('127.0.0.1', port, 300), 'silent');
        strict_1.default.ok(Date.now() - started >= 290, 'gave up before the timeout');
        held.forEach((s) => s.destroy());
    });
    (0, node_test_1.test)('a closed port does not answer', async () => {
        const { port, server } = await listener(() => undefined);
        await new Promise((resolve) => server.close(() => resolve()));
        strict_1.default.equal(await (0, answers_1.sshServerAnswers)('127.0.0.1', port, 2000), 'no');
    });
});
//# sourceMappingURL=answers.test.js.map