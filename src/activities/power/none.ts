/**
 * `none` power driver, the default: no out-of-band access. A host that hangs stays hung until
 * someone resets it; the workflow reports it as needing attention instead of resetting it.
 */
import { nonePowerSchema } from '../../shared/options/power';
import type { PowerDriver, PowerDriverModule } from './driver-interface';

const kind = 'none';

export const nonePowerDriver: PowerDriver = {
  name: kind,
  powerCycle: async (host) => ({
    performed: false,
    message: `${host}: no power driver configured (driver none); someone must reset it by hand`,
  }),
};

export const nonePower: PowerDriverModule<typeof nonePowerSchema> = {
  kind,
  schema: nonePowerSchema,
  create: () => nonePowerDriver,
};
