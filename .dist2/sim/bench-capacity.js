"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.main = main;
/**
 * Capacity: N simulated hosts (default 1000) in one process. Starts them, then a separate client
 * process opens one SSH connection to every host (host key checked), runs one command on each and
 * keeps all connections open while the simulator's RSS and fds are measured.
 *   node dist/sim/bench-capacity.js [--hosts 1000] [--concurrency 25]
 */
const node_child_process_1 = require("node:child_process");
const node_fs_1 = require("node:fs");
const node_util_1 = require("node:util");
const ssh2_1 = require("ssh2");
const simulator_1 = require("./simulator");
const mib = (bytes) => `${(bytes / 1048576).toFixed(0)} MiB`;
const fds = () => (0, node_fs_1.readdirSync)('/proc/self/fd').length;
/** Client side (a child process, so its memory is not counted): connect to all, run one command each. */
async function clientMain() {
    const { targets, keyPath, concurrency } = await new Promise((resolve) => process.once('message', (m) => resolve(m)));
    const privateKey = (0, node_fs_1.readFileSync)(keyPath);
    const open = [];
    let failures = 0;
    const started = Date.now();
    const one = (t) => new Promise((resolve) => {
        const c = new ssh2_1.Client();
        const want = Buffer.from(t.hostPublicKey.split(' ')[1] ?? '', 'base64');
        c.on('ready', () => {
            c.exec('cat /proc/sys/kernel/random/boot_id', (err, stream) => {
                if (err) {
                    failures += 1;
                    return resolve();
                }
                let out = '';
                stream.on('data', (d) => (out += d.toString()));
                stream.on('close', () => {
                    if (!/^[0-9a-f-]{36}\n$/.test(out))
                        failures += 1;
                    open.push(c);
                    resolve();
                });
            });
        });
        c.on('error', () => {
            failures += 1;
            resolve();
        });
        c.connect({
            host: '127.0.0.1',
            port: t.port,
            username: 'root',
            privateKey,
            hostVerifier: (key) => key.equals(want),
            readyTimeout: 60_000,
        });
    });
    const queue = [...targets];
    await Promise.all(Array.from({ length: concurrency }, async () => {
        for (let t = queue.shift(); t; t = queue.shift())
            await one(t);
    }));
    process.send?.({ seconds: (Date.now() - started) / 1000, failures, open: open.length });
    process.on('message', () => {
        for (const c of open)
            c.end();
        process.exit(0);
    });
}
async function main(argv) {
    const { values } = (0, node_util_1.parseArgs)({
        args: argv,
        options: { hosts: { type: 'string', default: '1000' }, concurrency: { type: 'string', default: '25' } },
    });
    const n = Number(values.hosts);
    const rss0 = process.memoryUsage().rss;
    const t0 = Date.now();
    const sim = await (0, simulator_1.startSimulator)({ hosts: n, bootSeconds: 3 });
    const startSeconds = (Date.now() - t0) / 1000;
    const rssStarted = process.memoryUsage().rss;
    const fdsStarted = fds();
    process.stdout.write(`${n} hosts started in ${startSeconds.toFixed(1)} s; RSS ${mib(rss0)} → ${mib(rssStarted)}; fds ${fdsStarted}\n`);
    const targets = sim.hosts.map((h) => ({ name: h.name, port: h.port, hostPublicKey: h.hostPublicKey }));
    const child = (0, node_child_process_1.fork)(__filename, ['--client']);
    child.send({ targets, keyPath: sim.clientKeyPath, concurrency: Number(values.concurrency) });
    const result = await new Promise((resolve) => child.once('message', (m) => resolve(m)));
    const rssConnected = process.memoryUsage().rss;
    process.stdout.write(`connected to each host once and ran one command: ${result.seconds.toFixed(1)} s, ${result.failures} failures; ` +
        `${result.open} connections open: RSS ${mib(rssConnected)}, fds ${fds()}\n`);
    const du = (0, node_child_process_1.execFileSync)('du', ['-sk', `${sim.stateDir}/hosts`], { encoding: 'utf8' }).split('\t')[0];
    process.stdout.write(`host state on tmpfs: ${du} KiB for ${n} hosts\n`);
    child.send('done');
    await new Promise((r) => child.once('exit', r));
    await sim.stop();
}
if (require.main === module) {
    const run = process.argv[2] === '--client' ? clientMain() : main(process.argv.slice(2));
    run.catch((err) => {
        process.stderr.write(`${err.stack ?? err.message}\n`);
        process.exit(1);
    });
}
//# sourceMappingURL=bench-capacity.js.map