/** `kernelctl approve <host>`: release a reboot staged with --approve-before-reboot. */
import { EXIT, out, withClient } from '../common';
import { ONE_HOST, type Command } from './command';

export const approve: Command = {
  options: { by: { type: 'string' }, comment: { type: 'string' } },
  needsHost: ONE_HOST,
  run: ({ host, json, clientOpts, by, comment }) =>
    withClient(clientOpts, async (c) => {
      const reply = await c.approve(host, { by, ...(comment ? { comment } : {}) });
      out(json, { reply }, reply);
      return EXIT.ok;
    }),
};
