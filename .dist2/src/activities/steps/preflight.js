"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.preflight = preflight;
const shell_1 = require("../../shared/shell");
const deb_archive_1 = require("../../node/deb-archive");
const schemas_1 = require("../../shared/schemas");
const host_1 = require("../host");
const host_facts_1 = require("./host-facts");
const installer_1 = require("../install/installer");
const sections_1 = require("../sections");
async function preflight(withHost, req) {
    const toRelease = (0, schemas_1.parseOrThrow)(schemas_1.kernelReleaseSchema, req.toRelease, 'toRelease');
    const source = (0, schemas_1.parseOrThrow)(schemas_1.installSourceSchema, req.source, 'source');
    const { packageManager } = (0, installer_1.installerFor)(source);
    const packageArchitecture = await architectureOf(withHost, source);
    return withHost(req.target, async (s) => {
        const out = await s.exec((0, host_facts_1.factsScript)(packageManager), { ...host_1.sudo, timeoutMs: 60_000 });
        const base = (0, host_facts_1.parseFacts)(req.target.host, (0, sections_1.splitSections)(out.stdout), packageManager);
        return (0, host_facts_1.assessFacts)(base, { toRelease, source, useKexec: req.useKexec, ...(packageArchitecture ? { packageArchitecture } : {}) }, packageManager);
    });
}
/**
 * The Architecture of a package file the install would use (an artifact on its host, read there
 * with dpkg-deb; a .deb on this worker), so a 32-bit build is refused before the host is touched.
 * Undefined for apt (apt picks the host's architecture) or when it cannot be read.
 */
async function architectureOf(withHost, source) {
    if (source.kind === 'artifact') {
        const r = await withHost(source.host, (a) => a.exec(`dpkg-deb -f ${(0, shell_1.shellQuote)(source.path)} Architecture`));
        return r.code === 0 && r.stdout.trim() ? r.stdout.trim() : undefined;
    }
    if (source.kind === 'deb') {
        const arch = (await (0, deb_archive_1.inspectDeb)(source.localPath).catch(() => undefined))?.architecture;
        return arch && !arch.startsWith('(') ? arch : undefined;
    }
    return undefined;
}
//# sourceMappingURL=preflight.js.map