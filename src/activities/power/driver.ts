/**
 * Out-of-band power: the last resort for a host that neither panics nor answers (docs/safety.md, defence in depth).
 * One small interface, one file per driver, a constructor that validates and picks (kured's shape).
 */
import type { PowerConfig, PowerResult } from '../../shared/types';
import { commandPowerDriver } from './command';
import { qmpPowerDriver } from './qmp';

export interface PowerDriver {
  readonly name: PowerConfig['driver'];
  /** Reset the machine. Resolves with what happened; rejects only when the driver itself failed. */
  powerCycle(host: string): Promise<PowerResult>;
}

export const nonePowerDriver: PowerDriver = {
  name: 'none',
  powerCycle: async (host) => ({
    performed: false,
    message: `${host}: no power driver configured (driver none); someone must reset it by hand`,
  }),
};

export function createPowerDriver(config: PowerConfig): PowerDriver {
  switch (config.driver) {
    case 'none':
      return nonePowerDriver;
    case 'command':
      return commandPowerDriver(config.argv, config.timeoutSeconds);
    case 'qmp':
      return qmpPowerDriver(config.socketPath, config.action);
    default: {
      const never: never = config;
      throw new Error(`power.driver: unknown driver ${JSON.stringify((never as { driver: string }).driver)}`);
    }
  }
}
