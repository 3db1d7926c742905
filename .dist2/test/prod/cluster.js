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
Object.defineProperty(exports, "__esModule", { value: true });
exports.Prometheus = exports.UiServer = exports.TemporalCluster = exports.PostgresCluster = exports.Deployment = exports.SERVER_NAME = exports.SINGLE_MACHINE = exports.NeverError = exports.RULES = exports.PROD_TOOLS = exports.ROOT = void 0;
exports.waitFor = waitFor;
exports.run = run;
exports.createNamespace = createNamespace;
/**
 * The production topology's server side, as real processes on loopback, brought up by the
 * single-machine scripts an operator runs (deploy/single-machine/, docs/operations.md "Without
 * compose"), each long-running one started by this test through its `run-*.sh` (which `exec`s the
 * program, so the PID kept here is the program's) and ended by PID:
 *   - PostgreSQL from Debian's packages: a private cluster for the test (initdb into a temporary
 *     directory, scram-sha-256 on TCP, peer on its socket, running as the `postgres` user), where
 *     database.sh makes the role, its password file and the two databases as on any PostgreSQL;
 *   - the schemas (schema.sh); kernel-rollout's Temporal server (run-server.sh: the binary built
 *     from deploy/temporal/server/, Temporal's default authorizer with roles by client certificate
 *     from deploy/temporal/config/roles.yaml; `kill()` SIGKILLs it and `start()` brings it back on
 *     the same database and ports); the `default` namespace and its search attributes, as admin
 *     (namespace.sh); the web UI server (run-ui.sh), the workers' profiles (worker-profile.sh),
 *     Prometheus (run-prometheus.sh) scraping the workers and evaluating alert rules.
 * What only a test has (the private PostgreSQL, free ports, temporary directories, the binaries in
 * .tools/prod from scripts/build-temporal-server.sh) is handed to the scripts as their settings
 * file (Deployment), not done here in their place.
 */
const node_child_process_1 = require("node:child_process");
const fs = __importStar(require("node:fs"));
const net = __importStar(require("node:net"));
const path = __importStar(require("node:path"));
const temporal_server_1 = require("../../src/dev/temporal-server");
const free_port_1 = require("../../src/node/free-port");
const temporal_1 = require("../helpers/temporal");
exports.ROOT = (0, temporal_server_1.projectRoot)();
exports.PROD_TOOLS = path.join(exports.ROOT, '.tools', 'prod');
/** The alert rules the deployment ships (docs/operations.md, "Alerting"). */
exports.RULES = path.join(exports.ROOT, 'deploy', 'prometheus', 'kernel-rollout-rules.yml');
/** Thrown by a check that can never hold: waitFor stops at once. */
class NeverError extends Error {
}
exports.NeverError = NeverError;
/** Polls until `check` holds; fails naming `what` after the deadline. */
async function waitFor(what, check, timeoutMs, everyMs = 250) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        let ok = false;
        try {
            ok = await check();
        }
        catch (err) {
            // A check that knows it can never hold (the process it waits for exited) says so at once.
            if (err instanceof NeverError)
                throw new Error(`${what}: ${err.message}`);
            ok = false;
        }
        if (ok)
            return;
        if (Date.now() > deadline)
            throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
        await new Promise((r) => setTimeout(r, everyMs));
    }
}
/** Runs argv to its end, output collected; SIGKILLed (by PID) if it has not ended after `timeoutMs`. */
function run(argv, opts = {}) {
    const timeoutMs = opts.timeoutMs ?? 60_000;
    return new Promise((resolve, reject) => {
        const child = (0, node_child_process_1.spawn)(argv[0], argv.slice(1), {
            env: opts.env ?? process.env,
            stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d) => (stdout += d.toString()));
        child.stderr.on('data', (d) => (stderr += d.toString()));
        const timer = setTimeout(() => {
            stderr += `\n${argv.join(' ')}: killed after ${timeoutMs} ms`;
            child.kill('SIGKILL');
        }, timeoutMs);
        child.on('error', (err) => {
            clearTimeout(timer);
            reject(err);
        });
        child.on('close', (code) => {
            clearTimeout(timer);
            resolve({ code, stdout, stderr });
        });
    });
}
/** A child process with its output in a log file; stopped by PID. */
function startLogged(argv, logPath, env, cwd = exports.ROOT) {
    const log = fs.openSync(logPath, 'a');
    const child = (0, node_child_process_1.spawn)(argv[0], argv.slice(1), { env, cwd, stdio: ['ignore', log, log] });
    fs.closeSync(log);
    const exited = new Promise((resolve) => child.once('exit', () => resolve()));
    return { child, exited };
}
async function stopChild(p, signal) {
    if (!p || p.child.exitCode !== null || p.child.signalCode !== null)
        return;
    p.child.kill(signal);
    const t = setTimeout(() => p.child.kill('SIGKILL'), 20_000);
    await p.exited;
    clearTimeout(t);
}
function tail(file, lines = 8) {
    try {
        return fs
            .readFileSync(file, 'utf8')
            .trimEnd()
            .split('\n')
            .slice(-lines)
            .map((l) => (l.length > 400 ? `${l.slice(0, 400)}…` : l))
            .join('\n');
    }
    catch {
        return '(no log)';
    }
}
/**
 * A free port below 32768: Temporal's SQL schema keeps membership ports in a smallint, so the
 * kernel's ephemeral range (where port 0 lands) is out.
 */
