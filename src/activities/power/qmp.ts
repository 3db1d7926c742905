/**
 * `qmp` power driver: resets a qemu/libvirt guest through its QMP socket (the QEMU Machine
 * Protocol: JSON lines over a Unix socket; greeting, `qmp_capabilities`, then commands).
 * `reset` is a hard reset (`system_reset`); `power-cycle` stops the CPUs, resets and resumes,
 * which is as close as qemu gets to pulling the plug without ending the process.
 */
import { createConnection } from 'node:net';
import type { PowerDriver } from './driver';

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
      reject(new Error(`QMP ${socketPath}: ${err.message}`));
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
    name: 'qmp',
    powerCycle: async (host) => {
      const commands = action === 'reset' ? ['system_reset'] : ['stop', 'system_reset', 'cont'];
      await qmpExecute(socketPath, commands);
      return { performed: true, message: `${host}: ${commands.join(' + ')} sent through QMP ${socketPath}` };
    },
  };
}
