/**
 * Out-of-band power: the last resort for a host that neither panics nor answers
 * (docs/safety.md, defence in depth). One small
 * interface, one file per driver, and the registry below (src/shared/registry.ts). A driver module
 * exports one `PowerDriverModule`: its kind (the `driver` value of the configuration), its zod
 * schema and its constructor. The schemas are in src/shared/options/power.ts (so the CLI and the
 * client parse a configuration without loading a driver); the configuration schema
 * (`powerConfigSchema`), the `PowerConfig` type and the README table are built from the list
 * there, `createPowerDriver` from `powerDrivers` here. A new driver is its schema there, its file
 * and test here and one line below (test/unit/driver-options.test.ts checks that the lists agree,
 * test/unit/registries.test.ts that the registry keeps the one idiom).
 */
import type { PowerConfig } from '../../shared/options/power';
import { defineRegistry } from '../../shared/registry';
import { commandPower } from './command';
import { nonePower } from './none';
import { qmpPower } from './qmp';
import type { PowerDriver, PowerDriverModule } from './driver-interface';

export type { PowerDriver, PowerDriverModule };

/** The registry: one line per driver. */
export const powerDrivers = defineRegistry([nonePower, commandPower, qmpPower]);

export type { PowerConfig };

export function createPowerDriver(config: PowerConfig): PowerDriver {
  // Chosen by the configuration's own driver (the registry's kinds are unique), so it takes it.
  const driver: PowerDriverModule | undefined = powerDrivers.find(config.driver);
  if (!driver) {
    throw new Error(
      `power.driver: unknown driver ${JSON.stringify(config.driver)}; known: ${powerDrivers.kinds.join(', ')}`,
    );
  }
  return driver.create(config);
}
