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
exports.readSshBanner = readSshBanner;
/**
 * Whether something on HOST:PORT sends an SSH banner within a time limit. qemu's user-mode network
 * accepts a TCP connection on the host side while the guest's sshd is not up yet, so a plain
 * connect proves nothing and an SSH client would sit in its banner timeout: this reads the banner
 * with a short limit first.
 */
const net = __importStar(require("node:net"));
function readSshBanner(port, timeoutMs, host = '127.0.0.1') {
    return new Promise((resolve) => {
        const sock = net.connect({ host, port });
        let buf = '';
        let done = false;
        const finish = (ok) => {
            if (done)
                return;
            done = true;
            clearTimeout(timer);
            sock.destroy();
            resolve(ok);
        };
        const timer = setTimeout(() => finish(false), timeoutMs);
        sock.setEncoding('latin1');
        sock.on('data', (d) => {
            buf += d;
            if (buf.includes('SSH-'))
                finish(true);
        });
        sock.on('error', () => finish(false));
        sock.on('close', () => finish(false));
    });
}
//# sourceMappingURL=ssh-banner.js.map