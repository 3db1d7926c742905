"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.debianSource = void 0;
const build_source_1 = require("../../../shared/options/build-source");
const shell_1 = require("../../../shared/shell");
const errors_1 = require("../errors");
const unpack_1 = require("./unpack");
const kind = 'debian-source';
const schema = build_source_1.debianSourceSchema;
const describe = (source) => `linux-source-${source.version}`;
/** The installed package's version, or why there is none. */
async function installed(s, version) {
    const pkg = `linux-source-${version}`;
    const tarball = `/usr/src/${pkg}.tar.xz`;
    const r = await s.exec(`dpkg-query -W -f '\${Status} \${Version}\\n' ${(0, shell_1.shellQuote)(pkg)} 2>/dev/null; test -f ${(0, shell_1.shellQuote)(tarball)}`);
    const m = /^install ok installed (\S+)$/m.exec(r.stdout);
    if (r.code === 0 && m)
        return { version: m[1] };
    const known = await s.exec(`apt-cache show --no-all-versions ${(0, shell_1.shellQuote)(pkg)} >/dev/null 2>&1`);
    return {
        why: known.code === 0
            ? `${pkg} is not installed on the build host (no ${tarball}); install it there: apt-get install ${pkg}`
            : `${pkg} is not installed on the build host, and its package sources have no such package ` +
                `(apt-cache search --names-only '^linux-source-' lists the versions there are)`,
    };
}
function create() {
    return {
        async precheck(s, source) {
            const r = await installed(s, source.version);
            return 'why' in r ? r.why : undefined;
        },
        async prepare(s, source, root) {
            const pkg = `linux-source-${source.version}`;
            const tarball = `/usr/src/${pkg}.tar.xz`;
            const r = await installed(s, source.version);
            if ('why' in r)
                throw new errors_1.BuildHostNotReadyError(r.why);
            const version = r.version;
            const tree = await (0, unpack_1.unpackOnce)(s, tarball, root, `${pkg}_${version.replace(/[^A-Za-z0-9.+-]/g, '_')}`);
            return { identity: `${pkg}=${version}`, tree };
        },
    };
}
/** The registry's entry. */
exports.debianSource = { kind, schema, describe, create };
//# sourceMappingURL=debian-source.js.map