"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.POWER_CREDENTIALS_PATCH = void 0;
exports.upgradeHostInputProblems = upgradeHostInputProblems;
exports.rolloutTemplateProblems = rolloutTemplateProblems;
exports.describeProblems = describeProblems;
exports.powerCredentialProblem = powerCredentialProblem;
exports.rolloutCredentialProblems = rolloutCredentialProblems;
/**
 * The workflows' own look at their input, before they read any of it: every missing field and
 * every field of the wrong type, named by its path (`timeouts.heartbeatSeconds: missing`). An
 * input that went through the client's zod schemas (src/shared/schemas.ts: kernelctl, the client
 * module) always passes; this catches what reaches the server another way (the `temporal` CLI, a
 * service of its own) instead of failing on the first `undefined` it reads. zod stays out of the
 * workflow bundle (eslint.config.mjs), hence these plain checks: shapes and types only, plus the
 * patterns of the names the workflow puts in ids and the numbers' signs. The ranges, the fields of
 * each installer, power driver and health check are the zod schemas' business, which every
 * activity parses its own input with before touching a host. test/unit/workflow-input-check.test.ts
 * holds them against the zod schemas field by field.
 */
const power_credentials_1 = require("../shared/power-credentials");
const shell_1 = require("../shared/shell");
function isObject(v) {
    return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function describe(v) {
    if (v === null)
        return 'null';
    if (Array.isArray(v))
        return 'a list';
    if (typeof v === 'string')
        return v.length > 40 ? 'a string' : JSON.stringify(v);
    if (typeof v === 'object')
        return 'an object';
    return String(v);
}
const at = (path, key) => (path === '' ? key : `${path}.${key}`);
const bool = (v, path, out) => {
    if (typeof v !== 'boolean')
        out.push(`${path}: must be true or false, not ${describe(v)}`);
};
const text = (re, what = 'a string') => (v, path, out) => {
    if (typeof v !== 'string' || (re !== undefined && !re.test(v)))
        out.push(`${path}: must be ${what}, not ${describe(v)}`);
};
/** A finite number >= min (whole when `whole`). */
const num = (min, whole) => (v, path, out) => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || (whole && !Number.isInteger(v))) {
        out.push(`${path}: must be ${whole ? 'a whole number' : 'a number'} >= ${min}, not ${describe(v)}`);
    }
};
const list = (item) => (v, path, out) => {
    if (!Array.isArray(v)) {
        out.push(`${path}: must be a list, not ${describe(v)}`);
        return;
    }
    v.forEach((x, i) => item(x, `${path}[${i}]`, out));
};
/** An object with a string tag (`kind`, `driver`); its other fields are its module's schema's business. */
const tagged = (tag, example) => (v, path, out) => {
    if (!isObject(v))
        out.push(`${path}: must be an object like ${example}, not ${describe(v)}`);
    else if (typeof v[tag] !== 'string' || !/^[a-z][a-z0-9-]*$/.test(v[tag])) {
        out.push(`${at(path, tag)}: must name one (${example}), not ${describe(v[tag])}`);
    }
};
const anyObject = (v, path, out) => {
    if (!isObject(v))
        out.push(`${path}: must be an object, not ${describe(v)}`);
};
/** Every required field present and right, every optional one right when present, no unknown one. */
function fields(required, optional = {}) {
    return (v, path, out) => {
        if (!isObject(v)) {
            out.push(`${path || 'input'}: must be an object, not ${describe(v)}`);
            return;
        }
        for (const [key, check] of Object.entries(required)) {
            if (v[key] === undefined)
                out.push(`${at(path, key)}: missing`);
            else
                check(v[key], at(path, key), out);
        }
        for (const [key, check] of Object.entries(optional)) {
            if (v[key] !== undefined)
                check(v[key], at(path, key), out);
        }
        for (const key of Object.keys(v)) {
            if (!(key in required) && !(key in optional))
                out.push(`${at(path, key)}: unknown field`);
        }
    };
}
const host = text(shell_1.HOST_RE, 'a host name or IP address');
const sshRequired = { port: num(1, true), user: text(shell_1.USER_RE, 'a Unix user name') };
const sshOptional = {
    privateKeyPath: text(),
    agentSocket: text(),
    knownHostsPath: text(),
    hostKeySha256: text(),
    trustOnFirstUse: bool,
    jumpHosts: list(anyObject),
};
const timeouts = fields({
    bootDeadlineSeconds: num(1, true),
    powerCycleDeadlineSeconds: num(1, true),
    approvalTimeoutSeconds: num(1, true),
    heartbeatSeconds: num(1, true),
    pollCapSeconds: num(0.01, false),
});
/** Everything of an upgrade but the host (UpgradeHostInput without target; a rollout's template). */
const settingsRequired = {
    toRelease: text(shell_1.KERNEL_RELEASE_RE, 'a kernel release as uname -r prints it'),
    source: tagged('kind', "{kind: 'apt', packageName: …}"),
    useKexec: bool,
    approveBeforeReboot: bool,
    panicSeconds: num(1, true),
    trialKernelArgs: list(text()),
    revertAfterSeconds: num(1, true),
    stabilitySeconds: num(0, true),
    healthChecks: list(tagged('kind', "{kind: 'system-running'}")),
    power: tagged('driver', "{driver: 'none'}"),
    timeouts,
    removeFailedKernel: bool,
};
const upgradeHostInput = fields({
    target: fields({ host, ...sshRequired }, { address: host, ...sshOptional }),
    ...settingsRequired,
}, { holdForRollout: bool, rehearseInVm: bool });
const rolloutTemplate = fields({ ssh: fields(sshRequired, sshOptional), ...settingsRequired });
/** Every problem of an upgradeHostKernel input, one line each; empty when it can be run. */
function upgradeHostInputProblems(input) {
    const out = [];
    upgradeHostInput(input, '', out);
    return out;
}
/** Every problem of a rollout's template (paths start with `template.`); empty when fine. */
function rolloutTemplateProblems(template) {
    const out = [];
    rolloutTemplate(template, 'template', out);
    return out;
}
/** One sentence out of the problems: at most `max` of them, and how many more. */
function describeProblems(problems, max = 20) {
    const shown = problems.slice(0, max).join('; ');
    return problems.length > max ? `${shown}; and ${problems.length - max} more` : shown;
}
/** The patch behind the workflows' refusal of a credential in a power command's argv. */
exports.POWER_CREDENTIALS_PATCH = 'power-argv-no-credentials';
/**
 * A `command` power driver whose argv carries a credential (src/shared/power-credentials.ts):
 * the problem, named by its path, or null. Asked behind a patch (runs recorded before it replay
 * without it): see upgrade-host.ts and rollout.ts.
 */
function powerCredentialProblem(power, path) {
    if (!isObject(power) || power['driver'] !== 'command' || !Array.isArray(power['argv']))
        return null;
    const c = (0, power_credentials_1.credentialInArgv)(power['argv']);
    return c ? `${path}.argv[${c.index}]: ${(0, power_credentials_1.credentialMessage)(c)}` : null;
}
/** Every power configuration of a rollout input that carries a credential in its argv. */
function rolloutCredentialProblems(input) {
    if (!isObject(input))
        return [];
    const template = input['template'];
    const found = [powerCredentialProblem(isObject(template) ? template['power'] : undefined, 'template.power')];
    const hosts = input['hosts'];
    if (Array.isArray(hosts)) {
        hosts.forEach((h, i) => found.push(powerCredentialProblem(isObject(h) ? h['power'] : undefined, `hosts[${i}].power`)));
    }
    return found.filter((p) => p !== null);
}
//# sourceMappingURL=input-check.js.map