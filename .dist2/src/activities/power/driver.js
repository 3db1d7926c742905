"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.powerDrivers = void 0;
exports.createPowerDriver = createPowerDriver;
const registry_1 = require("../../shared/registry");
const command_1 = require("./command");
const none_1 = require("./none");
const qmp_1 = require("./qmp");
/** The registry: one line per driver. */
exports.powerDrivers = (0, registry_1.defineRegistry)([none_1.nonePower, command_1.commandPower, qmp_1.qmpPower]);
function createPowerDriver(config) {
    // Chosen by the configuration's own driver (the registry's kinds are unique), so it takes it.
    const driver = exports.powerDrivers.find(config.driver);
    if (!driver) {
        throw new Error(`power.driver: unknown driver ${JSON.stringify(config.driver)}; known: ${exports.powerDrivers.kinds.join(', ')}`);
    }
    return driver.create(config);
}
//# sourceMappingURL=driver.js.map