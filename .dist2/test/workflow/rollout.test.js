"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * rolloutKernel on the real dev server with a fleet of model hosts (test/helpers/fleet.ts): each
 * host's upgradeHostKernel is a real child workflow, its activities stubbed on its own model
 * host; the call log tells which hosts were touched and in which order.
 */
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const temporal_1 = require("../helpers/temporal");
const fleet_1 = require("../helpers/fleet");
const rollout_plan_1 = require("../../src/shared/rollout-plan");
const workflows_1 = require("../../src/workflows");
const rollout_definitions_1 = require("../../src/workflows/rollout-definitions");
const definitions_1 = require("../../src/workflows/definitions");
(0, node_test_1.after)(temporal_1.stopOwnServer);
// ---- tests ----------------------------------------------------------------------------------
/**
 * Batch i's first call (of `activity`, or any) comes after batch i-1's last call: with
 * 'rebootHost', only the preparation of a batch may overlap the one before (prepareAhead).
 */
function assertBatchesInOrder(fleet, plan, activity) {
    for (let i = 1; i < plan.length; i++) {
        const previous = new Set(plan[i - 1]);
        const current = new Set(plan[i]);
        const lastOfPrevious = Math.max(...fleet.calls.filter((c) => previous.has(c.host)).map((c) => c.seq));
        const firstOfThis = Math.min(...fleet.calls.filter((c) => current.has(c.host) && (!activity || c.activity === activity)).map((c) => c.seq));
        strict_1.default.ok(lastOfPrevious < firstOfThis, `batch ${i + 1} ${activity ? `ran ${activity}` : 'started'} only after batch ${i} finished`);
    }
}
/** Waits until every one of `hosts` has staged its trial and its run waits for the rollout's go. */
async function stagedAndHeld(h, fleet, hosts) {
    await (0, fleet_1.until)('the next batch staged and held', async () => {
        if (!hosts.every((n) => (fleet.host(n).get().calls['stageTrialBoot'] ?? 0) === 1))
            return false;
        for (const n of hosts) {
            const st = await h.client.workflow.getHandle((0, definitions_1.upgradeWorkflowId)(n)).query(definitions_1.statusQuery);
            if (st.waitingFor !== 'rollout')
                return false;
        }
        return true;
    });
}
/** A workflow bug fails workflow tasks, which Temporal retries forever: a test must not wait forever. */
const limit = { timeout: 90_000 };
(0, node_test_1.describe)('rolloutKernel', () => {
    (0, node_test_1.test)('canary first, then the batches in order, each starting after the previous one finished', limit, async () => {
        const fleet = new fleet_1.Fleet();
        const names = fleet.add(8);
        const strategy = { canary: 1, batches: [2, '50%'] };
        const input = (0, fleet_1.rolloutInput)(names, { strategy, window: 'daily 00:00-24:00 UTC' });
        const { result, progress } = await (0, fleet_1.withFleet)(fleet, async (h) => {
            const handle = await (0, fleet_1.startRollout)(h, input);
            const result = await handle.result();
            return { result, progress: await handle.query(rollout_definitions_1.rolloutProgressQuery) };
        });
        strict_1.default.equal(result.outcome, 'completed', result.reason);
        strict_1.default.equal(result.counts.upgraded, 8);
        const plan = (0, rollout_plan_1.planBatches)(names, strategy);
        strict_1.default.deepEqual(plan.map((b) => b.length), [1, 2, 4, 1]);
        strict_1.default.equal(result.batches, plan.length);
        for (const [i, batch] of plan.entries()) {
            for (const name of batch) {
                (0, fleet_1.assertUpgraded)(fleet, name);
                strict_1.default.equal(result.hosts.find((r) => r.host === name)?.batch, i + 1, `${name} ran in batch ${i + 1}`);
            }
        }
        assertBatchesInOrder(fleet, plan);
        strict_1.default.equal(progress.phase, 'completed');
        strict_1.default.equal(progress.currentBatch, 4);
        strict_1.default.equal(progress.totalBatches, 4);
        strict_1.default.match(progress.details, /batch 4\/4: 0 hosts upgrading, 8 upgraded, budget 0 left/);
    });
    (0, node_test_1.test)('failures over the budget halt the rollout: in-flight hosts finish, the rest are never touched', limit, async () => {
        const fleet = new fleet_1.Fleet();
        const canary = fleet.add(1);
        const panics = fleet.add(1, 'panic');
        const unreachable = fleet.add(1);
        const rest = fleet.add(7);
        for (const n of unreachable)
            fleet.unreachable.add(n);
        const names = [...canary, ...panics, ...unreachable, ...rest];
        const input = (0, fleet_1.rolloutInput)(names, { strategy: { canary: 1, batches: [3] }, failureBudget: '1' });
        const result = await (0, fleet_1.withFleet)(fleet, async (h) => (await (0, fleet_1.startRollout)(h, input)).result());
        strict_1.default.equal(result.outcome, 'halted', result.reason);
        strict_1.default.match(result.reason, /2 host\(s\) failed, more than the budget of 1/);
        const outcomeOf = (n) => result.hosts.find((r) => r.host === n)?.outcome;
        strict_1.default.equal(outcomeOf(canary[0]), 'upgraded');
        strict_1.default.equal(outcomeOf(panics[0]), 'rolled-back');
        strict_1.default.equal(outcomeOf(unreachable[0]), 'unreachable');
        strict_1.default.equal(outcomeOf(rest[0]), 'upgraded', 'in flight when the budget ran out: finished');
        strict_1.default.equal(fleet.host(panics[0]).get().savedDefault, temporal_1.OLD);
        for (const n of rest.slice(1)) {
            strict_1.default.equal(outcomeOf(n), 'not-started');
            strict_1.default.equal(fleet.touched(n), false, `${n} untouched`);
        }
        strict_1.default.equal(result.counts['not-started'], 6);
        strict_1.default.equal(result.failures, 2);
    });
    (0, node_test_1.test)('pause stops new batches after the in-flight hosts finish; resume goes on', limit, async () => {
        const fleet = new fleet_1.Fleet();
        const names = fleet.add(4);
        const canary = names.slice(0, 1);
        (0, fleet_1.hold)(fleet, canary);
        const result = await (0, fleet_1.withFleet)(fleet, async (h) => {
            const handle = await (0, fleet_1.startRollout)(h, (0, fleet_1.rolloutInput)(names, { strategy: { canary: 1, batches: [3] } }));
            await (0, fleet_1.heldInAwait)(fleet, canary);
            strict_1.default.match(await handle.executeUpdate(rollout_definitions_1.pauseRolloutUpdate, { args: [{ by: 'alice', reason: 'lunch' }] }), /paused/);
            await (0, fleet_1.assertRefused)(handle.executeUpdate(rollout_definitions_1.pauseRolloutUpdate, { args: [{ by: 'bob' }] }), /already paused by alice/);
            (0, fleet_1.release)(fleet, canary);
            const p = await (0, fleet_1.progressUntil)(handle, 'paused with the canary done', (p) => p.phase === 'paused');
            strict_1.default.equal(p.upgrading, 0);
            strict_1.default.equal(p.counts.upgraded, 1);
            strict_1.default.equal(p.waitingFor, 'resume');
            strict_1.default.equal(p.pausedBy, 'alice');
            strict_1.default.match(p.details, /^paused by alice \(lunch\)/);
            for (const n of names.slice(1))
                strict_1.default.equal(fleet.touched(n), false, `${n} not started while paused`);
            await handle.executeUpdate(rollout_definitions_1.resumeRolloutUpdate, { args: [{ by: 'alice' }] });
            await (0, fleet_1.assertRefused)(handle.executeUpdate(rollout_definitions_1.resumeRolloutUpdate, { args: [{ by: 'alice' }] }), /not paused|ended/);
            return handle.result();
        });
        strict_1.default.equal(result.outcome, 'completed', result.reason);
        for (const n of names)
            (0, fleet_1.assertUpgraded)(fleet, n);
    });
    (0, node_test_1.test)('abort mid-batch: the in-flight hosts finish, nothing new starts', limit, async () => {
        const fleet = new fleet_1.Fleet();
        const names = fleet.add(6);
        const firstBatch = names.slice(0, 3);
        (0, fleet_1.hold)(fleet, firstBatch);
        const result = await (0, fleet_1.withFleet)(fleet, async (h) => {
            const handle = await (0, fleet_1.startRollout)(h, (0, fleet_1.rolloutInput)(names, { strategy: { canary: 0, batches: [3] } }));
            await (0, fleet_1.heldInAwait)(fleet, firstBatch);
            // The hosts' own runs told the rollout they are rebooting: it says so in words.
            const p = await (0, fleet_1.progressUntil)(handle, 'three hosts reported rebooting', (x) => x.rebooting === 3);
            strict_1.default.match(p.details, /^batch 1\/2: 3 hosts rebooting, budget 0 left$/);
            strict_1.default.deepEqual(p.hosts.filter((x) => x.rebooting).map((x) => x.host), firstBatch);
            await (0, fleet_1.assertRefused)(handle.executeUpdate(rollout_definitions_1.abortRolloutUpdate, { args: [{ by: 'bob', reason: '' }] }), /reason/);
            strict_1.default.match(await handle.executeUpdate(rollout_definitions_1.abortRolloutUpdate, { args: [{ by: 'bob', reason: 'bad kernel' }] }), /3 in flight finish or roll back/);
            await (0, fleet_1.assertRefused)(handle.executeUpdate(rollout_definitions_1.abortRolloutUpdate, { args: [{ by: 'bob', reason: 'again' }] }), /was aborted by bob/);
            (0, fleet_1.release)(fleet, firstBatch);
            return handle.result();
        });
        strict_1.default.equal(result.outcome, 'aborted');
        strict_1.default.match(result.reason, /aborted by bob: bad kernel/);
        for (const n of firstBatch)
            (0, fleet_1.assertUpgraded)(fleet, n);
        for (const n of names.slice(3)) {
            strict_1.default.equal(result.hosts.find((r) => r.host === n)?.outcome, 'not-started');
            strict_1.default.equal(fleet.touched(n), false, `${n} untouched`);
        }
    });
    (0, node_test_1.test)('approval after the canary: refused while nothing waits, then the gate holds until approved', limit, async () => {
        const fleet = new fleet_1.Fleet();
        const names = fleet.add(3);
        const canary = names.slice(0, 1);
        (0, fleet_1.hold)(fleet, canary);
        const { result, progress } = await (0, fleet_1.withFleet)(fleet, async (h) => {
            const handle = await (0, fleet_1.startRollout)(h, (0, fleet_1.rolloutInput)(names, { approveAfterCanary: true }));
            await (0, fleet_1.heldInAwait)(fleet, canary);
            await (0, fleet_1.assertRefused)(handle.executeUpdate(rollout_definitions_1.approveRolloutUpdate, { args: [{ by: 'carol' }] }), /nothing waits for approval/);
            (0, fleet_1.release)(fleet, canary);
            const p = await (0, fleet_1.progressUntil)(handle, 'the approval gate', (p) => p.waitingFor === 'approval');
            strict_1.default.equal(p.phase, 'waiting-for-approval');
            strict_1.default.equal(p.counts.upgraded, 1);
            for (const n of names.slice(1))
                strict_1.default.equal(fleet.touched(n), false, `${n} waits for the approval`);
            await (0, fleet_1.assertRefused)(handle.executeUpdate(rollout_definitions_1.approveRolloutUpdate, { args: [{ by: '' }] }), /by: must be/);
            strict_1.default.match(await handle.executeUpdate(rollout_definitions_1.approveRolloutUpdate, { args: [{ by: 'carol', comment: 'canary looks fine' }] }), /approved by carol/);
            const result = await handle.result();
            return { result, progress: await handle.query(rollout_definitions_1.rolloutProgressQuery) };
        });
        strict_1.default.equal(result.outcome, 'completed', result.reason);
        strict_1.default.equal(progress.approvedBy, 'carol');
        for (const n of names)
            (0, fleet_1.assertUpgraded)(fleet, n);
    });
    (0, node_test_1.test)('addHosts: validated, and the added hosts are upgraded in later batches', limit, async () => {
        const fleet = new fleet_1.Fleet();
        const names = fleet.add(3);
        const added = fleet.add(2, 'ok', 'added');
        const canary = names.slice(0, 1);
        (0, fleet_1.hold)(fleet, canary);
        const result = await (0, fleet_1.withFleet)(fleet, async (h) => {
            const handle = await (0, fleet_1.startRollout)(h, (0, fleet_1.rolloutInput)(names));
            await (0, fleet_1.heldInAwait)(fleet, canary);
            await (0, fleet_1.assertRefused)(handle.executeUpdate(rollout_definitions_1.addHostsUpdate, { args: [{ by: 'dave', hosts: [] }] }), /at least one host/);
            await (0, fleet_1.assertRefused)(handle.executeUpdate(rollout_definitions_1.addHostsUpdate, { args: [{ by: 'dave', hosts: [(0, fleet_1.rolloutHost)(names[1])] }] }), /already in this rollout/);
            await (0, fleet_1.assertRefused)(handle.executeUpdate(rollout_definitions_1.addHostsUpdate, {
                args: [{ by: 'dave', hosts: [(0, fleet_1.rolloutHost)(added[0]), (0, fleet_1.rolloutHost)(added[0])] }],
            }), /listed twice/);
            const bad = { host: added[0], address: 'x; reboot' };
            await (0, fleet_1.assertRefused)(handle.executeUpdate(rollout_definitions_1.addHostsUpdate, { args: [{ by: 'dave', hosts: [bad] }] }), /hosts\[0\]\.address/);
            strict_1.default.match(await handle.executeUpdate(rollout_definitions_1.addHostsUpdate, { args: [{ by: 'dave', hosts: added.map(fleet_1.rolloutHost) }] }), /added 2 host\(s\).*5 in total/);
            const p = await handle.query(rollout_definitions_1.rolloutProgressQuery);
            strict_1.default.equal(p.totalBatches, 3, 'canary + 2 + 2');
            (0, fleet_1.release)(fleet, canary);
            return handle.result();
        });
        strict_1.default.equal(result.outcome, 'completed', result.reason);
        strict_1.default.equal(result.hosts.length, 5);
        for (const n of [...names, ...added])
            (0, fleet_1.assertUpgraded)(fleet, n);
    });
    (0, node_test_1.test)('skipHost: only for a host not started yet; a skipped host is never touched', limit, async () => {
        const fleet = new fleet_1.Fleet();
        const names = fleet.add(4);
        const [canary, , skipped] = names;
        (0, fleet_1.hold)(fleet, [canary]);
        const result = await (0, fleet_1.withFleet)(fleet, async (h) => {
            const handle = await (0, fleet_1.startRollout)(h, (0, fleet_1.rolloutInput)(names));
            await (0, fleet_1.heldInAwait)(fleet, [canary]);
            await (0, fleet_1.assertRefused)(handle.executeUpdate(rollout_definitions_1.skipHostUpdate, { args: [{ by: 'erin', host: canary }] }), /too late to skip \(upgrading\)/);
            await (0, fleet_1.assertRefused)(handle.executeUpdate(rollout_definitions_1.skipHostUpdate, { args: [{ by: 'erin', host: 'elsewhere.example' }] }), /not in rollout/);
            await handle.executeUpdate(rollout_definitions_1.skipHostUpdate, { args: [{ by: 'erin', host: skipped, reason: 'disk swap' }] });
            await (0, fleet_1.assertRefused)(handle.executeUpdate(rollout_definitions_1.skipHostUpdate, { args: [{ by: 'erin', host: skipped }] }), /too late to skip \(done, skipped\)/);
            (0, fleet_1.release)(fleet, [canary]);
            return handle.result();
        });
        strict_1.default.equal(result.outcome, 'completed', result.reason);
        const record = result.hosts.find((r) => r.host === skipped);
        strict_1.default.equal(record?.outcome, 'skipped');
        strict_1.default.match(record?.reason ?? '', /skipped by erin: disk swap/);
        strict_1.default.equal(fleet.touched(skipped), false);
        strict_1.default.equal(result.counts.upgraded, 3);
        strict_1.default.equal(result.failures, 0);
    });
    (0, node_test_1.test)('a host already upgrading in another rollout is reported busy and left alone', limit, async () => {
        const fleet = new fleet_1.Fleet();
        const [shared, other] = fleet.add(2);
        (0, fleet_1.hold)(fleet, [shared]);
        const { first, second } = await (0, fleet_1.withFleet)(fleet, async (h) => {
            const first = await (0, fleet_1.startRollout)(h, (0, fleet_1.rolloutInput)([shared], { strategy: { canary: 0, batches: [1] } }));
            await (0, fleet_1.heldInAwait)(fleet, [shared]);
            const callsBefore = fleet.calls.filter((c) => c.host === shared).length;
            const secondInput = (0, fleet_1.rolloutInput)([shared, other], { strategy: { canary: 0, batches: [2] }, failureBudget: '1' });
            const second = await (await (0, fleet_1.startRollout)(h, secondInput)).result();
            strict_1.default.equal(fleet.calls.filter((c) => c.host === shared).length, callsBefore, 'the second rollout never touched it');
            const status = await h.client.workflow.getHandle((0, definitions_1.upgradeWorkflowId)(shared)).query(definitions_1.statusQuery);
            strict_1.default.equal(status.phase, 'await', "the first rollout's run goes on undisturbed");
            (0, fleet_1.release)(fleet, [shared]);
            return { first: await first.result(), second };
        });
        strict_1.default.equal(second.outcome, 'completed', second.reason);
        strict_1.default.equal(second.hosts.find((r) => r.host === shared)?.outcome, 'busy');
        strict_1.default.match(second.hosts.find((r) => r.host === shared)?.reason ?? '', /another run of kernel-upgrade\//);
        strict_1.default.equal(second.hosts.find((r) => r.host === other)?.outcome, 'upgraded');
        strict_1.default.equal(second.failures, 1, 'busy counts against the budget');
        strict_1.default.equal(first.hosts[0]?.outcome, 'upgraded');
        strict_1.default.equal(fleet.host(shared).get().reboots, 1, 'rebooted once, by the first rollout');
    });
    (0, node_test_1.test)('a busy host blocked by a stand-alone upgrade: the rollout does not touch it', limit, async () => {
        const fleet = new fleet_1.Fleet();
        const [busy] = fleet.add(1);
        const result = await (0, fleet_1.withFleet)(fleet, async (h) => {
            const standalone = await h.client.workflow.start(workflows_1.upgradeHostKernel, {
                taskQueue: h.taskQueue,
                workflowId: (0, definitions_1.upgradeWorkflowId)(busy),
                args: [{ ...(0, fleet_1.hostInput)(busy), approveBeforeReboot: true }],
            });
            await (0, fleet_1.until)('the stand-alone run waits for approval', async () => {
                return (await standalone.query(definitions_1.statusQuery)).phase === 'awaiting-approval';
            });
            const result = await (await (0, fleet_1.startRollout)(h, (0, fleet_1.rolloutInput)([busy], { strategy: { canary: 0, batches: [1] }, failureBudget: '1' }))).result();
            await standalone.executeUpdate(definitions_1.abortUpdate, { args: [{ by: 'test', reason: 'cleanup' }] });
            strict_1.default.equal((await standalone.result()).outcome, 'aborted');
            return result;
        });
        strict_1.default.equal(result.hosts[0]?.outcome, 'busy');
        strict_1.default.equal(fleet.host(busy).get().calls['preflight'], 1, 'only the stand-alone run read it');
    });
    (0, node_test_1.test)('outside the maintenance window nothing starts; abort while waiting ends it cleanly', limit, async () => {
        const fleet = new fleet_1.Fleet();
        const names = fleet.add(2);
        const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
        const closedDay = days[(new Date().getUTCDay() + 3) % 7];
        const result = await (0, fleet_1.withFleet)(fleet, async (h) => {
            const handle = await (0, fleet_1.startRollout)(h, (0, fleet_1.rolloutInput)(names, { window: `${closedDay} 00:00-24:00 UTC` }));
            const p = await (0, fleet_1.progressUntil)(handle, 'waiting for the window', (p) => p.waitingFor === 'window');
            strict_1.default.equal(p.phase, 'waiting-for-window');
            strict_1.default.ok((p.windowOpensInMs ?? 0) > 24 * 3600_000, `opens in ${p.windowOpensInMs} ms`);
            strict_1.default.match(p.details, /^waiting for the window/);
            await handle.executeUpdate(rollout_definitions_1.abortRolloutUpdate, { args: [{ by: 'frank', reason: 'not this week' }] });
            return handle.result();
        });
        strict_1.default.equal(result.outcome, 'aborted');
        strict_1.default.equal(result.counts['not-started'], 2);
        for (const n of names)
            strict_1.default.equal(fleet.touched(n), false);
    });
    (0, node_test_1.test)('bad input fails the rollout at once, naming the field', limit, async () => {
        const fleet = new fleet_1.Fleet();
        const names = fleet.add(1);
        await (0, fleet_1.withFleet)(fleet, async (h) => {
            const handle = await (0, fleet_1.startRollout)(h, (0, fleet_1.rolloutInput)(names, { failureBudget: 'lots' }));
            await strict_1.default.rejects(handle.result(), (err) => {
                strict_1.default.match(err.cause?.message ?? '', /failureBudget/);
                return true;
            });
        });
    });
    (0, node_test_1.test)('approve and abort land while the rollout continues as new', { timeout: 300_000 }, async () => {
        const fleet = new fleet_1.Fleet();
        const names = fleet.add(30);
        const input = (0, fleet_1.rolloutInput)(names, {
            strategy: { canary: 1, batches: [1] },
            approveAfterCanary: true,
            maxHistoryEvents: 50,
        });
        const result = await (0, fleet_1.withFleet)(fleet, async (h) => {
            const handle = await (0, fleet_1.startRollout)(h, input);
            // Approve as soon as the gate waits: refused before that, with the reason.
            let approvals = 0;
            for (;;) {
                try {
                    await handle.executeUpdate(rollout_definitions_1.approveRolloutUpdate, { args: [{ by: 'gina' }] });
                    approvals += 1;
                    break;
                }
                catch (err) {
                    const e = err;
                    strict_1.default.match(`${e.message} ${e.cause?.message ?? ''}`, /nothing waits for approval/);
                }
            }
            strict_1.default.equal(approvals, 1);
            // Let it cross continueAsNew at least once, then abort right away, whatever the moment.
            await (0, fleet_1.progressUntil)(handle, 'a second run', (p) => p.runs >= 2);
            await handle.executeUpdate(rollout_definitions_1.abortRolloutUpdate, { args: [{ by: 'gina', reason: 'enough' }] });
            return handle.result();
        });
        strict_1.default.equal(result.outcome, 'aborted', result.reason);
        strict_1.default.ok(result.runs >= 2, `${result.runs} runs`);
        strict_1.default.equal(result.hosts.length, 30);
        const started = result.hosts.filter((r) => r.outcome !== 'not-started');
        const notStarted = result.hosts.filter((r) => r.outcome === 'not-started');
        strict_1.default.ok(notStarted.length > 0, 'the abort left hosts not started');
        for (const r of started) {
            strict_1.default.equal(r.outcome, 'upgraded', `${r.host} finished its upgrade`);
            (0, fleet_1.assertUpgraded)(fleet, r.host);
        }
        for (const r of notStarted)
            strict_1.default.equal(fleet.touched(r.host), false, `${r.host} untouched after the abort`);
        strict_1.default.deepEqual(result.hosts.map((r) => r.host), names);
    });
    (0, node_test_1.test)('updates at awkward moments: pause/resume, addHosts and skipHost while the rollout continues as new', { timeout: 300_000 }, async () => {
        const fleet = new fleet_1.Fleet();
        const names = fleet.add(24);
        const extra = fleet.add(6, 'ok', 'added');
        // One host per batch and the smallest history limit: nearly every batch boundary is a
        // continueAsNew, so the updates below keep landing on a run that is about to close.
        const input = (0, fleet_1.rolloutInput)(names, {
            strategy: { canary: 1, batches: [1] },
            maxHistoryEvents: 50,
        });
        const accepted = { pauses: 0, resumes: 0, added: [], skipped: [] };
        const refusals = [];
        const tryUpdate = async (fn, onAccept) => {
            try {
                await fn();
                onAccept();
            }
            catch (err) {
                const e = err;
                const why = `${e.message} ${e.cause?.message ?? ''}`;
                // Refused by a validator (too late, already ended) is fine; anything else is a bug.
                strict_1.default.match(why, /too late|has ended|is not paused|already paused|nothing to/, why);
                refusals.push(why.trim());
            }
        };
        const result = await (0, fleet_1.withFleet)(fleet, async (h) => {
            const handle = await (0, fleet_1.startRollout)(h, input);
            let round = 0;
            let runsSeen = 1;
            for (;;) {
                const desc = await handle.describe();
                if (desc.status.name === 'COMPLETED')
                    break;
                const p = await handle.query(rollout_definitions_1.rolloutProgressQuery, { hosts: 'none' }).catch(() => null);
                if (p)
                    runsSeen = Math.max(runsSeen, p.runs);
                const by = `ops-${round}`;
                await tryUpdate(() => handle.executeUpdate(rollout_definitions_1.pauseRolloutUpdate, { args: [{ by, reason: 'awkward' }] }), () => (accepted.pauses += 1));
                await tryUpdate(() => handle.executeUpdate(rollout_definitions_1.resumeRolloutUpdate, { args: [{ by }] }), () => (accepted.resumes += 1));
                if (round < extra.length) {
                    const host = extra[round];
                    await tryUpdate(() => handle.executeUpdate(rollout_definitions_1.addHostsUpdate, { args: [{ by, hosts: [(0, fleet_1.rolloutHost)(host)] }] }), () => accepted.added.push(host));
                }
                if (round % 4 === 1) {
                    const victim = names[names.length - 1 - accepted.skipped.length];
                    await tryUpdate(() => handle.executeUpdate(rollout_definitions_1.skipHostUpdate, { args: [{ by, host: victim }] }), () => accepted.skipped.push(victim));
                }
                round += 1;
                if (accepted.added.length === extra.length && runsSeen >= 3 && accepted.skipped.length >= 2)
                    break;
            }
            return handle.result();
        });
        process.stdout.write(`# awkward updates: ${result.runs} runs, ${accepted.pauses} pauses, ${accepted.added.length} added, ` +
            `${accepted.skipped.length} skipped, ${refusals.length} refused\n`);
        strict_1.default.equal(result.outcome, 'completed', result.reason);
        strict_1.default.ok(result.runs >= 3, `crossed continueAsNew at least twice (${result.runs} runs)`);
        strict_1.default.ok(accepted.pauses > 0 && accepted.pauses === accepted.resumes, 'every accepted pause was resumed');
        strict_1.default.equal(accepted.added.length, extra.length, 'every host was added');
        strict_1.default.ok(accepted.skipped.length >= 2, 'skips were accepted');
        const all = [...names, ...accepted.added];
        strict_1.default.deepEqual(result.hosts.map((r) => r.host), all, 'every host once, in order, added ones last');
        for (const n of all) {
            const outcome = result.hosts.find((r) => r.host === n)?.outcome;
            if (accepted.skipped.includes(n)) {
                strict_1.default.equal(outcome, 'skipped', n);
                strict_1.default.equal(fleet.touched(n), false, `${n} was skipped and never touched`);
            }
            else {
                strict_1.default.equal(outcome, 'upgraded', n);
                (0, fleet_1.assertUpgraded)(fleet, n);
                strict_1.default.equal(fleet.host(n).get().calls['preflight'], 1, `${n} upgraded exactly once`);
            }
        }
    });
    // ---- prepareAhead -----------------------------------------------------------------------------
    (0, node_test_1.test)('prepareAhead: the next batch installs and stages while this one reboots, then reboots on its turn', limit, async () => {
        const fleet = new fleet_1.Fleet();
        const names = fleet.add(7);
        const strategy = { canary: 1, batches: [3] };
        const plan = (0, rollout_plan_1.planBatches)(names, strategy);
        const [canary, second] = [plan[0], plan[1]];
        (0, fleet_1.hold)(fleet, canary);
        const { result, seen } = await (0, fleet_1.withFleet)(fleet, async (h) => {
            const handle = await (0, fleet_1.startRollout)(h, (0, fleet_1.rolloutInput)(names, { strategy, prepareAhead: true }));
            await (0, fleet_1.heldInAwait)(fleet, canary);
            // While the canary is away rebooting, batch 2 gets as far as staging and stops there.
            await stagedAndHeld(h, fleet, second);
            const p = await handle.query(rollout_definitions_1.rolloutProgressQuery);
            for (const n of second)
                strict_1.default.equal(fleet.host(n).get().calls['rebootHost'] ?? 0, 0, `${n} not rebooted yet`);
            for (const n of plan[2])
                strict_1.default.equal(fleet.touched(n), false, `${n}: two batches ahead, untouched`);
            // An operator's approve is not what it waits for.
            await (0, fleet_1.assertRefused)(h.client.workflow
                .getHandle((0, definitions_1.upgradeWorkflowId)(second[0]))
                .executeUpdate(definitions_1.approveUpdate, { args: [{ by: 'eve' }] }), /nothing waits for approval/);
            // Nor does a go from anyone but the rollout that started it.
            const held = h.client.workflow.getHandle((0, definitions_1.upgradeWorkflowId)(second[0]));
            await held.signal(definitions_1.rolloutDecisionSignal, { go: true, by: 'mallory' });
            await (0, fleet_1.until)('the stray go noted', async () => (await held.query(definitions_1.statusQuery)).timeline.some((e) => /ignored a rolloutDecision from mallory/.test(e.message)));
            strict_1.default.equal((await held.query(definitions_1.statusQuery)).waitingFor, 'rollout', 'still held');
            strict_1.default.equal(fleet.host(second[0]).get().calls['rebootHost'] ?? 0, 0, 'not rebooted by the stray go');
            (0, fleet_1.release)(fleet, canary);
            return { result: await handle.result(), seen: p };
        });
        strict_1.default.match(seen.details, /1 hosts rebooting, 3 of batch 2 prepared ahead/);
        strict_1.default.equal(seen.currentBatch, 1);
        strict_1.default.equal(seen.totalBatches, 3, 'the prepared batch still counts as a batch to come');
        strict_1.default.equal(result.outcome, 'completed', result.reason);
        strict_1.default.equal(result.counts.upgraded, 7);
        strict_1.default.equal(result.batches, 3);
        for (const [i, batch] of plan.entries()) {
            for (const n of batch) {
                (0, fleet_1.assertUpgraded)(fleet, n);
                strict_1.default.equal(fleet.host(n).get().calls['rebootHost'], 1, `${n} rebooted once`);
                strict_1.default.equal(result.hosts.find((r) => r.host === n)?.batch, i + 1, `${n} ran in batch ${i + 1}`);
            }
        }
        assertBatchesInOrder(fleet, plan, 'rebootHost');
    });
    (0, node_test_1.test)("prepareAhead: the next batch starts once this batch's reboot commands were issued, not as they begin", limit, async () => {
        const fleet = new fleet_1.Fleet();
        const names = fleet.add(4);
        const strategy = { canary: 1, batches: [3] };
        const [canary, second] = [names[0], names.slice(1)];
        fleet.host(canary).update((s) => (s.holdRebootAfterIssue = true));
        const result = await (0, fleet_1.withFleet)(fleet, async (h) => {
            const handle = await (0, fleet_1.startRollout)(h, (0, fleet_1.rolloutInput)(names, { strategy, prepareAhead: true }));
            await (0, fleet_1.until)('the canary reboot command running', () => (fleet.host(canary).get().calls['rebootHost'] ?? 0) > 0);
            // The activity runs, so the workflow task that scheduled it is in the history with every
            // command it made: a "rebooting" signal sent as the step began would be there too.
            const run = h.client.workflow.getHandle((0, definitions_1.upgradeWorkflowId)(canary));
            const signalled = async () => (await run.fetchHistory()).events?.some((e) => e.signalExternalWorkflowExecutionInitiatedEventAttributes?.signalName === 'hostRebooting') === true;
            strict_1.default.equal(await signalled(), false, 'no "rebooting" report while the reboot command runs');
            for (const n of second)
                strict_1.default.equal(fleet.touched(n), false, `${n} not prepared yet`);
            fleet.host(canary).update((s) => (s.holdRebootAfterIssue = false));
            await (0, fleet_1.until)('the canary reported rebooting', signalled);
            return handle.result();
        });
        strict_1.default.equal(result.outcome, 'completed', result.reason);
        for (const n of names)
            (0, fleet_1.assertUpgraded)(fleet, n);
    });
    (0, node_test_1.test)('prepareAhead: while the rollout is paused, the next batch is not prepared', limit, async () => {
        const fleet = new fleet_1.Fleet();
        const names = fleet.add(3);
        const [canary, second] = [names.slice(0, 1), names.slice(1)];
        const t = (0, fleet_1.template)();
        // Every run waits for an operator's approval after staging: the canary waits there while the
        // rollout is paused, then reboots (the moment the next batch would be prepared).
        const input = (0, fleet_1.rolloutInput)(names, {
            template: { ...t, approveBeforeReboot: true },
            strategy: { canary: 1, batches: [2] },
            prepareAhead: true,
        });
        const result = await (0, fleet_1.withFleet)(fleet, async (h) => {
            const handle = await (0, fleet_1.startRollout)(h, input);
            const approveWhenWaiting = (n) => (0, fleet_1.until)(`${n} approved`, async () => {
                try {
                    await h.client.workflow
                        .getHandle((0, definitions_1.upgradeWorkflowId)(n))
                        .executeUpdate(definitions_1.approveUpdate, { args: [{ by: 'jo' }] });
                    return true;
                }
                catch {
                    return false; // not started yet, or not waiting for approval yet
                }
            });
            await (0, fleet_1.until)('the canary waits for approval', async () => {
                const st = await h.client.workflow
                    .getHandle((0, definitions_1.upgradeWorkflowId)(canary[0]))
                    .query(definitions_1.statusQuery)
                    .catch(() => null);
                return st?.waitingFor === 'approval';
            });
            await handle.executeUpdate(rollout_definitions_1.pauseRolloutUpdate, { args: [{ by: 'jo', reason: 'look first' }] });
            await approveWhenWaiting(canary[0]);
            await (0, fleet_1.progressUntil)(handle, 'paused with the canary done', (p) => p.phase === 'paused');
            for (const n of second)
                strict_1.default.equal(fleet.touched(n), false, `${n} not prepared while paused`);
            await handle.executeUpdate(rollout_definitions_1.resumeRolloutUpdate, { args: [{ by: 'jo' }] });
            for (const n of second)
                await approveWhenWaiting(n);
            return handle.result();
        });
        strict_1.default.equal(result.outcome, 'completed', result.reason);
        for (const n of names)
            (0, fleet_1.assertUpgraded)(fleet, n);
    });
    (0, node_test_1.test)("prepareAhead: a halt undoes the held batch's staging; those hosts never reboot", limit, async () => {
        const fleet = new fleet_1.Fleet();
        const canary = fleet.add(1, 'panic');
        const rest = fleet.add(5);
        const names = [...canary, ...rest];
        const input = (0, fleet_1.rolloutInput)(names, { strategy: { canary: 1, batches: [2] }, prepareAhead: true });
        const result = await (0, fleet_1.withFleet)(fleet, async (h) => (await (0, fleet_1.startRollout)(h, input)).result());
        strict_1.default.equal(result.outcome, 'halted', result.reason);
        const outcomeOf = (n) => result.hosts.find((r) => r.host === n);
        strict_1.default.equal(outcomeOf(canary[0])?.outcome, 'rolled-back');
        const [prepared, untouched] = [rest.slice(0, 2), rest.slice(2)];
        for (const n of prepared) {
            const r = outcomeOf(n);
            strict_1.default.equal(r?.outcome, 'not-started', n);
            strict_1.default.match(r?.reason ?? '', /prepared ahead, never rebooted: aborted by kernel-rollout\/.*rollout halted/);
            const s = fleet.host(n).get();
            strict_1.default.equal(s.calls['rebootHost'] ?? 0, 0, `${n} never rebooted`);
            strict_1.default.equal(s.running, temporal_1.OLD);
            strict_1.default.equal(s.nextEntry, null, `${n}: no one-shot left`);
            strict_1.default.equal(s.savedDefault, temporal_1.OLD, `${n}: the known-good stays the default`);
            strict_1.default.equal(s.staged, false, `${n}: staging undone`);
        }
        for (const n of untouched)
            strict_1.default.equal(fleet.touched(n), false, `${n} untouched`);
        strict_1.default.equal(result.failures, 1, 'held hosts do not use up the budget');
        strict_1.default.equal(result.counts['not-started'], 5);
    });
    (0, node_test_1.test)('prepareAhead: an abort while the next batch is held undoes its staging', limit, async () => {
        const fleet = new fleet_1.Fleet();
        const names = fleet.add(5);
        const [canary, second] = [names.slice(0, 1), names.slice(1, 3)];
        (0, fleet_1.hold)(fleet, canary);
        const result = await (0, fleet_1.withFleet)(fleet, async (h) => {
            const handle = await (0, fleet_1.startRollout)(h, (0, fleet_1.rolloutInput)(names, { strategy: { canary: 1, batches: [2] }, prepareAhead: true }));
            await (0, fleet_1.heldInAwait)(fleet, canary);
            await (0, fleet_1.until)('batch 2 staged', () => second.every((n) => (fleet.host(n).get().calls['stageTrialBoot'] ?? 0) === 1));
            await handle.executeUpdate(rollout_definitions_1.abortRolloutUpdate, { args: [{ by: 'hal', reason: 'change freeze' }] });
            (0, fleet_1.release)(fleet, canary);
            return handle.result();
        });
        strict_1.default.equal(result.outcome, 'aborted', result.reason);
        (0, fleet_1.assertUpgraded)(fleet, canary[0]);
        for (const n of second) {
            const r = result.hosts.find((x) => x.host === n);
            strict_1.default.equal(r?.outcome, 'not-started', n);
            strict_1.default.match(r?.reason ?? '', /prepared ahead, never rebooted: .*change freeze/);
            const s = fleet.host(n).get();
            strict_1.default.equal(s.calls['rebootHost'] ?? 0, 0, `${n} never rebooted`);
            strict_1.default.equal(s.nextEntry, null);
            strict_1.default.equal(s.staged, false);
        }
        for (const n of names.slice(3))
            strict_1.default.equal(fleet.touched(n), false, `${n} untouched`);
    });
    (0, node_test_1.test)('prepareAhead: held past approvalTimeoutSeconds (a long pause), the hosts undo and run again later', { timeout: 120_000 }, async () => {
        const fleet = new fleet_1.Fleet();
        const names = fleet.add(4);
        const [canary, second] = [names.slice(0, 1), names.slice(1, 3)];
        const t = (0, fleet_1.template)();
        const input = (0, fleet_1.rolloutInput)(names, {
            template: { ...t, timeouts: { ...t.timeouts, approvalTimeoutSeconds: 10 } },
            strategy: { canary: 1, batches: [2] },
            prepareAhead: true,
        });
        (0, fleet_1.hold)(fleet, canary);
        const result = await (0, fleet_1.withFleet)(fleet, async (h) => {
            const handle = await (0, fleet_1.startRollout)(h, input);
            await (0, fleet_1.heldInAwait)(fleet, canary);
            await stagedAndHeld(h, fleet, second);
            await handle.executeUpdate(rollout_definitions_1.pauseRolloutUpdate, { args: [{ by: 'ida', reason: 'long lunch' }] });
            (0, fleet_1.release)(fleet, canary);
            // The held runs give up after 10 s: their staging is undone and they end.
            await (0, fleet_1.until)('the held runs ended', async () => {
                for (const n of second) {
                    const d = await h.client.workflow.getHandle((0, definitions_1.upgradeWorkflowId)(n)).describe();
                    if (d.status.name !== 'COMPLETED')
                        return false;
                }
                return true;
            }, 60_000);
            for (const n of second)
                strict_1.default.equal(fleet.host(n).get().staged, false, `${n}: staging undone`);
            await handle.executeUpdate(rollout_definitions_1.resumeRolloutUpdate, { args: [{ by: 'ida' }] });
            return handle.result();
        });
        strict_1.default.equal(result.outcome, 'completed', result.reason);
        for (const n of names) {
            (0, fleet_1.assertUpgraded)(fleet, n);
            strict_1.default.equal(fleet.host(n).get().calls['rebootHost'], 1, `${n} rebooted once`);
        }
        for (const n of second)
            strict_1.default.equal(fleet.host(n).get().calls['preflight'], 2, `${n} prepared twice`);
        strict_1.default.equal(result.failures, 0);
    });
    (0, node_test_1.test)('prepareAhead across continueAsNew: every host upgraded exactly once', { timeout: 300_000 }, async () => {
        const fleet = new fleet_1.Fleet();
        const names = fleet.add(16);
        const strategy = { canary: 0, batches: [2] };
        const input = (0, fleet_1.rolloutInput)(names, { strategy, prepareAhead: true, maxHistoryEvents: 50 });
        const result = await (0, fleet_1.withFleet)(fleet, async (h) => (await (0, fleet_1.startRollout)(h, input)).result());
        strict_1.default.equal(result.outcome, 'completed', result.reason);
        strict_1.default.ok(result.runs >= 2, `crossed continueAsNew (${result.runs} runs)`);
        strict_1.default.deepEqual(result.hosts.map((r) => r.host), names);
        for (const n of names) {
            (0, fleet_1.assertUpgraded)(fleet, n);
            const s = fleet.host(n).get();
            strict_1.default.equal(s.calls['preflight'], 1, `${n} prepared once`);
            strict_1.default.equal(s.calls['rebootHost'], 1, `${n} rebooted once`);
        }
        assertBatchesInOrder(fleet, (0, rollout_plan_1.planBatches)(names, strategy), 'rebootHost');
    });
});
//# sourceMappingURL=rollout.test.js.map