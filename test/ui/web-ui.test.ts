/**
 * The operators' view, proven in a real browser (docs/operations.md, web UI): a dev server WITH its web UI, a
 * worker in this process with stub activities on a fleet of 12 model hosts, and a rollout held
 * mid-batch (its hosts reboot but stay down, in `await`, until the test lets them go). Headless Chromium
 * (Debian's `chromium`, driven by playwright-core) opens
 *   - the rollout's workflow page and waits until its current details sentence
 *     (`batch 2/4: 3 hosts rebooting, 1 upgraded, 1 rolled back, budget 1 left`) is on screen
 *     → test-artifacts/ui/rollout.png
 *   - the workflow list filtered by `KernelRolloutPhase IN ("reboot", "await")` and waits until
 *     exactly the held hosts are listed → test-artifacts/ui/search-by-phase.png
 * Every wait is for a condition, with a deadline. Also checks that the worker's startup
 * registration adds the search attributes to a namespace that lacks them.
 *
 *   npm run test:ui      (needs /usr/bin/chromium: apt-get install chromium)
 */
import { after, before, describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { msToTs } from '@temporalio/common/lib/time';
import { NativeConnection, Worker } from '@temporalio/worker';
import { chromium, type Browser, type Page } from 'playwright-core';
import { FakeHost, createStubActivities, newHostState, type TrialBehaviour } from '../helpers/fake-host';
import { OLD, testInput, workflowBundle } from '../helpers/temporal';
import type { KernelRolloutActivities } from '../../src/activities';
import { keepAlive } from '../../src/activities/keep-alive';
import { createRolloutActivities } from '../../src/activities/rollout';
import { startDevServer, type DevServer } from '../../src/dev/temporal-server';
import { ensureSearchAttributes } from '../../src/worker';
import { startRollout } from '../../src/client/rollout';
import {
  rolloutProgressQuery,
  rolloutWorkflowId,
  type RolloutInput,
  type RolloutProgress,
  type RolloutTemplate,
} from '../../src/workflows/rollout-definitions';
import { upgradeWorkflowId } from '../../src/workflows/definitions';
import { KernelRolloutPhase, KernelRolloutTarget } from '../../src/workflows/search-attributes';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = path.join(__dirname, '..', '..', '..', 'test-artifacts', 'ui');
const DETAILS_RE = /batch \d+\/\d+: .* budget \d+ left/;
// The UI's Markdown renderer typesets "2/4" as a fraction (U+2044 FRACTION SLASH, ²⁄₄).
const RENDERED_DETAILS_RE = /batch \d+[/\u2044]\d+: .* budget \d+ left/;

/** Polls `check` until it holds; fails naming `what` (and the last state) after the deadline. */
async function until<T>(
  what: string,
  check: () => Promise<T | null | undefined | false>,
  timeoutMs = 60_000,
  describeLast: () => string = () => '',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) assert.fail(`timed out after ${timeoutMs} ms waiting for: ${what} ${describeLast()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Waits until the page (or one of its frames) shows `re`; on timeout saves what it showed. */
async function untilPageShows(
  page: Page,
  what: string,
  matches: (text: string) => boolean,
  shot: string,
  reloadEveryMs?: number,
) {
  let last = '';
  let loadedAt = Date.now();
  try {
    return await until(
      `${what} on ${page.url()}`,
      async () => {
        // The workflow list loads once and does not refresh itself: reload it to see later rows.
        if (reloadEveryMs !== undefined && Date.now() - loadedAt > reloadEveryMs) {
          await page.reload();
          loadedAt = Date.now();
        }
        last = await visibleText(page);
        return matches(last) ? last : null;
      },
      60_000,
    );
  } catch (err) {
    await page.screenshot({ path: path.join(ARTIFACTS, `${shot}-failed.png`), fullPage: true }).catch(() => undefined);
    throw new Error(
      `${(err as Error).message}\n--- the page showed (see ${shot}-failed.png) ---\n${last.slice(0, 3000)}`,
    );
  }
}

/** Text of the page and its frames (the UI may render Markdown details in a frame). */
async function visibleText(page: Page): Promise<string> {
  const texts = await Promise.all(
    page.frames().map((f) =>
      f
        .locator('body')
        .innerText()
        .catch(() => ''),
    ),
  );
  return texts.join('\n');
}

// ---- a fleet of model hosts behind one set of stub activities -------------------------------

class Fleet {
  readonly prefix = `ui${randomUUID().slice(0, 6)}`;
  readonly hosts = new Map<string, FakeHost>();

  add(count: number, trial: TrialBehaviour, holdDown: boolean): string[] {
    return Array.from({ length: count }, () => {
      const name = `${this.prefix}-web-${String(this.hosts.size + 1).padStart(2, '0')}`;
      const host = new FakeHost(newHostState(OLD, trial));
      host.update((s) => (s.holdAwait = holdDown));
      this.hosts.set(name, host);
      return name;
    });
  }

  releaseAll(): void {
    for (const h of this.hosts.values()) h.update((s) => (s.holdAwait = false));
  }

  activities(): KernelRolloutActivities {
    const stubs = new Map([...this.hosts].map(([name, h]) => [name, createStubActivities(h)]));
    const names = Object.keys(createStubActivities(new FakeHost(newHostState(OLD, 'ok'))));
    // The rollout's own activities name no host: they run as they are.
    const routed: Record<string, (req: never) => Promise<unknown>> = { ...createRolloutActivities() };
    for (const name of names) {
      if (name in routed) continue;
      routed[name] = async (req: never) => {
        const r = req as { target?: { host: string }; host?: string };
        const host = r.target?.host ?? r.host ?? '';
        const forHost = stubs.get(host) as unknown as Record<string, (req: never) => Promise<unknown>> | undefined;
        if (!forHost) throw ApplicationFailure.nonRetryable(`no model host ${host}`, 'InvalidInputError');
        return (forHost[name] as (req: never) => Promise<unknown>)(req);
      };
    }
    return routed as unknown as KernelRolloutActivities;
  }
}

function template(): RolloutTemplate {
  const base = testInput({ stabilitySeconds: 0 });
  // The held hosts sit in awaitHostReturn for minutes. With the 2 s heartbeat timeout of the other
  // tests, a heartbeat delayed while Chromium starts on a 2-core machine times the activity out
  // (when the hosts were held in rebootHost, a retry once moved a host out of the listed phase).
  // Here the heartbeat timeout is 60 s.
  const { target, ...rest } = { ...base, timeouts: { ...base.timeouts, heartbeatSeconds: 60 } };
  const { host: _host, address: _address, ...ssh } = target;
  return { ...rest, ssh };
}

type RolloutHandle = Awaited<ReturnType<typeof startRollout>>['handle'];

/** 12 model hosts: a canary, one that panics, three held down after their reboot, seven for later batches. */
function heldRollout() {
  const fleet = new Fleet();
  const canary = fleet.add(1, 'ok', false);
  const panics = fleet.add(1, 'panic', false);
  const rebooting = fleet.add(3, 'ok', true);
  const later = fleet.add(7, 'ok', true);
  const input: RolloutInput = {
    rolloutId: `${fleet.prefix}-6.1.0-48`,
    template: template(),
    hosts: [...canary, ...panics, ...rebooting, ...later].map((host) => ({ host })),
    strategy: { canary: 1, batches: [4] },
    failureBudget: '2',
    approveAfterCanary: false,
    pauseBetweenBatchesSeconds: 0,
  };
  return { fleet, canary, rebooting, later, input };
}

/** Waits until batch 2 holds three hosts rebooting (down, not back), one rolled back; checks its details sentence. */
async function untilBatchTwoRebooting(handle: RolloutHandle): Promise<void> {
  let progress: RolloutProgress | null = null;
  progress = await until(
    'batch 2 with one host rolled back and three rebooting',
    async () => {
      progress = await handle.query(rolloutProgressQuery);
      return progress.currentBatch === 2 &&
        progress.counts['rolled-back'] === 1 &&
        progress.upgrading === 3 &&
        progress.rebooting === 3
        ? progress
        : null;
    },
    120_000,
    () => `(last: ${progress?.details ?? 'none'})`,
  );
  assert.match(progress.details, DETAILS_RE);
  assert.match(progress.details, /batch 2\/4: 3 hosts rebooting, 1 upgraded, 1 rolled back, budget 1 left/);
}

/** The list API finds exactly the held hosts by phase; the search attributes of a host and the rollout. */
async function checkVisibility(
  client: Client,
  handle: RolloutHandle,
  input: RolloutInput,
  query: string,
  expected: string[],
): Promise<void> {
  await until(`${query} to list ${expected.join(', ')}`, async () => {
    const ids: string[] = [];
    for await (const wf of client.workflow.list({ query })) ids.push(wf.workflowId);
    return JSON.stringify(ids.sort()) === JSON.stringify(expected);
  });
  const described = await client.workflow.getHandle(expected[0] as string).describe();
  assert.equal(described.typedSearchAttributes.get(KernelRolloutTarget), input.template.toRelease);
  const rolloutAttributes = (await handle.describe()).typedSearchAttributes;
  assert.equal(rolloutAttributes.get(KernelRolloutPhase), 'running');
  assert.equal(rolloutAttributes.get(KernelRolloutTarget), input.template.toRelease);
}

function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
    ],
  });
}

/** The rollout's workflow page shows its current details → rollout.png. */
async function checkRolloutPage(page: Page, uiUrl: string | null, handle: RolloutHandle, t: TestContext) {
  const rolloutUrl = `${uiUrl}/namespaces/default/workflows/${encodeURIComponent(handle.workflowId)}/${handle.firstExecutionRunId}/history`;
  await page.goto(rolloutUrl);
  // UI 2.42 shows a run's current details (and static summary/details) on its User Metadata tab.
  await page.getByText('User Metadata', { exact: true }).first().click();
  const text = await untilPageShows(
    page,
    "the rollout's current details",
    (t) => RENDERED_DETAILS_RE.test(t),
    'rollout',
  );
  assert.match(text, /budget 1 left/);
  assert.match(text, new RegExp(handle.workflowId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  await page.screenshot({ path: path.join(ARTIFACTS, 'rollout.png'), fullPage: true });
  t.diagnostic(`rollout.png: ${page.url()}`);
}

/** The workflow list filtered by phase shows the held hosts, not the canary nor later ones → search-by-phase.png. */
async function checkSearchByPhase(
  page: Page,
  uiUrl: string | null,
  query: string,
  expected: string[],
  hosts: { canary: string[]; later: string[] },
  t: TestContext,
) {
  const { canary, later } = hosts;
  const listUrl = `${uiUrl}/namespaces/default/workflows?query=${encodeURIComponent(query)}`;
  await page.goto(listUrl);
  await untilPageShows(
    page,
    `${expected.join(', ')} listed`,
    (t) => expected.every((id) => t.includes(id)) && !t.includes(upgradeWorkflowId(canary[0] as string)),
    'search-by-phase',
    10_000,
  );
  const listed = await visibleText(page);
  for (const id of later.map(upgradeWorkflowId)) assert.ok(!listed.includes(id), `${id} has not started`);
  await page.screenshot({ path: path.join(ARTIFACTS, 'search-by-phase.png'), fullPage: true });
  t.diagnostic(`search-by-phase.png: ${page.url()}`);
}

// ---- the test ------------------------------------------------------------------------------

describe('web UI', () => {
  let server: DevServer;
  let browser: Browser | null = null;

  before(async () => {
    if (!existsSync(CHROMIUM)) {
      assert.fail(`${CHROMIUM} is missing: the web UI test needs Debian's Chromium — run: apt-get install chromium`);
    }
    mkdirSync(ARTIFACTS, { recursive: true });
    for (const shot of ['rollout', 'search-by-phase']) {
      rmSync(path.join(ARTIFACTS, `${shot}.png`), { force: true });
      rmSync(path.join(ARTIFACTS, `${shot}-failed.png`), { force: true });
    }
    const dir = mkdtempSync(path.join(tmpdir(), 'kr-ui-temporal-'));
    server = await startDevServer({ dbFile: path.join(dir, 'temporal.sqlite') });
    assert.ok(server.uiUrl, 'the dev server was started with its web UI');
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('the worker adds missing search attributes to a namespace at startup', { timeout: 60_000 }, async () => {
    const connection = await NativeConnection.connect({ address: server.address });
    try {
      const namespace = `kr-sa-${randomUUID().slice(0, 8)}`;
      await connection.workflowService.registerNamespace({
        namespace,
        workflowExecutionRetentionPeriod: msToTs('1 day'),
      });
      const logged: string[] = [];
      // A new namespace may take a moment to be known to every service of the dev server.
      const first = await until(`namespace ${namespace} to accept search attributes`, () =>
        ensureSearchAttributes(connection, namespace, (m) => logged.push(m)).catch(() => null),
      );
      assert.deepEqual(first.added.sort(), [
        'KernelRolloutOutcome',
        'KernelRolloutPhase',
        'KernelRolloutProgressedAt',
        'KernelRolloutTarget',
      ]);
      const second = await ensureSearchAttributes(connection, namespace, (m) => logged.push(m));
      assert.deepEqual(second.added, []);
      assert.equal(second.present.length, 4);
      assert.match(
        logged.join('\n'),
        /added KernelRolloutPhase, KernelRolloutTarget, KernelRolloutOutcome, KernelRolloutProgressedAt/,
      );
      assert.match(logged.join('\n'), /already in namespace/);
      // The dev server registered them in `default` itself (startDevServer's flags).
      const onDefault = await ensureSearchAttributes(connection, 'default', () => undefined);
      assert.deepEqual(onDefault.added, []);
    } finally {
      await connection.close();
    }
  });

  test('a running rollout: its details on its page, its rebooting hosts by phase', { timeout: 240_000 }, async (t) => {
    const { fleet, canary, rebooting, later, input } = heldRollout();

    const nativeConnection = await NativeConnection.connect({ address: server.address });
    const taskQueue = `ui-${randomUUID()}`;
    const worker = await Worker.create({
      connection: nativeConnection,
      taskQueue,
      workflowBundle: await workflowBundle(),
      activities: keepAlive(fleet.activities()),
    });
    const connection = await Connection.connect({ address: server.address });
    const client = new Client({ connection });
    const workerDone = worker.run();
    try {
      // Started the way kernelctl starts it: checked host by host, with the summary and details
      // the web UI shows.
      const { handle } = await startRollout(client, taskQueue, input);
      await untilBatchTwoRebooting(handle);

      // Visibility is eventually consistent: the list API first, then the browser.
      // A host is rebooting from its reboot step (`reboot`) until it is back (`await` ends).
      const query = `${KernelRolloutPhase.name} IN ("reboot", "await")`;
      const expected = rebooting.map(upgradeWorkflowId).sort();
      await checkVisibility(client, handle, input, query, expected);

      browser = await launchChromium();
      const page = await browser.newPage({ viewport: { width: 1440, height: 1100 } });
      await checkRolloutPage(page, server.uiUrl, handle, t);
      await checkSearchByPhase(page, server.uiUrl, query, expected, { canary, later }, t);
    } finally {
      // Let the held hosts finish so the worker shuts down without cancelling activities.
      fleet.releaseAll();
      const rollout = client.workflow.getHandle(rolloutWorkflowId(input.rolloutId));
      await rollout.terminate('web UI test done').catch(() => undefined);
      for (const host of fleet.hosts.keys()) {
        await client.workflow
          .getHandle(upgradeWorkflowId(host))
          .terminate('web UI test done')
          .catch(() => undefined);
      }
      worker.shutdown();
      await workerDone;
      await connection.close();
      await nativeConnection.close();
    }
  });
});
