"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.buildSourceKinds = exports.buildSourceSchemas = exports.treeSourceSchema = exports.tarballSourceSchema = exports.debianSourceSchema = void 0;
/**
 * Where a kernel build's source is: one zod schema per kind. The sources themselves are in
 * src/activities/build/source/ (one module per kind, each taking its `schema` from here, and the
 * registry in source.ts); a unit test checks that the registry has one module per schema here, in
 * the same order. This file depends on src/shared only.
 */
const zod_1 = require("zod");
const schema_fields_1 = require("../schema-fields");
exports.debianSourceSchema = zod_1.z
    .object({
    kind: zod_1.z.literal('debian-source'),
    version: zod_1.z.string().regex(/^[0-9]{1,2}\.[0-9]{1,3}$/, 'must be a kernel series like 6.1 (linux-source-6.1)'),
})
    .strict()
    .describe("Debian's linux-source-<version> package on the build host");
exports.tarballSourceSchema = zod_1.z
    .object({
    kind: zod_1.z.literal('tarball'),
    path: schema_fields_1.safePathSchema.regex(/\.tar(\.(xz|gz|bz2|zst))?$/, 'must be a .tar, .tar.xz, .tar.gz, .tar.bz2 or .tar.zst'),
})
    .strict()
    .describe('A kernel tarball on the build host');
exports.treeSourceSchema = zod_1.z
    .object({ kind: zod_1.z.literal('tree'), path: schema_fields_1.safePathSchema })
    .strict()
    .describe('An unpacked kernel tree on the build host');
/** The options of the build's source union (src/shared/build-schemas.ts), in the registry's order. */
exports.buildSourceSchemas = [
    exports.debianSourceSchema,
    exports.tarballSourceSchema,
    exports.treeSourceSchema,
];
exports.buildSourceKinds = exports.buildSourceSchemas.map((s) => s.shape.kind.value);
//# sourceMappingURL=build-source.js.map