/** The preflight activity: read-only; the host's facts, which bootloader drives it, refusals, fixes. */
import type { HostFacts, InstallSource, PreflightRequest } from '../../shared/types';
import { shellQuote } from '../../shared/shell';
import { inspectDeb } from '../../node/deb-archive';
import { installSourceSchema, kernelReleaseSchema, parseOrThrow } from '../../shared/schemas';
import { sudo } from '../host';
import { assessFacts, factsScript, parseFacts } from './host-facts';
import { installerFor } from '../install/installer';
import { splitSections } from '../sections';
import type { WithHost } from '../session';

export async function preflight(withHost: WithHost, req: PreflightRequest): Promise<HostFacts> {
  const toRelease = parseOrThrow(kernelReleaseSchema, req.toRelease, 'toRelease');
  const source = parseOrThrow(installSourceSchema, req.source, 'source');
  const { packageManager } = installerFor(source);
  const packageArchitecture = await architectureOf(withHost, source);
  return withHost(req.target, async (s) => {
    const out = await s.exec(factsScript(packageManager), { ...sudo, timeoutMs: 60_000 });
    const base = parseFacts(req.target.host, splitSections(out.stdout), packageManager);
    return assessFacts(
      base,
      { toRelease, source, useKexec: req.useKexec, ...(packageArchitecture ? { packageArchitecture } : {}) },
      packageManager,
    );
  });
}

/**
 * The Architecture of a package file the install would use (an artifact on its host, read there
 * with dpkg-deb; a .deb on this worker), so a 32-bit build is refused before the host is touched.
 * Undefined for apt (apt picks the host's architecture) or when it cannot be read.
 */
async function architectureOf(withHost: WithHost, source: InstallSource): Promise<string | undefined> {
  if (source.kind === 'artifact') {
    const r = await withHost(source.host, (a) => a.exec(`dpkg-deb -f ${shellQuote(source.path)} Architecture`));
    return r.code === 0 && r.stdout.trim() ? r.stdout.trim() : undefined;
  }
  if (source.kind === 'deb') {
    const arch = (await inspectDeb(source.localPath).catch(() => undefined))?.architecture;
    return arch && !arch.startsWith('(') ? arch : undefined;
  }
  return undefined;
}
