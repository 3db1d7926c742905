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
 * Who may do what, on the real processes (docs/operations.md, "Who may do what"): kernel-rollout's
 * Temporal server (deploy/temporal/server/: Temporal's default authorizer, each client
 * certificate's CN mapped to roles by deploy/temporal/config/roles.yaml) on PostgreSQL, brought up
 * by deploy/single-machine/ as test:prod does (test/prod/cluster.ts, Deployment), with every
 * identity deploy/make-certs.sh issues.
 *
 * 0. The claim mapper's Go tests pass (`go test`, run here so they cannot be skipped silently),
 *    and the server no longer warns that it has no authorizer.
 * 1. The web UI's identity cannot terminate or signal: through the shipped UI server (read-only,
 *    405), through a UI server whose write switch is turned on (its request reaches the frontend as
 *    CN=ui, with the CSRF cookie as the issue's reporter sent it, or with a forged bearer token)
 *    and by a direct gRPC call with the ui certificate: PermissionDenied each time, the run still
 *    running and unsignalled. The UI still lists and describes.
 * 2. A caller without the right cannot start an upgrade: kernelctl with the auditor certificate
 *    (a reader) exits 10 saying "permission denied", naming its CN; kernelctl's own certificate
 *    starts the same upgrade.
 * 3. The kernel-rollout worker's identity cannot reach another namespace: polls and describes in
 *    `default`, refused in a second namespace the admin created.
 * 4. That worker may not add search attributes: on a namespace without them it stops at once
 *    saying what to do; the bring-up's namespace.sh (deploy/temporal/create-namespace.sh as
 *    admin) adds them.
 *
 *   npm run test:prod
 */
