/** `kernelctl upgrade <host> --to R`: start one host's upgrade (and, with --wait, watch it to the end). */
import { artifactStoreFromFlags, publishDeb } from '../artifact';
import { EXIT, out, withClient } from '../common';
import { parseOrThrow, upgradeHostInputSchema } from '../../shared/schemas';
import { ONE_HOST, watch, type Command, type CommandContext } from './command';
import { UPGRADE_OPTIONS, builtFor, upgradeInputFromFlags } from './upgrade-input';

async function upgradeCommand({ v, host, json, clientOpts }: CommandContext): Promise<number> {
  const built = await builtFor(v, clientOpts);
  const store = artifactStoreFromFlags(v);
  let input = parseOrThrow(upgradeHostInputSchema, await upgradeInputFromFlags(host, v, built));
  // Published only once everything else was checked: bad input uploads nothing.
  if (store && input.source.kind === 'deb') input = { ...input, source: await publishDeb(input.source, store) };
  return withClient(clientOpts, async (c) => {
    const handle = await c.startUpgrade(input);
    process.stderr.write(`started ${handle.workflowId} (kernelctl watch ${input.target.host})\n`);
    if (!v['wait']) {
      out(json, { workflowId: handle.workflowId, runId: handle.firstExecutionRunId }, handle.workflowId);
      return EXIT.ok;
    }
    const code = await watch(c, input.target.host, json);
    const r = await handle.result();
    out(json, r, `${r.host}: ${r.outcome} — ${r.reason}`);
    return code;
  });
}

export const upgrade: Command = { options: UPGRADE_OPTIONS, needsHost: ONE_HOST, run: upgradeCommand };
