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
exports.TEMPORAL_CLI_MODULE = void 0;
exports.projectRoot = projectRoot;
exports.findTemporalBinary = findTemporalBinary;
exports.startDevServer = startDevServer;
exports.stopLeftover = stopLeftover;
/**
 * The embedded Temporal: `temporal server start-dev` (the Temporal CLI's dev server, SQLite file
 * for persistence, web UI). We start it ourselves and wait until it answers, instead of letting
 * the SDK start it: the SDK gives a server it launches only 5 s, which a busy 2-core machine
 * can miss.
 *
 * The binary is looked up in $KERNEL_ROLLOUT_TEMPORAL_BIN, then the project's git-ignored
 * .tools/bin (filled by `npm run setup`, which builds it with `go install`), then $PATH.
 */
const node_child_process_1 = require("node:child_process");
const node_fs_1 = require("node:fs");
const node_net_1 = require("node:net");
const path = __importStar(require("node:path"));
const client_1 = require("@temporalio/client");
const free_port_1 = require("../node/free-port");
const search_attributes_1 = require("../workflows/search-attributes");
const process_alive_1 = require("../node/process-alive");
exports.TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';
function projectRoot() {
    // dist/src/dev → project root, or src/dev when run from sources.
    let dir = __dirname;
    for (let i = 0; i < 5; i++) {
        if ((0, node_fs_1.existsSync)(path.join(dir, 'package.json')))
            return dir;
        dir = path.dirname(dir);
    }
    return process.cwd();
}
function findTemporalBinary() {
    const fromEnv = process.env['KERNEL_ROLLOUT_TEMPORAL_BIN'];
    if (fromEnv) {
        if (!(0, node_fs_1.existsSync)(fromEnv))
            throw new Error(`KERNEL_ROLLOUT_TEMPORAL_BIN=${fromEnv} does not exist`);
        return fromEnv;
    }
    const tools = path.join(projectRoot(), '.tools', 'bin', 'temporal');
    if ((0, node_fs_1.existsSync)(tools))
        return tools;
    for (const dir of (process.env['PATH'] ?? '').split(path.delimiter)) {
        const candidate = path.join(dir, 'temporal');
        if (dir && (0, node_fs_1.existsSync)(candidate))
            return candidate;
    }
    throw new Error([
        'No Temporal CLI found (needed for the embedded dev server). Any one of these works:',
        '  npm run setup        # builds it: go install ' + exports.TEMPORAL_CLI_MODULE + ' into .tools/bin',
        '  set KERNEL_ROLLOUT_TEMPORAL_BIN=/path/to/temporal',
        '  put `temporal` on PATH (on a machine with internet: https://docs.temporal.io/cli)',
        'or point kernelctl at an existing server with TEMPORAL_ADDRESS=host:port.',
    ].join('\n'));
}
async function startDevServer(opts) {
    const bin = findTemporalBinary();
    const port = opts.port ?? (await (0, free_port_1.freePort)());
    const uiPort = opts.headless ? undefined : (opts.uiPort ?? (await (0, free_port_1.freePort)()));
    if (opts.dbFile === undefined && opts.logPath === undefined) {
        throw new Error('startDevServer: an in-memory server needs a logPath');
    }
    if (opts.dbFile !== undefined)
        (0, node_fs_1.mkdirSync)(path.dirname(opts.dbFile), { recursive: true });
    const logPath = opts.logPath ?? `${opts.dbFile}.log`;
    const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port)];
    if (opts.dbFile !== undefined)
        args.push('--db-filename', opts.dbFile);
    args.push('--log-level', 'warn', '--metrics-port', String(await (0, free_port_1.freePort)()), '--http-port', String(await (0, free_port_1.freePort)()));
    if (uiPort === undefined)
        args.push('--headless');
    else
        args.push('--ui-port', String(uiPort), '--ui-ip', '127.0.0.1');
    for (const [name, type] of Object.entries({ ...(0, search_attributes_1.searchAttributesForCli)(), ...opts.searchAttributes }))
        args.push('--search-attribute', `${name}=${type}`);
    const leftover = opts.pidFile !== undefined ? await stopLeftover(opts.pidFile, opts.dbFile) : undefined;
    await assertPortFree(port);
    const log = (0, node_fs_1.openSync)(logPath, 'a');
    // The server dies with us, even SIGKILLed: setpriv (util-linux) sets its parent-death signal
    // before it becomes the Temporal CLI (same PID, so the pid file and stop() still name it).
    const setpriv = PARENT_DEATH_WRAPPER.find((p) => (0, node_fs_1.existsSync)(p));
    const child = setpriv
        ? (0, node_child_process_1.spawn)(setpriv, ['--pdeathsig', 'KILL', '--', bin, ...args], { stdio: ['ignore', log, log], detached: false })
        : (0, node_child_process_1.spawn)(bin, args, { stdio: ['ignore', log, log], detached: false });
    if (opts.pidFile !== undefined && child.pid !== undefined)
        (0, node_fs_1.writeFileSync)(opts.pidFile, `${child.pid}\n${opts.dbFile ?? ''}\n`);
    const address = `127.0.0.1:${port}`;
    let exited = null;
    child.on('exit', (code, signal) => {
        exited = `exited with ${signal ?? code}`;
    });
    const deadline = Date.now() + (opts.readyTimeoutMs ?? 120_000);
    let lastError = '';
    for (;;) {
        if (exited)
            throw new Error(`temporal server ${exited} before answering; see ${logPath}`);
        try {
            const conn = await client_1.Connection.connect({ address, connectTimeout: 2000 });
            try {
                await conn.workflowService.getSystemInfo({});
                await conn.workflowService.describeNamespace({ namespace: 'default' });
            }
            finally {
                await conn.close();
            }
            if (exited)
                throw new Error(`temporal server ${exited}, yet something answers on ${address}; see ${logPath}`);
            break;
        }
        catch (err) {
            if (err.message.includes('yet something answers'))
                throw err;
            lastError = err.message;
        }
        if (Date.now() > deadline) {
            child.kill('SIGKILL');
            throw new Error(`temporal server did not answer on ${address} within ${opts.readyTimeoutMs ?? 120_000} ms (${lastError}); see ${logPath}`);
        }
        await new Promise((r) => setTimeout(r, 250));
    }
    const removePidFile = () => {
        if (opts.pidFile !== undefined)
            (0, node_fs_1.rmSync)(opts.pidFile, { force: true });
    };
    child.once('exit', removePidFile);
    return {
        address,
        uiUrl: uiPort === undefined ? null : `http://127.0.0.1:${uiPort}`,
        pid: child.pid ?? -1,
        process: child,
        logPath,
        ...(leftover !== undefined ? { stoppedLeftover: leftover } : {}),
        stop: () => new Promise((resolve) => {
            if (exited)
                return resolve(removePidFile());
            const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
            child.once('exit', () => {
                clearTimeout(t);
                resolve();
            });
            child.kill('SIGTERM');
        }),
    };
}
/** util-linux's setpriv, which sets a parent-death signal and execs the server. */
const PARENT_DEATH_WRAPPER = ['/usr/bin/setpriv', '/bin/setpriv'];
/**
 * Stops the server `pidFile` names if it still runs as `temporal server start-dev` on `dbFile`
 * (checked in /proc, so a recycled PID is never killed); its PID, or undefined when there was none.
 */
