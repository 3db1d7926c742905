"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.freePort = freePort;
const node_net_1 = require("node:net");
/**
 * A TCP port that was free on `address` a moment ago (the kernel picks it; the probe socket is
 * closed before this resolves). Another process can take it before the caller binds it: callers
 * that start a server on it retry when the bind fails.
 */
function freePort(address = '127.0.0.1') {
    return new Promise((resolve, reject) => {
        const srv = (0, node_net_1.createServer)();
        srv.unref();
        srv.on('error', reject);
        srv.listen(0, address, () => {
            const addr = srv.address();
            srv.close(() => typeof addr === 'object' && addr !== null
                ? resolve(addr.port)
                : reject(new Error(`no free port on ${address}`)));
        });
    });
}
//# sourceMappingURL=free-port.js.map