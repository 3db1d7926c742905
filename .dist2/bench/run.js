"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * `npm run bench`: every bench in sequence on one Temporal dev server (each bench starts its own
 * worker process and its own simulated fleet), then one table of all figures with their targets.
 * Figures are printed, never asserted; the exit code is non-zero only if a bench could not run.
 *
 *   node dist/bench/run.js                      # full size: ~45 minutes on 2 cores
 *   node dist/bench/run.js --quick              # smaller fleets, 5 s boots: under 10 minutes
 *   node dist/bench/run.js --only fleet,ansible --fleet.sizes 100
 *
 * Benches: overhead, latency, latency-cap-1 (the same with timeouts.pollCapSeconds 1, the default
 * before 0.5), fleet, ansible. `--<bench>.<flag> value` passes a flag to one bench (the flags are
 * listed at the top of each bench's file).
 */
const ansible_1 = require("./ansible");
const fleet_1 = require("./fleet");
const lib_1 = require("./lib");
const overhead_1 = require("./overhead");
const reboot_latency_1 = require("./reboot-latency");
const BENCHES = {
    overhead: { run: overhead_1.overheadBench, quick: ['--hosts', '3'] },
    latency: { run: reboot_latency_1.rebootLatencyBench, quick: ['--reboots', '20'] },
    'latency-cap-1': {
        run: (argv, t) => (0, reboot_latency_1.rebootLatencyBench)(['--poll-cap', '1', ...argv], t),
        quick: ['--reboots', '20'],
    },
    // How the cost grows: 10, 100 and 1,000 hosts, each in 10 batches (the 100-host run is the
    // floor target's, the 1,000-host one the memory target's). Quick: 10 and 100 with a 5 s boot.
    fleet: {
        run: (argv, t) => (0, fleet_1.fleetBench)(['--sizes', '10,100,1000', '--single', '1', ...argv], t),
        quick: ['--sizes', '10,100', '--boot', '5'],
    },
    ansible: { run: ansible_1.ansibleBench, quick: ['--hosts', '20', '--boot', '5', '--kexec', '0'] },
};
function parse(argv) {
    let quick = false;
    let only = Object.keys(BENCHES);
    const perBench = new Map();
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (arg === '--quick')
            quick = true;
        else if (arg === '--only') {
            only = (argv[++i] ?? '').split(',').filter(Boolean);
            const unknown = only.filter((b) => !(b in BENCHES));
            if (unknown.length > 0)
                throw new Error(`--only: unknown bench ${unknown.join(', ')}; known: ${Object.keys(BENCHES).join(', ')}`);
        }
        else {
            const m = /^--([a-z0-9.-]+?)\.([a-z-]+)$/.exec(arg);
            if (!m || !(m[1] in BENCHES)) {
                throw new Error(`unknown argument ${arg}; use --quick, --only a,b or --<bench>.<flag> value`);
            }
            const list = perBench.get(m[1]) ?? [];
            list.push(`--${m[2]}`, argv[++i] ?? '');
            perBench.set(m[1], list);
        }
    }
    return { quick, only, perBench };
}
async function main(argv) {
    const { quick, only, perBench } = parse(argv);
    const started = new Date();
    (0, lib_1.say)(`# kernel-rollout benches, ${started.toISOString()}`);
    (0, lib_1.say)(`machine: ${(0, lib_1.machineDescription)()}`);
    const figures = [];
    const failed = [];
    const temporal = await (0, lib_1.startTemporal)();
    try {
        for (const name of only) {
            const bench = BENCHES[name];
            const args = [...(quick ? bench.quick : []), ...(perBench.get(name) ?? [])];
            try {
                figures.push(...(await bench.run(args, temporal)));
            }
            catch (err) {
                failed.push(name);
                process.stderr.write(`bench ${name} failed: ${err.stack ?? String(err)}\n`);
                figures.push({
                    bench: name,
                    name: 'did not run to the end',
                    value: null,
                    unit: '',
                    note: err.message.split('\n')[0],
                });
            }
        }
    }
    finally {
        await temporal.stop();
    }
    const minutes = ((Date.now() - started.getTime()) / 60_000).toFixed(1);
    (0, lib_1.say)(`\n# All figures (${started.toISOString().slice(0, 10)}, ${minutes} min${quick ? ', --quick' : ''})`);
    (0, lib_1.say)(`machine at the end: ${(0, lib_1.machineDescription)()}\n`);
    (0, lib_1.say)((0, lib_1.figureTable)(figures));
    (0, lib_1.say)(`\n${(0, lib_1.figureLines)(figures)}`);
    const missed = figures.filter((f) => (0, lib_1.verdict)(f) === 'miss').length;
    const passed = figures.filter((f) => (0, lib_1.verdict)(f) === 'pass').length;
    (0, lib_1.say)(`\ntargets: ${passed} met, ${missed} missed${failed.length > 0 ? `; benches that failed: ${failed.join(', ')}` : ''}`);
    return failed.length > 0 ? 1 : 0;
}
main(process.argv.slice(2)).then((code) => process.exit(code), (err) => {
    process.stderr.write(`${err.stack ?? err.message}\n`);
    process.exit(2);
});
//# sourceMappingURL=run.js.map