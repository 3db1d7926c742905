/**
 * Where a kernel build's source is: one zod schema per kind. The sources themselves are in
 * src/activities/build/source/ (one module per kind, each taking its `schema` from here, and the
 * registry in source.ts); a unit test checks that the registry has one module per schema here, in
 * the same order. This file depends on src/shared only.
 */
import { z } from 'zod';
import { safePathSchema } from '../schema-fields';

export const debianSourceSchema = z
  .object({
    kind: z.literal('debian-source'),
    version: z.string().regex(/^[0-9]{1,2}\.[0-9]{1,3}$/, 'must be a kernel series like 6.1 (linux-source-6.1)'),
  })
  .strict()
  .describe("Debian's linux-source-<version> package on the build host");

export const tarballSourceSchema = z
  .object({
    kind: z.literal('tarball'),
    path: safePathSchema.regex(/\.tar(\.(xz|gz|bz2|zst))?$/, 'must be a .tar, .tar.xz, .tar.gz, .tar.bz2 or .tar.zst'),
  })
  .strict()
  .describe('A kernel tarball on the build host');

export const treeSourceSchema = z
  .object({ kind: z.literal('tree'), path: safePathSchema })
  .strict()
  .describe('An unpacked kernel tree on the build host');

/** The options of the build's source union (src/shared/build-schemas.ts), in the registry's order. */
export const buildSourceSchemas: [typeof debianSourceSchema, typeof tarballSourceSchema, typeof treeSourceSchema] = [
  debianSourceSchema,
  tarballSourceSchema,
  treeSourceSchema,
];

export const buildSourceKinds: readonly string[] = buildSourceSchemas.map((s) => s.shape.kind.value);

export type BuildSource = z.infer<(typeof buildSourceSchemas)[number]>;
