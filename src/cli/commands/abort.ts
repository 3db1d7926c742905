/** `kernelctl abort <host> --reason TEXT`: stop (undo staging before the reboot, roll back after it). */
import { EXIT, out, withClient } from '../common';
import { InvalidInputError } from '../../shared/schemas';
import { ONE_HOST, type Command } from './command';

export const abort: Command = {
  options: { by: { type: 'string' }, reason: { type: 'string' } },
  needsHost: ONE_HOST,
  run: async ({ host, json, clientOpts, by, reason }) => {
    if (!reason) throw new InvalidInputError('--reason: say why (it goes into the timeline)');
    return withClient(clientOpts, async (c) => {
      const reply = await c.abort(host, { by, reason });
      out(json, { reply }, reply);
      return EXIT.ok;
    });
  },
};
