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
exports.BwrapWorker = void 0;
/**
 * A `kernelctl worker`, started by deploy/single-machine/run-worker.sh with the deployment's
 * settings file, in its own filesystem view (bubblewrap): the system's /usr and /etc and the
 * project's code read-only, its own empty /tmp, /var/tmp and $HOME, and only the files this
 * worker is given (its Temporal profile and client certificate, the fleet's SSH key and
 * known_hosts, the simulator's power control file) bound read-only at the paths the workflows
 * name, and the settings file. Nothing the operator's kernelctl holds (the .deb it was given) is visible to it: whatever
 * a worker installs, it fetched itself. Started, SIGKILLed and started again by PID.
 */
const node_child_process_1 = require("node:child_process");
const fs = __importStar(require("node:fs"));
const path = __importStar(require("node:path"));
const cluster_1 = require("./cluster");
class BwrapWorker {
    name;
    metricsAddress;
    opts;
    kills = 0;
    child = null;
    exited = Promise.resolve();
    constructor(
    /**
     * Also the worker's host name inside its view (its Temporal identity ends in `@<name>`) and
     * its profile in TEMPORAL_CONFIG_FILE (WORKER_PROFILE).
     */
    name, 
    /** WORKER_METRICS_ADDRESS. */
    metricsAddress, opts) {
        this.name = name;
        this.metricsAddress = metricsAddress;
        this.opts = opts;
    }
    get pid() {
        return this.child?.pid ?? -1;
    }
    argv() {
        const view = [
            '--die-with-parent',
            '--unshare-uts',
            '--hostname',
            this.name,
            '--ro-bind',
            '/usr',
            '/usr',
            '--symlink',
            'usr/bin',
            '/bin',
            '--symlink',
            'usr/sbin',
            '/sbin',
            '--symlink',
            'usr/lib',
            '/lib',
            '--symlink',
            'usr/lib64',
            '/lib64',
            '--ro-bind',
            '/etc',
            '/etc',
            '--proc',
            '/proc',
            '--dev',
            '/dev',
            '--tmpfs',
            '/tmp',
            '--tmpfs',
            '/var/tmp',
            '--tmpfs',
            '/root',
            '--ro-bind',
            cluster_1.ROOT,
            cluster_1.ROOT,
        ];
        // A checkout whose node_modules is a link (a git worktree sharing another's) needs its target too.
        const modules = fs.realpathSync(path.join(cluster_1.ROOT, 'node_modules'));
        if (!modules.startsWith(`${cluster_1.ROOT}/`))
            view.push('--ro-bind', modules, modules);
        const { deployment } = this.opts;
        const configFile = deployment.settings['TEMPORAL_CONFIG_FILE'];
        for (const f of [deployment.envFile, configFile, ...this.opts.files])
            view.push('--ro-bind', f, f);
        const env = Object.entries({
            HOME: '/root',
            PATH: '/usr/bin:/bin',
            KERNEL_ROLLOUT_ENV: deployment.envFile,
            WORKER_PROFILE: this.name,
            WORKER_METRICS_ADDRESS: this.metricsAddress,
        }).flatMap(([k, v]) => ['--setenv', k, v]);
        return [
            '--clearenv',
            ...env,
            ...view,
            '--chdir',
            '/tmp',
            '/bin/sh',
            path.join(cluster_1.SINGLE_MACHINE, 'run-worker.sh'),
            ...this.opts.args,
        ];
    }
    /** Starts the worker and waits until its metrics endpoint answers (it polls by then). */
    async start() {
        const log = fs.openSync(this.opts.logPath, 'a');
        const child = (0, node_child_process_1.spawn)('bwrap', this.argv(), { stdio: ['ignore', log, log] });
        fs.closeSync(log);
        this.child = child;
        this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
        await (0, cluster_1.waitFor)(`worker ${this.name} (metrics on ${this.metricsAddress})`, async () => {
            if (child.exitCode !== null)
                throw new cluster_1.NeverError(`exited; see ${this.opts.logPath}`);
            return (await fetch(`http://${this.metricsAddress}/metrics`)).ok;
        }, 120_000);
    }
    /** SIGKILL (bwrap and, through --die-with-parent, the worker inside). */
    async kill() {
        const child = this.child;
        if (!child || child.exitCode !== null || child.signalCode !== null)
            return;
        child.kill('SIGKILL');
        await this.exited;
        this.kills += 1;
    }
    async stop() {
        const child = this.child;
        if (!child || child.exitCode !== null || child.signalCode !== null)
            return;
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 20_000);
        await this.exited;
        clearTimeout(t);
    }
}
exports.BwrapWorker = BwrapWorker;
//# sourceMappingURL=workers.js.map