"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.skipHostUpdate = exports.addHostsUpdate = exports.approveRolloutUpdate = exports.abortRolloutUpdate = exports.resumeRolloutUpdate = exports.pauseRolloutUpdate = exports.ROLLOUT_REBOOT_REPORT_PATCH = exports.hostRebootingSignal = exports.rolloutProgressQuery = exports.HOST_ROLLOUT_OUTCOMES = exports.DEFAULT_MAX_HISTORY_EVENTS = exports.ROLLOUT_WORKFLOW_TYPE = void 0;
exports.rolloutWorkflowId = rolloutWorkflowId;
exports.hostInputFor = hostInputFor;
exports.countsAsFailure = countsAsFailure;
exports.isRebootPhase = isRebootPhase;
exports.checkTemplate = checkTemplate;
exports.checkRolloutHost = checkRolloutHost;
exports.checkHostList = checkHostList;
exports.checkRolloutInput = checkRolloutInput;
exports.checkRehearseInVm = checkRehearseInVm;
exports.checkPauseArgs = checkPauseArgs;
exports.checkResumeArgs = checkResumeArgs;
exports.checkAbortRolloutArgs = checkAbortRolloutArgs;
exports.checkApproveRolloutArgs = checkApproveRolloutArgs;
exports.checkSkipHostArgs = checkSkipHostArgs;
exports.checkAddHostsArgs = checkAddHostsArgs;
/**
 * The fleet rollout's contract (docs/design.md, fleet workflow), defined once: its input, carried state, result, the
 * `progress` query and the `pause`/`resume`/`abort`/`approve`/`addHosts`/`skipHost` updates. The
 * workflow registers handlers for these; kernelctl and other services import the same
 * definitions. The argument checks here are plain TypeScript (zod stays out of the workflow
 * bundle); the client may check the same shapes with zod before sending.
 */
const workflow_1 = require("@temporalio/workflow");
const rollout_plan_1 = require("../shared/rollout-plan");
const shell_1 = require("../shared/shell");
const definitions_1 = require("./definitions");
const input_check_1 = require("./input-check");
exports.ROLLOUT_WORKFLOW_TYPE = 'rolloutKernel';
function rolloutWorkflowId(rolloutId) {
    return `kernel-rollout/${rolloutId}`;
}
exports.DEFAULT_MAX_HISTORY_EVENTS = 2000;
/** The complete per-host input the host's own workflow gets. */
function hostInputFor(template, h) {
    const { ssh, ...rest } = template;
    const target = { ...ssh, ...(h.ssh ?? {}), host: h.host };
    if (h.address !== undefined)
        target.address = h.address;
    return { ...rest, target, power: h.power ?? template.power };
}
exports.HOST_ROLLOUT_OUTCOMES = [
    'upgraded',
    'rolled-back',
    'needs-attention',
    'aborted',
    'refused',
    'busy',
    'unreachable',
    'failed',
    'skipped',
    'not-started',
];
/** Outcomes that use up the failure budget: anything but upgraded, skipped and not-started. */
function countsAsFailure(outcome) {
    return outcome !== 'upgraded' && outcome !== 'skipped' && outcome !== 'not-started';
}
exports.rolloutProgressQuery = (0, workflow_1.defineQuery)('progress');
exports.hostRebootingSignal = (0, workflow_1.defineSignal)('hostRebooting');
exports.ROLLOUT_REBOOT_REPORT_PATCH = 'report-reboot-to-rollout';
/** The per-host phases during which the host is rebooting (or being power-cycled). */
function isRebootPhase(phase) {
    return phase === 'reboot' || phase === 'await' || phase === 'power-cycle';
}
/** No new batch (or host) starts until `resume`; in-flight hosts finish. */
exports.pauseRolloutUpdate = (0, workflow_1.defineUpdate)('pause');
/** Rejected unless the rollout is paused. */
exports.resumeRolloutUpdate = (0, workflow_1.defineUpdate)('resume');
/**
 * Stops the rollout: no new host starts, in-flight hosts finish or roll back by their own safety
 * rules (they are not cancelled), the rest end `not-started`.
 */