async function lowFreePort() {
    for (;;) {
        const port = 20000 + Math.floor(Math.random() * 12000);
        const free = await new Promise((resolve) => {
            const srv = net.createServer();
            srv.once('error', () => resolve(false));
            srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
        });
        if (free)
            return port;
    }
}
// ---- the settings of deploy/single-machine/ --------------------------------------------------------
/** The bring-up scripts (docs/operations.md, "Without compose"). */
exports.SINGLE_MACHINE = path.join(exports.ROOT, 'deploy', 'single-machine');
/** The name clients check on the server's certificate (TEMPORAL_TLS_SERVER_NAME). */
exports.SERVER_NAME = 'localhost';
/**
 * One deployment's settings file (deploy/single-machine/kernel-rollout.env's format), written
 * with the test's directories and free ports, and the scripts run with it.
 */
class Deployment {
    dir;
    envFile;
    settings;
    constructor(dir, envFile, settings) {
        this.dir = dir;
        this.envFile = envFile;
        this.settings = settings;
    }
    get tlsDir() {
        return this.settings['TEMPORAL_TLS_DIR'];
    }
    get address() {
        return this.settings['TEMPORAL_ADDRESS'];
    }
    get passwordFile() {
        return this.settings['POSTGRES_PWD_FILE'];
    }
    /** Picks the ports and writes `<dir>/kernel-rollout.env`. */
    static async create(dir, opts) {
        const settings = {
            KERNEL_ROLLOUT_ETC: dir,
            TEMPORAL_TLS_DIR: path.join(dir, 'tls'),
            TEMPORAL_TLS_SERVER_NAME: exports.SERVER_NAME,
            SERVER_NAMES: `DNS:${exports.SERVER_NAME},DNS:temporal,IP:127.0.0.1`,
            CERT_DAYS: '2',
            POSTGRES_SEEDS: '127.0.0.1',
            DB_PORT: String(opts.pgPort),
            POSTGRES_USER: 'temporal',
            POSTGRES_PWD_FILE: path.join(dir, 'postgres_password'),
            POSTGRES_ADMIN_HOST: opts.pgSocketDir,
            POSTGRES_ADMIN_USER: 'postgres',
            TEMPORAL_PROD_TOOLS: exports.PROD_TOOLS,
            TEMPORAL_CLI: (0, temporal_server_1.findTemporalBinary)(),
            TEMPORAL_METRICS_ADDRESS: `127.0.0.1:${await (0, free_port_1.freePort)()}`,
            LOG_LEVEL: 'warn',
            TEMPORAL_UI_PORT: String(await (0, free_port_1.freePort)()),
            NODE: process.execPath,
            TEMPORAL_CONFIG_FILE: opts.configFile,
            PROMETHEUS_CONFIG: path.join(dir, 'prometheus.yml'),
            PROMETHEUS_DATA: path.join(dir, 'prometheus-data'),
            PROMETHEUS_LISTEN_ADDRESS: `127.0.0.1:${await (0, free_port_1.freePort)()}`,
            PROMETHEUS_TARGETS: opts.workerMetrics.join(' '),
            PROMETHEUS_RULES: opts.rulesFile,
            PROMETHEUS_INTERVAL: '1s',
        };
        // Membership ports below 32768: Temporal's SQL schema keeps them in a smallint.
        for (const name of [
            'FRONTEND_GRPC_PORT',
            'FRONTEND_HTTP_PORT',
            'FRONTEND_MEMBERSHIP_PORT',
            'HISTORY_GRPC_PORT',
            'HISTORY_MEMBERSHIP_PORT',
            'MATCHING_GRPC_PORT',
            'MATCHING_MEMBERSHIP_PORT',
            'WORKER_GRPC_PORT',
            'WORKER_MEMBERSHIP_PORT',
        ]) {
            settings[name] = String(await lowFreePort());
        }
        settings['TEMPORAL_ADDRESS'] = `127.0.0.1:${settings['FRONTEND_GRPC_PORT']}`;
        const envFile = path.join(dir, 'kernel-rollout.env');
        const lines = Object.entries(settings).map(([k, v]) => {
            if (v.includes("'"))
                throw new Error(`setting ${k} holds a quote: ${v}`);
            return `${k}='${v}'`;
        });
        fs.writeFileSync(envFile, `# written by test/prod/cluster.ts\n${lines.join('\n')}\n`);
        return new Deployment(dir, envFile, settings);
    }
    /** The environment a script runs in: PATH, HOME and where its settings are (plus `extra`). */
    env(extra = {}) {
        return { PATH: process.env['PATH'], HOME: process.env['HOME'], KERNEL_ROLLOUT_ENV: this.envFile, ...extra };
    }
    /**
     * Runs a one-shot step (`database.sh`, `certs.sh --renew`…); fails with its output unless it
     * exits 0. `over`: settings for this run alone (the environment wins over the settings file).
     */
    async step(script, args = [], opts = {}) {
        const r = await run(['sh', path.join(exports.SINGLE_MACHINE, script), ...args], {
            env: this.env(opts.over),
            timeoutMs: opts.timeoutMs ?? 180_000,
        });
        if (r.code !== 0)
            throw new Error(`${script} ${args.join(' ')} exited ${r.code}:\n${r.stdout}\n${r.stderr}`);
        return r.stdout;
    }
    /** Starts a `run-*.sh`: it execs its program, so the child's PID is the program's. */
    start(script, logPath, over = {}) {
        return startLogged(['sh', path.join(exports.SINGLE_MACHINE, script)], logPath, this.env(over));
    }
}
exports.Deployment = Deployment;
// ---- PostgreSQL ------------------------------------------------------------------------------------
function postgresBin(name) {
    const base = '/usr/lib/postgresql';
    const versions = fs.existsSync(base)
        ? fs
            .readdirSync(base)
            .filter((v) => fs.existsSync(path.join(base, v, 'bin', name)))
            .sort((a, b) => Number(b) - Number(a))
        : [];
    if (!versions[0])
        throw new Error(`PostgreSQL's ${name} is missing: apt-get install postgresql`);
    return path.join(base, versions[0], 'bin', name);
}
/**
 * The test's private PostgreSQL on 127.0.0.1:<port>: superuser `postgres` by peer authentication
 * on its socket directory (as Debian's own cluster), scram-sha-256 over TCP. database.sh makes
 * kernel-rollout's role and databases in it.
 */
