/**
 * `--deb FILE --artifact-host HOST`: kernelctl puts the operator's .deb on an artifact host every
 * worker can reach over SSH (sha256 checked there), and the run installs it as an `artifact`
 * source, fetched by whichever worker runs the install. The same delivery a build's package
 * takes (src/activities/install/artifact.ts); without `--artifact-host`, `--deb` names a file
 * the worker itself reads.
 */
import * as path from 'node:path';
import type { ParseArgsConfig } from 'node:util';
import { connectTo } from '../activities/ssh/connect';
import { shellQuote } from '../shared/shell';
import { safePathSchema, sshTargetSchema } from '../shared/schema-fields';
import { InvalidInputError, parseOrThrow } from '../shared/schemas';
import type { z } from 'zod';
import { parseHostSpec, type Values } from './common';

export const ARTIFACT_OPTIONS = {
  'artifact-host': { type: 'string' },
  'artifact-dir': { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

export const DEFAULT_ARTIFACT_DIR = '/var/cache/kernel-rollout/artifacts';

/** The artifact host and directory from the flags, checked; undefined without --artifact-host. */
type SshTarget = z.output<typeof sshTargetSchema>;

export function artifactStoreFromFlags(v: Values): { host: SshTarget; dir: string } | undefined {
  const spec = v['artifact-host'] as string | undefined;
  if (spec === undefined) {
    if (v['artifact-dir'] !== undefined) throw new InvalidInputError('--artifact-dir: only with --artifact-host');
    return undefined;
  }
  if (!v['deb'])
    throw new InvalidInputError('--artifact-host: only with --deb FILE (a build is on its build host already)');
  const host = parseOrThrow(
    sshTargetSchema,
    {
      ...parseHostSpec('--artifact-host', spec),
      ...(v['identity'] ? { privateKeyPath: path.resolve(v['identity'] as string) } : {}),
      ...(v['agent'] ? { agentSocket: v['agent'] } : {}),
      ...(v['known-hosts'] ? { knownHostsPath: path.resolve(v['known-hosts'] as string) } : {}),
    },
    '--artifact-host',
  );
  const dir = parseOrThrow(
    safePathSchema,
    (v['artifact-dir'] as string | undefined) ?? DEFAULT_ARTIFACT_DIR,
    '--artifact-dir',
  );
  return { host, dir };
}

/**
 * Uploads the (already checked) .deb to `<dir>/<sha256>/<name>` on the artifact host, unless it is
 * there already, and returns the artifact source that names it.
 */
export async function publishDeb(
  source: { localPath: string; sha256: string },
  store: { host: SshTarget; dir: string },
): Promise<{ kind: 'artifact'; host: SshTarget; path: string; sha256: string }> {
  const remote = `${store.dir}/${source.sha256}/${path.basename(source.localPath)}`;
  const s = await connectTo(store.host);
  try {
    await s.run(`mkdir -p ${shellQuote(`${store.dir}/${source.sha256}`)}`, { sudo: true });
    await s.upload(source.localPath, remote, { expectedSha256: source.sha256, sudo: true });
  } finally {
    s.close();
  }
  return { kind: 'artifact', host: store.host, path: remote, sha256: source.sha256 };
}
