"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.hashFile = hashFile;
exports.sha256File = sha256File;
const node_crypto_1 = require("node:crypto");
const node_fs_1 = require("node:fs");
/** Hex SHA-256 and size of a file, streamed (kernel packages are tens of MiB). */
async function hashFile(path) {
    const hash = (0, node_crypto_1.createHash)('sha256');
    let bytes = 0;
    for await (const chunk of (0, node_fs_1.createReadStream)(path)) {
        const buf = chunk;
        hash.update(buf);
        bytes += buf.length;
    }
    return { sha256: hash.digest('hex'), bytes };
}
/** Hex SHA-256 of a file, streamed. */
async function sha256File(path) {
    return (await hashFile(path)).sha256;
}
//# sourceMappingURL=sha256-file.js.map