class PostgresCluster {
    dir;
    port;
    proc = null;
    constructor(dir, port) {
        this.dir = dir;
        this.port = port;
    }
    get socketDir() {
        return path.join(this.dir, 'socket');
    }
    static async start(dir) {
        const pg = new PostgresCluster(dir, await (0, free_port_1.freePort)());
        fs.mkdirSync(pg.socketDir, { recursive: true });
        (0, node_child_process_1.spawnSync)('chown', ['-R', 'postgres:postgres', dir]);
        // PostgreSQL refuses to run as root: initdb and the server run as Debian's `postgres` user.
        const asPostgres = ['setpriv', '--reuid=postgres', '--regid=postgres', '--init-groups', '--'];
        const init = await run([
            ...asPostgres,
            postgresBin('initdb'),
            '-D',
            path.join(dir, 'data'),
            '-U',
            'postgres',
            '--auth-local=peer',
            '--auth-host=scram-sha-256',
            '--encoding=UTF8',
            '--no-sync',
        ], { timeoutMs: 120_000 });
        if (init.code !== 0)
            throw new Error(`initdb failed: ${init.stderr}`);
        pg.proc = startLogged([
            ...asPostgres,
            postgresBin('postgres'),
            '-D',
            path.join(dir, 'data'),
            '-p',
            String(pg.port),
            '-k',
            pg.socketDir,
            '-c',
            'listen_addresses=127.0.0.1',
            '-c',
            'fsync=off',
            '-c',
            'max_connections=200',
        ], path.join(dir, 'postgres.log'), process.env);
        await waitFor(`PostgreSQL on 127.0.0.1:${pg.port}`, async () => (await run([postgresBin('pg_isready'), '-h', '127.0.0.1', '-p', String(pg.port)])).code === 0, 60_000).catch((err) => {
            throw new Error(`${err.message}\n${tail(path.join(dir, 'postgres.log'))}`);
        });
        return pg;
    }
    /** A fast shutdown (SIGINT). */
    stop() {
        return stopChild(this.proc, 'SIGINT');
    }
}
exports.PostgresCluster = PostgresCluster;
// ---- the Temporal server ---------------------------------------------------------------------------
/** The Temporal server by run-server.sh (deploy/temporal/config/production.yaml). */
class TemporalCluster {
    deployment;
    logPath;
    tls;
    kills = 0;
    proc = null;
    constructor(deployment, logPath, tls) {
        this.deployment = deployment;
        this.logPath = logPath;
        this.tls = tls;
    }
    get address() {
        return this.deployment.address;
    }
    get frontendPort() {
        return Number(this.deployment.settings['FRONTEND_GRPC_PORT']);
    }
    get pid() {
        return this.proc?.child.pid ?? -1;
    }
    /** database.sh (role, password file, databases), schema.sh, then run-server.sh. */
    static async create(opts) {
        await opts.deployment.step('database.sh');
        await opts.deployment.step('schema.sh');
        const cluster = new TemporalCluster(opts.deployment, path.join(opts.logDir, 'temporal-server.log'), opts.clientTls);
        await cluster.start();
        return cluster;
    }
    /** Starts the server (again: same database, same ports) and waits until its frontend answers. */
    async start() {
        this.proc = this.deployment.start('run-server.sh', this.logPath);
        const proc = this.proc;
        const upOrExited = async () => {
            if (proc.child.exitCode !== null || proc.child.signalCode !== null)
                throw new NeverError('the server exited');
            return this.answers();
        };
        await waitFor(`the Temporal server's frontend on ${this.address}`, upOrExited, 180_000, 500).catch((err) => {
            throw new Error(`${err.message}\n${tail(this.logPath)}`);
        });
    }
    async answers() {
        if (!this.proc || this.proc.child.exitCode !== null || this.proc.child.signalCode !== null)
            return false;
        return (0, temporal_1.serverAnswers)(this.address, this.tls, 3000);
    }
    /** SIGKILL: no shutdown, no goodbye to the other services' membership. */
    async kill() {
        const p = this.proc;
        if (!p || p.child.exitCode !== null || p.child.signalCode !== null)
            return;
        p.child.kill('SIGKILL');
        await p.exited;
        this.kills += 1;
    }
    stop() {
        return stopChild(this.proc, 'SIGTERM');
    }
}
exports.TemporalCluster = TemporalCluster;
/**
 * namespace.sh: the namespace (TEMPORAL_NAMESPACE, `default` unless `over` says another) and
 * kernel-rollout's search attributes, with the `temporal` CLI and the admin certificate.
 */
