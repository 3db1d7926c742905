"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.rolloutHost = exports.Fleet = void 0;
exports.rolloutBundle = rolloutBundle;
exports.withFleet = withFleet;
exports.hostInput = hostInput;
exports.template = template;
exports.rolloutInput = rolloutInput;
exports.startRollout = startRollout;
exports.until = until;
exports.progressUntil = progressUntil;
exports.assertRefused = assertRefused;
exports.hold = hold;
exports.release = release;
exports.heldInAwait = heldInAwait;
exports.assertUpgraded = assertUpgraded;
/**
 * A fleet of model hosts for rollout tests: rolloutKernel on the real dev server, each host's
 * upgradeHostKernel a real child workflow, the activities stubbed on one FakeHost per host name
 * (dispatched on the request's target host). Every activity call is logged in order, so tests
 * can tell which hosts were touched and in which order the batches started.
 */
const strict_1 = __importDefault(require("node:assert/strict"));
const node_crypto_1 = require("node:crypto");
const client_1 = require("@temporalio/client");
const common_1 = require("@temporalio/common");
const worker_1 = require("@temporalio/worker");
const fake_host_1 = require("./fake-host");
const temporal_1 = require("./temporal");
const keep_alive_1 = require("../../src/activities/keep-alive");
const rollout_1 = require("../../src/workflows/rollout");
const rollout_definitions_1 = require("../../src/workflows/rollout-definitions");
class Fleet {
    prefix = `f${(0, node_crypto_1.randomUUID)().slice(0, 8)}`;
    hosts = new Map();
    stubs = new Map();
    /** Hosts whose SSH login is refused: preflight cannot read them. */
    unreachable = new Set();
    calls = [];
    /** Adds `count` hosts named <prefix>-<tag><i>; returns their names. */
    add(count, trial = 'ok', tag = 'h') {
        const names = [];
        for (let i = 0; i < count; i++) {
            const name = `${this.prefix}-${tag}${this.hosts.size}`;
            const host = new fake_host_1.FakeHost((0, fake_host_1.newHostState)(temporal_1.OLD, trial));
            this.hosts.set(name, host);
            this.stubs.set(name, (0, fake_host_1.createStubActivities)(host));
            names.push(name);
        }
        return names;
    }
    host(name) {
        const h = this.hosts.get(name);
        if (!h)
            throw new Error(`no model host ${name}`);
        return h;
    }
    touched(name) {
        return this.calls.some((c) => c.host === name);
    }
    /** Activities with the real signatures, each routed to the model host the request names. */
    activities() {
        const names = Object.keys((0, fake_host_1.createStubActivities)(new fake_host_1.FakeHost((0, fake_host_1.newHostState)(temporal_1.OLD, 'ok'))));
        const routed = {};
        for (const name of names) {
            routed[name] = async (req) => {
                const r = req;
                const host = r.target?.host ?? r.host ?? '';
                this.calls.push({ seq: this.calls.length, host, activity: name });
                if (name === 'preflight' && this.unreachable.has(host)) {
                    throw common_1.ApplicationFailure.nonRetryable(`${host}: all authentication methods failed`, 'AuthFailedError');
                }
                const stubs = this.stubs.get(host);
                if (!stubs)
                    throw common_1.ApplicationFailure.nonRetryable(`no model host ${host}`, 'InvalidInputError');
                return stubs[name](req);
            };
        }
        return routed;
    }
}
exports.Fleet = Fleet;
// ---- harness ------------------------------------------------------------------------------
let bundle = null;
function rolloutBundle() {
    bundle ??= (0, worker_1.bundleWorkflowCode)({ workflowsPath: require.resolve('../../src/workflows'), logger: temporal_1.quietLogger });
    return bundle;
}
async function withFleet(fleet, fn) {
    const address = await (0, temporal_1.temporalAddress)();
    const taskQueue = `rollout-${(0, node_crypto_1.randomUUID)()}`;
    const nativeConnection = await worker_1.NativeConnection.connect({ address });
    const worker = await worker_1.Worker.create({
        connection: nativeConnection,
        taskQueue,
        workflowBundle: await rolloutBundle(),
        activities: (0, keep_alive_1.keepAlive)(fleet.activities()),
    });
    const connection = await client_1.Connection.connect({ address });
    const client = new client_1.Client({ connection });
    try {
        return await worker.runUntil(fn({ client, taskQueue }));
    }
    finally {
        await connection.close();
        await nativeConnection.close();
    }
}
function hostInput(host) {
    const base = (0, temporal_1.testInput)({ stabilitySeconds: 0 });
    return { ...base, target: { ...base.target, host } };
}
function template() {
    const { target, ...rest } = (0, temporal_1.testInput)({ stabilitySeconds: 0 });
    const { host: _host, address: _address, ...ssh } = target;
    return { ...rest, ssh };
}
const rolloutHost = (host) => ({ host });
exports.rolloutHost = rolloutHost;
function rolloutInput(hosts, overrides = {}) {
    return {
        rolloutId: `r-${(0, node_crypto_1.randomUUID)().slice(0, 8)}`,
        template: template(),
        hosts: hosts.map(exports.rolloutHost),
        strategy: { canary: 1, batches: [2] },
        failureBudget: '0',
        approveAfterCanary: false,
        pauseBetweenBatchesSeconds: 0,
        ...overrides,
    };
}
async function startRollout({ client, taskQueue }, input) {
    return client.workflow.start(rollout_1.rolloutKernel, {
        taskQueue,
        workflowId: (0, rollout_definitions_1.rolloutWorkflowId)(input.rolloutId),
        args: [input],
    });
}
async function until(what, check, timeoutMs = 60_000) {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
        if (Date.now() > deadline)
            strict_1.default.fail(`timed out waiting for: ${what}`);
        await new Promise((r) => setTimeout(r, 50));
    }
}
async function progressUntil(handle, what, check) {
    let last = null;
    await until(`${what} (last: ${last ? last.details : 'none'})`, async () => {
        last = await handle.query(rollout_definitions_1.rolloutProgressQuery);
        return check(last);
    });
    return last;
}
/** An update refused by its validator: the reason is in the failure's cause. */
async function assertRefused(p, re) {
    await strict_1.default.rejects(p, (err) => {
        strict_1.default.match(`${err.message} ${err.cause?.message ?? ''}`, re);
        return true;
    });
}
/** The model host is waiting in awaitHostReturn, held there until released. */
function hold(fleet, names) {
    for (const n of names)
        fleet.host(n).update((s) => (s.holdAwait = true));
}
function release(fleet, names) {
    for (const n of names)
        fleet.host(n).update((s) => (s.holdAwait = false));
}
async function heldInAwait(fleet, names) {
    await until(`${names.join(', ')} waiting for the reboot`, () => names.every((n) => (fleet.host(n).get().calls['awaitHostReturn'] ?? 0) > 0));
}
function assertUpgraded(fleet, name) {
    const s = fleet.host(name).get();
    strict_1.default.equal(s.running, temporal_1.NEW, `${name} runs the new kernel`);
    strict_1.default.equal(s.savedDefault, temporal_1.NEW, `${name} has it as the saved default`);
    strict_1.default.equal(s.calls['commitKernel'], 1, `${name} committed once`);
}
//# sourceMappingURL=fleet.js.map