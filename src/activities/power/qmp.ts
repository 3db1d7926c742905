/**
 * `qmp` power driver: resets a qemu/libvirt guest through its QMP socket (the QEMU Machine
 * Protocol: JSON lines over a Unix socket; greeting, `qmp_capabilities`, then commands).
 * `reset` is a hard reset (`system_reset`); `power-cycle` stops the CPUs, resets and resumes,
 * which is as close as qemu gets to pulling the plug without ending the process.
 */
import { qmpPowerSchema } from '../../shared/options/power';
import { qmpExecute } from '../../node/qmp-client';
import type { PowerDriver, PowerDriverModule } from './driver-interface';

export { qmpExecute };

const kind = 'qmp';

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
