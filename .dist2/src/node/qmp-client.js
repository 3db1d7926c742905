"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.qmpExecute = qmpExecute;
/**
 * A QMP client (the QEMU Machine Protocol: JSON lines over a Unix socket; a greeting, then
 * `qmp_capabilities`, then commands). One connection per call; asynchronous events are skipped.
 * Used by the `qmp` power driver and by the testbed's own monitor.
 */
const node_net_1 = require("node:net");
/**
 * Sends the commands in order, each after the previous one's reply, and resolves with their
 * replies. The first error reply rejects (later commands are not sent), as does a socket error
 * or no answer within `timeoutMs`.
 */
function qmpExecute(socketPath, commands, timeoutMs = 10_000) {
    return new Promise((resolve, reject) => {
        const sock = (0, node_net_1.createConnection)(socketPath);
        const replies = [];
        const queue = [
            { execute: 'qmp_capabilities' },
            ...commands.map((c) => (typeof c === 'string' ? { execute: c } : c)),
        ];
        let current = 'greeting';
        let greeted = false;
        let buffer = '';
        let settled = false;
        const fail = (message, cause) => {
            if (settled)
                return;
            settled = true;
            clearTimeout(timer);
            sock.destroy();
            // The socket error stays the cause: the power driver's hint reads its code (ENOENT, …).
            reject(new Error(`QMP ${socketPath}: ${message}`, { cause }));
        };
        const timer = setTimeout(() => fail(`no answer to ${current} within ${timeoutMs} ms`), timeoutMs);
        const sendNext = () => {
            const next = queue.shift();
            if (next === undefined) {
                settled = true;
                clearTimeout(timer);
                sock.end();
                resolve(replies.slice(1));
                return;
            }
            current = next.execute;
            sock.write(`${JSON.stringify(next)}\n`);
        };
        sock.on('error', (err) => fail(err.message, err));
        sock.on('close', () => fail(`connection closed while waiting for ${current}`));
        sock.on('data', (chunk) => {
            buffer += chunk.toString();
            let nl;
            while (!settled && (nl = buffer.indexOf('\n')) >= 0) {
                const line = buffer.slice(0, nl).trim();
                buffer = buffer.slice(nl + 1);
                if (!line)
                    continue;
                let msg;
                try {
                    msg = JSON.parse(line);
                }
                catch {
                    fail(`not a QMP message: ${line.slice(0, 200)}`);
                    return;
                }
                if (msg.event)
                    continue;
                if (!greeted) {
                    if (!msg.QMP)
                        continue;
                    greeted = true;
                    sendNext();
                    continue;
                }
                if (msg.error) {
                    fail(`${current}: ${msg.error.class}: ${msg.error.desc}`);
                    return;
                }
                replies.push(msg);
                sendNext();
            }
        });
    });
}
//# sourceMappingURL=qmp-client.js.map