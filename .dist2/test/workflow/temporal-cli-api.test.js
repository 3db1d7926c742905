"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * docs/api.md, checked with a client nobody here wrote: the `temporal` CLI (the same binary as the
 * dev server) queries a rollout's progress and sends its updates — approve after the canary,
 * pause, resume, skipHost — and a host's status; the answers are the ones docs/api.md gives, and
 * the refusals (resume when not paused, approve when nothing waits, skip of a started host) fail
 * the command with the validator's reason and change nothing. The rollout runs on model hosts
 * (test/helpers/fleet.ts) on the real dev server.
 */
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const temporal_server_1 = require("../../src/dev/temporal-server");
const rollout_definitions_1 = require("../../src/workflows/rollout-definitions");
const definitions_1 = require("../../src/workflows/definitions");
const temporal_1 = require("../helpers/temporal");
const process_1 = require("../helpers/process");
const fleet_1 = require("../helpers/fleet");
(0, node_test_1.after)(temporal_1.stopOwnServer);
async function temporal(args) {
    return (0, process_1.runProcess)((0, temporal_server_1.findTemporalBinary)(), [...args, '--address', await (0, temporal_1.temporalAddress)(), '--output', 'json']);
}
/** `temporal workflow query`: the query's answer, parsed. */
async function query(workflowId, name, input) {
    const r = await temporal([
        'workflow',
        'query',
        '--workflow-id',
        workflowId,
        '--name',
        name,
        ...(input === undefined ? [] : ['--input', JSON.stringify(input)]),
    ]);
    strict_1.default.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    return out.queryResult[0];
}
/** `temporal workflow update execute`: the update's answer, or its refusal (exit code ≠ 0). */
async function update(workflowId, name, input) {
    const r = await temporal([
        'workflow',
        'update',
        'execute',
        '--workflow-id',
        workflowId,
        '--name',
        name,
        '--input',
        JSON.stringify(input),
    ]);
    if (r.code !== 0)
        return r;
    return { ...r, answer: JSON.parse(r.stdout).result };
}
(0, node_test_1.test)('temporal CLI: progress and status queries, and a rollout steered by its updates as docs/api.md says', async () => {
    const fleet = new fleet_1.Fleet();
    const names = fleet.add(4);
    const [canary, second, third, fourth] = names;
    const input = (0, fleet_1.rolloutInput)(names, { strategy: { canary: 1, batches: [1] }, approveAfterCanary: true });
    const id = input.rolloutId;
    const wf = (0, rollout_definitions_1.rolloutWorkflowId)(id);
    const result = await (0, fleet_1.withFleet)(fleet, async (h) => {
        const handle = await (0, fleet_1.startRollout)(h, input);
        await (0, fleet_1.until)('the canary waits for approval', async () => {
            const p = await query(wf, 'progress', { hosts: 'none' });
            return p.phase === 'waiting-for-approval';
        });
        const p = await query(wf, 'progress', { hosts: 'all' });
        strict_1.default.equal(p.rolloutId, id);
        strict_1.default.equal(p.waitingFor, 'approval');
        strict_1.default.equal(p.counts.upgraded, 1);
        strict_1.default.deepEqual(p.hosts.map((x) => [x.host, x.phase]), names.map((n) => [n, n === canary ? 'done' : 'pending']));
        const s = await query((0, definitions_1.upgradeWorkflowId)(canary), 'status');
        strict_1.default.equal(s.host, canary);
        strict_1.default.equal(s.outcome, 'upgraded');
        strict_1.default.equal(s.phase, 'done');
        // Refusals: the command fails with the validator's reason.
        const resume = await update(wf, 'resume', { by: 'ops-bot' });
        strict_1.default.notEqual(resume.code, 0);
        strict_1.default.match(resume.stderr, new RegExp(`rollout ${id} is not paused`));
        const badBy = await update(wf, 'pause', { by: '' });
        strict_1.default.notEqual(badBy.code, 0);
        strict_1.default.match(badBy.stderr, /by: must be 1-100 printable characters/);
        const skipDone = await update(wf, 'skipHost', { by: 'ops-bot', host: canary });
        strict_1.default.notEqual(skipDone.code, 0);
        strict_1.default.match(skipDone.stderr, new RegExp(`${canary}: too late to skip \\(done, upgraded\\)`));
        // Skip one, hold the next one's reboot, approve, then pause while it is in flight.
        strict_1.default.equal((await update(wf, 'skipHost', { by: 'ops-bot', host: fourth, reason: 'on call says no' })).answer, `${fourth} skipped in rollout ${id}`);
        (0, fleet_1.hold)(fleet, [second]);
        strict_1.default.equal((await update(wf, 'approve', { by: 'ops-bot' })).answer, `rollout ${id} approved by ops-bot: continuing after the canary`);
        const again = await update(wf, 'approve', { by: 'ops-bot' });
        strict_1.default.notEqual(again.code, 0);
        strict_1.default.match(again.stderr, /nothing waits for approval/);
        await (0, fleet_1.until)('the second host is upgrading', () => fleet.touched(second));
        strict_1.default.equal((await update(wf, 'pause', { by: 'ops-bot', reason: 'change freeze' })).answer, `rollout ${id} paused: no new host starts; 1 in flight finish`);
        (0, fleet_1.release)(fleet, [second]);
        await (0, fleet_1.until)('paused after the second host', async () => {
            const q = await query(wf, 'progress', { hosts: 'none' });
            return q.phase === 'paused' && q.counts.upgraded === 2;
        });
        strict_1.default.equal(fleet.touched(third), false, 'no host starts while paused');
        strict_1.default.equal((await update(wf, 'resume', { by: 'ops-bot' })).answer, `rollout ${id} resumed by ops-bot`);
        return handle.result();
    });
    strict_1.default.equal(result.outcome, 'completed', result.reason);
    strict_1.default.equal(result.counts.upgraded, 3);
    strict_1.default.equal(result.counts.skipped, 1);
});
//# sourceMappingURL=temporal-cli-api.test.js.map