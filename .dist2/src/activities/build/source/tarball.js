"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.tarballSource = void 0;
const build_source_1 = require("../../../shared/options/build-source");
const shell_1 = require("../../../shared/shell");
const errors_1 = require("../errors");
const unpack_1 = require("./unpack");
const kind = 'tarball';
const schema = build_source_1.tarballSourceSchema;
const describe = (source) => `tarball ${source.path}`;
function create() {
    return {
        async precheck(s, source) {
            const r = await s.exec(`test -f ${(0, shell_1.shellQuote)(source.path)} && test -r ${(0, shell_1.shellQuote)(source.path)}`);
            return r.code === 0 ? undefined : `${source.path} does not exist on the build host (or is not readable there)`;
        },
        async prepare(s, source, root) {
            const r = await s.exec(`sha256sum -- ${(0, shell_1.shellQuote)(source.path)}`, { timeoutMs: 10 * 60_000 });
            const sha = /^([0-9a-f]{64})\s/.exec(r.stdout)?.[1];
            if (r.code !== 0 || !sha)
                throw new errors_1.BuildHostNotReadyError(`${source.path}: not readable on the build host`);
            const tree = await (0, unpack_1.unpackOnce)(s, source.path, root, `tarball-${sha.slice(0, 16)}`);
            return { identity: `tarball sha256:${sha}`, tree };
        },
    };
}
/** The registry's entry. */
exports.tarballSource = { kind, schema, describe, create };
//# sourceMappingURL=tarball.js.map