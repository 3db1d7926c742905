"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.nonePower = exports.nonePowerDriver = void 0;
/**
 * `none` power driver, the default: no out-of-band access. A host that hangs stays hung until
 * someone resets it; the workflow reports it as needing attention instead of resetting it.
 */
const power_1 = require("../../shared/options/power");
const kind = 'none';
exports.nonePowerDriver = {
    name: kind,
    powerCycle: async (host) => ({
        performed: false,
        message: `${host}: no power driver configured (driver none); someone must reset it by hand`,
    }),
};
exports.nonePower = {
    kind,
    schema: power_1.nonePowerSchema,
    create: () => exports.nonePowerDriver,
};
//# sourceMappingURL=none.js.map