"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.installSourceKinds = exports.installSourceSchemas = exports.artifactSourceSchema = exports.debUploadSourceSchema = exports.aptSourceSchema = void 0;
exports.describeInstallSource = describeInstallSource;
/**
 * The kinds of kernel source an install takes, as the operator gives them: one zod schema per
 * kind. The installers themselves are in src/activities/install/ (one module per kind, each
 * taking its `schema` from here, and the registry in installer.ts); a unit test checks that the
 * registry has one installer per kind here, in the same order. This file depends on src/shared
 * only, so the CLI, the client and the schemas parse a source without loading an installer.
 */
const zod_1 = require("zod");
const schema_fields_1 = require("../schema-fields");
exports.aptSourceSchema = zod_1.z
    .object({
    kind: zod_1.z.literal('apt'),
    packageName: schema_fields_1.packageNameSchema.regex(/^linux-/, 'must be a kernel package (linux-image-…)'),
})
    .strict();
exports.debUploadSourceSchema = zod_1.z
    .object({
    kind: zod_1.z.literal('deb'),
    localPath: schema_fields_1.safePathSchema.regex(/\.deb$/, 'must end in .deb'),
    sha256: schema_fields_1.sha256Schema,
})
    .strict();
exports.artifactSourceSchema = zod_1.z
    .object({
    kind: zod_1.z.literal('artifact'),
    host: schema_fields_1.sshTargetSchema,
    path: schema_fields_1.safePathSchema.regex(/\.deb$/, 'must end in .deb'),
    sha256: schema_fields_1.sha256Schema,
})
    .strict()
    .describe('A .deb on an artifact host (a build host), fetched over SSH by the worker that installs');
/** The options of the install-source union (src/shared/schemas.ts), in the registry's order. */
exports.installSourceSchemas = [exports.aptSourceSchema, exports.debUploadSourceSchema, exports.artifactSourceSchema];
exports.installSourceKinds = exports.installSourceSchemas.map((s) => s.shape.kind.value);
/** `apt linux-image-…`, `deb linux-image-….deb`: the source in one line, for summaries. */
function describeInstallSource(source) {
    switch (source.kind) {
        case 'apt':
            return `${source.kind} ${source.packageName}`;
        case 'deb':
            return `${source.kind} ${source.localPath.split('/').pop()}`;
        case 'artifact':
            return `${source.kind} ${source.host.host}:${source.path.split('/').pop()}`;
    }
}
//# sourceMappingURL=install-source.js.map