const node_test_1 = require("node:test");
const strict_1 = __importDefault(require("node:assert/strict"));
const node_crypto_1 = require("node:crypto");
const fs = __importStar(require("node:fs"));
const os = __importStar(require("node:os"));
const path = __importStar(require("node:path"));
const client_1 = require("@temporalio/client");
const temporal_server_1 = require("../../src/dev/temporal-server");
const definitions_1 = require("../../src/workflows/definitions");
const process_1 = require("../helpers/process");
const free_port_1 = require("../../src/node/free-port");
const cluster_1 = require("./cluster");
const KERNELCTL = path.join(cluster_1.ROOT, 'bin', 'kernelctl.js');
const OTHER_NAMESPACE = 'elsewhere';
function cleanEnv(extra) {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TEMPORAL_')));
    return { ...env, ...extra };
}
/** gRPC's status code of a rejected call (7 PERMISSION_DENIED), or 'ok' when it was served. */
async function grpcCode(call) {
    try {
        await call();
        return 'ok';
    }
    catch (err) {
        const code = err.code;
        if (typeof code === 'number')
            return code;
        throw err;
    }
}
(0, node_test_1.describe)('who may do what: the default authorizer with roles by client certificate', () => {
    let dir;
    let tlsDir;
    let clients;
    let deployment;
    let pg;
    let temporal;
    let ui;
    let uiWritable;
    let tomlPath;
    const connections = [];
    let passed = 0;
    const tlsFor = (name) => ({
        serverNameOverride: cluster_1.SERVER_NAME,
        serverRootCACertificate: fs.readFileSync(path.join(tlsDir, 'ca.pem')),
        clientCertPair: {
            crt: fs.readFileSync(path.join(tlsDir, `${name}.pem`)),
            key: fs.readFileSync(path.join(tlsDir, `${name}.key`)),
        },
    });
    const connect = async (name) => {
        const c = await client_1.Connection.connect({ address: temporal?.address ?? '', tls: tlsFor(name) });
        connections.push(c);
        return c;
    };
    const kernelctl = (args) => (0, process_1.runProcess)(process.execPath, [KERNELCTL, ...args], cleanEnv({ TEMPORAL_CONFIG_FILE: tomlPath }));
    const adminCli = (args) => (0, cluster_1.run)([
        (0, temporal_server_1.findTemporalBinary)(),
        ...args,
        '--address',
        temporal?.address ?? '',
        '--tls-ca-path',
        path.join(tlsDir, 'ca.pem'),
        '--tls-cert-path',
        path.join(tlsDir, 'admin.pem'),
        '--tls-key-path',
        path.join(tlsDir, 'admin.key'),
        '--tls-server-name',
        cluster_1.SERVER_NAME,
    ], { timeoutMs: 60_000 });
    (0, node_test_1.before)(async () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kr-authz-'));
        fs.chmodSync(dir, 0o755);
        tomlPath = path.join(dir, 'temporal.toml');
        // The single-machine bring-up (deploy/single-machine/) with this test's own PostgreSQL and ports.
        pg = await cluster_1.PostgresCluster.start(path.join(dir, 'postgres'));
        deployment = await cluster_1.Deployment.create(dir, {
            pgPort: pg.port,
            pgSocketDir: pg.socketDir,
            configFile: tomlPath,
            workerMetrics: [],
            rulesFile: cluster_1.RULES,
        });
        tlsDir = deployment.tlsDir;
        // certs.sh: make-certs.sh's own list of identities, the one place they are named.
        await deployment.step('certs.sh');
        clients = fs
            .readdirSync(tlsDir)
            .filter((f) => f.endsWith('.key'))
            .map((f) => f.slice(0, -4))
            .filter((n) => n !== 'ca' && n !== 'server');
        for (const needed of ['admin', 'ui', 'kernelctl', 'kernel-rollout-worker', 'auditor']) {
            strict_1.default.ok(clients.includes(needed), `make-certs.sh issues ${needed}: ${clients.join(', ')}`);
        }
        temporal = await cluster_1.TemporalCluster.create({ deployment, logDir: dir, clientTls: tlsFor('kernelctl') });
        // `default` without kernel-rollout's search attributes (test 4 needs it so; the bring-up
        // script, run in test 4, adds them).
        const created = await adminCli(['operator', 'namespace', 'create', '--namespace', 'default', '--retention', '1d']);
        strict_1.default.equal(created.code, 0, created.stderr);
        strict_1.default.match(await (0, cluster_1.createNamespace)(deployment, { TEMPORAL_NAMESPACE: OTHER_NAMESPACE }), new RegExp(`${OTHER_NAMESPACE} created`));
        ui = await cluster_1.UiServer.start(deployment, dir);
        // The same configuration with the UI server's own write switch turned on: what reaches the
        // frontend then is the UI's identity alone.
        const writableDir = path.join(dir, 'ui-writable');
        fs.mkdirSync(writableDir);
        const shipped = fs.readFileSync(path.join(cluster_1.ROOT, 'deploy', 'ui', 'config', 'production.yaml'), 'utf8');
        strict_1.default.match(shipped, /^disableWriteActions: true$/m, 'the shipped UI is read-only');
        fs.writeFileSync(path.join(writableDir, 'production.yaml'), shipped.replace(/^disableWriteActions: true$/m, 'disableWriteActions: false'));
        // run-ui.sh again, with that directory and a port of its own (TEMPORAL_UI_CONFIG_DIR, TEMPORAL_UI_PORT).
        uiWritable = await cluster_1.UiServer.start(deployment, dir, {
            over: { TEMPORAL_UI_CONFIG_DIR: writableDir, TEMPORAL_UI_PORT: String(await (0, free_port_1.freePort)()) },
            logName: 'ui-server-writable.log',
        });
        fs.writeFileSync(tomlPath, ['kernelctl', 'auditor', 'kernel-rollout-worker']
            .map((cert) => [
            `[profile.${cert}]`,
            `address = "${temporal?.address}"`,
            'namespace = "default"',
            `[profile.${cert}.tls]`,
            `server_ca_cert_path = "${path.join(tlsDir, 'ca.pem')}"`,
            `server_name = "${cluster_1.SERVER_NAME}"`,
            `client_cert_path = "${path.join(tlsDir, `${cert}.pem`)}"`,
            `client_key_path = "${path.join(tlsDir, `${cert}.key`)}"`,
        ].join('\n'))
            .join('\n'));
    });
    (0, node_test_1.after)(async () => {
        for (const c of connections)
            await c.close().catch(() => undefined);
        await uiWritable?.stop();
        await ui?.stop();
        await temporal?.stop();
        await pg?.stop();
        if (passed === 5 && dir)
            fs.rmSync(dir, { recursive: true, force: true });
        else if (dir)
            process.stdout.write(`# logs and certificates kept in ${dir}\n`);
    });
    (0, node_test_1.test)("the claim mapper's Go tests pass; the server runs with an authorizer", async (t) => {
        // `go -C DIR`: the module is deploy/temporal/server; -count=1: run, never a cached result.
        const res = await (0, cluster_1.run)(['go', '-C', path.join(cluster_1.ROOT, 'deploy', 'temporal', 'server'), 'test', '-count=1', '-v', '.'], {
            env: { ...process.env, GOFLAGS: '-mod=readonly' },
            timeoutMs: 900_000,
        });
        strict_1.default.equal(res.code, 0, `${res.stdout}\n${res.stderr}`);
        const ran = [...res.stdout.matchAll(/^--- PASS: (\w+)/gm)].map((m) => m[1]);
        strict_1.default.ok(ran.length >= 6 && ran.includes('TestShippedRoles'), `Go tests passed: ${ran.join(', ')}`);
        strict_1.default.doesNotMatch(res.stdout, /^--- (FAIL|SKIP)/m);
        t.diagnostic(`go test: ${ran.join(', ')}`);
        const log = fs.readFileSync(temporal?.logPath ?? '', 'utf8');
        strict_1.default.doesNotMatch(log, /Not using any authorizer/);
        passed += 1;
    });
    (0, node_test_1.test)('the UI cannot terminate or signal: not through the UI server, not with its certificate; it still reads', async () => {
        strict_1.default.ok(ui && uiWritable);
        const kernelctlClient = new client_1.Client({ connection: await connect('kernelctl') });
        const workflowId = `authz-target-${(0, node_crypto_1.randomBytes)(3).toString('hex')}`;
        // A run on a queue no worker polls: it stays running, and records any signal it gets.
        const target = await kernelctlClient.workflow.start('authzTarget', {
            workflowId,
            taskQueue: `authz-unpolled-${workflowId}`,
            args: [],
        });
        const untouched = async (what) => {
            const d = await target.describe();
            strict_1.default.equal(d.status.name, 'RUNNING', `${what}: the run was ended`);
            const history = await target.fetchHistory();
            const signalled = (history.events ?? []).filter((e) => e.workflowExecutionSignaledEventAttributes);
            strict_1.default.equal(signalled.length, 0, `${what}: the run was signalled`);
        };
        const base = `/api/v1/namespaces/default/workflows/${encodeURIComponent(workflowId)}`;
        // As the issue's reporter did: the CSRF cookie from a GET, then POSTs carrying it.
        const post = async (server, p, headers = {}) => {
            const first = await fetch(`${server.url}/api/v1/settings`);
            const cookie = /_csrf=([^;]+)/.exec(first.headers.get('set-cookie') ?? '')?.[1];
            strict_1.default.ok(cookie, `a CSRF cookie from ${server.url}: ${first.headers.get('set-cookie')}`);
            const res = await fetch(`${server.url}${p}`, {
                method: 'POST',
                headers: {
                    'content-type': 'application/json',
                    cookie: `_csrf=${cookie}`,
                    'x-csrf-token': cookie,
                    ...headers,
                },
                body: '{}',
            });
            return { status: res.status, body: await res.text() };
        };
        // The shipped UI server refuses every write itself (read-only without an authenticated user).
        for (const p of [`${base}/terminate`, `${base}/signal/authzSignal`]) {
            const r = await post(ui, p);
            strict_1.default.equal(r.status, 405, `shipped UI ${p}: ${r.status} ${r.body}`);
        }
        await untouched('the shipped UI server');
        // Its switch turned on, the request reaches the frontend as CN=ui: the server refuses it.
        for (const p of [`${base}/terminate`, `${base}/signal/authzSignal`]) {
            const r = await post(uiWritable, p);
            strict_1.default.equal(r.status, 403, `writable UI ${p}: ${r.status} ${r.body}`);
            strict_1.default.match(r.body, /"code":\s*7\b/, `PermissionDenied (7) for ${p}: ${r.body}`);
            strict_1.default.match(r.body, /Request unauthorized/, r.body);
            // A made-up bearer token (the UI forwards it; it skips the CSRF check) changes nothing: no
            // JWT key provider is configured, so the server goes by the certificate.
            const forged = await post(uiWritable, p, { authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.' });
            strict_1.default.equal(forged.status, 403, `writable UI with a forged token ${p}: ${forged.status} ${forged.body}`);
        }
        await untouched('the UI server with write actions on');
        // A direct gRPC call with the UI's certificate.
        const uiConnection = await connect('ui');
        const execution = { workflowId };
        strict_1.default.equal(await grpcCode(() => uiConnection.workflowService.terminateWorkflowExecution({ namespace: 'default', workflowExecution: execution })), 7, 'terminate with the ui certificate: PermissionDenied');
        strict_1.default.equal(await grpcCode(() => uiConnection.workflowService.signalWorkflowExecution({
            namespace: 'default',
            workflowExecution: execution,
            signalName: 'authzSignal',
        })), 7, 'signal with the ui certificate: PermissionDenied');
        await untouched('gRPC with the ui certificate');
        // What the UI is for still works: list namespaces, list and describe runs (HTTP and gRPC).
        const described = await fetch(`${ui.url}${base}`);
        strict_1.default.equal(described.status, 200, await described.text());
        const namespaces = (await (await fetch(`${ui.url}/api/v1/namespaces`)).json());
        strict_1.default.ok(namespaces.namespaces?.some((n) => n.namespaceInfo?.name === 'default'), JSON.stringify(namespaces));
        strict_1.default.equal(await grpcCode(() => uiConnection.workflowService.describeWorkflowExecution({ namespace: 'default', execution })), 'ok');
        strict_1.default.equal(await grpcCode(() => uiConnection.workflowService.listWorkflowExecutions({ namespace: 'default' })), 'ok');
        await target.terminate('authz test done');
        passed += 1;
    });
    (0, node_test_1.test)('a caller without the right cannot start an upgrade: kernelctl exits 10 naming "permission denied"', async () => {
        const key = path.join(dir, 'fleet_key');
        const knownHosts = path.join(dir, 'known_hosts');
        fs.writeFileSync(key, 'not a key: no worker polls this queue\n', { mode: 0o600 });
        fs.writeFileSync(knownHosts, '');
        const host = `authz-${(0, node_crypto_1.randomBytes)(3).toString('hex')}`;
        const upgrade = (profile) => kernelctl([
            'upgrade',
            host,
            '--to',
            '6.1.0-99-amd64',
            '-i',
            key,
            '--known-hosts',
            knownHosts,
            '--task-queue',
            `authz-unpolled-${host}`,
            '--profile',
            profile,
        ]);
        const denied = await upgrade('auditor');
        strict_1.default.equal(denied.code, 10, `${denied.stdout}\n${denied.stderr}`);
        strict_1.default.match(denied.stderr, /^kernelctl: permission denied: .*refused the client certificate CN=auditor/m);
        strict_1.default.match(denied.stderr, /Who may do what/);
        strict_1.default.doesNotMatch(denied.stderr, /at .*\.js:\d+/, 'no stack trace');
        // The same command with the operators' certificate starts it: the refusal was the identity's.
        const started = await upgrade('kernelctl');
        strict_1.default.equal(started.code, 0, `${started.stdout}\n${started.stderr}`);
        const admin = new client_1.Client({ connection: await connect('admin') });
        const run = admin.workflow.getHandle((0, definitions_1.upgradeWorkflowId)(host));
        strict_1.default.equal((await run.describe()).status.name, 'RUNNING');
        await run.terminate('authz test done');
        passed += 1;
    });
    (0, node_test_1.test)("the kernel-rollout worker's identity cannot reach another namespace", async () => {
        const worker = await connect('kernel-rollout-worker');
        const poll = (namespace) => worker.withDeadline(Date.now() + 3000, () => worker.workflowService.pollWorkflowTaskQueue({
            namespace,
            taskQueue: { name: 'authz-poll' },
            identity: 'authz-test',
        }));
        // In `default` the poll is served: it waits for a task until the deadline (4) or returns empty.
        const home = await grpcCode(() => poll('default'));
        strict_1.default.ok(home === 'ok' || home === 4, `poll in default: ${home}`);
        strict_1.default.equal(await grpcCode(() => poll(OTHER_NAMESPACE)), 7, `poll in ${OTHER_NAMESPACE}: PermissionDenied`);
        strict_1.default.equal(await grpcCode(() => worker.workflowService.describeNamespace({ namespace: 'default' })), 'ok');
        strict_1.default.equal(await grpcCode(() => worker.workflowService.describeNamespace({ namespace: OTHER_NAMESPACE })), 7);
        strict_1.default.equal(await grpcCode(() => worker.workflowService.startWorkflowExecution({
            namespace: OTHER_NAMESPACE,
            workflowId: 'authz-elsewhere',
            workflowType: { name: 'authzTarget' },
            taskQueue: { name: 'authz-poll' },
            requestId: (0, node_crypto_1.randomBytes)(8).toString('hex'),
        })), 7);
        // Nor the cluster: it may not list namespaces or create one.
        strict_1.default.equal(await grpcCode(() => worker.workflowService.listNamespaces({})), 7);
        strict_1.default.equal(await grpcCode(() => worker.workflowService.registerNamespace({
            namespace: 'authz-made-by-worker',
        })), 7);
        passed += 1;
    });
    (0, node_test_1.test)('the worker may not add search attributes: it says what to do, and the bring-up adds them', async () => {
        const r = await (0, cluster_1.run)([process.execPath, KERNELCTL, 'worker', '--profile', 'kernel-rollout-worker', '--task-queue', 'authz-worker'], { env: cleanEnv({ TEMPORAL_CONFIG_FILE: tomlPath }), timeoutMs: 120_000 });
        strict_1.default.notEqual(r.code, 0, `the worker started without its search attributes:\n${r.stderr}`);
        strict_1.default.match(r.stderr, /search attributes: could not add KernelRolloutPhase/);
        strict_1.default.match(r.stderr, /permission denied: this worker's identity may not add search attributes/);
        strict_1.default.match(r.stderr, /create-namespace\.sh/);
        strict_1.default.match(r.stderr, /temporal operator search-attribute create --namespace default --name KernelRolloutPhase --type Keyword/);
        // The bring-up's namespace step (namespace.sh, as admin), as an operator runs it.
        const out = await (0, cluster_1.createNamespace)(deployment);
        strict_1.default.match(out, /default exists/);
        strict_1.default.match(out, /search attributes in default: KernelRolloutPhase KernelRolloutTarget KernelRolloutOutcome KernelRolloutProgressedAt added/);
        // Idempotent: run again, nothing to add.
        strict_1.default.match(await (0, cluster_1.createNamespace)(deployment), /search attributes in default: all present/);
        passed += 1;
    });
});
//# sourceMappingURL=authz.test.js.map