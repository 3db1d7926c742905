/**
 * `qmp` power driver: resets a qemu/libvirt guest through its QMP socket (the QEMU Machine
 * Protocol: JSON lines over a Unix socket; greeting, `qmp_capabilities`, then commands).
 * `reset` is a hard reset (`system_reset`); `power-cycle` stops the CPUs, resets and resumes,
 * which is as close as qemu gets to pulling the plug without ending the process.
 */
import { createConnection } from 'node:net';
import { z } from 'zod';
import { safePathSchema } from '../../shared/schema-fields';
import type { PowerDriver, PowerDriverModule } from './driver';

const kind = 'qmp';

export const qmpPowerSchema = z
  .object({
    driver: z.literal(kind),
    socketPath: safePathSchema.describe("The guest's QMP Unix socket on the worker (qemu -qmp unix:PATH,server=on)"),
    action: z
      .enum(['reset', 'power-cycle'])
      .default('reset')
      .describe('reset: system_reset; power-cycle: stop, system_reset, cont'),
  })
  .strict()
  .describe('Resets a qemu/libvirt guest through its QMP socket');

interface QmpReply {
  return?: unknown;
  error?: { class: string; desc: string };
  QMP?: unknown;
  event?: string;
}

/** Sends commands in order, one after the other's reply; resolves with the replies. */
export function qmpExecute(socketPath: string, commands: string[], timeoutMs = 10_000): Promise<QmpReply[]> {
  return new Promise((resolve, reject) => {
    const sock = createConnection(socketPath);
    const replies: QmpReply[] = [];
    const queue = ['qmp_capabilities', ...commands];
    let greeted = false;
    let buffer = '';
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error(`QMP ${socketPath}: no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    const sendNext = () => {
      const next = queue.shift();
      if (next === undefined) {
        clearTimeout(timer);
        sock.end();
        resolve(replies.slice(1));
        return;
      }
      sock.write(`${JSON.stringify({ execute: next })}\n`);
    };
    sock.on('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`QMP ${socketPath}: ${err.message}`, { cause: err }));
    });
    sock.on('data', (chunk) => {
      buffer += chunk.toString();
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl).trim();
        buffer = buffer.slice(nl + 1);
        if (!line) continue;
        const msg = JSON.parse(line) as QmpReply;
        if (msg.event) continue;
        if (!greeted) {
          if (!msg.QMP) continue;
          greeted = true;
          sendNext();
          continue;
        }
        if (msg.error) {
          clearTimeout(timer);
          sock.destroy();
          reject(new Error(`QMP ${socketPath}: ${msg.error.class}: ${msg.error.desc}`));
          return;
        }
        replies.push(msg);
        sendNext();
      }
    });
  });
}

export function qmpPowerDriver(socketPath: string, action: 'reset' | 'power-cycle'): PowerDriver {
  return {
    name: kind,
    powerCycle: async (host) => {
      const commands = action === 'reset' ? ['system_reset'] : ['stop', 'system_reset', 'cont'];
      try {
        await qmpExecute(socketPath, commands);
      } catch (err) {
        throw new Error(`${host}: power ${action} through QMP failed: ${(err as Error).message}${hintFor(err)}`);
      }
      return { performed: true, message: `${host}: ${commands.join(' + ')} sent through QMP ${socketPath}` };
    },
  };
}

/** What an operator should check when the socket cannot be reached. */
function hintFor(err: unknown): string {
  const code = ((err as Error).cause as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') {
    return '; there is no such socket: is the VM running, and is power.socketPath the path of its -qmp unix: option?';
  }
  if (code === 'ECONNREFUSED') return '; nothing listens on the socket: the VM has probably exited';
  return '';
}

export const qmpPower: PowerDriverModule<typeof kind, typeof qmpPowerSchema> = {
  kind,
  schema: qmpPowerSchema,
  create: (config) => qmpPowerDriver(config.socketPath, config.action),
};
