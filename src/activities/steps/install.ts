/** The installKernel activity: the source's installer, skipped when that artifact is installed already. */
import { ApplicationFailure } from '@temporalio/activity';
import type { InstallRequest, InstallResult } from '../../shared/types';
import { installSourceSchema, kernelReleaseSchema, parseOrThrow } from '../../shared/schemas';
import { installerFor } from '../install/installer';
import { packageManagerFor } from '../install/package-manager';
import type { WithHost } from '../session';

export async function installKernel(withHost: WithHost, req: InstallRequest): Promise<InstallResult> {
  const toRelease = parseOrThrow(kernelReleaseSchema, req.toRelease, 'toRelease');
  const source = parseOrThrow(installSourceSchema, req.source, 'source');
  // The package manager preflight used, named by the request: never a default.
  const packageManager = packageManagerFor(req.packageManager);
  const installer = installerFor(source, packageManager);
  const started = Date.now();
  return withHost(req.target, async (s) => {
    const pkg = installer.packageName(source, toRelease);
    const state = await packageManager.probe(s, toRelease);
    if (state.installed && installer.isInstalledFrom(source, state.recorded)) {
      return { alreadyInstalled: true, packageName: pkg, seconds: 0 };
    }
    const result = await installer.install(s, source, toRelease);
    if (result.code !== 0) {
      throw new Error(
        `${req.target.host}: install of ${pkg} failed (exit ${result.code}): ${result.stderr.slice(-1500)}`,
      );
    }
    const missing = await packageManager.recordInstalled(s, toRelease, installer.recordOf(source));
    if (missing) {
      throw ApplicationFailure.nonRetryable(
        `${req.target.host}: ${pkg} installed, but ${missing} is missing; does the package provide kernel ${toRelease}?`,
        'InvalidInputError',
      );
    }
    return { alreadyInstalled: false, packageName: pkg, seconds: Math.round((Date.now() - started) / 1000) };
  });
}
