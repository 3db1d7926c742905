/** `kernelctl watch <host>` (the timeline as it grows) or `kernelctl watch --rollout ID`. */
import { withClient } from '../common';
import { watch as watchHost, type Command, type CommandContext } from './command';

async function watchCommand({ v, host, json, clientOpts }: CommandContext): Promise<number> {
  if (v['rollout'] === undefined) return withClient(clientOpts, (c) => watchHost(c, host, json));
  const { watchRollout } = await import('../rollout');
  return withClient(clientOpts, (c) =>
    watchRollout(c.client, v['rollout'] as string, {
      tty: process.stdout.isTTY === true,
      json,
      write: (x) => process.stdout.write(x),
    }),
  );
}

export const watch: Command = {
  options: { rollout: { type: 'string' } },
  needsHost: (v) => v['rollout'] === undefined,
  run: watchCommand,
};
