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
exports.EDGES = void 0;
/**
 * The bad-input corpus (test/fixtures/bad-inputs.json) against every edge where input enters:
 * kernelctl (in process, exactly as bin/kernelctl.js runs it), the per-host input schema and the
 * activities, the rollout client, inventories (the loader and `kernelctl rollout`), --limit,
 * operator updates (the client's zod schema and the workflow's plain validator) and the config
 * schema. Every entry must be refused with an error naming its `expectField`; hosts and
 * inventories point at simulated hosts and kernelctl at a fake Temporal port, and afterwards
 * the simulator's command log must be empty for every host and the fake Temporal must have seen
 * no connection: nothing was sent anywhere.
 *
 * Entry fields: `input` strings may hold placeholders ({h1} {h2} {h3}: simulated host names,
 * {p1}: the first host's SSH port, {key}, {kh}: the simulator's client key and known_hosts,
 * {inv}: a valid inventory of the simulated hosts, {tmp}: a scratch directory, {notdeb},
 * {spacedeb}: existing files that are not acceptable .debs), and `{"$repeat": [text, n]}` /
 * `{"$concat": [...]}` build long values. `set` entries override fields of a valid input by
 * dotted path. An entry with `knownBug` documents input that is not yet refused as it should
 * be; it runs as a todo test, is listed in the printed summary and is left out of the zero counts.
 */
