"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.verifyKernel = verifyKernel;
exports.verdictOn = verdictOn;
/** The verifyKernel activity: read-only; uname -r, boot id, then the health checks. */
const zod_1 = require("zod");
const schemas_1 = require("../../shared/schemas");
const check_1 = require("../health/check");
const host_1 = require("../host");
async function verifyKernel(withHost, req) {
    const expected = (0, schemas_1.parseOrThrow)(schemas_1.kernelReleaseSchema, req.expectedRelease, 'expectedRelease');
    const checks = (0, schemas_1.parseOrThrow)(zod_1.z.array(schemas_1.healthCheckSchema), req.healthChecks, 'healthChecks');
    return withHost(req.target, async (s) => {
        const { running, bootId } = await (0, host_1.readRunningKernelAndBoot)(s);
        return verdictOn(s, { running, bootId }, { release: expected, bootId: req.expectedBootId }, checks);
    });
}
/**
 * The verdict on what the host runs (`found`, read in this session) against what the trial boot
 * must be: the health checks run only when the kernel and the boot are the expected ones. `read`:
 * the read's health sections (healthReadSections), which may have found checks healthy already.
 */
async function verdictOn(s, found, expected, checks, read = {}) {
    const failures = [];
    if (found.running !== expected.release)
        failures.push(`uname -r is ${found.running}, expected ${expected.release}`);
    if (found.bootId !== expected.bootId)
        failures.push(`boot id is ${found.bootId}, expected ${expected.bootId}`);
    if (failures.length === 0)
        failures.push(...(await (0, check_1.runHealthChecks)(s, checks, read)));
    return { ok: failures.length === 0, runningKernel: found.running, bootId: found.bootId, failures };
}
//# sourceMappingURL=verify.js.map