exports.abortRolloutUpdate = (0, workflow_1.defineUpdate)('abort');
/** Lets the rollout go on after the canary batch. Rejected unless that gate waits. */
exports.approveRolloutUpdate = (0, workflow_1.defineUpdate)('approve');
/** Appends hosts to the rollout; rejected for an empty list or a host already in it. */
exports.addHostsUpdate = (0, workflow_1.defineUpdate)('addHosts');
/** Leaves a host out; rejected unless the host is in the rollout and not started yet. */
exports.skipHostUpdate = (0, workflow_1.defineUpdate)('skipHost');
// ---- plain checks (no zod: the workflow bundle imports this) ---------------------------------
function isObject(v) {
    return typeof v === 'object' && v !== null && !Array.isArray(v);
}
/**
 * The template's shape: every missing or wrong field, named (input-check.ts). Which installer,
 * power driver and health check kinds exist is their registries' business (zod, outside this
 * bundle): the client refuses an unknown kind, and each host's read-only preflight parses its
 * input with the registries' schemas before anything on the host is changed.
 */
function checkTemplate(value) {
    if (!isObject(value))
        return 'template: must be the per-host settings shared by every host';
    const problems = (0, input_check_1.rolloutTemplateProblems)(value);
    return problems.length ? (0, input_check_1.describeProblems)(problems) : null;
}
/** One host entry: a valid name, optional address, overrides as objects. */
function checkRolloutHost(value, where) {
    if (!isObject(value))
        return `${where}: must be {host, address?, ssh?, power?}`;
    if (typeof value['host'] !== 'string' || !shell_1.HOST_RE.test(value['host'])) {
        return `${where}.host: must be a host name or IP address`;
    }
    if (value['address'] !== undefined && (typeof value['address'] !== 'string' || !shell_1.HOST_RE.test(value['address']))) {
        return `${where}.address: must be a host name or IP address`;
    }
    for (const field of ['ssh', 'power']) {
        if (value[field] !== undefined && !isObject(value[field]))
            return `${where}.${field}: must be an object`;
    }
    return null;
}
/** Every host entry valid and no host named twice (also against `alreadyIn`). */
function checkHostList(hosts, where, alreadyIn) {
    if (!Array.isArray(hosts) || hosts.length === 0)
        return `${where}: must list at least one host`;
    const seen = new Set();
    for (const [i, h] of hosts.entries()) {
        const bad = checkRolloutHost(h, `${where}[${i}]`);
        if (bad)
            return bad;
        const name = h.host;
        if (seen.has(name))
            return `${where}[${i}]: ${name} is listed twice`;
        if (alreadyIn(name))
            return `${where}[${i}]: ${name} is already in this rollout`;
        seen.add(name);
    }
    return null;
}
/**
 * The whole rollout input. A continued run passes the hosts carried from earlier runs
 * (`alreadyIn`); its list of hosts still to start may then be empty.
 */
