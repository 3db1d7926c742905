"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.rebootLatencyBench = rebootLatencyBench;
/**
 * Reboot detection latency: from the moment a simulated host's SSH is back (its boot record's
 * time: the simulator marks the host up in the same step) to the moment the workflow notices
 * (its timeline's "back after …" entry, written when awaitHostReturn's result reaches the
 * workflow). It depends on timeouts.pollCapSeconds (the longest pause between boot-id polls,
 * default 1 s): the bench runs at the default unless told otherwise.
 *
 * Boot times are spread evenly over one poll period (host i boots in boot + i/n × pollCap s):
 * with one fixed boot time every host would come up at the same point of the poll cycle, and the
 * figures would depend on that phase (either ~0.1 s or ~1.1 s) instead of sampling all of them,
 * as a real fleet's varying boot times do.
 *
 *   node dist/bench/reboot-latency.js [--reboots 24] [--parallel 4] [--boot 5] [--poll-cap 0.5]
 */
const client_1 = require("../src/client");
const lib_1 = require("./lib");
const BENCH = 'reboot detection';
async function rebootLatencyBench(argv, temporal) {
    const opts = (0, lib_1.numericFlags)(argv, { reboots: 24, parallel: 4, boot: 5, 'poll-cap': 0.5 });
    (0, lib_1.say)(`\n## ${BENCH}: ${opts.reboots} upgrades (one reboot each), ${opts.parallel} at a time, boot ${opts.boot} s ` +
        `+ 0…${opts['poll-cap']} s (spread over one poll period), ` +
        `pollCapSeconds ${opts['poll-cap']}`);
    const latencies = await (0, lib_1.withTemporal)(temporal, async (t) => {
        const worker = await lib_1.WorkerProcess.start(t.address);
        const hosts = Array.from({ length: opts.reboots }, (_, i) => ({
            faults: { bootSeconds: opts.boot + (i / opts.reboots) * opts['poll-cap'] },
        }));
        const { sim } = await (0, lib_1.startFleet)(hosts, opts.boot);
        const client = await client_1.HostUpgradeClient.connect({
            address: t.address,
            namespace: 'default',
            taskQueue: worker.taskQueue,
        });
        try {
            const queue = sim.hosts.map((h) => h.name);
            const out = [];
            await Promise.all(Array.from({ length: Math.max(1, opts.parallel) }, async () => {
                for (let name = queue.shift(); name; name = queue.shift()) {
                    const input = (0, lib_1.upgradeInput)(sim, name, { pollCapSeconds: opts['poll-cap'] });
                    const r = await (await client.startUpgrade(input)).result();
                    if (r.outcome !== 'upgraded')
                        throw new Error(`${name}: ${r.outcome}: ${r.reason}`);
                    out.push((0, lib_1.detectionSeconds)(sim, r));
                }
            }));
            const bad = (0, lib_1.notUpgraded)(sim, sim.hosts.map((h) => h.name));
            if (bad.length > 0)
                throw new Error(`not upgraded as expected:\n${bad.join('\n')}`);
            return out;
        }
        finally {
            await client.close();
            await worker.stop();
            await sim.stop();
        }
    });
    const sorted = [...latencies].sort((a, b) => a - b);
    (0, lib_1.say)(`latencies (s): ${sorted.map((l) => l.toFixed(2)).join(' ')}`);
    const base = { bench: BENCH, unit: 's' };
    const of = `${latencies.length} reboots, pollCapSeconds ${opts['poll-cap']}`;
    return [
        { ...base, name: `p50 (${of})`, value: (0, lib_1.round)((0, lib_1.median)(latencies)) },
        { ...base, name: `p95 (${of})`, value: (0, lib_1.round)((0, lib_1.quantile)(latencies, 0.95)), target: { op: '<=', value: 0.3 } },
        { ...base, name: `max (${of})`, value: (0, lib_1.round)(Math.max(...latencies)) },
    ];
}
if (require.main === module)
    (0, lib_1.runStandalone)(rebootLatencyBench);
//# sourceMappingURL=reboot-latency.js.map