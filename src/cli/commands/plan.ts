/** `kernelctl plan <host> --to R`: preflight only, what would happen and what would be refused. */
import { WorkflowFailedError } from '@temporalio/client';
import { ActivityFailure } from '@temporalio/common';
import { EXIT, out, withClient } from '../common';
import { parseOrThrow, preflightInputSchema } from '../../shared/schemas';
import type { HostFacts } from '../../shared/types';
import { preflightFailedReason } from '../../workflows/failure';
import { ONE_HOST, type Command, type CommandContext } from './command';
import { TARGET_OPTIONS, buildSource, buildTarget } from './upgrade-input';

export function formatPlan(f: HostFacts, to: string): string {
  const lines = [
    `${f.host}: ${f.distroId} ${f.distroVersion}, running ${f.runningKernel}, boot id ${f.bootId}`,
    `  bootloader ${f.bootloader.label ?? f.bootloader.kind ?? '(none found)'}${f.bootloader.summary.length ? `: ${f.bootloader.summary.join('; ')}` : ''}`,
    `  installed kernels: ${f.installedKernels.join(', ') || '(none found)'}; /boot free ${Math.round(f.bootFreeBytes / 1048576)} MiB; kexec ${f.kexecAvailable ? 'available' : 'missing'}`,
  ];
  if (f.refusals.length) lines.push('REFUSED:', ...f.refusals.map((r) => `  - ${r}`));
  else if (f.runningKernel === to) {
    lines.push(
      `Would: verify ${to}, which already runs (uname -r, boot id, health checks, the stability window), then make it the saved default; no install, no reboot.`,
    );
  } else {
    lines.push(
      `Would: pin ${f.runningKernel} as the saved default, install ${to}, stage a one-shot trial with panic=N and the revert timer, reboot, verify, commit.`,
    );
  }
  if (f.fixes.length) lines.push('Would fix:', ...f.fixes.map((x) => `  - ${x}`));
  if (f.warnings.length) lines.push('Warnings:', ...f.warnings.map((x) => `  - ${x}`));
  return lines.join('\n');
}

async function planCommand({ v, host, json, clientOpts }: CommandContext): Promise<number> {
  const release = (v['to'] as string | undefined) ?? '';
  const input = parseOrThrow(preflightInputSchema, {
    target: await buildTarget(host, v),
    toRelease: release,
    source: await buildSource(release, v),
    useKexec: v['kexec'] === true,
  });
  return withClient(clientOpts, async (c) => {
    let facts: HostFacts;
    try {
      facts = await c.plan(input);
    } catch (err) {
      // Preflight could not read the host (an unknown host key, refused credentials, …):
      // refused, in the very words `upgrade` uses for the same failure.
      if (!(err instanceof WorkflowFailedError && err.cause instanceof ActivityFailure)) throw err;
      const { host: name } = input.target;
      const reason = preflightFailedReason(name, err.cause);
      out(json, { host: name, outcome: 'refused', reason }, `${name}: refused — ${reason}`);
      return EXIT.refused;
    }
    out(json, facts, formatPlan(facts, input.toRelease));
    return facts.refusals.length ? EXIT.refused : EXIT.ok;
  });
}

export const plan: Command = { options: TARGET_OPTIONS, needsHost: ONE_HOST, run: planCommand };
