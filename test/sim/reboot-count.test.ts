/**
 * A run's rebootCount owns up to a reboot whose answer was lost when the retry cannot tell.
 *
 * upgradeHostKernel on a Temporal dev server with kernel-rollout's own activities, against a
 * simulated host whose host key changes with every boot. The first attempt of the reboot activity
 * really reboots the host; its answer is then lost (as when the worker dies), after the host is
 * back. The retry meets the new host key and is refused, so the run waits for an operator, who
 * gives up. The host rebooted once: the result must say so. This is what the chaos suite found
 * when its worker kill landed inside that activity; here it happens every time.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Context } from '@temporalio/activity';

import { createActivities } from '../../src/activities';
import type { RebootRequest, UpgradeResult } from '../../src/shared/types';
import { upgradeHostKernel } from '../../src/workflows';
import { resolveUpdate, statusQuery, upgradeWorkflowId } from '../../src/workflows/definitions';
import { startSimulator, type Simulator } from '../../sim/simulator';
import { stopOwnServer, testInput, withWorker } from '../helpers/temporal';
import { NEW, OLD, entryOf, simTarget } from './helpers';

const HOST = 'rekeyed-on-reboot';

let sim: Simulator;
before(async () => {
  sim = await startSimulator({ hosts: [{ name: HOST, faults: { hostKeyChangesOnReboot: true } }], bootSeconds: 1 });
});
after(async () => {
  await sim?.stop();
  await stopOwnServer();
});

test('a reboot whose answer was lost, then a retry refused on the new host key: rebootCount 1', async () => {
  const real = createActivities();
  const activities = {
    ...real,
    async rebootHost(req: RebootRequest) {
      const result = await real.rebootHost(req);
      if (Context.current().info.attempt === 1) {
        // The host reboots for real; the answer is lost once it is back with its new key.
        await sim.waitFor(HOST, ['down'], 10_000);
        await sim.waitFor(HOST, ['up'], 20_000);
        throw new Error('the worker lost the answer of the reboot it issued');
      }
      return result;
    },
  };
  const input = testInput({
    target: simTarget(sim, HOST),
    toRelease: NEW,
    source: { kind: 'apt', packageName: `linux-image-${NEW}` },
  });
  const result: UpgradeResult = await withWorker(activities, async ({ client, taskQueue }) => {
    const handle = await client.workflow.start(upgradeHostKernel, {
      taskQueue,
      workflowId: upgradeWorkflowId(HOST),
      args: [input],
    });
    const deadline = Date.now() + 120_000;
    for (;;) {
      const s = await handle.query(statusQuery);
      if (s.phase === 'needs-attention') {
        assert.match(s.details, /reboot failed: HostKeyMismatchError/);
        break;
      }
      if (s.outcome) assert.fail(`ended (${s.outcome}) without asking an operator: ${s.details}`);
      if (Date.now() > deadline) assert.fail(`no needs-attention; still ${s.phase}: ${s.details}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    await handle.executeUpdate(resolveUpdate, { args: [{ by: 'oncall', action: 'give-up' }] });
    return handle.result();
  });

  const host = sim.inspect(HOST);
  assert.equal(host.bootCount, 2, 'the host booted once more: one reboot');
  assert.equal(host.rebootsRequested, 1);
  assert.equal(result.outcome, 'needs-attention', result.reason);
  assert.equal(result.rebootCount, 1, `the result owns up to the reboot: ${JSON.stringify(result.timeline.at(-2))}`);
  assert.ok(
    result.timeline.some((t) => /earlier attempt ran and may have rebooted/.test(t.message)),
    'the timeline says why the reboot is counted',
  );
  // Rule 1 on the way: the saved default is still the kernel the host started with.
  assert.equal(host.runningKernel, NEW, 'the one-shot trial boot ran the new kernel');
  assert.equal(host.savedEntry, entryOf(OLD));
});
