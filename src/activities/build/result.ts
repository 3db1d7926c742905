/** Reads a finished build's result.json (written by the build script) into BuildArtifacts. */
import { z } from 'zod';
import { shellQuote } from '../../shared/shell';
import { safePathSchema, sha256Schema } from '../../shared/schema-fields';
import type { BuildArtifacts } from '../../shared/build-types';
import type { HostSession } from '../host';

const resultFileSchema = z.object({
  deb: safePathSchema,
  sha256: sha256Schema,
  bytes: z.number().int().positive(),
  buildSeconds: z.number().int().nonnegative(),
  launches: z.number().int().positive(),
});

export function parseResult(text: string, dir: string, key: string, release: string): BuildArtifacts {
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

export async function readResult(
  b: HostSession,
  dir: string,
  key: string,
  release: string,
): Promise<BuildArtifacts | undefined> {
  const r = await b.exec(`cat ${shellQuote(`${dir}/result.json`)} 2>/dev/null`);
  if (r.code !== 0 || !r.stdout.trim()) return undefined;
  return parseResult(r.stdout, dir, key, release);
}
