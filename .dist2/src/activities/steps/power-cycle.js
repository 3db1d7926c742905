"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.powerCycle = powerCycle;
/** The powerCycle activity: one reset through the host's out-of-band power driver. */
const activity_1 = require("@temporalio/activity");
const schemas_1 = require("../../shared/schemas");
const driver_1 = require("../power/driver");
const session_1 = require("../session");
/** Tries of the power driver within one powerCycle activity, and the pause before the next (× try). */
const POWER_TRIES = 3;
const POWER_RETRY_MS = 5000;
/**
 * At most one reset per activity: a power cycle cannot be read back (the host is hung either
 * way), so Temporal must not retry it blindly — a retry after a lost worker would reset a host
 * already booting its known-good kernel. The driver is retried here instead, where a failure
 * is known to be a failure; then the activity fails for good (an operator decides).
 */
async function powerCycle(req) {
    const config = (0, schemas_1.parseOrThrow)(schemas_1.powerConfigSchema, req.power, 'power');
    const ctx = activity_1.Context.current();
    if (ctx.info.attempt > 1) {
        // Only a lost attempt (worker gone, timed out) is retried: it may have reset the host.
        return {
            performed: true,
            message: `${req.host}: an earlier attempt of this power cycle ended without reporting back and may have reset the host; not resetting it twice`,
        };
    }
    const final = (err) => {
        const e = (0, session_1.asFailure)(err);
        return activity_1.ApplicationFailure.create({
            message: e.message,
            type: e.type ?? undefined,
            nonRetryable: true,
            cause: e,
        });
    };
    let driver;
    try {
        driver = (0, driver_1.createPowerDriver)(config);
    }
    catch (err) {
        throw final(err);
    }
    for (let tries = 1;; tries++) {
        try {
            return await driver.powerCycle(req.host);
        }
        catch (err) {
            if (tries >= POWER_TRIES)
                throw final(err);
            await ctx.sleep(POWER_RETRY_MS * tries);
        }
    }
}
//# sourceMappingURL=power-cycle.js.map