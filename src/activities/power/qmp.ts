/**
 * `qmp` power driver: resets a qemu/libvirt guest through its QMP socket (the QEMU Machine
 * Protocol: JSON lines over a Unix socket; greeting, `qmp_capabilities`, then commands).
 * `reset` is a hard reset (`system_reset`); `power-cycle` stops the CPUs, resets and resumes,
 * which is as close as qemu gets to pulling the plug without ending the process.
 */
import { qmpExecute } from '../../node/qmp-client';
import type { PowerDriver } from './driver';

export { qmpExecute };

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