function createNamespace(deployment, over = {}) {
    return deployment.step('namespace.sh', [], { over });
}
// ---- the web UI server -----------------------------------------------------------------------------
/** The UI server by run-ui.sh; `stop()` and `start()` again on the same port. */
class UiServer {
    deployment;
    logPath;
    over;
    proc = null;
    constructor(deployment, logPath, over) {
        this.deployment = deployment;
        this.logPath = logPath;
        this.over = over;
    }
    get url() {
        return `http://127.0.0.1:${this.over['TEMPORAL_UI_PORT'] ?? this.deployment.settings['TEMPORAL_UI_PORT']}`;
    }
    /**
     * run-ui.sh with the deployment's settings; `over` replaces some for this server alone (the
     * environment wins over the settings file): another TEMPORAL_UI_CONFIG_DIR or TEMPORAL_UI_PORT.
     */
    static async start(deployment, logDir, opts = {}) {
        const ui = new UiServer(deployment, path.join(logDir, opts.logName ?? 'ui-server.log'), opts.over ?? {});
        await ui.start();
        return ui;
    }
    async start() {
        this.proc = this.deployment.start('run-ui.sh', this.logPath, this.over);
        const proc = this.proc;
        await waitFor(`the UI server on ${this.url}`, async () => {
            if (proc.child.exitCode !== null)
                throw new NeverError('the UI server exited');
            return (await fetch(`${this.url}/api/v1/settings`)).ok;
        }, 60_000).catch((err) => {
            throw new Error(`${err.message}\n${tail(this.logPath)}`);
        });
    }
    stop() {
        return stopChild(this.proc, 'SIGTERM');
    }
}
exports.UiServer = UiServer;
// ---- Prometheus --------------------------------------------------------------------------------------
class Prometheus {
    url;
    proc = null;
    constructor(url) {
        this.url = url;
    }
    /**
     * run-prometheus.sh: scrapes PROMETHEUS_TARGETS (the workers) and the server, evaluating
     * PROMETHEUS_RULES, every PROMETHEUS_INTERVAL (1 s here).
     */
    static async start(deployment) {
        if (!fs.existsSync('/usr/bin/prometheus')) {
            throw new Error("/usr/bin/prometheus is missing: the topology test needs Debian's prometheus package");
        }
        const prom = new Prometheus(`http://${deployment.settings['PROMETHEUS_LISTEN_ADDRESS']}`);
        const logPath = path.join(deployment.dir, 'prometheus.log');
        prom.proc = deployment.start('run-prometheus.sh', logPath);
        await waitFor(`Prometheus on ${prom.url}`, async () => (await fetch(`${prom.url}/-/ready`)).ok, 60_000).catch((err) => {
            throw new Error(`${err.message}\n${tail(logPath)}`);
        });
        return prom;
    }
    /** An instant PromQL query: each result's labels and value. */
    async query(promql) {
        const res = await fetch(`${this.url}/api/v1/query?query=${encodeURIComponent(promql)}`);
        const body = (await res.json());
        if (body.status !== 'success')
            throw new Error(`PromQL ${promql}: ${body.error ?? res.status}`);
        return (body.data?.result ?? []).map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
    }
    /** The alerts Prometheus holds now (pending or firing), with their labels. */
    async alerts() {
        const res = await fetch(`${this.url}/api/v1/alerts`);
        const body = (await res.json());
        return body.data.alerts.map((a) => ({ labels: a.labels, state: a.state, value: Number(a.value) }));
    }
    /** Targets' health as Prometheus sees them. */
    async targets() {
        const res = await fetch(`${this.url}/api/v1/targets`);
        const body = (await res.json());
        return body.data.activeTargets;
    }
    stop() {
        return stopChild(this.proc, 'SIGTERM');
    }
}
exports.Prometheus = Prometheus;
//# sourceMappingURL=cluster.js.map