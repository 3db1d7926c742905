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
exports.backAt = exports.phaseAt = exports.SIM_SHUTDOWN_SECONDS = exports.WorkerProcess = exports.mib = exports.CpuSampler = exports.round = exports.median = exports.NEW = exports.OLD = void 0;
exports.verdict = verdict;
exports.formatValue = formatValue;
exports.figureTable = figureTable;
exports.figureSlug = figureSlug;
exports.figureLines = figureLines;
exports.say = say;
exports.quantile = quantile;
exports.numericFlags = numericFlags;
exports.machineDescription = machineDescription;
exports.processCpuSeconds = processCpuSeconds;
exports.cpuBetween = cpuBetween;
exports.peakRssBytes = peakRssBytes;
exports.startTemporal = startTemporal;
exports.withTemporal = withTemporal;
exports.startFleet = startFleet;
exports.rolloutTemplate = rolloutTemplate;
exports.upgradeInput = upgradeInput;
exports.rolloutHosts = rolloutHosts;
exports.notUpgraded = notUpgraded;
exports.watchDown = watchDown;
exports.timelineAt = timelineAt;
exports.detectionSeconds = detectionSeconds;
exports.hostInstallSeconds = hostInstallSeconds;
exports.runStandalone = runStandalone;
/**
 * What every bench shares: the figures they print (with targets, never asserted), the Temporal
 * dev server and the worker (a child process, so its CPU and peak RSS are its own), simulated
 * fleets, rollout requests, CPU accounting from /proc, and the timeline arithmetic that splits an
 * upgrade's wall time into the host's own work and kernel-rollout's overhead.
 *
 * Benches print figures; they never fail on a timing. They exit non-zero only when a run did not
 * do what it should (a host not upgraded), because then its figures mean nothing.
 */
