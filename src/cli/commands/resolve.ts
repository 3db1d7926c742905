/** `kernelctl resolve <host> --retry|--mark-fixed|--give-up`: decide for a run in needs-attention. */
import { EXIT, out, withClient } from '../common';
import { InvalidInputError } from '../../shared/schemas';
import { ONE_HOST, type Command, type CommandContext } from './command';

async function resolveCommand({ v, host, json, clientOpts, by, comment }: CommandContext): Promise<number> {
  const chosen = (['retry', 'mark-fixed', 'give-up'] as const).filter((a) => v[a] === true);
  if (chosen.length !== 1) throw new InvalidInputError('action: give exactly one of --retry, --mark-fixed, --give-up');
  return withClient(clientOpts, async (c) => {
    const reply = await c.resolve(host, { by, action: chosen[0] as 'retry', ...(comment ? { comment } : {}) });
    out(json, { reply }, reply);
    return EXIT.ok;
  });
}

export const resolve: Command = {
  options: {
    by: { type: 'string' },
    comment: { type: 'string' },
    retry: { type: 'boolean' },
    'mark-fixed': { type: 'boolean' },
    'give-up': { type: 'boolean' },
  },
  needsHost: ONE_HOST,
  run: resolveCommand,
};