function checkRolloutInput(input, carried) {
    if (!isObject(input))
        return 'rollout input: must be an object';
    // Every problem, each named by its path (a hand-written input may have several).
    const problems = [];
    const id = input['rolloutId'];
    if (typeof id !== 'string' || !/^[A-Za-z0-9._:@-]{1,200}$/.test(id)) {
        problems.push(id === undefined ? 'rolloutId: missing' : 'rolloutId: must be 1-200 letters, digits and ._:@-');
    }
    problems.push(checkTemplate(input['template']));
    const hosts = input['hosts'];
    if (!(carried && Array.isArray(hosts) && hosts.length === 0)) {
        const alreadyIn = carried?.alreadyIn ?? (() => false);
        problems.push(checkHostList(hosts, 'hosts', alreadyIn));
    }
    problems.push((0, rollout_plan_1.checkStrategy)(input['strategy']), (0, rollout_plan_1.checkFailureBudget)(input['failureBudget']));
    if (typeof input['approveAfterCanary'] !== 'boolean')
        problems.push('approveAfterCanary: must be true or false');
    const pause = input['pauseBetweenBatchesSeconds'];
    if (typeof pause !== 'number' || !Number.isInteger(pause) || pause < 0 || pause > 7 * 86400) {
        problems.push('pauseBetweenBatchesSeconds: must be a whole number of seconds, 0 to 604800');
    }
    if (input['window'] !== undefined)
        problems.push((0, rollout_plan_1.checkWindow)(input['window']));
    if (input['prepareAhead'] !== undefined && typeof input['prepareAhead'] !== 'boolean') {
        problems.push('prepareAhead: must be true or false');
    }
    const template = input['template'];
    problems.push(checkRehearseInVm(input['rehearseInVm'], isObject(template) ? template['source'] : undefined));
    const max = input['maxHistoryEvents'];
    if (max !== undefined && (typeof max !== 'number' || !Number.isInteger(max) || max < 50 || max > 40000)) {
        problems.push('maxHistoryEvents: must be a whole number from 50 to 40000');
    }
    const known = new Set([
        'rolloutId',
        'template',
        'hosts',
        'strategy',
        'failureBudget',
        'approveAfterCanary',
        'pauseBetweenBatchesSeconds',
        'window',
        'prepareAhead',
        'rehearseInVm',
        'maxHistoryEvents',
    ]);
    for (const key of Object.keys(input))
        if (!known.has(key))
            problems.push(`${key}: unknown field`);
    const found = problems.filter((p) => p !== null);
    return found.length ? (0, input_check_1.describeProblems)(found) : null;
}
/** rehearseInVm needs a package the rehearsal worker can fetch itself: one on an artifact host. */
function checkRehearseInVm(rehearse, source) {
    if (rehearse === undefined || rehearse === false)
        return null;
    if (rehearse !== true)
        return 'rehearseInVm: must be true or false';
    const kind = isObject(source) ? source['kind'] : undefined;
    return kind === 'artifact'
        ? null
        : `rehearseInVm: needs a package on an artifact host (--build ID, or --deb with --artifact-host), not ${String(kind)}`;
}
function checkPauseArgs(args) {
    const a = isObject(args) ? args : {};
    return (0, definitions_1.checkActor)(a['by']) ?? (0, definitions_1.checkText)('reason', a['reason'], false);
}
function checkResumeArgs(args) {
    return (0, definitions_1.checkActor)(isObject(args) ? args['by'] : undefined);
}
function checkAbortRolloutArgs(args) {
    const a = isObject(args) ? args : {};
    return (0, definitions_1.checkActor)(a['by']) ?? (0, definitions_1.checkText)('reason', a['reason'], true);
}
function checkApproveRolloutArgs(args) {
    const a = isObject(args) ? args : {};
    return (0, definitions_1.checkActor)(a['by']) ?? (0, definitions_1.checkText)('comment', a['comment'], false);
}
function checkSkipHostArgs(args) {
    const a = isObject(args) ? args : {};
    const bad = (0, definitions_1.checkActor)(a['by']) ?? (0, definitions_1.checkText)('reason', a['reason'], false);
    if (bad)
        return bad;
    if (typeof a['host'] !== 'string' || !shell_1.HOST_RE.test(a['host']))
        return 'host: must be a host name or IP address';
    return null;
}
function checkAddHostsArgs(args, alreadyIn) {
    const a = isObject(args) ? args : {};
    const bad = (0, definitions_1.checkActor)(a['by']) ?? checkHostList(a['hosts'], 'hosts', alreadyIn);
    if (bad)
        return bad;
    // An added host's power command is held to the rule the rollout's own hosts are: no credential
    // in its argv (it would be stored in the update's history event).
    const hosts = a['hosts'];
    if (!Array.isArray(hosts))
        return null;
    for (const [i, h] of hosts.entries()) {
        const problem = (0, input_check_1.powerCredentialProblem)(isObject(h) ? h['power'] : undefined, `hosts[${i}].power`);
        if (problem)
            return problem;
    }
    return null;
}
//# sourceMappingURL=rollout-definitions.js.map