const strict_1 = __importDefault(require("node:assert/strict"));
const node_fs_1 = require("node:fs");
const node_net_1 = require("node:net");
const node_os_1 = require("node:os");
const path = __importStar(require("node:path"));
const node_test_1 = require("node:test");
const testing_1 = require("@temporalio/testing");
const worker_1 = require("@temporalio/worker");
const activities_1 = require("../../src/activities");
const kernelctl_1 = require("../../src/cli/kernelctl");
const rollout_1 = require("../../src/client/rollout");
const inventory_1 = require("../../src/inventory");
const schemas_1 = require("../../src/shared/schemas");
const definitions_1 = require("../../src/workflows/definitions");
const rollout_definitions_1 = require("../../src/workflows/rollout-definitions");
const input_check_1 = require("../../src/workflows/input-check");
const simulator_1 = require("../../sim/simulator");
const helpers_1 = require("./helpers");
exports.EDGES = [
    'cli',
    'upgrade-input',
    'rollout-request',
    'inventory-ini',
    'inventory-yaml',
    'inventory-native',
    'limit',
    'update-args',
    'config',
];
const corpusPath = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'bad-inputs.json');
const corpus = JSON.parse((0, node_fs_1.readFileSync)(corpusPath, 'utf8')).entries;
/** The field named as a whole word: `target.port` matches in `target.port: …`, not in `target.portX`. */
function namesField(text, wanted) {
    // `hosts[1].host` (the plain checks) and `hosts.1.host` (zod) name the same field.
    const message = text.replace(/\[(\d+)\]/g, '.$1');
    const field = wanted.replace(/\[(\d+)\]/g, '.$1');
    const escaped = field.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return new RegExp(`(?<![A-Za-z0-9_])${escaped}(?![A-Za-z0-9_])`).test(message);
}
(0, node_test_1.describe)('bad-input corpus: refused at every edge, nothing sent', () => {
    let sim;
    let temporal;
    let temporalPort = 0;
    let temporalConnections = 0;
    let tmp = '';
    let vars = {};
    const acts = (0, activities_1.createActivities)();
    // Refusals are expected here: keep the SDK's activity-failure log lines out of the report.
    const mock = new testing_1.MockActivityEnvironment(undefined, { logger: new worker_1.DefaultLogger('ERROR', () => undefined) });
    const results = [];
    (0, node_test_1.before)(async () => {
        sim = await (0, simulator_1.startSimulator)({ hosts: [{ name: 'sim-web-1' }, { name: 'sim-web-2' }, { name: 'sim-db-1' }] });
        temporal = (0, node_net_1.createServer)((socket) => {
            temporalConnections += 1;
            socket.destroy();
        });
        await new Promise((resolve) => temporal.listen(0, '127.0.0.1', resolve));
        temporalPort = temporal.address().port;
        tmp = (0, node_fs_1.mkdtempSync)(path.join((0, node_os_1.tmpdir)(), 'kr-bad-inputs-'));
        const [h1, h2, h3] = sim.hosts;
        const hostLine = (h) => `${h.name} ansible_host=127.0.0.1 ansible_port=${h.port}`;
        (0, node_fs_1.writeFileSync)(path.join(tmp, 'fleet.ini'), `[web]\n${hostLine(h1)}\n${hostLine(h2)}\n[db]\n${hostLine(h3)}\n`);
        (0, node_fs_1.writeFileSync)(path.join(tmp, 'kernel.tar'), 'not a deb');
        (0, node_fs_1.mkdirSync)(path.join(tmp, 'with space'));
        (0, node_fs_1.writeFileSync)(path.join(tmp, 'with space', 'linux-image.deb'), 'not a deb either');
        vars = {
            h1: h1.name,
            h2: h2.name,
            h3: h3.name,
            p1: String(h1.port),
            p2: String(h2.port),
            key: sim.clientKeyPath,
            kh: sim.knownHostsPath,
            inv: path.join(tmp, 'fleet.ini'),
            tmp,
            notdeb: path.join(tmp, 'kernel.tar'),
            spacedeb: path.join(tmp, 'with space', 'linux-image.deb'),
        };
    });
    (0, node_test_1.after)(async () => {
        printSummary();
        await sim?.stop();
        await new Promise((resolve) => temporal?.close(resolve));
        if (tmp)
            (0, node_fs_1.rmSync)(tmp, { recursive: true, force: true });
    });
    /** Placeholders, `$repeat` and `$concat`, recursively. */
    function expand(v) {
        if (typeof v === 'string')
            return v.replace(/\{([a-z0-9]+)\}/g, (all, k) => vars[k] ?? all);
        if (Array.isArray(v))
            return v.map(expand);
        if (v && typeof v === 'object') {
            const o = v;
            if (Array.isArray(o['$repeat'])) {
                const [text, n] = o['$repeat'];
                return expand(text).repeat(n);
            }
            if (Array.isArray(o['$concat']))
                return o['$concat'].map((p) => String(expand(p))).join('');
            return Object.fromEntries(Object.entries(o).map(([k, x]) => [expand(k), expand(x)]));
        }
        return v;
    }
    /** A copy of `base` with each dotted path in `set` replaced (numeric segments index arrays). */
    function withOverrides(base, set) {
        const out = structuredClone(base);
        for (const [dotted, value] of Object.entries(set)) {
            const keys = dotted.split('.');
            let node = out;
            for (const k of keys.slice(0, -1)) {
                if (node[k] === undefined || node[k] === null)
                    node[k] = /^\d+$/.test(k) ? [] : {};
                node = node[k];
            }
            node[keys[keys.length - 1]] = value;
        }
        return out;
    }
    const validTarget = () => ({
        host: vars['h1'],
        address: '127.0.0.1',
        port: Number(vars['p1']),
        user: 'root',
        privateKeyPath: vars['key'],
        knownHostsPath: vars['kh'],
    });
    const validUpgrade = () => ({
        target: validTarget(),
        toRelease: helpers_1.NEW,
        source: { kind: 'apt', packageName: `linux-image-${helpers_1.NEW}` },
    });
    const validRollout = () => ({
        rolloutId: 'bad-inputs',
        template: {
            toRelease: helpers_1.NEW,
            source: { kind: 'apt', packageName: `linux-image-${helpers_1.NEW}` },
            ssh: { user: 'root', privateKeyPath: vars['key'], knownHostsPath: vars['kh'] },
        },
        hosts: sim.hosts.map((h) => ({ host: h.name, address: '127.0.0.1', ssh: { port: h.port } })),
        strategy: { canary: 1, batches: [1, '50%'] },
        failureBudget: '0',
    });
    /**
     * Runs kernelctl's main() in this process, as bin/kernelctl.js does, capturing stderr (the
     * test runner reports on stdout, which is left alone).
     */
    async function kernelctl(argv) {
        const fake = ['--address', `127.0.0.1:${temporalPort}`];
        const end = argv.indexOf('--');
        const args = argv.includes('--address')
            ? argv
            : end < 0
                ? [...argv, ...fake]
                : [...argv.slice(0, end), ...fake, ...argv.slice(end)];
        let stderr = '';
        const writeErr = process.stderr.write.bind(process.stderr);
        const savedExit = process.exitCode;
        process.stderr.write = ((chunk) => {
            stderr += chunk.toString();
            return true;
        });
        let code;
        try {
            process.exitCode = undefined;
            await (0, kernelctl_1.main)(args);
            code = Number(process.exitCode ?? 0);
        }
        finally {
            process.stderr.write = writeErr;
            process.exitCode = savedExit;
        }
        return { code, stderr };
    }
    async function expectCliRefusal(argv, entry) {
        const r = await kernelctl(argv);
        const shown = `kernelctl ${argv.map((a) => JSON.stringify(a)).join(' ')}\n${r.stderr}`;
        strict_1.default.equal(r.code, 2, `${entry.id}: expected exit 2 (bad input), got ${r.code}:\n${shown}`);
        if (!entry.usage)
            strict_1.default.match(r.stderr, /invalid input, nothing was (started|looked up)/, `${entry.id}:\n${shown}`);
        strict_1.default.ok(namesField(r.stderr, entry.expectField), `${entry.id}: ${entry.expectField} not named:\n${shown}`);
        return r.stderr;
    }
    function expectThrows(fn, entry, what, kind) {
        let caught;
        try {
            fn();
        }
        catch (err) {
            caught = err;
        }
        strict_1.default.ok(caught, `${entry.id}: ${what} accepted it`);
        if (kind)
            strict_1.default.ok(caught instanceof kind, `${entry.id}: ${what} threw ${String(caught)}`);
        const message = caught.message;
        strict_1.default.ok(namesField(message, entry.expectField), `${entry.id}: ${what} does not name ${entry.expectField}:\n${message}`);
        return message;
    }
    /** The workflow's plain checks stop at the first problem and may name the entry rather than its field. */
    function expectCheck(result, entry, what) {
        strict_1.default.ok(result !== null, `${entry.id}: ${what} accepted it`);
        const parent = entry.expectField.replace(/(\.[^.[]+|\[\d+\])$/, '');
        strict_1.default.ok(namesField(result, entry.expectField) || namesField(result, parent), `${entry.id}: ${what} names neither ${entry.expectField} nor ${parent}: ${result}`);
    }
    async function expectActivityRefusal(entry, raw) {
        const target = raw['target'];
        const toRelease = raw['toRelease'];
        const run = () => {
            switch (entry.activity) {
                case 'preflight':
                    return mock.run(acts.preflight, { target, toRelease, source: raw['source'], useKexec: false });
                case 'stageTrialBoot':
                    return mock.run(acts.stageTrialBoot, {
                        target,
                        knownGoodRelease: helpers_1.OLD,
                        toRelease,
                        panicSeconds: raw['panicSeconds'] ?? 10,
                        trialKernelArgs: raw['trialKernelArgs'] ?? [],
                        revertAfterSeconds: raw['revertAfterSeconds'] ?? 600,
                        trialToken: 'T0k3n',
                        useKexec: false,
                        bootloader: 'grub-debian',
                    });
                case 'verifyKernel':
                    return mock.run(acts.verifyKernel, {
                        target,
                        expectedRelease: toRelease,
                        expectedBootId: '00000000-0000-0000-0000-000000000000',
                        healthChecks: raw['healthChecks'],
                    });
                case 'powerCycle':
                    return mock.run(acts.powerCycle, { host: vars['h1'], power: raw['power'] });
                default:
                    return Promise.resolve();
            }
        };
        await strict_1.default.rejects(run(), (err) => {
            const m = err.message;
            // The per-host schema says panicSeconds/trialKernelArgs.0; the boot-loader guard says the same names.
            const field = entry.expectField.replace(/\.\d+$/, '');
            strict_1.default.ok(namesField(m, field), `${entry.id}: activity ${entry.activity} does not name ${field}: ${m}`);
            return true;
        });
    }
    /** Feeds one entry to its edge; throws (assert) unless it is refused with the field named. */
    async function feed(original) {
        const entry = { ...original, expectField: expand(original.expectField) };
        const input = expand(entry.input);
        switch (entry.edge) {
            case 'cli':
                await expectCliRefusal(input, entry);
                return;
            case 'upgrade-input':
                return feedUpgradeInput(entry, input.set);
            case 'rollout-request':
                return feedRolloutRequest(entry, input.set);
            case 'inventory-ini':
            case 'inventory-yaml':
            case 'inventory-native':
                return feedInventory(entry, input);
            case 'limit':
                return feedLimit(entry, input);
            case 'update-args':
                feedUpdateArgs(entry, input);
                return;
            case 'config':
                expectThrows(() => (0, schemas_1.parseOrThrow)(schemas_1.configSchema, input), entry, 'configSchema', schemas_1.InvalidInputError);
                return;
        }
    }
    /** The per-host input: its schema, the activity the entry names, the workflow's own check. */
    async function feedUpgradeInput(entry, set) {
        const raw = withOverrides(validUpgrade(), set);
        expectThrows(() => (0, schemas_1.parseOrThrow)(schemas_1.upgradeHostInputSchema, raw), entry, 'upgradeHostInputSchema', schemas_1.InvalidInputError);
        if (entry.activity)
            await expectActivityRefusal(entry, raw);
        if (entry.workflow) {
            const problems = (0, input_check_1.upgradeHostInputProblems)(raw);
            const credential = (0, input_check_1.powerCredentialProblem)(raw['power'], 'power');
            if (credential)
                problems.push(credential);
            expectCheck(problems.length ? (0, input_check_1.describeProblems)(problems) : null, entry, 'upgradeHostKernel (workflow)');
        }
    }
    /** The rollout request: the client's parser, the workflow's check of its input, its credentials check. */
    async function feedRolloutRequest(entry, set) {
        const raw = withOverrides(validRollout(), set);
        expectThrows(() => (0, rollout_1.parseRolloutRequest)(raw), entry, 'parseRolloutRequest', schemas_1.InvalidInputError);
        // The workflow's own check of its input, for the fields it checks (not the template's details).
        // (Per-host SSH and power overrides are the client's and the activities' to check.)
        const workflowChecks = /^(rolloutId|hosts(\.\d+\.(host|address))?|strategy\..*|failureBudget|window|pauseBetweenBatchesSeconds|maxHistoryEvents|approveAfterCanary|prepareAhead|rehearseInVm)$/;
        if (Object.keys(set).every((k) => workflowChecks.test(k))) {
            const parsed = (0, rollout_1.parseRolloutRequest)(validRollout());
            expectCheck((0, rollout_definitions_1.checkRolloutInput)(withOverrides(parsed, set)), entry, 'checkRolloutInput (workflow)');
        }
        if (entry.workflow) {
            const parsed = (0, rollout_1.parseRolloutRequest)(validRollout());
            const credentials = (0, input_check_1.rolloutCredentialProblems)(withOverrides(parsed, set));
            expectCheck(credentials.length ? (0, input_check_1.describeProblems)(credentials) : null, entry, 'rolloutKernel (workflow)');
        }
    }
    /** An inventory file: loadInventory refuses it naming the file and the field, and so does the CLI. */
    async function feedInventory(entry, input) {
        const ext = entry.edge === 'inventory-ini' ? 'ini' : 'yaml';
        const file = path.join(tmp, `${entry.id}.${ext}`);
        (0, node_fs_1.writeFileSync)(file, input);
        const loaded = (0, inventory_1.loadInventory)(file, { sshConfigPath: null, homeDir: tmp });
        await strict_1.default.rejects(loaded, (err) => {
            strict_1.default.ok(err instanceof inventory_1.InventoryError, `${entry.id}: ${String(err)}`);
            strict_1.default.ok(err.message.includes(file), `${entry.id}: the file is not named: ${err.message}`);
            strict_1.default.ok(namesField(err.message, entry.expectField), `${entry.id}: no ${entry.expectField}: ${err.message}`);
            return true;
        }, `${entry.id}: loadInventory accepted it`);
        await expectCliRefusal([
            'rollout',
            'plan',
            '--inventory',
            file,
            '--to',
            helpers_1.NEW,
            '-i',
            vars['key'],
            '--known-hosts',
            vars['kh'],
            '--no-ssh-config',
        ], entry);
    }
    /** A --limit pattern that selects nothing or cannot be read: selectHosts and the CLI refuse it. */
    async function feedLimit(entry, input) {
        const inventory = await (0, inventory_1.loadInventory)(vars['inv'], { sshConfigPath: null, homeDir: tmp });
        expectThrows(() => {
            const hosts = (0, inventory_1.selectHosts)(inventory, input);
            if (hosts.length === 0)
                throw new inventory_1.LimitPatternError(`--limit: selects no host`);
        }, { ...entry, expectField: 'limit' }, 'selectHosts');
        await expectCliRefusal(['rollout', '--inventory', vars['inv'], '--to', helpers_1.NEW, '--limit', input, '--no-ssh-config'], entry);
    }
    /** The client's zod schema and the workflow's plain validator must both refuse. */
    function feedUpdateArgs(entry, { update, args }) {
        const perHost = (bad) => bad;
        const plain = {
            approve: [
                schemas_1.approveArgsSchema,
                () => perHost((0, definitions_1.checkActor)(args['by']) ?? (0, definitions_1.checkText)('comment', args['comment'], false)),
            ],
            abort: [schemas_1.abortArgsSchema, () => perHost((0, definitions_1.checkActor)(args['by']) ?? (0, definitions_1.checkText)('reason', args['reason'], true))],
            resolve: [
                schemas_1.resolveArgsSchema,
                () => (0, definitions_1.checkActor)(args['by']) ??
                    (0, definitions_1.checkText)('comment', args['comment'], false) ??
                    (['retry', 'mark-fixed', 'give-up'].includes(args['action']) ? null : 'action: must be …'),
            ],
            rolloutDecision: [schemas_1.rolloutDecisionArgsSchema, () => (0, definitions_1.checkRolloutDecisionArgs)(args)],
            'rollout.pause': [schemas_1.pauseArgsSchema, () => (0, rollout_definitions_1.checkPauseArgs)(args)],
            'rollout.resume': [schemas_1.resumeArgsSchema, () => (0, rollout_definitions_1.checkResumeArgs)(args)],
            'rollout.abort': [schemas_1.abortArgsSchema, () => (0, rollout_definitions_1.checkAbortRolloutArgs)(args)],
            'rollout.approve': [schemas_1.approveArgsSchema, () => (0, rollout_definitions_1.checkApproveRolloutArgs)(args)],
            'rollout.skipHost': [schemas_1.skipHostArgsSchema, () => (0, rollout_definitions_1.checkSkipHostArgs)(args)],
            'rollout.addHosts': [schemas_1.addHostsArgsSchema, () => (0, rollout_definitions_1.checkAddHostsArgs)(args, () => false)],
        };
        const pair = plain[update];
        strict_1.default.ok(pair, `${entry.id}: unknown update ${update}`);
        const [schema, check] = pair;
        expectThrows(() => (0, schemas_1.parseOrThrow)(schema, args), entry, `${update} schema (client)`, schemas_1.InvalidInputError);
        expectCheck(check(), entry, `${update} validator (workflow)`);
    }
    (0, node_test_1.it)('the corpus has at least 100 entries, unique ids, known edges', () => {
        strict_1.default.ok(corpus.length >= 100, `only ${corpus.length} entries`);
        const ids = new Set();
        for (const e of corpus) {
            strict_1.default.ok(!ids.has(e.id), `duplicate id ${e.id}`);
            ids.add(e.id);
            strict_1.default.ok(exports.EDGES.includes(e.edge), `${e.id}: unknown edge ${e.edge}`);
            strict_1.default.ok(typeof e.expectField === 'string' && e.expectField.length > 0, `${e.id}: no expectField`);
        }
    });
    for (const entry of corpus) {
        (0, node_test_1.it)(`${entry.edge} ${entry.id}`, { todo: entry.knownBug }, async () => {
            const before = temporalConnections;
            let refused = false;
            try {
                await feed(entry);
                refused = true;
            }
            finally {
                results.push({ entry, refused, connections: temporalConnections - before });
            }
        });
    }
    (0, node_test_1.it)('zero commands reached any simulated host, zero connections reached Temporal', () => {
        for (const h of sim.hosts) {
            strict_1.default.deepEqual(sim.commands(h.name).map((c) => c.command), [], `${h.name} ran commands`);
        }
        const leaked = results.filter((r) => !r.entry.knownBug && r.connections > 0).map((r) => r.entry.id);
        strict_1.default.deepEqual(leaked, [], 'entries that connected to Temporal');
        strict_1.default.equal(results.filter((r) => !r.entry.knownBug).length, corpus.filter((e) => !e.knownBug).length);
    });
    function printSummary() {
        const commands = sim ? sim.hosts.reduce((n, h) => n + sim.commands(h.name).length, 0) : -1;
        const rows = exports.EDGES.map((edge) => {
            const rs = results.filter((r) => r.entry.edge === edge);
            const known = rs.filter((r) => r.entry.knownBug);
            return [
                edge,
                String(rs.length),
                String(rs.filter((r) => r.refused && !r.entry.knownBug).length),
                String(known.length),
                String(rs.reduce((n, r) => n + r.connections, 0)),
            ];
        });
        const total = ['total', ...[1, 2, 3, 4].map((i) => String(rows.reduce((n, r) => n + Number(r[i]), 0)))];
        const header = ['EDGE', 'ENTRIES', 'REFUSED', 'KNOWN BUGS', 'TEMPORAL CONNS'];
        const table = [header, ...rows, total];
        const widths = header.map((_, i) => Math.max(...table.map((r) => r[i].length)));
        const lines = table.map((r) => r.map((c, i) => c.padEnd(widths[i])).join('  '));
        const bugs = results.filter((r) => r.entry.knownBug).map((r) => `  known bug ${r.entry.id}: ${r.entry.knownBug}`);
        process.stdout.write(`\nbad-input corpus (${corpusPath}):\n${lines.join('\n')}\ncommands sent to simulated hosts: ${commands}\n${bugs.join('\n')}\n`);
    }
});
//# sourceMappingURL=bad-inputs.test.js.map