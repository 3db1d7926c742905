/** The preflight activity: read-only; the host's facts, which bootloader drives it, refusals, fixes. */
import type { HostFacts, PreflightRequest } from '../shared/types';
import { installSourceSchema, kernelReleaseSchema, parseOrThrow } from '../shared/schemas';
import { sudo } from './host';
import { assessFacts, factsScript, parseFacts } from './host-facts';
import { installerFor } from './install/installer';
import { splitSections } from './sections';
import type { WithHost } from './session';

export async function preflight(withHost: WithHost, req: PreflightRequest): Promise<HostFacts> {
  const toRelease = parseOrThrow(kernelReleaseSchema, req.toRelease, 'toRelease');
  const source = parseOrThrow(installSourceSchema, req.source, 'source');
  const { packageManager } = installerFor(source);
  return withHost(req.target, async (s) => {
    const out = await s.exec(factsScript(packageManager), { ...sudo, timeoutMs: 60_000 });
    const base = parseFacts(req.target.host, splitSections(out.stdout), packageManager);
    return assessFacts(base, { toRelease, source, useKexec: req.useKexec }, packageManager);
  });
}
