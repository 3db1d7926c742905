"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.healthChecks = void 0;
exports.runHealthCheck = runHealthCheck;
exports.healthReadSections = healthReadSections;
exports.runHealthChecks = runHealthChecks;
const registry_1 = require("../../shared/registry");
const command_1 = require("./command");
const http_1 = require("./http");
const system_running_1 = require("./system-running");
const systemd_unit_1 = require("./systemd-unit");
/** The registry: one line per kind. */
exports.healthChecks = (0, registry_1.defineRegistry)([command_1.commandCheck, systemd_unit_1.systemdUnitCheck, system_running_1.systemRunningCheck, http_1.httpCheck]);
async function runHealthCheck(s, check) {
    // Chosen by the check's own kind, so it takes this check.
    return moduleOf(check).check(s, check);
}
/** The module of a check's kind (the registry's kinds are unique). */
function moduleOf(check) {
    const module = exports.healthChecks.find(check.kind);
    if (!module) {
        throw new Error(`healthChecks: unknown kind ${JSON.stringify(check.kind)}; known: ${exports.healthChecks.kinds.join(', ')}`);
    }
    return module;
}
/** The section of a read that may find check `i` healthy. */
const readSectionName = (i) => `health-${i}`;
/**
 * Sections for a read of the host: one for each check whose module has a `readCommand`, each
 * wrapped by `guard` (the caller's condition for running a check at all: the trial boot).
 */
function healthReadSections(checks, guard) {
    const sections = [];
    checks.forEach((check, i) => {
        const command = moduleOf(check).readCommand?.(check);
        if (command !== undefined)
            sections.push([readSectionName(i), guard(command)]);
    });
    return sections;
}
/**
 * Runs the checks one after the other, in the order given; returns the failures in that order.
 * A check `read` (the sections of healthReadSections, read in this boot) found healthy is not
 * run again; any other runs as always.
 */
async function runHealthChecks(s, checks, read = {}) {
    const failures = [];
    for (const [i, check] of checks.entries()) {
        const output = read[readSectionName(i)];
        const module = moduleOf(check);
        if (output !== undefined && module.healthyInRead?.(check, output) === true)
            continue;
        const failure = await module.check(s, check);
        if (failure)
            failures.push(failure);
    }
    return failures;
}
//# sourceMappingURL=check.js.map