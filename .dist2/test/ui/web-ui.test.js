"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
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
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const node_fs_1 = require("node:fs");
const node_os_1 = require("node:os");
const path = __importStar(require("node:path"));
const node_crypto_1 = require("node:crypto");
const client_1 = require("@temporalio/client");
const common_1 = require("@temporalio/common");
const time_1 = require("@temporalio/common/lib/time");
const worker_1 = require("@temporalio/worker");
const playwright_core_1 = require("playwright-core");
const fake_host_1 = require("../helpers/fake-host");
const temporal_1 = require("../helpers/temporal");
const keep_alive_1 = require("../../src/activities/keep-alive");
const temporal_server_1 = require("../../src/dev/temporal-server");
const worker_2 = require("../../src/worker");
const rollout_1 = require("../../src/client/rollout");
const rollout_definitions_1 = require("../../src/workflows/rollout-definitions");
const definitions_1 = require("../../src/workflows/definitions");
const search_attributes_1 = require("../../src/workflows/search-attributes");
const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = path.join(__dirname, '..', '..', '..', 'test-artifacts', 'ui');
const DETAILS_RE = /batch \d+\/\d+: .* budget \d+ left/;
// The UI's Markdown renderer typesets "2/4" as a fraction (U+2044 FRACTION SLASH, ²⁄₄).
const RENDERED_DETAILS_RE = /batch \d+[/\u2044]\d+: .* budget \d+ left/;
/** Polls `check` until it holds; fails naming `what` (and the last state) after the deadline. */
async function until(what, check, timeoutMs = 60_000, describeLast = () => '') {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const value = await check();
        if (value)
            return value;
        if (Date.now() > deadline)
            strict_1.default.fail(`timed out after ${timeoutMs} ms waiting for: ${what} ${describeLast()}`);
        await new Promise((r) => setTimeout(r, 250));
    }
}
/** Waits until the page (or one of its frames) shows `re`; on timeout saves what it showed. */
async function untilPageShows(page, what, matches, shot, reloadEveryMs) {
    let last = '';
    let loadedAt = Date.now();
    try {
        return await until(`${what} on ${page.url()}`, async () => {
            // The workflow list loads once and does not refresh itself: reload it to see later rows.
            if (reloadEveryMs !== undefined && Date.now() - loadedAt > reloadEveryMs) {
                await page.reload();
                loadedAt = Date.now();
            }
            last = await visibleText(page);
            return matches(last) ? last : null;
        }, 60_000);
    }
    catch (err) {
        await page.screenshot({ path: path.join(ARTIFACTS, `${shot}-failed.png`), fullPage: true }).catch(() => undefined);
        throw new Error(`${err.message}\n--- the page showed (see ${shot}-failed.png) ---\n${last.slice(0, 3000)}`);
    }
}
/** Text of the page and its frames (the UI may render Markdown details in a frame). */
async function visibleText(page) {
    const texts = await Promise.all(page.frames().map((f) => f
        .locator('body')
        .innerText()
        .catch(() => '')));
    return texts.join('\n');
}
// ---- a fleet of model hosts behind one set of stub activities -------------------------------
class Fleet {
    prefix = `ui${(0, node_crypto_1.randomUUID)().slice(0, 6)}`;
    hosts = new Map();
    add(count, trial, holdDown) {
        return Array.from({ length: count }, () => {
            const name = `${this.prefix}-web-${String(this.hosts.size + 1).padStart(2, '0')}`;
            const host = new fake_host_1.FakeHost((0, fake_host_1.newHostState)(temporal_1.OLD, trial));
            host.update((s) => (s.holdAwait = holdDown));
            this.hosts.set(name, host);
            return name;
        });
    }
    releaseAll() {
        for (const h of this.hosts.values())
            h.update((s) => (s.holdAwait = false));
    }
    activities() {
        const stubs = new Map([...this.hosts].map(([name, h]) => [name, (0, fake_host_1.createStubActivities)(h)]));
        const names = Object.keys((0, fake_host_1.createStubActivities)(new fake_host_1.FakeHost((0, fake_host_1.newHostState)(temporal_1.OLD, 'ok'))));
        const routed = {};
        for (const name of names) {
            routed[name] = async (req) => {
                const r = req;
                const host = r.target?.host ?? r.host ?? '';
                const forHost = stubs.get(host);
                if (!forHost)
                    throw common_1.ApplicationFailure.nonRetryable(`no model host ${host}`, 'InvalidInputError');
                return forHost[name](req);
            };
        }
        return routed;
    }
}
function template() {
    const base = (0, temporal_1.testInput)({ stabilitySeconds: 0 });
    // The held hosts sit in awaitHostReturn for minutes. With the 2 s heartbeat timeout of the other
    // tests, a heartbeat delayed while Chromium starts on a 2-core machine times the activity out
    // (when the hosts were held in rebootHost, a retry once moved a host out of the listed phase).
    // Here the heartbeat timeout is 60 s.
    const { target, ...rest } = { ...base, timeouts: { ...base.timeouts, heartbeatSeconds: 60 } };
    const { host: _host, address: _address, ...ssh } = target;
    return { ...rest, ssh };
}
/** 12 model hosts: a canary, one that panics, three held down after their reboot, seven for later batches. */
function heldRollout() {
    const fleet = new Fleet();
    const canary = fleet.add(1, 'ok', false);
    const panics = fleet.add(1, 'panic', false);
    const rebooting = fleet.add(3, 'ok', true);
    const later = fleet.add(7, 'ok', true);
    const input = {
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
async function untilBatchTwoRebooting(handle) {
    let progress = null;
    progress = await until('batch 2 with one host rolled back and three rebooting', async () => {
        progress = await handle.query(rollout_definitions_1.rolloutProgressQuery);
        return progress.currentBatch === 2 &&
            progress.counts['rolled-back'] === 1 &&
            progress.upgrading === 3 &&
            progress.rebooting === 3
            ? progress
            : null;
    }, 120_000, () => `(last: ${progress?.details ?? 'none'})`);
    strict_1.default.match(progress.details, DETAILS_RE);
    strict_1.default.match(progress.details, /batch 2\/4: 3 hosts rebooting, 1 upgraded, 1 rolled back, budget 1 left/);
}
/** The list API finds exactly the held hosts by phase; the search attributes of a host and the rollout. */
async function checkVisibility(client, handle, input, query, expected) {
    await until(`${query} to list ${expected.join(', ')}`, async () => {
        const ids = [];
        for await (const wf of client.workflow.list({ query }))
            ids.push(wf.workflowId);
        return JSON.stringify(ids.sort()) === JSON.stringify(expected);
    });
    const described = await client.workflow.getHandle(expected[0]).describe();
    strict_1.default.equal(described.typedSearchAttributes.get(search_attributes_1.KernelRolloutTarget), input.template.toRelease);
    const rolloutAttributes = (await handle.describe()).typedSearchAttributes;
    strict_1.default.equal(rolloutAttributes.get(search_attributes_1.KernelRolloutPhase), 'running');
    strict_1.default.equal(rolloutAttributes.get(search_attributes_1.KernelRolloutTarget), input.template.toRelease);
}
function launchChromium() {
    return playwright_core_1.chromium.launch({
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
async function checkRolloutPage(page, uiUrl, handle, t) {
    const rolloutUrl = `${uiUrl}/namespaces/default/workflows/${encodeURIComponent(handle.workflowId)}/${handle.firstExecutionRunId}/history`;
    await page.goto(rolloutUrl);
    // UI 2.42 shows a run's current details (and static summary/details) on its User Metadata tab.
    await page.getByText('User Metadata', { exact: true }).first().click();
    const text = await untilPageShows(page, "the rollout's current details", (t) => RENDERED_DETAILS_RE.test(t), 'rollout');
    strict_1.default.match(text, /budget 1 left/);
    strict_1.default.match(text, new RegExp(handle.workflowId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    await page.screenshot({ path: path.join(ARTIFACTS, 'rollout.png'), fullPage: true });
    t.diagnostic(`rollout.png: ${page.url()}`);
}
/** The workflow list filtered by phase shows the held hosts, not the canary nor later ones → search-by-phase.png. */
async function checkSearchByPhase(page, uiUrl, query, expected, hosts, t) {
    const { canary, later } = hosts;
    const listUrl = `${uiUrl}/namespaces/default/workflows?query=${encodeURIComponent(query)}`;
    await page.goto(listUrl);
    await untilPageShows(page, `${expected.join(', ')} listed`, (t) => expected.every((id) => t.includes(id)) && !t.includes((0, definitions_1.upgradeWorkflowId)(canary[0])), 'search-by-phase', 10_000);
    const listed = await visibleText(page);
    for (const id of later.map(definitions_1.upgradeWorkflowId))
        strict_1.default.ok(!listed.includes(id), `${id} has not started`);
    await page.screenshot({ path: path.join(ARTIFACTS, 'search-by-phase.png'), fullPage: true });
    t.diagnostic(`search-by-phase.png: ${page.url()}`);
}
// ---- the test ------------------------------------------------------------------------------
(0, node_test_1.describe)('web UI', () => {
    let server;
    let browser = null;
    (0, node_test_1.before)(async () => {
        if (!(0, node_fs_1.existsSync)(CHROMIUM)) {
            strict_1.default.fail(`${CHROMIUM} is missing: the web UI test needs Debian's Chromium — run: apt-get install chromium`);
        }
        (0, node_fs_1.mkdirSync)(ARTIFACTS, { recursive: true });
        for (const shot of ['rollout', 'search-by-phase']) {
            (0, node_fs_1.rmSync)(path.join(ARTIFACTS, `${shot}.png`), { force: true });
            (0, node_fs_1.rmSync)(path.join(ARTIFACTS, `${shot}-failed.png`), { force: true });
        }
        const dir = (0, node_fs_1.mkdtempSync)(path.join((0, node_os_1.tmpdir)(), 'kr-ui-temporal-'));
        server = await (0, temporal_server_1.startDevServer)({ dbFile: path.join(dir, 'temporal.sqlite') });
        strict_1.default.ok(server.uiUrl, 'the dev server was started with its web UI');
    });
    (0, node_test_1.after)(async () => {
        await browser?.close();
        await server?.stop();
    });
    (0, node_test_1.test)('the worker adds missing search attributes to a namespace at startup', { timeout: 60_000 }, async () => {
        const connection = await worker_1.NativeConnection.connect({ address: server.address });
        try {
            const namespace = `kr-sa-${(0, node_crypto_1.randomUUID)().slice(0, 8)}`;
            await connection.workflowService.registerNamespace({
                namespace,
                workflowExecutionRetentionPeriod: (0, time_1.msToTs)('1 day'),
            });
            const logged = [];
            // A new namespace may take a moment to be known to every service of the dev server.
            const first = await until(`namespace ${namespace} to accept search attributes`, () => (0, worker_2.ensureSearchAttributes)(connection, namespace, (m) => logged.push(m)).catch(() => null));
            strict_1.default.deepEqual(first.added.sort(), [
                'KernelRolloutOutcome',
                'KernelRolloutPhase',
                'KernelRolloutProgressedAt',
                'KernelRolloutTarget',
            ]);
            const second = await (0, worker_2.ensureSearchAttributes)(connection, namespace, (m) => logged.push(m));
            strict_1.default.deepEqual(second.added, []);
            strict_1.default.equal(second.present.length, 4);
            strict_1.default.match(logged.join('\n'), /added KernelRolloutPhase, KernelRolloutTarget, KernelRolloutOutcome, KernelRolloutProgressedAt/);
            strict_1.default.match(logged.join('\n'), /already in namespace/);
            // The dev server registered them in `default` itself (startDevServer's flags).
            const onDefault = await (0, worker_2.ensureSearchAttributes)(connection, 'default', () => undefined);
            strict_1.default.deepEqual(onDefault.added, []);
        }
        finally {
            await connection.close();
        }
    });
    (0, node_test_1.test)('a running rollout: its details on its page, its rebooting hosts by phase', { timeout: 240_000 }, async (t) => {
        const { fleet, canary, rebooting, later, input } = heldRollout();
        const nativeConnection = await worker_1.NativeConnection.connect({ address: server.address });
        const taskQueue = `ui-${(0, node_crypto_1.randomUUID)()}`;
        const worker = await worker_1.Worker.create({
            connection: nativeConnection,
            taskQueue,
            workflowBundle: await (0, temporal_1.workflowBundle)(),
            activities: (0, keep_alive_1.keepAlive)(fleet.activities()),
        });
        const connection = await client_1.Connection.connect({ address: server.address });
        const client = new client_1.Client({ connection });
        const workerDone = worker.run();
        try {
            // Started the way kernelctl starts it: checked host by host, with the summary and details
            // the web UI shows.
            const { handle } = await (0, rollout_1.startRollout)(client, taskQueue, input);
            await untilBatchTwoRebooting(handle);
            // Visibility is eventually consistent: the list API first, then the browser.
            // A host is rebooting from its reboot step (`reboot`) until it is back (`await` ends).
            const query = `${search_attributes_1.KernelRolloutPhase.name} IN ("reboot", "await")`;
            const expected = rebooting.map(definitions_1.upgradeWorkflowId).sort();
            await checkVisibility(client, handle, input, query, expected);
            browser = await launchChromium();
            const page = await browser.newPage({ viewport: { width: 1440, height: 1100 } });
            await checkRolloutPage(page, server.uiUrl, handle, t);
            await checkSearchByPhase(page, server.uiUrl, query, expected, { canary, later }, t);
        }
        finally {
            // Let the held hosts finish so the worker shuts down without cancelling activities.
            fleet.releaseAll();
            const rollout = client.workflow.getHandle((0, rollout_definitions_1.rolloutWorkflowId)(input.rolloutId));
            await rollout.terminate('web UI test done').catch(() => undefined);
            for (const host of fleet.hosts.keys()) {
                await client.workflow
                    .getHandle((0, definitions_1.upgradeWorkflowId)(host))
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
//# sourceMappingURL=web-ui.test.js.map