/**
 * `npm run bench`: every bench in sequence on one Temporal dev server (each bench starts its own
 * worker process and its own simulated fleet; the Ansible comparison starts its own server too), then one table of all figures with their targets.
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
import { ansibleBench } from './ansible';
import { fleetBench } from './fleet';
import {
  figureLines,
  figureTable,
  machineDescription,
  say,
  startTemporal,
  verdict,
  type Figure,
  type Temporal,
} from './lib';
import { overheadBench } from './overhead';
import { rebootLatencyBench } from './reboot-latency';

type Bench = (argv: string[], temporal?: Temporal) => Promise<Figure[]>;

const BENCHES: Record<string, { run: Bench; quick: string[] }> = {
  overhead: { run: overheadBench, quick: ['--hosts', '3'] },
  latency: { run: rebootLatencyBench, quick: ['--reboots', '20'] },
  'latency-cap-1': {
    run: (argv, t) => rebootLatencyBench(['--poll-cap', '1', ...argv], t),
    quick: ['--reboots', '20'],
  },
  // How the cost grows: 10, 100 and 1,000 hosts, each in 10 batches (the 100-host run is the
  // floor target's, the 1,000-host one the memory target's). Quick: 10 and 100 with a 5 s boot.
  fleet: {
    run: (argv, t) => fleetBench(['--sizes', '10,100,1000', '--single', '1', ...argv], t),
    quick: ['--sizes', '10,100', '--boot', '5'],
  },
  // Its own dev server for each kernel-rollout side, as Ansible starts from nothing: on the shared
  // server, after the fleet bench's 1,000 workflows, the same 100 hosts cost Temporal a quarter
  // more CPU (20.1 against 16 CPU s in the run of 2026-12-05 17:43).
  ansible: { run: (argv) => ansibleBench(argv), quick: ['--hosts', '20', '--boot', '5', '--kexec', '0'] },
};

function parse(argv: string[]) {
  let quick = false;
  let only = Object.keys(BENCHES);
  const perBench = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--quick') quick = true;
    else if (arg === '--only') {
      only = (argv[++i] ?? '').split(',').filter(Boolean);
      const unknown = only.filter((b) => !(b in BENCHES));
      if (unknown.length > 0)
        throw new Error(`--only: unknown bench ${unknown.join(', ')}; known: ${Object.keys(BENCHES).join(', ')}`);
    } else {
      const m = /^--([a-z0-9.-]+?)\.([a-z-]+)$/.exec(arg);
      if (!m || !((m[1] as string) in BENCHES)) {
        throw new Error(`unknown argument ${arg}; use --quick, --only a,b or --<bench>.<flag> value`);
      }
      const list = perBench.get(m[1] as string) ?? [];
      list.push(`--${m[2]}`, argv[++i] ?? '');
      perBench.set(m[1] as string, list);
    }
  }
  return { quick, only, perBench };
}

async function main(argv: string[]): Promise<number> {
  const { quick, only, perBench } = parse(argv);
  const started = new Date();
  say(`# kernel-rollout benches, ${started.toISOString()}`);
  say(`machine: ${machineDescription()}`);
  const figures: Figure[] = [];
  const failed: string[] = [];
  const temporal = await startTemporal();
  try {
    for (const name of only) {
      const bench = BENCHES[name] as (typeof BENCHES)[string];
      const args = [...(quick ? bench.quick : []), ...(perBench.get(name) ?? [])];
      try {
        figures.push(...(await bench.run(args, temporal)));
      } catch (err) {
        failed.push(name);
        process.stderr.write(`bench ${name} failed: ${(err as Error).stack ?? String(err)}\n`);
        figures.push({
          bench: name,
          name: 'did not run to the end',
          value: null,
          unit: '',
          note: (err as Error).message.split('\n')[0],
        });
      }
    }
  } finally {
    await temporal.stop();
  }
  const minutes = ((Date.now() - started.getTime()) / 60_000).toFixed(1);
  say(`\n# All figures (${started.toISOString().slice(0, 10)}, ${minutes} min${quick ? ', --quick' : ''})`);
  say(`machine at the end: ${machineDescription()}\n`);
  say(figureTable(figures));
  say(`\n${figureLines(figures)}`);
  const missed = figures.filter((f) => verdict(f) === 'miss').length;
  const passed = figures.filter((f) => verdict(f) === 'pass').length;
  say(
    `\ntargets: ${passed} met, ${missed} missed${failed.length > 0 ? `; benches that failed: ${failed.join(', ')}` : ''}`,
  );
  return failed.length > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: Error) => {
    process.stderr.write(`${err.stack ?? err.message}\n`);
    process.exit(2);
  },
);