const node_child_process_1 = require("node:child_process");
const node_crypto_1 = require("node:crypto");
const node_fs_1 = require("node:fs");
const os = __importStar(require("node:os"));
const path = __importStar(require("node:path"));
const temporal_server_1 = require("../src/dev/temporal-server");
const worker_1 = require("../src/worker");
const simulator_1 = require("../sim/simulator");
exports.OLD = '6.1.0-55-cloud-amd64';
exports.NEW = '6.1.0-56-cloud-amd64';
function verdict(f) {
    if (!f.target || f.value === null)
        return '';
    const { op, value } = f.target;
    const ok = op === '<' ? f.value < value : op === '<=' ? f.value <= value : f.value >= value;
    return ok ? 'pass' : 'miss';
}
function formatValue(f) {
    if (f.value === null)
        return 'not measured';
    const digits = Math.abs(f.value) >= 100 ? 0 : Math.abs(f.value) >= 10 ? 1 : 2;
    return `${f.value.toFixed(digits)}${f.unit ? ` ${f.unit}` : ''}`;
}
function formatTarget(f) {
    return f.target ? `${f.target.op} ${f.target.value}${f.unit ? ` ${f.unit}` : ''}` : '';
}
/** A Markdown table (readable as text, pasteable into bench/README.md). */
function figureTable(figures) {
    const rows = figures.map((f) => [f.bench, f.name, formatValue(f), formatTarget(f), verdict(f), f.note ?? '']);
    const head = ['bench', 'figure', 'value', 'target', '', 'note'];
    return [head, head.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}
/** A figure's name as one word for scripts: `per-host-overhead.vm-testbed-one-upgrade-from-the-deb-vm-1`. */
function figureSlug(f) {
    const slug = (t) => t
        .toLowerCase()
        .replace(/[^a-z0-9%]+/g, '-')
        .replace(/^-+|-+$/g, '');
    return `${slug(f.bench)}.${slug(f.name)}`;
}
/**
 * One line per figure, for scripts: `figure <name> <value> <unit> target <target> met|missed`
 * (`target none reported` without a target; value `not-measured` when it was not).
 */
function figureLines(figures) {
    return figures
        .map((f) => {
        const value = f.value === null ? 'not-measured' : String(f.value);
        const unit = f.unit.replace(/\s+/g, '') || '-';
        const v = verdict(f);
        const target = f.target ? `${f.target.op}${f.target.value}${unit === '-' ? '' : unit}` : 'none';
        const outcome = v === 'pass' ? 'met' : v === 'miss' ? 'missed' : f.target ? 'not-measured' : 'reported';
        return `figure ${figureSlug(f)} ${value} ${unit} target ${target} ${outcome}`;
    })
        .join('\n');
}
function say(line) {
    process.stdout.write(`${line}\n`);
}
// ---- statistics -----------------------------------------------------------------------------------
function quantile(values, q) {
    if (values.length === 0)
        return NaN;
    const sorted = [...values].sort((a, b) => a - b);
    const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
    return sorted[i];
}
const median = (values) => quantile(values, 0.5);
exports.median = median;
const round = (n, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
exports.round = round;
// ---- flags -----------------------------------------------------------------------------------------
/** `--name value` flags with numeric defaults; unknown flags are an error naming the known ones. */
function numericFlags(argv, defaults) {
    const out = { ...defaults };
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        const [flag, inline] = arg.split('=', 2);
        const name = flag.replace(/^--/, '');
        if (!flag.startsWith('--') || !(name in defaults)) {
            throw new Error(`unknown flag ${arg}; known: ${Object.keys(defaults)
                .map((k) => `--${k}`)
                .join(' ')}`);
        }
        const raw = inline ?? argv[++i];
        const n = Number(raw);
        if (raw === undefined || !Number.isFinite(n) || n < 0)
            throw new Error(`--${name}: wants a number, got ${raw}`);
        out[name] = n;
    }
    return out;
}
// ---- machine ---------------------------------------------------------------------------------------
function machineDescription() {
    const cpu = /model name\s*:\s*(.*)/.exec((0, node_fs_1.readFileSync)('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? 'unknown CPU';
    const gib = (os.totalmem() / 2 ** 30).toFixed(0);
    const load = os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ');
    return `${os.cpus().length} cores (${cpu}), ${gib} GiB RAM, Linux ${os.release()}, Node ${process.version}, load average ${load}`;
}
// ---- CPU and memory from /proc -----------------------------------------------------------------------
const CLK_TCK = (() => {
    try {
        return Number((0, node_child_process_1.execFileSync)('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    }
    catch {
        return 100;
    }
})();
/** User + system CPU seconds of a process and of the children it has waited for. */
function processCpuSeconds(pid) {
    const stat = (0, node_fs_1.readFileSync)(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14-17 of proc(5) (utime, stime, cutime, cstime) are 11-14 after "pid (comm) ".
    return [11, 12, 13, 14].reduce((s, i) => s + Number(f[i] ?? 0), 0) / CLK_TCK;
}
/**
 * Samples the CPU of the worker, the Temporal server and the simulated hosts every `everyMs`
 * (two small /proc reads a sample), so that a stretch of the run (a batch's returns) can be
 * charged to its parts afterwards: `between(from, to)`, linear between samples.
 */
class CpuSampler {
    pids;
    samples = [];
    timer;
    constructor(pids, everyMs = 100) {
        this.pids = pids;
        this.sample();
        this.timer = setInterval(() => this.sample(), everyMs);
        this.timer.unref();
    }
    sample() {
        try {
            this.samples.push({
                at: Date.now(),
                worker: processCpuSeconds(this.pids.worker),
                server: processCpuSeconds(this.pids.server),
                hosts: processCpuSeconds('self'),
            });
        }
        catch {
            // A process that has ended: the samples so far stand.
        }
    }
    stop() {
        clearInterval(this.timer);
        this.sample();
    }
    /** CPU seconds each part used from `from` to `to` (ms since the epoch). */
    between(from, to) {
        return cpuBetween(this.samples, from, to);
    }
}
exports.CpuSampler = CpuSampler;
/**
 * CPU seconds each part used from `from` to `to` by cumulative `samples` (in time order),
 * linear between two samples; a moment outside the samples counts as the nearest one.
 */
function cpuBetween(samples, from, to) {
    const a = cpuAt(samples, from);
    const b = cpuAt(samples, to);
    return { worker: b.worker - a.worker, server: b.server - a.server, hosts: b.hosts - a.hosts };
}
function cpuAt(s, t) {
    const first = s[0];
    const last = s[s.length - 1];
    if (!first || !last)
        return { worker: 0, server: 0, hosts: 0 };
    if (t <= first.at)
        return first;
    if (t >= last.at)
        return last;
    const i = s.findIndex((x) => x.at >= t);
    const hi = s[i];
    const lo = s[i - 1];
    const f = (t - lo.at) / (hi.at - lo.at);
    const mix = (k) => lo[k] + (hi[k] - lo[k]) * f;
    return { worker: mix('worker'), server: mix('server'), hosts: mix('hosts') };
}
/** VmHWM: the process's peak resident set. */
function peakRssBytes(pid) {
    const kb = /^VmHWM:\s+(\d+) kB/m.exec((0, node_fs_1.readFileSync)(`/proc/${pid}/status`, 'utf8'))?.[1];
    return Number(kb ?? 0) * 1024;
}
const mib = (bytes) => (0, exports.round)(bytes / 2 ** 20, 0);
exports.mib = mib;
/** A fresh dev server (SQLite in a temp dir), headless. */
async function startTemporal() {
    const dir = (0, node_fs_1.mkdtempSync)(path.join(os.tmpdir(), 'kr-bench-temporal-'));
    const server = await (0, temporal_server_1.startDevServer)({ dbFile: path.join(dir, 'db.sqlite'), headless: true });
    return {
        address: server.address,
        pid: server.pid,
        stop: async () => {
            await server.stop();
            (0, node_fs_1.rmSync)(dir, { recursive: true, force: true });
        },
    };
}
/** Runs `fn` with the given server, or with a fresh one started (and stopped) for it. */
async function withTemporal(given, fn) {
    if (given)
        return fn(given);
    say('starting a Temporal dev server …');
    const t = await startTemporal();
    try {
        return await fn(t);
    }
    finally {
        await t.stop();
    }
}
/**
 * kernel-rollout's production worker (`createWorker`: real activities over SSH, the workflow
 * bundle) in a child process: dist/bench/worker-process.js.
 */
class WorkerProcess {
    child;
    taskQueue;
    startSeconds;
    mallocArenaMax;
    constructor(child, taskQueue, startSeconds, 
    /** The worker's MALLOC_ARENA_MAX. */
    mallocArenaMax) {
        this.child = child;
        this.taskQueue = taskQueue;
        this.startSeconds = startSeconds;
        this.mallocArenaMax = mallocArenaMax;
    }
    get pid() {
        return this.child.pid ?? -1;
    }
    /** `slots`: the worker's limits (kernelctl worker's flags); the product's defaults without. */
    static async start(address, slots) {
        const taskQueue = `bench-${(0, node_crypto_1.randomBytes)(4).toString('hex')}`;
        const t0 = Date.now();
        const args = [address, taskQueue, ...(slots ? [JSON.stringify(slots)] : [])];
        // The environment the product's launchers give a worker (src/worker/index.ts), unless the bench's own sets it.
        const env = { ...process.env, MALLOC_ARENA_MAX: process.env['MALLOC_ARENA_MAX'] ?? worker_1.MALLOC_ARENA_MAX_FOR_WORKERS };
        const child = (0, node_child_process_1.fork)(path.join(__dirname, 'worker-process.js'), args, { stdio: 'inherit', env });
        await new Promise((resolve, reject) => {
            child.once('message', (m) => (m === 'ready' ? resolve() : reject(new Error(`worker: ${String(m)}`))));
            child.once('exit', (code) => reject(new Error(`worker exited with ${code} before it was ready`)));
        });
        return new WorkerProcess(child, taskQueue, (Date.now() - t0) / 1000, env.MALLOC_ARENA_MAX);
    }
    cpuSeconds() {
        return processCpuSeconds(this.pid);
    }
    peakRssBytes() {
        return peakRssBytes(this.pid);
    }
    /** The worker's own peaks of process.memoryUsage() (bytes): where its RSS went. */
    async memoryPeaks() {
        const reply = new Promise((resolve) => {
            const on = (m) => {
                const memory = m?.memory;
                if (!memory)
                    return;
                this.child.off('message', on);
                resolve(memory);
            };
            this.child.on('message', on);
        });
        this.child.send('memory');
        return reply;
    }
    async stop() {
        if (this.child.exitCode !== null)
            return;
        const exited = new Promise((r) => this.child.once('exit', r));
        this.child.send('stop');
        const timer = setTimeout(() => this.child.kill('SIGKILL'), 30_000);
        await exited;
        clearTimeout(timer);
    }
}
exports.WorkerProcess = WorkerProcess;
// ---- simulated fleets -------------------------------------------------------------------------------
/** A fleet whose host names are unique per run (workflow ids are kernel-upgrade/<host>). */
async function startFleet(hosts, bootSeconds, extra = {}) {
    const t0 = Date.now();
    const sim = await (0, simulator_1.startSimulator)({
        hosts,
        bootSeconds,
        namePrefix: `b${(0, node_crypto_1.randomBytes)(3).toString('hex')}-`,
        ...extra,
    });
    return { sim, startSeconds: (Date.now() - t0) / 1000 };
}
/**
 * The per-host settings the benches use: apt install from the simulator's repository,
 * stabilitySeconds 0 (a stability window is waiting time the operator asked for, not overhead),
 * the default health check (systemctl is-system-running), the default poll cap unless given.
 */
function rolloutTemplate(sim, knobs) {
    return {
        ssh: { port: 22, user: 'root', privateKeyPath: sim.clientKeyPath, knownHostsPath: sim.knownHostsPath },
        toRelease: exports.NEW,
        source: { kind: 'apt', packageName: `linux-image-${exports.NEW}` },
        stabilitySeconds: 0,
        timeouts: { pollCapSeconds: knobs.pollCapSeconds, bootDeadlineSeconds: 300 },
    };
}
function upgradeInput(sim, name, knobs) {
    const { ssh, ...rest } = rolloutTemplate(sim, knobs);
    return { ...rest, target: { ...ssh, host: name, address: '127.0.0.1', port: sim.host(name).port } };
}
function rolloutHosts(sim, names) {
    return names.map((name) => ({ host: name, address: '127.0.0.1', ssh: { port: sim.host(name).port } }));
}
/** Hosts that do not run the new kernel from the saved default with exactly one reboot. */
function notUpgraded(sim, names) {
    const bad = [];
    for (const name of names) {
        const s = sim.inspect(name);
        const ok = s.state === 'up' &&
            s.runningKernel === exports.NEW &&
            (s.savedEntry ?? '').includes(exports.NEW) &&
            s.nextEntry === null &&
            s.grubDefault === 'saved' &&
            s.bootCount === 2 &&
            s.rebootsRequested === 1;
        if (!ok) {
            bad.push(`${name}: ${s.state}, running ${s.runningKernel}, saved_entry ${s.savedEntry}, next_entry ${s.nextEntry}, ` +
                `GRUB_DEFAULT=${s.grubDefault}, ${s.bootCount} boots, ${s.rebootsRequested} reboots requested`);
        }
    }
    return bad;
}
/**
 * Records when each host goes down (the simulator's shutdown ends 300 ms after the reboot
 * request): with its boot record's `at` (SSH up), the host's own reboot time.
 */
function watchDown(sim, names, timeoutMs) {
    const at = new Map();
    for (const name of names) {
        sim.waitFor(name, ['down'], timeoutMs).then(() => at.set(name, Date.now()), () => undefined);
    }
    return at;
}
/** The simulator's modelled shutdown (reboot request → down), part of the host's own reboot time. */
exports.SIM_SHUTDOWN_SECONDS = 0.3;
// ---- timelines ----------------------------------------------------------------------------------------
function timelineAt(r, match) {
    const e = r.timeline.find(match);
    return e ? Date.parse(e.at) : NaN;
}
const phaseAt = (r, phase) => timelineAt(r, (e) => e.phase === phase);
exports.phaseAt = phaseAt;
const backAt = (r) => timelineAt(r, (e) => /^back after/.test(e.message));
exports.backAt = backAt;
/** Seconds from the simulated host's SSH coming back (its last boot record) to the workflow's "back after" note. */
function detectionSeconds(sim, r) {
    const boots = sim.inspect(r.host).boots;
    const up = boots[boots.length - 1]?.at ?? NaN;
    return ((0, exports.backAt)(r) - up) / 1000;
}
/** The install command's duration on the host: from its start to the next command's (simulator log). */
function hostInstallSeconds(sim, name) {
    const cmds = sim.commands(name).filter((c) => c.source === 'ssh');
    const i = cmds.findIndex((c) => /apt-get .*install|dpkg -i/.test(c.command));
    const next = cmds[i + 1];
    if (i < 0 || !next)
        return NaN;
    return (next.at - cmds[i].at) / 1000;
}
/** `node dist/bench/<name>.js [flags]`: run one bench and print its figures as a table. */
function runStandalone(bench) {
    bench(process.argv.slice(2)).then((figures) => {
        say(`\n${figureTable(figures)}\n\n${figureLines(figures)}`);
        process.exit(0);
    }, (err) => {
        process.stderr.write(`${err.stack ?? err.message}\n`);
        process.exit(1);
    });
}
//# sourceMappingURL=lib.js.map