async function stopLeftover(pidFile, dbFile) {
    let pid;
    try {
        pid = Number((0, node_fs_1.readFileSync)(pidFile, 'utf8').split('\n')[0]);
    }
    catch {
        return undefined;
    }
    let cmdline = '';
    try {
        cmdline = (0, node_fs_1.readFileSync)(`/proc/${pid}/cmdline`, 'utf8');
    }
    catch {
        // Gone already.
    }
    const argv = cmdline.split('\0');
    const ours = Number.isInteger(pid) &&
        pid > 1 &&
        argv.includes('start-dev') &&
        (dbFile === undefined || argv[argv.indexOf('--db-filename') + 1] === dbFile);
    if (!ours) {
        (0, node_fs_1.rmSync)(pidFile, { force: true });
        return undefined;
    }
    process.kill(pid, 'SIGTERM');
    const deadline = Date.now() + 15_000;
    while ((0, process_alive_1.processAlive)(pid) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 100));
    if ((0, process_alive_1.processAlive)(pid))
        process.kill(pid, 'SIGKILL');
    while ((0, process_alive_1.processAlive)(pid))
        await new Promise((r) => setTimeout(r, 50));
    (0, node_fs_1.rmSync)(pidFile, { force: true });
    return pid;
}
/** Refuses a port something else listens on: the server would exit, and that something answer for it. */
async function assertPortFree(port) {
    await new Promise((resolve, reject) => {
        const probe = (0, node_net_1.createServer)();
        probe.once('error', (err) => reject(err.code === 'EADDRINUSE'
            ? new Error(`127.0.0.1:${port} is in use by another process (not a Temporal server this state dir started); ` +
                'stop it, or choose another --port')
            : err));
        probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
    });
}
//# sourceMappingURL=temporal-server.js.map