"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.parseResult = parseResult;
exports.readResult = readResult;
/** Reads a finished build's result.json (written by the build script) into BuildArtifacts. */
const zod_1 = require("zod");
const shell_1 = require("../../shared/shell");
const schema_fields_1 = require("../../shared/schema-fields");
const resultFileSchema = zod_1.z.object({
    deb: schema_fields_1.safePathSchema,
    sha256: schema_fields_1.sha256Schema,
    bytes: zod_1.z.number().int().positive(),
    buildSeconds: zod_1.z.number().int().nonnegative(),
    launches: zod_1.z.number().int().positive(),
});
function parseResult(text, dir, key, release) {
    const r = resultFileSchema.parse(JSON.parse(text));
    return {
        key,
        release,
        deb: { path: r.deb, sha256: r.sha256, bytes: r.bytes },
        configPath: `${dir}/config`,
        logPath: `${dir}/build.log`,
        buildSeconds: r.buildSeconds,
        launches: r.launches,
    };
}
async function readResult(b, dir, key, release) {
    const r = await b.exec(`cat ${(0, shell_1.shellQuote)(`${dir}/result.json`)} 2>/dev/null`);
    if (r.code !== 0 || !r.stdout.trim())
        return undefined;
    return parseResult(r.stdout, dir, key, release);
}
//# sourceMappingURL=result.js.map