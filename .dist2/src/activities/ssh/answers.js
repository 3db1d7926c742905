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
exports.sshServerAnswers = sshServerAnswers;
/**
 * Whether an SSH server answers on a port: a TCP connection that receives the server's first bytes
 * (its `SSH-2.0-…` identification) within `timeoutMs`. No handshake, no key, no credentials: the
 * wait for a rebooting host asks this every 100 ms while it is away and opens a real session
 * (host key verified, boot id read) once it answers. A port that refuses, resets or closes
 * without a word (a port forward whose guest is not listening yet) says `no`. One that accepts and
 * stays silent for `timeoutMs` says `silent`: a slow sshd (one re-executing itself on an emulated
 * CPU) or a port forward still waiting for its guest; only a session can tell which.
 */
const net = __importStar(require("node:net"));
function sshServerAnswers(host, port, timeoutMs) {
    return new Promise((resolve) => {
        const sock = net.connect({ host, port });
        let settled = false;
        let connected = false;
        const done = (answer) => {
            if (settled)
                return;
            settled = true;
            clearTimeout(timer);
            sock.destroy();
            resolve(answer);
        };
        const timer = setTimeout(() => done(connected ? 'silent' : 'no'), timeoutMs);
        sock.once('connect', () => (connected = true));
        sock.once('data', () => done('answers'));
        sock.once('error', () => done('no'));
        sock.once('close', () => done('no'));
    });
}
//# sourceMappingURL=answers.js.map