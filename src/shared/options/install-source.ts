/**
 * The kinds of kernel source an install takes, as the operator gives them: one zod schema per
 * kind. The installers themselves are in src/activities/install/ (one module per kind, each
 * taking its `schema` from here, and the registry in installer.ts); a unit test checks that the
 * registry has one installer per kind here, in the same order. This file depends on src/shared
 * only, so the CLI, the client and the schemas parse a source without loading an installer.
 */
import { z } from 'zod';
import { packageNameSchema, safePathSchema, sha256Schema, sshTargetSchema } from '../schema-fields';

export const aptSourceSchema = z
  .object({
    kind: z.literal('apt'),
    packageName: packageNameSchema.regex(/^linux-/, 'must be a kernel package (linux-image-…)'),
  })
  .strict();

export const debUploadSourceSchema = z
  .object({
    kind: z.literal('deb'),
    localPath: safePathSchema.regex(/\.deb$/, 'must end in .deb'),
    sha256: sha256Schema,
  })
  .strict();

export const artifactSourceSchema = z
  .object({
    kind: z.literal('artifact'),
    host: sshTargetSchema,
    path: safePathSchema.regex(/\.deb$/, 'must end in .deb'),
    sha256: sha256Schema,
  })
  .strict()
  .describe('A .deb on an artifact host (a build host), fetched over SSH by the worker that installs');

/** The options of the install-source union (src/shared/schemas.ts), in the registry's order. */
export const installSourceSchemas: [typeof aptSourceSchema, typeof debUploadSourceSchema, typeof artifactSourceSchema] =
  [aptSourceSchema, debUploadSourceSchema, artifactSourceSchema];

export const installSourceKinds: readonly string[] = installSourceSchemas.map((s) => s.shape.kind.value);

export type AptSource = z.infer<typeof aptSourceSchema>;
export type DebUploadSource = z.infer<typeof debUploadSourceSchema>;
export type ArtifactSource = z.infer<typeof artifactSourceSchema>;
export type InstallSource = z.infer<(typeof installSourceSchemas)[number]>;

/** `apt linux-image-…`, `deb linux-image-….deb`: the source in one line, for summaries. */
export function describeInstallSource(source: InstallSource): string {
  switch (source.kind) {
    case 'apt':
      return `${source.kind} ${source.packageName}`;
    case 'deb':
      return `${source.kind} ${source.localPath.split('/').pop()}`;
    case 'artifact':
      return `${source.kind} ${source.host.host}:${source.path.split('/').pop()}`;
  }
}
