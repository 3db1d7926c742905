"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.connectTo = connectTo;
const connection_1 = require("./connection");
function connectTo(t, opts) {
    return connection_1.SshSession.connect({
        host: t.address ?? t.host,
        port: t.port,
        user: t.user,
        privateKeyPath: t.privateKeyPath,
        agentSocket: t.agentSocket,
        knownHostsPath: t.knownHostsPath,
        hostKeySha256: t.hostKeySha256,
        trustOnFirstUse: t.trustOnFirstUse,
        jumpHosts: t.jumpHosts?.map((hop) => jumpHostOf(hop, t)),
        connectTimeoutMs: opts?.connectTimeoutMs,
        bannerTimeoutMs: opts?.bannerTimeoutMs,
    });
}
/**
 * A bastion of the input as the transport's jump host. Like OpenSSH, where one configuration
 * serves every hop, a bastion without its own credentials uses the target's, and one without
 * its own known_hosts file the target's; its key is still checked for its own name and port.
 * Pins and trust-on-first-use are never inherited.
 */
function jumpHostOf(hop, t) {
    const ownCredentials = hop.privateKeyPath !== undefined || hop.agentSocket !== undefined;
    return {
        host: hop.address ?? hop.host,
        port: hop.port,
        user: hop.user,
        privateKeyPath: ownCredentials ? hop.privateKeyPath : t.privateKeyPath,
        agentSocket: ownCredentials ? hop.agentSocket : t.agentSocket,
        knownHostsPath: hop.knownHostsPath ?? t.knownHostsPath,
        hostKeySha256: hop.hostKeySha256,
        trustOnFirstUse: hop.trustOnFirstUse,
    };
}
//# sourceMappingURL=connect.js.map